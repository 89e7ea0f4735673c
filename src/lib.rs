//! zhize turns government duty lists (职责清单) into a searchable, cross-linked static site.
//!
//! The pipeline runs in one direction:
//!
//! ```text
//! content/ + zhize.yaml ─load─▶ Loaded ─resolve─▶ Site ─render─▶ pages ─output─▶ public/
//! ```
//!
//! Each stage is a plain function of the previous stage's output; only [`load`] reads the disk
//! and only [`output`] writes it. [`build`] runs the whole pipeline:
//!
//! ```no_run
//! let report = zhize::build(std::path::Path::new("."), std::path::Path::new("public"), &|| {})
//!     .expect("the site has errors");
//! println!("{} pages", report.pages);
//! ```

// Errors carry their file, position, hint and source text; they are built on the cold path
// only, so their size does not matter and boxing them would only add noise.
#![allow(clippy::result_large_err)]

pub mod config;
pub mod diagnostic;
pub mod flowchart;
pub mod import;
pub mod init;
pub mod load;
pub mod model;
pub mod output;
pub mod render;
pub mod resolve;
pub mod slug;
pub mod source;
pub mod stats;

use diagnostic::{Diagnostic, Diagnostics, Severity};
use std::path::Path;
use std::time::{Duration, Instant};

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// HTML pages written.
    pub pages: usize,
    /// All files written (pages, sitemap, static files).
    pub files: usize,
    pub elapsed: Duration,
    /// Warnings (a successful build has no errors).
    pub diagnostics: Diagnostics,
}

/// Load and resolve the site at `root`: everything `check` does.
pub fn check(root: &Path) -> resolve::Site {
    resolve::resolve(load::load_site(root))
}

/// Render a resolved site to files in memory, with the link check. Errors are returned with
/// the warnings; nothing is written.
pub fn render_site(
    site: &resolve::Site,
    on_page: &(dyn Fn() + Sync),
) -> Result<(Vec<render::OutputFile>, Diagnostics), Diagnostics> {
    let renderer = render::Renderer::new(site).map_err(Diagnostics)?;
    let (files, mut diags) = renderer.render_all(on_page);
    for b in output::check_links(&files) {
        diags.push(Diagnostic::warning(format!("broken link: {b}")).hint(
            "a link written in the content points to a page that does not exist; fix or remove it",
        ));
    }
    if diags.has_errors() {
        return Err(diags);
    }
    Ok((files, diags))
}

/// Build the site at `root` into `output`: load, resolve, render, write atomically.
/// On any error nothing is written and all problems are returned together.
pub fn build(
    root: &Path,
    output: &Path,
    on_page: &(dyn Fn() + Sync),
) -> Result<BuildReport, Diagnostics> {
    let start = Instant::now();
    output::check_output_dir(root, output).map_err(|d| Diagnostics(vec![d]))?;
    let site = check(root);
    if site.diagnostics.has_errors() {
        return Err(site.diagnostics);
    }
    let mut diagnostics = site.diagnostics.clone();
    let (files, render_diags) = render_site(&site, on_page).map_err(|mut d| {
        d.extend(site.diagnostics.0.iter().cloned());
        d.sort();
        d
    })?;
    diagnostics.extend(render_diags.0);
    output::write_site(output, &files).map_err(|d| Diagnostics(vec![d]))?;
    diagnostics.sort();
    Ok(BuildReport {
        pages: files.iter().filter(|f| f.path.ends_with(".html")).count(),
        files: files.len(),
        elapsed: start.elapsed(),
        diagnostics,
    })
}

/// Count pages a build of `site` would write (for progress bars).
pub fn page_count(site: &resolve::Site) -> usize {
    render::Renderer::new(site)
        .map(|r| r.page_count())
        .unwrap_or(0)
}

/// Is this diagnostic severe enough to fail a run?
pub fn is_error(d: &Diagnostic) -> bool {
    d.severity == Severity::Error
}
