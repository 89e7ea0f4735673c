//! Search: the tantivy index and the browser engine agreeing with it.

mod baseline;
mod browser_agree;
mod everyday;
mod index;

/// The site of organisations the search was not tuned on (tests/search/unseen).
const UNSEEN: &str = "tests/search/unseen";
