//! Normalising and tokenising, shared by every index (the tantivy index behind `zhize search`
//! and the static index the browser loads) and mirrored line for line by the site's
//! `search.js`; `tests/search_vectors.json` holds the cases both must agree on.
//!
//! Text is normalised per character: NFKC, lower case, then traditional → simplified by
//! OpenCC's character table (Apache-2.0, `data/opencc/`). Tokens are CJK bigrams (a lone
//! character for a one-character run) and ASCII words. Names of departments, posts,
//! procedures and forms also get pinyin keys, full and initials (`yinzhang`, `yz`), per word.
//! Queries lose their question words (谁负责, 找谁 …) and expand synonyms (印章 = 公章).

use crate::thesaurus::{self, Thesaurus, GAPPED_WEIGHT, OFFICIAL_WEIGHT};
use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

/// OpenCC's traditional → simplified character table.
const TS_CHARACTERS: &str = include_str!("../../../data/opencc/TSCharacters.txt");

/// Words that make a question but not its subject (mirrored in search.js). Removed longest
/// first, whatever their order here ([`Analyzer::query`] sorts them).
pub const QUESTION_WORDS: &[&str] = &[
    "由哪个部门负责",
    "哪个部门负责",
    "哪个科室负责",
    "哪个处室负责",
    "归哪个部门管",
    "归哪个科管",
    "应该找谁",
    "应该找哪",
    "谁来负责",
    "该找谁",
    "要找谁",
    "去找谁",
    "找哪个",
    "找哪位",
    "谁负责",
    "谁来管",
    "谁来办",
    "归谁管",
    "哪个部门",
    "哪个科室",
    "哪个处室",
    "哪个单位",
    "哪个岗位",
    "哪个科",
    "哪个处",
    "哪位",
    "去哪里办",
    "到哪里办",
    "去哪里",
    "去哪儿",
    "到哪儿",
    "在哪里",
    "在哪儿",
    "怎么办理",
    "如何办理",
    "怎么处理",
    "能不能",
    "可不可以",
    "可以吗",
    "行不行",
    "要不要",
    "是不是",
    "有没有",
    "怎么办",
    "怎么弄",
    "怎么搞",
    "找谁",
    "问谁",
    "谁管",
    "请问",
    "哪里",
    "哪儿",
    "如何",
    "怎么",
    "怎样",
    "什么",
    "哪个",
    "谁",
    "吗",
    "呢",
    "？",
    "?",
];

/// Characters that never carry the subject of a question (particles, pronouns, question
/// words): a bigram holding one is not a search term (跑了, 了一, 我们, 要啥 …), since it
/// matches texts at random. Mirrored in search.js.
pub const FUNCTION_CHARS: &str = "了的吗呢吧啊呀么嘛哦哪啥咋谁我你您他她们这那";

/// Synonym groups every site starts with; zhize.yaml `synonyms` adds more.
pub const DEFAULT_SYNONYMS: &[&[&str]] = &[
    &["印章", "公章", "用印", "盖章"],
    &["请假", "请销假", "休假"],
    &["报销", "报账"],
    &["出差", "差旅"],
    &["采购", "购买"],
    &["会议", "开会"],
    &["公文", "文件", "发文"],
    &["档案", "归档"],
    &["车辆", "用车", "公务用车"],
    &["工资", "薪酬"],
    &["职称", "职称评审"],
    &["招聘", "考录", "录用"],
    &["信访", "来信来访"],
    &["保密", "机要"],
];

/// The shared analyser: the character table, synonyms and the word segmenter for pinyin.
pub struct Analyzer {
    norm: std::sync::Arc<Normalizer>,
    /// token → index of its synonym group
    synonym_of: HashMap<String, usize>,
    synonyms: Vec<Vec<String>>,
    /// The word segmenter, loaded on first use (queries never need it).
    jieba: std::sync::OnceLock<jieba_rs::Jieba>,
    /// Everyday words → official terms, normalised: the compiled-in data shared by every
    /// analyser of the process, copied only when a site adds to it.
    thesaurus: std::sync::Arc<Thesaurus>,
    /// Question words, normalised, longest first.
    question_words: Vec<String>,
    /// The organisations a question may name: normalised name → the names that mean it.
    orgs: Vec<(String, Vec<String>)>,
    /// The organisations as given to [`Analyzer::with_orgs`] (name, aliases), kept with the
    /// index so that a search opened later recognises them too.
    org_input: Vec<(String, Vec<String>)>,
}

/// Normalisation: NFKC, lower case, traditional → simplified.
pub struct Normalizer {
    t2s: HashMap<char, char>,
    /// Every character of the Basic Multilingual Plane normalised, where that gives one
    /// character ([`NOT_ONE`] where it gives none or several): normalising is most of the
    /// work of indexing, and a table look-up is many times faster than NFKC and a hash.
    bmp: Box<[u32]>,
}

