//! The static index the browser searches: term shards and document shards written as classic
//! `<script>` files into `search/` of the output, so search works from any web server and
//! from `file://`, loading only the shards a query needs.
//!
//! - `search/meta.js`: counts, shard counts, synonyms, question words;
//! - `search/s/<k>.js`: the traditional → simplified pairs whose traditional character's code
//!   point is `k` modulo [`T2S_SHARDS`] (a query loads only the shards of its characters);
//! - `search/t/<k>.js`: postings of the tokens whose hash falls in shard `k`, as
//!   `token: [p, p, …]` where each `p` is `delta · 4 + field`: the document number's distance
//!   from the previous one, and the best field the token is in (0 body, 1 department,
//!   2 aliases, 3 title) — ranking weighs only the best field;
//! - `search/d/<k>.js`: the documents `k·16 … k·16+15`: kind, title, url, org, department,
//!   and the text snippets are cut from.

use super::analyzer::{Analyzer, QUESTION_WORDS};
use super::docs::SearchDoc;
use super::rank::field_masks;
use crate::render::OutputFile;
use std::collections::BTreeMap;

/// Shards of the traditional → simplified table.
pub const T2S_SHARDS: u32 = 8;

/// Documents per document shard.
pub const DOCS_PER_SHARD: usize = 16;
/// Postings (token occurrences) aimed at per term shard.
const POSTINGS_PER_SHARD: usize = 1000;
/// Longest text kept per document for snippets.
const SNIPPET_SOURCE: usize = 160;

/// FNV-1a over the token's UTF-8 bytes: which shard holds a token (search.js does the same).
pub fn shard_of(token: &str, shards: usize) -> usize {
    let mut h: u32 = 0x811c9dc5;
    for b in token.bytes() {
        h ^= b as u32;
        h = h.wrapping_mul(0x01000193);
    }
    (h as usize) % shards.max(1)
}

/// The best field of a mask as a 2-bit code (3 title, 2 aliases, 1 department, 0 body).
pub fn best_field(mask: u8) -> usize {
    use super::rank::{ALIASES, TITLE, WHO};
    if mask & TITLE != 0 {
        3
    } else if mask & ALIASES != 0 {
        2
    } else if mask & WHO != 0 {
        1
    } else {
        0
    }
}

/// A JSON string literal safe inside a `<script>` file.
fn js_str(s: &str) -> String {
    serde_json::to_string(s)
        .unwrap_or_else(|_| "\"\"".into())
        .replace("</", "<\\/")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// Build the static index files for `docs`.
pub fn build(analyzer: &Analyzer, docs: &[SearchDoc]) -> Vec<OutputFile> {
    use rayon::prelude::*;
    let per_doc: Vec<Vec<(String, u8)>> = docs
        .par_iter()
        .map(|d| {
            let mut masks: Vec<(String, u8)> = field_masks(analyzer, d).into_iter().collect();
            masks.sort();
            masks
        })
        .collect();
    let mut postings: BTreeMap<String, Vec<(usize, u8)>> = BTreeMap::new();
    for (i, masks) in per_doc.into_iter().enumerate() {
        for (t, m) in masks {
            postings.entry(t).or_default().push((i, m));
        }
    }
    let total: usize = postings.values().map(Vec::len).sum();
    let term_shards = total.div_ceil(POSTINGS_PER_SHARD).max(1);
    let doc_shards = docs.len().div_ceil(DOCS_PER_SHARD).max(1);
    let mut files = Vec::new();

    type Postings<'a> = (&'a String, &'a Vec<(usize, u8)>);
    let mut shards: Vec<Vec<Postings>> = vec![Vec::new(); term_shards];
    for (t, p) in &postings {
        shards[shard_of(t, term_shards)].push((t, p));
    }
    for (k, terms) in shards.iter().enumerate() {
        let mut s = format!("zhizeSearch.terms({k},{{");
        for (n, (t, p)) in terms.iter().enumerate() {
            if n > 0 {
                s.push(',');
            }
            s.push_str(&js_str(t));
            s.push_str(":[");
            let mut prev = 0;
            for (j, (doc, mask)) in p.iter().enumerate() {
                if j > 0 {
                    s.push(',');
                }
                s.push_str(&((doc - prev) * 4 + best_field(*mask)).to_string());
                prev = *doc;
            }
            s.push(']');
        }
        s.push_str("});\n");
        files.push(OutputFile {
            path: format!("search/t/{k}.js"),
            bytes: s.into_bytes(),
        });
    }
    for (k, chunk) in docs.chunks(DOCS_PER_SHARD).enumerate() {
        let mut s = format!("zhizeSearch.docs({k},[");
        for (n, d) in chunk.iter().enumerate() {
            if n > 0 {
                s.push(',');
            }
            let text: String = if d.body.is_empty() {
                d.title.clone()
            } else {
                d.body.chars().take(SNIPPET_SOURCE).collect()
            };
            s.push_str(&format!(
                "[{},{},{},{},{},{}]",
                js_str(d.kind.name()),
                js_str(&d.title),
                js_str(&d.url),
                js_str(&d.org),
                js_str(&d.department),
                js_str(&text)
            ));
        }
        s.push_str("]);\n");
        files.push(OutputFile {
            path: format!("search/d/{k}.js"),
            bytes: s.into_bytes(),
        });
    }
    let synonyms: Vec<&Vec<String>> = analyzer.synonym_groups().iter().collect();
    let meta = serde_json::json!({
        "docs": docs.len(),
        "termShards": term_shards,
        "docShards": doc_shards,
        "docsPerShard": DOCS_PER_SHARD,
        "t2sShards": T2S_SHARDS,
        "synonyms": synonyms,
        "question": QUESTION_WORDS,
    });
    files.push(OutputFile {
        path: "search/meta.js".into(),
        bytes: format!("zhizeSearch.meta({meta});\n").into_bytes(),
    });
    let mut t2s: Vec<String> = vec![String::new(); T2S_SHARDS as usize];
    for (a, b) in analyzer.t2s_pairs() {
        let k = (a as u32 % T2S_SHARDS) as usize;
        t2s[k].push(a);
        t2s[k].push(b);
    }
    for (k, pairs) in t2s.iter().enumerate() {
        files.push(OutputFile {
            path: format!("search/s/{k}.js"),
            bytes: format!("zhizeSearch.t2s({k},{});\n", js_str(pairs)).into_bytes(),
        });
    }
    files
}
