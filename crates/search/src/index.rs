//! The tantivy index behind `zhize search` (and the server's search API): written by
//! `zhize build` into `.zhize/index/` beside the site, never into the published output, and
//! rebuilt when the content changed since.
//!
//! Every field is tokenised by the shared analyser (CJK bigrams with sequential positions,
//! ASCII words, pinyin keys in `aliases`). tantivy finds the candidates — first those that
//! match every query term, then any term — and [`super::rank`] orders them, so that the
//! command line and the browser agree.

use super::analyzer::{Analyzer, Normalizer, Query};
use super::docs::SearchDoc;
use super::rank;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query as TQuery, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED,
};
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};
use tantivy::{Index, TantivyDocument, Term};

/// Where the index lives, relative to the site root.
pub const INDEX_DIR: &str = ".zhize/index";
/// File in the index folder recording what content it was built from.
const STAMP: &str = "zhize-stamp.txt";
/// The layout of the index (its fields and their options); part of its stamp.
const INDEX_FORMAT: u32 = 4;
/// Candidates taken from tantivy before ranking.
const CANDIDATES: usize = 400;

/// A hit, as `zhize search --json` prints it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Hit {
    pub kind: &'static str,
    pub title: String,
    pub url: String,
    pub org: String,
    pub department: String,
    pub snippet: String,
    /// Character ranges of the snippet that matched.
    #[serde(skip)]
    pub marks: Vec<(usize, usize)>,
    pub score: f64,
    /// Query terms matched (of all).
    #[serde(skip)]
    pub coverage: usize,
}

/// The shared analyser as a tantivy tokenizer: it normalises each text (into a buffer it
/// keeps) and cuts it into the analyser's tokens, in tantivy's indexing threads.
#[derive(Clone)]
struct ZhTokenizer {
    norm: Arc<Normalizer>,
    buf: String,
    ranges: Vec<(usize, usize)>,
}

/// The tokens of one text, each copied in turn into one reused buffer.
struct ZhStream<'a> {
    text: &'a str,
    ranges: std::slice::Iter<'a, (usize, usize)>,
    token: Token,
}

