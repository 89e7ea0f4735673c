//! Everyday questions (tests/search/everyday*.json): newcomers', citizens' and companies'
//! questions in their own words, graded by organisation and department, with the plain
//! bigram grep of scripts/grep-baseline.py as the floor. `cargo test --test testsuite
//! search::everyday -- --nocapture` prints the figures and every miss.

use super::index::{demo, unseen, SiteIndex};
use crate::common::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(serde::Deserialize)]
struct Case {
    q: String,
    /// (organisation folder, department name) pairs, any of which is a right answer.
    expect: Vec<(String, String)>,
    #[serde(default)]
    tags: Vec<String>,
}

/// Recall at 1 and 5 over a set, and the questions missed at 5 with what came instead.
pub struct Figures {
    pub at1: f64,
    pub at5: f64,
    /// The plain bigram grep's recall at 1 and 5 on the same set (tests/search/baseline.rs).
    pub grep1: f64,
    pub grep5: f64,
    pub n: usize,
    pub misses: Vec<String>,
    /// Recall@5 per tag.
    pub by_tag: Vec<(String, f64, usize)>,
}

fn org_names(root: &Path) -> HashMap<String, String> {
    let site = zhize::resolve_site(root);
    site.orgs
        .iter()
        .map(|o| (o.raw.name.clone(), o.folder_name.clone()))
        .collect()
}

/// The figures of the question sets `sets` over the site at `root`, searched with `index`.
pub fn evaluate(root: &Path, index: &SiteIndex, sets: &[PathBuf]) -> Figures {
    let mut cases: Vec<Case> = Vec::new();
    for set in sets {
        let text = std::fs::read_to_string(set).unwrap();
        cases.extend(serde_json::from_str::<Vec<Case>>(&text).unwrap());
    }
    assert!(!cases.is_empty(), "no questions in {sets:?}");
    let folders = org_names(root);
    let depts = super::baseline::departments(root);
    let (mut grep1, mut grep5) = (0.0, 0.0);
    let (mut at1, mut at5) = (0, 0);
    let mut misses = Vec::new();
    let mut tags: HashMap<String, (usize, usize)> = HashMap::new();
    for c in &cases {
        let wanted =
            |d: &super::baseline::Dept| c.expect.iter().any(|(o, n)| *o == d.org && *n == d.name);
        grep1 += super::baseline::hit_at(&depts, &c.q, &wanted, 1);
        grep5 += super::baseline::hit_at(&depts, &c.q, &wanted, 5);
        let all = index.search(&c.q, 30);
        let hits: Vec<zhize::search::Hit> = all.iter().take(5).cloned().collect();
        let right = |h: &zhize::search::Hit| {
            let folder = folders.get(&h.org).map(String::as_str).unwrap_or("");
            c.expect
                .iter()
                .any(|(o, d)| o == folder && *d == h.department)
        };
        let first = hits.first().is_some_and(right);
        let any = hits.iter().any(right);
        at1 += first as usize;
        at5 += any as usize;
        for t in &c.tags {
            let e = tags.entry(t.clone()).or_default();
            e.0 += any as usize;
            e.1 += 1;
        }
        if !any {
            let rank = all
                .iter()
                .position(right)
                .map_or("-".to_string(), |r| (r + 1).to_string());
            misses.push(format!(
                "{}  (right at {rank}) want {:?}\n    got {:?}",
                c.q,
                c.expect,
                hits.iter()
                    .map(|h| format!(
                        "{} · {} · {}",
                        folders.get(&h.org).map_or("-", |s| s),
                        h.department,
                        h.title
                    ))
                    .collect::<Vec<_>>()
            ));
        }
    }
    let n = cases.len();
    let mut by_tag: Vec<(String, f64, usize)> = tags
        .into_iter()
        .map(|(t, (hit, all))| (t, hit as f64 / all as f64, all))
        .collect();
    by_tag.sort_by(|a, b| a.0.cmp(&b.0));
    Figures {
        at1: at1 as f64 / n as f64,
        at5: at5 as f64 / n as f64,
        grep1: grep1 / n as f64,
        grep5: grep5 / n as f64,
        n,
        misses,
        by_tag,
    }
}

