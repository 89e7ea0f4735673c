//! Search quality over the seeds' content: an evaluation set of "who handles" questions,
//! traditional/simplified folding, pinyin, substrings of duties, and the command line.

use crate::common::*;
use std::sync::OnceLock;
use zhize::search::{Analyzer, Hit, Searcher};

/// A site's tantivy index, made in a temporary folder, with its analyser.
pub struct SiteIndex {
    searcher: Searcher,
    analyzer: Analyzer,
    /// Holds the index's folder for as long as the index is used.
    _dir: tempfile::TempDir,
}

impl SiteIndex {
    fn of(root: &std::path::Path) -> SiteIndex {
        let site = zhize::check(root);
        assert!(!site.diagnostics.has_errors(), "{:?}", site.diagnostics);
        let analyzer = zhize::search_docs::analyzer_for(&site);
        let docs =
            zhize::search_docs::documents(&site, &analyzer, zhize::search_docs::PageText::Whole);
        let dir = tempfile::tempdir().unwrap();
        let idx = dir.path().join("index");
        zhize::search::index::write_index(&idx, &analyzer, &docs, "test").unwrap();
        SiteIndex {
            searcher: Searcher::open(&idx).unwrap(),
            analyzer,
            _dir: dir,
        }
    }

    pub fn search(&self, q: &str, limit: usize) -> Vec<Hit> {
        self.searcher.search(&self.analyzer, q, limit).unwrap()
    }
}

/// The demonstration site, indexed once for all tests.
pub fn demo() -> &'static SiteIndex {
    static INDEX: OnceLock<SiteIndex> = OnceLock::new();
    INDEX.get_or_init(|| SiteIndex::of(&repo()))
}

/// `tests/search/unseen`: organisations written after the thesaurus and ranking, indexed once.
pub fn unseen() -> &'static SiteIndex {
    static INDEX: OnceLock<SiteIndex> = OnceLock::new();
    INDEX.get_or_init(|| SiteIndex::of(&repo().join(super::UNSEEN)))
}

pub fn search(q: &str, limit: usize) -> Vec<Hit> {
    demo().search(q, limit)
}

#[derive(serde::Deserialize)]
struct Case {
    q: String,
    expect: Vec<String>,
}

pub fn eval_cases() -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string(repo().join("tests/search/eval.json")).unwrap();
    let cases: Vec<Case> = serde_json::from_str(&text).unwrap();
    cases.into_iter().map(|c| (c.q, c.expect)).collect()
}

#[test]
fn recall_at_5_on_who_handles_questions_is_at_least_95_percent() {
    let cases = eval_cases();
    assert!(
        cases.len() >= 60,
        "the evaluation set needs at least 60 questions"
    );
    let mut misses = Vec::new();
    let depts = super::baseline::departments(&repo());
    let mut grep = 0.0;
    for (q, expect) in &cases {
        grep += super::baseline::hit_at(&depts, q, &|d| expect.contains(&d.name), 5);
        let hits = search(q, 5);
        if !hits.iter().any(|h| expect.contains(&h.department)) {
            misses.push(format!(
                "{q}: got {:?}",
                hits.iter()
                    .map(|h| format!("{}/{}", h.department, h.title))
                    .collect::<Vec<_>>()
            ));
        }
    }
    let recall = 1.0 - misses.len() as f64 / cases.len() as f64;
    println!(
        "recall@5 = {recall:.3} over {} keyword questions, graded by department name (bigram grep: {:.3})",
        cases.len(),
        grep / cases.len() as f64
    );
    assert!(
        recall >= 0.95,
        "recall@5 {recall:.3}; misses:\n{}",
        misses.join("\n")
    );
}

#[test]
fn traditional_and_simplified_match_both_ways() {
    // A traditional query finds simplified text …
    let hits = search("職稱評審", 5);
    assert!(
        hits.iter().any(|h| h.title.contains("职称评审")),
        "{hits:?}"
    );
    // … and a simplified query finds the traditional articles.
    let hits = search("质量振兴", 10);
    assert!(
        hits.iter()
            .any(|h| h.kind == "page" && h.snippet.contains("質量振興")),
        "{hits:?}"
    );
}

#[test]
fn pinyin_finds_names() {
    let hits = search("yinzhang", 5);
    assert!(
        !hits.is_empty()
            && hits
                .iter()
                .all(|h| h.title.contains("印章") || h.title.contains("印鉴")),
        "{hits:?}"
    );
    let hits = search("yz", 20);
    assert!(
        hits.iter().any(|h| h.title.contains("印章")),
        "initials: {hits:?}"
    );
}

