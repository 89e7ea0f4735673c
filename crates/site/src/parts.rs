//! A site built in parts: each organisation by a build of its own (`zhize build --org ID`),
//! on as many machines as there are organisations, then joined by `zhize merge` into the site
//! a whole build makes, byte for byte.
//!
//! An organisation's pages depend on the whole content (a text may name a body of another
//! organisation, the sidebar lists them all), so every part build reads and resolves all of
//! it, which is quick, and renders only the pages in its organisation's folder, which is most
//! of the work. Besides those pages a part holds its organisation's search documents
//! (`.zhize-part/<org>.json`). The merge renders what belongs to no organisation (the home
//! page, contacts, 404, free pages, sitemap, open data, static files), makes the static search
//! index from every part's documents in the order of a whole build, checks the links of all
//! pages together, and writes the site atomically like a build.

use crate::render::{Job, Renderer};
use crate::resolve::Site;
use crate::{load, output, resolve_site, search_docs, BuildReport};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;
use zhize_core::diagnostic::{Diagnostic, Diagnostics};
use zhize_core::OutputFile;
use zhize_search::{Analyzer, SearchDoc};

/// The folder of a part's own files (its search documents), which the merge does not publish.
pub const PART_DIR: &str = ".zhize-part";

/// What a part build leaves for the merge besides its pages.
#[derive(serde::Serialize, serde::Deserialize)]
struct Shard {
    /// The organisation's folder name in the output (its slug).
    org: String,
    docs: Vec<SearchDoc>,
}

fn one(d: Diagnostic) -> Diagnostics {
    Diagnostics(vec![d])
}

/// What a part build or a merge wrote, with the site's warnings beside the run's.
fn report(paths: Vec<String>, mut diags: Diagnostics, site: Site, start: Instant) -> BuildReport {
    diags.extend(site.diagnostics.0);
    diags.sort();
    BuildReport {
        pages: paths.iter().filter(|p| p.ends_with(".html")).count(),
        files: paths.len(),
        elapsed: start.elapsed(),
        diagnostics: diags,
    }
}

/// The analyser a whole build uses: with the word segmenter when there are organisations.
fn analyzer(root: &Path, site: &Site) -> Analyzer {
    let analyzer = search_docs::analyzer_for(site);
    if load::has_org_folders(root) {
        analyzer.with_segmenter(jieba_rs::Jieba::new())
    } else {
        analyzer
    }
}

/// The site at `root`, resolved, or its errors.
fn resolved(root: &Path, output: &Path) -> Result<Site, Diagnostics> {
    output::check_output_dir(root, output).map_err(one)?;
    let site = resolve_site(root);
    if site.diagnostics.has_errors() {
        return Err(site.diagnostics);
    }
    Ok(site)
}

/// Build organisation `org` (its folder name, its output folder name or its id) of the site at
/// `root` into `output`: its pages and its search documents, for [`merge`].
pub fn build_org(
    root: &Path,
    output: &Path,
    org: &str,
    on_page: &(dyn Fn() + Sync),
) -> Result<BuildReport, Diagnostics> {
    let start = Instant::now();
    let site = resolved(root, output)?;
    let Some(oi) = site
        .orgs
        .iter()
        .position(|o| o.slug == org || o.folder_name == org || o.raw.id.as_deref() == Some(org))
    else {
        let known: Vec<&str> = site.orgs.iter().map(|o| o.folder_name.as_str()).collect();
        return Err(one(Diagnostic::error(format!(
            "there is no organisation `{org}` in this site"
        ))
        .zh(format!("网站里没有单位“{org}”"))
        .hint(format!("organisations: {}", known.join(", ")))
        .hint_zh(format!("已有的单位：{}", known.join("、")))));
    };
    let renderer = Renderer::new(&site).map_err(Diagnostics)?;
    let staging = output::Staging::create(output).map_err(one)?;
    let jobs: Vec<Job> = (renderer.jobs().into_iter())
        .filter(|j| j.org() == Some(oi))
        .collect();
    let (_, mut paths, diags) = renderer.render_jobs_to(&jobs, on_page, &|f| staging.write(f));
    if diags.has_errors() {
        return Err(diags);
    }
    let shard = Shard {
        org: site.orgs[oi].slug.clone(),
        docs: search_docs::org_documents(&site, &analyzer(root, &site), oi),
    };
    let path = format!("{PART_DIR}/{}.json", shard.org);
    let bytes = serde_json::to_vec(&shard).map_err(|e| one(Diagnostic::error(e.to_string())))?;
    staging
        .write(OutputFile {
            path: path.clone(),
            bytes,
        })
        .map_err(one)?;
    paths.push(path);
    staging.commit().map_err(one)?;
    Ok(report(paths, diags, site, start))
}

/// The files of part builds: their pages by output path, and their search documents by
/// organisation. A page in two parts, or an organisation in two, is an error.
#[derive(Default)]
struct Parts {
    files: BTreeMap<String, PathBuf>,
    shards: HashMap<String, (Vec<SearchDoc>, PathBuf)>,
}

