//! Views of the demonstration content: the responsibility matrix, the boundary report and its
//! `zhize check` warnings, the collaboration graph, the organisation chart and the A–Z index.

use crate::common::*;
use std::sync::OnceLock;
use zhize::resolve::Site;
use zhize::views::roles::Role;
use zhize::views::{boundary, graph, matrix, orgchart, OrgPage};

fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| zhize::check(&repo()))
}

fn org(slug: &str) -> usize {
    site()
        .orgs
        .iter()
        .position(|o| o.slug == slug)
        .unwrap_or_else(|| panic!("{slug} not in content/"))
}

fn dept(oi: usize, name: &str) -> usize {
    site().orgs[oi]
        .depts
        .iter()
        .position(|d| d.raw.name == name)
        .unwrap_or_else(|| panic!("{name} not a department"))
}

#[test]
fn the_boundary_report_finds_the_seed_documents_known_inconsistencies() {
    let s = site();
    let gxj = org("weihai-gxj");
    let r = boundary::report(s, gxj);
    let unknown: Vec<&str> = r.unknown_names.iter().map(|u| u.name.as_str()).collect();
    // Seed 001 names 企业公共服务科 (装备产业科's division) and 财务科 (a form of 办公室);
    // 威海市工业和信息化局 has neither.
    for name in ["企业公共服务科", "财务科"] {
        assert!(unknown.contains(&name), "{name} not reported: {unknown:?}");
    }
    let qiye = r
        .unknown_names
        .iter()
        .find(|u| u.name == "企业公共服务科")
        .unwrap();
    assert!(
        qiye.places
            .iter()
            .any(|(p, _)| p.dept() == Some(dept(gxj, "装备产业科"))),
        "{:?}",
        qiye.places
    );
    // Seed 000 (威海市生态环境局) misspells two of its own departments.
    let sthjj = org("weihai-sthjj");
    let r2 = boundary::report(s, sthjj);
    let find = |name: &str| r2.unknown_names.iter().find(|u| u.name == name);
    let u = find("生态保护与环境监测科").expect("生态保护与环境监测科 reported");
    assert_eq!(
        u.similar.first().map(String::as_str),
        Some("生态保护与监测科")
    );
    let u = find("应急与督察科").expect("应急与督察科 reported");
    assert_eq!(u.similar, ["应急与督查科"]);
    // No real department, alias or outside body is ever reported.
    for oi in 0..s.orgs.len() {
        let o = &s.orgs[oi];
        for u in boundary::report(s, oi).unknown_names {
            assert!(o.find_unit(&u.name).is_none(), "{} is known", u.name);
            assert!(!o.names.contains_key(&u.name), "{} is known", u.name);
        }
    }
}

#[test]
fn one_sided_arrangements_and_overlaps_are_found() {
    let s = site();
    let gxj = org("weihai-gxj");
    let r = boundary::report(s, gxj);
    // 装备产业科 splits 政策制定工作 with 产业政策科; 产业政策科's file never names it back.
    let (from, to) = (dept(gxj, "装备产业科"), dept(gxj, "产业政策科"));
    assert!(
        r.one_sided.iter().any(|o| o.from == from && o.to == to),
        "装备产业科 → 产业政策科 not one-sided"
    );
    // 产业政策科 and 装备产业科 both list 按(照)规定组织实施相关行业准入和行业规范管理.
    assert!(
        r.overlaps.iter().any(|o| {
            let pair = [o.a.0, o.b.0];
            pair.contains(&from) && pair.contains(&to)
        }),
        "{:?}",
        r.overlaps
    );
    // Both warnings read in Chinese, naming the two departments, with a hint in Chinese.
    let zh = zhize::diagnostic::Lang::Zh;
    let warned: Vec<String> = boundary::warnings(s, gxj, &r)
        .iter()
        .map(|d| format!("{} {}", d.message_in(zh), d.hint_in(zh).unwrap_or_default()))
        .collect();
    assert!(
        warned.iter().any(
            |w| w.contains("职责边界：装备产业科的这条分工提到产业政策科")
                && w.contains("只写在一方也可以")
        ),
        "{warned:#?}"
    );
    assert!(
        warned
            .iter()
            .any(|w| w.contains("都写了这项职责") && w.contains("定下由谁牵头")),
        "{warned:#?}"
    );
    // 济南市人民政府研究室: 综合处 and 公共服务研究处 both draft the mayor's speeches.
    let yjs = org("jinan-yjs");
    let r = boundary::report(s, yjs);
    let (a, b) = (dept(yjs, "综合处"), dept(yjs, "公共服务研究处"));
    assert!(r
        .overlaps
        .iter()
        .any(|o| [o.a.0, o.b.0].contains(&a) && [o.a.0, o.b.0].contains(&b)));
    // Texts that only repeat the same arrangement in both files are not overlaps.
    for oi in 0..s.orgs.len() {
        for o in boundary::report(s, oi).overlaps {
            assert!(o.score >= boundary::OVERLAP_THRESHOLD);
            assert_ne!(o.a.0, o.b.0);
        }
    }
}

