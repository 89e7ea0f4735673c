//! Flowcharts drawn at build time: a procedure's steps, or a Markdown ```flowchart block,
//! become one deterministic inline SVG swimlane chart — no JavaScript, works offline, prints.
//!
//! The chart is a graph ([`Chart`]) laid out on a lane grid ([`layout`]): one lane per actor,
//! one row per node except where steps run in parallel, edges routed through the gaps between
//! rows and the gutters beside the lanes so that they never cross a node, loops back in the
//! left gutter entering their target from the side. [`svg`] writes it out.

pub mod layout;
pub mod mermaid;
pub mod svg;
pub mod text;

/// The kinds of node a chart holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// 开始 / 结束 terminators.
    Terminator,
    /// A step.
    Task,
    /// A decision diamond with an exit per outcome.
    Decision,
    /// A bar where parallel work (会签) splits or joins.
    Bar,
}

/// One node: its kind, lane, text and (optionally) a link and a time limit.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub lane: usize,
    pub text: String,
    pub limit: Option<String>,
    pub href: Option<String>,
    /// The whole text when the box shows only part of it (its first sentence), for the
    /// box's `<title>`.
    pub full: Option<String>,
}

/// An edge between nodes (by index), with an optional label (是 / 否 / 退回).
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub label: Option<String>,
}

/// A lane: an actor, with a link to its page when it has one.
#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    pub name: String,
    pub href: Option<String>,
}

/// A chart to draw. Node order is the author's order: an edge to an earlier node is a loop
/// back.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Chart {
    pub title: String,
    pub lanes: Vec<Lane>,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// Steps in parallel: sets of nodes that share a row.
    pub same_row: Vec<Vec<usize>>,
}

/// One step of a procedure as the chart needs it.
#[derive(Debug, Clone, Default)]
pub struct StepIn {
    pub label: Option<String>,
    /// Plain text (no Markdown) of the step.
    pub text: Option<String>,
    /// The actor's name and the link to its page.
    pub actor: Option<(String, Option<String>)>,
    pub parallel: Vec<(String, Option<String>)>,
    pub limit: Option<String>,
    /// (condition, label, index of the step to go to; `None` ends the procedure).
    pub branches: Vec<(String, Option<String>, Option<usize>)>,
}

/// The tallest a procedure's chart is drawn, in px (about two screens); a longer procedure
/// is drawn in parts ([`Chart::parts`]).
pub const MAX_HEIGHT: f64 = 1800.0;

/// Longest text shown whole in a step box: a longer one shows its first sentence (the steps
/// table and the box's `<title>` have it all).
const LONG_STEP_CHARS: usize = 60;

impl Chart {
    /// The chart of a procedure. Steps without an actor go to `owner`'s lane.
    pub fn from_steps(title: &str, owner: (&str, Option<&str>), steps: &[StepIn]) -> Chart {
        Chart::part(title, owner, steps, 0, steps.len())
    }

    /// The charts of a long procedure, each no taller than `max_h` px where a step alone is
    /// not: consecutive steps, numbered as in the whole, the first part starting at 开始 and
    /// the last ending at 结束, the others joined by 接上图 / 转下图. A branch to a step of
    /// another part ends its part, its label naming the step it goes to.
    pub fn parts(
        title: &str,
        owner: (&str, Option<&str>),
        steps: &[StepIn],
        max_h: f64,
    ) -> Vec<Chart> {
        let mut out = Vec::new();
        let mut a = 0;
        while a < steps.len() || out.is_empty() {
            // Most procedures, and the last part of a long one, fit whole: one layout.
            if a + 1 < steps.len()
                && layout::layout(&Chart::part(title, owner, steps, a, steps.len())).height <= max_h
            {
                out.push(Chart::part(title, owner, steps, a, steps.len()));
                break;
            }
            let mut b = (a + 1).min(steps.len());
            while b < steps.len()
                && layout::layout(&Chart::part(title, owner, steps, a, b + 1)).height <= max_h
            {
                b += 1;
            }
            out.push(Chart::part(title, owner, steps, a, b));
            a = b;
        }
        out
    }

