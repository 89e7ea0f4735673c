//! Normalising and tokenising, shared by every index (the tantivy index behind `zhize search`
//! and the static index the browser loads) and mirrored line for line by the site's
//! `search.js`; `tests/search_vectors.json` holds the cases both must agree on.
//!
//! Text is normalised per character: NFKC, lower case, then traditional → simplified by
//! OpenCC's character table (Apache-2.0, `data/opencc/`). Tokens are CJK bigrams (a lone
//! character for a one-character run) and ASCII words. Names of departments, posts,
//! procedures and forms also get pinyin keys, full and initials (`yinzhang`, `yz`), per word.
//! Queries lose their question words (谁负责, 找谁 …) and expand synonyms (印章 = 公章).

use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

/// OpenCC's traditional → simplified character table.
const TS_CHARACTERS: &str = include_str!("../../data/opencc/TSCharacters.txt");

/// Words that make a question but not its subject, longest first (mirrored in search.js).
pub const QUESTION_WORDS: &[&str] = &[
    "由哪个部门负责",
    "哪个部门负责",
    "哪个科室负责",
    "哪个处室负责",
    "归哪个部门管",
    "应该找谁",
    "谁来负责",
    "该找谁",
    "谁负责",
    "谁来管",
    "找哪个",
    "哪个部门",
    "哪个科室",
    "哪个处室",
    "哪个单位",
    "去哪里办",
    "到哪里办",
    "怎么办理",
    "如何办理",
    "怎么办",
    "怎么弄",
    "找谁",
    "谁管",
    "请问",
    "哪里",
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
}

impl Analyzer {
    /// An analyser with the default synonyms plus `extra` groups (from zhize.yaml).
    pub fn new(extra: &[Vec<String>]) -> Analyzer {
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
        let mut a = Analyzer {
            norm: std::sync::Arc::new(Normalizer {
                bmp: bmp_table(&t2s),
                t2s,
            }),
            synonym_of: HashMap::new(),
            synonyms: Vec::new(),
            jieba: std::sync::OnceLock::new(),
        };
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
        keys.sort();
        keys.dedup();
        keys
    }

    /// Parse a query: strip question words, normalise, split into terms; each term is a list
    /// of alternatives (synonyms), each alternative a list of tokens that must all match.
    pub fn query(&self, q: &str) -> Query {
        let mut text = self.normalize(q);
        for w in QUESTION_WORDS {
            text = text.replace(w, " ");
        }
        let mut terms = Vec::new();
        for segment in text
            .split(|c: char| !is_word_char(c))
            .filter(|s| !s.is_empty())
        {
            // Synonyms are matched on whole segments and on known words inside a segment.
            let mut rest = segment.to_string();
            let mut found: Vec<Vec<String>> = Vec::new();
            for group in &self.synonyms {
                if let Some(w) = group
                    .iter()
                    .filter(|w| rest.contains(w.as_str()))
                    .max_by_key(|w| w.len())
                {
                    rest = rest.replacen(w.as_str(), " ", 1);
                    found.push(group.clone());
                }
            }
            for group in found {
                terms.push(group.iter().map(|w| tokens_of_normalized(w)).collect());
            }
            // Every other token is a term of its own: a document matching more of them ranks
            // higher, and one that contains the words but not the bigrams spanning them
            // (人大代表 + 建议) still matches.
            for part in rest.split(' ').filter(|s| !s.is_empty()) {
                for tok in tokens_of_normalized(part) {
                    let term = vec![vec![tok]];
                    if !terms.contains(&term) {
                        terms.push(term);
                    }
                }
            }
        }
        Query { terms }
    }
}

/// A parsed query: every term should match; a term matches when any of its alternatives has
/// all its tokens in the document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Query {
    pub terms: Vec<Vec<Vec<String>>>,
}

impl Query {
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
    /// Every token any alternative needs.
    pub fn all_tokens(&self) -> Vec<String> {
        let mut v: Vec<String> = self.terms.iter().flatten().flatten().cloned().collect();
        v.sort();
        v.dedup();
        v
    }
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

pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

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
        assert_eq!(q.terms.len(), 1);
        assert!(q.terms[0]
            .iter()
            .any(|alt| alt == &vec!["公章".to_string()]));
        let q = a.query("出差报销找谁");
        assert_eq!(q.terms.len(), 2, "{q:?}");
        let q = a.query("人大代表建议");
        assert_eq!(q.terms.len(), 5, "one term per bigram: {q:?}");
    }
}
