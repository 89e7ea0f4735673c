//! Ranking, the same in `zhize search` and in the browser (search.js mirrors it): documents
//! that match more of the query's terms come first; among those, a score that weighs where
//! each token was found (title, aliases and pinyin, department, body) by its rarity.

use super::analyzer::{tokens_of_normalized, Analyzer, Query};
use super::docs::SearchDoc;
use std::collections::HashMap;

/// Field bits of a token's occurrence in a document.
pub const TITLE: u8 = 1;
pub const ALIASES: u8 = 2;
pub const WHO: u8 = 4;
pub const BODY: u8 = 8;

/// Weight of the best field in a mask.
pub fn weight(mask: u8) -> f64 {
    if mask & TITLE != 0 {
        8.0
    } else if mask & ALIASES != 0 {
        6.0
    } else if mask & WHO != 0 {
        3.0
    } else if mask & BODY != 0 {
        1.0
    } else {
        0.0
    }
}

/// Inverse document frequency of a token found in `df` of `n` documents.
pub fn idf(df: usize, n: usize) -> f64 {
    (1.0 + n as f64 / df.max(1) as f64).ln()
}

/// A document's texts with the field bit each stands for.
pub fn fields(doc: &SearchDoc) -> [(&str, u8); 6] {
    [
        (&doc.title, TITLE),
        (&doc.aliases, ALIASES),
        (&doc.department, WHO),
        (&doc.post, WHO),
        (&doc.org, WHO),
        (&doc.body, BODY),
    ]
}

/// Which fields of a document hold each of its tokens.
pub fn field_masks(analyzer: &Analyzer, doc: &SearchDoc) -> HashMap<String, u8> {
    let mut masks: HashMap<String, u8> = HashMap::new();
    for (text, bit) in fields(doc) {
        for t in tokens_of_normalized(&analyzer.normalize(text)) {
            *masks.entry(t).or_default() |= bit;
        }
    }
    masks
}

/// (terms matched, score) of a document for a query.
pub fn score(
    q: &Query,
    masks: &HashMap<String, u8>,
    df: &dyn Fn(&str) -> usize,
    n: usize,
) -> (usize, f64) {
    let mut coverage = 0;
    let mut total = 0.0;
    for term in &q.terms {
        let mut best: Option<f64> = None;
        for alt in term {
            if alt.is_empty() || !alt.iter().all(|t| masks.get(t).is_some_and(|m| *m != 0)) {
                continue;
            }
            let s: f64 = alt.iter().map(|t| weight(masks[t]) * idf(df(t), n)).sum();
            best = Some(best.map_or(s, |b: f64| b.max(s)));
        }
        if let Some(s) = best {
            coverage += 1;
            total += s;
        }
    }
    (coverage, total)
}

/// Order hits: more terms matched first, then higher score, then document order.
pub fn order(a: &(usize, usize, f64), b: &(usize, usize, f64)) -> std::cmp::Ordering {
    b.1.cmp(&a.1).then(b.2.total_cmp(&a.2)).then(a.0.cmp(&b.0))
}

/// A snippet of `text` around the first token of the query found in it, with the matched
/// spans (character offsets into the snippet) for highlighting.
pub fn snippet(
    analyzer: &Analyzer,
    text: &str,
    q: &Query,
    width: usize,
) -> (String, Vec<(usize, usize)>) {
    let chars: Vec<char> = text.chars().collect();
    // Normalise per character, remembering which original character each came from.
    let mut norm = String::new();
    let mut owner: Vec<usize> = Vec::new();
    for (i, c) in chars.iter().enumerate() {
        let before = norm.chars().count();
        analyzer.normalize_char(*c, &mut norm);
        owner.extend(std::iter::repeat_n(i, norm.chars().count() - before));
    }
    let norm_chars: Vec<char> = norm.chars().collect();
    let tokens = q.all_tokens();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for t in &tokens {
        let tc: Vec<char> = t.chars().collect();
        if tc.is_empty() || tc.len() > norm_chars.len() {
            continue;
        }
        for s in 0..=norm_chars.len() - tc.len() {
            if norm_chars[s..s + tc.len()] == tc[..] {
                spans.push((owner[s], owner[s + tc.len() - 1] + 1));
            }
        }
    }
    spans.sort();
    // Merge overlapping spans (bigrams of one word overlap).
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in spans {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    let first = merged.first().map_or(0, |s| s.0);
    let start = first.saturating_sub(width / 3);
    let end = (start + width).min(chars.len());
    let start = end.saturating_sub(width).min(start);
    let mut out: String = chars[start..end].iter().collect();
    let mut offset = 0;
    if start > 0 {
        out.insert(0, '…');
        offset = 1;
    }
    if end < chars.len() {
        out.push('…');
    }
    let marks = merged
        .into_iter()
        .filter(|(s, e)| *s >= start && *e <= end)
        .map(|(s, e)| (s - start + offset, e - start + offset))
        .collect();
    (out, marks)
}
