//! Lane-grid layout: rows by longest path over forward edges in the author's order (at most
//! one node per lane per row), lanes as columns sized to their widest node, and orthogonal
//! edge routes that use only the gaps between rows and the gutters beside the lanes, each
//! edge on its own track, so no edge crosses a node.

use super::text::{text_em, wrap};
use super::{Chart, Edge, Node, NodeKind};
use std::collections::HashSet;

/// Font size in px (1 em).
pub const FONT: f64 = 14.0;
/// Line height of node text in px.
pub const LINE_H: f64 = 20.0;
/// Widest text in a task box, in em; a long text gets a wider box (up to `TASK_EM_MAX`)
/// so that it keeps to about four lines.
const TASK_EM: f64 = 9.0;
const TASK_EM_MAX: f64 = 16.0;
/// Widest text in a decision diamond, in em: wide enough for two lines, up to
/// `DECISION_EM_MAX`.
const DECISION_EM: f64 = 6.0;
const DECISION_EM_MAX: f64 = 16.0;
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

/// Lay out a chart: size each node to its text, put the nodes on the lane grid, plan a
/// route for every edge, size the lanes, rows, gaps and gutters to what they hold, then
/// place the nodes and draw the routes.
pub fn layout(chart: &Chart) -> Layout {
    let measured: Vec<Measured> = chart.nodes.iter().map(measure).collect();
    let grid = Grid::new(chart);
    let (plans, tracks) = plan_edges(chart, &grid);
    let frame = Frame::new(chart, &grid, &measured, &tracks);
    let nodes = place_nodes(&grid, &frame, measured);
    let edges = chart
        .edges
        .iter()
        .zip(&plans)
        .map(|(e, plan)| route(e, *plan, &nodes, &frame))
        .collect();
    Layout {
        width: frame.width,
        height: frame.height,
        lanes: frame.outer_lanes(),
        nodes,
        edges,
    }
}

/// A node's wrapped text (the limit lines apart) and the size of its box in px.
struct Measured {
    lines: Vec<String>,
    limit_lines: Vec<String>,
    w: f64,
    h: f64,
}

