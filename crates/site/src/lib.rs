//! zhize-site: the build pipeline, from a site folder to a written site.
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
//! let report = zhize_site::build(std::path::Path::new("."), std::path::Path::new("public"), &|| {})
//!     .expect("the site has errors");
//! println!("{} pages", report.pages);
//! ```

pub mod chart;
pub mod fix;
pub mod init;
pub mod load;
pub mod output;
pub mod parts;
pub mod render;
pub mod resolve;
pub mod search_docs;
pub mod stats;
pub mod views;

use std::path::Path;
use std::time::{Duration, Instant};
use zhize_core::diagnostic::{Diagnostic, Diagnostics, Severity};
use zhize_search as search;

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

/// Load and resolve the site at `root`, with the boundary report (职责边界) as warnings:
/// everything `check` finds without rendering.
pub fn check(root: &Path) -> resolve::Site {
    let mut site = resolve_site(root);
    // Warnings, never errors, so the site still builds.
    if !site.diagnostics.has_errors() {
        let warnings = views::warnings(&site);
        site.diagnostics.extend(warnings);
        site.diagnostics.sort();
    }
    site
}

/// Load and resolve the site at `root`. Its boundary report is left to the views: rendering
/// makes it ([`render_with`] returns it as warnings), and [`check`] adds it.
pub fn resolve_site(root: &Path) -> resolve::Site {
    resolve::resolve(load::load_site(root))
}

/// Render a resolved site to files in memory, with the link check. Errors are returned with
/// the warnings; nothing is written.
pub fn render_site(
    site: &resolve::Site,
    on_page: &(dyn Fn() + Sync),
) -> Result<(Vec<zhize_core::OutputFile>, Diagnostics), Diagnostics> {
    let renderer = render::Renderer::new(site).map_err(Diagnostics)?;
    render_files(&renderer, on_page)
}

