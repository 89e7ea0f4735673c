//! The static index the browser searches: term shards and document shards written as classic
//! `<script>` files into `search/` of the output, so search works from any web server and
//! from `file://`, loading only the shards a query needs.
//!
//! The static index holds the documents of `zhize search` with one difference: a procedure's
//! steps are folded into the procedure (their text, actors and forms), so the browser finds
//! the procedure where `zhize search` finds the step — the same department, at a third of the
//! postings.
//!
//! Numbers are written as VLQ strings: each character of [`B64`] carries 5 bits, low bits
//! first, and 32 when more characters follow.
//!
//! - `search/meta.js`: counts, shard counts, the hash seed and key bits, kinds, the
//!   (organisation, department) pairs documents refer to, synonyms, question words;
//! - `search/th/<k>.js`: for the characters whose code point is `k` modulo
//!   [`THESAURUS_SHARDS`], the thesaurus phrases starting with one, their pinyin and their
//!   simplified forms: a query loads the shards of its characters and needs no more;
//! - `search/s/<k>.js`: the traditional → simplified pairs whose traditional character's code
//!   point is `k` modulo [`T2S_SHARDS`], loaded only to highlight a snippet in traditional
//!   characters, as two VLQ strings: the traditional code points' gaps divided by
//!   [`T2S_SHARDS`], and the simplified characters' zig-zagged distances from them;
//! - `search/t/<k>.js`: postings of the tokens whose [`shard_of`] is `k`, as four strings:
//!   the tokens' [`key_hash`]es in increasing order (gaps); each token's document count less
//!   one, times 5, plus the best field of all its postings (0 body, 1 department, 2 aliases,
//!   3 title — ranking weighs only the best field) or 4 where they differ; the documents in
//!   increasing order (first number, then gaps less one); and for the tokens marked 4, the
//!   best field per posting as a digit. Tokens are stored as hashes, not text: the build picks
//!   a seed under which no two tokens of a shard share a key, and keeps [`key_bits`] bits, so
//!   that a token absent from the index meets a key of its shard by chance once in about
//!   8,000 times (more often on large sites, see [`MAX_KEY_BITS`]);
//! - `search/d/<k>.js`: the documents `k·n … k·n+n-1` (`n` is `docsPerShard` in the meta:
//!   32, more on large sites): kind (index into `kinds`), title, url
//!   (`""` where it is the previous document's, `#anchor` where only the anchor differs),
//!   (organisation, department) index into `who`, and the text snippets are cut from (left
//!   out where it is the title).

use super::analyzer::for_each_token;
use super::analyzer::{pinyin_of, Analyzer, FUNCTION_CHARS, PINYIN_RANGE};
use super::docs::{Kind, SearchDoc};
use super::rank;
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::collections::HashSet;
use zhize_core::OutputFile;

/// Shards of the thesaurus: everyday phrases by the code point of their first character
/// modulo this; a query loads the shards of its characters.
pub const THESAURUS_SHARDS: u32 = 2048;

/// Shards of the traditional → simplified table.
pub const T2S_SHARDS: u32 = 8;

/// Documents per document shard, on a site of up to [`LINEAR_SHARDS`] document shards.
pub const DOCS_PER_SHARD: usize = 16;
/// Postings (token occurrences) aimed at per term shard, on a site of up to
/// [`LINEAR_SHARDS`] term shards.
const POSTINGS_PER_SHARD: usize = 400;
/// Shards grow in number with the site up to this many, stay so until they hold
/// [`GROWN`] times as much, then grow as the square root of its size (and in size as the
/// square root too): a small site's query loads a few shards of under a KB, and a site of
/// 10,000 pages gets some 1,300 term shards of about 4 KB gzipped instead of 12,500 of
/// 0.4 KB, so it writes and copies far fewer files while a query still loads a few shards.
const LINEAR_SHARDS: usize = 512;
/// See [`LINEAR_SHARDS`].
const GROWN: usize = 4;

