//! Import of Articles, possibly traditional script with pinyin annotations (seed 004), as pages.
//!
//! Web collections of articles (爱发表网 and the like) come as one run of lines: a page header
//! (`時間:…`, `緒論:…`), then several articles one after the other with no separators, titles
//! or authors, often cut at the start or the end. Every Han character of some sites carries
//! its pinyin in ASCII parentheses (`時(shí)間`).
//!
//! The importer removes the pinyin annotations (and only them), keeps the text as written
//! (traditional script stays traditional), finds where each article starts, and makes one
//! page per article with `一、` headings as `##` and `(一)` headings as `###`.
//!
//! Article starts are found from the text:
//! * a line that begins in the middle of a quotation (`特色報告”,…`: a `”` before any `“`);
//! * `一、` again when the article already has top-level numbering (`一、`, `第N條` or `1 標題`);
//!   an unnumbered paragraph just before it (an introduction) goes with the new article;
//! * a switch to `第N條` articles when the article already has other top-level numbering;
//! * a set of rules with run-in titles (`…制度一、…`) whose first rule lost its title and
//!   its `一、`: the run of `二、三、四、` just before the first run-in title starts it.
//!
//! What this cannot see: two articles that both number `一、二、…` where the second one starts
//! at `二、` without a run-in title after it, or articles without any numbering at all;
//! these stay in the article before them.

use super::document::Document;
use super::lines::{parse_num, Lines, Num};
use super::{Imported, ImportedPage};
use zhize_core::model::PageMeta;
use zhize_core::slug::slugify;
use zhize_core::text::is_han;

const TONED: &str = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ";

/// Parse the document. Lines put into a field are marked with `lines.used` / `lines.take`;
/// whatever stays unmarked is appended to the last page by the caller.
pub fn parse(doc: &Document, lines: &mut Lines<'_>) -> Imported {
    let n = lines.len();
    let mut removed = 0usize;
    let mut on_lines = 0usize;
    let mut first_annotated = None;
    let clean: Vec<String> = (0..n)
        .map(|i| {
            let (t, k) = strip_pinyin(lines.text(i));
            if k > 0 {
                removed += k;
                on_lines += 1;
                first_annotated.get_or_insert(i);
            }
            t
        })
        .collect();
    if let Some(i) = first_annotated {
        lines.repair(
            i,
            format!("{removed} pinyin annotations such as `時(shí)` removed, on {on_lines} lines"),
        );
    }

    // Page header: `時間:…` and `緒論:…` before the first article.
    let mut date = None;
    let mut intro = None;
    let mut i = 0;
    while i < n {
        if lines.is_used(i) || lines.blank(i) {
            i += 1;
            continue;
        }
        let t = &clean[i];
        if let Some(v) = header_value(t, &["時間", "时间", "發布時間", "发布时间", "日期"])
        {
            date = Some(v.to_string());
        } else if let Some(v) = header_value(t, &["緒論", "绪论", "導語", "导语", "摘要"])
        {
            intro = Some(v.to_string());
        } else {
            break;
        }
        lines.used(i);
        i += 1;
    }

    let items: Vec<(usize, String)> = (i..n)
        .filter(|&j| !lines.is_used(j) && !lines.blank(j))
        .map(|j| (j, clean[j].clone()))
        .collect();
    for (j, _) in &items {
        lines.used(*j);
    }
    let texts: Vec<&str> = items.iter().map(|(_, t)| t.as_str()).collect();
    let starts = article_starts(&texts);

    let base = slugify(&doc.name);
    let mut pages = Vec::new();
    for (k, &s) in starts.iter().enumerate() {
        let e = starts.get(k + 1).copied().unwrap_or(items.len());
        let part = &items[s..e];
        let mut body = String::new();
        // Inside a set of rules with run-in titles, numbered headings sit under the rule.
        let mut deep = 0;
        for (m, (j, t)) in part.iter().enumerate() {
            let next = part.get(m + 1).map(|(_, n)| n.as_str());
            body.push_str(&line_markdown(lines, *j, t, next, deep));
            if glued_title(t).is_some() {
                deep = 1;
            }
        }
        let ts: Vec<&str> = part.iter().map(|(_, t)| t.as_str()).collect();
        let mut title = article_title(&ts);
        if title.trim().is_empty() {
            title = format!("{} {}", doc.name, k + 1);
        }
        pages.push(ImportedPage {
            slug: format!("{base}-{}", k + 1),
            meta: PageMeta {
                title,
                summary: if k == 0 { intro.clone() } else { None },
                date: date.clone(),
                order: Some(k as i64 + 1),
                ..Default::default()
            },
            body,
        });
    }
    if pages.is_empty() {
        // Only a header: keep it on one page.
        pages.push(ImportedPage {
            slug: base,
            meta: PageMeta {
                title: doc.name.clone(),
                summary: intro,
                date,
                ..Default::default()
            },
            body: String::new(),
        });
    }
    Imported {
        pages,
        ..Default::default()
    }
}

