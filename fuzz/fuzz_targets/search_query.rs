//! Any text as a search query: the analyser's query path (question words, synonyms,
//! traditional → simplified, tokens), pinyin keys, ranking and snippets over the text as a
//! document, and a search of a small tantivy index built once per process (the test
//! fixture site plus a few documents of our own).
//!
//! The input's first line is the query; the rest (or the query itself) is also used as the
//! text of a document, so that the snippet and ranking code see matches.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;
use zhize::search::analyzer::{is_cjk, is_word_char, Query};
use zhize::search::{rank, Analyzer, Kind, SearchDoc, Searcher};

fn doc(kind: Kind, title: &str, department: &str, body: &str) -> SearchDoc {
    SearchDoc {
        kind,
        title: title.to_string(),
        url: "fuzz.html".to_string(),
        org: "测试局".to_string(),
        department: department.to_string(),
        post: String::new(),
        aliases: String::new(),
        body: body.to_string(),
        incomplete: false,
    }
}

/// The analyser and the searcher, made on the first input.
fn setup() -> &'static (Analyzer, Searcher) {
    static SETUP: OnceLock<(Analyzer, Searcher)> = OnceLock::new();
    SETUP.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/mini");
        let site = zhize::check(&root);
        assert!(!site.diagnostics.has_errors(), "{}", root.display());
        // Extra groups as zhize.yaml may give them: traditional script, one that joins a
        // default group, one that is empty after normalising.
        let mut extra = site.config.synonyms.clone();
        extra.push(vec!["圖章".into(), "印章".into()]);
        extra.push(vec!["ＡＢＣ".into(), "abc".into()]);
        extra.push(vec!["？".into(), String::new()]);
        let analyzer = Analyzer::new(&extra);
        let mut docs =
            zhize::search_docs::documents(&site, &analyzer, zhize::search_docs::PageText::Whole)
                .to_vec();
        docs.push(doc(
            Kind::Page,
            "職稱評審",
            "",
            "Ｗｉｄｅ ASCII 12345 热线，職稱評審。",
        ));
        docs.push(doc(Kind::Duty, "", "办公室", ""));
        docs.push(doc(
            Kind::Step,
            "印章使用登记",
            "办公室",
            "𠀀𠀁 ﬀ ﷺ İstanbul ß",
        ));
        // A folder of its own per process, removed once the index is open (the open index
        // keeps its files mapped), so that runs leave nothing behind.
        let dir = std::env::temp_dir().join(format!("zhize-fuzz-search-{}", std::process::id()));
        let idx = dir.join("index");
        zhize::search::index::write_index(&idx, &analyzer, &docs.into(), "fuzz").expect("index");
        let searcher = Searcher::open(&idx).expect("open index");
        let _ = std::fs::remove_dir_all(&dir);
        let hits = searcher.search(&analyzer, "谁负责印章", 5).expect("search");
        assert!(!hits.is_empty(), "the fuzz index finds nothing");
        (analyzer, searcher)
    })
}

/// What every parsed query promises: tokens are non-empty runs of word characters, CJK ones
/// at most two characters.
fn check_query(q: &Query) {
    for alt in q.terms.iter().flatten() {
        assert!(alt.weight.is_finite() && alt.weight > 0.0, "weight in {q:?}");
        for t in &alt.tokens {
            assert!(!t.is_empty(), "empty token in {q:?}");
            assert!(t.chars().all(is_word_char), "token {t:?} in {q:?}");
            if t.chars().any(is_cjk) {
                assert!(t.chars().count() <= 2, "token {t:?} in {q:?}");
            }
        }
    }
}

fuzz_target!(|text: &str| {
    let (analyzer, searcher) = setup();
    let (query, body) = match text.split_once('\n') {
        Some((q, rest)) if !rest.is_empty() => (q, rest),
        _ => (text, text),
    };

    let q = analyzer.query(query);
    check_query(&q);
    for t in analyzer.tokens(body) {
        assert!(!t.is_empty());
    }
    // The word segmenter is the slow part; names are short.
    if query.len() <= 200 {
        for k in analyzer.pinyin_keys(query) {
            assert!(!k.is_empty() && k.is_ascii(), "pinyin key {k:?}");
        }
    }

    // Ranking and snippets over the text as a document.
    let d = doc(Kind::Duty, query, query, body);
    let masks = rank::field_masks(analyzer, &d);
    let df = |t: &str| t.len() % 3;
    let (coverage, score) = rank::score(&q, &masks, &df, 10);
    assert!(coverage <= q.terms.len());
    assert!(score.is_finite() && score >= 0.0, "score {score}");
    let width = text.len() % 97;
    let (snippet, marks) = rank::snippet(analyzer, body, &q, width);
    let n = snippet.chars().count();
    for (s, e) in marks {
        assert!(
            s < e && e <= n,
            "mark {s}..{e} in a snippet of {n} characters"
        );
    }

    // The tantivy index.
    let limit = text.len() % 13;
    let hits = searcher.search(analyzer, query, limit).expect("search");
    assert!(hits.len() <= limit);
    for h in &hits {
        assert!(h.coverage >= 1 && h.coverage <= q.terms.len());
        assert!(h.score.is_finite());
        let n = h.snippet.chars().count();
        assert!(h.marks.iter().all(|(s, e)| s < e && *e <= n), "{h:?}");
    }
});