/// Wrap a node's text to the width its kind allows and size its box to fit.
fn measure(node: &Node) -> Measured {
    let (lines, limit_lines) = match node.kind {
        NodeKind::Task => {
            let em = fitting_em(&node.text, TASK_EM, TASK_EM_MAX, 4);
            (
                wrap(&node.text, em),
                node.limit
                    .as_deref()
                    .map(|l| wrap(&format!("时限：{l}"), em))
                    .unwrap_or_default(),
            )
        }
        NodeKind::Decision => {
            let em = fitting_em(&node.text, DECISION_EM, DECISION_EM_MAX, 2);
            (wrap(&node.text, em), Vec::new())
        }
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
    Measured {
        lines,
        limit_lines,
        w: w.ceil(),
        h: h.ceil(),
    }
}

/// The narrowest line width from `min` to `max` em (in whole em) at which `text` wraps to
/// at most `lines` lines; `max` when none does.
fn fitting_em(text: &str, min: f64, max: f64, lines: usize) -> f64 {
    // The widths tried are min, min + 1, … up to the first at or past max. A wider line never
    // wraps to more lines, so the first that fits is found by halving: a few wraps of the
    // text, not one per em.
    let tries = (max - min).max(0.0).ceil() as usize;
    let fits = |k: usize| wrap(text, min + k as f64).len() <= lines;
    let (mut lo, mut hi) = (0, tries);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if fits(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    min + lo as f64
}

/// Where each node sits on the lane grid.
struct Grid {
    /// Each node's lane (a lane beyond the chart's is its last) and row.
    lane: Vec<usize>,
    row: Vec<usize>,
    /// How many lanes (at least one) and rows.
    lanes: usize,
    rows: usize,
}

impl Grid {
    /// Rows: longest path over forward edges, in list order; one node per lane per row;
    /// nodes that run in parallel share a row.
    fn new(chart: &Chart) -> Grid {
        let n = chart.nodes.len();
        let nl = chart.lanes.len().max(1);
        let lane: Vec<usize> = chart
            .nodes
            .iter()
            .map(|node| node.lane.min(nl - 1))
            .collect();
        let mut row = vec![0usize; n];
        let mut taken: HashSet<(usize, usize)> = Default::default();
        let mut done = vec![false; n];
        for i in 0..n {
            if done[i] {
                continue;
            }
            let members: Vec<usize> = match chart.same_row.iter().find(|g| g.contains(&i)) {
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
            while members.iter().any(|&m| taken.contains(&(lane[m], r))) {
                r += 1;
            }
            for &m in &members {
                row[m] = r;
                taken.insert((lane[m], r));
                done[m] = true;
            }
        }
        let rows = row.iter().copied().max().map_or(0, |r| r + 1);
        Grid {
            lane,
            row,
            lanes: nl,
            rows,
        }
    }

    /// Is there a node in `lane` strictly between rows `from_row` and `to_row` (other than
    /// the given nodes)?
    fn blocked_column(
        &self,
        lane: usize,
        from_row: usize,
        to_row: usize,
        except: &[usize],
    ) -> bool {
        (0..self.row.len()).any(|k| {
            !except.contains(&k)
                && self.lane[k] == lane
                && self.row[k] > from_row
                && self.row[k] < to_row
        })
    }

    /// Is there a node in row `r` between lanes `lane_a` and `lane_b`, both included (other
    /// than the given nodes)?
    fn blocked_row(&self, r: usize, lane_a: usize, lane_b: usize, except: &[usize]) -> bool {
        let (lo, hi) = (lane_a.min(lane_b), lane_a.max(lane_b));
        (0..self.row.len()).any(|k| {
            !except.contains(&k) && self.row[k] == r && self.lane[k] >= lo && self.lane[k] <= hi
        })
    }
}

/// How many edge tracks each gap between rows and each gutter holds. Gap `r` is the one
/// above row `r`; the last is below the last row.
struct Tracks {
    gap: Vec<usize>,
    left: usize,
    right: usize,
}

/// Plan every edge in order, each on tracks of its own.
fn plan_edges(chart: &Chart, grid: &Grid) -> (Vec<Plan>, Tracks) {
    let mut tracks = Tracks {
        gap: vec![0; grid.rows + 1],
        left: 0,
        right: 0,
    };
    let plans = chart
        .edges
        .iter()
        .map(|e| plan_edge(chart, grid, e, &mut tracks))
        .collect();
    (plans, tracks)
}

/// How edge `e` travels, taking the tracks it needs: straight down when nothing is in its
/// target's column on the way, round the right gutter when something is, round the left
/// gutter when it goes up or stays level. A decision's 是 exit always goes round a gutter,
/// leaving from the decision's side when nothing is beside it in that direction.
fn plan_edge(chart: &Chart, grid: &Grid, e: &Edge, tracks: &mut Tracks) -> Plan {
    let n = grid.row.len();
    let nl = grid.lanes;
    let (a, b) = (
        e.from.min(n.saturating_sub(1)),
        e.to.min(n.saturating_sub(1)),
    );
    let (ra, rb) = (grid.row[a], grid.row[b]);
    let (la, lb) = (grid.lane[a], grid.lane[b]);
    let is_decision = chart.nodes[a].kind == NodeKind::Decision
        && e.label.as_deref().is_some_and(|l| l.starts_with('是'));
    if rb > ra && !grid.blocked_column(lb, ra, rb, &[a, b]) && !is_decision {
        let track = tracks.gap[ra + 1];
        tracks.gap[ra + 1] += 1;
        Plan::Direct { gap: ra + 1, track }
    } else if rb > ra {
        // A side exit from a decision when nothing is in the way to the right.
        let side_exit = is_decision && !grid.blocked_row(ra, la + 1, nl - 1, &[a]) && la < nl;
        let (gap_out, track_out) = (ra + 1, tracks.gap[ra + 1]);
        if !side_exit {
            tracks.gap[ra + 1] += 1;
        }
        let gutter = tracks.right;
        tracks.right += 1;
        let (gap_in, track_in) = (rb, tracks.gap[rb]);
        tracks.gap[rb] += 1;
        Plan::RightGutter {
            gap_out,
            track_out,
            gutter,
            gap_in,
            track_in,
            side_exit,
        }
    } else {
        let side_exit = is_decision && (la == 0 || !grid.blocked_row(ra, 0, la - 1, &[a]));
        let (gap_out, track_out) = (ra + 1, tracks.gap[ra + 1]);
        if !side_exit {
            tracks.gap[ra + 1] += 1;
        }
        let gutter = tracks.left;
        tracks.left += 1;
        let side_in = lb == 0 || !grid.blocked_row(rb, 0, lb - 1, &[b]);
        let (gap_in, track_in) = (rb, tracks.gap[rb]);
        if !side_in {
            tracks.gap[rb] += 1;
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
    }
}

/// Where the gutters, lanes, rows and gaps are, in px.
struct Frame {
    width: f64,
    height: f64,
    /// x and width of each lane.
    lanes: Vec<(f64, f64)>,
    /// Top and height of each row.
    row_y: Vec<f64>,
    row_h: Vec<f64>,
    /// Top of each gap.
    gap_y: Vec<f64>,
    /// Widths of the left and right gutters.
    left_w: f64,
    right_w: f64,
}

impl Frame {
    /// Gutters and gaps as wide as their tracks need, each lane as wide as its name and its
    /// widest node, each row as high as its highest node.
    fn new(chart: &Chart, grid: &Grid, measured: &[Measured], tracks: &Tracks) -> Frame {
        let nl = grid.lanes;
        let left_w = GUTTER_MIN + tracks.left as f64 * TRACK;
        let right_w = GUTTER_MIN + tracks.right as f64 * TRACK;
        let mut lane_w = vec![0.0f64; nl];
        for (l, lane) in chart.lanes.iter().enumerate().take(nl) {
            lane_w[l] = (text_em(&lane.name) * FONT + 24.0).max(110.0);
        }
        for (i, m) in measured.iter().enumerate() {
            let l = grid.lane[i];
            lane_w[l] = lane_w[l].max(m.w + 2.0 * LANE_PAD);
        }
        let mut lanes = Vec::with_capacity(nl);
        let mut x = MARGIN + left_w;
        for w in &lane_w {
            lanes.push((x, w.ceil()));
            x += w.ceil();
        }
        let width = (x + right_w + MARGIN).ceil();
        let gap_h: Vec<f64> = tracks
            .gap
            .iter()
            .map(|&t| (GAP_MIN + t as f64 * TRACK).ceil())
            .collect();
        let nrows = grid.rows;
        let mut row_h = vec![0.0f64; nrows];
        for (i, m) in measured.iter().enumerate() {
            let r = grid.row[i];
            row_h[r] = row_h[r].max(m.h);
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
        Frame {
            width,
            height: (y + MARGIN).ceil(),
            lanes,
            row_y,
            row_h,
            gap_y,
            left_w,
            right_w,
        }
    }

    /// The lanes as drawn: the first takes in the left gutter and the last the right one, so
    /// that loops back and detours run inside the frame.
    fn outer_lanes(&self) -> Vec<(f64, f64)> {
        let mut out = self.lanes.clone();
        if let Some(first) = out.first_mut() {
            first.1 += first.0 - MARGIN;
            first.0 = MARGIN;
        }
        if let Some(last) = out.last_mut() {
            last.1 = self.width - MARGIN - last.0;
        }
        out
    }

    /// y of track `t` in gap `gap`.
    fn track_y(&self, gap: usize, t: usize) -> f64 {
        self.gap_y[gap] + 12.0 + t as f64 * TRACK
    }

    /// x of track `t` in the left gutter (track 0 nearest the lanes).
    fn left_x(&self, t: usize) -> f64 {
        MARGIN + self.left_w - 8.0 - t as f64 * TRACK
    }

    /// x of track `t` in the right gutter (track 0 nearest the lanes).
    fn right_x(&self, t: usize) -> f64 {
        self.width - MARGIN - self.right_w + 8.0 + t as f64 * TRACK
    }
}

/// Each node's box, centred in its lane and in its row.
fn place_nodes(grid: &Grid, frame: &Frame, measured: Vec<Measured>) -> Vec<PlacedNode> {
    measured
        .into_iter()
        .enumerate()
        .map(|(i, m)| {
            let (lx, lw) = frame.lanes[grid.lane[i]];
            let r = grid.row[i];
            let rect = Rect {
                x: (lx + (lw - m.w) / 2.0).round(),
                y: (frame.row_y[r] + (frame.row_h[r] - m.h) / 2.0).round(),
                w: m.w,
                h: m.h,
            };
            PlacedNode {
                rect,
                row: r,
                lines: m.lines,
                limit_lines: m.limit_lines,
            }
        })
        .collect()
}

/// Edge `e` drawn as `plan` says between the placed nodes, with its label.
fn route(e: &Edge, plan: Plan, nodes: &[PlacedNode], frame: &Frame) -> Route {
    let a = &nodes[e.from.min(nodes.len() - 1)].rect;
    let b = &nodes[e.to.min(nodes.len() - 1)].rect;
    let (mut points, back) = polyline(plan, a, b, frame);
    points.dedup();
    let label = e.label.as_ref().map(|l| label_at(&points, l));
    Route {
        points,
        label,
        back,
    }
}

/// The corners of an edge from box `a` to box `b` along its plan, and whether it loops
/// back.
fn polyline(plan: Plan, a: &Rect, b: &Rect, frame: &Frame) -> (Vec<(f64, f64)>, bool) {
    match plan {
        Plan::Direct { gap, track } => {
            let ty = frame.track_y(gap, track);
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
            let gx = frame.right_x(gutter);
            let yin = frame.track_y(gap_in, track_in);
            let mut p = if side_exit {
                vec![(a.right(), a.cy()), (gx, a.cy())]
            } else {
                let yo = frame.track_y(gap_out, track_out);
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
            let gx = frame.left_x(gutter);
            let mut p = if side_exit {
                vec![(a.x, a.cy()), (gx, a.cy())]
            } else {
                let yo = frame.track_y(gap_out, track_out);
                vec![(a.cx(), a.bottom()), (a.cx(), yo), (gx, yo)]
            };
            if side_in {
                p.extend([(gx, b.cy()), (b.x, b.cy())]);
            } else {
                let yin = frame.track_y(gap_in, track_in);
                p.extend([(gx, yin), (b.cx(), yin), (b.cx(), b.y)]);
            }
            (p, true)
        }
    }
}

/// Where an edge's label goes: at the start of its route, just outside its source node.
fn label_at(points: &[(f64, f64)], label: &str) -> (f64, f64, String) {
    let (x0, y0) = points[0];
    let (x1, _) = points.get(1).copied().unwrap_or((x0, y0));
    if (x0 - x1).abs() < 0.5 {
        // Vertical start: beside the line, just below the node.
        (x0 + 4.0, y0 + 12.0, label.to_string())
    } else {
        // Horizontal start: above the line, just outside the node.
        let dx = if x1 < x0 {
            -4.0 - text_em(label) * 12.0
        } else {
            4.0
        };
        (x0 + dx, y0 - 4.0, label.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// One width after another, as the chart once looked for the narrowest that fits.
    fn fitting_em_one_by_one(text: &str, min: f64, max: f64, lines: usize) -> f64 {
        let mut em = min;
        while em < max && wrap(text, em).len() > lines {
            em += 1.0;
        }
        em
    }

    proptest! {
        /// Halving finds the width that trying each in turn finds.
        #[test]
        fn halving_finds_the_same_width(
            text in "[审批科室负责人签字盖章报送财务办公室 ,，。、（）a-z0-9]{0,90}",
            min in 4.0f64..10.0,
            extra in 0.0f64..12.0,
            lines in 1usize..5,
        ) {
            let max = min + extra;
            prop_assert_eq!(
                fitting_em(&text, min, max, lines),
                fitting_em_one_by_one(&text, min, max, lines)
            );
        }
    }
}