impl TokenStream for ZhStream<'_> {
    fn advance(&mut self) -> bool {
        let Some(&(a, b)) = self.ranges.next() else {
            return false;
        };
        self.token.text.clear();
        self.token.text.push_str(&self.text[a..b]);
        self.token.position = self.token.position.wrapping_add(1);
        true
    }
    fn token(&self) -> &Token {
        &self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

impl Tokenizer for ZhTokenizer {
    type TokenStream<'a> = ZhStream<'a>;
    // Offsets are not used (snippets are ours).
    fn token_stream<'a>(&'a mut self, text: &'a str) -> ZhStream<'a> {
        self.buf.clear();
        self.norm.push(text, &mut self.buf);
        self.ranges.clear();
        let ranges = &mut self.ranges;
        super::analyzer::for_each_token(&self.buf, |a, b| ranges.push((a, b)));
        ZhStream {
            text: &self.buf,
            ranges: self.ranges.iter(),
            token: Token {
                position: usize::MAX,
                ..Token::default()
            },
        }
    }
}

#[derive(Clone, Copy)]
struct Fields {
    title: Field,
    aliases: Field,
    who: Field,
    body: Field,
    doc: Field,
    /// The document's place in the documents' order: the tie-breaker the browser uses too.
    ord: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    // Queries are single tokens (bigrams and words), never phrases: frequencies, no positions.
    let indexed = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("zh")
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let fields = Fields {
        title: b.add_text_field("title", indexed.clone()),
        aliases: b.add_text_field("aliases", indexed.clone()),
        who: b.add_text_field("who", indexed.clone()),
        // The body is stored here, once, and left out of the stored document.
        body: b.add_text_field("body", indexed.clone() | STORED),
        doc: b.add_text_field("doc", STORED),
        ord: b.add_u64_field("ord", STORED),
    };
    (b.build(), fields)
}

fn register(index: &Index, norm: Arc<Normalizer>) {
    let tokenizer = ZhTokenizer {
        norm,
        buf: String::new(),
        ranges: Vec::new(),
    };
    index
        .tokenizers()
        .register("zh", TextAnalyzer::builder(tokenizer).build());
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// A fingerprint of what the index is built from: every content, config and theme file's
/// path, size and modification time, and zhize's version.
pub fn fingerprint(root: &Path) -> String {
    fingerprint_of(root, &["content", "zhize.yaml"])
}

/// A fingerprint of the files under `parts` of `root` (folders or files): each one's path,
/// size and modification time, and zhize's version.
pub fn fingerprint_of(root: &Path, parts_of: &[&str]) -> String {
    // The index format's version too: an index of an older layout is rebuilt.
    let mut parts = vec![format!(
        "zhize {} index {INDEX_FORMAT}",
        env!("CARGO_PKG_VERSION")
    )];
    for dir in parts_of {
        let p = root.join(dir);
        for e in walkdir::WalkDir::new(&p)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
        {
            if let Ok(m) = e.metadata() {
                if m.is_file() {
                    let mtime = m
                        .modified()
                        .ok()
                        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                        .map_or(0, |d| d.as_nanos());
                    parts.push(format!("{}|{}|{mtime}", e.path().display(), m.len()));
                }
            }
        }
    }
    let mut h: u64 = 0xcbf29ce484222325;
    for b in parts.join("\n").bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{h:016x} {}", parts.len())
}

/// Write the index for `docs` into `dir` (replaced atomically), stamped with `stamp`.
pub fn write_index(
    dir: &Path,
    analyzer: &Analyzer,
    docs: &Arc<[SearchDoc]>,
    stamp: &str,
) -> Result<(), String> {
    let parent = dir.parent().map(Path::to_path_buf).unwrap_or_default();
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    std::fs::create_dir_all(&parent).map_err(err)?;
    // One writer at a time (a build, a server, another test): wait for the others, then
    // there is nothing to do if one of them wrote this very index.
    let _lock = zhize_core::atomic::lock_beside(&parent, &name, true).map_err(|d| d.message)?;
    if is_fresh(dir, stamp) {
        return Ok(());
    }
    // The documents the browser searches too, so that both rank alike.
    let docs: Arc<[SearchDoc]> = super::static_index::searchable(docs)
        .into_iter()
        .map(std::borrow::Cow::into_owned)
        .collect();
    let docs = &docs;
    // Holding the lock, any staging folder here is a killed writer's.
    zhize_core::atomic::remove_stale_staging(&parent, &name);
    remove_legacy_staging(&parent);
    let tmp = zhize_core::atomic::staging_path(&parent, &name);
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).map_err(err)?;
    // Removed if anything below fails.
    let mut guard = RemoveOnDrop(Some(tmp.clone()));
    let (schema, f) = schema();
    // Stored documents uncompressed: lz4 took a quarter of the indexing time, for an index
    // about 40 % larger on disk, and reading a hit's document gets no slower.
    let settings = tantivy::IndexSettings {
        docstore_compression: tantivy::store::Compressor::None,
        // Nothing to compress, so no thread to hand the blocks to.
        docstore_compress_dedicated_thread: false,
        ..Default::default()
    };
    let index = Index::builder()
        .schema(schema)
        .settings(settings)
        .create_in_dir(&tmp)
        .map_err(err)?;
    register(&index, analyzer.normalizer());
    // Indexing runs on every core; each document carries its place in the order (`ord`).
    // Documents borrow their texts from `docs`, so the writer's queue holds no copies and
    // needs no commits to stay small: each thread writes a segment when its budget is full.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let mut writer = index
        .writer_with_num_threads::<IndexDoc>(threads, 30_000_000 * threads)
        .map_err(err)?;
    // The stored document (its JSON, without the body) is made in parallel, a chunk at a
    // time, and fed to the writer in order.
    for (c, chunk) in docs.chunks(512).enumerate() {
        use rayon::prelude::*;
        let made: Vec<IndexDoc> = chunk
            .par_iter()
            .enumerate()
            .map(|(i, d)| {
                let i = c * 512 + i;
                Ok(IndexDoc {
                    docs: docs.clone(),
                    i,
                    who: format!("{} {}", d.department, d.post),
                    json: serde_json::to_string(&d.clone_without_body()).map_err(err)?,
                    fields: f,
                })
            })
            .collect::<Result<_, String>>()?;
        for doc in made {
            writer.add_document(doc).map_err(err)?;
        }
    }
    writer.commit().map_err(err)?;
    writer.wait_merging_threads().map_err(err)?;
    std::fs::write(tmp.join(STAMP), stamp).map_err(err)?;
    let orgs = serde_json::to_string(analyzer.org_input()).map_err(err)?;
    std::fs::write(tmp.join(ORGS), orgs).map_err(err)?;
    drop(index);
    zhize_core::atomic::replace_dir(&tmp, dir).map_err(|d| d.message)?;
    guard.0 = None;
    Ok(())
}

/// Removes a folder when dropped (a staging folder whose writing failed).
struct RemoveOnDrop(Option<PathBuf>);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = std::fs::remove_dir_all(p);
        }
    }
}

