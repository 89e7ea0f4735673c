//! The browser's search.js and the Rust search agree: the same normalisation, tokens and
//! query terms for the shared vectors, and the same top department for the evaluation set.
//! Runs search.js in node; where node is missing the test says so and passes, unless
//! ZHIZE_BROWSER_TESTS=required.

mod common;
use common::*;
use std::process::Command;
use zhize::search::{Analyzer, Searcher};

fn node() -> Option<&'static str> {
    let ok = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var("ZHIZE_BROWSER_TESTS").as_deref() != Ok("required"),
            "node is required (ZHIZE_BROWSER_TESTS=required) but not installed"
        );
        eprintln!("node not found: skipping the search.js agreement tests");
        return None;
    }
    Some("node")
}

#[test]
fn search_js_agrees_with_the_rust_analyser_and_ranking() {
    let Some(node) = node() else { return };
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let o = zhize(&[
        "build",
        "--root",
        repo().to_str().unwrap(),
        "--output",
        public.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));

    let vectors: Vec<String> = serde_json::from_str(
        &std::fs::read_to_string(repo().join("tests/search/vectors.json")).unwrap(),
    )
    .unwrap();
    let cases: Vec<serde_json::Value> = serde_json::from_str(
        &std::fs::read_to_string(repo().join("tests/search/eval.json")).unwrap(),
    )
    .unwrap();
    let queries: Vec<String> = cases
        .iter()
        .map(|c| c["q"].as_str().unwrap().to_string())
        .collect();
    let request = out.path().join("request.json");
    std::fs::write(
        &request,
        serde_json::json!({"vectors": vectors, "queries": queries}).to_string(),
    )
    .unwrap();
    let run = Command::new(node)
        .arg(repo().join("tests/js/agree.js"))
        .arg(&public)
        .arg(&request)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let js: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();

    let site = zhize::check(&repo());
    let analyzer = Analyzer::new(&site.config.synonyms);
    for v in js["vectors"].as_array().unwrap() {
        let input = v["input"].as_str().unwrap();
        let norm = analyzer.normalize(input);
        assert_eq!(
            v["normalized"],
            serde_json::json!(norm),
            "normalised {input}"
        );
        assert_eq!(
            v["tokens"],
            serde_json::json!(analyzer.tokens(input)),
            "tokens of {input}"
        );
        assert_eq!(
            v["terms"],
            serde_json::json!(analyzer.query(input).terms),
            "query terms of {input}"
        );
    }
    assert_eq!(js["vectors"].as_array().unwrap().len(), vectors.len());

    let docs = zhize::search::documents(&site, &analyzer);
    let idx = out.path().join("index");
    zhize::search::index::write_index(&idx, &analyzer, &docs, "t").unwrap();
    let searcher = Searcher::open(&idx).unwrap();
    let mut disagree = Vec::new();
    for q in js["queries"].as_array().unwrap() {
        let text = q["q"].as_str().unwrap();
        let rust = searcher.search(&analyzer, text, 5).unwrap();
        let js_top = q["hits"]
            .get(0)
            .map(|h| h["department"].as_str().unwrap_or("").to_string());
        let rust_top = rust.first().map(|h| h.department.clone());
        if js_top != rust_top {
            disagree.push(format!(
                "{text}: browser {js_top:?}, zhize search {rust_top:?}"
            ));
        }
    }
    assert!(
        disagree.is_empty(),
        "top departments differ:\n{}",
        disagree.join("\n")
    );
}
