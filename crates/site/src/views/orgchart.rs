//! The organisation chart (组织架构图), drawn at build time as SVG: the organisation on top,
//! its departments as cards in a grid below it (four to a row), and each department's posts
//! listed under its name. A trunk line runs down between the columns with a bus above each
//! row of cards, so that no line crosses a box.
//!
//! Same conventions as the flowcharts: deterministic, black on white, `<title>`/`<desc>`,
//! each node a `<g class="node">` whose first child is its shape, and every box a link to its
//! page.

use super::esc;
use crate::resolve::{Site, Target};
use std::fmt::Write;
use zhize_flowchart::text::{text_em, wrap};

const FONT: f64 = 14.0;
const LINE_H: f64 = 19.0;
const CARD_W: f64 = 176.0;
const GAP_X: f64 = 28.0;
const GAP_Y: f64 = 40.0;
const MARGIN: f64 = 16.0;
const POST_INDENT: f64 = 18.0;
const POST_GAP: f64 = 6.0;

use super::svg_num as f;

/// A box with wrapped text.
struct Boxed {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    lines: Vec<String>,
    href: String,
    class: &'static str,
    bold: bool,
}

fn boxed(lines: Vec<String>, w: f64, href: String, class: &'static str, bold: bool) -> Boxed {
    let h = lines.len().max(1) as f64 * LINE_H + 12.0;
    Boxed {
        x: 0.0,
        y: 0.0,
        w,
        h,
        lines,
        href,
        class,
        bold,
    }
}

fn write_box(s: &mut String, b: &Boxed) {
    let _ = write!(
        s,
        "<a href=\"{}\"><g class=\"node {}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"4\" fill=\"#fff\" stroke=\"#000\" stroke-width=\"{}\"/><text x=\"{}\" text-anchor=\"middle\" fill=\"#000\"{}>",
        esc(&b.href),
        b.class,
        f(b.x),
        f(b.y),
        f(b.w),
        f(b.h),
        if b.bold { "2" } else { "1.2" },
        f(b.x + b.w / 2.0),
        if b.bold { " font-weight=\"bold\"" } else { "" }
    );
    let first = b.y + 6.0 + LINE_H / 2.0 + FONT * 0.35;
    for (k, l) in b.lines.iter().enumerate() {
        let _ = write!(
            s,
            "<tspan x=\"{}\" y=\"{}\">{}</tspan>",
            f(b.x + b.w / 2.0),
            f(first + k as f64 * LINE_H),
            esc(l)
        );
    }
    s.push_str("</text></g></a>");
}

fn line(s: &mut String, x1: f64, y1: f64, x2: f64, y2: f64) {
    let _ = write!(
        s,
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#000\" stroke-width=\"1.2\"/>",
        f(x1),
        f(y1),
        f(x2),
        f(y2)
    );
}

/// The chart of organisation `org` as SVG; `href(t)` links a target's page.
pub fn svg(site: &Site, org: usize, href: &dyn Fn(Target) -> String, id: &str) -> String {
    let o = &site.orgs[org];
    let n = o.depts.len();
    let cols = if n <= 4 { n.max(1) } else { 4 };
    let width = 2.0 * MARGIN + cols as f64 * CARD_W + (cols as f64 - 1.0) * GAP_X;
    let text_w = CARD_W - 16.0;
    // The organisation's box.
    let org_lines = wrap(&o.raw.name, (width - 2.0 * MARGIN - 24.0) / FONT);
    let org_w = org_lines
        .iter()
        .map(|l| text_em(l) * FONT + 40.0)
        .fold(0.0, f64::max)
        .min(width - 2.0 * MARGIN);
    let mut top = boxed(org_lines, org_w, href(Target::Org(org)), "org", true);
    top.x = (width - org_w) / 2.0;
    top.y = MARGIN;
    // Cards: the department's box and its posts under it.
    let mut cards: Vec<(Boxed, Vec<Boxed>)> = o
        .depts
        .iter()
        .enumerate()
        .map(|(di, d)| {
            let head = boxed(
                wrap(&d.raw.name, text_w / FONT),
                CARD_W,
                href(Target::Dept(org, di)),
                "dept",
                true,
            );
            let posts = d
                .raw
                .posts
                .iter()
                .enumerate()
                .map(|(pi, p)| {
                    boxed(
                        wrap(&p.name, (text_w - POST_INDENT) / FONT),
                        CARD_W - POST_INDENT,
                        href(Target::Post(org, di, pi)),
                        "post",
                        false,
                    )
                })
                .collect();
            (head, posts)
        })
        .collect();
    let card_h = |c: &(Boxed, Vec<Boxed>)| c.0.h + c.1.iter().map(|p| p.h + POST_GAP).sum::<f64>();
    let mut y = top.y + top.h + GAP_Y;
    let trunk_x = width / 2.0;
    let mut buses = Vec::new();
    for row in 0..n.div_ceil(cols) {
        let from = row * cols;
        let to = (from + cols).min(n);
        let row_h = cards[from..to].iter().map(card_h).fold(0.0, f64::max);
        let mut centres = Vec::new();
        for (k, card) in cards[from..to].iter_mut().enumerate() {
            let x = MARGIN + k as f64 * (CARD_W + GAP_X);
            card.0.x = x;
            card.0.y = y;
            let mut py = y + card.0.h + POST_GAP;
            for p in card.1.iter_mut() {
                p.x = x + POST_INDENT;
                p.y = py;
                py += p.h + POST_GAP;
            }
            centres.push(x + CARD_W / 2.0);
        }
        buses.push((y - GAP_Y / 2.0, centres));
        y += row_h + GAP_Y;
    }
    let height = y - GAP_Y + MARGIN;
    let posts: usize = o.depts.iter().map(|d| d.raw.posts.len()).sum();
    let mut s = super::svg_open(
        "view-orgchart",
        (width, height),
        FONT,
        id,
        &format!("{}组织架构图", o.raw.name),
        &format!(
            "{}下设 {n} 个科室、{posts} 个岗位。每个科室下列出其岗位；文字版见图下列表。",
            o.raw.name
        ),
    );
    // Lines first, boxes over them.
    if let Some((last_bus, _)) = buses.last() {
        line(&mut s, trunk_x, top.y + top.h, trunk_x, *last_bus);
    }
    for (bus_y, centres) in &buses {
        let lo = centres.first().copied().unwrap_or(trunk_x).min(trunk_x);
        let hi = centres.last().copied().unwrap_or(trunk_x).max(trunk_x);
        line(&mut s, lo, *bus_y, hi, *bus_y);
        for c in centres {
            line(&mut s, *c, *bus_y, *c, bus_y + GAP_Y / 2.0);
        }
    }
    for (head, posts) in &cards {
        if let Some(last) = posts.last() {
            let x = head.x + POST_INDENT / 2.0;
            line(&mut s, x, head.y + head.h, x, last.y + last.h / 2.0);
            for p in posts {
                line(&mut s, x, p.y + p.h / 2.0, p.x, p.y + p.h / 2.0);
            }
        }
    }
    write_box(&mut s, &top);
    for (head, posts) in &cards {
        write_box(&mut s, head);
        for p in posts {
            write_box(&mut s, p);
        }
    }
    s.push_str("</svg>");
    s
}