#[test]
fn check_reports_the_boundary_as_warnings_and_still_succeeds() {
    let o = zhize(&["check", "--root", repo().to_str().unwrap()]);
    let err = stderr(&o);
    assert!(o.status.success(), "check failed:\n{err}");
    assert!(stdout(&o).contains("ok:"), "{}", stdout(&o));
    assert!(
        err.contains("content/weihai-gxj/zhuangbeichanyeke.yaml")
            && err.contains("“企业公共服务科”"),
        "{err}"
    );
    assert!(
        err.contains("content/weihai-gxj/bangongshi.yaml") && err.contains("“财务科”"),
        "{err}"
    );
    assert!(err.contains("warning"), "{err}");
    assert!(!err.contains("error:"), "{err}");
}

#[test]
fn the_matrix_reads_roles_from_the_texts() {
    let s = site();
    let gxj = org("weihai-gxj");
    let m = matrix::matrix(s, gxj);
    assert!(m.rows.len() >= 20, "{} rows", m.rows.len());
    // 规划与技术改造科负责牵头开展…产业集群发展推进工作；装备产业科牵头负责…: the same
    // arrangement, written in four departments' files, is one row.
    let rows: Vec<&matrix::Row> = m
        .rows
        .iter()
        .filter(|r| r.title == "产业集群培育工作")
        .collect();
    assert_eq!(rows.len(), 1, "one row for one arrangement");
    let row = rows[0];
    assert_eq!(row.depts[&dept(gxj, "规划与技术改造科")].role, Role::Lead);
    assert_eq!(row.depts[&dept(gxj, "装备产业科")].role, Role::Lead);
    // Each statement's place finds that row.
    let zb = dept(gxj, "装备产业科");
    let item = s.orgs[gxj].depts[zb]
        .raw
        .division
        .internal
        .iter()
        .position(|i| i.topic() == Some("产业集群培育工作"))
        .expect("装备产业科 states it too");
    let place = zhize::views::Place::Division {
        dept: zb,
        section: zhize::views::Section::Internal,
        item,
    };
    assert_eq!(m.row_at(place).map(|r| r.place), Some(row.place));
    // Every row has at least two departments, or posts; every cell keeps its words.
    for r in &m.rows {
        assert!(r.depts.len() >= 2 || !r.posts.is_empty(), "{}", r.title);
        for c in r.depts.values() {
            assert!(!c.why.is_empty(), "{}", r.title);
        }
    }
    // A procedure's owner leads it; 知会 comes from 报…备案 / 抄送.
    let sthjj = org("weihai-sthjj");
    let m = matrix::matrix(s, sthjj);
    for r in m
        .rows
        .iter()
        .filter(|r| r.kind == matrix::RowKind::Procedure)
    {
        assert_eq!(r.depts[&r.owner.unwrap()].role, Role::Lead, "{}", r.title);
    }
    // Posts that cover shared duties appear in 济南市人民政府研究室's matrix.
    let yjs = org("jinan-yjs");
    let m = matrix::matrix(s, yjs);
    assert!(!m.rows.is_empty());
}

