//! The collaboration graph (协作关系图) of an organisation, drawn at build time as SVG:
//! departments as nodes on a circle, and an edge wherever a shared division item, duty or
//! procedure (a row of the [`super::matrix`]) joins two of them. An edge's width grows with
//! the number of texts behind it; it is dashed when only one side's file names the other
//! (see the boundary report), so that colour is never the only cue. Every edge links to the
//! list of its texts on the page, every node to its department.
//!
//! The SVG follows the flowchart conventions: deterministic, black on white, `<title>` and
//! `<desc>`, each node a `<g class="node">` whose first child is its shape, text measured
//! with [`zhize_flowchart::text`].

use super::matrix::{Matrix, RowKind};
use super::{esc, Place};
use crate::resolve::Site;
use std::collections::BTreeMap;
use std::fmt::Write;
use zhize_flowchart::text::{text_em, wrap};

/// Two departments that work together, and the texts that say so.
#[derive(Debug, Clone)]
pub struct Edge {
    pub a: usize,
    pub b: usize,
    /// The rows behind the edge: place, kind and title.
    pub texts: Vec<(Place, RowKind, String)>,
    /// Does a text in `a`'s file name `b`, and the other way round?
    pub a_names_b: bool,
    pub b_names_a: bool,
}

impl Edge {
    /// Only one side's texts name the other.
    pub fn one_sided(&self) -> bool {
        self.a_names_b != self.b_names_a
    }

    /// Anchor of the edge's list on the page.
    pub fn anchor(&self) -> String {
        format!("edge-{}-{}", self.a + 1, self.b + 1)
    }
}

/// The graph of one organisation.
#[derive(Debug, Clone)]
pub struct Graph {
    pub org: usize,
    pub edges: Vec<Edge>,
}

/// Edges from the rows of a matrix: the owner of each row to every other department in it
/// (every pair, for the organisation's own division items).
pub fn graph(m: &Matrix) -> Graph {
    let mut edges: BTreeMap<(usize, usize), Edge> = BTreeMap::new();
    // Each statement of a row: its own, and those of the departments that wrote the same
    // arrangement down too (each names the others from its own file).
    let statements = m.rows.iter().flat_map(|row| {
        let own: Vec<usize> = row.depts.keys().copied().collect();
        std::iter::once((row, row.owner, row.place, own)).chain(
            (row.also_stated.iter()).map(move |(o, p, named)| (row, Some(*o), *p, named.clone())),
        )
    });
    for (row, owner, place, depts) in statements {
        let pairs: Vec<(usize, usize)> = match owner {
            Some(o) => depts.iter().filter(|d| **d != o).map(|d| (o, *d)).collect(),
            None => depts
                .iter()
                .enumerate()
                .flat_map(|(i, a)| depts[i + 1..].iter().map(move |b| (*a, *b)))
                .collect(),
        };
        for (from, to) in pairs {
            let key = (from.min(to), from.max(to));
            let e = edges.entry(key).or_insert_with(|| Edge {
                a: key.0,
                b: key.1,
                texts: Vec::new(),
                a_names_b: false,
                b_names_a: false,
            });
            if !e.texts.iter().any(|(p, _, _)| *p == place) {
                e.texts.push((place, row.kind, row.title.clone()));
            }
            if owner.is_some() {
                if from == key.0 {
                    e.a_names_b = true;
                } else {
                    e.b_names_a = true;
                }
            } else {
                e.a_names_b = true;
                e.b_names_a = true;
            }
        }
    }
    Graph {
        org: m.org,
        edges: edges.into_values().collect(),
    }
}

const FONT: f64 = 14.0;
const LINE_H: f64 = 19.0;
const NODE_EM: f64 = 7.0;
const MARGIN: f64 = 16.0;

use super::svg_num as f;

