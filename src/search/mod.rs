//! Search: "who handles what", answered from the static site, the command line and the server.
//!
//! One analyser ([`analyzer`]) normalises and tokenises for every index; [`docs`] turns the
//! site into searchable documents; [`index`] keeps the tantivy index behind `zhize search`;
//! [`static_index`] writes the sharded script files the browser's `search.js` loads; [`rank`]
//! orders hits the same way everywhere.

pub mod analyzer;
pub mod docs;
pub mod index;
pub mod rank;
pub mod static_index;

pub use analyzer::Analyzer;
pub use docs::{documents, Kind, SearchDoc};
pub use index::{Hit, Searcher};

use crate::resolve::Site;
use std::path::Path;

/// Build or refresh the tantivy index of the site at `root` if its content changed, and open
/// it. `site` is loaded only when the index must be (re)built.
pub fn open_fresh(
    root: &Path,
    site: impl FnOnce() -> Result<Site, String>,
) -> Result<(Searcher, Analyzer), String> {
    let dir = index::index_dir(root);
    let stamp = index::fingerprint(root);
    if !index::is_fresh(&dir, &stamp) {
        let site = site()?;
        let analyzer = Analyzer::new(&site.config.synonyms);
        let docs = documents(&site, &analyzer);
        index::write_index(&dir, &analyzer, &docs, &stamp)?;
        return Ok((Searcher::open(&dir)?, analyzer));
    }
    let config = crate::load::load_config(root);
    Ok((Searcher::open(&dir)?, Analyzer::new(&config.synonyms)))
}