/// `時間:2022-09-23 17:21:58` → `2022-09-23 17:21:58` when the key is one of `keys`.
fn header_value<'t>(t: &'t str, keys: &[&str]) -> Option<&'t str> {
    keys.iter().find_map(|k| {
        let rest = t.strip_prefix(k)?;
        let rest = rest.strip_prefix(':').or_else(|| rest.strip_prefix('：'))?;
        Some(rest.trim())
    })
}

/// Remove pinyin annotations: `時(shí)間` → `時間`. An annotation is a pinyin syllable in ASCII
/// parentheses: with tone marks, or plain lowercase directly after a Han character. Other
/// parentheses (`(附表2)`, `(一)`, `(1)`, `(GB 3838-2002)`) stay. Returns the text and how many
/// annotations were removed.
pub fn strip_pinyin(s: &str) -> (String, usize) {
    let mut out = String::with_capacity(s.len());
    let mut removed = 0;
    let mut rest = s;
    while let Some(p) = rest.find('(') {
        let before = &rest[..p];
        let after = &rest[p + 1..];
        let prev = before.chars().last().or_else(|| out.chars().last());
        let strip = after.find(')').is_some_and(|q| {
            let inner = &after[..q];
            let toned = inner.chars().any(|c| TONED.contains(c));
            let after_han = prev.is_some_and(is_han);
            is_syllable(inner) && (toned && prev.is_some_and(|c| !c.is_whitespace()) || after_han)
        });
        out.push_str(before);
        if strip {
            let q = after.find(')').unwrap_or(0);
            rest = &after[q + 1..];
            removed += 1;
        } else {
            out.push('(');
            rest = after;
        }
    }
    out.push_str(rest);
    (out, removed)
}

/// One pinyin syllable, with or without tone marks (`shí`, `jian`, `lǜ`, `nǚ`).
pub fn is_syllable(s: &str) -> bool {
    if s.is_empty() || s.chars().count() > 6 {
        return false;
    }
    let mut plain = String::new();
    for c in s.chars() {
        let base = match c {
            'a'..='z' => c,
            'ü' | 'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' => 'v',
            _ => match TONED.find(c) {
                Some(_) => {
                    let k = TONED.chars().position(|t| t == c).unwrap_or(0) / 4;
                    ['a', 'e', 'i', 'o', 'u'][k.min(4)]
                }
                None => return false,
            },
        };
        plain.push(base);
    }
    const INITIALS: [&str; 23] = [
        "zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x",
        "r", "z", "c", "s", "y", "w",
    ];
    const FINALS: [&str; 40] = [
        "a", "o", "e", "ai", "ei", "ao", "ou", "an", "en", "ang", "eng", "ong", "er", "i", "ia",
        "ie", "iao", "iu", "ian", "in", "iang", "ing", "iong", "u", "ua", "uo", "uai", "ui", "uan",
        "un", "uang", "ueng", "v", "ve", "van", "vn", "ue", "io", "uen", "iou",
    ];
    let rest = INITIALS
        .iter()
        .find_map(|i| plain.strip_prefix(i))
        .unwrap_or(&plain);
    FINALS.contains(&rest) || (rest.is_empty() && matches!(plain.as_str(), "m" | "n" | "ng"))
}

/// How a line of an article is numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `一、`
    Cn(u32),
    /// `第二條`
    Tiao,
    /// `1 標題`, `2.1 標題`
    DigitHeading,
    /// `(一)`, `1、`, `(1)`, `①`, `[1]`
    Other,
    /// No numbering.
    Plain,
}

fn kind(t: &str) -> Kind {
    if is_tiao(t) {
        return Kind::Tiao;
    }
    if digit_heading(t).is_some() {
        return Kind::DigitHeading;
    }
    match parse_num(t) {
        Some((Num::Cn(v), _)) => Kind::Cn(v),
        Some(_) => Kind::Other,
        None if is_reference(t) => Kind::Other,
        None => Kind::Plain,
    }
}

