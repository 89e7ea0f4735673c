//! The thesaurus: everyday words and phrases → the official terms duty lists use (打卡 →
//! 考勤, 报账 → 报销, 红头文件 → 公文), from the data in `data/thesaurus/` (one file per domain;
//! see its README) plus what a site adds under `thesaurus:` in zhize.yaml.
//!
//! A question's everyday words are matched leftmost-longest; each keeps its own words as the
//! first alternative and gains the official terms as further alternatives, weighed below an
//! exact match ([`OFFICIAL_WEIGHT`]). `bodies.txt` maps everyday names of kinds of bodies
//! (人社局, 环保局) to their official names, for recognising the organisation a question names.

use std::collections::HashMap;

/// The thesaurus files, compiled in.
static DATA: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/../../data/thesaurus");

/// How much an official term reached through the thesaurus weighs against the question's
/// own words.
pub const OFFICIAL_WEIGHT: f64 = 0.7;

/// How much an everyday phrase read across one character inside it (又黑又臭 → 黑臭) weighs
/// against one written whole.
pub const GAPPED_WEIGHT: f64 = 0.9;

/// Characters people put inside a set phrase without changing what it names: particles,
/// measure words, adverbs of degree and repetition, demonstratives and small numbers
/// (要辆车, 又黑又臭, 开个证明, 报下账).
pub const GAP_CHARS: &str =
    "了过着的地得个只条辆台张件份本位名次趟把些点下又也都很太再还就才一两几这那某";

/// Everyday phrase → official terms, all normalised.
#[derive(Debug, Default, Clone)]
pub struct Thesaurus {
    pub terms: HashMap<String, Vec<String>>,
    /// Longest phrase, in characters.
    pub longest: usize,
}

/// The lines of the thesaurus files (`official: everyday…`), every domain file but bodies.
pub fn domain_lines() -> impl Iterator<Item = &'static str> {
    files(false)
}

/// The lines of `bodies.txt`: official names of kinds of bodies and their everyday names.
pub fn body_lines() -> impl Iterator<Item = &'static str> {
    files(true)
}

fn files(bodies: bool) -> impl Iterator<Item = &'static str> {
    let mut files: Vec<&'static include_dir::File<'static>> = DATA
        .files()
        .filter(|f| f.path().extension().is_some_and(|x| x == "txt"))
        .filter(|f| (f.path().file_stem().is_some_and(|s| s == "bodies")) == bodies)
        .collect();
    files.sort_by_key(|f| f.path());
    files
        .into_iter()
        .filter_map(|f| f.contents_utf8())
        .flat_map(str::lines)
}

/// One line as (official, everyday words), or `None` for comments and blank lines.
pub fn parse_line(line: &str) -> Option<(&str, Vec<&str>)> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    let (official, words) = line.split_once(':')?;
    let official = official.trim();
    (!official.is_empty()).then(|| (official, words.split_whitespace().collect()))
}

/// The official terms of a line's left side: one, or variants that duty lists use for the
/// same thing, separated by `/` (`考勤/出勤`).
pub fn variants(official: &str) -> impl Iterator<Item = &str> {
    official.split('/').map(str::trim).filter(|v| !v.is_empty())
}

impl Thesaurus {
    /// Add `everyday` → `official` (both normalised already).
    pub fn add(&mut self, everyday: String, official: String) {
        if everyday == official || everyday.chars().count() < 2 {
            return;
        }
        self.longest = self.longest.max(everyday.chars().count());
        let list = self.terms.entry(everyday).or_default();
        if !list.contains(&official) {
            list.push(official);
        }
    }

    /// The longest everyday phrase starting at byte `at` of `text`: its end and officials.
    pub fn longest_at(&self, text: &str, at: usize) -> Option<(usize, &[String])> {
        let ends: Vec<usize> = text[at..]
            .char_indices()
            .skip(1)
            .map(|(i, _)| at + i)
            .chain(std::iter::once(text.len()))
            .take(self.longest)
            .collect();
        ends.iter().rev().find_map(|&end| {
            self.terms
                .get(&text[at..end])
                .map(|officials| (end, officials.as_slice()))
        })
    }

