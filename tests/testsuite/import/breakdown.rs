//! `zhize import` of seed 003 (济南市人民政府研究室): a duty breakdown table split by pages,
//! and one post-spec / procedure matter per `详见 N 页` reference.

use crate::common::*;
use std::path::{Path, PathBuf};
use zhize::model::{DeptFile, DivisionItem, Duty, OrgFile, Scalar};

/// Seed 003.
fn seed003() -> PathBuf {
    seed("003")
}

/// Import seed 003 into `<root>/content/jinan-yjs`; returns the printed report.
fn import_into(root: &Path) -> String {
    let seed = seed003();
    let content = root.join("content");
    let out = zhize(&[
        "import",
        seed.to_str().unwrap(),
        "--output",
        content.to_str().unwrap(),
        "--org",
        "jinan-yjs",
    ]);
    assert!(out.status.success(), "import failed: {}", stderr(&out));
    stdout(&out)
}

fn org_dir(root: &Path) -> PathBuf {
    root.join("content/jinan-yjs")
}

fn dept(root: &Path, name: &str) -> DeptFile {
    for e in std::fs::read_dir(org_dir(root)).unwrap() {
        let p = e.unwrap().path();
        let stem = p.file_name().unwrap().to_string_lossy().into_owned();
        if stem.starts_with('_') || !stem.ends_with(".yaml") {
            continue;
        }
        let d: DeptFile = serde_yaml::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
        if d.name == name {
            return d;
        }
    }
    panic!("no department {name}")
}

/// The `line N: …` repairs of the report.
fn repairs(report: &str) -> Vec<(usize, String)> {
    report
        .lines()
        .filter_map(|l| l.trim().strip_prefix("line "))
        .filter_map(|l| l.split_once(": "))
        .map(|(n, what)| (n.parse().unwrap(), what.to_string()))
        .collect()
}

