//! Problems a user can cause: each is reported with file:line:col, what is wrong and a hint,
//! all of them together, with exit code 1 and no panic.

mod clerks;

use crate::common::*;
use std::path::Path;

fn write(site: &Path, rel: &str, text: &str) {
    let p = site.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Run `check` on the site and return stderr, asserting failure without a panic.
fn check_fails(site: &Path) -> String {
    let o = zhize(&["check", "--root", site.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "expected exit 1:\n{err}");
    assert!(!err.contains("panicked"), "panic:\n{err}");
    err
}

#[test]
fn malformed_yaml_names_file_line_and_column() {
    let site = mini_site();
    write(
        site.path(),
        "content/shiju/caiwu.yaml",
        "名称: 财务审计科\n细化职责:\n  - 负责预决算\n  bad: [oops\n",
    );
    let err = check_fails(site.path());
    assert!(err.contains("content/shiju/caiwu.yaml:4:"), "{err}");
    assert!(err.contains("invalid YAML"), "{err}");
    assert!(err.contains("hint:"), "{err}");
}

#[test]
fn tab_indentation_gets_its_own_hint() {
    let site = mini_site();
    write(
        site.path(),
        "content/shiju/caiwu.yaml",
        "name: 财务审计科\nduties:\n\t- 负责预决算\n",
    );
    let err = check_fails(site.path());
    assert!(err.contains("content/shiju/caiwu.yaml:3:"), "{err}");
    assert!(err.contains("never tabs"), "{err}");
}

/// Chinese input methods type `：` and U+3000: each is named where it is, with the line as
/// it should be written.
#[test]
fn full_width_punctuation_in_the_structure_is_named_with_the_fix() {
    let site = mini_site();
    write(
        site.path(),
        "content/shiju/caiwu.yaml",
        "name: 财务审计科\nduties：\n  - 负责预决算\n",
    );
    let err = check_fails(site.path());
    assert!(
        err.contains("content/shiju/caiwu.yaml:2:7: full-width colon “：” after `duties`"),
        "{err}"
    );
    assert!(err.contains("write `duties:`"), "{err}");

    write(
        site.path(),
        "content/shiju/caiwu.yaml",
        "name: 财务审计科\nduties:\n\u{3000}\u{3000}- 负责预决算\n",
    );
    let err = check_fails(site.path());
    assert!(
        err.contains("content/shiju/caiwu.yaml:3:1: indentation with the full-width space U+3000"),
        "{err}"
    );
    assert!(err.contains("write `    - 负责预决算`"), "{err}");
}

/// A telephone number without quotes is read as its digits; digits where another text
/// belongs (a room number as an address) get quotes as the fix.
#[test]
fn digits_where_a_text_belongs_get_quotes_as_the_fix() {
    let site = mini_site();
    write(
        site.path(),
        "content/shiju/caiwu.yaml",
        "name: 财务审计科\ncontacts:\n  - {name: 王某, phone: 5200002}\n",
    );
    let o = zhize(&["build", "--root", site.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let contacts = std::fs::read_to_string(site.path().join("public/contacts.html")).unwrap();
    assert!(contacts.contains("href=\"tel:5200002\""), "{contacts}");
    write(
        site.path(),
        "content/shiju/caiwu.yaml",
        "name: 财务审计科\ncontacts:\n  - {name: 王某, phone: 5200002, address: 301}\n",
    );
    let err = check_fails(site.path());
    assert!(err.contains("content/shiju/caiwu.yaml:3:"), "{err}");
    assert!(
        err.contains("put this text in quotes, e.g. \"301\""),
        "{err}"
    );
}

#[test]
fn unknown_reference_points_at_the_name_and_suggests_the_nearest() {
    let site = mini_site();
    let path = site.path().join("content/shiju/bangongshi.yaml");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("- with: [财务审计科]", "- with: [财务审计处]");
    std::fs::write(&path, text).unwrap();
    let err = check_fails(site.path());
    // Line 27, column 14: the name inside the flow list.
    assert!(
        err.contains(
            "content/shiju/bangongshi.yaml:27:14: unknown department or outside body “财务审计处”"
        ),
        "{err}"
    );
    assert!(err.contains("did you mean 财务审计科"), "{err}");
}

#[test]
fn duplicate_names_name_both_files() {
    let site = mini_site();
    write(
        site.path(),
        "content/shiju/dangzu.yaml",
        "name: 党组办公室\naliases: [财审科]\n",
    );
    let err = check_fails(site.path());
    assert!(
        err.contains("content/shiju/dangzu.yaml:2:11: the name “财审科” is defined twice"),
        "{err}"
    );
    assert!(
        err.contains("content/shiju/caiwu.yaml:3:6"),
        "must name the other file: {err}"
    );
}

#[test]
fn all_problems_of_a_run_are_reported_together() {
    let site = mini_site();
    let path = site.path().join("content/shiju/bangongshi.yaml");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("- with: [财务审计科]", "- with: [财务处]")
        .replace("covers: [1, \"2-2\", caigou]", "covers: [1, 9, nosuch]")
        .replace("goto: 申请", "goto: 起草");
    std::fs::write(&path, text).unwrap();
    write(site.path(), "content/shiju/broken.yaml", "name: [\n");
    let err = check_fails(site.path());
    for needle in [
        "bangongshi.yaml:27:14: unknown department or outside body “财务处”",
        "post covers “9”",
        "post covers “nosuch”",
        "branch goes to “起草”",
        "broken.yaml:",
        "check failed: 5 errors",
    ] {
        assert!(err.contains(needle), "missing {needle:?} in:\n{err}");
    }
}

#[test]
fn unknown_keys_are_errors_with_the_allowed_keys_as_hint() {
    let site = mini_site();
    write(
        site.path(),
        "content/shiju/caiwu.yaml",
        "name: 财务审计科\ndutise:\n  - 负责预决算\n",
    );
    let err = check_fails(site.path());
    assert!(
        err.contains("caiwu.yaml:2:1: unknown key `dutise`"),
        "{err}"
    );
    assert!(err.contains("did you mean duties"), "{err}");
}

#[test]
fn wrong_types_say_where() {
    let site = mini_site();
    write(
        site.path(),
        "content/shiju/caiwu.yaml",
        "name: 财务审计科\nposts:\n  - name: 科长岗\n    headcount: 很多\n",
    );
    let err = check_fails(site.path());
    assert!(err.contains("caiwu.yaml:4:16"), "{err}");
    assert!(err.contains("posts › item 1 › headcount"), "{err}");
}

#[test]
fn a_folder_without_org_file_and_a_stray_yaml_are_explained() {
    let site = mini_site();
    write(site.path(), "content/orphan/keshi.yaml", "name: 某科\n");
    write(site.path(), "content/stray.yaml", "name: x\n");
    let err = check_fails(site.path());
    assert!(err.contains("content/orphan/ has no _org.yaml"), "{err}");
    assert!(
        err.contains("content/stray.yaml: a YAML file directly in content/"),
        "{err}"
    );
}

#[test]
fn gbk_files_load_with_a_warning_and_garbage_is_an_error() {
    let site = mini_site();
    let (gbk, _, _) = encoding_rs::GBK.encode("name: 财务审计科\nduties:\n  - 负责预决算编制。\n");
    std::fs::write(site.path().join("content/shiju/caiwu.yaml"), &gbk).unwrap();
    let o = zhize(&["check", "--root", site.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("caiwu.yaml: file is encoded as GBK/GB18030"),
        "{}",
        stderr(&o)
    );

    std::fs::write(
        site.path().join("content/shiju/caiwu.yaml"),
        b"name: \xff\xfe\x00\x01\x02 bad\n\x00\x00",
    )
    .unwrap();
    let err = check_fails(site.path());
    assert!(err.contains("caiwu.yaml: not valid text"), "{err}");
}

#[test]
fn unsafe_ids_are_refused() {
    let site = mini_site();
    write(
        site.path(),
        "content/shiju/caiwu.yaml",
        "id: ../../etc\nname: 财务审计科\n",
    );
    let err = check_fails(site.path());
    assert!(
        err.contains("caiwu.yaml:1:5: id `../../etc` cannot be used in a URL"),
        "{err}"
    );
}

#[test]
fn front_matter_errors_point_into_the_page() {
    let site = mini_site();
    write(
        site.path(),
        "content/pages/bad.md",
        "---\ntitle: 好\nauthor: 某人\n---\n正文\n",
    );
    let err = check_fails(site.path());
    assert!(
        err.contains("content/pages/bad.md:3:1: unknown key `author`"),
        "{err}"
    );
}

#[test]
fn template_errors_name_the_template() {
    let site = mini_site();
    write(site.path(), "templates/page.html", "{% extends \"base.html\" %}{% block content %}{{ page.nosuch.deeper }}{% endblock content %}");
    let o = zhize(&["build", "--root", site.path().to_str().unwrap()]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("templates/page.html"), "{err}");
}

#[test]
fn a_missing_content_folder_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let err = check_fails(dir.path());
    assert!(err.contains("zhize init"), "{err}");
}

#[test]
fn a_list_where_a_text_belongs_is_an_error() {
    let site = mini_site();
    write(
        site.path(),
        "content/shiju/caiwu.yaml",
        "name: 财务审计科\nduties:\n  - 负责预决算\n  - [负责宣传]\n",
    );
    let err = check_fails(site.path());
    assert!(
        err.contains("caiwu.yaml:4:5: this duty has no text"),
        "{err}"
    );
}

#[test]
fn reserved_department_ids_say_so() {
    let site = mini_site();
    write(
        site.path(),
        "content/shiju/caiwu.yaml",
        "id: pages\nname: 财务审计科\n",
    );
    let err = check_fails(site.path());
    assert!(err.contains("department id `pages` is reserved"), "{err}");
}

#[test]
fn a_department_file_that_does_not_parse_is_the_only_error_not_its_references_too() {
    // 办公室's division names 财务审计科; when 财务审计科's own file has a syntax error, that
    // error is the one to fix: no "unknown department" at every place that names it.
    let site = mini_site();
    let file = site.path().join("content/shiju/caiwu.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("名称: 财务审计科"),
        "written with Chinese keys"
    );
    std::fs::write(&file, text.replacen("别名: [财审科]", "别名: [财审科", 1)).unwrap();
    let err = check_fails(site.path());
    assert!(err.contains("content/shiju/caiwu.yaml:"), "{err}");
    assert!(!err.contains("unknown department"), "{err}");
    assert!(err.contains("check failed: 1 error"), "{err}");
    // The same in Chinese: the one error, at its file, and nobody else blamed.
    let o = zhize(&[
        "check",
        "--lang",
        "zh",
        "--root",
        site.path().to_str().unwrap(),
    ]);
    let zh = stderr(&o);
    assert!(zh.contains("错误：content/shiju/caiwu.yaml:"), "{zh}");
    assert!(zh.contains("YAML 格式有误"), "{zh}");
    assert!(!zh.contains("没有叫“财务审计科”"), "{zh}");
    assert!(zh.contains("检查未通过：1 个错误"), "{zh}");
    // A name that is truly unknown is still reported.
    let bgs = site.path().join("content/shiju/bangongshi.yaml");
    let text = std::fs::read_to_string(&bgs).unwrap();
    std::fs::write(
        &bgs,
        text.replacen("with: [财务审计科]", "with: [审计科]", 1),
    )
    .unwrap();
    let err = check_fails(site.path());
    assert!(
        err.contains("unknown department or outside body “审计科”"),
        "{err}"
    );
}

#[test]
fn every_wrong_field_of_a_file_is_reported_and_the_rest_of_it_loads() {
    // Three mistakes in one department file: each at its own line, in one run; the department
    // still loads without them, so 办公室's division that names it does not fail too.
    let site = mini_site();
    write(
        site.path(),
        "content/shiju/caiwu.yaml",
        "名称: 财务审计科\n细化职责:\n  - 负责预决算编制。\n  - {文本: 审核资金支付。, 多余: 1}\n岗位:\n  - {名称: 会计岗, 人数: 很多}\n  - {名称: 出纳岗, 人数: 1}\n  - {名称: 审计岗, 人数: 几个}\n电话号: 123\n",
    );
    let err = check_fails(site.path());
    for at in [
        "content/shiju/caiwu.yaml:4:5:",
        "content/shiju/caiwu.yaml:6:19:",
        "content/shiju/caiwu.yaml:8:19:",
        "content/shiju/caiwu.yaml:9:1:",
    ] {
        assert!(err.contains(at), "{at} missing:\n{err}");
    }
    assert!(err.contains("(at 岗位 › item 3 › 人数)"), "{err}");
    assert!(!err.contains("unknown department"), "{err}");
    assert!(err.contains("check failed: 4 errors"), "{err}");
}

#[test]
fn procedures_of_the_organisation_as_a_whole_are_warned_not_dropped_silently() {
    let site = mini_site();
    let org = site.path().join("content/shiju/_org.yaml");
    let mut text = std::fs::read_to_string(&org).unwrap();
    text.push_str("procedures:\n  - name: 办事指南\n    steps:\n      - {label: 受理}\n");
    std::fs::write(&org, &text).unwrap();
    let line = text.lines().position(|l| l.contains("办事指南")).unwrap() + 1;
    let o = zhize(&["check", "--root", site.path().to_str().unwrap()]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains(&format!("content/shiju/_org.yaml:{line}:"))
            && err.contains("procedure “办事指南” belongs to no department"),
        "{err}"
    );
}
