//! The common Mermaid flowchart subset, for ```flowchart blocks in Markdown pages:
//! `flowchart TD|LR` (or `graph`), node shapes `[]`, `()`, `([])`, `{}`, edges `-->` and
//! `-->|label|` (chains allowed), and `subgraph … end` as lanes. Errors name their line.

use super::{Chart, Edge, Lane, Node, NodeKind};

/// A syntax error: 1-based line within the block, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub line: usize,
    pub message: String,
}

/// Parse a flowchart block into a chart titled `title`.
pub fn parse(src: &str, title: &str) -> Result<Chart, SyntaxError> {
    let mut chart = Chart {
        title: title.to_string(),
        ..Default::default()
    };
    let mut ids: Vec<String> = Vec::new();
    let mut lane_stack: Vec<usize> = Vec::new();
    let mut header_seen = false;
    let err = |line: usize, message: String| SyntaxError { line, message };
    for (i, raw) in src.lines().enumerate() {
        let ln = i + 1;
        let line = raw
            .split("%%")
            .next()
            .unwrap_or("")
            .trim()
            .trim_end_matches(';');
        if line.is_empty() {
            continue;
        }
        if !header_seen {
            let mut words = line.split_whitespace();
            match (words.next(), words.next()) {
                (Some("flowchart" | "graph"), dir) => {
                    if let Some(d) = dir {
                        if !matches!(d, "TD" | "TB" | "LR" | "RL" | "BT") {
                            return Err(err(ln, format!("unknown direction `{d}`: use TD or LR")));
                        }
                    }
                    header_seen = true;
                    continue;
                }
                _ => {
                    return Err(err(
                        ln,
                        "a flowchart starts with `flowchart TD` or `flowchart LR`".into(),
                    ))
                }
            }
        }
        if let Some(rest) = line.strip_prefix("subgraph") {
            let name = rest.trim();
            let name = name
                .split_once('[')
                .map(|(_, n)| n.trim_end_matches(']').trim())
                .unwrap_or(name)
                .trim_matches('"');
            if name.is_empty() {
                return Err(err(ln, "a subgraph needs a name".into()));
            }
            chart.lanes.push(Lane {
                name: name.to_string(),
                href: None,
            });
            lane_stack.push(chart.lanes.len() - 1);
            continue;
        }
        if line == "end" {
            if lane_stack.pop().is_none() {
                return Err(err(ln, "`end` without a `subgraph`".into()));
            }
            continue;
        }
        // A statement: node (--> [|label|] node)*
        let mut rest = line;
        let mut prev: Option<usize> = None;
        let mut label: Option<String> = None;
        loop {
            let (node, after) = parse_node(rest).map_err(|m| err(ln, m))?;
            let idx = match ids.iter().position(|x| *x == node.0) {
                Some(k) => {
                    if let Some((kind, text)) = node.1 {
                        chart.nodes[k].kind = kind;
                        chart.nodes[k].text = text;
                    }
                    k
                }
                None => {
                    let lane = lane_for_new_node(&mut chart, &lane_stack);
                    let (kind, text) = node.1.unwrap_or((NodeKind::Task, node.0.clone()));
                    ids.push(node.0.clone());
                    chart.nodes.push(Node {
                        kind,
                        lane,
                        text,
                        limit: None,
                        href: None,
                        full: None,
                    });
                    chart.nodes.len() - 1
                }
            };
            if let Some(p) = prev {
                chart.edges.push(Edge {
                    from: p,
                    to: idx,
                    label: label.take(),
                });
            }
            prev = Some(idx);
            let after = after.trim_start();
            if after.is_empty() {
                break;
            }
            let Some(a) = after.strip_prefix("-->") else {
                return Err(err(ln, format!("expected `-->` before `{after}`")));
            };
            let a = a.trim_start();
            rest = if let Some(l) = a.strip_prefix('|') {
                let Some(end) = l.find('|') else {
                    return Err(err(ln, "an edge label `|…|` is not closed".into()));
                };
                label = Some(l[..end].trim().to_string());
                l[end + 1..].trim_start()
            } else {
                a
            };
            if rest.is_empty() {
                return Err(err(ln, "an edge `-->` needs a node after it".into()));
            }
        }
    }
    if !header_seen {
        return Err(err(1, "empty flowchart: start with `flowchart TD`".into()));
    }
    if let Some(open) = lane_stack.last() {
        return Err(err(
            src.lines().count().max(1),
            format!(
                "subgraph `{}` is not closed with `end`",
                chart.lanes[*open].name
            ),
        ));
    }
    Ok(chart)
}