#[test]
fn counts_and_check() {
    let dir = tempfile::tempdir().unwrap();
    let report = import_into(dir.path());
    assert!(report.contains(", 0 unparsed lines"), "{report}");

    let out = zhize(&["stats", "--root", dir.path().to_str().unwrap(), "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let stats: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(stats["organisations"], 1);
    assert_eq!(stats["departments"], 7);
    assert_eq!(stats["main_duties"], 27);
    assert_eq!(stats["detailed_duties"], 74);
    assert_eq!(stats["posts"], 25);
    assert_eq!(stats["procedures"], 47);
    assert_eq!(stats["division_internal"], 3);

    let out = zhize(&["check", "--root", dir.path().to_str().unwrap()]);
    assert!(out.status.success(), "check failed: {}", stderr(&out));
    assert!(!stderr(&out).contains("error"), "{}", stderr(&out));
}

#[test]
fn organisation_and_departments() {
    let dir = tempfile::tempdir().unwrap();
    import_into(dir.path());
    let org: OrgFile = serde_yaml::from_str(
        &std::fs::read_to_string(org_dir(dir.path()).join("_org.yaml")).unwrap(),
    )
    .unwrap();
    assert_eq!(org.name, "济南市人民政府研究室");
    assert_eq!(org.aliases, ["市政府研究室", "研究室", "室"]);
    assert!(org.unparsed.is_empty());

    let per_dept = [
        ("办公室", 9, 18, 3, 18),
        ("综合处", 4, 9, 4, 4),
        ("经济建设研究处", 5, 12, 4, 7),
        ("城市发展和城市更新研究处", 2, 10, 5, 1),
        ("公共服务研究处", 2, 4, 3, 2),
        ("乡村振兴研究处", 2, 8, 3, 2),
        ("机关党总支", 3, 13, 3, 13),
    ];
    for (name, main, duties, posts, procs) in per_dept {
        let d = dept(dir.path(), name);
        let paragraphs = d.summary.as_deref().unwrap().split("\n\n").count();
        assert_eq!(paragraphs, main, "{name}: main duties");
        assert_eq!(d.duties.len(), duties, "{name}: detailed duties");
        assert_eq!(d.posts.len(), posts, "{name}: posts");
        assert_eq!(d.procedures.len(), procs, "{name}: procedures");
    }
    let party = dept(dir.path(), "机关党总支");
    assert!(party.aliases.iter().any(|a| a == "组织人事处"));
    assert!(party
        .aliases
        .iter()
        .any(|a| a == "机关党总支（组织人事处）"));
}

#[test]
fn table_page_breaks_are_repaired() {
    let dir = tempfile::tempdir().unwrap();
    let report = import_into(dir.path());
    let r = repairs(&report);
    let at = |line: usize, what: &str| r.iter().any(|(n, w)| *n == line && w.contains(what));

    // The header row is printed on each of 12 pages: the first is the header, 11 are repeats.
    let headers: Vec<usize> = r
        .iter()
        .filter(|(_, w)| w.contains("repeated table header"))
        .map(|(n, _)| *n)
        .collect();
    assert_eq!(headers, [18, 30, 44, 50, 57, 65, 73, 78, 85, 95, 104]);
    assert!(at(39, "page footer `— 3 —` dropped"), "{report}");
    assert!(at(42, "separator row dropped"), "{report}");
    for line in 67..=71 {
        assert!(at(line, "columns shifted"), "line {line}: {report}");
    }
    assert!(at(31, "continuation cell of main duty 2"), "{report}");
    assert!(at(45, "continuation cell of 负责岗位"), "{report}");

    // The shifted rows are detailed duties 6–10 of 城市发展和城市更新研究处.
    let city = dept(dir.path(), "城市发展和城市更新研究处");
    let nos: Vec<&str> = city.duties.iter().filter_map(Duty::no).collect();
    assert_eq!(nos, ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]);
    assert!(city.duties[5].text().starts_with("负责城乡交通运输方面"));
    // Its second main duty was split across a page break (`…提出` | `政策建议。`).
    assert!(city.summary.unwrap().ends_with("提出政策建议。"));

    // Cell split mid-word across a page (`起` | `草或者…`).
    let general = dept(dir.path(), "综合处");
    assert!(general.summary.unwrap().contains("重要文稿。起草或者修改"));
}

#[test]
fn posts_and_covers() {
    let dir = tempfile::tempdir().unwrap();
    import_into(dir.path());
    let office = dept(dir.path(), "办公室");
    let names: Vec<&str> = office.posts.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["正职岗位1", "副职岗位1", "业务岗位1"]);
    assert_eq!(office.posts[0].covers, [Scalar::Text("全部".into())]);
    assert_eq!(
        office.posts[2].covers,
        [Scalar::Int(6), Scalar::Int(13), Scalar::Int(14)]
    );
    // `负责第 1-4 条` / `负责第 5-9 条`, the second half after a page break.
    let general = dept(dir.path(), "综合处");
    assert_eq!(general.posts[2].covers, [Scalar::Text("1-4".into())]);
    assert_eq!(general.posts[3].covers, [Scalar::Text("5-9".into())]);
    // `副职岗位 1， 负责全面工作，具` | `体负责第 1、2 条` across a page break.
    let econ = dept(dir.path(), "经济建设研究处");
    assert_eq!(econ.posts[0].name, "副职岗位1");
    assert_eq!(econ.posts[0].covers, [Scalar::Int(1), Scalar::Int(2)]);
    assert_eq!(
        econ.posts[0].summary.as_deref(),
        Some("负责全面工作，具体负责第1、2条")
    );
    // `副职岗位 2 负责第 1, 2, 7-10 条`
    let city = dept(dir.path(), "城市发展和城市更新研究处");
    assert_eq!(city.posts[0].name, "正职岗位");
    assert_eq!(
        city.posts[2].covers,
        [Scalar::Int(1), Scalar::Int(2), Scalar::Text("7-10".into())]
    );
}

