//! zhize turns government duty lists (职责清单) into a searchable, cross-linked static site.
//!
//! This crate is the `zhize` command (`src/main.rs`, one file per command in `src/cmd/`) and
//! a facade over the workspace's crates, so that the tests, benches and fuzz targets reach
//! every part by one name. Where things are:
//!
//! | crate | job |
//! |---|---|
//! | [`zhize_core`] | the model, settings, source positions, diagnostics, slugs (the leaf) |
//! | [`zhize_import`] | documents (text, Word) → the model → YAML |
//! | [`zhize_flowchart`] | procedure steps → swimlane SVG |
//! | [`zhize_search`] | the analyser, the tantivy index, the static index |
//! | [`zhize_site`] | load → resolve → render → output: the build |
//! | [`zhize_serve`] | the preview and search server |

pub use zhize_core::{
    atomic, config, diagnostic, escape, model, schema, slug, source, text, yaml, OutputFile,
};
pub use zhize_flowchart as flowchart;
pub use zhize_import as import;
pub use zhize_search as search;
pub use zhize_serve as serve;
pub use zhize_site::{
    build, build_with, chart, check, fix, init, is_error, load, output, page_count, parts, render,
    render_files, render_site, render_to, render_with, resolve, resolve_site, search_docs, stats,
    views, BuildReport,
};
