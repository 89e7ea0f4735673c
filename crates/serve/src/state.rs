//! The site as `zhize serve` serves it: every file in memory, made by a full build at start and
//! then brought up to date after each edit by rendering only the pages the edit affects
//! ([`super::changes`]). Nothing is written to the output folder; the tantivy index behind
//! `/api/search` is kept where `zhize search` keeps it.

use super::changes::{affected, Affected};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use zhize_core::diagnostic::{Diagnostic, Diagnostics};
use zhize_site::render::{OutputFile, Renderer};
use zhize_site::resolve::Site;
use zhize_site::views::{boundary::Report, matrix::Matrix};

/// The files of a built site by output path (`dept/x.html`), shared with the request threads.
pub type Files = HashMap<String, Arc<[u8]>>;

/// The last good build: the resolved site it came from and its files, with what the next
/// build can reuse.
pub struct Built {
    /// The resolved site; its diagnostics are the resolve's (the boundary warnings are kept
    /// per organisation: [`Built::warnings`] has them all).
    pub site: Site,
    /// Shared with the snapshot the server answers from.
    pub files: Arc<Files>,
    /// The files read and parsed.
    cache: zhize_site::load::Cache,
    /// What the views found in each organisation.
    findings: Vec<Arc<Findings>>,
}

/// An organisation's matrix, boundary report and boundary warnings, with the texts (the
/// configuration's, then its files') they were found in: the next build reuses them while
/// those texts are the very same.
struct Findings {
    texts: Vec<Arc<str>>,
    matrix: Arc<Matrix>,
    report: Arc<Report>,
    warnings: Vec<Diagnostic>,
}

impl Built {
    /// Every warning of the site, as `zhize check` lists them.
    pub fn warnings(&self) -> Diagnostics {
        let mut all = self.site.diagnostics.clone();
        for f in &self.findings {
            all.extend(f.warnings.iter().cloned());
        }
        all.sort();
        all
    }
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
    /// How many warnings the new site has (counting, not copying, keeps a rebuild of a large
    /// site quick).
    pub warnings: usize,
    /// How much of the site was resolved afresh rather than reused from the last build.
    pub resolved: zhize_site::resolve::ResolveStats,
    /// Organisations whose matrix and boundary report were made afresh (the others' were
    /// still those of the build before).
    pub analysed: usize,
}

/// Load and resolve the site at `root`, reusing what `prev` read and found in files that
/// have not changed; errors come back together. What `zhize check` does but the boundary
/// report, which the views make while they render.
fn load(root: &Path, prev: Option<&Built>) -> Result<(Site, zhize_site::load::Cache), Diagnostics> {
    let cache = prev.map(|p| p.cache.clone()).unwrap_or_default();
    let mut loaded = zhize_site::load::load_site_cached(root, cache);
    let cache = std::mem::take(&mut loaded.cache);
    let site = zhize_site::resolve::resolve_after(loaded, prev.map(|p| &p.site));
    if site.diagnostics.has_errors() {
        return Err(site.diagnostics);
    }
    Ok((site, cache))
}

/// Per organisation, its findings in the build before when they still hold.
type Known = Vec<Option<Arc<Findings>>>;

/// A renderer for `site` that knows the findings of `prev` still true of it: those of each
/// organisation whose texts (and the configuration) are the very same.
fn renderer<'a>(
    site: &'a Site,
    prev: Option<&Built>,
) -> Result<(Renderer<'a>, Known), Diagnostics> {
    let renderer = Renderer::new(site).map_err(Diagnostics)?;
    let config = config_text(site);
    let mut known = Vec::with_capacity(site.orgs.len());
    for oi in 0..site.orgs.len() {
        let Some(prev) = prev else {
            known.push(None);
            continue;
        };
        // An organisation the resolve reused (the same `Arc`) has the same texts, and the
        // configuration too (or nothing would have been reused).
        let reused = prev
            .site
            .orgs
            .get(oi)
            .filter(|old| Arc::ptr_eq(old, &site.orgs[oi]))
            .and_then(|_| prev.findings.get(oi).cloned());
        // Otherwise the findings at the same place hold if they came from the same texts
        // (a matrix names its organisation by place, so findings never move to another).
        let found = reused.or_else(|| {
            let texts = texts_of(site, oi, &config);
            let same = |f: &&Arc<Findings>| {
                f.texts.len() == texts.len()
                    && f.texts.iter().zip(&texts).all(|(a, b)| Arc::ptr_eq(a, b))
            };
            prev.findings.get(oi).filter(same).cloned()
        });
        if let Some(f) = &found {
            renderer
                .analyses()
                .keep(oi, f.matrix.clone(), f.report.clone());
        }
        known.push(found);
    }
    Ok((renderer, known))
}

/// The text of the site's zhize.yaml, if it has one.
fn config_text(site: &Site) -> Option<Arc<str>> {
    site.sources
        .files
        .iter()
        .find(|f| f.path == Path::new("zhize.yaml"))
        .map(|f| f.text.clone())
}

