//! Benchmarks of the hot paths: importing the seeds, loading and resolving the demonstration
//! content, linking mentions, rendering it, flowcharts, tokenising and both search indexes.
//! Run with `cargo bench`; compare medians.

use criterion::{criterion_group, criterion_main, Criterion};
use std::path::{Path, PathBuf};

fn seeds() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/seeds");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

/// All five seeds: read, recognise, parse and serialise to YAML (nothing written).
fn import_seeds(c: &mut Criterion) {
    let files = seeds();
    if files.is_empty() {
        eprintln!("tests/seeds is empty; skipping the import benchmark");
        return;
    }
    let opts = zhize::import::ImportOptions {
        output: PathBuf::from("unused"),
        org: Some("bench".into()),
        dry_run: true,
        force: false,
        reading: None,
    };
    c.bench_function("import all five seeds", |b| {
        b.iter(|| {
            for f in &files {
                let r = zhize::import::import_file(f, &opts).expect("seed imports");
                std::hint::black_box(r.files.len());
            }
        })
    });
}

/// The import evaluation corpus (dev/, 34 documents of every shape and format): read,
/// recognised block by block and serialised, one document after the other. Divide the
/// median by 34 for the time per document (budget: 50 ms).
fn import_dev_corpus(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/import/corpus/dev");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| !p.to_string_lossy().ends_with(".expect.yaml"));
    files.sort();
    if files.is_empty() {
        return;
    }
    let opts = zhize::import::ImportOptions {
        output: PathBuf::from("unused"),
        org: None,
        dry_run: true,
        force: false,
        reading: None,
    };
    c.bench_function("import dev corpus (34 documents)", |b| {
        b.iter(|| {
            for f in &files {
                let r = zhize::import::import_file(f, &opts).expect("corpus document imports");
                std::hint::black_box(r.files.len());
            }
        })
    });
}

/// Load and resolve the demonstration content (what `zhize check` does before rendering).
fn load_and_resolve(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    c.bench_function("load + resolve demo content", |b| {
        b.iter(|| std::hint::black_box(zhize::check(root).orgs.len()))
    });
}

/// Resolve the demonstration content once loaded: names, mentions, links, the boundary
/// checks (a copy of the loaded content is made outside the timing).
fn resolve(c: &mut Criterion) {
    let loaded = zhize::load::load_site(Path::new(env!("CARGO_MANIFEST_DIR")));
    let copy = || zhize::load::Loaded {
        root: loaded.root.clone(),
        config: loaded.config.clone(),
        orgs: loaded.orgs.clone(),
        pages: loaded.pages.clone(),
        sources: loaded.sources.clone(),
        diagnostics: loaded.diagnostics.clone(),
        theme: loaded.theme.clone(),
        updated: loaded.updated.clone(),
        ..Default::default()
    };
    c.bench_function("resolve demo content", |b| {
        b.iter_batched(
            copy,
            |l| std::hint::black_box(zhize::resolve::resolve(l).orgs.len()),
            criterion::BatchSize::LargeInput,
        )
    });
}

/// Join the demonstration content's organisation builds into one site (`zhize merge`): the
/// shared pages, the static search index from every part's documents, the link check and
/// the swap. The parts are built once, outside the timing.
fn merge(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().expect("temporary folder");
    let site = zhize::check(root);
    let parts: Vec<PathBuf> = site
        .orgs
        .iter()
        .map(|o| {
            let out = tmp.path().join(&o.folder_name);
            zhize::parts::build_org(root, &out, &o.folder_name, &|| {}).expect("part builds");
            out
        })
        .collect();
    let output = tmp.path().join("site");
    c.bench_function("merge the demo's organisation builds", |b| {
        b.iter(|| {
            let r = zhize::parts::merge(root, &output, &parts, &|| {}).expect("merges");
            std::hint::black_box(r.files)
        })
    });
}

/// Load the demonstration content: walk content/, decode, record node positions, parse YAML
/// and front matter (no resolving).
fn load_yaml(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    c.bench_function("load demo content (YAML)", |b| {
        b.iter(|| std::hint::black_box(zhize::load::load_site(root).orgs.len()))
    });
}