impl Normalizer {
    /// Append the normal form of `c` to `out`.
    pub fn push_char(&self, c: char, out: &mut String) {
        match self.bmp.get(c as usize) {
            Some(&n) if n != NOT_ONE => out.push(char::from_u32(n).unwrap_or(c)),
            _ => normalize_slow(c, &self.t2s, out),
        }
    }

    /// Append the normal form of `text` to `out`.
    pub fn push(&self, text: &str, out: &mut String) {
        out.reserve(text.len());
        // Most characters are their own normal form: copy such runs whole.
        let mut same_from = 0;
        for (i, c) in text.char_indices() {
            if self.bmp.get(c as usize) == Some(&(c as u32)) {
                continue;
            }
            out.push_str(&text[same_from..i]);
            self.push_char(c, out);
            same_from = i + c.len_utf8();
        }
        out.push_str(&text[same_from..]);
    }

    /// Whether the traditional → simplified table changes a character of `text` (after NFKC
    /// and lower case).
    pub fn uses_t2s(&self, text: &str) -> bool {
        text.chars().any(|c| {
            self.bmp.get(c as usize) != Some(&(c as u32))
                && std::iter::once(c)
                    .nfkc()
                    .flat_map(char::to_lowercase)
                    .any(|l| self.t2s.contains_key(&l))
        })
    }
}

impl Analyzer {
    /// An analyser with the default synonyms plus `extra` groups (from zhize.yaml).
    pub fn new(extra: &[Vec<String>]) -> Analyzer {
        let t2s = t2s_table();
        let mut a = Analyzer {
            norm: std::sync::Arc::new(Normalizer {
                bmp: bmp_table(&t2s),
                t2s,
            }),
            synonym_of: HashMap::new(),
            synonyms: Vec::new(),
            jieba: std::sync::OnceLock::new(),
            thesaurus: Default::default(),
            question_words: Vec::new(),
            orgs: Vec::new(),
            org_input: Vec::new(),
        };
        let mut words: Vec<String> = QUESTION_WORDS.iter().map(|w| a.normalize(w)).collect();
        words.sort_by(|x, y| y.chars().count().cmp(&x.chars().count()).then(x.cmp(y)));
        words.dedup();
        a.question_words = words;
        // The data is the same for every analyser (it and the character table are compiled
        // in), and normalising its 57,000 words is most of making an analyser: do it once.
        static DEFAULT: std::sync::OnceLock<std::sync::Arc<Thesaurus>> = std::sync::OnceLock::new();
        a.thesaurus = DEFAULT
            .get_or_init(|| {
                let mut t = Thesaurus::default();
                for line in thesaurus::domain_lines() {
                    if let Some((official, everyday)) = thesaurus::parse_line(line) {
                        // `考勤/出勤: 打卡 …`: lists write the same thing either way.
                        for official in thesaurus::variants(official) {
                            let official = a.normalize(official);
                            for w in &everyday {
                                t.add(a.normalize(w), official.clone());
                            }
                        }
                    }
                }
                std::sync::Arc::new(t)
            })
            .clone();
        let groups = DEFAULT_SYNONYMS
            .iter()
            .map(|g| g.iter().map(|s| s.to_string()).collect::<Vec<_>>())
            .chain(extra.iter().cloned());
        for g in groups {
            let g: Vec<String> = g
                .iter()
                .map(|w| a.normalize(w))
                .filter(|w| !w.is_empty())
                .collect();
            // A word in several groups joins them.
            let existing = g.iter().find_map(|w| a.synonym_of.get(w).copied());
            let idx = match existing {
                Some(i) => i,
                None => {
                    a.synonyms.push(Vec::new());
                    a.synonyms.len() - 1
                }
            };
            for w in g {
                if !a.synonyms[idx].contains(&w) {
                    a.synonyms[idx].push(w.clone());
                }
                a.synonym_of.insert(w, idx);
            }
        }
        a
    }

    /// The traditional → simplified pairs, for the browser's copy of the table.
    pub fn t2s_pairs(&self) -> Vec<(char, char)> {
        let mut v: Vec<(char, char)> = self.norm.t2s.iter().map(|(a, b)| (*a, *b)).collect();
        v.sort();
        v
    }

    /// The synonym groups in effect (normalised).
    pub fn synonym_groups(&self) -> &[Vec<String>] {
        &self.synonyms
    }

    /// Normalise one character: NFKC, lower case, traditional → simplified.
    pub fn normalize_char(&self, c: char, out: &mut String) {
        self.norm.push_char(c, out)
    }

    /// Whether the traditional → simplified table changes a character of `text`: the browser
    /// loads that table to highlight a snippet only where it does.
    pub fn uses_t2s(&self, text: &str) -> bool {
        self.norm.uses_t2s(text)
    }

    /// Normalise a text (see [`Analyzer::normalize_char`]).
    pub fn normalize(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        self.norm.push(text, &mut out);
        out
    }