/// Staging folders of earlier versions of zhize (`.index-tmp-…`, `.index-old-…`), which a
/// killed build left behind; removed by the holder of the index lock.
fn remove_legacy_staging(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if (n.starts_with(".index-tmp-") || n.starts_with(".index-old-")) && e.path().is_dir() {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// A document as the index writer takes it: its texts are read in place from the shared
/// documents (texts go in as written; the tokenizer normalises them). The body is its own
/// stored field, so the stored JSON leaves it out.
struct IndexDoc {
    docs: Arc<[SearchDoc]>,
    /// Which document, and its place in the order (the tie-breaker the browser uses too).
    i: usize,
    /// Department and post, one text. (Not the organisation: a question naming it is
    /// scoped to it instead, and its words would match every one of its documents.)
    who: String,
    /// The document without its body, as stored.
    json: String,
    fields: Fields,
}

/// A value of an [`IndexDoc`]: a text or a number.
#[derive(Debug, Clone, Copy)]
enum Leaf<'a> {
    Text(&'a str),
    U64(u64),
}

impl<'a> tantivy::schema::document::Value<'a> for Leaf<'a> {
    type ArrayIter = std::iter::Empty<Self>;
    type ObjectIter = std::iter::Empty<(&'a str, Self)>;

    fn as_value(&self) -> tantivy::schema::document::ReferenceValue<'a, Self> {
        use tantivy::schema::document::{ReferenceValue, ReferenceValueLeaf};
        ReferenceValue::Leaf(match *self {
            Leaf::Text(s) => ReferenceValueLeaf::Str(s),
            Leaf::U64(n) => ReferenceValueLeaf::U64(n),
        })
    }
}

impl tantivy::schema::document::Document for IndexDoc {
    type Value<'a> = Leaf<'a>;
    type FieldsValuesIter<'a> = std::array::IntoIter<(Field, Leaf<'a>), 6>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        let (d, f) = (&self.docs[self.i], &self.fields);
        [
            (f.title, Leaf::Text(&d.title)),
            (f.aliases, Leaf::Text(&d.aliases)),
            (f.who, Leaf::Text(&self.who)),
            (f.body, Leaf::Text(&d.body)),
            (f.doc, Leaf::Text(&self.json)),
            (f.ord, Leaf::U64(self.i as u64)),
        ]
        .into_iter()
    }
}

/// The organisations (name, aliases) the index's analyser recognised in questions, kept in
/// the index folder (see [`orgs_of`]).
const ORGS: &str = "orgs.json";