    /// The chart of steps `a..b` of a procedure.
    fn part(title: &str, owner: (&str, Option<&str>), all: &[StepIn], a: usize, b: usize) -> Chart {
        // Branches to steps outside the part end it, saying where they go.
        let steps: Vec<StepIn> = all[a..b]
            .iter()
            .map(|s| StepIn {
                branches: (s.branches.iter())
                    .map(|(when, label, to)| match to {
                        Some(t) if *t < a || *t >= b => {
                            let l = label.clone().unwrap_or_default();
                            (when.clone(), Some(format!("{l}至第{}步", t + 1)), None)
                        }
                        Some(t) => (when.clone(), label.clone(), Some(t - a)),
                        None => (when.clone(), label.clone(), None),
                    })
                    .collect(),
                ..s.clone()
            })
            .collect();
        let begin = if a == 0 { "开始" } else { "接上图" };
        let end = if b >= all.len() {
            "结束"
        } else {
            "转下图"
        };
        let mut c = StepChart {
            chart: Chart {
                title: title.to_string(),
                ..Default::default()
            },
            owner,
            entry: Vec::new(),
            exits: Vec::new(),
            yes_exits: Vec::new(),
        };
        let first_lane = match steps.first() {
            Some(s) => c.actor_lane(s),
            None => c.lane(owner.0, owner.1),
        };
        let start = c.push(Node::plain(NodeKind::Terminator, first_lane, begin));
        c.exits.push((start, None));
        for (i, s) in steps.iter().enumerate() {
            c.step(a + i + 1, s);
        }
        c.finish(first_lane, end)
    }

    /// A one-paragraph description of the chart, for the SVG's `<desc>`.
    pub fn describe(&self) -> String {
        let steps: Vec<&str> = self
            .nodes
            .iter()
            .filter(|n| n.kind == NodeKind::Task)
            .map(|n| n.text.as_str())
            .collect();
        let lanes: Vec<&str> = self.lanes.iter().map(|l| l.name.as_str()).collect();
        format!(
            "{}：共 {} 个步骤，涉及 {}。依次为：{}。",
            self.title,
            steps.len(),
            lanes.join("、"),
            steps.join(" → ")
        )
    }
}

/// The box of step number `n` in `lane`, with its time limit, linked to its actor's page.
fn step_box(n: usize, s: &StepIn, lane: usize) -> Node {
    let (text, full) = step_text(s);
    Node {
        kind: NodeKind::Task,
        lane,
        text: format!("{n}. {text}"),
        limit: s.limit.clone(),
        href: s.actor.as_ref().and_then(|a| a.1.clone()),
        full,
    }
}

/// The text of a step's box: its label, else its text, never cut within a sentence. A very
/// long text shows its first sentence; the whole text comes second then.
fn step_text(s: &StepIn) -> (String, Option<String>) {
    let t = s
        .label
        .clone()
        .filter(|l| !l.trim().is_empty())
        .or_else(|| s.text.clone())
        .unwrap_or_default();
    let t = t.trim();
    if t.chars().count() <= LONG_STEP_CHARS {
        return (t.to_string(), None);
    }
    let first = t
        .char_indices()
        .find(|(_, c)| matches!(c, '。' | '；' | ';' | '！' | '？'))
        .map(|(i, c)| &t[..i + c.len_utf8()])
        .filter(|f| f.len() < t.len());
    match first {
        Some(f) => (f.to_string(), Some(t.to_string())),
        None => (t.to_string(), None),
    }
}

impl Node {
    /// A node without a time limit or a link.
    fn plain(kind: NodeKind, lane: usize, text: &str) -> Node {
        Node {
            kind,
            lane,
            text: text.to_string(),
            limit: None,
            href: None,
            full: None,
        }
    }
}

/// A procedure's chart while [`Chart::from_steps`] draws it, step after step.
struct StepChart<'a> {
    chart: Chart,
    /// The lane of steps without an actor: name and link.
    owner: (&'a str, Option<&'a str>),
    /// For each step drawn so far, the node that enters it.
    entry: Vec<usize>,
    /// The nodes that leave towards whatever comes next (the next step, or the end), with
    /// the label of that edge.
    exits: Vec<(usize, Option<String>)>,
    /// The 是 exit of each decision: the decision, the step it goes to (`None`: the end) and
    /// its label. They are drawn last, when every step has its entry.
    yes_exits: Vec<(usize, Option<usize>, String)>,
}

