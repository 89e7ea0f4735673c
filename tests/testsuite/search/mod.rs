//! Search: the tantivy index and the browser engine agreeing with it.

mod baseline;
mod browser_agree;
mod everyday;
mod index;
