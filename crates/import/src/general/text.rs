//! Text helpers of the general reader: traditional characters read as simplified (and put
//! back afterwards), clauses, numbered pieces inside a cell, `《…》` forms, time limits and
//! the actor at the start of a step.

use crate::lines::{parse_num, Num};
use std::collections::HashMap;
use std::sync::OnceLock;

const TS_CHARACTERS: &str = include_str!("../../../../data/opencc/TSCharacters.txt");

/// Traditional → simplified, one character to one character (OpenCC's table), only where
/// both take the same number of UTF-8 bytes, so byte offsets stay valid.
fn ts_table() -> &'static HashMap<char, char> {
    static TABLE: OnceLock<HashMap<char, char>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut m = HashMap::new();
        for line in TS_CHARACTERS.lines() {
            if line.starts_with('#') {
                continue;
            }
            let mut parts = line.split('\t');
            let (Some(from), Some(to)) = (parts.next(), parts.next()) else {
                continue;
            };
            let mut f = from.chars();
            let (Some(fc), None) = (f.next(), f.next()) else {
                continue;
            };
            let Some(tc) = to.split(' ').next().and_then(|t| {
                let mut c = t.chars();
                let first = c.next()?;
                c.next().is_none().then_some(first)
            }) else {
                continue;
            };
            if fc != tc && fc.len_utf8() == tc.len_utf8() {
                m.insert(fc, tc);
            }
        }
        m
    })
}

/// A document's text read as simplified characters, and the way back for what is written.
#[derive(Debug, Default)]
pub struct Script {
    /// Simplified character → the traditional one the document wrote, when the document
    /// is written in traditional characters.
    back: HashMap<char, char>,
}

impl Script {
    /// Simplified forms of `lines`; remembers how to write them back.
    pub fn simplify(lines: &[String]) -> (Vec<String>, Script) {
        let t = ts_table();
        let mut counts: HashMap<(char, char), usize> = HashMap::new();
        let mut native: HashMap<char, usize> = HashMap::new();
        let mut changed = 0usize;
        let out: Vec<String> = lines
            .iter()
            .map(|l| {
                l.chars()
                    .map(|c| match t.get(&c) {
                        Some(&s) => {
                            changed += 1;
                            *counts.entry((s, c)).or_default() += 1;
                            s
                        }
                        None => {
                            *native.entry(c).or_default() += 1;
                            c
                        }
                    })
                    .collect()
            })
            .collect();
        let mut back: HashMap<char, (char, usize)> = HashMap::new();
        // A document in traditional characters: write back every simplified character it
        // used in traditional form, unless the document also wrote it as simplified.
        if changed >= 8 {
            for ((s, c), n) in counts {
                if native.get(&s).copied().unwrap_or(0) > 0 {
                    continue;
                }
                let e = back.entry(s).or_insert((c, 0));
                if n > e.1 {
                    *e = (c, n);
                }
            }
        }
        (
            out,
            Script {
                back: back.into_iter().map(|(s, (c, _))| (s, c)).collect(),
            },
        )
    }

    /// Text as the document wrote it.
    pub fn restore(&self, s: &str) -> String {
        if self.back.is_empty() {
            return s.to_string();
        }
        s.chars()
            .map(|c| self.back.get(&c).copied().unwrap_or(c))
            .collect()
    }

    pub fn is_identity(&self) -> bool {
        self.back.is_empty()
    }
}

pub fn nchars(s: &str) -> usize {
    s.chars().count()
}

/// Ends with the end mark of a sentence or clause.
pub fn ends_terminal(s: &str) -> bool {
    let t = s.trim_end();
    let mut it = t.chars().rev();
    match it.next() {
        Some(c) if "。；;！!？?".contains(c) => true,
        Some(c) if "”’」）)".contains(c) => it.next().is_some_and(|d| "。！？；".contains(d)),
        _ => false,
    }
}

/// Clauses: stretches ending in `。`, `；` or `;` (and the last, unended one). Marks inside
/// brackets or quotes do not split.
pub fn clauses(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0i32;
    for c in s.chars() {
        match c {
            '（' | '(' | '“' | '《' | '「' => depth += 1,
            '）' | ')' | '”' | '》' | '」' => depth -= 1,
            _ => {}
        }
        cur.push(c);
        if depth <= 0 && matches!(c, '。' | '；' | ';') {
            let t = cur.trim().to_string();
            if t.chars().any(|c| !is_mark(c)) {
                out.push(t);
            }
            cur.clear();
            depth = 0;
        }
    }
    let t = cur.trim().to_string();
    if t.chars().any(|c| !is_mark(c)) {
        out.push(t);
    }
    out
}

fn is_mark(c: char) -> bool {
    c.is_whitespace() || "。；;，,、：:".contains(c)
}