    /// The normaliser alone, to share (tantivy's tokenizer normalises as it indexes).
    pub fn normalizer(&self) -> std::sync::Arc<Normalizer> {
        self.norm.clone()
    }

    /// Index tokens of a text: CJK bigrams and ASCII words, in order (normalises first).
    pub fn tokens(&self, text: &str) -> Vec<String> {
        tokens_of_normalized(&self.normalize(text))
    }

    /// Give the analyser its word segmenter, made beforehand (loading its dictionary takes a
    /// while, so `zhize build` does it while the site loads). Without this, the first use
    /// loads it.
    pub fn with_segmenter(self, jieba: jieba_rs::Jieba) -> Self {
        let _ = self.jieba.set(jieba);
        self
    }

    /// Pinyin keys of a name: for each word, its full pinyin and its initials, and the
    /// initials of the whole name (`印章使用` → yinzhang, yz, shiyong, sy, yzsy).
    pub fn pinyin_keys(&self, name: &str) -> Vec<String> {
        use pinyin::ToPinyin;
        let norm = self.normalize(name);
        let mut keys = Vec::new();
        let mut all_initials = String::new();
        for w in self
            .jieba
            .get_or_init(jieba_rs::Jieba::new)
            .cut(&norm, false)
        {
            let mut full = String::new();
            let mut initials = String::new();
            for c in w.word.chars() {
                if let Some(p) = c.to_pinyin() {
                    full.push_str(&p.plain().replace('ü', "v"));
                    initials.push_str(p.first_letter());
                }
            }
            if full.is_empty() {
                continue;
            }
            all_initials.push_str(&initials);
            keys.push(full);
            if initials.len() > 1 {
                keys.push(initials);
            }
        }
        if all_initials.len() > 1 {
            keys.push(all_initials);
        }
        // The sound of each pair of characters, as a query's bigrams are heard: for short
        // names only (departments, posts, forms), whose homophones people type; long
        // procedure names would cost index space for little.
        let chars: Vec<char> = norm.chars().collect();
        let short = chars.len() <= PINYIN_NAME_CHARS;
        for w in chars.windows(2).filter(|_| short) {
            if let Some(p) = pinyin_bigram(&w.iter().collect::<String>()) {
                keys.push(p);
            }
        }
        keys.sort();
        keys.dedup();
        keys
    }

    /// Everyday words added to the thesaurus (zhize.yaml `thesaurus:`): official term →
    /// everyday words.
    pub fn with_thesaurus(mut self, extra: &[(String, Vec<String>)]) -> Self {
        for (official, words) in extra {
            let official = self.normalize(official);
            for w in words {
                let w = self.normalize(w);
                std::sync::Arc::make_mut(&mut self.thesaurus).add(w, official.clone());
            }
        }
        self
    }

    /// The organisations a question may name, each as (name, aliases): its full name, its
    /// aliases, the name without its place (威海市工业和信息化局 → 工业和信息化局) and the
    /// everyday names of its kind of body (工信局), from `data/thesaurus/bodies.txt`.
    pub fn with_orgs(mut self, orgs: &[(String, Vec<String>)]) -> Self {
        self.org_input.extend(orgs.iter().cloned());
        let bodies: Vec<(String, Vec<String>)> = thesaurus::body_lines()
            .filter_map(thesaurus::parse_line)
            .map(|(o, ws)| {
                (
                    self.normalize(o),
                    ws.iter().map(|w| self.normalize(w)).collect(),
                )
            })
            .collect();
        for (name, aliases) in orgs {
            let norm = self.normalize(name);
            let mut names: Vec<String> = vec![norm.clone()];
            names.extend(aliases.iter().map(|a| self.normalize(a)));
            let bare = without_place(&norm);
            names.push(bare.to_string());
            for (official, everyday) in &bodies {
                if official.chars().count() >= 3 && bare.contains(official.as_str()) {
                    names.push(official.clone());
                    names.extend(everyday.iter().cloned());
                }
            }
            // A name of two characters or fewer (局, 本局) would be found everywhere.
            names.retain(|n| n.chars().count() >= 3);
            names.sort_by(|x, y| y.chars().count().cmp(&x.chars().count()).then(x.cmp(y)));
            names.dedup();
            self.orgs.push((norm, names));
        }
        self
    }

    /// The question words, normalised, longest first (as [`Analyzer::query`] removes them).
    pub fn question_words(&self) -> &[String] {
        &self.question_words
    }

    /// The thesaurus in effect.
    pub fn thesaurus(&self) -> &Thesaurus {
        &self.thesaurus
    }

    /// Each organisation's normalised name and the names a question may call it by.
    pub fn org_names(&self) -> &[(String, Vec<String>)] {
        &self.orgs
    }

    /// The organisations given to [`Analyzer::with_orgs`].
    pub fn org_input(&self) -> &[(String, Vec<String>)] {
        &self.org_input
    }

    /// Is `org` (a document's organisation, as written) one the query names?
    pub fn in_scope(&self, q: &Query, org: &str) -> bool {
        !q.orgs.is_empty() && q.orgs.contains(&self.normalize(org))
    }

