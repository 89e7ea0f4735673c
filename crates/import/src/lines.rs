//! Tools every document parser shares: a cursor over numbered lines that remembers which
//! lines were used (so nothing is lost), the numbering tokens of Chinese official documents,
//! and clean-up of export noise.

use super::document::Line;
use super::{Repair, Unparsed};

/// The lines of a document and which of them have been put into a field.
pub struct Lines<'a> {
    pub lines: &'a [Line],
    used: Vec<bool>,
    pub repairs: Vec<Repair>,
}

impl<'a> Lines<'a> {
    pub fn new(lines: &'a [Line]) -> Self {
        Lines {
            lines,
            used: vec![false; lines.len()],
            repairs: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Text of line at index `i` (0-based), trimmed.
    pub fn text(&self, i: usize) -> &'a str {
        self.lines[i].text.trim()
    }

    /// 1-based source line number of index `i`.
    pub fn no(&self, i: usize) -> usize {
        self.lines[i].no
    }

    /// Mark index `i` as put into a field.
    pub fn used(&mut self, i: usize) {
        if let Some(u) = self.used.get_mut(i) {
            *u = true;
        }
    }

    pub fn is_used(&self, i: usize) -> bool {
        self.used.get(i).copied().unwrap_or(true)
    }

    /// Mark index `i` used and return its text.
    pub fn take(&mut self, i: usize) -> &'a str {
        self.used(i);
        self.text(i)
    }

    /// Record a repair at index `i`.
    pub fn repair(&mut self, i: usize, what: impl Into<String>) {
        let line = self.lines.get(i).map_or(0, |l| l.no);
        self.repairs.push(Repair {
            line,
            what: what.into(),
        });
    }

    /// Is index `i` blank (empty or whitespace only)?
    pub fn blank(&self, i: usize) -> bool {
        self.text(i).is_empty()
    }

    /// Every non-blank line no parser used, in order.
    pub fn unparsed(&self) -> Vec<Unparsed> {
        self.lines
            .iter()
            .enumerate()
            .filter(|(i, l)| !self.used[*i] && !l.text.trim().is_empty())
            .map(|(_, l)| Unparsed {
                line: l.no,
                text: l.text.trim().to_string(),
            })
            .collect()
    }

    /// Mark page-break noise as used and record it: lines made of a single space between
    /// blank lines, and page footers such as `— 3 —`.
    pub fn drop_noise(&mut self) {
        for i in 0..self.lines.len() {
            let raw = &self.lines[i].text;
            let t = raw.trim();
            let page_break = !raw.is_empty() && t.is_empty();
            let footer = is_page_footer(t);
            if page_break || footer {
                self.used(i);
                if footer {
                    self.repair(i, format!("page footer `{t}` dropped"));
                }
            }
        }
    }
}

/// `— 3 —`, `- 12 -`, `第 3 页`: page numbers left by the export.
pub fn is_page_footer(t: &str) -> bool {
    let inner = t.trim_matches(|c: char| matches!(c, '—' | '-' | '－' | ' ' | '–'));
    (inner.len() < t.len() && !inner.is_empty() && inner.chars().all(|c| c.is_ascii_digit()))
        || (t.starts_with('第')
            && t.ends_with('页')
            && t.chars().filter(|c| c.is_ascii_digit()).count() > 0
            && t.chars().count() < 10)
}

/// Strip Markdown export marks: heading hashes, `**bold**`, a leading `- ` list marker.
pub fn strip_markdown(s: &str) -> String {
    let t = s.trim().trim_start_matches('#').trim_start();
    let t = t.strip_prefix("- ").unwrap_or(t);
    t.replace("**", "").trim().to_string()
}

/// The numbering tokens of Chinese official documents, by level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Num {
    /// `一、`
    Cn(u32),
    /// `（一）` / `(一)`
    CnParen(u32),
    /// `1.` / `1、` / `1．`
    Ar(u32),
    /// `（1）` / `(1)`
    ArParen(u32),
    /// `1.1`
    Sub(u32, u32),
    /// `①`
    Circ(u32),
}

impl Num {
    /// The level of this kind of numbering in an official document's outline: `一、` (0)
    /// above `（一）` (1) above `1.` and `1.1` (2) above `（1）` (3) above `①` (4).
    pub fn level(self) -> u8 {
        match self {
            Num::Cn(_) => 0,
            Num::CnParen(_) => 1,
            Num::Ar(_) | Num::Sub(..) => 2,
            Num::ArParen(_) => 3,
            Num::Circ(_) => 4,
        }
    }
}