/// A cell or line holding numbered pieces (`1.…；2.…`, `1．…`, `（1）…`, `①…`), split at
/// each number that follows its predecessor; otherwise None.
pub fn numbered_pieces(s: &str) -> Option<Vec<String>> {
    let s = s.trim();
    let (first, _) = parse_num(s)?;
    let class = std::mem::discriminant(&first);
    let mut starts = vec![0usize];
    let mut want = value(first) + 1;
    let idx: Vec<(usize, char)> = s.char_indices().collect();
    for (k, &(b, c)) in idx.iter().enumerate() {
        if b == 0 {
            continue;
        }
        let prev = idx[k - 1].1;
        let boundary = "；;。\u{2028}\n，, 　".contains(prev)
            || (c == '（' || c == '(' || "①②③④⑤⑥⑦⑧⑨⑩".contains(c)) && !prev.is_ascii_digit();
        if !boundary {
            continue;
        }
        if let Some((n, _)) = parse_num(&s[b..]) {
            if std::mem::discriminant(&n) == class && value(n) == want {
                starts.push(b);
                want += 1;
            }
        }
    }
    if starts.len() < 2 && !matches!(first, Num::Ar(_) | Num::ArParen(_) | Num::Circ(_)) {
        return None;
    }
    let mut out = Vec::new();
    for (k, &a) in starts.iter().enumerate() {
        let b = starts.get(k + 1).copied().unwrap_or(s.len());
        let piece = s[a..b]
            .trim()
            .trim_end_matches(['\u{2028}', '，', ','])
            .trim();
        let body = parse_num(piece).map_or(piece, |(_, r)| r);
        let body = body.trim().trim_end_matches(['；', ';']).trim();
        if !body.is_empty() {
            out.push(body.to_string());
        }
    }
    Some(out)
}

pub fn value(n: Num) -> u32 {
    match n {
        Num::Cn(v) | Num::CnParen(v) | Num::Ar(v) | Num::ArParen(v) | Num::Circ(v) => v,
        Num::Sub(_, v) => v,
    }
}

