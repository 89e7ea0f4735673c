//! Power items (权责清单), risk records and 三定 facts, each from YAML to its page, its view,
//! the open-data export and (power items) a search hit: the fixture `tests/fixtures/lists`, a
//! made-up bureau with items in `_org.yaml` (naming their departments) and in a department's
//! file (with steps), risks in both forms, staffing, units and legal bases.

use crate::common::*;
use std::sync::OnceLock;

/// The fixture built once into a temporary folder's `public/`.
fn built() -> &'static (tempfile::TempDir, std::path::PathBuf) {
    static BUILT: OnceLock<(tempfile::TempDir, std::path::PathBuf)> = OnceLock::new();
    BUILT.get_or_init(|| {
        let out = tempfile::tempdir().unwrap();
        let public = out.path().join("public");
        let o = zhize(&[
            "build",
            "--root",
            fixture().to_str().unwrap(),
            "--output",
            public.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "build failed:\n{}", stderr(&o));
        assert!(
            !stderr(&o).contains("warning"),
            "the fixture builds without warnings:\n{}",
            stderr(&o)
        );
        (out, public)
    })
}

fn fixture() -> std::path::PathBuf {
    repo().join("tests/fixtures/lists")
}

fn page(rel: &str) -> String {
    let path = built().1.join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The text of `html` between `from` and the next `to`.
fn between<'a>(html: &'a str, from: &str, to: &str) -> &'a str {
    let start = html.find(from).unwrap_or_else(|| panic!("no {from}")) + from.len();
    let rest = &html[start..];
    &rest[..rest.find(to).unwrap_or(rest.len())]
}

