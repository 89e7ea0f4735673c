//! Search: "who handles what", answered from the static site, the command line and the server.
//!
//! One analyser ([`analyzer`]) normalises and tokenises for every index; [`docs`] are the
//! searchable documents (the site crate makes them from a site); [`index`] keeps the tantivy index behind `zhize search`;
//! [`static_index`] writes the sharded script files the browser's `search.js` loads; [`rank`]
//! orders hits the same way everywhere; [`export`] hands the documents to other engines.

pub mod analyzer;
pub mod docs;
pub mod export;
pub mod index;
pub mod rank;
pub mod static_index;
pub mod thesaurus;

pub use analyzer::Analyzer;
pub use docs::{Kind, SearchDoc};
pub use index::{Hit, Searcher};
