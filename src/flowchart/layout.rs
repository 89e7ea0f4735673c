//! Lane-grid layout: rows by longest path over forward edges in the author's order (at most
//! one node per lane per row), lanes as columns sized to their widest node, and orthogonal
//! edge routes that use only the gaps between rows and the gutters beside the lanes, each
//! edge on its own track, so no edge crosses a node.

use super::text::{text_em, wrap};
use super::{Chart, NodeKind};

/// Font size in px (1 em).
pub const FONT: f64 = 14.0;
/// Line height of node text in px.
pub const LINE_H: f64 = 20.0;
/// Widest text in a task box, in em.
const TASK_EM: f64 = 9.0;
/// Widest text in a decision diamond, in em.
const DECISION_EM: f64 = 6.0;
const PAD_X: f64 = 10.0;
const PAD_Y: f64 = 8.0;
/// Space between a node and its lane's edges.
const LANE_PAD: f64 = 18.0;
pub const HEADER_H: f64 = 40.0;
/// Distance between parallel tracks of edges.
const TRACK: f64 = 8.0;
const GAP_MIN: f64 = 34.0;
const GUTTER_MIN: f64 = 14.0;
const MARGIN: f64 = 8.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn cx(&self) -> f64 {
        self.x + self.w / 2.0
    }
    pub fn cy(&self) -> f64 {
        self.y + self.h / 2.0
    }
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }
    pub fn right(&self) -> f64 {
        self.x + self.w
    }
}

/// A placed node: its box, row and wrapped text lines (the limit lines come last).
#[derive(Debug, Clone)]
pub struct PlacedNode {
    pub rect: Rect,
    pub row: usize,
    pub lines: Vec<String>,
    pub limit_lines: Vec<String>,
}

/// A routed edge: an orthogonal polyline and where its label goes.
#[derive(Debug, Clone)]
pub struct Route {
    pub points: Vec<(f64, f64)>,
    pub label: Option<(f64, f64, String)>,
    /// A loop back to an earlier step.
    pub back: bool,
}

#[derive(Debug, Clone)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    /// x and width of each lane.
    pub lanes: Vec<(f64, f64)>,
    pub nodes: Vec<PlacedNode>,
    pub edges: Vec<Route>,
}

/// Where an edge leaves its node and how it travels.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Plan {
    /// Down: bottom → gap below the source row → target column → target top.
    Direct { gap: usize, track: usize },
    /// Down past other nodes: bottom → gap below → right gutter → gap above target → top.
    RightGutter {
        gap_out: usize,
        track_out: usize,
        gutter: usize,
        gap_in: usize,
        track_in: usize,
        side_exit: bool,
    },
    /// Up or level (a loop back): bottom → gap below → left gutter → target's side (or the gap
    /// above it when the side is blocked).
    LeftGutter {
        gap_out: usize,
        track_out: usize,
        gutter: usize,
        side_in: bool,
        gap_in: usize,
        track_in: usize,
        side_exit: bool,
    },
}