fn read_parts(parts: &[PathBuf]) -> Result<Parts, Diagnostics> {
    let mut out = Parts::default();
    let mut diags = Diagnostics::default();
    for part in parts {
        if !part.join(PART_DIR).is_dir() {
            diags.push(
                Diagnostic::error(format!(
                    "{} is not the output of `zhize build --org`",
                    part.display()
                ))
                .zh(format!(
                    "{} 不是 `zhize build --org` 的输出",
                    part.display()
                ))
                .hint("give the folders that `zhize build --org ID --output FOLDER` wrote")
                .hint_zh("请给出 `zhize build --org 单位 --output 文件夹` 写出的文件夹"),
            );
            continue;
        }
        for e in walkdir::WalkDir::new(part).sort_by_file_name() {
            let e = e.map_err(|e| one(Diagnostic::error(format!("cannot read a part: {e}"))))?;
            if !e.file_type().is_file() {
                continue;
            }
            let rel = e.path().strip_prefix(part).unwrap_or(e.path());
            let rel = rel.to_string_lossy().replace('\\', "/");
            if rel == output::MARKER {
                continue; // the merge's output gets its own
            }
            if let Some(name) = rel.strip_prefix(&format!("{PART_DIR}/")) {
                let text = std::fs::read(e.path()).map_err(|err| {
                    one(Diagnostic::error(format!(
                        "cannot read {}: {err}",
                        e.path().display()
                    )))
                })?;
                let shard: Shard = serde_json::from_slice(&text).map_err(|err| {
                    one(Diagnostic::error(format!(
                        "{name} of {} is damaged: {err}",
                        part.display()
                    ))
                    .hint("build that organisation again"))
                })?;
                if let Some((_, other)) = out
                    .shards
                    .insert(shard.org.clone(), (shard.docs, part.clone()))
                {
                    diags.push(Diagnostic::error(format!(
                        "organisation `{}` is in two parts: {} and {}",
                        shard.org,
                        other.display(),
                        part.display()
                    )));
                }
            } else if let Some(other) = out.files.insert(rel.clone(), e.path().to_path_buf()) {
                diags.push(Diagnostic::error(format!(
                    "{rel} is in two parts: {} and {}",
                    other.display(),
                    e.path().display()
                )));
            }
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(out)
}

/// The search documents of every organisation of `site`, from the parts, in the order of a
/// whole build, then the free pages'. An organisation no part holds, or a part of one the
/// site no longer has, is an error.
fn documents(
    site: &Site,
    shards: &mut HashMap<String, (Vec<SearchDoc>, PathBuf)>,
) -> Result<Vec<SearchDoc>, Diagnostics> {
    let mut docs = Vec::new();
    let mut diags = Diagnostics::default();
    for org in &site.orgs {
        match shards.remove(&org.slug) {
            Some((d, _)) => docs.extend(d),
            None => diags.push(
                Diagnostic::error(format!("no part holds organisation `{}` ({})", org.folder_name, org.raw.name))
                    .zh(format!("没有哪个部分包含单位“{}”（{}）", org.raw.name, org.folder_name))
                    .hint(format!("build it with `zhize build --org {} --output FOLDER` and give FOLDER to the merge", org.folder_name))
                    .hint_zh(format!("先用 `zhize build --org {} --output 文件夹` 构建它，再把这个文件夹交给 merge", org.folder_name)),
            ),
        }
    }
    for (slug, (_, part)) in shards.iter() {
        diags.push(
            Diagnostic::error(format!(
                "{} holds organisation `{slug}`, which this site does not have",
                part.display()
            ))
            .hint("build the parts again from the same content"),
        );
    }
    if diags.has_errors() {
        return Err(diags);
    }
    docs.extend(search_docs::page_docs(site, search_docs::PageText::Indexed));
    Ok(docs)
}

/// Join part builds (`parts`, each the output of [`build_org`]) of the site at `root` into
/// `output`: the same site a whole build writes.
pub fn merge(
    root: &Path,
    output: &Path,
    parts: &[PathBuf],
    on_page: &(dyn Fn() + Sync),
) -> Result<BuildReport, Diagnostics> {
    let start = Instant::now();
    let site = resolved(root, output)?;
    let mut read = read_parts(parts)?;
    let docs = documents(&site, &mut read.shards)?;
    let renderer = Renderer::new(&site).map_err(Diagnostics)?;
    let staging = output::Staging::create(output).map_err(one)?;
    let all = renderer.jobs();
    let own: Vec<Job> = all.iter().copied().filter(|j| j.org().is_none()).collect();
    let sink = |f: OutputFile| staging.write(f);
    let (mut links, mut paths, mut diags) = renderer.render_jobs_to(&own, on_page, &sink);
    for f in renderer.extras(&all) {
        paths.push(f.path.clone());
        sink(f).map_err(one)?;
    }
    for (rel, from) in read.files {
        let bytes = std::fs::read(&from).map_err(|e| {
            one(Diagnostic::error(format!(
                "cannot read {}: {e}",
                from.display()
            )))
        })?;
        let f = OutputFile { path: rel, bytes };
        links.extend(output::PageLinks::of(&f));
        paths.push(f.path.clone());
        sink(f).map_err(one)?;
        on_page();
    }
    for f in zhize_search::static_index::build(&analyzer(root, &site), &docs) {
        paths.push(f.path.clone());
        sink(f).map_err(one)?;
    }
    let again = |_: &str| None;
    for b in output::check_page_links(&links, paths.iter().map(String::as_str), &again) {
        diags.push(Diagnostic::warning(format!("broken link: {b}")));
    }
    if diags.has_errors() {
        return Err(diags);
    }
    staging.commit().map_err(one)?;
    Ok(report(paths, diags, site, start))
}
