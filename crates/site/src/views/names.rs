//! Finding departments in text: mentions of the organisation's own departments (by name,
//! alias or plaque), and names written as if they were departments (`财务科`, `企业公共服务科`)
//! that match none.
//!
//! A department-like name is a run of Chinese characters ending in one of the suffixes the
//! organisation's own departments end in (科, 处, 室 …), cut at the nearest function word
//! (和, 与, 由, 报 …) unless a known name fits. Generic words (各科室, 承办科室, 会议室) and
//! sections of outside bodies (市财政局预算科) are not department names.

use crate::resolve::{Site, Target};
use aho_corasick::{AhoCorasick, MatchKind};
use zhize_core::bodies::{qualified_by_other, OwnNames};
use zhize_core::text::is_han;

/// A department of the organisation named in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeptMention {
    /// Byte range of the name in the text.
    pub start: usize,
    pub end: usize,
    /// Index of the department in its organisation.
    pub dept: usize,
}

/// Finds an organisation's departments in its texts.
#[derive(Debug, Clone)]
pub struct Finder {
    automaton: Option<AhoCorasick>,
    depts: Vec<usize>,
    /// Every name that means something in the organisation (departments, outside bodies,
    /// posts, the organisation itself), longest first.
    known: Vec<String>,
    /// Last characters of the department names (科, 处, 室 …).
    suffixes: Vec<char>,
    /// The organisation's own names: a department's name glued to another body's name
    /// (市政府办公室) is not a mention of it.
    own: OwnNames,
}

/// Characters that end a name when read backwards from its suffix.
const STOP_CHARS: &str =
    "和与及或、的由向经将在把对从为于是并交至送其报请同即该此等按据以给被则而且又后前把";
/// Words that end a name when read backwards.
const STOP_WORDS: &[&str] = &[
    "负责", "配合", "协助", "会同", "牵头", "报送", "抄送", "提交", "交由", "移交", "联系", "指导",
    "通知", "告知", "组织", "协调",
];
/// Leading words of generic phrases: 各科, 相关科室, 承办科室.
const GENERIC_PREFIXES: &[&str] = &[
    "各", "本", "该", "相关", "有关", "业务", "承办", "牵头", "责任", "其他", "其它", "上述",
    "所在", "对口", "主管", "职能", "内设", "下属", "直属", "具体", "一个", "多个", "相应", "归口",
    "原",
];
/// Rooms, not departments.
const ROOMS: &[&str] = &[
    "会议室",
    "档案室",
    "阅览室",
    "机要室",
    "值班室",
    "实验室",
    "工作室",
    "接待室",
    "资料室",
    "保密室",
    "荣誉室",
    "活动室",
    "文印室",
    "收发室",
    "储藏室",
    "休息室",
    "设备室",
    "电话室",
    "监控室",
    "医疗室",
    "办公室",
];
/// What may not follow a suffix for it to end a name: 科技, 处理, 室内.
const CONTINUATIONS: &[(char, &str)] = &[
    ('科', "技学研普室长员级目教创类"),
    ('处', "理置罚分长级室于在境事方所得"),
    ('室', "内外长主温"),
];
/// What may not come right before a suffix: 阅处 (read and deal with), 此处, 之处.
const BEFORE_SUFFIX: &[(char, &str)] = &[('处', "阅理之此各何好难益用坏去出住判惩查论远近深到")];
/// Joining words that may also be part of a name (规划与技术改造科).
const JOINING: &[char] = &['与', '和', '及'];
/// Bodies whose sections are named in text; a name holding one is not ours.
const OUTSIDE_MARKERS: &[char] = &[
    '厅', '局', '委', '部', '署', '院', '府', '省', '市', '县', '区',
];