#[test]
fn every_organisation_has_its_views_linked_from_home_and_its_page() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let o = zhize(&[
        "build",
        "--root",
        repo().to_str().unwrap(),
        "--output",
        public.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let home = std::fs::read_to_string(public.join("index.html")).unwrap();
    for org in &site().orgs {
        let org_page = std::fs::read_to_string(public.join(&org.slug).join("index.html")).unwrap();
        for v in OrgPage::ALL {
            let path = public.join(&org.slug).join(v.file());
            let html = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(html.contains("<html lang=\"zh-CN\">"), "{}", path.display());
            // The footer names the review date where the organisation has one, else nothing.
            assert_eq!(
                html.contains("最后审核"),
                org.raw.reviewed.is_some(),
                "{}",
                path.display()
            );
            assert!(!html.contains("未注明"), "{}", path.display());
            assert!(
                home.contains(&format!("href=\"{}/{}\"", org.slug, v.file())),
                "home lacks {} of {}",
                v.file(),
                org.slug
            );
            assert!(
                org_page.contains(&format!("href=\"../{}/{}\"", org.slug, v.file())),
                "{} page lacks {}",
                org.slug,
                v.file()
            );
        }
    }
    // The boundary page of 威海市工业和信息化局 shows the unknown names, linked to their text.
    let b = std::fs::read_to_string(public.join("weihai-gxj/boundary.html")).unwrap();
    assert!(b.contains("企业公共服务科") && b.contains("财务科"));
    assert!(
        b.contains("zhuangbeichanyeke/index.html#division-internal-"),
        "{b}"
    );
    // Every link of the views resolves, anchors included.
    let files = read_output(&public);
    let broken = zhize::output::check_links(&files);
    assert!(broken.is_empty(), "{}", broken.len());
    // The sidebar tree shows the current department's posts and procedures.
    let dept_page =
        std::fs::read_to_string(public.join("weihai-gxj/bangongshi/index.html")).unwrap();
    assert!(dept_page.contains("class=\"nav-sub\""));
    assert!(dept_page.contains("posts/") && dept_page.contains("procedures/"));
}

/// Is this SVG well-formed, titled, described, and does every node start with its shape?
fn check_svg(svg: &str) {
    use quick_xml::events::Event;
    let mut r = quick_xml::Reader::from_str(svg);
    let mut expect_shape = false;
    let (mut title, mut desc) = (false, false);
    loop {
        match r.read_event().expect("well-formed SVG") {
            Event::Start(e) | Event::Empty(e) => {
                let name = e.name().0.to_string();
                if expect_shape {
                    assert!(
                        matches!(name.as_str(), "rect" | "polygon" | "circle" | "ellipse"),
                        "a node starts with <{name}>"
                    );
                    expect_shape = false;
                }
                title |= name == "title";
                desc |= name == "desc";
                let class = e
                    .try_get_attribute("class")
                    .ok()
                    .flatten()
                    .map(|a| a.value.to_string());
                if name == "g" && class.is_some_and(|c| c.split(' ').any(|x| x == "node")) {
                    expect_shape = true;
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(title && desc, "missing <title> or <desc>");
}

#[test]
fn graphs_are_deterministic_titled_svg() {
    let s = site();
    for oi in 0..s.orgs.len() {
        let m = matrix::matrix(s, oi);
        let g = graph::graph(&m);
        let href = |d: usize| format!("d{d}.html");
        let a = graph::svg(s, &g, &href, "g");
        assert_eq!(
            a,
            graph::svg(s, &graph::graph(&matrix::matrix(s, oi)), &href, "g")
        );
        assert!(a.starts_with("<svg") && a.ends_with("</svg>"));
        assert!(!a.contains("NaN"));
        check_svg(&a);
        // One node per department, and each edge links to its list.
        assert_eq!(
            a.matches("<g class=\"node\">").count(),
            s.orgs[oi].depts.len()
        );
        for e in &g.edges {
            assert!(a.contains(&format!("href=\"#{}\"", e.anchor())));
            assert!(!e.texts.is_empty());
        }
        let href = |t: zhize::resolve::Target| s.url(t);
        let c = orgchart::svg(s, oi, &href, "o");
        assert_eq!(c, orgchart::svg(s, oi, &href, "o"));
        check_svg(&c);
        let posts: usize = s.orgs[oi].depts.iter().map(|d| d.raw.posts.len()).sum();
        assert_eq!(c.matches("class=\"node post\"").count(), posts);
        assert_eq!(
            c.matches("class=\"node dept\"").count(),
            s.orgs[oi].depts.len()
        );
    }
}

#[test]
fn the_az_index_is_sorted_by_pinyin() {
    let s = site();
    for oi in 0..s.orgs.len() {
        let groups = zhize::views::az::index(s, oi);
        assert!(!groups.is_empty());
        let letters: Vec<char> = groups.iter().map(|g| g.letter).collect();
        let mut sorted = letters.clone();
        sorted.sort_by_key(|l| (*l == '#', *l));
        assert_eq!(letters, sorted);
        let all: Vec<&zhize::views::az::Entry> = groups.iter().flat_map(|g| &g.entries).collect();
        for w in all.windows(2) {
            if zhize::views::az::letter_of(&w[0].title) == zhize::views::az::letter_of(&w[1].title)
            {
                assert!(w[0].key <= w[1].key, "{} before {}", w[0].title, w[1].title);
            }
        }
        // Every procedure is in the index.
        let procs: usize = s.orgs[oi]
            .depts
            .iter()
            .map(|d| d.raw.procedures.len())
            .sum();
        let in_index = all
            .iter()
            .filter(|e| e.kind == zhize::views::az::Kind::Procedure)
            .count();
        assert_eq!(procs, in_index);
    }
}

/// The matrix, the boundary report and the graph of each organisation in brief: who has
/// which role in each row, which arrangements are one-sided, which pairs are linked. They
/// follow the mentions found in the texts, so a change to how names are found shows here.
#[test]
fn snapshot_of_the_views_of_each_organisation() {
    let s = site();
    let mut out = String::new();
    for (oi, o) in s.orgs.iter().enumerate() {
        let name = |d: usize| o.depts[d].raw.name.as_str();
        out.push_str(&format!("# {}\n## matrix\n", o.raw.name));
        let m = matrix::matrix(s, oi);
        for r in &m.rows {
            let cells: Vec<String> = r
                .depts
                .iter()
                .map(|(d, c)| format!("{}={}", name(*d), c.role.label()))
                .collect();
            let title: String = r.title.chars().take(24).collect();
            out.push_str(&format!("{title}: {}\n", cells.join(" ")));
        }
        out.push_str("## boundary: one-sided\n");
        let b = boundary::report(s, oi);
        for x in &b.one_sided {
            out.push_str(&format!("{} → {}\n", name(x.from), name(x.to)));
        }
        out.push_str("## boundary: unknown names\n");
        for u in &b.unknown_names {
            out.push_str(&format!("{}\n", u.name));
        }
        out.push_str("## graph\n");
        for e in &graph::graph(&m).edges {
            out.push_str(&format!(
                "{} — {} ({}{})\n",
                name(e.a),
                name(e.b),
                e.texts.len(),
                if e.one_sided() { ", one-sided" } else { "" }
            ));
        }
    }
    insta::assert_snapshot!("views_of_each_organisation", out);
}

#[test]
fn a_step_actor_that_nearly_names_a_post_is_warned_with_the_name_it_means() {
    let site = mini_site();
    let root = site.path().to_str().unwrap();
    let o = zhize(&["check", "--root", root]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        !stderr(&o).contains("step actor"),
        "plain roles (分管领导) and exact names are not warned about: {}",
        stderr(&o)
    );
    let file = site.path().join("content/shiju/bangongshi.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let text = text.replacen(
        "actor: 文秘岗, text: 用印人",
        "actor: 文秘, text: 用印人",
        1,
    );
    std::fs::write(&file, &text).unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("actor: 文秘,"))
        .unwrap()
        + 1;
    let o = zhize(&["check", "--root", root]);
    assert!(
        o.status.success(),
        "a warning, not an error: {}",
        stderr(&o)
    );
    let err = stderr(&o);
    assert!(
        err.contains(&format!("content/shiju/bangongshi.yaml:{line}:"))
            && err.contains("step actor “文秘”")
            && err.contains("did you mean 文秘岗?"),
        "{err}"
    );
}
