//! What the rendered pages show: sections, cross-links, backlinks, escaping, snapshots.

use crate::common::*;

/// Build the fixture and return (temp dir, public path).
fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let site = mini_site();
    let o = zhize(&["build", "--root", site.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let public = site.path().join("public");
    (site, public)
}

fn read(public: &std::path::Path, rel: &str) -> String {
    std::fs::read_to_string(public.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The `<main>` element of a page, which is what the snapshot keeps.
fn main_of(html: &str) -> String {
    let start = html.find("<main").expect("main");
    let end = html.find("</main>").expect("/main") + "</main>".len();
    html[start..end]
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn department_page_snapshot() {
    let (_site, public) = built();
    insta::assert_snapshot!(
        "department_bangongshi",
        main_of(&read(&public, "shiju/bangongshi/index.html"))
    );
}

#[test]
fn department_written_in_chinese_keys_snapshot() {
    let (_site, public) = built();
    insta::assert_snapshot!(
        "department_caiwu",
        main_of(&read(&public, "shiju/caiwu/index.html"))
    );
}

#[test]
fn department_page_has_every_section_and_stable_duty_anchors() {
    let (_site, public) = built();
    let html = read(&public, "shiju/bangongshi/index.html");
    for id in [
        "summary",
        "duties",
        "posts",
        "division",
        "risks",
        "procedures",
        "forms",
        "contacts",
        "backlinks",
    ] {
        assert!(
            html.contains(&format!("id=\"{id}\"")),
            "section {id} missing"
        );
    }
    for anchor in ["duty-1", "duty-2", "caigou", "duty-4"] {
        assert!(
            html.contains(&format!("<li id=\"{anchor}\"")),
            "anchor {anchor} missing"
        );
    }
    // The group heading of the grouped duty.
    assert!(html.contains("<h3>应急工作</h3>"));
    // Division items link to the other department and the outside body.
    assert!(html.contains("href=\"../../shiju/caiwu/index.html\">财务审计科</a>"));
    assert!(html.contains("href=\"../../shiju/external/shicaizhengju.html\">市财政局</a>"));
    // The post covering all duties is named beside each duty.
    assert!(html
        .contains("负责岗位：<a href=\"../../shiju/bangongshi/posts/zhurengang.html\">主任岗</a>"));
    assert!(html.contains("最后审核：<time>2024-03-04</time>"));
}

#[test]
fn backlinks_show_every_place_that_names_a_department_with_context() {
    let (_site, public) = built();
    let html = read(&public, "shiju/caiwu/index.html");
    let backlinks = &html[html.find("id=\"backlinks\"").expect("backlinks section")..];
    // From 办公室's duties, its division item, its procedure step (a part file) and a page.
    assert!(backlinks.contains("细化职责"), "{backlinks}");
    assert!(backlinks.contains("<mark>财务审计科</mark>"));
    assert!(backlinks.contains("职责分工 · 内部分工"));
    assert!(backlinks.contains("公文处理流程"));
    assert!(backlinks.contains("新人指南"));
    // A department does not list itself.
    assert!(!backlinks.contains(">财务审计科</a>"));
}

#[test]
fn mentions_link_everywhere_but_inside_links_and_code() {
    let (_site, public) = built();
    let html = read(&public, "pages/guide.html");
    assert!(html
        .contains("用印找<a class=\"mention\" href=\"../shiju/bangongshi/index.html\">办公室</a>"));
    assert!(
        html.contains("<a href=\"../shiju/bangongshi/index.html\">办公室页面</a>"),
        "link text must stay unlinked"
    );
    assert!(html.contains("<code>办公室</code>"));
    assert!(!html.contains("<script>alert"), "raw HTML must be dropped");
    // Longest match wins: 财务审计科 is one link, not 财务 + …
    let dept = read(&public, "shiju/bangongshi/index.html");
    assert!(dept.contains(">财务审计科</a>衔接资金支付"));
}

#[test]
fn post_page_lists_the_duties_it_covers_and_its_steps() {
    let (_site, public) = built();
    let html = read(&public, "shiju/bangongshi/posts/wenmigang.html");
    assert!(html.contains("href=\"../../../shiju/bangongshi/index.html#duty-1\""));
    assert!(html.contains("href=\"../../../shiju/bangongshi/index.html#caigou\""));
    assert!(!html.contains("#duty-4\""), "文秘岗 does not cover duty 4");
    assert!(html.contains("印章使用工作流程 · 申请"));
    assert!(
        html.contains("公文处理流程 · 收文"),
        "steps from part files count too"
    );
}

#[test]
fn procedure_page_has_a_steps_table_with_actors_limits_forms_and_branches() {
    let (_site, public) = built();
    let html = read(
        &public,
        "shiju/bangongshi/procedures/yinzhangshiyonggongzuoliucheng.html",
    );
    assert!(html.contains("<table class=\"steps\">"));
    assert!(html.contains("<a href=\"../../../shiju/bangongshi/posts/wenmigang.html\">文秘岗</a>"));
    assert!(html.contains("<td>1个工作日</td>"));
    // The form is referred to without the organisation prefix and still links.
    assert!(html.contains("<a href=\"../../../shiju/bangongshi/forms/moushiceshijuyinzhangshiyongdengjibiao.html\">印章使用登记表</a>"));
    assert!(html.contains("手续不全 → 退回 <a href=\"#step-1\">1. 申请</a>"));
    // A role that is no department stays text.
    assert!(html.contains("<td>分管领导</td>"));
}

#[test]
fn form_page_is_a_printable_table_and_outside_body_page_says_who_deals_with_it() {
    let (_site, public) = built();
    let form = read(
        &public,
        "shiju/bangongshi/forms/moushiceshijuyinzhangshiyongdengjibiao.html",
    );
    assert!(form.contains("<table class=\"form-table\">"));
    assert!(form.contains("<td>用印事由</td>"));
    assert!(
        form.contains("印章使用工作流程"),
        "form page names the procedures that use it"
    );
    let ext = read(&public, "shiju/external/shicaizhengju.html");
    assert!(ext.contains("谁与它打交道"));
    assert!(ext.contains(">办公室</a>"));
    let contacts = read(&public, "contacts.html");
    assert!(contacts.contains("0000-1234567"));
}

#[test]
fn builds_are_byte_identical_across_runs() {
    let (site, public) = built();
    let first = read_output(&public);
    let o = zhize(&["build", "--root", site.path().to_str().unwrap()]);
    assert!(o.status.success());
    let second = read_output(&public);
    let mut a: Vec<_> = first.iter().map(|f| (&f.path, &f.bytes)).collect();
    let mut b: Vec<_> = second.iter().map(|f| (&f.path, &f.bytes)).collect();
    a.sort();
    b.sort();
    assert_eq!(a, b);
}

#[test]
fn site_templates_and_static_files_override_the_theme_file_by_file() {
    let site = mini_site();
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    std::fs::write(
        site.path().join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<p>本站自定义 404</p>{% endblock content %}",
    )
    .unwrap();
    std::fs::write(site.path().join("static/extra.css"), "p{}").unwrap();
    let o = zhize(&["build", "--root", site.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let public = site.path().join("public");
    assert!(read(&public, "404.html").contains("本站自定义 404"));
    assert!(read(&public, "static/extra.css").contains("p{}"));
    // Other theme files are still there.
    assert!(public.join("static/style.css").exists());
    assert!(read(&public, "index.html").contains("class=\"org-card\""));
}

#[test]
fn staffing_names_are_data_not_keys() {
    let site = mini_site();
    let org = site.path().join("content/shiju/_org.yaml");
    let mut text = std::fs::read_to_string(&org).unwrap();
    text.push_str("staffing:\n  行政编制: 43\n  人数: 5\n");
    std::fs::write(&org, text).unwrap();
    let o = zhize(&["build", "--root", site.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = read(&site.path().join("public"), "shiju/index.html");
    assert!(
        html.contains("<th scope=\"row\">人数</th><td>5</td>"),
        "{html}"
    );
    assert!(html.contains("<th scope=\"row\">行政编制</th><td>43</td>"));
}

#[test]
fn tables_leave_out_columns_no_row_fills_and_contacts_name_their_department() {
    let site = mini_site();
    std::fs::write(
        site.path().join("content/shiju/caiwu.yaml"),
        "name: 财务审计科\nduties:\n  - 负责预决算编制。\nposts:\n  - {name: 会计岗, duties: [记账。]}\nprocedures:\n  - name: 报销流程\n    steps:\n      - {label: 申请, actor: 会计岗}\n      - {label: 审核, actor: 财务审计科}\n    contacts:\n      - {name: 李四, phone: \"0000-7654321\"}\n",
    )
    .unwrap();
    let o = zhize(&["build", "--root", site.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let public = site.path().join("public");
    let header = |html: &str| {
        let t = &html[html.find("<table class=\"posts\">").expect("posts table")..];
        t[..t.find("</thead>").unwrap()].to_string()
    };
    let caiwu = header(&read(&public, "shiju/caiwu/index.html"));
    assert!(caiwu.contains("岗位职责"), "{caiwu}");
    for empty in ["类别", "人数", "负责细化职责"] {
        assert!(
            !caiwu.contains(empty),
            "{empty} is empty for every post: {caiwu}"
        );
    }
    let bgs = header(&read(&public, "shiju/bangongshi/index.html"));
    for filled in ["类别", "人数", "负责细化职责", "岗位职责"] {
        assert!(bgs.contains(filled), "{filled}: {bgs}");
    }
    // The contact of a procedure: its department in the first column, the matter beside it.
    let contacts = read(&public, "contacts.html");
    let row = contacts
        .split("<tr>")
        .find(|r| r.contains("李四"))
        .expect("李四's row");
    let cells: Vec<&str> = row.split("<td>").skip(1).collect();
    assert!(cells[0].contains(">财务审计科</a>"), "{row}");
    assert!(
        cells.iter().any(|c| c.contains(">报销流程</a>")),
        "the matter has a column of its own: {row}"
    );
    assert!(contacts.contains(">负责事项</th>") && contacts.contains(">职务/岗位</th>"));
}
