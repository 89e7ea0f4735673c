//! Flowchart layout must be correct, not just pretty: nodes never overlap, edges never pass
//! through nodes, every node lies in its lane, text fits its box, output is deterministic and
//! every chart renders with resvg.

use crate::common::*;
use proptest::prelude::*;
use zhize::flowchart::layout::{layout, Layout, Rect, FONT};
use zhize::flowchart::text::text_em;
use zhize::flowchart::{Chart, NodeKind, StepIn};

/// Every geometric rule, as a list of violations.
fn violations(chart: &Chart, l: &Layout) -> Vec<String> {
    let mut v = Vec::new();
    let inside = |a: &Rect, b: &Rect| {
        a.x < b.right() && b.x < a.right() && a.y < b.bottom() && b.y < a.bottom()
    };
    for i in 0..l.nodes.len() {
        for j in i + 1..l.nodes.len() {
            if inside(&l.nodes[i].rect, &l.nodes[j].rect) {
                v.push(format!("nodes {i} and {j} overlap"));
            }
        }
        let r = l.nodes[i].rect;
        let (lx, lw) = l.lanes[chart.nodes[i].lane];
        if r.x < lx || r.right() > lx + lw {
            v.push(format!("node {i} leaves its lane"));
        }
        let inner = match chart.nodes[i].kind {
            NodeKind::Decision => r.w / 2.0,
            _ => r.w,
        };
        for line in l.nodes[i].lines.iter().chain(&l.nodes[i].limit_lines) {
            if text_em(line) * FONT > inner + 0.5 {
                v.push(format!("text `{line}` is wider than node {i}"));
            }
        }
        let lines = (l.nodes[i].lines.len() + l.nodes[i].limit_lines.len()) as f64;
        let needed = if chart.nodes[i].kind == NodeKind::Decision {
            lines * 20.0 * 2.0
        } else {
            lines * 20.0
        };
        if needed > r.h + 0.5 {
            v.push(format!("text of node {i} is taller than its box"));
        }
        // No box taller than its text needs (with its padding, or the least height).
        let most = match chart.nodes[i].kind {
            NodeKind::Decision => 2.0 * (lines * 20.0 + 6.0).max(22.0),
            NodeKind::Task => (lines * 20.0 + 16.0).max(36.0),
            NodeKind::Terminator => 32.0,
            NodeKind::Bar => 6.0,
        };
        if r.h > most.ceil() + 0.5 {
            v.push(format!("node {i} is taller than its text needs"));
        }
        // A decision keeps to two lines unless its question is very long.
        if chart.nodes[i].kind == NodeKind::Decision
            && l.nodes[i].lines.len() > 2
            && chart.nodes[i].text.chars().count() <= 32
        {
            v.push(format!("decision {i} takes more than two lines"));
        }
    }
    // Every edge stays inside the frame of the lanes.
    let (left, right) = (
        l.lanes.first().map_or(0.0, |l| l.0),
        l.lanes.last().map_or(0.0, |l| l.0 + l.1),
    );
    for (k, route) in l.edges.iter().enumerate() {
        if route
            .points
            .iter()
            .any(|(x, y)| *x < left - 0.5 || *x > right + 0.5 || *y < 0.0 || *y > l.height)
        {
            v.push(format!("edge {k} leaves the frame"));
        }
    }
    for (k, (e, route)) in chart.edges.iter().zip(&l.edges).enumerate() {
        for w in route.points.windows(2) {
            let (a, b) = (w[0], w[1]);
            if (a.0 - b.0).abs() > 0.01 && (a.1 - b.1).abs() > 0.01 {
                v.push(format!("edge {k} has a diagonal segment"));
            }
            let seg = Rect {
                x: a.0.min(b.0),
                y: a.1.min(b.1),
                w: (a.0 - b.0).abs(),
                h: (a.1 - b.1).abs(),
            };
            for (n, node) in l.nodes.iter().enumerate() {
                // Shrink by a pixel: touching the border where an edge enters or leaves is fine.
                let r = node.rect;
                let core = Rect {
                    x: r.x + 1.0,
                    y: r.y + 1.0,
                    w: (r.w - 2.0).max(0.0),
                    h: (r.h - 2.0).max(0.0),
                };
                let hits = seg.x <= core.right()
                    && core.x <= seg.x + seg.w
                    && seg.y <= core.bottom()
                    && core.y <= seg.y + seg.h;
                if hits && n != e.from && n != e.to {
                    v.push(format!(
                        "edge {k} ({}→{}) passes through node {n}",
                        e.from, e.to
                    ));
                }
            }
        }
        // The edge must start at its source and end at its target.
        let (sx, sy) = route.points[0];
        let (tx, ty) = *route.points.last().unwrap();
        let on = |r: &Rect, x: f64, y: f64| {
            x >= r.x - 0.5 && x <= r.right() + 0.5 && y >= r.y - 0.5 && y <= r.bottom() + 0.5
        };
        if !on(&l.nodes[e.from].rect, sx, sy) || !on(&l.nodes[e.to].rect, tx, ty) {
            v.push(format!("edge {k} does not connect its nodes"));
        }
    }
    v
}

