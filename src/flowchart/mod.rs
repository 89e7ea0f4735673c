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

impl StepIn {
    /// The steps of a procedure, as written (`p`) and as resolved (`r`: whom each actor is,
    /// where each branch goes), as the chart takes them: `text` turns a step's text into the
    /// words drawn, `href` a resolved actor into its link (if it gets one).
    pub fn steps_of(
        p: &crate::model::Procedure,
        r: &crate::resolve::ProcedureR,
        text: &dyn Fn(&str) -> String,
        href: &dyn Fn(crate::resolve::Target) -> Option<String>,
    ) -> Vec<StepIn> {
        let named = |name: &str, target: Option<crate::resolve::Target>| {
            (name.to_string(), target.and_then(href))
        };
        p.steps
            .iter()
            .zip(&r.steps)
            .map(|(st, sr)| StepIn {
                label: st.label.clone(),
                text: st.text.as_deref().map(text),
                actor: st.actor.as_deref().map(|a| named(a, sr.actor)),
                parallel: st
                    .parallel
                    .iter()
                    .zip(&sr.parallel)
                    .map(|(n, t)| named(n, *t))
                    .collect(),
                limit: st.limit.clone(),
                branches: st
                    .branches
                    .iter()
                    .zip(&sr.branches)
                    .map(|(b, to)| (b.when.clone(), b.label.clone(), *to))
                    .collect(),
            })
            .collect()
    }
}

/// Longest text shown in a step box before it is shortened (the steps table has it all).
const MAX_STEP_CHARS: usize = 48;

impl Chart {
    /// The chart of a procedure. Steps without an actor go to `owner`'s lane.
    pub fn from_steps(title: &str, owner: (&str, Option<&str>), steps: &[StepIn]) -> Chart {
        let mut c = Chart {
            title: title.to_string(),
            ..Default::default()
        };
        let mut lane_of = |c: &mut Chart, name: &str, href: Option<&str>| -> usize {
            if let Some(i) = c.lanes.iter().position(|l| l.name == name) {
                return i;
            }
            c.lanes.push(Lane {
                name: name.to_string(),
                href: href.map(str::to_string),
            });
            c.lanes.len() - 1
        };
        let actor_lane =
            |c: &mut Chart,
             s: &StepIn,
             lane_of: &mut dyn FnMut(&mut Chart, &str, Option<&str>) -> usize| match &s
                .actor
            {
                Some((name, href)) => lane_of(c, name, href.as_deref()),
                None => lane_of(c, owner.0, owner.1),
            };
        let first_lane = match steps.first() {
            Some(s) => actor_lane(&mut c, s, &mut lane_of),
            None => lane_of(&mut c, owner.0, owner.1),
        };
        c.nodes.push(Node {
            kind: NodeKind::Terminator,
            lane: first_lane,
            text: "开始".into(),
            limit: None,
            href: None,
        });
        // For each step: the node that enters it, and the node that leaves it (towards the next).
        let mut entry = Vec::new();
        let mut pending_exits: Vec<(usize, Option<String>)> = vec![(0, None)];
        let mut branch_edges: Vec<(usize, Option<usize>, String)> = Vec::new();
        for s in steps {
            let lane = actor_lane(&mut c, s, &mut lane_of);
            let text = step_text(s);
            let href = s.actor.as_ref().and_then(|a| a.1.clone());
            let (first, last) = if s.parallel.is_empty() {
                c.nodes.push(Node {
                    kind: NodeKind::Task,
                    lane,
                    text,
                    limit: s.limit.clone(),
                    href,
                });
                let n = c.nodes.len() - 1;
                (n, n)
            } else {
                // 会签: fork bar, the step's own box and one box per co-signer, join bar.
                c.nodes.push(Node {
                    kind: NodeKind::Bar,
                    lane,
                    text: String::new(),
                    limit: None,
                    href: None,
                });
                let fork = c.nodes.len() - 1;
                c.nodes.push(Node {
                    kind: NodeKind::Task,
                    lane,
                    text: text.clone(),
                    limit: s.limit.clone(),
                    href,
                });
                let mut row = vec![c.nodes.len() - 1];
                for (name, phref) in &s.parallel {
                    let pl = lane_of(&mut c, name, phref.as_deref());
                    c.nodes.push(Node {
                        kind: NodeKind::Task,
                        lane: pl,
                        text: format!("{name}会签"),
                        limit: None,
                        href: phref.clone(),
                    });
                    row.push(c.nodes.len() - 1);
                }
                c.nodes.push(Node {
                    kind: NodeKind::Bar,
                    lane,
                    text: String::new(),
                    limit: None,
                    href: None,
                });
                let join = c.nodes.len() - 1;
                for &n in &row {
                    c.edges.push(Edge {
                        from: fork,
                        to: n,
                        label: None,
                    });
                    c.edges.push(Edge {
                        from: n,
                        to: join,
                        label: None,
                    });
                }
                c.same_row.push(row);
                (fork, join)
            };
            for (from, label) in pending_exits.drain(..) {
                c.edges.push(Edge {
                    from,
                    to: first,
                    label,
                });
            }
            entry.push(first);
            let mut leave = last;
            for (when, label, goto) in &s.branches {
                c.nodes.push(Node {
                    kind: NodeKind::Decision,
                    lane,
                    text: format!("{}？", when.trim_end_matches(['？', '?'])),
                    limit: None,
                    href: None,
                });
                let d = c.nodes.len() - 1;
                c.edges.push(Edge {
                    from: leave,
                    to: d,
                    label: None,
                });
                let yes = match label {
                    Some(l) if !l.is_empty() => format!("是·{l}"),
                    _ => "是".to_string(),
                };
                branch_edges.push((d, *goto, yes));
                leave = d;
            }
            let no = (leave != last).then(|| "否".to_string());
            pending_exits.push((leave, no));
        }
        let last_lane = c.nodes.last().map(|n| n.lane).unwrap_or(first_lane);
        c.nodes.push(Node {
            kind: NodeKind::Terminator,
            lane: last_lane,
            text: "结束".into(),
            limit: None,
            href: None,
        });
        let end = c.nodes.len() - 1;
        for (from, label) in pending_exits.drain(..) {
            c.edges.push(Edge {
                from,
                to: end,
                label,
            });
        }
        for (d, goto, label) in branch_edges {
            let to = goto.and_then(|g| entry.get(g).copied()).unwrap_or(end);
            c.edges.push(Edge {
                from: d,
                to,
                label: Some(label),
            });
        }
        c
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

/// The text of a step's box: its label, else its text, shortened.
fn step_text(s: &StepIn) -> String {
    let t = s
        .label
        .clone()
        .filter(|l| !l.trim().is_empty())
        .or_else(|| s.text.clone())
        .unwrap_or_default();
    let t = t.trim();
    if t.chars().count() > MAX_STEP_CHARS {
        let cut: String = t.chars().take(MAX_STEP_CHARS - 1).collect();
        format!("{cut}…")
    } else {
        t.to_string()
    }
}

/// Draw a chart: lay it out and write the SVG. `id` must be unique on the page.
pub fn render(chart: &Chart, id: &str) -> String {
    let layout = layout::layout(chart);
    svg::write(chart, &layout, id)
}