/// As [`render_site`], with a renderer made beforehand (whose organisation analyses the
/// caller shares).
pub fn render_files(
    renderer: &render::Renderer,
    on_page: &(dyn Fn() + Sync),
) -> Result<(Vec<zhize_core::OutputFile>, Diagnostics), Diagnostics> {
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

/// Render a resolved site straight into `staging`, with the link check: what `build` does, so
/// that the pages are never all in memory at once. Returns the paths written, and the
/// warnings; on errors the caller drops `staging`, which removes it.
pub fn render_to(
    site: &resolve::Site,
    on_page: &(dyn Fn() + Sync),
    staging: &output::Staging,
) -> Result<(Vec<String>, Diagnostics), Diagnostics> {
    render_with(site, on_page, &|f| staging.write(f))
}

/// Render a resolved site page by page, handing each file to `sink` (which writes it, or
/// drops it: `zhize check`), with the link check. Returns the paths rendered, and the
/// warnings: the render's, and the boundary report's (made for the views, so a site from
/// [`resolve_site`] gets it without a second pass).
pub fn render_with(
    site: &resolve::Site,
    on_page: &(dyn Fn() + Sync),
    sink: &(dyn Fn(zhize_core::OutputFile) -> Result<(), Diagnostic> + Sync),
) -> Result<(Vec<String>, Diagnostics), Diagnostics> {
    let renderer = render::Renderer::new(site).map_err(Diagnostics)?;
    let (links, paths, mut diags) = renderer.render_each(on_page, sink);
    // A page with a broken link is rendered again to name the link (rare: no map until then).
    let jobs = std::cell::OnceCell::new();
    let again = |path: &str| {
        let jobs: &std::collections::HashMap<String, render::Job> = jobs.get_or_init(|| {
            renderer
                .jobs()
                .into_iter()
                .map(|j| (renderer.path_of(j), j))
                .collect()
        });
        jobs.get(path).and_then(|j| renderer.render_job(*j).ok())
    };
    for b in output::check_page_links(&links, paths.iter().map(String::as_str), &again) {
        diags.push(Diagnostic::warning(format!("broken link: {b}")).hint(
            "a link written in the content points to a page that does not exist; fix or remove it",
        ));
    }
    if diags.has_errors() {
        return Err(diags);
    }
    diags.extend(renderer.analyses().warnings());
    Ok((paths, diags))
}

/// Build the site at `root` into `output`: load, resolve, render, write atomically.
/// On any error nothing is written and all problems are returned together. The tantivy
/// index of `zhize search` is not made: see [`build_with`].
pub fn build(
    root: &Path,
    output: &Path,
    on_page: &(dyn Fn() + Sync),
) -> Result<BuildReport, Diagnostics> {
    build_with(root, output, on_page, false)
}

/// [`build`], then, when `index` (or `search_index: true` in zhize.yaml), the tantivy index
/// of `zhize search` and `zhize serve` too, once the site is written: the static site never
/// waits for it (those commands make it themselves when it is missing or stale).
pub fn build_with(
    root: &Path,
    output: &Path,
    on_page: &(dyn Fn() + Sync),
    index: bool,
) -> Result<BuildReport, Diagnostics> {
    let start = Instant::now();
    output::check_output_dir(root, output).map_err(|d| Diagnostics(vec![d]))?;
    // The word segmenter's dictionary (for the pinyin of names) loads while the site does,
    // when there are organisations: pages alone need no pinyin, and it takes 0.3 s of CPU.
    let segmenter = load::has_org_folders(root).then(|| std::thread::spawn(jieba_rs::Jieba::new));
    let site = resolve_site(root);
    if site.diagnostics.has_errors() {
        return Err(site.diagnostics);
    }
    release_freed_memory();
    let mut diagnostics = site.diagnostics.clone();
    // Pages go to disk as they are rendered, into a staging folder swapped in at the end.
    let staging = output::Staging::create(output).map_err(|d| Diagnostics(vec![d]))?;
    // Pages and the static search index are independent: make them side by side. Only the
    // search side waits for the word segmenter: pages render while it loads.
    let index = index || site.config.search_index;
    let (rendered, (search_paths, analyzer, docs)) = rayon::join(
        || render_to(&site, on_page, &staging),
        || {
            let mut analyzer = search_docs::analyzer_for(&site);
            if let Some(Ok(jieba)) = segmenter.map(|s| s.join()) {
                analyzer = analyzer.with_segmenter(jieba);
            }
            // The tantivy index takes pages whole; the static index only their start.
            let pages = match index {
                true => search_docs::PageText::Whole,
                false => search_docs::PageText::Indexed,
            };
            let docs = search_docs::documents(&site, &analyzer, pages);
            let paths = search::static_index::build(&analyzer, &docs)
                .into_iter()
                .map(|f| {
                    let path = f.path.clone();
                    staging.write(f).map(|()| path)
                })
                .collect::<Result<Vec<String>, Diagnostic>>();
            // The documents are kept for the tantivy index only: dropped here otherwise, so
            // that they are gone while the pages are still rendering (a fifth of a large
            // site's peak memory).
            let docs = index.then_some(docs);
            release_freed_memory();
            (paths, analyzer, docs)
        },
    );
    let (mut paths, render_diags) = rendered.map_err(|mut d| {
        d.extend(site.diagnostics.0.iter().cloned());
        d.sort();
        d
    })?;
    diagnostics.extend(render_diags.0);
    paths.extend(search_paths.map_err(|d| Diagnostics(vec![d]))?);
    staging.commit().map_err(|d| Diagnostics(vec![d]))?;
    if let Some(docs) = docs {
        let dir = search::index::index_dir(root);
        let stamp = search::index::fingerprint(root);
        let written = if search::index::is_fresh(&dir, &stamp) {
            Ok(())
        } else {
            search::index::write_index(&dir, &analyzer, &docs, &stamp)
        };
        if let Err(e) = written {
            diagnostics.push(
                Diagnostic::warning(format!(
                    "the search index for `zhize search` was not written: {e}"
                ))
                .hint("check that the site folder is writable; the site itself was built"),
            );
        }
    }
    diagnostics.sort();
    Ok(BuildReport {
        pages: paths.iter().filter(|p| p.ends_with(".html")).count(),
        files: paths.len(),
        elapsed: start.elapsed(),
        diagnostics,
    })
}

/// Hand the memory freed so far back to the system. glibc's allocator keeps freed memory in
/// its per-thread arenas, where the next stage, allocating from other threads, often cannot
/// reuse it: loading and resolving free much, and so do the search documents once the static
/// index is written, while the pages are still rendering.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            fn malloc_trim(pad: usize) -> std::ffi::c_int;
        }
        // SAFETY: malloc_trim only returns free memory of glibc's own heaps to the system.
        unsafe { malloc_trim(0) };
    }
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