fn renders_with_resvg(svg: &str) {
    let tree =
        resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default()).expect("SVG parses");
    let size = tree.size().to_int_size();
    let mut pixmap =
        resvg::tiny_skia::Pixmap::new(size.width().max(1), size.height().max(1)).expect("pixmap");
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
}

fn step(label: &str, actor: &str) -> StepIn {
    StepIn {
        label: Some(label.into()),
        actor: Some((actor.into(), None)),
        ..Default::default()
    }
}

fn sample() -> Chart {
    let mut steps = vec![
        step("拟稿", "拟稿科室"),
        StepIn {
            branches: vec![("不符合公文格式".into(), Some("退回".into()), Some(0))],
            ..step("核稿", "办公室")
        },
        StepIn {
            parallel: vec![("财务审计科".into(), None), ("政工科".into(), None)],
            limit: Some("3个工作日".into()),
            ..step("会签", "办公室")
        },
        step("签发", "分管领导"),
        StepIn {
            text: Some("印制、用印并分发，登记归档备查。".into()),
            label: None,
            actor: Some(("办公室".into(), None)),
            ..Default::default()
        },
    ];
    steps[3].branches.push(("不同意".into(), None, None));
    Chart::from_steps("行文工作流程", ("办公室", None), &steps)
}

#[test]
fn a_procedure_with_loops_decisions_and_cosigning_lays_out_cleanly() {
    let chart = sample();
    let l = layout(&chart);
    assert_eq!(violations(&chart, &l), Vec::<String>::new());
    assert_eq!(
        chart
            .lanes
            .iter()
            .map(|l| l.name.as_str())
            .collect::<Vec<_>>(),
        ["拟稿科室", "办公室", "财务审计科", "政工科", "分管领导"]
    );
    assert!(
        chart.nodes.iter().any(|n| n.kind == NodeKind::Bar),
        "会签 draws fork and join bars"
    );
    // The loop back to 拟稿 is routed in the left gutter and enters from the side.
    let back = l.edges.iter().find(|e| e.back).expect("a loop back");
    let (ex, ey) = *back.points.last().unwrap();
    let target = l.nodes[1].rect;
    assert_eq!((ex, ey), (target.x, target.cy()));
    assert!(
        back.points.iter().any(|(x, _)| *x < target.x - 1.0),
        "loop runs in the left gutter"
    );
    let svg = zhize::flowchart::render(&chart, "t");
    assert!(svg.contains("<title id=\"t-title\">行文工作流程</title>"));
    assert!(svg.contains("<desc id=\"t-desc\">"));
    assert!(svg.contains("时限：3个工作日"));
    assert!(svg.contains(">是·退回</text>") && svg.contains(">否</text>"));
    renders_with_resvg(&svg);
}

#[test]
fn nodes_are_plain_groups_whose_first_child_is_their_shape() {
    let svg = zhize::flowchart::render(&sample(), "t");
    for part in svg.split("<g class=\"node").skip(1) {
        let after = &part[part.find('>').unwrap() + 1..];
        assert!(
            after.starts_with("<rect") || after.starts_with("<polygon"),
            "{}",
            &after[..40.min(after.len())]
        );
        assert!(!part[..part.find('>').unwrap()].contains("transform"));
    }
}

