//! The evaluation corpus of issue 18 (`tests/import/corpus/`): every document imported, its
//! counts per kind compared with its expect file, and the figure **structure recognised**
//! = Σ_kind want·(1 − min(1, |got − want| / want)) / Σ_kind want, printed for dev and for
//! holdout. Run it alone to see the table:
//!
//! ```sh
//! cargo test --test testsuite import::corpus -- --nocapture
//! ```

use crate::common::repo;
use std::path::{Path, PathBuf};
use zhize::import::{import_file, ImportOptions};
use zhize::model::{DeptFile, OrgFile};

/// The count keys of an expect file, with the name the import report gives each kind.
const KINDS: &[(&str, &str)] = &[
    ("org_duties", "organisation duties"),
    ("staffing", "staffing items"),
    ("plaques", "plaques"),
    ("departments", "departments"),
    ("duties", "duties"),
    ("posts", "posts"),
    ("division", "division items"),
    ("risks", "risks"),
    ("controls", "controls"),
    ("powers", "powers"),
    ("procedures", "procedures"),
    ("steps", "steps"),
    ("forms", "forms"),
    ("pages", "pages"),
];

#[derive(Debug, serde::Deserialize)]
struct Expect {
    org: Option<String>,
    units: Option<u32>,
    dept_names: Vec<String>,
    #[serde(flatten)]
    counts: std::collections::BTreeMap<String, serde_yaml::Value>,
}

/// What one document gave.
pub struct Got {
    pub counts: Vec<(&'static str, usize)>,
    pub org: Option<String>,
    pub units: Option<u32>,
    pub dept_names: Vec<String>,
}

pub fn documents(part: &str) -> Vec<(PathBuf, PathBuf)> {
    let dir = repo().join("tests/import/corpus").join(part);
    let mut out = Vec::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for p in &names {
        let n = p.file_name().unwrap().to_string_lossy().into_owned();
        if let Some(stem) = n.strip_suffix(".expect.yaml") {
            let doc = names
                .iter()
                .find(|d| {
                    let dn = d.file_name().unwrap().to_string_lossy();
                    dn.starts_with(&format!("{stem}.")) && !dn.ends_with(".expect.yaml")
                })
                .unwrap_or_else(|| panic!("no document for {n}"))
                .clone();
            out.push((doc, p.clone()));
        }
    }
    out
}

pub fn import(doc: &Path) -> Got {
    let opts = ImportOptions {
        output: PathBuf::from("unused"),
        org: None,
        dry_run: true,
        force: false,
        reading: None,
    };
    let r = import_file(doc, &opts).unwrap_or_else(|e| {
        panic!(
            "{}: {}",
            doc.display(),
            e.render(false, zhize::diagnostic::Lang::En)
        )
    });
    let stem = doc.file_stem().unwrap().to_string_lossy().into_owned();
    let mut org = None;
    let mut units = None;
    let mut dept_names = Vec::new();
    for (path, text) in &r.files {
        let name = path.file_name().unwrap().to_string_lossy();
        if name == "_org.yaml" {
            let o: OrgFile = serde_yaml::from_str(text).unwrap();
            // Named after the file: the document does not name its organisation.
            org = (o.name != stem).then_some(o.name);
            units = o.units;
        } else if name.ends_with(".yaml") {
            let d: DeptFile = serde_yaml::from_str(text).unwrap();
            dept_names.push(d.name);
        }
    }
    Got {
        counts: r.counts.clone(),
        org,
        units,
        dept_names,
    }
}

/// Scores of one part of the corpus: the figure, per kind (Σ want·score, Σ want), the lines
/// of the table, and how many documents had their organisation and department names right.
struct Evaluation {
    figure: f64,
    per_kind: Vec<(String, f64, f64)>,
    table: Vec<String>,
    orgs: usize,
    names: usize,
    docs: usize,
}

fn evaluate(part: &str) -> Evaluation {
    let mut total = (0.0, 0.0);
    let mut per_kind: Vec<(String, f64, f64)> = KINDS
        .iter()
        .map(|(k, _)| (k.to_string(), 0.0, 0.0))
        .collect();
    let mut table = Vec::new();
    let (mut orgs, mut names, mut docs) = (0, 0, 0);
    for (doc, expect) in documents(part) {
        let want: Expect =
            serde_yaml::from_str(&std::fs::read_to_string(&expect).unwrap()).unwrap();
        let got = import(&doc);
        docs += 1;
        let mut line = format!("{:<42}", doc.file_name().unwrap().to_string_lossy());
        let (mut w, mut s) = (0.0, 0.0);
        for (k, (key, label)) in KINDS.iter().enumerate() {
            let want_n = want
                .counts
                .get(*key)
                .and_then(serde_yaml::Value::as_u64)
                .unwrap_or(0) as f64;
            let got_n = got
                .counts
                .iter()
                .find(|(l, _)| l == label)
                .map_or(0, |(_, n)| *n) as f64;
            if want_n > 0.0 {
                let score = (1.0 - ((got_n - want_n).abs() / want_n).min(1.0)).max(0.0);
                w += want_n;
                s += want_n * score;
                per_kind[k].1 += want_n * score;
                per_kind[k].2 += want_n;
            }
            if got_n != want_n {
                let fp = if want_n == 0.0 {
                    " (false positive)"
                } else {
                    ""
                };
                line.push_str(&format!(" {key} {got_n}/{want_n}{fp}"));
            }
        }
        total.0 += s;
        total.1 += w;
        let org_ok = got.org == want.org;
        let names_ok = got.dept_names == want.dept_names;
        orgs += usize::from(org_ok);
        names += usize::from(names_ok);
        if !org_ok {
            line.push_str(&format!(" | org {:?} ≠ {:?}", got.org, want.org));
        }
        if got.units != want.units {
            line.push_str(&format!(" | units {:?} ≠ {:?}", got.units, want.units));
        }
        if !names_ok {
            line.push_str(&format!(" | names {:?}", got.dept_names));
        }
        table.push(format!("{:.2} {line}", if w > 0.0 { s / w } else { 1.0 }));
    }
    Evaluation {
        figure: total.0 / total.1,
        per_kind,
        table,
        orgs,
        names,
        docs,
    }
}

fn report(part: &str) -> f64 {
    let Evaluation {
        figure,
        per_kind,
        table,
        orgs,
        names,
        docs,
    } = evaluate(part);
    println!("\n== {part}: structure recognised {figure:.3}");
    println!(
        "   per kind: {}",
        per_kind
            .iter()
            .filter(|(_, _, w)| *w > 0.0)
            .map(|(k, s, w)| format!("{k} {:.2}", s / w))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "   organisation named right: {orgs}/{docs}; department names all right: {names}/{docs}"
    );
    for l in table {
        println!("   {l}");
    }
    figure
}

#[test]
fn structure_recognised_on_the_corpus() {
    let dev = report("dev");
    let holdout = report("holdout");
    println!("\nstructure recognised: dev {dev:.3}, holdout {holdout:.3}");
    assert!(dev >= 0.9, "dev figure {dev:.3}");
    assert!(holdout >= 0.8, "holdout figure {holdout:.3}");
}
