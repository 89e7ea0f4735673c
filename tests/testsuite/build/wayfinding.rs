//! Metadata and wayfinding on every page: unique titles, descriptions, the favicon, `lang` by
//! the page's script, breadcrumbs, tables of contents with heading anchors, previous/next,
//! the edit link, the footer, and the sitemap only with `base_url`.

use crate::common::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The mini fixture plus: a department whose post has the same name as one of 办公室's,
/// a traditional-Chinese page with three headings, and `zhize.yaml` lines `extra`.
fn site_with(extra: &str) -> (tempfile::TempDir, PathBuf) {
    let site = mini_site();
    let root = site.path();
    std::fs::write(
        root.join("content/shiju/renshi.yaml"),
        "name: 人事科\nsummary: 管理干部人事和工资福利。\nduties:\n  - 负责干部任免。\nposts:\n  - {name: 文秘岗, duties: [收发人事文件。]}\nprocedures:\n  - name: 调动流程\n    steps:\n      - {label: 申请, actor: 人事科}\n      - {label: 批准, actor: 人事科}\n  - name: 退休流程\n    steps:\n      - {label: 申报, actor: 人事科}\n      - {label: 办结, actor: 人事科}\n",
    )
    .unwrap();
    std::fs::write(
        root.join("content/pages/fanti.md"),
        "---\ntitle: 考評辦法\n---\n\n## 一、考評目的\n\n為了進一步提高機關工作效率，確保各項職責落實到崗位，特制定本辦法。\n\n## 二、考評對象\n\n機關各科室及全體工作人員。\n\n### 補充說明\n\n由辦公室負責解釋。\n",
    )
    .unwrap();
    let yaml = format!("title: 测试站点\n{extra}");
    std::fs::write(root.join("zhize.yaml"), yaml).unwrap();
    let o = zhize(&["build", "--root", root.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let public = root.join("public");
    (site, public)
}

/// Every HTML page under `public`, path (with `/`) → text.
fn pages(public: &Path) -> Vec<(String, String)> {
    read_output(public)
        .into_iter()
        .filter(|f| f.path.ends_with(".html"))
        .map(|f| (f.path, String::from_utf8(f.bytes).unwrap()))
        .collect()
}

fn between<'a>(s: &'a str, a: &str, b: &str) -> Option<&'a str> {
    let i = s.find(a)? + a.len();
    let j = s[i..].find(b)? + i;
    Some(&s[i..j])
}

#[test]
fn every_page_has_a_unique_title_a_favicon_that_exists_and_breadcrumbs() {
    let (_site, public) = site_with("");
    let mut titles: HashMap<String, String> = HashMap::new();
    for (path, html) in pages(&public) {
        let title = between(&html, "<title>", "</title>")
            .expect("title")
            .to_string();
        if let Some(other) = titles.insert(title.clone(), path.clone()) {
            panic!("{path} and {other} share the title {title}");
        }
        let icon = between(&html, "<link rel=\"icon\" href=\"", "\"").expect("icon");
        let dir = Path::new(&path).parent().unwrap();
        assert!(
            public.join(dir).join(icon).is_file(),
            "{path}: favicon {icon} does not exist"
        );
        assert!(
            html.contains("<nav class=\"crumbs\""),
            "{path}: no breadcrumbs"
        );
        assert!(
            !html.contains("未注明"),
            "{path}: the footer speaks of an unknown review date"
        );
    }
    // The two posts named 文秘岗 differ by their department.
    assert!(titles
        .keys()
        .any(|t| t.starts_with("文秘岗 · 办公室 · 某市测试局")));
    assert!(titles
        .keys()
        .any(|t| t.starts_with("文秘岗 · 人事科 · 某市测试局")));
}