#[test]
fn output_is_byte_identical_across_runs() {
    let a = zhize::flowchart::render(&sample(), "t");
    let b = zhize::flowchart::render(&sample(), "t");
    assert_eq!(a, b);
}

/// Procedures of the demo content with two steps or more.
const DEMO_CHARTS: usize = 193;

#[test]
fn every_demo_procedure_with_two_steps_has_a_clean_chart_on_its_page() {
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
    let site = zhize::check(&repo());
    let mut charts = 0;
    for (oi, org) in site.orgs.iter().enumerate() {
        for (di, dept) in org.depts.iter().enumerate() {
            for (pi, p) in dept.raw.procedures.iter().enumerate() {
                let page = std::fs::read_to_string(
                    public.join(site.url(zhize::resolve::Target::Procedure(oi, di, pi))),
                )
                .unwrap();
                if p.steps.len() < 2 {
                    continue;
                }
                let start = page
                    .find("<svg")
                    .unwrap_or_else(|| panic!("{} has no chart", p.name));
                let svg = &page[start..page.find("</svg>").unwrap() + 6];
                renders_with_resvg(svg);
                charts += 1;
            }
        }
    }
    // The demo's procedures with two steps or more, as imported from the seeds: a loader or
    // importer that lost procedures would draw fewer.
    assert_eq!(
        charts, DEMO_CHARTS,
        "charts drawn on the demo's procedure pages"
    );
}

#[test]
fn seed_procedure_charts_have_no_layout_faults() {
    let site = zhize::check(&repo());
    for org in &site.orgs {
        for dept in &org.depts {
            for (p, pr) in dept.raw.procedures.iter().zip(&dept.procedures) {
                let steps = zhize::chart::steps_of(p, pr, &|t| t.to_string(), &|_| None);
                let chart = Chart::from_steps(&p.name, (&dept.raw.name, None), &steps);
                let l = layout(&chart);
                assert_eq!(violations(&chart, &l), Vec::<String>::new(), "{}", p.name);
            }
        }
    }
}

/// The tallest chart allowed: about two screens.
const MAX_CHART_H: f64 = zhize::flowchart::MAX_HEIGHT;

#[test]
fn procedures_whose_steps_name_two_actors_get_a_lane_each() {
    use std::collections::BTreeSet;
    let site = zhize::check(&repo());
    let (mut with_steps, mut before, mut after) = (0, 0, 0);
    let mut tallest = (0.0f64, String::new());
    for org in &site.orgs {
        for dept in &org.depts {
            for (p, pr) in dept.raw.procedures.iter().zip(&dept.procedures) {
                if p.steps.is_empty() {
                    continue;
                }
                with_steps += 1;
                let steps = zhize::chart::steps_of(p, pr, &|t| t.to_string(), &|_| None);
                let chart = Chart::from_steps(&p.name, (&dept.raw.name, None), &steps);
                // A lane for each actor, read from the text where none is written.
                let mut actors: BTreeSet<&str> = steps
                    .iter()
                    .filter_map(|s| s.actor.as_ref())
                    .chain(steps.iter().flat_map(|s| &s.parallel))
                    .map(|a| a.0.as_str())
                    .collect();
                if steps.iter().any(|s| s.actor.is_none()) {
                    actors.insert(&dept.raw.name);
                }
                let lanes: BTreeSet<&str> = chart.lanes.iter().map(|l| l.name.as_str()).collect();
                assert_eq!(lanes, actors, "{}", p.name);
                after += usize::from(chart.lanes.len() >= 2);
                // Before steps' texts were read: only the actors written as `actor`.
                let written: Vec<StepIn> = steps
                    .iter()
                    .zip(&p.steps)
                    .map(|(s, raw)| StepIn {
                        actor: raw.actor.clone().map(|a| (a, None)),
                        ..s.clone()
                    })
                    .collect();
                let old = Chart::from_steps(&p.name, (&dept.raw.name, None), &written);
                before += usize::from(old.lanes.len() >= 2);
                // Drawn in parts when long: every part within two screens, unless a single
                // step is taller.
                for part in Chart::parts(&p.name, (&dept.raw.name, None), &steps, MAX_CHART_H) {
                    let l = layout(&part);
                    assert_eq!(violations(&part, &l), Vec::<String>::new(), "{}", p.name);
                    let task_count = part
                        .nodes
                        .iter()
                        .filter(|n| n.kind == NodeKind::Task)
                        .count();
                    if l.height > tallest.0 && task_count > 1 {
                        tallest = (l.height, p.name.clone());
                    }
                }
            }
        }
    }
    let pct = |n: usize| 100.0 * n as f64 / with_steps as f64;
    println!(
        "procedures with steps drawn with two lanes or more: written actors only {before}/{with_steps} ({:.0}%), actors read from the steps {after}/{with_steps} ({:.0}%); tallest chart {:.0} px ({})",
        pct(before),
        pct(after),
        tallest.0,
        tallest.1
    );
    assert!(after > before, "{after} ≤ {before}");
    assert!(
        tallest.0 <= MAX_CHART_H,
        "{} is {:.0} px tall",
        tallest.1,
        tallest.0
    );
}

