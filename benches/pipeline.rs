//! Benchmarks of the hot paths: importing the seeds, loading and resolving the demonstration
//! content, and rendering it. Run with `cargo bench`; compare medians.

use criterion::{criterion_group, criterion_main, Criterion};
use std::path::{Path, PathBuf};

fn seeds() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
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
        eprintln!("seeds not found beside the repository; skipping the import benchmark");
        return;
    }
    let opts = zhize::import::ImportOptions {
        output: PathBuf::from("unused"),
        org: Some("bench".into()),
        dry_run: true,
        force: false,
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

/// Load and resolve the demonstration content (what `zhize check` does before rendering).
fn load_and_resolve(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    c.bench_function("load + resolve demo content", |b| {
        b.iter(|| std::hint::black_box(zhize::check(root).orgs.len()))
    });
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

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = import_seeds, load_and_resolve, render
}
criterion_main!(benches);
