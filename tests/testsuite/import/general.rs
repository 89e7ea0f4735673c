//! `zhize import` as a whole: reading .docx and encodings, reports, --dry-run, --force,
//! determinism, and no panic on any text.

use crate::common::*;
use proptest::prelude::*;
use zhize::import::document::{make_docx, Document, Line};
use zhize::import::lines::Lines;
use zhize::import::{detect, parse, Genre};

/// A small duty list as Word would save it: paragraphs, and a form as a table.
fn office_docx() -> Vec<u8> {
    make_docx(
        &[
            "办公室职责清单",
            "一、主要职责",
            "负责机关文电、会务、机要、档案等工作。",
            "二、细化职责",
            "（一）负责文电、机要、档案工作。",
            "（二）负责印章管理。",
            "三、与其他部门、科室的职责分工",
            "（一）外部协作",
            "1. 在省厅办公室的业务指导下开展工作。",
            "（二）内部分工",
            "1. 与财务科衔接资金支付。",
            "四、工作流程",
            "（一）印章使用工作流程",
            "印章使用工作流程",
            "一、业务流程描述",
            "（一）申请。用印人填写《印章使用登记表》。",
            "（二）审核。办公室负责人审核，不符合规定的退回申请人。",
            "（三）用印。盖章并登记。",
            "二、业务流程图",
            "五、工作标准化文本",
            "印章使用登记表",
        ],
        &[vec!["日期", "事由", "份数", "经办人"], vec!["", "", "", ""]],
    )
}

#[test]
fn docx_files_are_read_and_their_genre_recognised() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("办公室.docx");
    std::fs::write(&path, office_docx()).unwrap();
    let doc = zhize::import::document::read_document(&path).unwrap();
    assert_eq!(doc.encoding, "docx");
    assert_eq!(detect(&doc), Genre::DutyList);
    assert!(doc
        .lines
        .iter()
        .any(|l| l.text == "日期\t事由\t份数\t经办人"));
    let out = dir.path().join("site/content");
    let o = zhize(&[
        "import",
        path.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "--org",
        "test",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("read as docx"));
    // The paragraphs and the table became a department with its sections.
    let stats = zhize(&[
        "stats",
        "--root",
        dir.path().join("site").to_str().unwrap(),
        "--json",
    ]);
    assert!(stats.status.success(), "{}", stderr(&stats));
    let v: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
    for (k, n) in [
        ("departments", 1),
        ("detailed_duties", 2),
        ("division_external", 1),
        ("division_internal", 1),
        ("procedures_with_steps", 1),
        ("steps", 3),
        ("forms", 1),
    ] {
        assert_eq!(v[k], n, "{k}: {v}");
    }
    let dept = std::fs::read_to_string(out.join("test/bangongshi.yaml")).unwrap();
    assert!(
        dept.contains("- 日期"),
        "the table is the form's rows:\n{dept}"
    );
    assert!(dept.contains("label: 审核"), "{dept}");
}