#[test]
fn snapshots_of_seed_procedures() {
    let site = zhize::check(&repo());
    let org = site
        .orgs
        .iter()
        .find(|o| o.raw.name == "威海市生态环境局")
        .expect("seed 000 in content");
    for (dept, proc_name) in [
        ("办公室", "行文工作流程"),
        ("办公室", "印章使用工作流程"),
        ("财务审计科", "资金支出审批工作流程"),
    ] {
        let d = org.depts.iter().find(|d| d.raw.name == dept).unwrap();
        let (p, pr) = d
            .raw
            .procedures
            .iter()
            .zip(&d.procedures)
            .find(|(p, _)| p.name == proc_name)
            .unwrap();
        let steps = zhize::chart::steps_of(p, pr, &|t| t.to_string(), &|_| None);
        let svg =
            zhize::flowchart::render(&Chart::from_steps(&p.name, (dept, None), &steps), "chart");
        insta::assert_snapshot!(
            format!("chart_{}", zhize::slug::slugify(proc_name)),
            svg.replace("><", ">\n<")
        );
    }
}

#[test]
fn markdown_flowchart_blocks_render_and_errors_name_the_line() {
    let site = mini_site();
    let page = site.path().join("content/pages/chart.md");
    std::fs::write(&page, "---\ntitle: 图\n---\n\n说明。\n\n```flowchart\nflowchart TD\n  subgraph 办公室\n    A([开始]) --> B[拟稿]\n    B --> C{合规?}\n  end\n  C -->|是| D[签发]\n  C -->|否| B\n```\n").unwrap();
    let o = zhize(&["build", "--root", site.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(site.path().join("public/pages/chart.html")).unwrap();
    assert!(
        html.contains("<svg") && html.contains(">拟稿</tspan>"),
        "{html}"
    );
    renders_with_resvg(&html[html.find("<svg").unwrap()..html.find("</svg>").unwrap() + 6]);

    std::fs::write(
        &page,
        "---\ntitle: 图\n---\n\n```flowchart\nflowchart TD\n  A[拟稿 --> B\n```\n",
    )
    .unwrap();
    let o = zhize(&["build", "--root", site.path().to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("content/pages/chart.md:7:1: flowchart:"),
        "{}",
        stderr(&o)
    );
}

fn arb_steps() -> impl Strategy<Value = Vec<StepIn>> {
    let actors = [
        "办公室",
        "分管领导",
        "财务审计科",
        "政工科",
        "主要负责人",
        "市财政局",
    ];
    prop::collection::vec(
        (
            0..actors.len(),
            "[一-龥]{1,30}",
            prop::option::of("[0-9]{1,2}个工作日"),
            prop::collection::vec(0..actors.len(), 0..3),
            prop::collection::vec(("[一-龥]{1,12}", prop::option::of(0usize..40)), 0..3),
        ),
        1..30,
    )
    .prop_map(move |raw| {
        let n = raw.len();
        raw.into_iter()
            .map(|(a, text, limit, par, br)| StepIn {
                label: None,
                text: Some(text),
                actor: Some((actors[a].to_string(), None)),
                parallel: par
                    .into_iter()
                    .filter(|p| *p != a)
                    .map(|p| (actors[p].to_string(), None))
                    .collect::<std::collections::BTreeMap<_, _>>()
                    .into_iter()
                    .collect(),
                limit,
                branches: br
                    .into_iter()
                    .map(|(w, g)| (w, Some("退回".to_string()), g.map(|g| g % n)))
                    .collect(),
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, .. ProptestConfig::default() })]

    #[test]
    fn random_procedures_lay_out_without_faults(steps in arb_steps()) {
        let chart = Chart::from_steps("随机流程", ("办公室", None), &steps);
        let l = layout(&chart);
        let v = violations(&chart, &l);
        prop_assert!(v.is_empty(), "{:?}", v);
        prop_assert_eq!(zhize::flowchart::render(&chart, "x"), zhize::flowchart::render(&chart, "x"));
    }
}

/// The checker itself must catch faults, or the tests above prove nothing.
#[test]
fn the_checker_catches_overlaps_crossings_and_lane_escapes() {
    let chart = sample();
    let good = layout(&chart);
    let mut overlap = good.clone();
    overlap.nodes[2].rect = overlap.nodes[1].rect;
    assert!(violations(&chart, &overlap)
        .iter()
        .any(|v| v.contains("overlap")));
    let mut crossing = good.clone();
    let target = crossing.nodes[3].rect;
    crossing.edges[0].points = vec![
        (target.cx(), target.y - 30.0),
        (target.cx(), target.bottom() + 30.0),
    ];
    assert!(violations(&chart, &crossing)
        .iter()
        .any(|v| v.contains("passes through")));
    let mut outside = good.clone();
    outside.edges[0].points[1].0 = outside.lanes[0].0 - 20.0;
    assert!(violations(&chart, &outside)
        .iter()
        .any(|v| v.contains("leaves the frame")));
    let mut tall = good.clone();
    tall.nodes[1].rect.h += 200.0;
    assert!(violations(&chart, &tall)
        .iter()
        .any(|v| v.contains("taller than its text needs")));
    let mut escaped = good;
    escaped.nodes[1].rect.x = escaped.lanes[1].0 - 5.0;
    assert!(violations(&chart, &escaped)
        .iter()
        .any(|v| v.contains("leaves its lane")));
}

#[test]
fn a_branch_to_the_next_step_draws_no_decision_and_check_warns() {
    // {when: 审核通过, goto: 签发} on the step before 签发: 是 and 否 would both go to 签发.
    let steps = vec![
        step("申请", "经办人"),
        StepIn {
            branches: vec![("审核通过".into(), None, Some(2))],
            ..step("审核", "办公室")
        },
        step("签发", "分管领导"),
    ];
    let chart = Chart::from_steps("发文流程", ("办公室", None), &steps);
    assert!(
        !chart.nodes.iter().any(|n| n.kind == NodeKind::Decision),
        "no decision whose answers lead to one place"
    );
    assert_eq!(violations(&chart, &layout(&chart)), Vec::<String>::new());
    // A branch elsewhere still draws its decision.
    let mut back = steps.clone();
    back[1].branches = vec![("审核不通过".into(), Some("退回".into()), Some(0))];
    let chart = Chart::from_steps("发文流程", ("办公室", None), &back);
    assert_eq!(
        chart
            .nodes
            .iter()
            .filter(|n| n.kind == NodeKind::Decision)
            .count(),
        1
    );
    // `check` says so at the branch's line.
    let site = mini_site();
    let file = site.path().join("content/shiju/bangongshi.yaml");
    let text = std::fs::read_to_string(&file).unwrap().replacen(
        "branches: [{when: 手续不全, goto: 申请, label: 退回}]",
        "branches: [{when: 审核通过, goto: 签批}]",
        1,
    );
    std::fs::write(&file, &text).unwrap();
    let line = text.lines().position(|l| l.contains("审核通过")).unwrap() + 1;
    let o = zhize(&["check", "--root", site.path().to_str().unwrap()]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains(&format!("bangongshi.yaml:{line}:"))
            && err.contains("branch “审核通过” goes to the next step"),
        "{err}"
    );
}