#[test]
fn question_words_are_stripped() {
    let plain = search("印章", 5);
    let asked = search("谁负责印章?", 5);
    assert_eq!(
        plain.iter().map(|h| &h.url).collect::<Vec<_>>(),
        asked.iter().map(|h| &h.url).collect::<Vec<_>>()
    );
}

#[test]
fn any_two_to_four_character_substring_of_a_duty_finds_that_duty() {
    let site = zhize::check(&repo());
    let mut checked = 0;
    let mut failures = Vec::new();
    for (q, url) in crate::common::duty_substrings(&site) {
        checked += 1;
        if !search(&q, 5000).iter().any(|h| h.url == url) {
            failures.push(format!("{q} → {url}"));
        }
    }
    assert!(checked > 200, "only {checked} substrings checked");
    assert!(
        failures.is_empty(),
        "{} of {checked} substrings did not find their duty:\n{}",
        failures.len(),
        failures
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn search_command_prints_json_hits_and_builds_a_missing_index() {
    let site = mini_site();
    let root = site.path().to_str().unwrap();
    let o = zhize(&[
        "search",
        "--root",
        root,
        "--json",
        "--limit",
        "3",
        "谁负责印章",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        site.path().join(".zhize/index").is_dir(),
        "the index is built when missing"
    );
    let hits: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let first = &hits[0];
    for key in [
        "kind",
        "title",
        "url",
        "org",
        "department",
        "snippet",
        "score",
    ] {
        assert!(first.get(key).is_some(), "missing {key}: {first}");
    }
    assert_eq!(first["department"], "办公室");
    assert!(hits.as_array().unwrap().len() <= 3);
    // A change to the content makes the index stale: it is rebuilt.
    let dept = site.path().join("content/shiju/caiwu.yaml");
    let text = std::fs::read_to_string(&dept).unwrap();
    std::fs::write(
        &dept,
        text.replace("细化职责:\n", "细化职责:\n  - 负责银行账户管理。\n"),
    )
    .unwrap();
    let o = zhize(&["search", "--root", root, "--json", "银行账户"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let hits: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(hits[0]["department"], "财务审计科", "{hits}");
    // Plain output names the kind and who handles it.
    let o = zhize(&["search", "--root", root, "印章"]);
    assert!(stdout(&o).contains("办公室"), "{}", stdout(&o));
}

#[test]
fn a_reader_that_stops_early_ends_the_command_quietly() {
    // `zhize search … | head -n 1`: the reader goes away before zhize writes; zhize must end
    // with success and no panic (exit 101), like other command-line tools.
    let site = mini_site();
    let root = site.path().to_str().unwrap();
    for args in [
        vec!["search", "--root", root, "--limit", "50", "科"],
        vec!["stats", "--root", root],
    ] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_zhize"))
            .args(&args)
            .env("NO_COLOR", "1")
            .env("ZHIZE_LANG", "en")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        let err = stderr(&o);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(o.status.code(), Some(0), "{args:?}: {err}");
    }
}

#[test]
fn procedures_named_without_steps_rank_below_complete_answers() {
    // One department's document names 档案借阅工作流程 without its steps; another department's
    // duty says who handles 档案借阅. The duty answers the question; the empty page does not.
    let site = mini_site();
    let root = site.path();
    std::fs::write(
        root.join("content/shiju/caiwu.yaml"),
        "name: 财务审计科\nduties:\n  - 负责预决算编制。\nprocedures:\n  - name: 档案借阅工作流程\n",
    )
    .unwrap();
    std::fs::write(
        root.join("content/shiju/dangan.yaml"),
        "name: 档案科\nduties:\n  - 档案借阅工作。\n",
    )
    .unwrap();
    let o = zhize(&[
        "search",
        "--root",
        root.to_str().unwrap(),
        "--json",
        "档案借阅工作",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let hits: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let hits = hits.as_array().unwrap();
    let at = |t: &str| {
        hits.iter()
            .position(|h| h["title"].as_str().unwrap().contains(t))
    };
    let (duty, empty) = (at("档案借阅工作。"), at("档案借阅工作流程"));
    assert!(
        duty.is_some() && empty.is_some() && duty < empty,
        "the duty first, the empty procedure still found: {hits:#?}"
    );
}
