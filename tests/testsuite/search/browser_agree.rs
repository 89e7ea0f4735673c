//! The browser's search.js and the Rust search agree: the same normalisation, tokens and
//! query terms for the shared vectors, and the same top department for the evaluation set;
//! search.js keeps the search guarantees of tests/search.rs; and the static index stays
//! within its size budget. Runs search.js in node; where node is missing those tests say so
//! and pass, unless ZHIZE_BROWSER_TESTS=required.

use crate::common::*;
use std::path::Path;
use zhize::search::Searcher;

fn node() -> Option<&'static str> {
    find_node("the search.js agreement tests")
}

/// Run tests/js/agree.js on the site in `out` with `request`.
fn agree(node: &str, out: &Path, request: serde_json::Value) -> serde_json::Value {
    let file = out.join("request.json");
    std::fs::write(&file, request.to_string()).unwrap();
    node_json(node, "agree.js", &[&out.join("public"), &file])
}

#[test]
fn static_index_is_at_most_half_a_megabyte_gzipped_per_1000_pages() {
    use std::io::Write;
    let out = build_demo();
    let public = out.path().join("public");
    let mut pages = 0usize;
    let mut index = 0usize;
    let mut thesaurus = 0usize;
    for e in walkdir::WalkDir::new(&public) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(&public).unwrap();
        if e.path().extension().is_some_and(|x| x == "html") {
            pages += 1;
        }
        // search/*.js and search/*/*.js, each gzipped on its own, as a server sends them;
        // the thesaurus (search/th/) and the traditional → simplified table (search/s/)
        // apart: they are the same whatever the site's size.
        if rel.starts_with("search") && e.path().extension().is_some_and(|x| x == "js") {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            gz.write_all(&std::fs::read(e.path()).unwrap()).unwrap();
            let n = gz.finish().unwrap().len();
            if rel.starts_with("search/th") || rel.starts_with("search/s") {
                thesaurus += n;
            } else {
                index += n;
            }
        }
    }
    // About 57,000 everyday words; a query loads the shards of its characters only (about
    // a KB gzipped each), which the first-query budget below counts. The whole is a fixed
    // cost on disk, whatever the site's size.
    println!("thesaurus and character table: {thesaurus} bytes gzipped, in shards a query loads a few of");
    assert!(
        thesaurus <= 1_000_000,
        "the thesaurus is {thesaurus} bytes gzipped"
    );
    assert!(pages > 400, "only {pages} pages");
    let per_1000 = index * 1000 / pages;
    println!("static index: {index} bytes gzipped for {pages} pages = {per_1000} per 1,000");
    assert!(
        per_1000 <= 500_000,
        "the static index is {per_1000} bytes gzipped per 1,000 pages (budget 500,000)"
    );
    // The first query of a fresh page loads the engine, the index's metadata and the shards
    // its words need (thesaurus included): at most 60 KB gzipped for the median question,
    // keyword or everyday (longer, so more shards). Bytes, not time, so the figure does not
    // depend on the machine.
    let Some(node) = node() else { return };
    for set in ["eval.json", "everyday.json"] {
        let figures = node_json(
            node,
            "budget.js",
            &[&public, &repo().join("tests/search").join(set)],
        );
        println!("first query, {set}: {figures}");
        let cold = figures["cold_bytes_median"].as_f64().unwrap();
        assert!(
            cold <= 61_440.0,
            "a first query of {set} loads {cold} bytes gzipped"
        );
    }
}

#[test]
fn search_js_keeps_the_search_guarantees() {
    let Some(node) = node() else { return };
    let out = build_demo();
    let site = zhize::check(&repo());
    // Duties, sampled as tests/search.rs does: every 4th duty, substrings of 2 to 4 Chinese
    // characters from every 11th character.
    let probes = duty_substrings(&site);
    assert!(probes.len() > 200, "only {} substrings", probes.len());
    let mut queries: Vec<String> = probes.iter().map(|(q, _)| q.clone()).collect();
    queries.extend(["yinzhang", "yz", "職稱評審", "质量振兴"].map(String::from));
    let js = agree(
        node,
        out.path(),
        serde_json::json!({"vectors": [], "queries": [], "probes": queries}),
    );
    let hits: std::collections::HashMap<&str, &Vec<serde_json::Value>> = js["probes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["q"].as_str().unwrap(), p["hits"].as_array().unwrap()))
        .collect();
    let field = |h: &serde_json::Value, k: &str| h[k].as_str().unwrap_or("").to_string();
    let failures: Vec<String> = probes
        .iter()
        .filter(|(q, url)| !hits[q.as_str()].iter().any(|h| field(h, "url") == *url))
        .map(|(q, url)| format!("{q} → {url}"))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} substrings did not find their duty in search.js:\n{}",
        failures.len(),
        probes.len(),
        failures.join("\n")
    );
    let yinzhang = &hits["yinzhang"][..5.min(hits["yinzhang"].len())];
    assert!(
        !yinzhang.is_empty()
            && yinzhang.iter().all(|h| {
                let t = field(h, "title");
                t.contains("印章") || t.contains("印鉴")
            }),
        "{yinzhang:?}"
    );
    assert!(
        hits["yz"]
            .iter()
            .any(|h| field(h, "title").contains("印章")),
        "initials"
    );
    let trad = &hits["職稱評審"][..5.min(hits["職稱評審"].len())];
    assert!(
        trad.iter().any(|h| field(h, "title").contains("职称评审")),
        "{trad:?}"
    );
    // A simplified query finds the traditional articles.
    assert!(
        hits["质量振兴"][..10.min(hits["质量振兴"].len())]
            .iter()
            .any(|h| field(h, "kind") == "page"),
        "{:?}",
        hits["质量振兴"]
    );
}