impl Finder {
    /// The finder of organisation `org`.
    pub fn new(site: &Site, org: usize) -> Finder {
        let o = &site.orgs[org];
        let mut pats: Vec<(String, usize)> = Vec::new();
        let mut known: Vec<String> = Vec::new();
        for (name, targets) in &o.names {
            let name = name.trim();
            if name.chars().count() < 2 || name.is_ascii() {
                continue;
            }
            known.push(name.to_string());
            let depts: Vec<usize> = targets
                .iter()
                .filter_map(|t| match t {
                    Target::Dept(_, d) => Some(*d),
                    _ => None,
                })
                .collect();
            if let [d] = depts[..] {
                pats.push((name.to_string(), d));
            }
        }
        // 非公有制经济(中小企业)发展科 is written with either kind of bracket.
        let ascii: Vec<String> = known
            .iter()
            .filter(|k| k.contains(['（', '）']))
            .map(|k| k.replace('（', "(").replace('）', ")"))
            .collect();
        known.extend(ascii);
        known.push(o.raw.name.clone());
        known.extend(o.raw.aliases.iter().cloned());
        known.extend(o.raw.plaques.iter().cloned());
        known.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        known.dedup();
        pats.sort();
        // A contiguous NFA: quick to build (a DFA over Chinese names takes milliseconds and
        // half a megabyte, and a finder is made for each view of an organisation).
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
            .build(pats.iter().map(|(n, _)| n.as_str()))
            .ok();
        let mut suffixes: Vec<char> = o
            .depts
            .iter()
            .filter_map(|d| d.raw.name.trim().chars().last())
            .filter(|c| "科处室".contains(*c))
            .collect();
        suffixes.sort_unstable();
        suffixes.dedup();
        Finder {
            automaton,
            depts: pats.into_iter().map(|(_, d)| d).collect(),
            known,
            suffixes,
            own: crate::resolve::own_names(&o.raw),
        }
    }

    /// Departments named in `text`, in order, never overlapping.
    pub fn find(&self, text: &str) -> Vec<DeptMention> {
        let Some(ac) = &self.automaton else {
            return Vec::new();
        };
        ac.find_iter(text)
            .filter(|m| !qualified_by_other(&text[..m.start()], &self.own))
            .map(|m| DeptMention {
                start: m.start(),
                end: m.end(),
                dept: self.depts[m.pattern().as_usize()],
            })
            .collect()
    }

    /// Is `name` known in the organisation (a department, outside body, post …)?
    pub fn is_known(&self, name: &str) -> bool {
        self.known.iter().any(|k| k == name)
    }

    /// Names in `text` written as departments that the organisation does not have: byte
    /// range and name. Each occurrence is reported.
    pub fn unknown_dept_names(&self, text: &str) -> Vec<(usize, usize, String)> {
        let mut out = Vec::new();
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        // End of the last section of an outside body (市司法局备案审查科), so that the names
        // listed after it (、行政执法监督科) count as that body's too.
        let mut outside_end: Option<usize> = None;
        for (k, &(i, c)) in chars.iter().enumerate() {
            if !self.suffixes.contains(&c) {
                continue;
            }
            let end = i + c.len_utf8();
            if let Some(&(_, next)) = chars.get(k + 1) {
                let blocked = CONTINUATIONS
                    .iter()
                    .any(|(s, follow)| *s == c && follow.contains(next));
                if blocked {
                    continue;
                }
            }
            if k > 0 {
                let prev = chars[k - 1].1;
                if BEFORE_SUFFIX
                    .iter()
                    .any(|(s, before)| *s == c && before.contains(prev))
                {
                    continue;
                }
            }
            // A known name ending here wins (规划与技术改造科 holds 与).
            if self.known.iter().any(|n| text[..end].ends_with(n.as_str())) {
                continue;
            }
            // Walk back over Chinese characters, at most 12.
            let mut s = k;
            while s > 0 && k - s < 12 && is_han(chars[s - 1].1) {
                s -= 1;
            }
            let run_start = chars[s].0;
            let limited = s > 0 && k - s >= 12 && is_han(chars[s - 1].1);
            let run = &text[run_start..end];
            let body_end = run.len() - c.len_utf8();
            // Cut at the last function word or character. 与 / 和 / 及 join two names only
            // when the words before them are a known name (办公室和财务科); otherwise they
            // are part of the name (生态保护与环境监测科).
            let mut cut = 0;
            for w in STOP_WORDS {
                if let Some(p) = run[..body_end].rfind(w) {
                    cut = cut.max(p + w.len());
                }
            }
            for (bi, ch) in run[..body_end].char_indices() {
                if STOP_CHARS.contains(ch) && !JOINING.contains(&ch) {
                    cut = cut.max(bi + ch.len_utf8());
                }
            }
            for (bi, ch) in run[..body_end].char_indices() {
                if bi >= cut && JOINING.contains(&ch) {
                    let left = &run[cut..bi];
                    if left.is_empty() || self.known.iter().any(|n| left.ends_with(n.as_str())) {
                        cut = bi + ch.len_utf8();
                    }
                }
            }
            if cut == 0 && limited {
                continue; // no clear start: not sure where the name begins
            }
            let mut name = &run[cut..];
            // Strip generic leading words; what remains must still look like a name.
            let mut generic = false;
            for p in GENERIC_PREFIXES {
                if let Some(rest) = name.strip_prefix(p) {
                    generic = true;
                    name = rest;
                }
            }
            let start = run_start + cut + (run[cut..].len() - name.len());
            let n = name.chars().count();
            if generic || !(3..=12).contains(&n) {
                continue;
            }
            if name.ends_with("科室")
                || name.ends_with("处室")
                || ROOMS.iter().any(|r| name.ends_with(r))
            {
                continue;
            }
            let body: String = name.chars().take(n - 1).collect();
            let listed_after_outside = outside_end
                .is_some_and(|e| e <= start && text[e..start].chars().all(|c| c == '、'));
            if body.chars().any(|ch| OUTSIDE_MARKERS.contains(&ch)) || listed_after_outside {
                outside_end = Some(end);
                continue;
            }
            if self.is_known(name) {
                continue;
            }
            out.push((start, end, name.to_string()));
        }
        out
    }

