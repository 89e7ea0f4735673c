//! Real Chromium: the pages in a browser, printing to PDF, accessibility, and screenshots.

mod axe;
mod lists;
mod pages;
mod pdf;
mod print;
mod screenshots;