#[test]
fn text_in_gbk_and_utf16_is_read_and_the_encoding_said() {
    let dir = tempfile::tempdir().unwrap();
    let text = "办公室职责清单\n一、主要职责\n负责文电。\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    std::fs::write(dir.path().join("gbk.txt"), &gbk).unwrap();
    let mut u16 = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        u16.extend_from_slice(&unit.to_le_bytes());
    }
    std::fs::write(dir.path().join("u16.txt"), &u16).unwrap();
    for (file, enc) in [("gbk.txt", "GBK/GB18030"), ("u16.txt", "UTF-16LE")] {
        let o = zhize(&[
            "import",
            dir.path().join(file).to_str().unwrap(),
            "--output",
            dir.path().join("out").to_str().unwrap(),
            "--dry-run",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(
            stdout(&o).contains(&format!("read as {enc}")),
            "{}",
            stdout(&o)
        );
    }
    std::fs::write(
        dir.path().join("old.doc"),
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest",
    )
    .unwrap();
    let o = zhize(&[
        "import",
        dir.path().join("old.doc").to_str().unwrap(),
        "--output",
        dir.path().join("out").to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("old Word .doc"), "{}", stderr(&o));
}

#[test]
fn dry_run_writes_nothing_and_existing_files_need_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("content");
    let src = seed("004");
    let dry = zhize(&[
        "import",
        src.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "--dry-run",
    ]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    assert!(stdout(&dry).contains("would write"));
    assert!(!out.exists());

    let first = zhize(&[
        "import",
        src.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(first.status.success(), "{}", stderr(&first));
    let files = read_output(&out);
    assert!(
        files.iter().any(|f| f.path.contains("_import-report-")),
        "the report is written beside the output"
    );

    // Edit one file: a second import must not overwrite it without --force.
    let edited = files.iter().find(|f| f.path.ends_with(".md")).unwrap();
    std::fs::write(out.join(&edited.path), "hand edits").unwrap();
    let again = zhize(&[
        "import",
        src.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("file exists; not overwritten"),
        "{}",
        stderr(&again)
    );
    assert!(stderr(&again).contains("--force"));
    assert_eq!(
        std::fs::read_to_string(out.join(&edited.path)).unwrap(),
        "hand edits"
    );

    let forced = zhize(&[
        "import",
        src.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "--force",
    ]);
    assert!(forced.status.success(), "{}", stderr(&forced));
    let after = read_output(&out);
    let mut a: Vec<_> = files.iter().map(|f| (&f.path, &f.bytes)).collect();
    let mut b: Vec<_> = after.iter().map(|f| (&f.path, &f.bytes)).collect();
    a.sort();
    b.sort();
    assert_eq!(
        a, b,
        "importing the same file twice gives byte-identical output"
    );
}

#[test]
fn every_seed_imports_into_a_site_that_checks() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    for (name, org) in [
        ("000", "weihai-sthjj"),
        ("001", "weihai-gxj"),
        ("002", "linyi"),
        ("003", "jinan-yjs"),
        ("004", "articles"),
    ] {
        let o = zhize(&[
            "import",
            seed(name).to_str().unwrap(),
            "--output",
            content.to_str().unwrap(),
            "--org",
            org,
        ]);
        assert!(o.status.success(), "seed {name}: {}", stderr(&o));
    }
    let check = zhize(&["check", "--root", dir.path().to_str().unwrap()]);
    assert!(check.status.success(), "{}", stderr(&check));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    /// No text makes any genre parser panic.
    #[test]
    fn the_importer_never_panics(lines in prop::collection::vec(
        prop_oneof![
            Just("办公室职责清单".to_string()),
            Just("一、主要职责".to_string()),
            Just("二、细化职责".to_string()),
            Just("三、岗位描述和人员配备".to_string()),
            Just("（一）外部协作".to_string()),
            Just("四、工作流程".to_string()),
            Just("一、业务流程描述".to_string()),
            Just("二、业务流程图".to_string()),
            Just("五、工作标准化文本".to_string()),
            Just("## 一、部门职责细化分解表".to_string()),
            Just("序号\t内设机构\t序号\t主要职责".to_string()),
            Just("1. **拟办。**内容".to_string()),
            Just("附件4".to_string()),
            Just("時(shí)間".to_string()),
            Just(" ".to_string()),
            "\\PC{0,30}",
        ], 0..40))
    {
        let doc = Document {
            name: "t".into(),
            lines: lines.iter().enumerate().map(|(i, t)| Line { no: i + 1, text: t.clone() }).collect(),
            encoding: "UTF-8",
        };
        for genre in [Genre::DutyList, Genre::Breakdown, Genre::Notice, Genre::Articles] {
            let mut l = Lines::new(&doc.lines);
            let _ = parse(&doc, genre, &mut l);
            let _ = l.unparsed();
        }
    }
}