    /// Parse a query: normalise; strip question words (longest first); take out the
    /// organisations it names (into `orgs`); then, in each run of text, match synonyms and
    /// the thesaurus's everyday phrases leftmost-longest (each a term whose alternatives are
    /// the phrase itself and its official terms; a phrase gives way to a longer one starting
    /// inside it), and make every other bigram a term of its own unless it holds a
    /// [`FUNCTION_CHARS`] character.
    pub fn query(&self, q: &str) -> Query {
        let mut text = self.normalize(q);
        for w in &self.question_words {
            if text.contains(w.as_str()) {
                text = text.replace(w.as_str(), " ");
            }
        }
        let mut orgs = Vec::new();
        for (org, names) in &self.orgs {
            if let Some(n) = names.iter().find(|n| text.contains(n.as_str())) {
                text = text.replace(n.as_str(), " ");
                orgs.push(org.clone());
            }
        }
        let mut terms: Vec<Vec<Alt>> = Vec::new();
        // Bigrams of function characters, kept aside: they are the terms only of a query
        // that has no other (a fragment such as 题的 still finds the text it is cut from).
        let mut function_terms: Vec<Vec<Alt>> = Vec::new();
        let push = |terms: &mut Vec<Vec<Alt>>, term: Vec<Alt>| {
            if !term.is_empty() && !terms.contains(&term) {
                terms.push(term);
            }
        };
        for segment in text
            .split(|c: char| !is_word_char(c))
            .filter(|s| !s.is_empty())
        {
            let mut plain_from = 0;
            let mut at = 0;
            while at < segment.len() {
                let next = at + segment[at..].chars().next().map_or(1, char::len_utf8);
                let Some((end, term)) = self
                    .phrase_at(segment, at)
                    .filter(|(end, _)| !self.longer_inside(segment, at, *end))
                else {
                    at = next;
                    continue;
                };
                for (t, function) in self.plain_terms(&segment[plain_from..at]) {
                    push(
                        if function {
                            &mut function_terms
                        } else {
                            &mut terms
                        },
                        t,
                    );
                }
                push(&mut terms, term);
                at = end;
                plain_from = end;
            }
            for (t, function) in self.plain_terms(&segment[plain_from..]) {
                push(
                    if function {
                        &mut function_terms
                    } else {
                        &mut terms
                    },
                    t,
                );
            }
        }
        if terms.is_empty() {
            terms = function_terms;
        }
        Query { terms, orgs }
    }

    /// Does a longer phrase start inside the phrase `text[at..end]` and reach past its end?
    /// Then the text reads better with that one: 考高级工程师 is 考 + 高级工程师 (a title),
    /// not 考高级工 (a skill level) + 程师.
    fn longer_inside(&self, text: &str, at: usize, end: usize) -> bool {
        let len = text[at..end].chars().count();
        text[at..end].char_indices().skip(1).any(|(i, _)| {
            let from = at + i;
            self.phrase_at(text, from)
                .is_some_and(|(e, _)| e > end && text[from..e].chars().count() > len)
        })
    }

    /// The longest synonym or everyday phrase at byte `at` of `text`: where it ends, and the
    /// term it makes (the phrase itself, then its synonyms and official terms).
    fn phrase_at(&self, text: &str, at: usize) -> Option<(usize, Vec<Alt>)> {
        let synonym = self
            .synonyms
            .iter()
            .flatten()
            .filter(|w| text[at..].starts_with(w.as_str()))
            .max_by_key(|w| w.len());
        let everyday = self.thesaurus.longest_at(text, at);
        let syn_end = synonym.map(|w| at + w.len());
        let th_end = everyday.map(|(e, _)| e);
        let exact_chars = syn_end
            .max(th_end)
            .map_or(0, |e| text[at..e].chars().count());
        // A phrase with one character inside it counts only where it says more than any
        // phrase written whole at the same place.
        if let Some((end, phrase, officials)) = self
            .thesaurus
            .gapped_at(text, at)
            .filter(|(_, p, _)| p.chars().count() > exact_chars)
        {
            let mut alts = vec![Alt::new(tokens_of_normalized(&phrase), GAPPED_WEIGHT)];
            for o in officials {
                alts.push(Alt::new(
                    tokens_of_normalized(o),
                    GAPPED_WEIGHT * OFFICIAL_WEIGHT,
                ));
            }
            return Some((end, dedup_alts(alts)));
        }
        let end = syn_end.max(th_end)?;
        let phrase = &text[at..end];
        let mut alts = vec![Alt::new(tokens_of_normalized(phrase), 1.0)];
        if let Some(&g) = self.synonym_of.get(phrase) {
            for w in &self.synonyms[g] {
                alts.push(Alt::new(tokens_of_normalized(w), 1.0));
            }
        }
        if let Some((_, officials)) = everyday.filter(|(e, _)| *e == end) {
            for o in officials {
                alts.push(Alt::new(tokens_of_normalized(o), OFFICIAL_WEIGHT));
            }
        }
        Some((end, dedup_alts(alts)))
    }

