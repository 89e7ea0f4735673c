//! A clerk's first hour: `zhize init --org`, `zhize new org|dept`, a build — no renaming, no
//! cargo, the templates load as written and fill in by uncommenting their examples.

use crate::common::*;

#[test]
fn init_with_the_organisations_name_then_a_new_department_builds() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let root = site.to_str().unwrap();
    let o = zhize(&["init", root, "--org", "某某县人力资源和社会保障局"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The organisation is named and has its own folder: nothing called 示例 or example.
    let org = site.join("content/moumouxianrenliziyuanheshehuibaozhangju/_org.yaml");
    let text = std::fs::read_to_string(&org).unwrap();
    assert!(
        text.starts_with("name: 某某县人力资源和社会保障局\n"),
        "{text}"
    );
    assert!(!site.join("content/example").exists());

    let o = zhize(&["new", "dept", "就业促进股", "--root", root]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("jiuyecujingu.yaml"), "{}", stdout(&o));
    let dept = org.with_file_name("jiuyecujingu.yaml");
    let template = std::fs::read_to_string(&dept).unwrap();
    assert!(template.contains("名称: 就业促进股\n"), "{template}");

    let out = dir.path().join("public");
    let o = zhize(&["build", "--root", root, "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = out.join("moumouxianrenliziyuanheshehuibaozhangju/jiuyecujingu/index.html");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("就业促进股"));
    assert!(
        !stderr(&o).contains("warning"),
        "a fresh template warns: {}",
        stderr(&o)
    );
}

#[test]
fn the_department_template_uncommented_is_valid_content() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_str().unwrap();
    assert!(zhize(&["init", root, "--org", "某某市某某局"])
        .status
        .success());
    let o = zhize(&["new", "dept", "审计科", "--root", root]);
    assert!(o.status.success(), "{}", stderr(&o));
    let dept = dir.path().join("content/moumoushimoumouju/shenjike.yaml");
    let template = std::fs::read_to_string(&dept).unwrap();
    // Uncomment every example line (`# key: …` and the indented lines under it), dropping
    // the trailing remarks, as a clerk filling in the template would.
    let filled: String = template
        .lines()
        .filter(|l| !l.starts_with("# ") || l.starts_with("#   ") || l[2..].contains(':'))
        .filter(|l| !l.contains("以 # 开头") && !l.contains("格式说明"))
        .map(|l| {
            let l = l.strip_prefix("# ").unwrap_or(l);
            match l.find("  #") {
                Some(i) => l[..i].trim_end(),
                None => l,
            }
            .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&dept, &filled).unwrap();
    let o = zhize(&["check", "--root", root]);
    assert!(o.status.success(), "{filled}\n{}", stderr(&o));
    let o = zhize(&["stats", "--root", root, "--json"]);
    let stats: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(stats["procedures"].as_u64().unwrap() >= 2, "{stats}");
}

#[test]
fn new_never_replaces_a_file_and_names_the_organisations() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_str().unwrap();
    assert!(zhize(&["init", root, "--org", "甲局"]).status.success());
    assert!(zhize(&["new", "org", "乙局", "--root", root])
        .status
        .success());
    assert!(dir.path().join("content/yiju/_org.yaml").is_file());
    // Two organisations now: which one must be said, and the folders are listed.
    let o = zhize(&["new", "dept", "财务科", "--root", root]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("--org"), "{}", stderr(&o));
    assert!(stderr(&o).contains("jiaju, yiju"), "{}", stderr(&o));
    let o = zhize(&["new", "dept", "办公室", "--org", "jiaju", "--root", root]);
    assert!(!o.status.success(), "the example office exists already");
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));
    let o = zhize(&["new", "dept", "办公室", "--org", "bingju", "--root", root]);
    assert!(
        stderr(&o).contains("no organisation folder"),
        "{}",
        stderr(&o)
    );
    let o = zhize(&["check", "--root", root]);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// `zhize fix` shows each line it would mend, changes nothing without `--yes` (no terminal to
/// ask), then mends exactly those lines: a full-width colon, U+3000 indentation and a name
/// list in 【】 with full-width commas; a clean file, a byte-order mark and CRLF line endings
/// stay byte for byte.
#[test]
fn fix_shows_then_mends_full_width_punctuation_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_str().unwrap();
    assert!(zhize(&["init", root, "--org", "甲局"]).status.success());
    let folder = dir.path().join("content/jiaju");
    let clean = folder.join("bangongshi.yaml");
    let clean_before = std::fs::read(&clean).unwrap();
    let bad = folder.join("shenjike.yaml");
    let text = "\u{FEFF}名称：审计科\r\n职责:\r\n\u{3000}\u{3000}- 负责内部审计：年度计划。\r\ndivision:\r\n  internal:\r\n    - 协作：【办公室，财务科】\r\n      text: 审计科与办公室、财务科协同。\r\n";
    std::fs::write(&bad, text).unwrap();
    assert!(!zhize(&["check", "--root", root]).status.success());

    let o = zhize(&["fix", "--root", root]);
    assert!(o.status.success(), "{}", stderr(&o));
    let shown = stdout(&o);
    for expected in [
        "content/jiaju/shenjike.yaml:1: full-width colon “：” after `名称`",
        "  + 名称: 审计科",
        "content/jiaju/shenjike.yaml:3: indentation with the full-width space U+3000",
        "  +     - 负责内部审计：年度计划。",
        "content/jiaju/shenjike.yaml:6: full-width colon “：” after `协作`",
        "  +     - 协作: [办公室, 财务科]",
        "nothing changed",
    ] {
        assert!(shown.contains(expected), "{expected:?} not in:\n{shown}");
    }
    assert_eq!(
        std::fs::read_to_string(&bad).unwrap(),
        text,
        "changed without --yes"
    );

    let o = zhize(&["fix", "--root", root, "--yes"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("mended 3 line(s) in 1 file(s)"),
        "{}",
        stdout(&o)
    );
    assert_eq!(
        std::fs::read_to_string(&bad).unwrap(),
        "\u{FEFF}名称: 审计科\r\n职责:\r\n    - 负责内部审计：年度计划。\r\ndivision:\r\n  internal:\r\n    - 协作: [办公室, 财务科]\r\n      text: 审计科与办公室、财务科协同。\r\n"
    );
    assert_eq!(std::fs::read(&clean).unwrap(), clean_before);
    let o = zhize(&["check", "--root", root]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = zhize(&["fix", "--root", root]);
    assert!(stdout(&o).contains("nothing to mend"), "{}", stdout(&o));
}