#[test]
fn power_items_get_pages_with_every_field() {
    let html = page("demo-ju/powers/xk-001.html");
    for want in [
        "河道管理范围内建设项目工程建设方案审批",
        "XK-001",
        "行政许可",
        "《中华人民共和国水法》第三十八条",
        "《河道管理条例》第十一条",
        "受理责任：公示申请材料",
        "未在法定期限内作出决定的",
        "20个工作日",
        "不收费",
    ] {
        assert!(html.contains(want), "the item's page shows {want}");
    }
    // 承办机构 named in _org.yaml links to the department's page.
    assert!(
        html.contains(r#"<a href="../../demo-ju/shenpike/index.html">审批科</a>"#),
        "the department is linked"
    );
    // An item written in a department's file with steps is drawn as a flowchart, its actors
    // linked to the post they name.
    let steps = page("demo-ju/powers/xk-003.html");
    assert!(steps.contains("<svg"), "steps are drawn as a chart");
    assert!(
        steps.contains(r#"id="step-4""#),
        "with a table of the steps"
    );
    assert!(
        steps.contains("../../demo-ju/shenpike/posts/"),
        "actors link to their posts"
    );
    // Items with no id or code get numbered pages.
    assert!(page("demo-ju/powers/power-3.html").contains("河湖巡查情况备案"));
}

#[test]
fn power_list_groups_by_category_and_department_with_counts() {
    let html = page("demo-ju/powers.html");
    let order: Vec<usize> = ["行政许可", "行政处罚", "行政备案", "未分类"]
        .iter()
        .map(|c| {
            html.find(&format!("<h2>{c} <span class=\"count\">"))
                .unwrap_or_else(|| panic!("a section for {c}"))
        })
        .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "known categories first, then the site's (zhize.yaml), then the uncategorised"
    );
    assert!(html.contains("<h2>行政许可 <span class=\"count\">2 项</span></h2>"));
    assert!(html.contains("本单位共 5 项权责事项"));
    // Per department counts, and the item of no department counted apart.
    let by_dept = between(&html, "<caption>按承办机构</caption>", "</table>");
    assert!(by_dept.contains(r#"审批科</a></th><td class="n">2</td>"#));
    assert!(by_dept.contains(r#"未注明承办机构</th><td class="n">1</td>"#));
    // Sortable and printable.
    assert!(html.contains("class=\"list-table sortable\"") && html.contains("static/lists.js"));
    assert!(html.contains("data-print"));
    assert!(html.contains(r#"href="../data/demo-ju/powers.csv""#));
}

#[test]
fn department_pages_link_their_power_items() {
    let html = page("demo-ju/shenpike/index.html");
    let section = between(&html, r#"<section id="powers">"#, "</section>");
    assert!(
        section.contains(r#"href="../../demo-ju/powers/xk-001.html""#),
        "named in _org.yaml"
    );
    assert!(
        section.contains(r#"href="../../demo-ju/powers/xk-003.html""#),
        "written in its file"
    );
    assert!(
        !section.contains("cf-002"),
        "another department's item is not listed"
    );
}

#[test]
fn risk_records_show_level_controls_and_linked_owners() {
    let html = page("demo-ju/shenpike/index.html");
    let table = between(&html, r#"<table class="list-table risk-table"#, "</table>");
    assert!(table.contains(r#"<span class="level level-high">高</span>"#));
    assert!(
        table.contains("<li>双人审查</li>"),
        "the risk's own controls"
    );
    assert!(
        table.contains(r#"<a href="../../demo-ju/shenpike/posts/shenpigang.html">审批岗</a>"#),
        "an owner that names a post links to it:\n{table}"
    );
    assert!(
        table.contains("分管领导"),
        "an owner that names nothing stays as written"
    );
    // The two-list form keeps working: plain points and the department's controls.
    let office = page("demo-ju/bangongshi/index.html");
    assert!(office.contains("公务接待超标准"));
    assert!(office.contains("严格执行接待清单制度"));
    assert!(
        office.contains(r#"href="../../demo-ju/index.html#people">周河清</a>"#),
        "an owner listed among the people links to them"
    );
}

#[test]
fn risk_view_lists_points_by_level() {
    let html = page("demo-ju/risks.html");
    let at = |s: &str| {
        html.find(s)
            .unwrap_or_else(|| panic!("{s} on the risk view"))
    };
    let (high, mid, low, none) = (
        at("审批中为申请人提供便利"),
        at("公车私用"),
        at("超时限办理"),
        at("公务接待超标准"),
    );
    assert!(
        high < mid && mid < low && low < none,
        "高, 中, 低, then 未定级"
    );
    assert!(html.contains("本单位共 4 个廉政风险点"));
    assert!(
        html.contains(r#"href="../demo-ju/bangongshi/index.html#risk-2""#),
        "rows link to their department"
    );
}

#[test]
fn organisation_page_shows_the_sanding_facts_and_open_data() {
    let html = page("demo-ju/index.html");
    let facts = between(&html, r#"<section id="facts">"#, "</section>");
    for want in [
        "5 个",
        "本站收录 4 个",
        "示例县防汛抗旱指挥部办公室",
        "<th scope=\"row\">行政编制</th><td>18</td>",
        "局长 1、副局长 2",
        "《中华人民共和国水法》",
    ] {
        assert!(facts.contains(want), "the facts show {want}:\n{facts}");
    }
    let lists = between(&html, r#"<section id="lists">"#, "</section>");
    for href in [
        "../demo-ju/powers.html",
        "../demo-ju/risks.html",
        "../data/demo-ju.json",
        "../data/demo-ju/duties.csv",
        "../data/demo-ju/powers.csv",
    ] {
        assert!(
            lists.contains(&format!("href=\"{href}\"")),
            "links to {href}"
        );
    }
}

#[test]
fn open_data_exports_the_lists_as_json_and_csv() {
    let public = &built().1;
    let org: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(public.join("data/demo-ju.json")).unwrap())
            .unwrap();
    assert_eq!(org["units"], 5);
    assert_eq!(org["powers"][0]["code"], "XK-001");
    assert_eq!(org["legal_bases"][1], "《河道管理条例》");
    let dept: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(public.join("data/demo-ju/shenpike.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(dept["risks"]["points"][0]["level"], "高");
    assert_eq!(dept["powers"][0]["steps"].as_array().unwrap().len(), 4);
    let csv = std::fs::read_to_string(public.join("data/demo-ju/powers.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("\u{feff}序号,事项名称,事项编码,权力类型,实施依据,承办机构"));
    assert_eq!(lines.len(), 6, "a header and five items");
    assert!(lines[1].contains("《中华人民共和国水法》第三十八条；《河道管理条例》第十一条,审批科"));
    let duties = std::fs::read_to_string(public.join("data/demo-ju/duties.csv")).unwrap();
    assert!(duties.contains("审批科,1,,承担涉河建设项目的审批。"));
}

#[test]
fn csv_cells_are_quoted_and_never_formulas() {
    use zhize::render::open_data::csv_cell;
    assert_eq!(csv_cell("甲,乙"), "\"甲,乙\"");
    assert_eq!(csv_cell("说\"明\""), "\"说\"\"明\"\"\"");
    assert_eq!(csv_cell("=SUM(A1)"), "'=SUM(A1)");
    assert_eq!(csv_cell("第一行\n第二行"), "\"第一行\n第二行\"");
}

#[test]
fn stats_count_powers_risk_levels_staffing_and_legal_bases() {
    let o = zhize(&["stats", "--json", "--root", fixture().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["powers"], 5);
    assert_eq!(v["risk_levels"], 3);
    assert_eq!(v["staffing_items"], 4);
    assert_eq!(v["legal_bases"], 2);
}

#[test]
fn search_finds_power_items_by_name_category_and_basis() {
    let site = zhize::check(&fixture());
    assert!(!site.diagnostics.has_errors());
    let analyzer = zhize::search_docs::analyzer_for(&site);
    let docs = zhize::search_docs::documents(&site, &analyzer, zhize::search_docs::PageText::Whole);
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("index");
    zhize::search::index::write_index(&idx, &analyzer, &docs, "t").unwrap();
    let searcher = zhize::search::Searcher::open(&idx).unwrap();
    let cases = [
        ("违法采砂", "cf-002"),
        ("行政备案", "power-3"),
        ("取水许可和水资源费征收管理条例", "xk-003"),
    ];
    for (q, slug) in cases {
        let hits = searcher.search(&analyzer, q, 5).unwrap();
        let top = hits.first().unwrap_or_else(|| panic!("no hit for {q}"));
        assert_eq!(top.kind, "power", "{q}");
        assert!(
            top.url.ends_with(&format!("powers/{slug}.html")),
            "{q}: {}",
            top.url
        );
    }
    // The browser's index has them too.
    let Some(node) = find_node("the search.js power-item test") else {
        return;
    };
    let out = built().0.path();
    let request = out.join("probe.json");
    let probes: Vec<&str> = cases.iter().map(|(q, _)| *q).collect();
    std::fs::write(
        &request,
        serde_json::json!({"vectors": [], "queries": [], "probes": probes}).to_string(),
    )
    .unwrap();
    let js = node_json(node, "agree.js", &[&built().1, &request]);
    for (q, slug) in cases {
        let probe = (js["probes"].as_array().unwrap().iter())
            .find(|p| p["q"] == q)
            .unwrap();
        let top = &probe["hits"][0];
        assert_eq!(top["kind"], "power", "search.js: {q}");
        assert!(
            top["url"]
                .as_str()
                .unwrap()
                .ends_with(&format!("powers/{slug}.html")),
            "search.js: {q}"
        );
    }
}

#[test]
fn a_power_item_naming_an_unknown_department_fails_check_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture(), dir.path());
    let org = dir.path().join("content/demo-ju/_org.yaml");
    let text = std::fs::read_to_string(&org).unwrap();
    std::fs::write(&org, text.replace("承办机构: 审批科", "承办机构: 审批课")).unwrap();
    let o = zhize(&["check", "--root", dir.path().to_str().unwrap()]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("unknown department “审批课”"), "{err}");
    assert!(
        err.contains("_org.yaml:25:"),
        "at the line of 承办机构:\n{err}"
    );
    assert!(err.contains("审批科"), "the nearest name as a hint:\n{err}");
}