/// `第二條…` / `第十二条…`
fn is_tiao(t: &str) -> bool {
    let Some(rest) = t.strip_prefix('第') else {
        return false;
    };
    let num: String = rest
        .chars()
        .take_while(|c| "〇一二三四五六七八九十百".contains(*c))
        .collect();
    !num.is_empty() && (rest[num.len()..].starts_with('條') || rest[num.len()..].starts_with('条'))
}

/// `[1]吳建偉…` — a reference in a list of works cited.
fn is_reference(t: &str) -> bool {
    t.strip_prefix('[')
        .and_then(|r| r.split_once(']'))
        .is_some_and(|(d, _)| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()))
}

/// `1 管理系統的總體思路` / `2.1 指標模塊` → (depth, title).
fn digit_heading(t: &str) -> Option<(usize, &str)> {
    let num: String = t
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    if num.is_empty() || num.starts_with('.') || num.ends_with('.') || num.len() > 6 {
        return None;
    }
    let rest = t[num.len()..].strip_prefix(' ')?.trim();
    (!rest.is_empty() && rest.chars().count() <= 24 && !rest.contains(['。', ',', '，', ';', '；']))
        .then(|| (num.matches('.').count() + 1, rest))
}

/// `學校意識形態工作分析研判制度一、建立…` → (`學校意識形態工作分析研判制度`, `一、建立…`).
pub fn glued_title(t: &str) -> Option<(&str, &str)> {
    let p = t.find("一、")?;
    if p == 0 {
        return None;
    }
    let title = &t[..p];
    let n = title.chars().count();
    let titled = [
        "制度", "辦法", "办法", "規定", "规定", "細則", "细则", "方案", "規則", "规则", "章程",
        "機制", "机制",
    ]
    .iter()
    .any(|s| title.ends_with(s));
    let clean = !title.contains(|c: char| "，,。、:：;；“”\"()（）《》".contains(c));
    (titled && clean && (4..=30).contains(&n) && parse_num(title).is_none())
        .then(|| (title, &t[p..]))
}

/// Does the line start in the middle of a quotation (a `”` before any `“`)?
fn starts_mid_quote(t: &str) -> bool {
    match (t.find('”'), t.find('“')) {
        (Some(c), Some(o)) => c < o,
        (Some(_), None) => true,
        _ => false,
    }
}

/// Indices of the lines where articles start (the first is always 0).
///
/// Linear in the number of lines: each line is classified once, and what the current
/// article holds so far is kept as it grows (scanning it again for every line made a long
/// unnumbered document take minutes).
fn article_starts(texts: &[&str]) -> Vec<usize> {
    let mut starts = Vec::new();
    if texts.is_empty() {
        return starts;
    }
    starts.push(0);
    let kinds: Vec<Kind> = texts.iter().map(|t| kind(t)).collect();
    let glued: Vec<bool> = texts.iter().map(|t| glued_title(t).is_some()).collect();
    let numbered = |k: usize| kinds[k] != Kind::Plain || glued[k];
    // An introduction just before a new start goes with the new article.
    let back_up = |k: usize, floor: usize| -> usize {
        let mut b = k;
        while b > floor + 1 && k - b < 2 && !numbered(b - 1) && texts[b - 1].chars().count() > 30 {
            b -= 1;
        }
        if b < k && numbered(b - 1) {
            b
        } else {
            k
        }
    };
    let mut cur = 0;
    // What the lines cur..seen of the current article hold.
    let mut seen = 0;
    let (mut has_top, mut has_tiao, mut has_glued) = (false, false, false);
    for k in 1..texts.len() {
        while seen < k {
            has_top |=
                matches!(kinds[seen], Kind::Cn(_) | Kind::Tiao | Kind::DigitHeading) || glued[seen];
            has_tiao |= kinds[seen] == Kind::Tiao;
            has_glued |= glued[seen];
            seen += 1;
        }
        let t = texts[k];
        let mut start = None;
        if kinds[k] == Kind::Plain && !glued[k] && starts_mid_quote(t) {
            start = Some(k);
        } else if has_top
            && ((kinds[k] == Kind::Cn(1) && !glued[k]) || (kinds[k] == Kind::Tiao && !has_tiao))
        {
            // `一、` again, or a switch to `第N條`.
            start = Some(back_up(k, cur));
        } else if glued[k] && !has_glued {
            // The first rule of a rule set may have lost its title and `一、`: the run of
            // `二、三、…` just before the first run-in title belongs to the set.
            let mut j = k;
            let mut expect: Option<u32> = None;
            while j > cur + 1 {
                let Kind::Cn(v) = kinds[j - 1] else {
                    break;
                };
                if expect.is_some_and(|e| v + 1 != e) {
                    break;
                }
                expect = Some(v);
                j -= 1;
            }
            if j < k && expect.is_some_and(|v| v > 1) {
                start = Some(j);
            }
        }
        if let Some(s) = start {
            if s > cur {
                starts.push(s);
                cur = s;
                seen = s;
                (has_top, has_tiao, has_glued) = (false, false, false);
            }
        }
    }
    starts
}