    /// Does an unresolved actor look like one of our departments (ends in our suffixes)?
    pub fn looks_like_dept(&self, name: &str) -> bool {
        let name = name.trim();
        let Some(last) = name.chars().last() else {
            return false;
        };
        self.suffixes.contains(&last)
            && name.chars().count() >= 3
            && !GENERIC_PREFIXES.iter().any(|p| name.starts_with(p))
            && !name.ends_with("科室")
            && !name.ends_with("处室")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finder(names: &[&str]) -> Finder {
        Finder {
            automaton: None,
            depts: Vec::new(),
            known: names.iter().map(|s| s.to_string()).collect(),
            suffixes: vec!['科', '处', '室'],
            own: OwnNames::default(),
        }
    }

    fn unknown(f: &Finder, t: &str) -> Vec<String> {
        f.unknown_dept_names(t).into_iter().map(|x| x.2).collect()
    }

    #[test]
    fn unknown_names_are_cut_at_function_words() {
        let f = finder(&["办公室", "装备产业科", "规划与技术改造科"]);
        assert_eq!(
            unknown(&f, "此表一式二份，由办公室和财务科分别留存。"),
            ["财务科"]
        );
        assert_eq!(
            unknown(
                &f,
                "改革工作。企业公共服务科负责联系指导协会的牵头工作；装备产业科负责"
            ),
            ["企业公共服务科"]
        );
        assert!(unknown(&f, "规划与技术改造科负责牵头").is_empty());
        assert_eq!(
            unknown(&f, "承担联系村工作，生态保护与环境监测科负责扶贫工作"),
            ["生态保护与环境监测科"]
        );
    }

    #[test]
    fn generic_words_and_outside_sections_are_not_names() {
        let f = finder(&["办公室"]);
        for t in [
            "各科室对文件进行承办",
            "承办科室负责人",
            "报市财政局预算科审核",
            "推进科技创新",
            "在会议室召开",
            "由相关业务科负责",
            "确需到酒店会议室召开会议",
            "与市司法局备案审查科、行政执法监督科、普法与依法治理科就做好法制审核",
            "转发有关部门及单位阅处",
        ] {
            assert!(unknown(&f, t).is_empty(), "{t}: {:?}", unknown(&f, t));
        }
    }
}