/// Lay out a chart.
pub fn layout(chart: &Chart) -> Layout {
    let n = chart.nodes.len();
    let nl = chart.lanes.len().max(1);
    // Text and size of each node.
    let mut sizes = Vec::with_capacity(n);
    let mut texts = Vec::with_capacity(n);
    for node in &chart.nodes {
        let (lines, limit_lines) = match node.kind {
            NodeKind::Task => (
                wrap(&node.text, TASK_EM),
                node.limit
                    .as_deref()
                    .map(|l| wrap(&format!("时限：{l}"), TASK_EM))
                    .unwrap_or_default(),
            ),
            NodeKind::Decision => (wrap(&node.text, DECISION_EM), Vec::new()),
            NodeKind::Terminator => (vec![node.text.clone()], Vec::new()),
            NodeKind::Bar => (Vec::new(), Vec::new()),
        };
        let text_w = lines
            .iter()
            .chain(&limit_lines)
            .map(|l| text_em(l))
            .fold(0.0, f64::max)
            * FONT;
        let text_h = (lines.len() + limit_lines.len()) as f64 * LINE_H;
        let (w, h) = match node.kind {
            NodeKind::Task => (
                (text_w + 2.0 * PAD_X).max(80.0),
                (text_h + 2.0 * PAD_Y).max(36.0),
            ),
            NodeKind::Decision => (
                2.0 * (text_w + 10.0).max(40.0),
                2.0 * (text_h + 6.0).max(22.0),
            ),
            NodeKind::Terminator => (text_w + 36.0, 32.0),
            NodeKind::Bar => (72.0, 6.0),
        };
        sizes.push((w.ceil(), h.ceil()));
        texts.push((lines, limit_lines));
    }

    // Rows: longest path over forward edges, in list order; one node per lane per row;
    // nodes that run in parallel share a row.
    let mut row = vec![0usize; n];
    let mut taken: std::collections::HashSet<(usize, usize)> = Default::default();
    let mut done = vec![false; n];
    let group_of = |i: usize| chart.same_row.iter().find(|g| g.contains(&i));
    for i in 0..n {
        if done[i] {
            continue;
        }
        let members: Vec<usize> = match group_of(i) {
            Some(g) => g.iter().copied().filter(|&m| m < n).collect(),
            None => vec![i],
        };
        let mut r = 0;
        for &m in &members {
            for e in &chart.edges {
                if e.to == m && e.from < m && done[e.from] {
                    r = r.max(row[e.from] + 1);
                }
            }
        }
        while members
            .iter()
            .any(|&m| taken.contains(&(chart.nodes[m].lane.min(nl - 1), r)))
        {
            r += 1;
        }
        for &m in &members {
            row[m] = r;
            taken.insert((chart.nodes[m].lane.min(nl - 1), r));
            done[m] = true;
        }
    }
    let nrows = row.iter().copied().max().map_or(0, |r| r + 1);
    let lane_of = |i: usize| chart.nodes[i].lane.min(nl - 1);

    // Plan every edge; count tracks per gap and per gutter.
    let mut gap_tracks = vec![0usize; nrows + 1];
    let mut left_tracks = 0usize;
    let mut right_tracks = 0usize;
    let blocked_column = |lane: usize, from_row: usize, to_row: usize, except: &[usize]| {
        (0..n).any(|k| {
            !except.contains(&k) && lane_of(k) == lane && row[k] > from_row && row[k] < to_row
        })
    };
    // Is there a node in `r` between lanes `a` and `b` (exclusive of the given nodes)?
    let blocked_row = |r: usize, lane_a: usize, lane_b: usize, except: &[usize]| {
        let (lo, hi) = (lane_a.min(lane_b), lane_a.max(lane_b));
        (0..n).any(|k| !except.contains(&k) && row[k] == r && lane_of(k) >= lo && lane_of(k) <= hi)
    };
    let mut plans = Vec::with_capacity(chart.edges.len());
    for e in &chart.edges {
        let (a, b) = (
            e.from.min(n.saturating_sub(1)),
            e.to.min(n.saturating_sub(1)),
        );
        let (ra, rb) = (row[a], row[b]);
        let is_decision = chart.nodes[a].kind == NodeKind::Decision
            && e.label.as_deref().is_some_and(|l| l.starts_with('是'));
        let plan = if rb > ra && !blocked_column(lane_of(b), ra, rb, &[a, b]) && !is_decision {
            let track = gap_tracks[ra + 1];
            gap_tracks[ra + 1] += 1;
            Plan::Direct { gap: ra + 1, track }
        } else if rb > ra {
            // A side exit from a decision when nothing is in the way to the right.
            let side_exit =
                is_decision && !blocked_row(ra, lane_of(a) + 1, nl - 1, &[a]) && lane_of(a) < nl;
            let (gap_out, track_out) = (ra + 1, gap_tracks[ra + 1]);
            if !side_exit {
                gap_tracks[ra + 1] += 1;
            }
            let gutter = right_tracks;
            right_tracks += 1;
            let (gap_in, track_in) = (rb, gap_tracks[rb]);
            gap_tracks[rb] += 1;
            Plan::RightGutter {
                gap_out,
                track_out,
                gutter,
                gap_in,
                track_in,
                side_exit,
            }
        } else {
            let side_exit =
                is_decision && (lane_of(a) == 0 || !blocked_row(ra, 0, lane_of(a) - 1, &[a]));
            let (gap_out, track_out) = (ra + 1, gap_tracks[ra + 1]);
            if !side_exit {
                gap_tracks[ra + 1] += 1;
            }
            let gutter = left_tracks;
            left_tracks += 1;
            let side_in = lane_of(b) == 0 || !blocked_row(rb, 0, lane_of(b) - 1, &[b]);
            let (gap_in, track_in) = (rb, gap_tracks[rb]);
            if !side_in {
                gap_tracks[rb] += 1;
            }
            Plan::LeftGutter {
                gap_out,
                track_out,
                gutter,
                side_in,
                gap_in,
                track_in,
                side_exit,
            }
        };
        plans.push(plan);
    }

    // Geometry: gutters, lanes, rows and gaps.
    let left_w = GUTTER_MIN + left_tracks as f64 * TRACK;
    let right_w = GUTTER_MIN + right_tracks as f64 * TRACK;
    let mut lane_w = vec![0.0f64; nl];
    for (l, lane) in chart.lanes.iter().enumerate().take(nl) {
        lane_w[l] = (text_em(&lane.name) * FONT + 24.0).max(110.0);
    }
    for (i, (w, _)) in sizes.iter().enumerate() {
        let l = lane_of(i);
        lane_w[l] = lane_w[l].max(w + 2.0 * LANE_PAD);
    }
    let mut lanes = Vec::with_capacity(nl);
    let mut x = MARGIN + left_w;
    for w in &lane_w {
        lanes.push((x, w.ceil()));
        x += w.ceil();
    }
    let width = (x + right_w + MARGIN).ceil();
    let gap_h: Vec<f64> = gap_tracks
        .iter()
        .map(|&t| (GAP_MIN + t as f64 * TRACK).ceil())
        .collect();
    let mut row_h = vec![0.0f64; nrows];
    for i in 0..n {
        row_h[row[i]] = row_h[row[i]].max(sizes[i].1);
    }
    let mut row_y = Vec::with_capacity(nrows);
    let mut gap_y = Vec::with_capacity(nrows + 1);
    let mut y = MARGIN + HEADER_H;
    for r in 0..nrows {
        gap_y.push(y);
        y += gap_h[r];
        row_y.push(y);
        y += row_h[r];
    }
    gap_y.push(y);
    y += gap_h[nrows];
    let height = (y + MARGIN).ceil();

    let nodes: Vec<PlacedNode> = (0..n)
        .map(|i| {
            let (lx, lw) = lanes[lane_of(i)];
            let (w, h) = sizes[i];
            // Centre in the lane and in the row.
            let rect = Rect {
                x: (lx + (lw - w) / 2.0).round(),
                y: (row_y[row[i]] + (row_h[row[i]] - h) / 2.0).round(),
                w,
                h,
            };
            PlacedNode {
                rect,
                row: row[i],
                lines: texts[i].0.clone(),
                limit_lines: texts[i].1.clone(),
            }
        })
        .collect();

    let track_y = |gap: usize, t: usize| gap_y[gap] + 12.0 + t as f64 * TRACK;
    let left_x = |t: usize| MARGIN + left_w - 8.0 - t as f64 * TRACK;
    let right_x = |t: usize| width - MARGIN - right_w + 8.0 + t as f64 * TRACK;
    let edges = chart
        .edges
        .iter()
        .zip(&plans)
        .map(|(e, plan)| {
            let a = &nodes[e.from.min(n - 1)].rect;
            let b = &nodes[e.to.min(n - 1)].rect;
            let (mut pts, back) = match *plan {
                Plan::Direct { gap, track } => {
                    let ty = track_y(gap, track);
                    (
                        vec![
                            (a.cx(), a.bottom()),
                            (a.cx(), ty),
                            (b.cx(), ty),
                            (b.cx(), b.y),
                        ],
                        false,
                    )
                }
                Plan::RightGutter {
                    gap_out,
                    track_out,
                    gutter,
                    gap_in,
                    track_in,
                    side_exit,
                } => {
                    let gx = right_x(gutter);
                    let yin = track_y(gap_in, track_in);
                    let mut p = if side_exit {
                        vec![(a.right(), a.cy()), (gx, a.cy())]
                    } else {
                        let yo = track_y(gap_out, track_out);
                        vec![(a.cx(), a.bottom()), (a.cx(), yo), (gx, yo)]
                    };
                    p.extend([(gx, yin), (b.cx(), yin), (b.cx(), b.y)]);
                    (p, false)
                }
                Plan::LeftGutter {
                    gap_out,
                    track_out,
                    gutter,
                    side_in,
                    gap_in,
                    track_in,
                    side_exit,
                } => {
                    let gx = left_x(gutter);
                    let mut p = if side_exit {
                        vec![(a.x, a.cy()), (gx, a.cy())]
                    } else {
                        let yo = track_y(gap_out, track_out);
                        vec![(a.cx(), a.bottom()), (a.cx(), yo), (gx, yo)]
                    };
                    if side_in {
                        p.extend([(gx, b.cy()), (b.x, b.cy())]);
                    } else {
                        let yin = track_y(gap_in, track_in);
                        p.extend([(gx, yin), (b.cx(), yin), (b.cx(), b.y)]);
                    }
                    (p, true)
                }
            };
            pts.dedup();
            let label = e.label.as_ref().map(|l| {
                let (x0, y0) = pts[0];
                let (x1, _) = pts.get(1).copied().unwrap_or((x0, y0));
                if (x0 - x1).abs() < 0.5 {
                    // Vertical start: beside the line, just below the node.
                    (x0 + 4.0, y0 + 12.0, l.clone())
                } else {
                    // Horizontal start: above the line, just outside the node.
                    let dx = if x1 < x0 {
                        -4.0 - text_em(l) * 12.0
                    } else {
                        4.0
                    };
                    (x0 + dx, y0 - 4.0, l.clone())
                }
            });
            Route {
                points: pts,
                label,
                back,
            }
        })
        .collect();
    Layout {
        width,
        height,
        lanes,
        nodes,
        edges,
    }
}