/// How many shards for `units` (postings or documents) at `per_shard` each (see
/// [`LINEAR_SHARDS`]).
fn shard_count(units: usize, per_shard: usize) -> usize {
    let linear = units.div_ceil(per_shard).max(1);
    if linear <= LINEAR_SHARDS {
        return linear;
    }
    let grown = units.div_ceil(per_shard * GROWN);
    if grown <= LINEAR_SHARDS {
        return LINEAR_SHARDS;
    }
    (LINEAR_SHARDS as f64 * (grown as f64 / LINEAR_SHARDS as f64).sqrt()).ceil() as usize
}
/// Longest text kept per document for snippets.
const SNIPPET_SOURCE: usize = 60;
/// Characters of a page's body in the static index (`zhize search` indexes all of it): pages
/// are long articles whose names and openings say what they are about.
pub const PAGE_BODY_INDEXED: usize = 1000;
/// A token absent from the index meets a key of the shard it would be in by chance once in
/// about 2^this times, on a site small enough for [`MAX_KEY_BITS`].
const KEY_MISS_BITS: u32 = 13;
/// The most bits a key keeps: on a large site's larger shards a missing token meets a key
/// more often (once in about 2,000 look-ups at 10,000 pages), a little noise in the ranking
/// rather than more bytes in every shard a query loads.
const MAX_KEY_BITS: u32 = 22;

/// Bits of a token's hash kept as its key in a term shard of `per_shard` tokens on average:
/// enough that a token absent from the index meets one by chance once in about
/// 2^[`KEY_MISS_BITS`] times, and no more, since every bit costs a bit a token.
pub fn key_bits(per_shard: usize) -> u32 {
    (usize::BITS - per_shard.max(1).leading_zeros() + KEY_MISS_BITS).clamp(16, MAX_KEY_BITS)
}
/// The VLQ digits.
pub const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// FNV-1a over the token's UTF-8 bytes: which shard holds a token (search.js does the same).
pub fn shard_of(token: &str, shards: usize) -> usize {
    let mut h: u32 = 0x811c9dc5;
    for b in token.bytes() {
        h ^= b as u32;
        h = h.wrapping_mul(0x01000193);
    }
    (h as usize) % shards.max(1)
}

/// A token's key in its term shard: FNV-1a from `seed`, mixed (murmur3's finaliser), top
/// `bits` bits (search.js does the same).
pub fn key_hash(token: &str, seed: u32, bits: u32) -> u32 {
    let mut h: u32 = 0x811c9dc5 ^ seed;
    for b in token.bytes() {
        h ^= b as u32;
        h = h.wrapping_mul(0x01000193);
    }
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^= h >> 16;
    h >> (32 - bits)
}

/// Append `v` as VLQ digits.
fn vlq(out: &mut String, mut v: u32) {
    loop {
        let d = v & 31;
        v >>= 5;
        if v == 0 {
            out.push(B64[d as usize] as char);
            return;
        }
        out.push(B64[(d | 32) as usize] as char);
    }
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

fn join_nonempty(a: &mut String, b: &str, sep: &str) {
    if b.trim().is_empty() {
        return;
    }
    if !a.is_empty() {
        a.push_str(sep);
    }
    a.push_str(b);
}

/// The part of a page's body the static index holds ([`PAGE_BODY_INDEXED`] characters).
pub fn page_head(body: &str) -> &str {
    match body.char_indices().nth(PAGE_BODY_INDEXED) {
        Some((cut, _)) => &body[..cut],
        None => body,
    }
}

/// The documents both indexes search (the static index and the tantivy index of `zhize
/// search`, so that the browser and the command rank alike): the site's documents with each
/// procedure's steps folded into it (step labels and texts into the body, actors into the
/// post, forms into the aliases), and pages cut to their first [`PAGE_BODY_INDEXED`]
/// characters. Only procedures with steps and long pages are copied.
pub fn searchable(docs: &[SearchDoc]) -> Vec<Cow<'_, SearchDoc>> {
    let mut out = fold_steps(docs);
    for d in out.iter_mut() {
        let cut = match d.kind {
            Kind::Page => page_head(&d.body).len(),
            _ => d.body.len(),
        };
        if cut < d.body.len() {
            // A copy with the head alone (not a whole copy cut short, which would keep the
            // whole body's allocation: pages are most of a large site's text).
            let body = d.body[..cut].to_string();
            *d = Cow::Owned(SearchDoc {
                body,
                ..d.clone_without_body()
            });
        }
    }
    out
}