#[test]
fn matters_join_the_duties_by_page() {
    let dir = tempfile::tempdir().unwrap();
    let report = import_into(dir.path());
    let office = dept(dir.path(), "办公室");
    let Duty::Full(first) = &office.duties[0] else {
        panic!("duty without page")
    };
    assert_eq!(first.page, Some(Scalar::Int(11)));
    assert_eq!(office.procedures[0].name, "车辆管理工作");
    // Two duties on p.43 are two matters.
    assert_eq!(office.procedures[16].name, "外事和对外联络工作");
    assert_eq!(office.procedures[17].name, "编史修志工作");

    // Both p.72 references point to the single matter of 城市发展和城市更新研究处.
    let city = dept(dir.path(), "城市发展和城市更新研究处");
    let on72: Vec<&str> = city
        .duties
        .iter()
        .filter_map(|d| match d {
            Duty::Full(f) if f.page == Some(Scalar::Int(72)) => f.no.as_deref(),
            _ => None,
        })
        .collect();
    assert_eq!(on72, ["1", "3"]);
    assert_eq!(city.procedures.len(), 1);
    assert_eq!(city.procedures[0].name, "文稿起草");
    assert!(city.procedures[0]
        .notes
        .iter()
        .any(|n| n.contains("第 1、3 项") && n.contains("72")));

    // `(六) 乡村振兴研究处` has no count; its second matter's title is broken around an image.
    assert!(repairs(&report)
        .iter()
        .any(|(n, w)| *n == 1810 && w.contains("no matter count")));
    let rural = dept(dir.path(), "乡村振兴研究处");
    let names: Vec<&str> = rural.procedures.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["文稿起草", "调查研究"]);

    // Matters without title and without 一、事项名称 take the name from their first paragraph.
    let general = dept(dir.path(), "综合处");
    assert_eq!(general.procedures[1].name, "综合文稿起草");
    assert!(general.procedures[1]
        .summary
        .as_deref()
        .unwrap()
        .starts_with("包括起草市政府主要领导同志重要讲话"));
    let party = dept(dir.path(), "机关党总支");
    let names: Vec<&str> = party.procedures.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names[1..4],
        ["干部职级晋升", "干部调配工作", "公务员平时考核"]
    );
}

#[test]
fn procedure_parts() {
    let dir = tempfile::tempdir().unwrap();
    import_into(dir.path());
    let office = dept(dir.path(), "办公室");
    let cars = &office.procedures[0];
    assert!(cars
        .summary
        .as_deref()
        .unwrap()
        .contains("1. 熟悉机要通信车的使用范围和管理要求。"));
    // `（一）` groups and bold run-in labels.
    assert_eq!(
        cars.steps[0].label.as_deref(),
        Some("严格机要通信车使用管理")
    );
    assert_eq!(cars.steps[1].label.as_deref(), Some("明确使用范围"));
    assert!(cars.steps[1]
        .text
        .as_deref()
        .unwrap()
        .starts_with("机要通信车主要用于"));
    assert_eq!(
        cars.steps[4].label.as_deref(),
        Some("明确租赁社会车辆使用范围")
    );
    assert!(cars
        .notes
        .iter()
        .any(|n| n == "协同处室：根据需要协调有关处室协办。"));
    // Flowchart titles become notes.
    let seals = &office.procedures[1];
    assert!(seals.notes.iter().any(|n| n == "流程图：印章使用流程图"));
    // A sentence broken over two lines (177/179) is one step again.
    assert!(seals.steps.iter().any(|s| s
        .text
        .as_deref()
        .unwrap_or("")
        .contains("分管主任批准；使用")));
}