/// Find mentions of known names in every text of the demonstration content: one
/// Aho-Corasick automaton per organisation (and one site-wide) over all its names.
fn mention_linking(c: &mut Criterion) {
    use zhize::resolve::{Site, Target};
    let site = zhize::check(Path::new(env!("CARGO_MANIFEST_DIR")));
    let texts: Vec<(Option<usize>, String)> = site
        .texts()
        .iter()
        .map(|t| {
            let org = Site::org_of(t.on).or_else(|| match t.on {
                Target::Page(p) => site.pages[p].org,
                _ => None,
            });
            (org, t.text.to_string())
        })
        .collect();
    let bytes: usize = texts.iter().map(|(_, t)| t.len()).sum();
    c.bench_function(
        &format!(
            "mention linking: {} texts, {} KB",
            texts.len(),
            bytes / 1024
        ),
        |b| {
            b.iter(|| {
                texts
                    .iter()
                    .map(|(org, t)| site.linker(*org).find(t).len())
                    .sum::<usize>()
            })
        },
    );
}

/// Render every page of the demonstration content in memory.
fn render(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = zhize::check(root);
    c.bench_function("render demo content", |b| {
        b.iter(|| {
            let (files, _) = zhize::render_site(&site, &|| {}).expect("renders");
            std::hint::black_box(files.len())
        })
    });
}

/// A 30-step procedure with loops, a decision every fifth step and 会签, drawn to SVG.
fn chart_30_steps(c: &mut Criterion) {
    use zhize::flowchart::{Chart, StepIn};
    let actors = ["办公室", "分管领导", "财务审计科", "政工科", "主要负责人"];
    let steps: Vec<StepIn> = (0..30)
        .map(|i| StepIn {
            label: None,
            text: Some(format!(
                "第{i}步：审核材料是否齐全，符合要求的报送下一环节办理"
            )),
            actor: Some((actors[i % actors.len()].to_string(), None)),
            parallel: if i % 7 == 3 {
                vec![("政工科".to_string(), None)]
            } else {
                vec![]
            },
            limit: (i % 3 == 0).then(|| "3个工作日".to_string()),
            branches: if i % 5 == 4 {
                vec![(
                    "材料不全".to_string(),
                    Some("退回".to_string()),
                    Some(i - 3),
                )]
            } else {
                vec![]
            },
        })
        .collect();
    let chart = Chart::from_steps("三十步流程", ("办公室", None), &steps);
    c.bench_function("flowchart: 30-step procedure", |b| {
        b.iter(|| std::hint::black_box(zhize::flowchart::render(&chart, "c").len()))
    });
}

/// Every procedure chart of the demonstration content (seed 000's 89 procedures).
fn all_demo_charts(c: &mut Criterion) {
    use zhize::flowchart::Chart;
    let site = zhize::check(Path::new(env!("CARGO_MANIFEST_DIR")));
    let charts: Vec<Chart> = site
        .orgs
        .iter()
        .flat_map(|o| o.depts.iter())
        .flat_map(|d| {
            d.raw
                .procedures
                .iter()
                .zip(&d.procedures)
                .filter(|(p, _)| p.steps.len() >= 2)
                .map(move |(p, pr)| {
                    let steps = zhize::chart::steps_of(p, pr, &|t| t.to_string(), &|_| None);
                    Chart::from_steps(&p.name, (&d.raw.name, None), &steps)
                })
        })
        .collect();
    c.bench_function(
        &format!("flowchart: all {} demo charts", charts.len()),
        |b| {
            b.iter(|| {
                charts
                    .iter()
                    .map(|ch| zhize::flowchart::render(ch, "c").len())
                    .sum::<usize>()
            })
        },
    );
}

/// A site of about 1,000 departments (100 organisations from `examples/gen.rs`), made once
/// into target/bench-sites/.
fn thousand_departments() -> Option<PathBuf> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = manifest.join("target/bench-sites/gen-100");
    if !dir.join("zhize.yaml").exists() {
        let _ = std::fs::remove_dir_all(&dir);
        let status = std::process::Command::new(env!("CARGO"))
            .current_dir(manifest)
            .args(["run", "--release", "-q", "--example", "gen", "--", "100"])
            .arg(&dir)
            .stdout(std::process::Stdio::null())
            .status();
        if !status.is_ok_and(|s| s.success()) {
            eprintln!("could not generate the 1,000-department site; skipping");
            return None;
        }
    }
    Some(dir)
}