/// Value of a Chinese numeral up to 99 (`十二` → 12).
pub fn cn_value(s: &str) -> Option<u32> {
    let digit = |c: char| {
        "〇一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|v| v as u32)
    };
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c).filter(|v| *v > 0),
        ['十', u] => digit(*u).map(|v| 10 + v),
        [t, '十'] => digit(*t).map(|v| v * 10),
        [t, '十', u] => Some(digit(*t)? * 10 + digit(*u)?),
        _ => None,
    }
}

/// Parse a leading numbering token; returns it and the rest of the line (trimmed).
pub fn parse_num(s: &str) -> Option<(Num, &str)> {
    let s = s.trim_start();
    let s = s.strip_prefix("- ").unwrap_or(s);
    // （一） (一) （1） (1)
    for (open, close) in [('（', '）'), ('(', ')'), ('(', '）'), ('（', ')')] {
        if let Some(rest) = s.strip_prefix(open) {
            if let Some(end) = rest.find(close) {
                let inner = rest[..end].trim();
                let after = rest[end + close.len_utf8()..].trim_start();
                if let Some(v) = cn_value(inner) {
                    return Some((Num::CnParen(v), after));
                }
                if !inner.is_empty()
                    && inner.len() <= 3
                    && inner.chars().all(|c| c.is_ascii_digit())
                {
                    return inner.parse().ok().map(|v| (Num::ArParen(v), after));
                }
            }
        }
    }
    // ①…⑳
    if let Some(c) = s.chars().next() {
        if ('①'..='⑳').contains(&c) {
            return Some((
                Num::Circ(c as u32 - '①' as u32 + 1),
                s[c.len_utf8()..].trim_start(),
            ));
        }
    }
    // 一、
    if let Some(i) = s.find('、') {
        if let Some(v) = cn_value(&s[..i]) {
            return Some((Num::Cn(v), s[i + '、'.len_utf8()..].trim_start()));
        }
    }
    // 1.1 / 1. / 1、 / 1．
    let digits: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
    if !digits.is_empty() && digits.len() <= 3 {
        let rest = &s[digits.len()..];
        let n: u32 = digits.parse().ok()?;
        if let Some(r) = rest.strip_prefix('.') {
            let sub: String = r.chars().take_while(|c| c.is_ascii_digit()).collect();
            if !sub.is_empty() && sub.len() <= 2 {
                return Some((Num::Sub(n, sub.parse().ok()?), r[sub.len()..].trim_start()));
            }
            return Some((Num::Ar(n), r.trim_start()));
        }
        for sep in ['、', '．'] {
            if let Some(r) = rest.strip_prefix(sep) {
                return Some((Num::Ar(n), r.trim_start()));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_tokens() {
        assert_eq!(
            parse_num("（一）负责文电"),
            Some((Num::CnParen(1), "负责文电"))
        );
        assert_eq!(parse_num("(十二) 化工"), Some((Num::CnParen(12), "化工")));
        assert_eq!(
            parse_num("- (四) 政务信息"),
            Some((Num::CnParen(4), "政务信息"))
        );
        assert_eq!(parse_num("二、细化职责"), Some((Num::Cn(2), "细化职责")));
        assert_eq!(parse_num("12. 负责"), Some((Num::Ar(12), "负责")));
        assert_eq!(parse_num("1、负责"), Some((Num::Ar(1), "负责")));
        assert_eq!(parse_num("1.1 入党"), Some((Num::Sub(1, 1), "入党")));
        assert_eq!(parse_num("（3）填写"), Some((Num::ArParen(3), "填写")));
        assert_eq!(parse_num("③为什么"), Some((Num::Circ(3), "为什么")));
        assert_eq!(parse_num("负责文电"), None);
        assert_eq!(parse_num("2020年"), None);
        assert_eq!(cn_value("二十"), Some(20));
    }

    #[test]
    fn page_footers() {
        assert!(is_page_footer("— 3 —"));
        assert!(is_page_footer("- 12 -"));
        assert!(!is_page_footer("3"));
        assert!(!is_page_footer("——标题"));
    }
}