#[test]
fn contacts_with_inner_spaces() {
    let dir = tempfile::tempdir().unwrap();
    let report = import_into(dir.path());
    let general = dept(dir.path(), "综合处");
    let c = &general.procedures[1].contacts;
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].name, "李光");
    assert_eq!(c[0].phone.as_deref(), Some("66607315"));
    assert_eq!(c[0].address.as_deref(), Some("济南市历下区龙奥大厦D715室"));
    assert!(report.contains("line 1048: contact name `李 光` read as 李光"));

    let econ = dept(dir.path(), "经济建设研究处");
    let names: Vec<&str> = econ.procedures[3]
        .contacts
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["袁媛"]);
    let names: Vec<&str> = econ.procedures[4]
        .contacts
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["张剑", "鹿祯群"]);

    let city = dept(dir.path(), "城市发展和城市更新研究处");
    let c = &city.procedures[0].contacts[0];
    assert_eq!(c.name, "唐振涛");
    assert_eq!(c.role.as_deref(), Some("城市发展和城市更新研究处处长"));

    let party = dept(dir.path(), "机关党总支");
    let names: Vec<&str> = party.procedures[9]
        .contacts
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["龚慧玲", "廖昆"]);
}

#[test]
fn collaborating_department_is_a_division_item() {
    let dir = tempfile::tempdir().unwrap();
    import_into(dir.path());
    let party = dept(dir.path(), "机关党总支");
    let items: Vec<(Vec<&str>, &str)> = party
        .division
        .internal
        .iter()
        .map(|i| (i.with(), i.text()))
        .collect();
    assert_eq!(
        items,
        [
            (vec!["办公室"], "工资业务：协同处室 办公室"),
            (vec!["办公室"], "保险业务：协同处室 办公室"),
            (vec!["办公室"], "年度考核工作：协同处室 办公室"),
        ]
    );
    assert!(matches!(party.division.internal[0], DivisionItem::Full(_)));
    // `无。` (2346) is kept as a note, not as a division item.
    let staffing = &party.procedures[6];
    assert_eq!(staffing.name, "编制管理");
    assert!(staffing.notes.iter().any(|n| n == "协同处室：无。"));
}

#[test]
fn import_is_deterministic() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    import_into(a.path());
    import_into(b.path());
    let files = |root: &Path| {
        let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(org_dir(root))
            .unwrap()
            .map(|e| {
                let p = e.unwrap().path();
                (
                    p.file_name().unwrap().to_string_lossy().into_owned(),
                    std::fs::read(&p).unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let (fa, fb) = (files(a.path()), files(b.path()));
    assert_eq!(fa.len(), 9);
    assert_eq!(fa, fb);
}

mod robustness {
    use super::seed003;
    use proptest::prelude::*;
    use zhize::import::document::{read_document, Document};
    use zhize::import::lines::Lines;
    use zhize::import::{parse, Genre};

    fn seed_lines() -> Vec<String> {
        read_document(&seed003())
            .unwrap()
            .lines
            .into_iter()
            .map(|l| l.text)
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

        /// Any selection of the seed's lines, in any order, with edits, parses without panic.
        #[test]
        fn shuffled_seed_lines_never_panic(
            picks in prop::collection::vec((0usize..2649, prop::option::of("\\PC{0,6}")), 0..160)
        ) {
            let all = seed_lines();
            let mut text: Vec<String> = vec!["## 一、部门职责细化分解表".into()];
            for (k, extra) in picks {
                let mut l = all[k % all.len()].clone();
                if let Some(e) = extra {
                    let cut = l.char_indices().nth(l.chars().count() / 2).map_or(0, |(i, _)| i);
                    l.insert_str(cut, &e);
                }
                text.push(l);
            }
            let doc = Document {
                name: "x".into(),
                lines: text
                    .iter()
                    .enumerate()
                    .map(|(i, t)| zhize::import::document::Line { no: i + 1, text: t.clone() })
                    .collect(),
                encoding: "UTF-8",
            };
            let mut lines = Lines::new(&doc.lines);
            let imported = parse(&doc, Genre::Breakdown, &mut lines);
            prop_assert!(imported.org.is_some());
        }
    }
}
