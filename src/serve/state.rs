//! The site as `zhize serve` serves it: every file in memory, made by a full build at start and
//! then brought up to date after each edit by rendering only the pages the edit affects
//! ([`super::changes`]). Nothing is written to the output folder; the tantivy index behind
//! `/api/search` is kept where `zhize search` keeps it.

use super::changes::{affected, Affected};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::render::{OutputFile, Renderer};
use crate::resolve::Site;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The files of a built site by output path (`dept/x.html`), shared with the request threads.
pub type Files = HashMap<String, Arc<[u8]>>;

/// The last good build: the resolved site it came from and its files.
pub struct Built {
    pub site: Site,
    pub files: Files,
}

/// What a (re)build did.
#[derive(Debug)]
pub struct Outcome {
    /// Output paths whose bytes changed (or appeared, or went away).
    pub changed: Vec<String>,
    /// Every page was rendered (the first build, or an edit to a name or the theme).
    pub all: bool,
    /// Pages rendered.
    pub rendered: usize,
    pub elapsed: Duration,
    /// Warnings of the new site.
    pub warnings: Diagnostics,
}

/// Load and resolve the site at `root`; errors come back together.
fn load(root: &Path) -> Result<Site, Diagnostics> {
    let site = crate::check(root);
    if site.diagnostics.has_errors() {
        return Err(site.diagnostics);
    }
    Ok(site)
}

/// Build everything, in memory.
pub fn full(root: &Path) -> Result<(Built, Outcome), Diagnostics> {
    let start = Instant::now();
    let site = load(root)?;
    let (files, diags) = crate::render_site(&site, &|| {})?;
    let rendered = files.iter().filter(|f| f.path.ends_with(".html")).count();
    let mut warnings = site.diagnostics.clone();
    warnings.extend(diags.0);
    let files: Files = files.into_iter().map(into_entry).collect();
    let mut changed: Vec<String> = files.keys().cloned().collect();
    changed.sort();
    let outcome = Outcome {
        changed,
        all: true,
        rendered,
        elapsed: start.elapsed(),
        warnings,
    };
    Ok((Built { site, files }, outcome))
}

/// Bring `prev` up to date with the files under `root`. `theme_changed` says that templates,
/// static files or the theme changed (they are not part of the resolved site), which makes
/// every page render again.
pub fn update(
    prev: &Built,
    root: &Path,
    theme_changed: bool,
) -> Result<(Built, Outcome), Diagnostics> {
    let start = Instant::now();
    let site = load(root)?;
    let which = if theme_changed {
        Affected::All
    } else {
        affected(&prev.site, &site)
    };
    let renderer = Renderer::new(&site).map_err(Diagnostics)?;
    let all_jobs = renderer.jobs();
    let (jobs, all) = match which {
        Affected::All => (all_jobs.clone(), true),
        Affected::Pages(jobs) => (jobs, false),
    };
    let (rendered, mut diags) = renderer.render_jobs(&jobs, &|| {});
    if diags.has_errors() {
        diags.extend(site.diagnostics.0.iter().cloned());
        diags.sort();
        return Err(diags);
    }
    let mut files = prev.files.clone();
    let mut changed = Vec::new();
    let mut put = |f: OutputFile| {
        if files.get(&f.path).is_none_or(|old| **old != *f.bytes) {
            changed.push(f.path.clone());
            files.insert(f.path, f.bytes.into());
        }
    };
    let count = rendered.len();
    for f in rendered {
        put(f);
    }
    if all {
        for f in renderer.extras(&all_jobs) {
            put(f);
        }
        // Pages that no longer exist go away (the search files are kept: they follow).
        let live: std::collections::HashSet<String> =
            all_jobs.iter().map(|j| renderer.path_of(*j)).collect();
        let gone: Vec<String> = files
            .keys()
            .filter(|p| p.ends_with(".html") && !live.contains(*p))
            .cloned()
            .collect();
        for p in gone {
            files.remove(&p);
            changed.push(p);
        }
    }
    drop(renderer);
    changed.sort();
    let mut warnings = site.diagnostics.clone();
    diags.sort();
    warnings.extend(diags.0);
    let outcome = Outcome {
        changed,
        all,
        rendered: count,
        elapsed: start.elapsed(),
        warnings,
    };
    Ok((Built { site, files }, outcome))
}

/// The static search files (`search/…`) and the tantivy index for `site`, which lives at
/// `root`. Slower than the pages, so the server makes them after the pages are served.
pub fn search_files(root: &Path, site: &Site) -> (Vec<OutputFile>, Result<(), String>) {
    let analyzer = crate::search::Analyzer::new(&site.config.synonyms);
    let docs = crate::search::documents(site, &analyzer);
    let (files, written) = rayon::join(
        || crate::search::static_index::build(&analyzer, &docs),
        || {
            let stamp = crate::search::index::fingerprint(root);
            crate::search::index::write_index(
                &crate::search::index::index_dir(root),
                &analyzer,
                &docs,
                &stamp,
            )
        },
    );
    (files, written)
}

/// A file as the server keeps it.
pub fn into_entry(f: OutputFile) -> (String, Arc<[u8]>) {
    (f.path, f.bytes.into())
}

/// A one-line description of a problem for the log.
pub fn describe(d: &Diagnostic) -> String {
    let mut s = String::new();
    if let Some(f) = &d.file {
        s.push_str(&f.display().to_string());
        if let Some(p) = d.pos {
            s.push_str(&format!(":{}:{}", p.line, p.col));
        }
        s.push_str(": ");
    }
    s.push_str(&d.message);
    s
}