/// The documents with each procedure's steps folded into it (see [`searchable`]).
fn fold_steps(docs: &[SearchDoc]) -> Vec<Cow<'_, SearchDoc>> {
    let mut out: Vec<Cow<SearchDoc>> = Vec::with_capacity(docs.len());
    let mut procedure: Option<usize> = None;
    for d in docs {
        match d.kind {
            Kind::Step => {
                let Some(p) = procedure else {
                    out.push(Cow::Borrowed(d));
                    continue;
                };
                let p = out[p].to_mut();
                // A step's title is "<procedure> · <label>"; "第N步" labels say nothing.
                let label = d
                    .title
                    .strip_prefix(p.title.as_str())
                    .and_then(|l| l.strip_prefix(" · "))
                    .unwrap_or("");
                let numbered = label.starts_with('第')
                    && label.ends_with('步')
                    && label
                        .trim_start_matches('第')
                        .trim_end_matches('步')
                        .chars()
                        .all(|c| c.is_ascii_digit());
                let mut text = if numbered {
                    String::new()
                } else {
                    label.to_string()
                };
                join_nonempty(&mut text, &d.body, " ");
                join_nonempty(&mut p.body, &text, "\n");
                if !p.post.split(' ').any(|x| x == d.post) {
                    join_nonempty(&mut p.post, &d.post, " ");
                }
                join_nonempty(&mut p.aliases, &d.aliases, " ");
            }
            kind => {
                procedure = (kind == Kind::Procedure).then_some(out.len());
                out.push(Cow::Borrowed(d));
            }
        }
    }
    out
}

/// A token as a number where it fits — a CJK character or bigram, or an ASCII word of at
/// most eight bytes: nearly every token — so that finding a document's distinct tokens and
/// numbering them across the site hashes one integer instead of comparing strings.
fn pack(token: &str) -> Option<u64> {
    let b = token.as_bytes();
    if b.len() <= 8 && b.is_ascii() {
        // Top bit clear (ASCII bytes are below 0x80).
        return Some(b.iter().rev().fold(0u64, |k, &x| k << 8 | x as u64));
    }
    let mut chars = token.chars();
    let first = chars.next()? as u64;
    let second = chars.next().map_or(0, |c| c as u64);
    // Top bit set: two 21-bit code points (0 for none; U+0000 is never a token).
    chars
        .next()
        .is_none()
        .then_some(1 << 63 | first << 21 | second)
}

/// The token [`pack`] made `key` of.
fn unpack(key: u64) -> String {
    if key >> 63 == 0 {
        let bytes: Vec<u8> = key.to_le_bytes().into_iter().filter(|&b| b != 0).collect();
        return String::from_utf8(bytes).unwrap_or_default();
    }
    [(key >> 21) & 0x1F_FFFF, key & 0x1F_FFFF]
        .into_iter()
        .filter(|&c| c != 0)
        .filter_map(|c| char::from_u32(c as u32))
        .collect()
}

/// A document's token: packed, or (rarely) its text.
enum Token {
    Packed(u64),
    Text(Box<str>),
}

/// The distinct tokens of some documents (pages already cut to their head by
/// [`searchable`]), each with the fields it is in (a mask).
fn tokens_of(analyzer: &Analyzer, docs: &[Cow<SearchDoc>]) -> Vec<Vec<(Token, u8)>> {
    let mut packed: FxHashMap<u64, u8> = FxHashMap::default();
    let mut out = Vec::with_capacity(docs.len());
    for d in docs {
        let fields = rank::fields(d);
        let norms = fields.map(|(t, bit)| (analyzer.normalize(t), bit));
        let mut texts: FxHashMap<&str, u8> = FxHashMap::default();
        packed.clear();
        for (n, bit) in &norms {
            for_each_token(n, |a, b| {
                let t = &n[a..b];
                match pack(t) {
                    Some(k) => *packed.entry(k).or_default() |= bit,
                    None => *texts.entry(t).or_default() |= bit,
                }
            });
        }
        let mut list = Vec::with_capacity(packed.len() + texts.len());
        list.extend(packed.iter().map(|(&k, &m)| (Token::Packed(k), m)));
        list.extend(texts.into_iter().map(|(t, m)| (Token::Text(t.into()), m)));
        out.push(list);
    }
    out
}