    /// Terms of text outside synonyms and phrases: one per token, each with whether it holds
    /// a function character.
    fn plain_terms(&self, text: &str) -> Vec<(Vec<Alt>, bool)> {
        tokens_of_normalized(text)
            .into_iter()
            .map(|t| {
                let function = t.chars().any(|c| FUNCTION_CHARS.contains(c));
                let sound = pinyin_bigram(&t);
                let mut alts = vec![Alt::new(vec![t], 1.0)];
                // The bigram's sound reaches a name written with a homophone (信仿科 → 信访科).
                if let Some(p) = sound {
                    alts.push(Alt {
                        names: true,
                        ..Alt::new(vec![p], PINYIN_WEIGHT)
                    });
                }
                (alts, function)
            })
            .collect()
    }
}

/// How much a bigram matched by its sound alone (a homophone in a name) weighs.
pub const PINYIN_WEIGHT: f64 = 0.5;

/// The longest name (in characters) whose pairs of characters get pinyin keys.
pub const PINYIN_NAME_CHARS: usize = 10;

/// The characters that have a pinyin in queries and in the static index's table (the CJK
/// Unified Ideographs block; the browser's table covers exactly these).
pub const PINYIN_RANGE: std::ops::Range<u32> = 0x4E00..0xA000;

/// The pinyin of a character, without tones, ü written v (as names' keys are spelt), for
/// the characters of [`PINYIN_RANGE`].
pub fn pinyin_of(c: char) -> Option<String> {
    use pinyin::ToPinyin;
    if !PINYIN_RANGE.contains(&(c as u32)) {
        return None;
    }
    c.to_pinyin().map(|p| p.plain().replace('ü', "v"))
}

/// The sound of a two-character token: both characters' pinyin, joined (信访 → xinfang).
pub fn pinyin_bigram(token: &str) -> Option<String> {
    let mut chars = token.chars();
    let (a, b) = (chars.next()?, chars.next()?);
    if chars.next().is_some() {
        return None;
    }
    Some(format!("{}{}", pinyin_of(a)?, pinyin_of(b)?))
}

/// Alternatives without repeats or empty ones, first kept.
fn dedup_alts(mut alts: Vec<Alt>) -> Vec<Alt> {
    let mut seen: Vec<Vec<String>> = Vec::new();
    alts.retain(|a| {
        let fresh = !a.tokens.is_empty() && !seen.contains(&a.tokens);
        seen.push(a.tokens.clone());
        fresh
    });
    alts
}

/// An organisation's name without the place before it (威海市工业和信息化局 → 工业和信息化局):
/// the text after the last 省, 市, 县, 区, 州, 盟 or 旗 that leaves at least three characters.
fn without_place(name: &str) -> &str {
    let mut best = name;
    for (i, c) in name.char_indices() {
        if "省市县区州盟旗".contains(c) {
            let rest = &name[i + c.len_utf8()..];
            if rest.chars().count() >= 3 {
                best = rest;
            }
        }
    }
    best
}

/// One way a query term may match: tokens that must all be found, and how much it weighs.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Alt {
    pub tokens: Vec<String>,
    pub weight: f64,
    /// Matches only in a name (the title or the aliases, where names' pinyin is): a bigram's
    /// sound is a way to find a name written with a homophone, not a word of any text.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub names: bool,
}

impl Alt {
    fn new(tokens: Vec<String>, weight: f64) -> Alt {
        Alt {
            tokens,
            weight,
            names: false,
        }
    }

    /// The tokens a document must hold for this alternative to match: all of a short one;
    /// the first and the last of one of three tokens or more, since documents write long
    /// terms with words inside (工业遗产 in 工业文化遗产). [`crate::rank::score`] weighs a
    /// match by the share of tokens found.
    pub fn required(&self) -> Vec<&String> {
        match self.tokens.as_slice() {
            [first, .., last] if self.tokens.len() >= 3 => vec![first, last],
            all => all.iter().collect(),
        }
    }
}

/// A parsed query: every term should match; a term matches when any of its alternatives has
/// all its tokens in the document. `orgs` are the organisations the question names (their
/// normalised names): their items rank first.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Query {
    pub terms: Vec<Vec<Alt>>,
    pub orgs: Vec<String>,
}

impl Query {
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
    /// Every token any alternative needs.
    pub fn all_tokens(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .terms
            .iter()
            .flatten()
            .flat_map(|a| a.tokens.iter().cloned())
            .collect();
        v.sort();
        v.dedup();
        v
    }
}

