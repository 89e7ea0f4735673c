//! Mention precision and recall on a labelled sample of the demo site: every row of
//! `tests/fixtures/mentions.tsv` names one place where a known name occurs in a text of the
//! site (the page's path, the section, which text of that section, the byte position in its
//! prose and the name found there) and what it truly names there (`科室 办公室`, `外部单位 …`)
//! or `none` (the name is part of another body's name: 市政府办公室, 领导小组办公室 …).
//! The rows were drawn at random from every place the names occur and labelled by reading
//! each text. The linker must link the right target (precision ≥ 0.97) and miss few true
//! mentions (recall ≥ 0.95); the figures are printed beside the plain name matcher's.

use crate::common::*;
use std::collections::HashMap;
use zhize::resolve::{prose_of, Mention, Site, Target};

/// (precision, recall) of `found` against the labels.
fn score(rows: &[(Option<String>, Option<String>)]) -> (f64, f64) {
    let (mut tp, mut fp, mut fnn) = (0.0, 0.0, 0.0);
    for (truth, got) in rows {
        match (truth, got) {
            (Some(t), Some(g)) if t == g => tp += 1.0,
            (Some(_), Some(_)) => {
                fp += 1.0;
                fnn += 1.0;
            }
            (None, Some(_)) => fp += 1.0,
            (Some(_), None) => fnn += 1.0,
            (None, None) => {}
        }
    }
    (tp / (tp + fp), tp / (tp + fnn))
}

/// The label of a target: its kind and name.
fn label(site: &Site, t: Target) -> String {
    format!("{} {}", Site::kind_label(t), site.name(t))
}

#[test]
fn linked_mentions_are_precise_on_a_labelled_sample() {
    let site = zhize::check(&repo());
    // Every text by (page, section, n-th of that section on that page).
    let mut texts: HashMap<(String, String, usize), (Option<usize>, String)> = HashMap::new();
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for t in site.texts() {
        let page = site.url(t.on);
        let n = seen
            .entry((page.clone(), t.section.to_string()))
            .or_default();
        let org = Site::org_of(t.on).or_else(|| match t.on {
            Target::Page(p) => site.pages[p].org,
            _ => None,
        });
        texts.insert((page, t.section.to_string(), *n), (org, prose_of(t.text)));
        *n += 1;
    }
    let fixture = std::fs::read_to_string(repo().join("tests/fixtures/mentions.tsv")).unwrap();
    let (mut now, mut naive) = (Vec::new(), Vec::new());
    for (ln, line) in fixture.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 6, "line {}: {line}", ln + 1);
        let key = (f[0].to_string(), f[1].to_string(), f[2].parse().unwrap());
        let (org, prose) = texts
            .get(&key)
            .unwrap_or_else(|| panic!("line {}: no text {key:?}", ln + 1));
        let at: usize = f[3].parse().unwrap();
        assert_eq!(
            prose.get(at..at + f[4].len()),
            Some(f[4]),
            "line {}: the text has changed",
            ln + 1
        );
        let truth = (f[5] != "none").then(|| f[5].to_string());
        let linker = site.linker(*org);
        let pick = |found: Vec<Mention>| {
            found
                .into_iter()
                .find(|m| m.start == at)
                .map(|m| label(&site, m.target))
        };
        now.push((truth.clone(), pick(linker.find(prose))));
        naive.push((truth, pick(linker.find_naive(prose))));
    }
    assert!(now.len() >= 300, "{} labelled mentions", now.len());
    let (p, r) = score(&now);
    let (np, nr) = score(&naive);
    println!(
        "mentions: {} labelled; linker precision {p:.3} recall {r:.3}; plain name matching precision {np:.3} recall {nr:.3}",
        now.len()
    );
    assert!(p >= 0.97, "precision {p:.3}");
    assert!(r >= 0.95, "recall {r:.3}");
}