/// A token's postings in document order, each its document's number shifted left by 4 bits
/// and its field mask in those (4 bytes a posting: the index of a large site has millions).
type PostingList = Vec<u32>;

/// Build the static index files for `docs` (the documents of `zhize search`): the term
/// shards, the document shards, the meta and the traditional → simplified shards.
pub fn build(analyzer: &Analyzer, docs: &[SearchDoc]) -> Vec<OutputFile> {
    let docs = searchable(docs);
    let postings = postings(analyzer, &docs);
    let total: usize = postings.iter().map(|(_, p)| p.len()).sum();
    let shards = Shards::new(docs.len(), total);
    let (keys, mut files) = term_files(&postings, shards.terms);
    // The postings are in the term files now: freed before the other files are made.
    drop(postings);
    let (doc_files, who) = doc_files(&docs, shards.docs_per_shard);
    files.extend(doc_files);
    files.extend(thesaurus_files(analyzer));
    let incomplete: Vec<usize> = (docs.iter().enumerate())
        .filter(|(_, d)| d.incomplete)
        .map(|(i, _)| i)
        .collect();
    // 1 for a document whose snippet needs the traditional → simplified table.
    let traditional: Vec<usize> = (docs.iter())
        .map(|d| analyzer.uses_t2s(&snippet_source(d)) as usize)
        .collect();
    files.push(meta_file(
        analyzer,
        docs.len(),
        (&incomplete, &traditional),
        &shards,
        keys,
        &who,
    ));
    files.extend(t2s_files(analyzer));
    files
}

/// Every token's postings. Tokens are found in parallel a block of documents at a time and
/// numbered as they come, so that memory holds the postings, not every document's tokens at
/// once.
fn postings(analyzer: &Analyzer, docs: &[Cow<SearchDoc>]) -> Vec<(Box<str>, PostingList)> {
    use rayon::prelude::*;
    const BLOCK: usize = 512;
    let mut packed_ids: FxHashMap<u64, u32> = FxHashMap::default();
    let mut text_ids: FxHashMap<Box<str>, u32> = FxHashMap::default();
    let mut lists: Vec<PostingList> = Vec::new();
    for (block, chunk) in docs.chunks(BLOCK).enumerate() {
        let found: Vec<Vec<Vec<(Token, u8)>>> = chunk
            .par_chunks(64)
            .map(|c| tokens_of(analyzer, c))
            .collect();
        let first = (block * BLOCK) as u32;
        for (doc, list) in (first..).zip(found.into_iter().flatten()) {
            for (t, m) in list {
                let next = lists.len() as u32;
                let id = match t {
                    Token::Packed(k) => *packed_ids.entry(k).or_insert(next),
                    Token::Text(t) => *text_ids.entry(t).or_insert(next),
                };
                if id == next {
                    lists.push(Vec::new());
                }
                lists[id as usize].push(doc << 4 | m as u32);
            }
        }
    }
    let ids = packed_ids
        .into_iter()
        .map(|(k, id)| (unpack(k).into_boxed_str(), id))
        .chain(text_ids);
    ids.map(|(t, id)| (t, std::mem::take(&mut lists[id as usize])))
        .collect()
}

/// How the index is cut into shards.
struct Shards {
    /// Term shards.
    terms: usize,
    /// Document shards.
    docs: usize,
    /// Documents in each document shard.
    docs_per_shard: usize,
}

impl Shards {
    /// The shards of `docs` documents with `postings` postings in all (see
    /// [`LINEAR_SHARDS`]).
    fn new(docs: usize, postings: usize) -> Shards {
        let docs_per_shard = DOCS_PER_SHARD.max(docs.div_ceil(shard_count(docs, DOCS_PER_SHARD)));
        Shards {
            terms: shard_count(postings, POSTINGS_PER_SHARD),
            docs: docs.div_ceil(docs_per_shard).max(1),
            docs_per_shard,
        }
    }
}

/// A token and its postings.
type Postings<'a> = (&'a str, &'a PostingList);

/// The keys of the term shards: the hash seed and the bits kept.
#[derive(Clone, Copy)]
struct Keys {
    seed: u32,
    bits: u32,
}