impl StepChart<'_> {
    /// The lane of actor `name`, added after the others when it has none yet.
    fn lane(&mut self, name: &str, href: Option<&str>) -> usize {
        let lanes = &mut self.chart.lanes;
        if let Some(i) = lanes.iter().position(|l| l.name == name) {
            return i;
        }
        lanes.push(Lane {
            name: name.to_string(),
            href: href.map(str::to_string),
        });
        lanes.len() - 1
    }

    /// The lane of a step's actor, or the owner's when it has none.
    fn actor_lane(&mut self, s: &StepIn) -> usize {
        match &s.actor {
            Some((name, href)) => self.lane(name, href.as_deref()),
            None => self.lane(self.owner.0, self.owner.1),
        }
    }

    /// Add a node; its index.
    fn push(&mut self, node: Node) -> usize {
        self.chart.nodes.push(node);
        self.chart.nodes.len() - 1
    }

    /// Add an edge.
    fn edge(&mut self, from: usize, to: usize, label: Option<String>) {
        self.chart.edges.push(Edge { from, to, label });
    }

    /// Draw a step: its box (or its 会签 group), the edges into it from the exits before
    /// it, and a decision per branch.
    fn step(&mut self, n: usize, s: &StepIn) {
        let lane = self.actor_lane(s);
        let (first, last) = if s.parallel.is_empty() {
            let b = self.push(step_box(n, s, lane));
            (b, b)
        } else {
            self.cosigned(n, s, lane)
        };
        for (from, label) in std::mem::take(&mut self.exits) {
            self.edge(from, first, label);
        }
        self.entry.push(first);
        let leave = self.decisions(s, lane, last);
        let no = (leave != last).then(|| "否".to_string());
        self.exits.push((leave, no));
    }

    /// A step that others co-sign (会签): a fork bar, the step's own box and one box per
    /// co-signer side by side in one row, and a join bar. The fork and the join.
    fn cosigned(&mut self, n: usize, s: &StepIn, lane: usize) -> (usize, usize) {
        let fork = self.push(Node::plain(NodeKind::Bar, lane, ""));
        let mut row = vec![self.push(step_box(n, s, lane))];
        for (name, href) in &s.parallel {
            let lane = self.lane(name, href.as_deref());
            row.push(self.push(Node {
                kind: NodeKind::Task,
                lane,
                text: format!("{name}会签"),
                limit: None,
                href: href.clone(),
                full: None,
            }));
        }
        let join = self.push(Node::plain(NodeKind::Bar, lane, ""));
        for &n in &row {
            self.edge(fork, n, None);
            self.edge(n, join, None);
        }
        self.chart.same_row.push(row);
        (fork, join)
    }

    /// One decision per branch of a step, in a chain after its node `last`: each asks the
    /// branch's condition, 是 goes where the branch says (drawn at the end), 否 to the next
    /// decision. A branch to the very next step is no decision (both answers lead there).
    /// The node that leaves the step.
    fn decisions(&mut self, s: &StepIn, lane: usize, last: usize) -> usize {
        let next = self.entry.len();
        let mut leave = last;
        for (when, label, goto) in &s.branches {
            if *goto == Some(next) {
                continue;
            }
            let text = format!("{}？", when.trim_end_matches(['？', '?']));
            let d = self.push(Node::plain(NodeKind::Decision, lane, &text));
            self.edge(leave, d, None);
            let yes = match label {
                Some(l) if !l.is_empty() => format!("是·{l}"),
                _ => "是".to_string(),
            };
            self.yes_exits.push((d, *goto, yes));
            leave = d;
        }
        leave
    }

    /// The end node, in the lane of the last node (or `first_lane`), the last step's exits
    /// into it, and the decisions' 是 exits to the steps they go to.
    fn finish(mut self, first_lane: usize, end_text: &str) -> Chart {
        let last_lane = self
            .chart
            .nodes
            .last()
            .map(|n| n.lane)
            .unwrap_or(first_lane);
        let end = self.push(Node::plain(NodeKind::Terminator, last_lane, end_text));
        for (from, label) in std::mem::take(&mut self.exits) {
            self.edge(from, end, label);
        }
        for (d, goto, label) in std::mem::take(&mut self.yes_exits) {
            let to = goto.and_then(|g| self.entry.get(g).copied()).unwrap_or(end);
            self.edge(d, to, Some(label));
        }
        self.chart
    }
}

/// Draw a chart: lay it out and write the SVG. `id` must be unique on the page.
pub fn render(chart: &Chart, id: &str) -> String {
    let layout = layout::layout(chart);
    svg::write(chart, &layout, id)
}
