//! The mistakes clerks make, each with its message in Chinese (the language of a Chinese
//! site, the default) and in English (`--lang en`): the key named as typed, the place counted
//! from 1 at the right line and column, and the fix in words.

use super::write;
use crate::common::*;
use std::path::Path;

/// `check` in `lang`, which must fail: its standard error.
fn check_in(site: &Path, lang: &str) -> String {
    let o = zhize(&["check", "--lang", lang, "--root", site.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "expected exit 1:\n{err}");
    assert!(!err.contains("panicked"), "panic:\n{err}");
    err
}

/// One department file with `text` in the mini site; both languages' messages must hold their
/// needles.
fn mistake(text: &str, zh: &[&str], en: &[&str]) {
    let site = mini_site();
    write(site.path(), "content/shiju/renshi.yaml", text);
    for (lang, needles) in [("zh", zh), ("en", en)] {
        let err = check_in(site.path(), lang);
        for n in needles {
            assert!(err.contains(n), "{lang}: missing {n:?} in:\n{err}");
        }
    }
}

#[test]
fn a_key_of_another_level_is_named_as_typed_with_the_indentation_as_the_likely_cause() {
    mistake(
        "名称: 人事科\n细化职责:\n  - 负责人事。\n电话: \"5200002\"\n",
        &[
            "renshi.yaml:4:1: 不认识的键“电话”",
            "“电话”是别处的键，不能写在这一层：检查它的缩进",
            "联系方式/联系人（contacts）",
            "检查未通过：1 个错误",
        ],
        &[
            "renshi.yaml:4:1: unknown key `电话`",
            "is a key, but not at this level",
            "check failed: 1 error",
        ],
    );
}

#[test]
fn a_misspelt_chinese_key_gets_the_chinese_key_meant() {
    mistake(
        "名称: 人事科\n细化职则:\n  - 负责人事。\n",
        &[
            "renshi.yaml:2:1: 不认识的键“细化职则”",
            "是不是要写“细化职责”",
        ],
        &["unknown key `细化职则`", "did you mean 细化职责"],
    );
}

#[test]
fn a_value_of_the_wrong_kind_names_both_kinds_and_counts_from_one() {
    mistake(
        "名称: 人事科\n岗位:\n  - 名称: 科长岗\n  - 名称: 科员岗\n    职责: 5\n",
        &[
            "renshi.yaml:5:9: 这里应当是列表（每项一行，以 `- ` 开头），写的却是数字 5（位置：岗位 › 第2项 › 职责）",
            "把每一项单独写一行",
        ],
        &["expected a list (one `- ` item a line) here, found the number 5 (at 岗位 › item 2 › 职责)"],
    );
}

#[test]
fn digits_where_a_text_belongs_get_quotes_in_both_languages() {
    mistake(
        "名称: 人事科\n岗位:\n  - 名称: 2024\n",
        &["renshi.yaml:3:9:", "给它加上引号，写成 \"2024\""],
        &["put this text in quotes, e.g. \"2024\""],
    );
}

#[test]
fn full_width_colon_tab_and_a_key_given_twice_are_named_in_chinese() {
    mistake(
        "名称: 人事科\n细化职责：\n  - 负责人事。\n",
        &[
            "renshi.yaml:2:5: `细化职责` 后面是全角冒号“：”",
            "改成 `细化职责:`",
        ],
        &[
            "full-width colon “：” after `细化职责`",
            "write `细化职责:`",
        ],
    );
    mistake(
        "名称: 人事科\n细化职责:\n\t- 负责人事。\n",
        &["renshi.yaml:3:", "缩进里有 Tab 字符", "把 Tab 换成空格"],
        &["a tab character in the indentation", "never tabs"],
    );
    mistake(
        "名称: 人事科\n名称: 人事处\n",
        &["renshi.yaml:2:1: 键“名称”在同一处写了两次", "删去其中一个"],
        &["key `名称` is given twice in the same place"],
    );
}

#[test]
fn an_unknown_department_suggests_the_one_meant_in_chinese() {
    mistake(
        "名称: 人事科\n职责分工:\n  - {协作: 财务申计科, 内容: 与财务审计科共同做好工资发放。}\n",
        &[
            "renshi.yaml:3:",
            "没有叫“财务申计科”的科室或外部单位",
            "是不是要写“财务审计科”",
        ],
        &[
            "unknown department or outside body “财务申计科”",
            "did you mean 财务审计科",
        ],
    );
}

/// What a clerk writes first: the arrangements as one list, one department named without
/// brackets. It loads, and the arrangement is recorded with that department.
#[test]
fn division_as_a_plain_list_with_one_name_loads() {
    let site = mini_site();
    write(
        site.path(),
        "content/shiju/renshi.yaml",
        "名称: 人事科\n职责分工:\n  - {协作: 财务审计科, 内容: 与财务审计科共同做好工资发放。}\n",
    );
    let o = zhize(&["check", "--root", site.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = zhize::check(site.path());
    let org = &s.orgs[0];
    let d = org.depts.iter().find(|d| d.raw.name == "人事科").unwrap();
    assert_eq!(d.raw.division.general.len(), 1);
    assert_eq!(d.raw.division.general[0].with(), ["财务审计科"]);
}

/// Messages follow the site's language; `--lang` wins over it, and over ZHIZE_LANG.
#[test]
fn messages_follow_the_site_language_unless_asked_otherwise() {
    let site = mini_site();
    write(
        site.path(),
        "content/shiju/renshi.yaml",
        "名称: 人事科\n电话: 1\n",
    );
    let root = site.path().to_str().unwrap();
    let run = |env: Option<&str>, args: &[&str]| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_zhize"));
        c.args(args).env("NO_COLOR", "1").env_remove("ZHIZE_LANG");
        if let Some(l) = env {
            c.env("ZHIZE_LANG", l);
        }
        stderr(&c.output().unwrap())
    };
    assert!(run(None, &["check", "--root", root]).contains("不认识的键"));
    assert!(run(Some("en"), &["check", "--root", root]).contains("unknown key"));
    assert!(run(Some("en"), &["check", "--lang", "zh", "--root", root]).contains("不认识的键"));
    write(site.path(), "zhize.yaml", "language: en\n");
    assert!(run(None, &["check", "--root", root]).contains("unknown key"));
    let bad = run(None, &["check", "--lang", "fr", "--root", root]);
    assert!(bad.contains("use zh (中文) or en (English)"), "{bad}");
}

/// A name misspelt the same way in several files is one problem to fix: shown once, with the
/// other places under it; errors come before warnings.
#[test]
fn the_same_problem_in_several_places_is_shown_once_with_the_others_under_it() {
    let site = mini_site();
    for (file, n) in [
        ("renshi", "人事科"),
        ("dangban", "党办"),
        ("jianwei", "监察室"),
    ] {
        write(
            site.path(),
            &format!("content/shiju/{file}.yaml"),
            &format!("名称: {n}\n职责分工:\n  - {{协作: 财务申计科, 内容: 与财务审计科共同做好经费保障。}}\n"),
        );
    }
    let zh = check_in(site.path(), "zh");
    assert_eq!(zh.matches("没有叫“财务申计科”").count(), 1, "{zh}");
    assert!(
        zh.contains("同样的问题还有 2 处：content/shiju/jianwei.yaml:3:"),
        "{zh}"
    );
    assert!(zh.contains("检查未通过：3 个错误"), "{zh}");
    let en = check_in(site.path(), "en");
    assert_eq!(
        en.matches("unknown department or outside body").count(),
        1,
        "{en}"
    );
    assert!(
        en.contains("the same in 2 more place(s): content/shiju/jianwei.yaml:3:"),
        "{en}"
    );
}

/// A step actor that nearly names a post is warned in Chinese with the name meant.
#[test]
fn a_misspelt_step_actor_is_warned_with_the_post_meant() {
    let site = mini_site();
    write(
        site.path(),
        "content/shiju/renshi.yaml",
        "名称: 人事科\n岗位:\n  - 名称: 档案管理岗\n工作流程:\n  - 名称: 查档\n    步骤:\n      - {办理人: 档案管理, 内容: 登记查档申请}\n      - {办理人: 档案管理岗, 内容: 调出档案}\n",
    );
    let root = site.path().to_str().unwrap();
    let o = zhize(&["check", "--lang", "zh", "--root", root]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("警告：content/shiju/renshi.yaml:7:"), "{err}");
    assert!(
        err.contains("步骤的办理人“档案管理”不是某市测试局的科室或岗位，是不是要写“档案管理岗”？"),
        "{err}"
    );
    let o = zhize(&["check", "--lang", "en", "--root", root]);
    assert!(
        stderr(&o).contains("step actor “档案管理” is no department or post"),
        "{}",
        stderr(&o)
    );
}