    /// The longest everyday phrase at byte `at` of `text` written with one more character
    /// inside it (又黑又臭 holds 黑臭, 要辆车 holds 要车): where the span ends, the phrase and
    /// its officials. People put a measure word or an adverb into a phrase the thesaurus has
    /// whole; one such character ([`GAP_CHARS`]), never at either end, keeps the reading safe
    /// (政策研究 does not hold 政研).
    pub fn gapped_at(&self, text: &str, at: usize) -> Option<(usize, String, &[String])> {
        let chars: Vec<(usize, char)> = text[at..]
            .char_indices()
            .take(self.longest + 1)
            .map(|(i, c)| (at + i, c))
            .collect();
        // Longest span first; within a span, the gap nearest the start first.
        for m in (3..=chars.len()).rev() {
            let (last, c) = chars[m - 1];
            let end = last + c.len_utf8();
            for gap in (1..m - 1).filter(|&g| GAP_CHARS.contains(chars[g].1)) {
                let phrase: String = chars[..m]
                    .iter()
                    .enumerate()
                    .filter(|&(k, _)| k != gap)
                    .map(|(_, &(_, c))| c)
                    .collect();
                if let Some(officials) = self.terms.get(&phrase) {
                    return Some((end, phrase, officials.as_slice()));
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_files_parse_and_hold_thousands_of_entries() {
        let mut pairs = 0;
        for line in domain_lines() {
            if let Some((official, words)) = parse_line(line) {
                assert!(!official.is_empty());
                pairs += words.len();
            }
        }
        assert!(pairs >= 3000, "{pairs} pairs");
        assert!(body_lines().filter_map(parse_line).count() >= 80);
    }

    /// The analyser deletes question words before it reads phrases, so an everyday phrase
    /// holding one (工资怎么算, 能报吗) could never match.
    #[test]
    fn no_everyday_phrase_holds_a_question_word() {
        let dead: Vec<&str> = domain_lines()
            .chain(body_lines())
            .filter_map(parse_line)
            .flat_map(|(_, words)| words)
            .filter(|w| {
                crate::analyzer::QUESTION_WORDS
                    .iter()
                    .any(|q| w.contains(q))
            })
            .collect();
        assert!(dead.is_empty(), "{dead:?}");
    }

    #[test]
    fn an_official_term_may_have_variants() {
        let (official, words) = parse_line("考勤/ 出勤 : 打卡 签到").unwrap();
        assert_eq!(variants(official).collect::<Vec<_>>(), ["考勤", "出勤"]);
        assert_eq!(words, ["打卡", "签到"]);
        assert_eq!(variants("考勤").collect::<Vec<_>>(), ["考勤"]);
    }

    #[test]
    fn longest_phrases_win() {
        let mut t = Thesaurus::default();
        t.add("公积金".into(), "住房公积金".into());
        t.add("提取公积金".into(), "住房公积金提取".into());
        let text = "提取公积金找谁";
        assert_eq!(
            t.longest_at(text, 0).map(|(e, _)| e),
            Some("提取公积金".len())
        );
        assert_eq!(
            t.longest_at(text, "提取".len()).map(|(_, o)| o.to_vec()),
            Some(vec!["住房公积金".to_string()])
        );
        assert!(t.longest_at(text, "提取公积金".len()).is_none());
    }

    #[test]
    fn a_phrase_with_one_filler_inside_is_read_but_not_across_a_word() {
        let mut t = Thesaurus::default();
        t.add("黑臭".into(), "黑臭水体".into());
        t.add("要车".into(), "公务用车".into());
        t.add("政研".into(), "政策研究".into());
        let text = "又黑又臭的沟";
        let at = "又".len();
        let (end, phrase, officials) = t.gapped_at(text, at).expect("黑又臭 holds 黑臭");
        assert_eq!((&text[at..end], phrase.as_str()), ("黑又臭", "黑臭"));
        assert_eq!(officials, ["黑臭水体".to_string()]);
        // The span ends at its last character, also when the text goes on well past it.
        let long = format!("想要辆车{}", "跑".repeat(40));
        let (end, _, _) = t.gapped_at(&long, "想".len()).expect("要辆车");
        assert_eq!(&long["想".len()..end], "要辆车");
        // 策 is part of a word, not a filler: 政策研究 is not 政研.
        assert!(t.gapped_at("政策研究", 0).is_none());
        // Never a gap at either end.
        assert!(t.gapped_at("了黑臭", 0).is_none());
    }
}
