//! Where each line of a document went: into the text of a field or a page (whole, or as
//! pieces: cells, a label and its text, clauses), or nowhere — a heading that became a
//! section, a table header, page furniture. Those are listed in the report as written, so
//! that every character of the input is in what the import writes.

use crate::document::{Line, CELL_BREAK};
use crate::lines::parse_num;

/// A line or a piece of one, as compared: no whitespace, Markdown marks, quotes or leading
/// numbering.
pub fn normal(s: &str) -> String {
    // Pinyin annotations (`時(shí)間`) are dropped on purpose by the articles reader.
    let (s, _) = crate::articles::strip_pinyin(s);
    let t: String = s
        .chars()
        .filter(|c| {
            !c.is_whitespace()
                && *c != CELL_BREAK
                && !matches!(c, '*' | '#' | '|' | '"' | '\'' | '\\' | '`' | '>')
        })
        .collect();
    let mut t = t.as_str();
    while let Some((_, rest)) = parse_num(t) {
        if rest.len() == t.len() || rest.is_empty() {
            break;
        }
        t = rest;
    }
    t.trim_start_matches(['-', '—']).to_string()
}

/// The pieces a line may have been cut into.
pub fn pieces(s: &str) -> Vec<String> {
    s.split([
        '\t', '。', '；', ';', '：', ':', '，', ',', '→', CELL_BREAK, '|',
    ])
    .flat_map(|p| p.split("->"))
    .flat_map(at_numbers)
    .map(normal)
    .filter(|p| !p.is_empty())
    .collect()
}

/// A piece cut again where a numbered item starts inside it (`…制度一、建立…`): a title
/// and its first item printed on one line.
fn at_numbers(p: &str) -> Vec<&str> {
    let mut cuts = vec![0];
    for (i, c) in p.char_indices() {
        let soon = p[i..].chars().take(4).any(|x| x == '、');
        if i > 0 && soon && "一二三四五六七八九十".contains(c) {
            let prev = p[..i].chars().last().unwrap_or(' ');
            if !"一二三四五六七八九十第".contains(prev)
                && matches!(parse_num(&p[i..]), Some((crate::lines::Num::Cn(_), _)))
            {
                cuts.push(i);
            }
        }
    }
    cuts.push(p.len());
    cuts.windows(2).map(|w| &p[w[0]..w[1]]).collect()
}

/// Indices of the non-blank `lines` whose text is not in `output`, whole or piece by piece.
pub fn not_landed(lines: &[Line], only: &[usize], output: &str) -> Vec<usize> {
    let hay = normal_text(output);
    // Each distinct text is one pattern, however many lines repeat it.
    let mut patterns: Vec<String> = Vec::new();
    let mut ids: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut id_of = |t: String, patterns: &mut Vec<String>| {
        *ids.entry(t).or_insert_with_key(|k| {
            patterns.push(k.clone());
            patterns.len() - 1
        })
    };
    let mut wanted: Vec<(usize, usize, Vec<usize>)> = Vec::new();
    for &i in only {
        let Some(l) = lines.get(i) else { continue };
        let whole = normal(&l.text);
        if whole.is_empty() {
            continue;
        }
        let w = id_of(whole, &mut patterns);
        let ps: Vec<usize> = pieces(&l.text)
            .into_iter()
            .map(|p| id_of(p, &mut patterns))
            .collect();
        wanted.push((i, w, ps));
    }
    if patterns.is_empty() {
        return Vec::new();
    }
    let Ok(ac) = aho_corasick::AhoCorasick::new(&patterns) else {
        return wanted.into_iter().map(|(i, _, _)| i).collect();
    };
    let mut found = vec![false; patterns.len()];
    let mut left = patterns.len();
    for m in ac.find_overlapping_iter(&hay) {
        let k = m.pattern().as_usize();
        if !found[k] {
            found[k] = true;
            left -= 1;
            if left == 0 {
                break;
            }
        }
    }
    wanted
        .into_iter()
        .filter(|(_, w, ps)| !found[*w] && (ps.is_empty() || !ps.iter().all(|p| found[*p])))
        .map(|(i, _, _)| i)
        .collect()
}

/// The output as one comparable text: each line normalised, lines kept apart.
fn normal_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for l in s.lines() {
        let t: String = l
            .chars()
            .filter(|c| {
                !c.is_whitespace()
                    && *c != CELL_BREAK
                    && !matches!(c, '*' | '#' | '|' | '"' | '\'' | '\\' | '`' | '>')
            })
            .collect();
        out.push_str(&t);
        out.push('\n');
    }
    out
}

/// Every text of YAML written by the import, one per line (keys and values).
pub fn yaml_text(yaml: &str, out: &mut String) {
    fn walk(v: &serde_yaml::Value, out: &mut String) {
        match v {
            serde_yaml::Value::String(s) => {
                out.push_str(s);
                out.push('\n');
            }
            serde_yaml::Value::Number(n) => {
                out.push_str(&n.to_string());
                out.push('\n');
            }
            serde_yaml::Value::Sequence(seq) => seq.iter().for_each(|x| walk(x, out)),
            serde_yaml::Value::Mapping(m) => m.iter().for_each(|(k, x)| {
                walk(k, out);
                walk(x, out)
            }),
            _ => {}
        }
    }
    match serde_yaml::from_str::<serde_yaml::Value>(yaml) {
        Ok(v) => walk(&v, out),
        Err(_) => out.push_str(yaml),
    }
}