/// A page title from an article's lines: the first sentence of an introduction, else the
/// first heading, else the start of the first line.
fn article_title(ts: &[&str]) -> String {
    let Some(first) = ts.first() else {
        return String::new();
    };
    if kind(first) == Kind::Plain && !starts_mid_quote(first) && glued_title(first).is_none() {
        return first_sentence(first);
    }
    for t in ts {
        if let Some((title, _)) = glued_title(t) {
            return title.to_string();
        }
        if let Some((_, title)) = digit_heading(t) {
            return title.to_string();
        }
        if let Some((Num::Cn(_), rest)) = parse_num(t) {
            if is_title(rest) {
                return rest.trim_end_matches('。').to_string();
            }
        }
    }
    first_sentence(first)
}

/// The first clause of at least 6 characters, at most 30 characters long.
fn first_sentence(t: &str) -> String {
    let mut s = String::new();
    for c in t.chars() {
        if "。；;！？!?".contains(c) {
            break;
        }
        if ",，:：".contains(c) && s.chars().count() >= 6 {
            break;
        }
        s.push(c);
    }
    if s.chars().count() > 30 {
        s = s.chars().take(30).collect::<String>() + "…";
    }
    s
}

/// A heading's text: short, one clause.
fn is_title(rest: &str) -> bool {
    let core = rest.trim_end_matches('。');
    !core.is_empty()
        && core.chars().count() <= 24
        && !core.contains(['。', '；', ';', '，', ',', ':', '：'])
}

/// One article line as Markdown; `next` is the line after it in the same article.
/// `deep` moves numbered headings down a level (under a rule's run-in title).
fn line_markdown(
    lines: &mut Lines<'_>,
    i: usize,
    t: &str,
    next: Option<&str>,
    deep: usize,
) -> String {
    if let Some((title, rest)) = glued_title(t) {
        lines.repair(
            i,
            format!("run-in title `{title}` split off its first item"),
        );
        return format!(
            "## {}\n\n{}",
            md_escape(title),
            line_markdown_plain(rest, next, 1)
        );
    }
    line_markdown_plain(t, next, deep)
}

/// Is `t` numbered at the same level as `num` (or higher), or a run-in rule title?
fn sibling_or_higher(num: Num, t: &str) -> bool {
    if glued_title(t).is_some() || is_tiao(t) {
        return true;
    }
    let rank = Num::level;
    parse_num(t).is_some_and(|(n, _)| rank(n) <= rank(num))
}

/// A heading: a short numbered line with content under it (not followed by a sibling).
fn heading_line(num: Num, rest: &str, next: Option<&str>) -> bool {
    let core = rest.trim_end_matches(['。', ':', '：']);
    let has_body = next.is_some_and(|n| !sibling_or_higher(num, n));
    has_body
        && !core.is_empty()
        && core.chars().count() <= 24
        && !core.contains(['。', '；', ';', ':', '：'])
}

fn line_markdown_plain(t: &str, next: Option<&str>, deep: usize) -> String {
    if let Some((depth, _)) = digit_heading(t) {
        return format!("{} {}\n\n", "#".repeat(depth + 1), md_escape(t));
    }
    let h = |level: usize| format!("{} {}\n\n", "#".repeat(level + deep), md_escape(t));
    match parse_num(t) {
        Some((num @ Num::Cn(_), rest)) if heading_line(num, rest, next) => h(2),
        Some((num @ Num::CnParen(_), rest)) if heading_line(num, rest, next) => h(3),
        Some((num @ Num::Ar(_), rest))
            if heading_line(num, rest, next) && rest.chars().count() <= 12 =>
        {
            h(4)
        }
        Some((Num::Cn(_) | Num::CnParen(_), _)) => format!("{}\n\n", run_in(t)),
        None if t.chars().count() <= 6 && !t.contains(|c: char| !is_han(c)) => {
            format!("## {}\n\n", md_escape(t))
        }
        _ => format!("{}\n\n", md_escape(t)),
    }
}