/// Measures in a cell: numbered pieces, else lines of the cell, else clauses.
pub fn measures(s: &str) -> Vec<String> {
    let s = s.trim();
    if s.is_empty() {
        return Vec::new();
    }
    if let Some(p) = numbered_pieces(s) {
        return p;
    }
    let parts: Vec<&str> = s
        .split(['\u{2028}', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() > 1 {
        return parts.iter().flat_map(|p| clauses(p)).collect();
    }
    clauses(s)
}

/// Names in `《…》` that are forms to fill in or documents issued (申请表, 通知书, 许可证 …),
/// not laws or rules.
pub fn forms_in(s: &str) -> Vec<String> {
    const FORM_END: &[&str] = &[
        "表",
        "单",
        "书",
        "笺",
        "证",
        "卡",
        "簿",
        "清册",
        "台账",
        "登记册",
        "回执",
        "凭证",
        "函",
    ];
    const RULE_END: &[&str] = &[
        "法", "条例", "办法", "规定", "规则", "细则", "意见", "决定", "通知", "方案", "纲要",
        "标准", "规范", "指南", "制度",
    ];
    let mut out: Vec<String> = Vec::new();
    let mut rest = s;
    while let Some(a) = rest.find('《') {
        let after = &rest[a + '《'.len_utf8()..];
        let Some(b) = after.find('》') else { break };
        let name = after[..b].trim();
        let base = name.trim_end_matches(['）', ')']);
        let is_form = FORM_END.iter().any(|e| name.ends_with(e))
            || (base.len() < name.len() && FORM_END.iter().any(|e| strip_paren(name).ends_with(e)));
        let is_rule = RULE_END.iter().any(|e| strip_paren(name).ends_with(e))
            && !name.ends_with("通知书")
            && !name.ends_with("决定书");
        if is_form && !is_rule && !out.iter().any(|x| x == name) {
            out.push(name.to_string());
        }
        rest = &after[b..];
    }
    out
}

/// A name without a trailing bracketed remark: `登记（备案）申请书` stays, `办法（试行）` → `办法`.
fn strip_paren(s: &str) -> &str {
    if s.ends_with(['）', ')']) {
        if let Some(k) = s.rfind(['（', '(']) {
            return &s[..k];
        }
    }
    s
}

/// A time limit named in a step or line: `5个工作日内`, `当场办理`, `即时办结` ….
pub fn time_limit(text: &str) -> Option<String> {
    for w in ["当场办结", "当场办理", "即时办结", "即时办理", "即办"] {
        if text.contains(w) {
            return Some(w.to_string());
        }
    }
    let c: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    const UNITS: &[&str] = &["个工作日", "工作日", "个小时", "小时", "个月", "日", "天"];
    let is_num = |ch: char| ch.is_ascii_digit() || "一二三四五六七八九十两".contains(ch);
    let mut k = 0;
    while k < c.len() {
        if !is_num(c[k]) || (k > 0 && is_num(c[k - 1])) {
            k += 1;
            continue;
        }
        let s = k;
        let mut e = k;
        while e < c.len() && is_num(c[e]) {
            e += 1;
        }
        let rest: String = c[e..c.len().min(e + 5)].iter().collect();
        if let Some(u) = UNITS.iter().find(|u| rest.starts_with(**u)) {
            let ue = e + u.chars().count();
            let before: String = c[s.saturating_sub(3)..s].iter().collect();
            let within = c.get(ue) == Some(&'内');
            let lead = ["不少于", "不超过", "提前"]
                .iter()
                .find(|w| before.ends_with(**w));
            if within || lead.is_some() || *u == "个工作日" {
                let mut out = String::new();
                if let Some(l) = lead {
                    out.push_str(l);
                }
                out.extend(&c[s..ue]);
                if within {
                    out.push('内');
                }
                return Some(out);
            }
        }
        k = e;
    }
    None
}

/// Words that end the name of who does a step (申请人, 窗口工作人员, 分管领导, 承办科室 …).
const ACTOR_END: &[&str] = &[
    "申请人",
    "当事人",
    "经办人",
    "承办人",
    "参保人",
    "人员",
    "负责人",
    "负责同志",
    "领导",
    "主任",
    "科长",
    "股长",
    "处长",
    "局长",
    "所长",
    "站长",
    "馆长",
    "书记",
    "会议",
    "办公会",
    "党组会",
    "党组",
    "科室",
    "股室",
    "处室",
    "窗口",
    "中心",
    "委员会",
    "调解员",
    "员",
    "组",
    "机构",
    "部门",
    "企业",
    "单位",
    "银行",
    "本人",
];

/// The actor named at the start of a step (`窗口工作人员当场…` → 窗口工作人员).
pub fn actor_of(text: &str) -> Option<String> {
    let t = text.trim().trim_start_matches('由');
    let chars: Vec<char> = t.chars().take(16).collect();
    let mut best = None;
    for len in 2..=chars.len().min(14) {
        let cand: String = chars[..len].iter().collect();
        if cand.contains(['，', '。', '、', '；', '：', ':', '《', '（', '(', ' ']) {
            break;
        }
        if ACTOR_END.iter().any(|e| cand.ends_with(e)) {
            best = Some(cand);
        }
    }
    best
}

/// Remove whitespace next to CJK characters, collapse the rest.
pub fn tidy(s: &str) -> String {
    let chars: Vec<char> = s.trim().chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() && chars[i] != crate::document::CELL_BREAK {
            let start = i;
            while i < chars.len()
                && chars[i].is_whitespace()
                && chars[i] != crate::document::CELL_BREAK
            {
                i += 1;
            }
            let before = start.checked_sub(1).map(|k| chars[k]);
            let after = chars.get(i).copied();
            let cjk = |c: char| zhize_core::text::is_cjk_text(c);
            if !(before.is_some_and(cjk) || after.is_some_and(cjk)) {
                out.push(' ');
            }
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Cell text with in-cell line breaks as new lines.
pub fn cell_text(s: &str) -> String {
    s.split(crate::document::CELL_BREAK)
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clauses_split_at_end_marks_only() {
        assert_eq!(
            clauses("负责文电、会务；承担财务工作。组织普法"),
            vec!["负责文电、会务；", "承担财务工作。", "组织普法"]
        );
        assert_eq!(
            clauses("负责（一、二；三）工作。"),
            vec!["负责（一、二；三）工作。"]
        );
    }

    #[test]
    fn numbered_measures() {
        assert_eq!(
            measures("1.严格执行审核制度；2.系统设置必填要素自动校验；3.每月抽查。"),
            vec!["严格执行审核制度", "系统设置必填要素自动校验", "每月抽查。"]
        );
        assert_eq!(
            measures("采购需求经集体研究确定，重大采购邀请纪检人员全程监督。").len(),
            1
        );
        assert_eq!(measures("1.公示\u{2028}2.接待费用每季度公示").len(), 2);
    }

    #[test]
    fn forms_not_laws() {
        assert_eq!(
            forms_in("提交《食品经营许可申请书》，依据《中华人民共和国公路法》和《个体工商户登记（备案）申请书》"),
            vec!["食品经营许可申请书", "个体工商户登记（备案）申请书"]
        );
    }

    #[test]
    fn traditional_read_as_simplified_and_written_back() {
        let lines = vec!["辦公室。負責機關日常運轉，承擔文電、會務、機要、檔案工作。".to_string()];
        let (simp, script) = Script::simplify(&lines);
        assert!(simp[0].starts_with("办公室。负责机关"));
        assert_eq!(script.restore(&simp[0]), lines[0]);
    }

    #[test]
    fn actors() {
        assert_eq!(
            actor_of("窗口工作人员当场对材料进行形式审查").as_deref(),
            Some("窗口工作人员")
        );
        assert_eq!(
            actor_of("申请人通过政务服务网提交").as_deref(),
            Some("申请人")
        );
        assert_eq!(actor_of("分管领导阅批"), Some("分管领导".into()));
    }
}