#[test]
fn descriptions_come_from_summaries_and_lang_follows_the_script() {
    let (_site, public) = site_with("");
    let read = |p: &str| std::fs::read_to_string(public.join(p)).unwrap();
    let dept = read("shiju/renshi/index.html");
    assert!(
        dept.contains("<meta name=\"description\" content=\"管理干部人事和工资福利。\">"),
        "{}",
        &dept[..dept.len().min(800)]
    );
    assert!(dept.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
    let fanti = read("pages/fanti.html");
    assert!(
        fanti.contains("<html lang=\"zh-Hant\">"),
        "a traditional-Chinese page is zh-Hant"
    );
    assert!(fanti.contains("<meta name=\"description\" content=\"一、考評目的"));
    let guide = read("pages/guide.html");
    assert!(guide.contains("<html lang=\"zh-CN\">"));
}

#[test]
fn articles_have_a_table_of_contents_and_linkable_headings() {
    let (_site, public) = site_with("");
    let html = std::fs::read_to_string(public.join("pages/fanti.html")).unwrap();
    let toc = between(&html, "<nav class=\"page-toc\"", "</nav>").expect("a table of contents");
    for (id, text) in [
        ("h-一-考評目的", "一、考評目的"),
        ("h-二-考評對象", "二、考評對象"),
        ("h-補充說明", "補充說明"),
    ] {
        assert!(
            toc.contains(&format!("<a href=\"#{id}\">{text}</a>")),
            "{toc}"
        );
        assert!(html.contains(&format!(
            "id=\"{id}\">{text}<a class=\"heading-anchor\" href=\"#{id}\""
        )));
    }
}

#[test]
fn previous_and_next_link_departments_and_procedures() {
    let (_site, public) = site_with("");
    let read = |p: &str| std::fs::read_to_string(public.join(p)).unwrap();
    let office = read("shiju/bangongshi/index.html");
    let pager = between(&office, "<nav class=\"pager\"", "</nav>").expect("pager");
    assert!(pager.contains("rel=\"next\""), "{pager}");
    assert!(
        !pager.contains("rel=\"prev\""),
        "the first department has no previous"
    );
    let proc_dir = public.join("shiju/renshi/procedures");
    let mut procs: Vec<_> = std::fs::read_dir(&proc_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    procs.sort();
    let texts: Vec<String> = procs
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    assert!(texts
        .iter()
        .any(|t| t.contains("rel=\"next\"") && t.contains("退休流程</a>")));
    assert!(texts
        .iter()
        .any(|t| t.contains("rel=\"prev\"") && t.contains("调动流程</a>")));
}

#[test]
fn sitemap_only_with_base_url_and_then_absolute() {
    let (_site, public) = site_with("");
    assert!(
        !public.join("sitemap.xml").exists(),
        "no sitemap without base_url: its addresses must be absolute"
    );
    let (_site, public) = site_with(
        "base_url: https://intranet.example/duties/\nedit_url: https://git.example/site/edit/main/\n",
    );
    let map = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    assert!(map.contains("<loc>https://intranet.example/duties/shiju/bangongshi/index.html</loc>"));
    for loc in map.split("<loc>").skip(1) {
        assert!(loc.starts_with("https://intranet.example/duties/"), "{loc}");
    }
    let dept = std::fs::read_to_string(public.join("shiju/renshi/index.html")).unwrap();
    assert!(dept.contains("href=\"https://git.example/site/edit/main/content/shiju/renshi.yaml\""));
}

/// Run git in `dir` with a fixed author and dates; false when git cannot be run.
fn git(dir: &Path, args: &[&str], date: &str) -> bool {
    std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=clerk",
            "-c",
            "user.email=clerk@example.org",
        ])
        .args(args)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn pages_show_the_date_their_source_last_changed_in_git() {
    let site = mini_site();
    let root = site.path();
    let renshi = root.join("content/shiju/renshi.yaml");
    std::fs::write(&renshi, "name: 人事科\nduties:\n  - 负责干部任免。\n").unwrap();
    let footer = |page: &str| {
        let o = zhize(&["build", "--root", root.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        std::fs::read_to_string(root.join("public").join(page)).unwrap()
    };
    // Outside a repository nothing is known, and nothing is said.
    assert!(!footer("shiju/renshi/index.html").contains("最后更新"));
    if !git(root, &["init", "-q"], "2023-01-09T10:00:00+08:00") {
        eprintln!("skipped: git cannot be run here");
        return;
    }
    assert!(git(root, &["add", "content"], "2023-01-09T10:00:00+08:00"));
    assert!(git(
        root,
        &["commit", "-qm", "一"],
        "2023-01-09T10:00:00+08:00"
    ));
    std::fs::write(&renshi, "name: 人事科\nduties:\n  - 负责干部任免和调配。\n").unwrap();
    assert!(git(
        root,
        &["commit", "-qam", "二"],
        "2024-05-02T10:00:00+08:00"
    ));
    // An edit not yet committed keeps the date of the last commit.
    std::fs::write(&renshi, "name: 人事科\nduties:\n  - 负责干部任免、调配。\n").unwrap();
    let dept = footer("shiju/renshi/index.html");
    assert!(
        dept.contains("最后更新：<time datetime=\"2024-05-02\">2024-05-02</time>"),
        "the newest commit of the department's file"
    );
    let org = footer("shiju/index.html");
    assert!(
        org.contains("<time datetime=\"2023-01-09\">"),
        "the org file's own last commit"
    );
    std::fs::write(
        root.join("zhize.yaml"),
        "title: 测试站点\ngit_dates: false\n",
    )
    .unwrap();
    assert!(!footer("shiju/renshi/index.html").contains("最后更新"));
}