/// The texts organisation `oi`'s findings depend on: the configuration's, then those of its
/// files, each once, in order.
fn texts_of(site: &Site, oi: usize, config: &Option<Arc<str>>) -> Vec<Arc<str>> {
    let mut ids = zhize_site::resolve::org_file_ids(&site.orgs[oi]);
    ids.sort_unstable();
    ids.dedup();
    let mut texts: Vec<Arc<str>> = config.iter().cloned().collect();
    texts.extend(ids.into_iter().map(|id| site.sources.get(id).text.clone()));
    texts
}

/// Every organisation's findings after rendering: the known ones, and the others from the
/// renderer's analyses (made by the views that rendered, or now), in parallel.
fn findings(renderer: &Renderer, known: Known) -> Vec<Arc<Findings>> {
    use rayon::prelude::*;
    let site = renderer.site();
    let config = config_text(site);
    let a = renderer.analyses();
    known
        .into_par_iter()
        .enumerate()
        .map(|(oi, k)| {
            k.unwrap_or_else(|| {
                Arc::new(Findings {
                    texts: texts_of(site, oi, &config),
                    matrix: a.matrix(oi).clone(),
                    report: a.report(oi).clone(),
                    warnings: a.org_warnings(oi),
                })
            })
        })
        .collect()
}

/// How many warnings: the resolve's, the boundary report's and the render's.
fn warning_count(site: &Site, findings: &[Arc<Findings>], render: &Diagnostics) -> usize {
    site.diagnostics.warning_count()
        + findings.iter().map(|f| f.warnings.len()).sum::<usize>()
        + render.warning_count()
}

/// Build everything, in memory.
pub fn full(root: &Path) -> Result<(Built, Outcome), Diagnostics> {
    let start = Instant::now();
    let (site, cache) = load(root, None)?;
    let (renderer, known) = renderer(&site, None)?;
    let analysed = known.iter().filter(|k| k.is_none()).count();
    let (files, diags) = zhize_site::render_files(&renderer, &|| {})?;
    let findings = findings(&renderer, known);
    drop(renderer);
    let rendered = files.iter().filter(|f| f.path.ends_with(".html")).count();
    let files: Arc<Files> = Arc::new(files.into_iter().map(into_entry).collect());
    let mut changed: Vec<String> = files.keys().cloned().collect();
    changed.sort();
    let outcome = Outcome {
        changed,
        all: true,
        rendered,
        elapsed: start.elapsed(),
        warnings: warning_count(&site, &findings, &diags),
        resolved: site.stats(),
        analysed,
    };
    let built = Built {
        site,
        files,
        cache,
        findings,
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
    let (site, cache) = load(root, Some(prev))?;
    let which = if theme_changed {
        Affected::All
    } else {
        affected(&prev.site, &site)
    };
    let (renderer, known) = renderer(&site, Some(prev))?;
    let analysed = known.iter().filter(|k| k.is_none()).count();
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
    let findings = findings(&renderer, known);
    let mut files = Files::clone(&prev.files);
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
    let mut data_live: std::collections::HashSet<String> =
        (zhize_site::render::open_data::files(renderer.site()).iter())
            .map(|f| f.path.clone())
            .collect();
    if !all {
        // The open data follows every edit (the JSON and CSV of the lists).
        let data = zhize_site::render::open_data::files(renderer.site());
        data_live = data.iter().map(|f| f.path.clone()).collect();
        for f in data {
            put(f);
        }
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
    // Open data of a department that is gone goes too.
    {
        let gone: Vec<String> = (files.keys())
            .filter(|p| p.starts_with("data/") && !data_live.contains(*p))
            .cloned()
            .collect();
        for p in gone {
            files.remove(&p);
            changed.push(p);
        }
    }
    drop(renderer);
    changed.sort();
    let outcome = Outcome {
        changed,
        all,
        rendered: count,
        elapsed: start.elapsed(),
        warnings: warning_count(&site, &findings, &diags),
        resolved: site.stats(),
        analysed,
    };
    let built = Built {
        site,
        files: Arc::new(files),
        cache,
        findings,
    };
    Ok((built, outcome))
}

/// The static search files (`search/…`) and the tantivy index for `site`, which lives at
/// `root`. Slower than the pages, so the server makes them after the pages are served.
pub fn search_files(root: &Path, site: &Site) -> (Vec<OutputFile>, Result<(), String>) {
    let analyzer = zhize_site::search_docs::analyzer_for(site);
    let docs = zhize_site::search_docs::documents(
        site,
        &analyzer,
        zhize_site::search_docs::PageText::Whole,
    );
    let (files, written) = rayon::join(
        || zhize_search::static_index::build(&analyzer, &docs),
        || {
            let stamp = zhize_search::index::fingerprint(root);
            zhize_search::index::write_index(
                &zhize_search::index::index_dir(root),
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
