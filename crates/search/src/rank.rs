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
pub fn fields(doc: &SearchDoc) -> [(&str, u8); 5] {
    [
        (&doc.title, TITLE),
        (&doc.aliases, ALIASES),
        (&doc.department, WHO),
        (&doc.post, WHO),
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
            let toks = &alt.tokens;
            let fields = if alt.names { TITLE | ALIASES } else { !0 };
            let found = |t: &String| masks.get(t).is_some_and(|m| *m & fields != 0);
            if toks.is_empty() || !alt.required().into_iter().all(found) {
                continue;
            }
            let present: Vec<&String> = toks.iter().filter(|t| found(t)).collect();
            let share = present.len() as f64 / toks.len() as f64;
            let s: f64 = alt.weight
                * share
                * present
                    .iter()
                    .map(|t| weight(masks[*t] & fields) * idf(df(t), n))
                    .sum::<f64>();
            best = Some(best.map_or(s, |b: f64| b.max(s)));
        }
        if let Some(s) = best {
            coverage += 1;
            total += s;
        }
    }
    (coverage, total)
}

/// Where a document ranks for a query.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Key {
    /// The document belongs to an organisation the query names.
    pub in_scope: bool,
    /// Terms matched (its share of the query's terms scales `score`).
    pub coverage: usize,
    pub score: f64,
    /// Place in the site's order (the tie-breaker).
    pub ord: usize,
}

/// How much a page that belongs to no organisation weighs against an organisation's own
/// items: loose pages (notices, articles) answer "who handles" questions only when they
/// match much better.
pub const LOOSE_PAGE_WEIGHT: f64 = 0.5;

/// How much a thing named without its content (a procedure without steps) weighs against
/// complete ones: its page has little to offer the asker beyond its title.
pub const INCOMPLETE_WEIGHT: f64 = 0.5;

/// The rank key of a document: [`score`], scoped and weighed.
pub fn key(
    q: &Query,
    doc: &SearchDoc,
    masks: &HashMap<String, u8>,
    df: &dyn Fn(&str) -> usize,
    n: usize,
    ord: usize,
    analyzer: &Analyzer,
) -> Key {
    let (coverage, mut score) = self::score(q, masks, df, n);
    // The share of the question a document answers scales its score: a document that
    // matches one rare word of a long question does not outrank one that answers most of it,
    // yet one strong match can beat several weak ones (coverage is not a strict tier).
    score *= coverage as f64 / q.terms.len().max(1) as f64;
    // Only loose pages belong to no organisation.
    if doc.org.is_empty() {
        score *= LOOSE_PAGE_WEIGHT;
    }
    if doc.incomplete {
        score *= INCOMPLETE_WEIGHT;
    }
    Key {
        in_scope: analyzer.in_scope(q, &doc.org),
        coverage,
        score,
        ord,
    }
}

/// Order hits: those of an organisation the query names first, then higher score (already
/// scaled by the share of terms matched), then document order.
pub fn order(a: &Key, b: &Key) -> std::cmp::Ordering {
    b.in_scope
        .cmp(&a.in_scope)
        .then(b.score.total_cmp(&a.score))
        .then(a.ord.cmp(&b.ord))
}

/// Share of a department's other hits added to each of its hits.
pub const AGGREGATE: f64 = 0.3;

/// Evidence from a department's other hits: each hit of a department gains [`AGGREGATE`]
/// times the best four scores of the department's hits at the same coverage (its own taken
/// out when it is among them),
/// so that a department many of whose items match the question ranks above one item that
/// matches by chance. Hits of no department gain nothing.
pub fn aggregate<T>(ranked: &mut [(Key, T)], who: impl Fn(&T) -> (&str, &str)) {
    let mut by_dept: HashMap<(String, String, usize), Vec<f64>> = HashMap::new();
    for (k, d) in ranked.iter() {
        let (org, dept) = who(d);
        if !dept.is_empty() {
            by_dept
                .entry((org.to_string(), dept.to_string(), k.coverage))
                .or_default()
                .push(k.score);
        }
    }
    for v in by_dept.values_mut() {
        v.sort_by(|a, b| b.total_cmp(a));
    }
    for (k, d) in ranked.iter_mut() {
        let (org, dept) = who(d);
        if let Some(v) = by_dept.get(&(org.to_string(), dept.to_string(), k.coverage)) {
            let top = &v[..v.len().min(4)];
            let mut others: f64 = top.iter().sum();
            if top.last().is_some_and(|last| k.score >= *last) {
                others -= k.score;
            }
            k.score += AGGREGATE * others.max(0.0);
        }
    }
}

/// Hits reordered so that each department's best hit comes before any department's second:
/// the first hits answer "who handles it" with the departments in their order, and every
/// hit stays in score order within its department. Hits of no department stand alone.
pub fn departments_first<T>(ranked: Vec<T>, who: impl Fn(&T) -> (&str, &str)) -> Vec<T> {
    let mut seen: std::collections::HashSet<(String, String)> = Default::default();
    let (mut first, mut rest) = (Vec::new(), Vec::new());
    for hit in ranked {
        let (org, dept) = who(&hit);
        let new = dept.is_empty() || seen.insert((org.to_string(), dept.to_string()));
        if new {
            first.push(hit);
        } else {
            rest.push(hit);
        }
    }
    first.extend(rest);
    first
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyzer::Alt;

    fn masks_of(text: &str) -> HashMap<String, u8> {
        tokens_of_normalized(text)
            .into_iter()
            .map(|t| (t, BODY))
            .collect()
    }

    fn query(words: &[&str]) -> Query {
        let alt = |w: &str| Alt {
            tokens: tokens_of_normalized(w),
            weight: 1.0,
            names: false,
        };
        Query {
            terms: words.iter().map(|w| vec![alt(w)]).collect(),
            orgs: Vec::new(),
        }
    }

    #[test]
    fn a_long_term_written_with_a_word_inside_matches_by_its_share() {
        let df = |_: &str| 1;
        let q = query(&["工业遗产"]);
        // Whole: all three tokens; with 文化 inside: first and last found, two of three.
        let (whole_cov, whole) = score(&q, &masks_of("加强工业遗产保护"), &df, 10);
        let (inside_cov, inside) = score(&q, &masks_of("加强工业文化遗产保护"), &df, 10);
        assert_eq!((whole_cov, inside_cov), (1, 1));
        assert!(inside > 0.0 && inside < whole, "{inside} vs {whole}");
        // Without its last token it does not match; short terms need every token.
        assert_eq!(score(&q, &masks_of("工业文化保护"), &df, 10).0, 0);
        assert_eq!(score(&query(&["遗产"]), &masks_of("遗址"), &df, 10).0, 0);
    }
}