/// `(一)自查。每年…` → `**(一)自查**。每年…`.
fn run_in(t: &str) -> String {
    if let Some(p) = t.find('。') {
        let head = &t[..p];
        let tail = &t[p..];
        if let Some((_, rest)) = parse_num(head) {
            if is_title(rest) && tail.chars().count() > 1 {
                return format!("**{}**{}", md_escape(head), md_escape(tail));
            }
        }
    }
    md_escape(t)
}

/// Escape text so that Markdown shows it as written.
pub fn md_escape(t: &str) -> String {
    let mut s = String::with_capacity(t.len());
    for c in t.chars() {
        if "\\`*_[]<>|~&".contains(c) {
            s.push('\\');
        }
        s.push(c);
    }
    // Line starts that Markdown reads as blocks: `# `, `- `, `+ `, `1. `, `1) `.
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    if s.starts_with('#') || s.starts_with("- ") || s.starts_with("+ ") {
        s.insert(0, '\\');
    } else if digits > 0 && (s[digits..].starts_with(". ") || s[digits..].starts_with(") ")) {
        s.insert(digits, '\\');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinyin_is_stripped_and_real_parentheses_stay() {
        assert_eq!(strip_pinyin("時(shí)間:2022").0, "時間:2022");
        assert_eq!(
            strip_pinyin("考核表(附表2)。各地(dì)").0,
            "考核表(附表2)。各地"
        );
        assert_eq!(strip_pinyin("(一)各鄉(xiāng)鎮(zhèn)").0, "(一)各鄉鎮");
        assert_eq!(strip_pinyin("(1)創(chuàng)建").0, "(1)創建");
        assert_eq!(strip_pinyin("我們(men)的").0, "我們的");
        assert_eq!(strip_pinyin("見(see)表").0, "見(see)表");
        assert_eq!(strip_pinyin("19(5):4-6").0, "19(5):4-6");
        assert_eq!(strip_pinyin("部門(mén)").1, 1);
    }

    #[test]
    fn syllables() {
        for s in [
            "shí", "jiān", "zhuàng", "lǜ", "nǚ", "er", "a", "men", "xiong",
        ] {
            assert!(is_syllable(s), "{s}");
        }
        for s in ["see", "abc", "GB", "附表2", "http"] {
            assert!(!is_syllable(s), "{s}");
        }
    }

    #[test]
    fn glued_titles() {
        assert_eq!(
            glued_title("學校意識形態工作分析研判制度一、建立分析研判機構。"),
            Some(("學校意識形態工作分析研判制度", "一、建立分析研判機構。"))
        );
        assert_eq!(glued_title("一、考核目的"), None);
        assert_eq!(glued_title("各地要按照一、二類標準"), None);
    }

    #[test]
    fn escaping() {
        assert_eq!(md_escape("[5](以下簡稱)"), "\\[5\\](以下簡稱)");
        assert_eq!(md_escape("1. 標題"), "1\\. 標題");
        assert_eq!(md_escape("t_1"), "t\\_1");
    }

    #[test]
    fn boundaries() {
        let t = [
            "一、目的",
            "正文。",
            "二、對象",
            "正文。",
            "特色報告”,對國家重點關注的環保工作。",
            "1 總體思路",
            "正文。",
            "[1]文獻",
            "一、項目目標",
            "(一)總目標",
            "居民死亡報告和死因統計工作是制定社會經濟和衛生事業發展規劃的重要依據,也是重要內容。",
            "一、領導重視,機構健全。",
            "第二條本辦法考核評價培訓工作。",
            "第三條考核評價的項目。",
            "一、工作總結",
            "(一)考勤管理",
            "一是規範考勤審批流程。",
            "二、各支部每月報告一次意識形態工作。",
            "三、遇到重大問題隨時報告。",
            "學校意識形態工作分析研判制度一、建立分析研判機構。",
            "二、分析研判時間。",
            "學校意識形態工作領導閱評制度一、閱評領導。",
            "學校意識形態工作聯系溝通制度一、與各?!敖Y對子”,建立聯系。",
            "一、生態縣創建目標",
        ];
        assert_eq!(article_starts(&t), vec![0, 4, 8, 10, 12, 14, 17, 23]);
    }
}