/// The fenced ```flowchart (or ```mermaid) blocks of a Markdown text: the 1-based line of
/// each block's first content line, and its content.
pub fn blocks(markdown: &str) -> Vec<(usize, String)> {
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
    let mut out = Vec::new();
    // Without the word, no block: most pages need no Markdown parse here.
    if !markdown.contains("flowchart") && !markdown.contains("mermaid") {
        return out;
    }
    let mut current: Option<(usize, String)> = None;
    for (ev, range) in Parser::new(markdown).into_offset_iter() {
        match ev {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang)))
                if is_flowchart_lang(&lang) =>
            {
                let line = markdown[..range.start].matches('\n').count() + 2;
                current = Some((line, String::new()));
            }
            Event::Text(t) => {
                if let Some((_, buf)) = current.as_mut() {
                    buf.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(b) = current.take() {
                    out.push(b);
                }
            }
            _ => {}
        }
    }
    out
}

/// Info strings that mark a flowchart block.
pub fn is_flowchart_lang(info: &str) -> bool {
    matches!(
        info.split_whitespace().next(),
        Some("flowchart" | "mermaid")
    )
}

/// The lane of a node first seen here: the open subgraph, else one shared unnamed lane.
fn lane_for_new_node(chart: &mut Chart, lane_stack: &[usize]) -> usize {
    if let Some(l) = lane_stack.last() {
        return *l;
    }
    match chart.lanes.iter().position(|l| l.name.is_empty()) {
        Some(l) => l,
        None => {
            chart.lanes.push(Lane {
                name: String::new(),
                href: None,
            });
            chart.lanes.len() - 1
        }
    }
}

type ParsedNode = (String, Option<(NodeKind, String)>);

/// `id`, `id[text]`, `id(text)`, `id([text])`, `id{text}`; returns the rest of the line.
fn parse_node(s: &str) -> Result<(ParsedNode, &str), String> {
    let s = s.trim_start();
    let id_len = s
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
        .map_or(s.len(), |(i, _)| i);
    if id_len == 0 {
        return Err(format!(
            "expected a node id at `{}`",
            s.chars().take(20).collect::<String>()
        ));
    }
    let id = s[..id_len].to_string();
    let rest = &s[id_len..];
    for (open, close, kind) in [
        ("([", "])", NodeKind::Terminator),
        ("[", "]", NodeKind::Task),
        ("(", ")", NodeKind::Task),
        ("{", "}", NodeKind::Decision),
    ] {
        if let Some(r) = rest.strip_prefix(open) {
            let Some(end) = r.find(close) else {
                return Err(format!(
                    "node `{id}`: `{open}` is not closed with `{close}`"
                ));
            };
            let text = r[..end].trim().trim_matches('"').to_string();
            return Ok(((id, Some((kind, text))), &r[end + close.len()..]));
        }
    }
    Ok(((id, None), rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_common_subset() {
        let c = parse(
            "flowchart TD\n  subgraph 办公室\n    A([开始]) --> B[拟稿]\n    B --> C{合规?}\n  end\n  subgraph 分管领导\n    D(签发)\n  end\n  C -->|是| D\n  C -->|否| B\n",
            "t",
        )
        .unwrap();
        assert_eq!(
            c.lanes.iter().map(|l| l.name.as_str()).collect::<Vec<_>>(),
            vec!["办公室", "分管领导"]
        );
        assert_eq!(c.nodes.len(), 4);
        assert_eq!(c.nodes[0].kind, NodeKind::Terminator);
        assert_eq!(c.nodes[2].kind, NodeKind::Decision);
        assert_eq!(c.edges.len(), 4);
        assert_eq!(c.edges[2].label.as_deref(), Some("是"));
    }

    #[test]
    fn syntax_errors_name_the_line() {
        let e = parse("flowchart TD\nA[拟稿 --> B\n", "t").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(parse("flowchart XY\n", "t").is_err());
        assert_eq!(
            parse("flowchart TD\nsubgraph x\nA\n", "t")
                .unwrap_err()
                .line,
            3
        );
        assert_eq!(parse("A --> B", "t").unwrap_err().line, 1);
        assert_eq!(parse("flowchart TD\nA -->\n", "t").unwrap_err().line, 2);
    }
}
