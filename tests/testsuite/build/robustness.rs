//! No input makes zhize panic: arbitrary text through the YAML loader, position map and
//! front-matter splitter, and arbitrary Markdown through the renderer. Nor does a long
//! document take the importer quadratic time.

use proptest::prelude::*;
use zhize::load::{parse_yaml_text, split_front_matter};
use zhize::model::{DeptFile, OrgFile, PageMeta};
use zhize::source::SpanMap;

/// Text that looks like YAML often enough to reach deep paths: keys, lists, flow maps,
/// Chinese, anchors and aliases, tabs and odd indentation.
fn yamlish() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("name: 办公室\n".to_string()),
        Just("名称: 办公室\n".to_string()),
        Just("duties:\n".to_string()),
        Just("  - 负责文电\n".to_string()),
        Just("  - {id: a, text: b}\n".to_string()),
        Just("posts:\n  - name: 主任岗\n    covers: [1, x]\n".to_string()),
        Just("division:\n  internal:\n    - with: [财务科]\n".to_string()),
        Just("procedures:\n  - name: p\n    steps:\n      - {label: a, goto: b}\n".to_string()),
        Just("&a [*a, *a]\n".to_string()),
        Just("\t- tab\n".to_string()),
        Just(": : :\n".to_string()),
        Just("'\n".to_string()),
        Just("{\n".to_string()),
        Just("---\n".to_string()),
        "[ -~\\u{4e00}-\\u{4e20}\n\t]{0,20}",
    ];
    prop::collection::vec(token, 0..12).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    #[test]
    fn the_loader_never_panics_on_yamlish_text(text in yamlish()) {
        let spans = SpanMap::build(&text, |k| zhize::model::canonical_key(k).to_string());
        let _ = parse_yaml_text::<DeptFile>(&text, &spans);
        let _ = parse_yaml_text::<OrgFile>(&text, &spans);
        let _ = split_front_matter(&text);
    }

    #[test]
    fn the_loader_never_panics_on_any_text(text in "\\PC{0,200}") {
        let spans = SpanMap::build(&text, |k| k.to_string());
        let _ = parse_yaml_text::<DeptFile>(&text, &spans);
        let _ = parse_yaml_text::<PageMeta>(&text, &spans);
        let _ = zhize::source::decode(text.as_bytes());
    }

    #[test]
    fn decoding_never_panics_on_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = zhize::source::decode(&bytes);
    }
}

/// A whole site made of hostile files still builds or fails cleanly.
#[test]
fn hostile_sites_fail_cleanly() {
    let cases: &[&str] = &[
        "",
        "~",
        "[]",
        "name: 办公室\nduties: {a: 1}\n",
        "name: 办公室\nprocedures:\n  - name: p\n    steps:\n      - branches: [{when: x, goto: 99}]\n",
        "name: 办公室\nposts:\n  - {name: a, covers: [\"9-1\", \"a-b\", -3, 0]}\n",
        "a: &x [*x]\n",
        "name: 办公室\n名称: 办公室\n",
    ];
    for (i, text) in cases.iter().enumerate() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content/org")).unwrap();
        std::fs::write(dir.path().join("content/org/_org.yaml"), "name: 某局\n").unwrap();
        std::fs::write(dir.path().join("content/org/dept.yaml"), text).unwrap();
        let site = zhize::check(dir.path());
        // Either it is fine or every problem has a file.
        for d in site.diagnostics.iter() {
            assert!(d.file.is_some(), "case {i}: diagnostic without a file: {d}");
        }
        if !site.diagnostics.has_errors() {
            let out = dir.path().join("public");
            zhize::build(dir.path(), &out, &|| {})
                .unwrap_or_else(|e| panic!("case {i}: {:?}", e.0));
        }
    }
}

/// Found by the `importer` fuzz target: 60 KB of one-character lines took the articles
/// importer over a minute, because it scanned the article so far again for every line.
/// Every genre must take a long document of any one shape of line in its stride.
#[test]
fn the_importer_is_not_quadratic_in_the_number_of_lines() {
    use zhize::import::document::{Document, Line};
    use zhize::import::lines::Lines;
    use zhize::import::{detect, parse, Genre};
    let shapes = [
        "x",
        "这是一行没有编号而且相当长的正文，超过三十个字符，用来试探把引言并入下一条的规则。",
        "一、总则",
        "二、职责",
        "（一）负责文电",
        "第一条 为了规范管理",
        "1 标题",
        "学校意识形态工作分析研判制度一、建立分析研判机构。",
        "“引文开头",
    ];
    for shape in shapes {
        let doc = Document {
            name: "long".into(),
            lines: (1..=20_000)
                .map(|no| Line {
                    no,
                    text: shape.to_string(),
                })
                .collect(),
            encoding: "UTF-8",
        };
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = detect(&doc);
            for genre in [
                Genre::DutyList,
                Genre::Breakdown,
                Genre::Notice,
                Genre::Articles,
            ] {
                let start = std::time::Instant::now();
                let mut lines = Lines::new(&doc.lines);
                let _ = parse(&doc, genre, &mut lines);
                let _ = tx.send((genre, start.elapsed()));
            }
        });
        for _ in 0..4 {
            match rx.recv_timeout(std::time::Duration::from_secs(30)) {
                Ok((genre, took)) => eprintln!("{shape}: {genre:?} {took:?}"),
                Err(_) => panic!("importing 20,000 lines of {shape:?} took over 30 s"),
            }
        }
    }
}