/// The graph as SVG. `href(d)` is the link of department `d`; edges link to `#edge-a-b`.
pub fn svg(site: &Site, g: &Graph, href: &dyn Fn(usize) -> String, id: &str) -> String {
    let o = &site.orgs[g.org];
    let n = o.depts.len();
    // Node boxes: wrapped names.
    let labels: Vec<Vec<String>> = o.depts.iter().map(|d| wrap(&d.raw.name, NODE_EM)).collect();
    let box_w: Vec<f64> = labels
        .iter()
        .map(|l| {
            let w = l.iter().map(|x| text_em(x)).fold(0.0, f64::max);
            (w * FONT + 20.0).max(64.0)
        })
        .collect();
    let box_h: Vec<f64> = labels
        .iter()
        .map(|l| l.len().max(1) as f64 * LINE_H + 12.0)
        .collect();
    let max_w = box_w.iter().copied().fold(0.0, f64::max);
    let max_h = box_h.iter().copied().fold(0.0, f64::max);
    // A circle large enough that neighbouring boxes do not touch.
    let radius = if n <= 1 {
        0.0
    } else {
        let chord = max_w.max(max_h * 2.0) + 24.0;
        (chord / (2.0 * (std::f64::consts::PI / n as f64).sin())).max(140.0)
    };
    let width = 2.0 * radius + max_w + 2.0 * MARGIN;
    let height = 2.0 * radius + max_h + 2.0 * MARGIN;
    let (cx, cy) = (width / 2.0, height / 2.0);
    let pos: Vec<(f64, f64)> = (0..n)
        .map(|k| {
            let a = -std::f64::consts::FRAC_PI_2 + 2.0 * std::f64::consts::PI * k as f64 / n as f64;
            (cx + radius * a.cos(), cy + radius * a.sin())
        })
        .collect();
    let one_sided = g.edges.iter().filter(|e| e.one_sided()).count();
    let mut s = super::svg_open(
        "view-graph",
        (width, height),
        FONT,
        id,
        &format!("{}协作关系图", o.raw.name),
        &format!(
            "{n} 个科室，{} 条协作关系（其中 {one_sided} 条只有一方的清单提到对方，画作虚线）。线越粗，背后的分工条目和流程越多。各条关系的文字见图下列表。",
            g.edges.len()
        ),
    );
    for e in &g.edges {
        let (x1, y1) = pos[e.a];
        let (x2, y2) = pos[e.b];
        let w = 1.0 + (e.texts.len() as f64).log2().max(0.0) * 1.2;
        let _ = write!(
            s,
            "<a href=\"#{}\"><g class=\"edge{}\"><title>{} — {}：{} 条</title><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#000\" stroke-width=\"{}\"{}/></g></a>",
            e.anchor(),
            if e.one_sided() { " one-sided" } else { "" },
            esc(&o.depts[e.a].raw.name),
            esc(&o.depts[e.b].raw.name),
            e.texts.len(),
            f(x1),
            f(y1),
            f(x2),
            f(y2),
            f(w),
            if e.one_sided() {
                " stroke-dasharray=\"6 4\""
            } else {
                ""
            }
        );
    }
    for (d, (x, y)) in pos.iter().enumerate() {
        let (w, h) = (box_w[d], box_h[d]);
        let _ = write!(
            s,
            "<a href=\"{}\"><g class=\"node\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"4\" fill=\"#fff\" stroke=\"#000\" stroke-width=\"1.5\"/><text x=\"{}\" text-anchor=\"middle\" fill=\"#000\">",
            esc(&href(d)),
            f(x - w / 2.0),
            f(y - h / 2.0),
            f(w),
            f(h),
            f(*x)
        );
        let lines = &labels[d];
        let first = y - (lines.len() as f64 * LINE_H) / 2.0 + LINE_H / 2.0 + FONT * 0.35;
        for (k, line) in lines.iter().enumerate() {
            let _ = write!(
                s,
                "<tspan x=\"{}\" y=\"{}\">{}</tspan>",
                f(*x),
                f(first + k as f64 * LINE_H),
                esc(line)
            );
        }
        s.push_str("</text></g></a>");
    }
    s.push_str("</svg>");
    s
}