fn report(name: &str, root: &Path, index: &SiteIndex, sets: &[PathBuf]) -> Figures {
    let f = evaluate(root, index, sets);
    println!(
        "{name}: recall@1 {:.3}, recall@5 {:.3} over {} questions (bigram grep: recall@1 {:.3}, recall@5 {:.3})",
        f.at1, f.at5, f.n, f.grep1, f.grep5
    );
    for (t, r, n) in &f.by_tag {
        println!("    {t:<16} recall@5 {r:.2} ({n})");
    }
    for m in &f.misses {
        println!("  miss: {m}");
    }
    f
}

#[test]
fn everyday_questions_find_their_organisation_and_department() {
    let f = report(
        "everyday.json",
        &repo(),
        demo(),
        &[repo().join("tests/search/everyday.json")],
    );
    // Floors at what the search reaches now, so that a change that loses questions fails;
    // raised as it improves (issue 20 aims at recall@5 0.85 and recall@1 0.6). The set is
    // only worth its figures while the grep stays below 0.5.
    assert!(f.at5 >= 0.85 && f.at1 >= 0.63, "recall fell");
    assert!(
        f.grep5 < 0.5,
        "the set has become too easy: grep recall@5 {}",
        f.grep5
    );
    assert!(f.at5 > f.grep5 + 0.25, "no better than grep");
}

/// The questions kept aside while the thesaurus and ranking were written: the figure that
/// says whether the work generalises.
#[test]
fn questions_kept_aside_find_their_organisation_and_department() {
    let f = report(
        "everyday-holdout.json",
        &repo(),
        demo(),
        &[repo().join("tests/search/everyday-holdout.json")],
    );
    assert!(f.at5 >= 0.70 && f.at1 >= 0.50, "recall fell");
    assert!(
        f.grep5 < 0.5,
        "the set has become too easy: grep recall@5 {}",
        f.grep5
    );
    assert!(f.at5 > f.grep5, "no better than grep");
}

/// The question files of `tests/search/unseen` whose names end with `suffix`.
pub fn unseen_sets(suffix: &str) -> Vec<PathBuf> {
    let dir = repo().join(super::UNSEEN);
    let mut sets: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    sets.sort();
    sets
}

/// Organisations of kinds the demo does not have (a district 人社局, a county 市场监管局, a
/// 街道办事处, a city 卫健委, a county 教育局, a city 住建局), written with their questions after
/// the thesaurus and ranking were: how search does on a bureau's lists it has never seen.
#[test]
fn questions_about_organisations_search_was_not_tuned_on() {
    let root = repo().join(super::UNSEEN);
    let f = report("unseen dev", &root, unseen(), &unseen_sets("-dev.json"));
    assert!(
        f.grep5 < 0.5,
        "the set has become too easy: grep {}",
        f.grep5
    );
    // Floors under what search reaches now (0.700 and 0.520; 0.610 and 0.475 with the search
    // of the day the first four organisations were written), raised as it improves.
    assert!(f.at5 >= 0.66 && f.at1 >= 0.49, "recall fell");
    assert!(f.at5 > f.grep5 + 0.15, "not clearly better than grep");
}

#[test]
fn questions_kept_aside_about_organisations_search_was_not_tuned_on() {
    let root = repo().join(super::UNSEEN);
    let f = report(
        "unseen holdout",
        &root,
        unseen(),
        &unseen_sets("-holdout.json"),
    );
    assert!(
        f.grep5 < 0.5,
        "the set has become too easy: grep {}",
        f.grep5
    );
    // 0.690 and 0.590 now (0.610 and 0.510 with the search of the day the first four
    // organisations were written).
    assert!(f.at5 >= 0.65 && f.at1 >= 0.55, "recall fell");
    assert!(f.at5 > f.grep5, "no better than grep");
}