/// The term shards (`search/t/<k>.js`): each token in the shard [`shard_of`] gives it, under
/// its key with [`key_bits`] bits and the seed [`distinct_seed`] finds. The keys, and the
/// files.
fn term_files(postings: &[(Box<str>, PostingList)], term_shards: usize) -> (Keys, Vec<OutputFile>) {
    let mut shards: Vec<Vec<Postings>> = vec![Vec::new(); term_shards];
    for (t, p) in postings {
        shards[shard_of(t, term_shards)].push((t, p));
    }
    let bits = key_bits(postings.len() / term_shards.max(1));
    let keys = Keys {
        seed: distinct_seed(&shards, bits),
        bits,
    };
    let files = shards
        .iter()
        .enumerate()
        .map(|(k, terms)| term_shard(k, terms, keys))
        .collect();
    (keys, files)
}

/// The first seed under which every shard's keys are distinct (there is often one among the
/// first few; failing that, tokens sharing a key keep the postings of one of them).
fn distinct_seed(shards: &[Vec<Postings>], bits: u32) -> u32 {
    (0u32..64)
        .find(|&seed| {
            shards.iter().all(|terms| {
                let mut seen = HashSet::with_capacity(terms.len());
                terms
                    .iter()
                    .all(|(t, _)| seen.insert(key_hash(t, seed, bits)))
            })
        })
        .unwrap_or(0)
}

/// Term shard `k`: its tokens' keys, counts and best fields, their documents, and the best
/// field per posting where a token's postings differ (see the module's description).
fn term_shard(k: usize, terms: &[Postings], keys: Keys) -> OutputFile {
    // By key, then token: where two tokens share a key (no seed kept them apart), the
    // same one wins every time.
    let mut keyed: Vec<(u32, &str, &PostingList)> = terms
        .iter()
        .map(|(t, p)| (key_hash(t, keys.seed, keys.bits), *t, *p))
        .collect();
    keyed.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    let (mut keys, mut counts, mut docs_s, mut fields) =
        (String::new(), String::new(), String::new(), String::new());
    let mut prev_key = 0;
    for (h, _, p) in &keyed {
        vlq(&mut keys, h - prev_key);
        prev_key = *h;
        // The count, and the field where all postings share one (4: one field each).
        let mask_of = |posting: u32| (posting & 15) as u8;
        let field = best_field(mask_of(p[0]));
        let shared = p.iter().all(|&q| best_field(mask_of(q)) == field);
        vlq(
            &mut counts,
            (p.len() as u32 - 1) * 5 + if shared { field as u32 } else { 4 },
        );
        let mut next = 0;
        for (doc, mask) in p.iter().map(|&q| (q >> 4, mask_of(q))) {
            vlq(&mut docs_s, doc - next);
            next = doc + 1;
            if !shared {
                fields.push(char::from(b'0' + best_field(mask) as u8));
            }
        }
    }
    OutputFile {
        path: format!("search/t/{k}.js"),
        bytes: format!(
            "zhizeSearch.terms({k},\"{keys}\",\"{counts}\",\"{docs_s}\",\"{fields}\");\n"
        )
        .into_bytes(),
    }
}

/// The (organisation, department) pairs documents refer to, in order of first use, and
/// each document's pair.
pub struct Who {
    pub pairs: Vec<(String, String)>,
    pub of_doc: Vec<usize>,
}

/// The document shards (`search/d/<k>.js`), `docs_per_shard` documents each, and the
/// (organisation, department) pairs they refer to.
fn doc_files(docs: &[Cow<SearchDoc>], docs_per_shard: usize) -> (Vec<OutputFile>, Who) {
    let mut pairs = Vec::new();
    let of_doc: Vec<usize> = docs.iter().map(|d| who_index(&mut pairs, d)).collect();
    let files = docs
        .chunks(docs_per_shard)
        .zip(of_doc.chunks(docs_per_shard))
        .enumerate()
        .map(|(k, (chunk, who))| doc_shard(k, chunk, who))
        .collect();
    (files, Who { pairs, of_doc })
}