/// The organisations an index at `dir` was written with, for the analyser that searches it.
pub fn orgs_of(dir: &Path) -> Vec<(String, Vec<String>)> {
    std::fs::read_to_string(dir.join(ORGS))
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default()
}

/// Is the index at `dir` present and built from `stamp`?
pub fn is_fresh(dir: &Path, stamp: &str) -> bool {
    std::fs::read_to_string(dir.join(STAMP)).is_ok_and(|s| s == stamp)
}

/// A stored document with the fields each of its tokens is in.
type Analysed = std::sync::Arc<(SearchDoc, HashMap<String, u8>, u64)>;

/// An opened index, ready for queries (from several threads: the server shares one).
pub struct Searcher {
    searcher: tantivy::Searcher,
    fields: Fields,
    n_docs: usize,
    /// Documents already read and analysed, by document id.
    cache: std::sync::Mutex<HashMap<u64, Analysed>>,
}

impl Searcher {
    pub fn open(dir: &Path) -> Result<Searcher, String> {
        // No tokenizer: queries are made of tokens the analyser has cut already.
        let index = Index::open_in_dir(dir).map_err(err)?;
        let (_, fields) = schema();
        let reader = index.reader().map_err(err)?;
        let searcher = reader.searcher();
        let n_docs = searcher.num_docs() as usize;
        Ok(Searcher {
            searcher,
            fields,
            n_docs,
            cache: Default::default(),
        })
    }

    /// How many documents hold `token` in any field: the union of its posting lists (one
    /// field holding everything would double the indexing work of every build).
    fn df(&self, token: &str) -> usize {
        let f = &self.fields;
        let per_field: Vec<(Occur, Box<dyn TQuery>)> = [f.title, f.aliases, f.who, f.body]
            .into_iter()
            .map(|field| {
                let tq = TermQuery::new(
                    Term::from_field_text(field, token),
                    IndexRecordOption::Basic,
                );
                (Occur::Should, Box::new(tq) as Box<dyn TQuery>)
            })
            .collect();
        self.searcher
            .search(&BooleanQuery::new(per_field), &tantivy::collector::Count)
            .unwrap_or(0)
    }

