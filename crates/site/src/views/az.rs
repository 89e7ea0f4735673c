//! The A–Z index (事项索引) of an organisation: every matter — procedure, form, division
//! topic and detailed duty — under a short title, sorted by pinyin and grouped by its first
//! letter, the way a printed handbook's index reads.
//!
//! Titles of duties drop their leading verb and scope (负责全市… → …), so that the index is
//! sorted by what the matter is about rather than by 负责. Sorting compares the toneless
//! pinyin of each character, then the tone, then the characters themselves, so it is total
//! and deterministic.

use super::matrix::short_title;
use super::{Place, Section};
use crate::resolve::Site;
use pinyin::ToPinyin;

/// What kind of matter an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Procedure,
    Form,
    Division,
    Duty,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Procedure => "工作流程",
            Kind::Form => "表单",
            Kind::Division => "职责分工",
            Kind::Duty => "细化职责",
        }
    }
}

/// One entry of the index.
#[derive(Debug, Clone)]
pub struct Entry {
    pub title: String,
    pub kind: Kind,
    pub place: Place,
    /// The department it belongs to (none: the organisation's own division).
    pub dept: Option<usize>,
    /// Sort key: pinyin syllables (with tone digits) or the characters themselves.
    pub key: Vec<String>,
}

/// Entries under one letter.
#[derive(Debug, Clone)]
pub struct Group {
    /// `A`–`Z`, or `#` for titles that start with neither a letter nor a Chinese character.
    pub letter: char,
    pub entries: Vec<Entry>,
}

const LEADING: &[&str] = &[
    "负责",
    "牵头",
    "承担",
    "协助",
    "配合",
    "参与",
    "做好",
    "组织",
    "按照规定",
    "按规定",
];
const SCOPE: &[&str] = &["全市", "全局", "局机关", "本局", "市政府"];

/// A duty's index title: its first phrase without the leading verb and scope.
pub fn duty_title(text: &str) -> String {
    let t = short_title(text);
    let mut s = t.as_str();
    for _ in 0..2 {
        for w in LEADING {
            if let Some(rest) = s.strip_prefix(w) {
                if rest.chars().count() >= 2 {
                    s = rest;
                }
            }
        }
    }
    for w in SCOPE {
        if let Some(rest) = s.strip_prefix(w) {
            if rest.chars().count() >= 2 {
                s = rest;
            }
        }
    }
    s.trim_start_matches(['、', '，', ' ']).to_string()
}

/// The pinyin sort key of a title.
pub fn sort_key(title: &str) -> Vec<String> {
    title
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c.to_pinyin() {
            // Plain syllable, then the tone digit: 安 ān < 暗 àn < 八 bā.
            Some(p) => {
                let tone = p
                    .with_tone_num_end()
                    .chars()
                    .last()
                    .filter(char::is_ascii_digit)
                    .unwrap_or('5');
                format!("{}{tone}", p.plain())
            }
            None => c.to_lowercase().collect(),
        })
        .collect()
}

/// The letter a title is filed under.
pub fn letter_of(title: &str) -> char {
    let Some(c) = title
        .chars()
        .find(|c| !c.is_whitespace() && !"《“\"(（【[".contains(*c))
    else {
        return '#';
    };
    let l = match c.to_pinyin() {
        Some(p) => p.plain().chars().next().unwrap_or('#'),
        None => c,
    };
    let l = l.to_ascii_uppercase();
    if l.is_ascii_uppercase() {
        l
    } else {
        '#'
    }
}

/// The index of organisation `org`, grouped by letter (A–Z, then #).
pub fn index(site: &Site, org: usize) -> Vec<Group> {
    let o = &site.orgs[org];
    let mut entries = Vec::new();
    let mut push = |title: String, kind: Kind, place: Place| {
        let title = title.trim().to_string();
        if title.is_empty() {
            return;
        }
        entries.push(Entry {
            key: sort_key(&title),
            dept: place.dept(),
            title,
            kind,
            place,
        });
    };
    for (item, d) in o.raw.division.iter().enumerate() {
        let title = d
            .topic()
            .map(str::to_string)
            .unwrap_or_else(|| short_title(d.text()));
        push(title, Kind::Division, Place::OrgDivision { item });
    }
    for (di, d) in o.depts.iter().enumerate() {
        for (pi, p) in d.raw.procedures.iter().enumerate() {
            push(
                p.name.clone(),
                Kind::Procedure,
                Place::Procedure {
                    dept: di,
                    procedure: pi,
                },
            );
        }
        for (fi, f) in d.raw.forms.iter().enumerate() {
            push(
                f.name.clone(),
                Kind::Form,
                Place::Form { dept: di, form: fi },
            );
        }
        for section in Section::ALL {
            for (item, it) in section.items(&d.raw).iter().enumerate() {
                if let Some(topic) = it.topic() {
                    push(
                        topic.trim_end_matches(['。', '．', '.']).to_string(),
                        Kind::Division,
                        Place::Division {
                            dept: di,
                            section,
                            item,
                        },
                    );
                }
            }
        }
        for (duty, t) in d.raw.duties.iter().enumerate() {
            push(
                duty_title(t.text()),
                Kind::Duty,
                Place::Duty { dept: di, duty },
            );
        }
    }
    entries.sort_by(|a, b| {
        (&a.key, &a.title, a.kind, a.place).cmp(&(&b.key, &b.title, b.kind, b.place))
    });
    let mut groups: Vec<Group> = Vec::new();
    for e in entries {
        let l = letter_of(&e.title);
        match groups.iter_mut().find(|g| g.letter == l) {
            Some(g) => g.entries.push(e),
            None => groups.push(Group {
                letter: l,
                entries: vec![e],
            }),
        }
    }
    groups.sort_by_key(|g| (g.letter == '#', g.letter));
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinyin_order_and_letters() {
        let mut t = vec!["政府采购", "安全生产", "办公用品采购", "保密"];
        t.sort_by_key(|s| sort_key(s));
        assert_eq!(t, ["安全生产", "办公用品采购", "保密", "政府采购"]);
        assert_eq!(letter_of("《会议审批单》"), 'H');
        assert_eq!(letter_of("“专精特新”申报"), 'Z');
        assert_eq!(letter_of("123"), '#');
    }

    #[test]
    fn duty_titles_drop_the_leading_verb() {
        assert_eq!(
            duty_title("负责全市工业和信息化领域企业技术改造管理。拟订…"),
            "工业和信息化领域企业技术改造管理"
        );
    }
}