/// Document shard `k`: each document's kind, title, url, (organisation, department) pair
/// (`who`, one a document) and snippet text.
fn doc_shard(k: usize, chunk: &[Cow<SearchDoc>], who: &[usize]) -> OutputFile {
    let mut s = format!("zhizeSearch.docs({k},[");
    let mut prev = "";
    for (n, d) in chunk.iter().enumerate() {
        if n > 0 {
            s.push(',');
        }
        let kind = Kind::ALL.iter().position(|x| *x == d.kind).unwrap_or(0);
        // A url is written as "" where it is the previous document's, and as its anchor
        // where only that differs.
        let page = |u: &str| u.split('#').next().unwrap_or("").to_string();
        let url = if d.url == prev {
            ""
        } else if n > 0 && d.url.contains('#') && page(&d.url) == page(prev) {
            &d.url[d.url.find('#').unwrap_or(0)..]
        } else {
            &d.url
        };
        prev = &d.url;
        s.push_str(&format!(
            "[{kind},{},{},{}",
            js_str(&d.title),
            js_str(url),
            who[n]
        ));
        let text = snippet_source(d);
        if text != d.title {
            s.push(',');
            s.push_str(&js_str(&text));
        }
        s.push(']');
    }
    s.push_str("]);\n");
    OutputFile {
        path: format!("search/d/{k}.js"),
        bytes: s.into_bytes(),
    }
}

/// The text a document's snippets are cut from: the start of its body, or its title where the
/// body is empty.
fn snippet_source(d: &SearchDoc) -> Cow<'_, str> {
    let text: String = d.body.chars().take(SNIPPET_SOURCE).collect();
    if text.is_empty() {
        Cow::Borrowed(&d.title)
    } else {
        Cow::Owned(text)
    }
}

/// The index of a document's (organisation, department) pair in `who`, added when new.
fn who_index(who: &mut Vec<(String, String)>, d: &SearchDoc) -> usize {
    let pair = (d.org.clone(), d.department.clone());
    who.iter().position(|w| *w == pair).unwrap_or_else(|| {
        who.push(pair);
        who.len() - 1
    })
}

/// `search/meta.js`: counts, shards, the seed and key bits, kinds, the (organisation,
/// department) pairs `who` and each document's, the documents named without their content,
/// those whose snippets need the traditional → simplified table (runs of 0 and 1), synonyms, question words and function
/// characters, the organisations a question may name, and the thesaurus's shards.
fn meta_file(
    analyzer: &Analyzer,
    docs: usize,
    (incomplete, traditional): (&[usize], &[usize]),
    shards: &Shards,
    keys: Keys,
    who: &Who,
) -> OutputFile {
    let synonyms: Vec<&Vec<String>> = analyzer.synonym_groups().iter().collect();
    // Each (organisation, department) pair's organisation among those a query may name.
    let who_org: Vec<i64> = who
        .pairs
        .iter()
        .map(|(org, _)| {
            let org = analyzer.normalize(org);
            analyzer
                .org_names()
                .iter()
                .position(|(n, _)| *n == org)
                .map_or(-1, |i| i as i64)
        })
        .collect();
    let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
    let meta = serde_json::json!({
        "docs": docs,
        "termShards": shards.terms,
        "docShards": shards.docs,
        "docsPerShard": shards.docs_per_shard,
        "t2sShards": T2S_SHARDS,
        "seed": keys.seed,
        "keyBits": keys.bits,
        "kinds": kinds,
        "who": who.pairs,
        "docWho": runs(&who.of_doc),
        "whoOrg": who_org,
        "incomplete": incomplete,
        "traditional": runs(traditional),
        "synonyms": synonyms,
        "question": analyzer.question_words(),
        "functionChars": FUNCTION_CHARS,
        "gapChars": crate::thesaurus::GAP_CHARS,
        "orgs": analyzer.org_names(),
        "thesaurusShards": THESAURUS_SHARDS,
        "thesaurusLongest": analyzer.thesaurus().longest,
    });
    OutputFile {
        path: "search/meta.js".into(),
        bytes: format!(
            "zhizeSearch.meta({});\n",
            meta.to_string().replace("</", "<\\/")
        )
        .into_bytes(),
    }
}

