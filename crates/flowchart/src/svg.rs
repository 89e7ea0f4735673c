//! Writing a laid-out chart as SVG: plain shapes and text, black on white, with `<title>` and
//! `<desc>`; lanes and nodes link to their actors' pages. Every node is a `<g class="node">`
//! without a transform whose first child is its shape, so tools can check the geometry.

use super::layout::{Layout, FONT, HEADER_H, LINE_H};
use super::{Chart, NodeKind};
use std::fmt::Write;

use zhize_core::escape::escape as esc;

/// Numbers as SVG wants them: integers without a fraction, else one decimal.
fn f(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// The SVG of a chart. `id` prefixes the ids inside it (unique per page).
pub fn write(chart: &Chart, l: &Layout, id: &str) -> String {
    let id = esc(id);
    let mut s = String::with_capacity(4096 + chart.nodes.len() * 300);
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"flowchart\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" aria-labelledby=\"{id}-title {id}-desc\" font-size=\"{fs}\">",
        w = f(l.width),
        h = f(l.height),
        fs = f(FONT),
    );
    let _ = write!(s, "<title id=\"{id}-title\">{}</title>", esc(&chart.title));
    let _ = write!(
        s,
        "<desc id=\"{id}-desc\">{}</desc>",
        esc(&chart.describe())
    );
    let _ = write!(
        s,
        "<defs><marker id=\"{id}-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\" fill=\"#000\"/></marker></defs>"
    );
    let _ = write!(
        s,
        "<rect class=\"bg\" x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#fff\"/>",
        f(l.width),
        f(l.height)
    );
    // Lanes: a frame per actor with its name on top, linked to its page.
    let top = 8.0;
    for (i, (x, w)) in l.lanes.iter().enumerate() {
        let lane = chart.lanes.get(i);
        let name = lane.map(|l| l.name.as_str()).unwrap_or("");
        let _ = write!(
            s,
            "<g class=\"lane\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"#555\"/>",
            f(*x),
            f(top),
            f(*w),
            f(l.height - 2.0 * top),
            if i % 2 == 0 { "#fff" } else { "#f4f4f4" }
        );
        let _ = write!(
            s,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#555\"/>",
            f(*x),
            f(top + HEADER_H),
            f(x + w),
            f(top + HEADER_H)
        );
        let label = format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"bold\" fill=\"#000\">{}</text>",
            f(x + w / 2.0),
            f(top + HEADER_H / 2.0 + 5.0),
            esc(name)
        );
        match lane.and_then(|l| l.href.as_deref()) {
            Some(href) => {
                let _ = write!(s, "<a href=\"{}\">{label}</a>", esc(href));
            }
            None => s.push_str(&label),
        }
        s.push_str("</g>");
    }
    // Edges below nodes; loops back dashed so that colour is never the only cue.
    for e in &l.edges {
        let pts: Vec<String> = e
            .points
            .iter()
            .map(|(x, y)| format!("{},{}", f(*x), f(*y)))
            .collect();
        let _ = write!(
            s,
            "<polyline class=\"edge{}\" points=\"{}\" fill=\"none\" stroke=\"#000\" stroke-width=\"1.3\"{} marker-end=\"url(#{id}-arrow)\"/>",
            if e.back { " back" } else { "" },
            pts.join(" "),
            if e.back { " stroke-dasharray=\"5 3\"" } else { "" },
        );
        if let Some((x, y, text)) = &e.label {
            let _ = write!(s, "<text class=\"edge-label\" x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"#000\">{}</text>", f(*x), f(*y), esc(text));
        }
    }
    for (node, placed) in chart.nodes.iter().zip(&l.nodes) {
        let r = placed.rect;
        let shape = match node.kind {
            NodeKind::Task => format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"#fff\" stroke=\"#000\" stroke-width=\"1.3\"/>",
                f(r.x), f(r.y), f(r.w), f(r.h)
            ),
            NodeKind::Terminator => format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" fill=\"#fff\" stroke=\"#000\" stroke-width=\"2\"/>",
                f(r.x), f(r.y), f(r.w), f(r.h), f(r.h / 2.0)
            ),
            NodeKind::Decision => format!(
                "<polygon points=\"{},{} {},{} {},{} {},{}\" fill=\"#fff\" stroke=\"#000\" stroke-width=\"1.3\"/>",
                f(r.cx()), f(r.y), f(r.right()), f(r.cy()), f(r.cx()), f(r.bottom()), f(r.x), f(r.cy())
            ),
            NodeKind::Bar => format!("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#000\"/>", f(r.x), f(r.y), f(r.w), f(r.h)),
        };
        let mut g = format!("<g class=\"node {}\">{shape}", kind_class(node.kind));
        if let Some(full) = &node.full {
            let _ = write!(g, "<title>{}</title>", esc(full));
        }
        let lines: Vec<(&String, bool)> = placed
            .lines
            .iter()
            .map(|t| (t, false))
            .chain(placed.limit_lines.iter().map(|t| (t, true)))
            .collect();
        if !lines.is_empty() {
            let total = lines.len() as f64 * LINE_H;
            let first = r.cy() - total / 2.0 + LINE_H / 2.0 + FONT * 0.35;
            let _ = write!(
                g,
                "<text x=\"{}\" text-anchor=\"middle\" fill=\"#000\">",
                f(r.cx())
            );
            for (k, (t, is_limit)) in lines.iter().enumerate() {
                let _ = write!(
                    g,
                    "<tspan x=\"{}\" y=\"{}\"{}>{}</tspan>",
                    f(r.cx()),
                    f(first + k as f64 * LINE_H),
                    if *is_limit {
                        " font-size=\"12\" font-style=\"italic\""
                    } else {
                        ""
                    },
                    esc(t)
                );
            }
            g.push_str("</text>");
        }
        g.push_str("</g>");
        match &node.href {
            Some(href) => {
                let _ = write!(s, "<a href=\"{}\">{g}</a>", esc(href));
            }
            None => s.push_str(&g),
        }
    }
    s.push_str("</svg>");
    s
}

fn kind_class(k: NodeKind) -> &'static str {
    match k {
        NodeKind::Task => "task",
        NodeKind::Decision => "decision",
        NodeKind::Terminator => "terminator",
        NodeKind::Bar => "bar",
    }
}