/// `zhize serve` after an edit to one department's duties on a site of 1,000 departments:
/// load and resolve everything again, then render only the pages that depend on it.
fn incremental_rebuild(c: &mut Criterion) {
    let Some(root) = thousand_departments() else {
        return;
    };
    let (mut built, _) = zhize::serve::state::full(&root).expect("the generated site builds");
    let dept = &built.site.orgs[7].depts[3];
    let file = root.join(&built.site.sources.get(dept.file).path);
    let original = std::fs::read_to_string(&file).expect("department file");
    let first_duty = dept.raw.duties[0].text().to_string();
    let edited = original.replacen(&first_duty, &format!("{first_duty}（已修改）"), 1);
    assert_ne!(original, edited, "the edit changes the file");
    let mut flip = false;
    let mut rendered = Vec::new();
    c.bench_function(
        "rebuild after editing one department (1,000 departments)",
        |b| {
            // Timed: from the edit on disk to the new site ready to serve. The build before is
            // dropped after that, as `zhize serve` drops it once the new one is served.
            b.iter_custom(|iters| {
                let mut spent = std::time::Duration::ZERO;
                for _ in 0..iters {
                    flip = !flip;
                    std::fs::write(&file, if flip { &edited } else { &original }).expect("write");
                    let start = std::time::Instant::now();
                    let (next, outcome) =
                        zhize::serve::state::update(&built, &root, false).expect("rebuilds");
                    spent += start.elapsed();
                    rendered.push(outcome.rendered);
                    built = next;
                }
                spent
            })
        },
    );
    std::fs::write(&file, &original).expect("restore");
    rendered.sort_unstable();
    eprintln!(
        "pages rendered per rebuild: median {} of {}",
        rendered.get(rendered.len() / 2).copied().unwrap_or(0),
        built.files.keys().filter(|p| p.ends_with(".html")).count()
    );
}

/// The search side of a build on the demonstration content: tokenising every search
/// document (normalise, then bigrams and words), the static index the browser loads, and the
/// tantivy index of `zhize search` (written to a temporary folder).
fn search_indexes(c: &mut Criterion) {
    use zhize::search::{analyzer::for_each_token, rank, static_index};
    let site = zhize::resolve_site(Path::new(env!("CARGO_MANIFEST_DIR")));
    let analyzer = zhize::search_docs::analyzer_for(&site);
    let docs = zhize::search_docs::documents(&site, &analyzer, zhize::search_docs::PageText::Whole);
    c.bench_function("tokenise demo search documents", |b| {
        b.iter(|| {
            let mut tokens = 0usize;
            for d in docs.iter() {
                for (text, _) in rank::fields(d) {
                    for_each_token(&analyzer.normalize(text), |_, _| tokens += 1);
                }
            }
            std::hint::black_box(tokens)
        })
    });
    c.bench_function("static index of demo content", |b| {
        b.iter(|| std::hint::black_box(static_index::build(&analyzer, &docs).len()))
    });
    let dir = tempfile::tempdir().expect("temporary folder");
    let index = dir.path().join("index");
    c.bench_function("tantivy index of demo content", |b| {
        b.iter(|| {
            zhize::search::index::write_index(&index, &analyzer, &docs, "bench").expect("index")
        })
    });
}

/// A site of one organisation with a 权责清单 of 320 power items (`examples/gen.rs --powers`),
/// made once into target/bench-sites/.
fn power_list_site() -> Option<PathBuf> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = manifest.join("target/bench-sites/gen-1-powers-320");
    if !dir.join("zhize.yaml").exists() {
        let _ = std::fs::remove_dir_all(&dir);
        let status = std::process::Command::new(env!("CARGO"))
            .current_dir(manifest)
            .args(["run", "--release", "-q", "--example", "gen", "--", "1"])
            .arg(&dir)
            .args(["--powers", "320"])
            .stdout(std::process::Stdio::null())
            .status();
        if !status.is_ok_and(|s| s.success()) {
            eprintln!("could not generate the power-list site; skipping");
            return None;
        }
    }
    Some(dir)
}

/// The 权责清单 view of 320 items: one page render (budget: under 100 ms).
fn power_list_view(c: &mut Criterion) {
    let Some(root) = power_list_site() else {
        return;
    };
    let site = zhize::resolve_site(&root);
    assert!(
        !site.diagnostics.has_errors(),
        "the generated site resolves"
    );
    assert!(
        site.orgs[0].powers.len() >= 300,
        "a list of 300 items or more"
    );
    let renderer = zhize::render::Renderer::new(&site).expect("templates compile");
    let job = zhize::render::Job::OrgView(0, zhize::views::OrgPage::Powers);
    c.bench_function("render the 权责清单 view (320 power items)", |b| {
        b.iter(|| std::hint::black_box(renderer.render_job(job).expect("renders").bytes.len()))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = import_seeds, import_dev_corpus, load_yaml, resolve, load_and_resolve, mention_linking, render, chart_30_steps,
        all_demo_charts, search_indexes, merge, incremental_rebuild, power_list_view
}
criterion_main!(benches);
