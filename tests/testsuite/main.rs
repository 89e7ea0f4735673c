//! The test suite: one binary, a folder per area, in the manner of mdBook's testsuite.
//!
//! Each area drives the real `zhize` binary or the library on real files; `common` holds the
//! helpers they share (running zhize, temporary sites, the demo build, finding Chromium).

// Helpers are shared by areas that each use a part of them.
#[allow(dead_code)]
mod common;

mod browser;
mod build;
mod errors;
mod hardening;
mod house;
mod import;
mod search;
mod serve;
mod views;
