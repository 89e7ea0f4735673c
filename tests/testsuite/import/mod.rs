//! `zhize import`: genres, the breakdown table, duty lists, pages and articles.

mod breakdown;
pub mod corpus;
mod dutylist;
mod general;
mod lossless;
mod pages;
mod workbook;