/// The traditional → simplified shards (`search/s/<k>.js`), which the browser loads to
/// highlight snippets of documents in traditional characters.
fn t2s_files(analyzer: &Analyzer) -> Vec<OutputFile> {
    t2s_shards(analyzer, T2S_SHARDS)
        .iter()
        .enumerate()
        .map(|(k, (gaps, dists))| OutputFile {
            path: format!("search/s/{k}.js"),
            bytes: format!("zhizeSearch.t2s({k},\"{gaps}\",\"{dists}\");\n").into_bytes(),
        })
        .collect()
}

/// The traditional → simplified pairs cut into `shards` by the traditional character's code
/// point modulo `shards`, each shard as two VLQ strings: the traditional code points' gaps
/// (from the shard's number) divided by `shards`, and the simplified characters' zig-zagged
/// distances from them.
fn t2s_shards(analyzer: &Analyzer, shards: u32) -> Vec<(String, String)> {
    let mut out: Vec<(String, String, u32)> = (0..shards)
        .map(|k| (String::new(), String::new(), k))
        .collect();
    // t2s_pairs is sorted by the traditional character.
    for (a, b) in analyzer.t2s_pairs() {
        let (gaps, dists, prev) = &mut out[(a as u32 % shards) as usize];
        vlq(gaps, (a as u32 - *prev) / shards);
        *prev = a as u32;
        let d = b as i64 - a as i64;
        vlq(dists, if d >= 0 { 2 * d } else { -2 * d - 1 } as u32);
    }
    out.into_iter().map(|(g, d, _)| (g, d)).collect()
}

/// Values as runs, for the meta: VLQ pairs (value, length of the run).
fn runs(values: &[usize]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < values.len() {
        let v = values[i];
        let len = values[i..].iter().take_while(|&&x| x == v).count();
        vlq(&mut out, v as u32);
        vlq(&mut out, len as u32);
        i += len;
    }
    out
}

/// `search/th/<k>.js`: for the characters whose code point is `k` modulo
/// [`THESAURUS_SHARDS`], the everyday phrases of the thesaurus starting with one, each with
/// its official terms, their pinyin, and their simplified forms (as [`t2s_shards`] writes
/// them): a question loads the shards of its own characters, so one in simplified characters
/// needs nothing more to be normalised.
fn thesaurus_files(analyzer: &Analyzer) -> Vec<OutputFile> {
    let mut shards: Vec<std::collections::BTreeMap<&str, &[String]>> =
        vec![Default::default(); THESAURUS_SHARDS as usize];
    for (phrase, officials) in &analyzer.thesaurus().terms {
        let Some(first) = phrase.chars().next() else {
            continue;
        };
        shards[(first as u32 % THESAURUS_SHARDS) as usize].insert(phrase, officials);
    }
    let t2s = t2s_shards(analyzer, THESAURUS_SHARDS);
    shards
        .into_iter()
        .zip(t2s)
        .enumerate()
        .map(|(k, (map, (gaps, dists)))| {
            let json = serde_json::to_string(&map)
                .unwrap_or_else(|_| "{}".into())
                .replace("</", "<\\/");
            let sounds = pinyin_list(k as u32, THESAURUS_SHARDS);
            OutputFile {
                path: format!("search/th/{k}.js"),
                bytes: format!("zhizeSearch.th({k},{json},\"{sounds}\",\"{gaps}\",\"{dists}\");\n")
                    .into_bytes(),
            }
        })
        .collect()
}