#[test]
fn search_js_agrees_with_the_rust_analyser_and_ranking() {
    let Some(node) = node() else { return };
    let out = build_demo();

    let vectors: Vec<String> = serde_json::from_str(
        &std::fs::read_to_string(repo().join("tests/search/vectors.json")).unwrap(),
    )
    .unwrap();
    // Every question of the keyword set and of both everyday sets.
    let mut queries: Vec<String> = Vec::new();
    for set in [
        "tests/search/eval.json",
        "tests/search/everyday.json",
        "tests/search/everyday-holdout.json",
    ] {
        let cases: Vec<serde_json::Value> =
            serde_json::from_str(&std::fs::read_to_string(repo().join(set)).unwrap()).unwrap();
        queries.extend(cases.iter().map(|c| c["q"].as_str().unwrap().to_string()));
    }
    let js = agree(
        node,
        out.path(),
        serde_json::json!({"vectors": vectors, "queries": queries}),
    );

    let site = zhize::check(&repo());
    let analyzer = zhize::search_docs::analyzer_for(&site);
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
            numbers_as_floats(&v["terms"]),
            numbers_as_floats(&serde_json::json!(analyzer.query(input).terms)),
            "query terms of {input}"
        );
    }
    assert_eq!(js["vectors"].as_array().unwrap().len(), vectors.len());

    same_top_departments(&site, &analyzer, out.path(), &js);
}

/// The browser and `zhize search` give the same top department for every question of the
/// sets about organisations the search was not tuned on (tests/search/unseen).
#[test]
fn search_js_agrees_on_organisations_search_was_not_tuned_on() {
    let Some(node) = node() else { return };
    let root = repo().join(super::UNSEEN);
    let out = build_site(&root);
    let mut queries: Vec<String> = Vec::new();
    for set in &super::everyday::unseen_sets(".json") {
        let cases: Vec<serde_json::Value> =
            serde_json::from_str(&std::fs::read_to_string(set).unwrap()).unwrap();
        queries.extend(cases.iter().map(|c| c["q"].as_str().unwrap().to_string()));
    }
    assert!(queries.len() >= 200, "{} questions", queries.len());
    let js = agree(
        node,
        out.path(),
        serde_json::json!({"vectors": [], "queries": queries}),
    );
    let site = zhize::check(&root);
    let analyzer = zhize::search_docs::analyzer_for(&site);
    same_top_departments(&site, &analyzer, out.path(), &js);
}

/// Assert that search.js's answers in `js` have the top department `zhize search` gives.
fn same_top_departments(
    site: &zhize::resolve::Site,
    analyzer: &zhize::search::Analyzer,
    out: &Path,
    js: &serde_json::Value,
) {
    let docs = zhize::search_docs::documents(site, analyzer, zhize::search_docs::PageText::Whole);
    let idx = out.join("index");
    zhize::search::index::write_index(&idx, analyzer, &docs, "t").unwrap();
    let searcher = Searcher::open(&idx).unwrap();
    let mut disagree = Vec::new();
    for q in js["queries"].as_array().unwrap() {
        let text = q["q"].as_str().unwrap();
        let rust = searcher.search(analyzer, text, 5).unwrap();
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

/// A JSON value with every number as a float: JavaScript writes the weight 1.0 as `1`.
fn numbers_as_floats(v: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::Number(n) => serde_json::json!(n.as_f64().unwrap_or(0.0)),
        Value::Array(a) => Value::Array(a.iter().map(numbers_as_floats).collect()),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, x)| (k.clone(), numbers_as_floats(x)))
                .collect(),
        ),
        other => other.clone(),
    }
}