/// OpenCC's one-character traditional → simplified pairs whose two characters differ.
fn t2s_table() -> HashMap<char, char> {
    let mut t2s = HashMap::with_capacity(4200);
    for line in TS_CHARACTERS.lines() {
        if line.starts_with('#') {
            continue;
        }
        let mut parts = line.split('\t');
        let (Some(from), Some(to)) = (parts.next(), parts.next()) else {
            continue;
        };
        let mut from_chars = from.chars();
        let to_first = to.split(' ').next().and_then(|t| {
            let mut c = t.chars();
            let first = c.next()?;
            c.next().is_none().then_some(first)
        });
        if let (Some(f), None, Some(t)) = (from_chars.next(), from_chars.next(), to_first) {
            if f != t {
                t2s.insert(f, t);
            }
        }
    }
    t2s
}

/// Which script a character belongs to alone: [`TRAD`], [`SIMP`] or neither (0).
const TRAD: u8 = 1;
const SIMP: u8 = 2;

/// The characters that differ between the two scripts: the traditional ones (keys of the
/// table) and the simplified ones that are not themselves a traditional form. A byte per
/// character of the Basic Multilingual Plane (64 KB: a look-up per character of every page
/// must not hash), and a map for the few beyond it.
struct ScriptSets {
    bmp: Vec<u8>,
    astral: HashMap<char, u8>,
}

impl ScriptSets {
    fn of(&self, c: char) -> u8 {
        match self.bmp.get(c as usize) {
            Some(s) => *s,
            None => self.astral.get(&c).copied().unwrap_or(0),
        }
    }
}

fn script_sets() -> &'static ScriptSets {
    static SETS: std::sync::OnceLock<ScriptSets> = std::sync::OnceLock::new();
    SETS.get_or_init(|| {
        let t2s = t2s_table();
        let mut sets = ScriptSets {
            bmp: vec![0; 0x10000],
            astral: HashMap::new(),
        };
        let mut set = |c: char, script: u8| match sets.bmp.get_mut(c as usize) {
            Some(s) => *s = script,
            None => {
                sets.astral.insert(c, script);
            }
        };
        for c in t2s.values() {
            set(*c, SIMP);
        }
        // A simplified form that is also a traditional one counts as traditional.
        for c in t2s.keys() {
            set(*c, TRAD);
        }
        sets
    })
}

/// How many Chinese characters [`is_traditional`] reads at most.
pub const SCRIPT_SAMPLE: usize = 2000;

/// Is `text` written in traditional Chinese? Counts the characters only one script uses:
/// traditional when at least 2% of its Chinese characters are traditional-only and they
/// outnumber the simplified-only ones three to one (a simplified text quoting a traditional
/// name, or using a character both scripts share, stays simplified). The first
/// [`SCRIPT_SAMPLE`] Chinese characters decide: a page asks this of its department's whole
/// text, and two thousand characters tell a script as well as a hundred thousand.
pub fn is_traditional(text: &str) -> bool {
    let sets = script_sets();
    let (mut han, mut trad, mut simp) = (0usize, 0usize, 0usize);
    for c in text.chars().filter(|c| is_cjk(*c)).take(SCRIPT_SAMPLE) {
        han += 1;
        match sets.of(c) {
            TRAD => trad += 1,
            SIMP => {
                simp += 1;
                // Settled: even if every character still to read were traditional-only,
                // they would not outnumber these three to one.
                if trad + (SCRIPT_SAMPLE - han) < simp * 3 {
                    return false;
                }
            }
            _ => {}
        }
    }
    trad > 0 && trad * 50 >= han && trad >= simp * 3
}

/// Is `c` a CJK ideograph (the characters that form bigrams)?
/// The [`Analyzer::bmp`] entry of a character that normalises to none or several.
const NOT_ONE: u32 = u32::MAX;

/// NFKC, lower case, traditional → simplified: the definition the table is made from.
fn normalize_slow(c: char, t2s: &HashMap<char, char>, out: &mut String) {
    for n in std::iter::once(c).nfkc() {
        for l in n.to_lowercase() {
            out.push(t2s.get(&l).copied().unwrap_or(l));
        }
    }
}

/// The normalised form of every BMP character (see [`Analyzer::bmp`]).
fn bmp_table(t2s: &HashMap<char, char>) -> Box<[u32]> {
    let mut buf = String::new();
    (0u32..0x10000)
        .map(|u| {
            let Some(c) = char::from_u32(u) else {
                return NOT_ONE;
            };
            // ASCII and the unified ideographs are their own NFKC form and lower case.
            if c.is_ascii() {
                return c.to_ascii_lowercase() as u32;
            }
            if matches!(u, 0x4E00..=0x9FFF | 0x3400..=0x4DBF) {
                return t2s.get(&c).copied().unwrap_or(c) as u32;
            }
            buf.clear();
            normalize_slow(c, t2s, &mut buf);
            let mut it = buf.chars();
            match (it.next(), it.next()) {
                (Some(n), None) => n as u32,
                _ => NOT_ONE,
            }
        })
        .collect()
}

/// A Chinese character (the one definition is [`zhize_core::text::is_han`]).
pub use zhize_core::text::is_han as is_cjk;