    /// tantivy query: every term (`all_terms`) or any term, each token boosted by field.
    fn tantivy_query(&self, q: &Query, all_terms: bool) -> Box<dyn TQuery> {
        let f = &self.fields;
        let token_query = |t: &str| -> Box<dyn TQuery> {
            let per_field: Vec<(Occur, Box<dyn TQuery>)> = [
                (f.title, 8.0),
                (f.aliases, 6.0),
                (f.who, 3.0),
                (f.body, 1.0),
            ]
            .into_iter()
            .map(|(field, boost)| {
                let tq = TermQuery::new(
                    Term::from_field_text(field, t),
                    IndexRecordOption::WithFreqs,
                );
                (
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(tq), boost)) as Box<dyn TQuery>,
                )
            })
            .collect();
            Box::new(BooleanQuery::new(per_field))
        };
        let terms: Vec<(Occur, Box<dyn TQuery>)> = q
            .terms
            .iter()
            .map(|term| {
                let alts: Vec<(Occur, Box<dyn TQuery>)> = term
                    .iter()
                    .filter(|alt| !alt.tokens.is_empty())
                    .map(|alt| {
                        let required = alt.required();
                        let toks: Vec<(Occur, Box<dyn TQuery>)> = alt
                            .tokens
                            .iter()
                            .map(|t| {
                                let occur = if required.contains(&t) {
                                    Occur::Must
                                } else {
                                    Occur::Should
                                };
                                (occur, token_query(t))
                            })
                            .collect();
                        (
                            Occur::Should,
                            Box::new(BooleanQuery::new(toks)) as Box<dyn TQuery>,
                        )
                    })
                    .collect();
                (
                    if all_terms {
                        Occur::Must
                    } else {
                        Occur::Should
                    },
                    Box::new(BooleanQuery::new(alts)) as Box<dyn TQuery>,
                )
            })
            .collect();
        Box::new(BooleanQuery::new(terms))
    }

    /// A stored document and its token fields, read once.
    fn analysed(
        &self,
        analyzer: &Analyzer,
        key: u64,
        addr: tantivy::DocAddress,
    ) -> Result<Analysed, String> {
        if let Some(a) = self.cache.lock().map_err(err)?.get(&key) {
            return Ok(a.clone());
        }
        let stored: TantivyDocument = self.searcher.doc(addr).map_err(err)?;
        let json = stored
            .get_first(self.fields.doc)
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let mut d: SearchDoc = serde_json::from_str(&json).map_err(err)?;
        d.body = stored
            .get_first(self.fields.body)
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let ord = stored
            .get_first(self.fields.ord)
            .and_then(|v| v.as_u64())
            .unwrap_or(u64::MAX);
        let masks = rank::field_masks(analyzer, &d);
        let a = std::sync::Arc::new((d, masks, ord));
        self.cache.lock().map_err(err)?.insert(key, a.clone());
        Ok(a)
    }

    /// Search: up to `limit` hits, best first.
    pub fn search(
        &self,
        analyzer: &Analyzer,
        query: &str,
        limit: usize,
    ) -> Result<Vec<Hit>, String> {
        let q = analyzer.query(query);
        if q.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let mut seen: std::collections::HashSet<u64> = Default::default();
        let mut order: Vec<(u64, Analysed)> = Vec::new();
        let candidates = CANDIDATES.max(limit.saturating_mul(2));
        for all_terms in [true, false] {
            let tq = self.tantivy_query(&q, all_terms);
            let top = self
                .searcher
                .search(&*tq, &TopDocs::with_limit(candidates).order_by_score())
                .map_err(err)?;
            for (_, addr) in top {
                let key = ((addr.segment_ord as u64) << 32) | addr.doc_id as u64;
                if !seen.insert(key) {
                    continue;
                }
                order.push((key, self.analysed(analyzer, key, addr)?));
            }
            if order.len() >= limit.max(candidates / 4) {
                break;
            }
        }
        // Each query token's document count, once.
        let counts: HashMap<String, usize> = q
            .all_tokens()
            .into_iter()
            .map(|t| {
                let n = self.df(&t);
                (t, n)
            })
            .collect();
        let df = |t: &str| counts.get(t).copied().unwrap_or_else(|| self.df(t));
        let mut ranked: Vec<(rank::Key, SearchDoc)> = order
            .into_iter()
            .map(|(_, a)| {
                let key = rank::key(&q, &a.0, &a.1, &df, self.n_docs, a.2 as usize, analyzer);
                (key, a.0.clone())
            })
            .filter(|r| r.0.coverage > 0)
            .collect();
        rank::aggregate(&mut ranked, |d| (d.org.as_str(), d.department.as_str()));
        ranked.sort_by(|a, b| rank::order(&a.0, &b.0));
        let ranked =
            rank::departments_first(ranked, |(_, d)| (d.org.as_str(), d.department.as_str()));
        Ok(ranked
            .into_iter()
            .take(limit)
            .map(|(k, d)| {
                let (cov, score) = (k.coverage, k.score);
                let text = if d.body.is_empty() { &d.title } else { &d.body };
                let (snippet, marks) = rank::snippet(analyzer, text, &q, 60);
                Hit {
                    kind: d.kind.name(),
                    title: d.title,
                    url: d.url,
                    org: d.org,
                    department: d.department,
                    snippet,
                    marks,
                    score: (score * 1000.0).round() / 1000.0,
                    coverage: cov,
                }
            })
            .collect())
    }
}

/// The index folder of a site root.
pub fn index_dir(root: &Path) -> PathBuf {
    root.join(INDEX_DIR)
}
