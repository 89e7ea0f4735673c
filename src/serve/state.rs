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

/// The last good build: the resolved site it came from and its files, with what the next
/// build can reuse.
pub struct Built {
    pub site: Site,
    pub files: Files,
    /// The files read and parsed.
    cache: crate::load::Cache,
    /// Each organisation's boundary warnings, with the texts they were found in.
    org_warnings: Vec<OrgWarnings>,
}

/// An organisation's boundary warnings and the texts (the configuration's, then its files')
/// they were found in.
type OrgWarnings = Arc<(Vec<Arc<str>>, Vec<Diagnostic>)>;

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
    /// How many warnings the new site has (the site holds them: counting, not copying,
    /// keeps a rebuild of a large site quick).
    pub warnings: usize,
    /// How much of the site was resolved afresh rather than reused from the last build.
    pub resolved: crate::resolve::ResolveStats,
}

/// What loading gives: the resolved site (with its warnings), the cache of parsed files and
/// the warnings per organisation.
type LoadedSite = (Site, crate::load::Cache, Vec<OrgWarnings>);

/// Load and resolve the site at `root`, reusing what `prev` read and found in files that
/// have not changed; errors come back together. What `zhize check` does, in steps that can
/// be skipped.
fn load(root: &Path, prev: Option<&Built>) -> Result<LoadedSite, Diagnostics> {
    let cache = prev.map(|p| p.cache.clone()).unwrap_or_default();
    let mut loaded = crate::load::load_site_cached(root, cache);
    let cache = std::mem::take(&mut loaded.cache);
    let mut site = crate::resolve::resolve_after(loaded, prev.map(|p| &p.site));
    if site.diagnostics.has_errors() {
        return Err(site.diagnostics);
    }
    // The boundary report is the slow part of checking a large site; an organisation whose
    // files (and the configuration) are the very same texts as before has the same report.
    let config = site
        .sources
        .files
        .iter()
        .find(|f| f.path == Path::new("zhize.yaml"))
        .map(|f| f.text.clone());
    let mut org_warnings = Vec::with_capacity(site.orgs.len());
    for oi in 0..site.orgs.len() {
        // An organisation the resolve reused (the same `Arc`) has the same texts, and the
        // configuration too (or nothing would have been reused).
        let reused = prev.and_then(|p| {
            let old = p.site.orgs.get(oi)?;
            Arc::ptr_eq(old, &site.orgs[oi]).then(|| p.org_warnings.get(oi).cloned())?
        });
        if let Some(w) = reused {
            org_warnings.push(w);
            continue;
        }
        let mut texts: Vec<Arc<str>> = config.iter().cloned().collect();
        texts.extend(org_files(&site, oi).map(|id| site.sources.get(id).text.clone()));
        let same = |w: &&OrgWarnings| {
            w.0.len() == texts.len() && w.0.iter().zip(&texts).all(|(a, b)| Arc::ptr_eq(a, b))
        };
        let w = match prev.and_then(|p| p.org_warnings.iter().find(same)) {
            Some(w) => w.clone(),
            None => {
                let warnings = crate::views::org_warnings(&site, oi);
                Arc::new((texts, warnings))
            }
        };
        org_warnings.push(w);
    }
    let count: usize = org_warnings.iter().map(|w| w.1.len()).sum();
    site.diagnostics.0.reserve(count);
    for w in &org_warnings {
        site.diagnostics.extend(w.1.iter().cloned());
    }
    site.diagnostics.sort();
    Ok((site, cache, org_warnings))
}

/// The files an organisation is written in, each once, in order.
fn org_files(site: &Site, oi: usize) -> impl Iterator<Item = usize> {
    let mut ids = crate::resolve::org_file_ids(&site.orgs[oi]);
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter()
}

/// Build everything, in memory.
pub fn full(root: &Path) -> Result<(Built, Outcome), Diagnostics> {
    let start = Instant::now();
    let (site, cache, org_warnings) = load(root, None)?;
    let (files, diags) = crate::render_site(&site, &|| {})?;
    let rendered = files.iter().filter(|f| f.path.ends_with(".html")).count();
    let warnings = site.diagnostics.warning_count() + diags.warning_count();
    let files: Files = files.into_iter().map(into_entry).collect();
    let mut changed: Vec<String> = files.keys().cloned().collect();
    changed.sort();
    let outcome = Outcome {
        changed,
        all: true,
        rendered,
        elapsed: start.elapsed(),
        warnings,
        resolved: site.stats(),
    };
    let built = Built {
        site,
        files,
        cache,
        org_warnings,
    };
    Ok((built, outcome))
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
    let (site, cache, org_warnings) = load(root, Some(prev))?;
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
    let warnings = site.diagnostics.warning_count() + diags.warning_count();
    let outcome = Outcome {
        changed,
        all,
        rendered: count,
        elapsed: start.elapsed(),
        warnings,
        resolved: site.stats(),
    };
    let built = Built {
        site,
        files,
        cache,
        org_warnings,
    };
    Ok((built, outcome))
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