/// Characters that belong to tokens: CJK ideographs and ASCII letters and digits.
pub fn is_word_char(c: char) -> bool {
    is_cjk(c) || c.is_ascii_alphanumeric()
}

/// Tokens of normalised text: bigrams over each CJK run (the run itself when it is one
/// character) and each ASCII word.
pub fn tokens_of_normalized(text: &str) -> Vec<String> {
    token_ranges(text)
        .into_iter()
        .map(|(a, b)| text[a..b].to_string())
        .collect()
}

/// Where the tokens of a normalised text are, as byte ranges: a CJK bigram is two adjacent
/// characters (a lone ideograph is itself), an ASCII word a run of letters and digits. Lets
/// the tantivy tokenizer copy each token into one buffer instead of allocating it.
pub fn token_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for_each_token(text, |a, b| out.push((a, b)));
    out
}

/// Call `f` with the byte range of each token of a normalised text, in order (see
/// [`token_ranges`]), in one pass over its characters.
pub fn for_each_token(text: &str, mut f: impl FnMut(usize, usize)) {
    // The CJK run being read: where its last character starts, and whether it is its first.
    let mut run: Option<(usize, bool)> = None;
    // Where the ASCII word being read starts.
    let mut word: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if is_cjk(c) {
            if let Some(w) = word.take() {
                f(w, i);
            }
            if let Some((prev, _)) = run {
                f(prev, i + c.len_utf8());
            }
            run = Some((i, run.is_none()));
            continue;
        }
        if let Some((prev, true)) = run.take() {
            f(prev, i);
        }
        if c.is_ascii_alphanumeric() {
            word.get_or_insert(i);
        } else if let Some(w) = word.take() {
            f(w, i);
        }
    }
    if let Some((prev, true)) = run {
        f(prev, text.len());
    }
    if let Some(w) = word {
        f(w, text.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_agrees_with_the_definition() {
        let a = Analyzer::new(&[]);
        for u in (0u32..0x10000).chain([0x1F600, 0x20000, 0x2F800]) {
            let Some(c) = char::from_u32(u) else { continue };
            let (mut fast, mut slow) = (String::new(), String::new());
            a.normalize_char(c, &mut fast);
            normalize_slow(c, &a.norm.t2s, &mut slow);
            assert_eq!(fast, slow, "U+{u:04X}");
        }
    }

    #[test]
    fn normalises_width_case_and_script() {
        let a = Analyzer::new(&[]);
        assert_eq!(a.normalize("職稱評審"), "职称评审");
        assert_eq!(a.normalize("ＡＢＣ１２３"), "abc123");
    }

    /// The tokenizer as first written, over a vector of characters: the reference.
    fn token_ranges_by_chars(text: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let end_of = |i: usize| chars.get(i + 1).map_or(text.len(), |c| c.0);
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i].1;
            if is_cjk(c) {
                let start = i;
                while i < chars.len() && is_cjk(chars[i].1) {
                    i += 1;
                }
                if i - start == 1 {
                    out.push((chars[start].0, end_of(start)));
                } else {
                    out.extend((start..i - 1).map(|k| (chars[k].0, end_of(k + 1))));
                }
            } else if c.is_ascii_alphanumeric() {
                let start = i;
                while i < chars.len() && chars[i].1.is_ascii_alphanumeric() {
                    i += 1;
                }
                out.push((chars[start].0, end_of(i - 1)));
            } else {
                i += 1;
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn a_text_normalises_as_its_characters_do(text in "[印章職稱ＡＢa1 ，。𠀀\u{3000}ﬁ-]{0,24}") {
            let a = Analyzer::new(&[]);
            let mut each = String::new();
            for c in text.chars() {
                a.norm.push_char(c, &mut each);
            }
            proptest::prop_assert_eq!(a.normalize(&text), each);
        }

        /// Stopping once the script is settled gives what reading the whole sample gives.
        #[test]
        fn the_script_is_told_as_by_the_whole_sample(
            parts in proptest::collection::vec(("[这们个說們個的a ]", 1usize..400), 0..12),
        ) {
            let text: String = parts.iter().map(|(c, n)| c.repeat(*n)).collect();
            let sets = script_sets();
            let sample: Vec<char> =
                text.chars().filter(|c| is_cjk(*c)).take(SCRIPT_SAMPLE).collect();
            let count = |script| sample.iter().filter(|c| sets.of(**c) == script).count();
            let (trad, simp) = (count(TRAD), count(SIMP));
            let whole = trad > 0 && trad * 50 >= sample.len() && trad >= simp * 3;
            proptest::prop_assert_eq!(is_traditional(&text), whole);
        }

        #[test]
        fn one_pass_tokens_equal_the_reference(text in "[印章a1 ，。𠀀管理b-]{0,24}") {
            proptest::prop_assert_eq!(token_ranges(&text), token_ranges_by_chars(&text));
        }
    }

    #[test]
    fn bigrams_and_words() {
        assert_eq!(
            tokens_of_normalized("印章管理"),
            vec!["印章", "章管", "管理"]
        );
        assert_eq!(
            tokens_of_normalized("印 12345热线"),
            vec!["印", "12345", "热线"]
        );
    }

    #[test]
    fn pinyin_keys_per_word() {
        let a = Analyzer::new(&[]);
        let keys = a.pinyin_keys("印章使用");
        assert!(keys.contains(&"yinzhang".to_string()), "{keys:?}");
        assert!(keys.contains(&"yz".to_string()), "{keys:?}");
    }

    #[test]
    fn questions_lose_question_words_and_gain_synonyms() {
        let a = Analyzer::new(&[]);
        let q = a.query("谁负责印章?");
        assert_eq!(q.terms.len(), 1, "{q:?}");
        assert!(q.terms[0].iter().any(|alt| alt.tokens == ["公章"]));
        let q = a.query("出差报销找谁");
        assert!(q.all_tokens().iter().any(|t| t == "报销"), "{q:?}");
        // A phrase the thesaurus knows is one term, reaching its official wording too.
        let q = a.query("人大代表建议");
        assert!(!q.terms.is_empty(), "{q:?}");
        // Longest question words first: 请假找哪个部门 keeps no 部门.
        let q = a.query("请假找哪个部门");
        assert!(q.all_tokens().iter().all(|t| t != "部门"), "{q:?}");
    }

    #[test]
    fn a_name_written_with_a_homophone_is_heard_by_its_pinyin() {
        let a = Analyzer::new(&[]);
        // The name's pairs of characters are keys: 信访科 → xinfang, fangke.
        let keys = a.pinyin_keys("信访科");
        assert!(keys.contains(&"fangke".to_string()), "{keys:?}");
        // 信仿科 sounds the same: its bigrams gain the sound, matching names only.
        let q = a.query("信仿科电话");
        let term = q
            .terms
            .iter()
            .find(|t| t[0].tokens == ["仿科"])
            .unwrap_or_else(|| panic!("{q:?}"));
        assert!(
            term.iter()
                .any(|alt| alt.tokens == ["fangke"] && alt.names && alt.weight < 1.0),
            "{term:?}"
        );
        // Long names (procedures) keep only their words' keys.
        let long = a.pinyin_keys("突发环境事件应急响应工作流程");
        assert!(!long.contains(&"fahuan".to_string()), "{long:?}");
        assert_eq!(pinyin_of('a'), None);
    }

    #[test]
    fn everyday_words_reach_official_terms_below_their_own() {
        let a = Analyzer::new(&[]);
        let q = a.query("上班忘了打卡找谁补");
        // 忘了打卡 reads as the phrase 忘打卡 across its particle.
        let term = q
            .terms
            .iter()
            .find(|t| t[0].tokens.contains(&"打卡".to_string()))
            .unwrap_or_else(|| panic!("{q:?}"));
        assert!(
            term.iter()
                .any(|alt| alt.tokens == ["考勤"] && alt.weight < 1.0),
            "{term:?}"
        );
        // Bigrams of particles and pronouns are not terms.
        assert!(
            q.all_tokens().iter().all(|t| t != "了打" && t != "忘了"),
            "{q:?}"
        );
    }

    #[test]
    fn a_longer_phrase_starting_inside_a_phrase_wins() {
        let a = Analyzer::new(&[]).with_thesaurus(&[
            ("职业技能等级认定".to_string(), vec!["考高级工".to_string()]),
            ("职称评审".to_string(), vec!["高级工程师".to_string()]),
        ]);
        let phrases = |q: &str| -> Vec<Vec<String>> {
            a.query(q)
                .terms
                .iter()
                .map(|t| t[0].tokens.clone())
                .filter(|tokens| tokens.len() > 1)
                .collect()
        };
        // 考 + 高级工程师, not 考高级工 + 程师.
        assert_eq!(
            phrases("想考高级工程师"),
            [vec!["高级", "级工", "工程", "程师"]]
        );
        // Alone, the shorter phrase is read as before.
        assert_eq!(phrases("想考高级工证书"), [vec!["考高", "高级", "级工"]]);
    }

    #[test]
    fn organisations_named_in_everyday_words_are_recognised() {
        let a = Analyzer::new(&[]).with_orgs(&[
            (
                "威海市工业和信息化局".to_string(),
                vec!["市工信局".to_string()],
            ),
            ("某县人力资源和社会保障局".to_string(), vec![]),
        ]);
        let q = a.query("工信局谁管技改");
        assert_eq!(q.orgs, ["威海市工业和信息化局"], "{q:?}");
        assert!(q.all_tokens().iter().all(|t| !t.contains('局')), "{q:?}");
        assert_eq!(a.query("人社局在哪").orgs, ["某县人力资源和社会保障局"]);
        assert!(a.query("技改").orgs.is_empty());
    }
}