/// The pinyin of every character of [`PINYIN_RANGE`] whose code point is `k` modulo
/// `shards`, in code point order, space-separated (empty where a character has none): the
/// browser hears a query's bigrams as `zhize search` does.
fn pinyin_list(k: u32, shards: u32) -> String {
    let start = PINYIN_RANGE.start + (k + shards - PINYIN_RANGE.start % shards) % shards;
    (start..PINYIN_RANGE.end)
        .step_by(shards as usize)
        .map(|cp| char::from_u32(cp).and_then(pinyin_of).unwrap_or_default())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_grow_linearly_then_as_the_square_root() {
        assert_eq!(shard_count(0, 400), 1);
        assert_eq!(shard_count(400 * 300, 400), 300);
        assert_eq!(shard_count(400 * 512, 400), 512);
        assert_eq!(shard_count(400 * 1024, 400), 512);
        assert_eq!(shard_count(400 * 2048, 400), 512);
        assert_eq!(shard_count(1600 * 2048, 400), 1024);
    }

    #[test]
    fn packed_tokens_come_back_as_they_were() {
        for t in ["印章", "印", "𠀀管", "a", "yinzhang", "12345678"] {
            let k = pack(t).unwrap();
            assert_eq!(unpack(k), t);
        }
        assert_eq!(pack("ninecharx"), None);
    }

    /// A site of some 17,000 documents: past [`LINEAR_SHARDS`] term and document shards, each
    /// document shard holds `docsPerShard` documents in order and every document is found in
    /// the term shard its tokens hash to.
    #[test]
    fn a_large_site_gets_larger_shards_that_hold_every_document() {
        let chars: Vec<char> = ('\u{4E00}'..'\u{5E00}').collect();
        let n = 17_000;
        let docs: Vec<SearchDoc> = (0..n)
            .map(|i| {
                // 60 characters drawn from a few thousand: some 60 bigrams a document.
                let body: String = (0..60)
                    .map(|k| chars[(i * 61 + k * 7) % chars.len()])
                    .collect();
                SearchDoc {
                    kind: Kind::Page,
                    title: format!("p{i}"),
                    url: format!("pages/p{i}.html"),
                    org: String::new(),
                    department: String::new(),
                    post: String::new(),
                    aliases: String::new(),
                    body,
                    incomplete: false,
                }
            })
            .collect();
        let analyzer = Analyzer::new(&[]);
        let files = build(&analyzer, &docs);
        let meta = files.iter().find(|f| f.path == "search/meta.js").unwrap();
        let meta = String::from_utf8_lossy(&meta.bytes);
        let json: serde_json::Value = serde_json::from_str(
            meta.trim()
                .strip_prefix("zhizeSearch.meta(")
                .and_then(|m| m.strip_suffix(");"))
                .unwrap(),
        )
        .unwrap();
        let (terms, doc_shards, per) = (
            json["termShards"].as_u64().unwrap() as usize,
            json["docShards"].as_u64().unwrap() as usize,
            json["docsPerShard"].as_u64().unwrap() as usize,
        );
        assert!(terms > LINEAR_SHARDS, "{terms} term shards");
        assert!(doc_shards < n / DOCS_PER_SHARD, "{doc_shards}");
        assert!(
            per > DOCS_PER_SHARD && per * doc_shards >= n,
            "{per} × {doc_shards}"
        );
        let count = |prefix: &str| files.iter().filter(|f| f.path.starts_with(prefix)).count();
        assert_eq!(count("search/t/"), terms);
        assert_eq!(count("search/d/"), doc_shards);
        // Document shard k holds documents k·per … in order: its first title is p{k·per}.
        for k in [0, doc_shards / 2, doc_shards - 1] {
            let f = files
                .iter()
                .find(|f| f.path == format!("search/d/{k}.js"))
                .unwrap();
            let text = String::from_utf8_lossy(&f.bytes);
            assert!(text.contains(&format!("\"p{}\"", k * per)), "shard {k}");
        }
        // Every document's first bigram is in the shard the browser looks in, under its key.
        let seed = json["seed"].as_u64().unwrap() as u32;
        let bits = json["keyBits"].as_u64().unwrap() as u32;
        for i in (0..n).step_by(997) {
            let token: String = analyzer.normalize(&docs[i].body).chars().take(2).collect();
            let k = shard_of(&token, terms);
            let f = files
                .iter()
                .find(|f| f.path == format!("search/t/{k}.js"))
                .unwrap();
            let text = String::from_utf8_lossy(&f.bytes);
            let keys = text.split('"').nth(1).unwrap();
            // The keys are VLQ gaps: decode them and look for this token's key.
            let mut found = false;
            let (mut acc, mut shift, mut key) = (0u32, 0, 0u32);
            for b in keys.bytes() {
                let d = B64.iter().position(|&x| x == b).unwrap() as u32;
                acc |= (d & 31) << shift;
                shift += 5;
                if d & 32 == 0 {
                    key += acc;
                    found |= key == key_hash(&token, seed, bits);
                    (acc, shift) = (0, 0);
                }
            }
            assert!(found, "document {i}: {token} not in term shard {k}");
        }
    }
}
