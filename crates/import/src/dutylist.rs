//! Import of Per-department duty lists (职责清单 / 履职清单), as in seeds 000 and 001.
//!
//! A duty list is a run of department lists, each opened by a header such as `办公室职责清单`
//! and immediately followed by `一、主要职责`. Inside a department the sections are found by
//! their `一、`–`七、` headings and a fixed vocabulary (主要职责, 细化职责, 岗位描述和人员配备,
//! …职责分工, 廉政风险点及防控措施, 工作流程, 工作标准化文本). Optional front matter (a cover,
//! a table of contents and official documents such as the 三定规定) becomes organisation data.
//!
//! Procedures are found by their `一、业务流程描述` heading (or `一、业务流程图` followed by
//! `二、业务流程描述`); the list of titles under `工作流程` is a table of contents and is
//! matched against the bodies, not turned into procedures of its own.

use super::document::Document;
use super::lines::{parse_num, strip_markdown, Lines, Num};
use super::Imported;
use std::collections::BTreeSet;
use std::ops::Range;
use zhize_core::model::{
    Branch, DeptFile, Division, DivisionFull, DivisionItem, Document as OrgDocument, Duty,
    DutyFull, ExternalBody, Form, OrgFile, Post, Procedure, RiskFull, RiskPoint, Risks, Scalar,
    Step,
};
use zhize_core::text::similarity;
use zhize_core::text::{is_cjk_text as is_cjk, is_han};

/// Parse the document. Lines put into a field must be marked with `lines.used` /
/// `lines.take`; whatever stays unmarked is kept in `unparsed` by the caller.
pub fn parse(_doc: &Document, lines: &mut Lines<'_>) -> Imported {
    let n = lines.len();
    let headers: Vec<usize> = (0..n).filter(|&i| is_dept_header(lines, i)).collect();
    let first = headers.first().copied().unwrap_or(n);

    let mut org = OrgFile::default();
    let raw_names: Vec<String> = headers.iter().map(|&i| header_text(lines, i)).collect();
    let prefix = org_prefix(&raw_names);
    org.name = org_name(lines, first, prefix.as_deref());
    if let Some(p) = &prefix {
        if *p != org.name {
            org.aliases.push(p.clone());
        }
    }
    front_matter(lines, 0..first, &mut org);
    find_org_aliases(lines, &mut org);

    // Department names first: division items and steps refer to departments named later.
    let mut depts: Vec<DeptFile> = headers
        .iter()
        .zip(&raw_names)
        .enumerate()
        .map(|(k, (&i, raw))| {
            lines.used(i);
            let mut d = split_header(raw, &org);
            d.order = Some(k as i64 + 1);
            d
        })
        .collect();
    let mut ctx = Ctx::new(&org, &depts);
    // Organisation-level division items (三定 (十八)) name outside bodies too.
    let org_div = std::mem::take(&mut org.division);
    org.division = org_div
        .into_iter()
        .map(|it| match it {
            DivisionItem::Full(mut f) => {
                f.with = ctx.units_in(&f.text, None);
                DivisionItem::Full(f)
            }
            other => other,
        })
        .collect();

    let mut drafts = Vec::new();
    for (k, &h) in headers.iter().enumerate() {
        let end = headers.get(k + 1).copied().unwrap_or(n);
        drafts.push(parse_dept(lines, h + 1..end, &mut depts[k], k, &mut ctx));
    }
    // Steps may use forms of any department: link them once every form is known.
    let forms = FormIndex::new(&depts, &ctx.self_names);
    for (d, procs) in depts.iter_mut().zip(drafts) {
        d.procedures = procs.into_iter().map(|p| p.finish(&forms)).collect();
    }
    // `交通运输局` is `市交通运输局` named without its 市.
    let mut rename: Vec<(String, String)> = Vec::new();
    let names: Vec<String> = ctx.externals.iter().map(|x| x.name.clone()).collect();
    for n in &names {
        let full = format!("市{n}");
        if !n.starts_with(['市', '省']) && names.contains(&full) {
            rename.push((n.clone(), full));
        }
    }
    ctx.externals
        .retain(|x| !rename.iter().any(|(b, _)| *b == x.name));
    for (bare, full) in &rename {
        if let Some(x) = ctx.externals.iter_mut().find(|x| x.name == *full) {
            x.aliases.push(bare.clone());
        }
    }
    let fix = |items: &mut Vec<DivisionItem>| {
        for it in items.iter_mut() {
            if let DivisionItem::Full(f) = it {
                for w in f.with.iter_mut() {
                    if let Some((_, full)) = rename.iter().find(|(b, _)| b == w) {
                        *w = full.clone();
                    }
                }
                let mut seen = Vec::new();
                f.with.retain(|w| {
                    let new = !seen.contains(w);
                    seen.push(w.clone());
                    new
                });
            }
        }
    };
    for d in depts.iter_mut() {
        fix(&mut d.division.external);
        fix(&mut d.division.internal);
        fix(&mut d.division.general);
    }
    fix(&mut org.division);
    org.external = ctx.externals;
    Imported {
        org: Some(org),
        depts,
        pages: vec![],
    }
}

// ---------------------------------------------------------------------------------------------
// Text helpers

/// Remove whitespace next to CJK characters (`2020 年` → `2020年`), collapse the rest.
fn tidy(s: &str) -> String {
    let chars: Vec<char> = s.trim().chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            let start = i;
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            let before = start.checked_sub(1).map(|k| chars[k]);
            let after = chars.get(i).copied();
            if !(before.is_some_and(is_cjk) || after.is_some_and(is_cjk)) {
                out.push(' ');
            }
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// All whitespace removed, Markdown marks stripped: for comparing headings.
fn norm(s: &str) -> String {
    strip_markdown(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn ends_terminal(s: &str) -> bool {
    let t = s.trim_end();
    let mut it = t.chars().rev();
    match it.next() {
        Some(c) if "。；;！!？?：:…".contains(c) => true,
        Some(c) if "”’」）)".contains(c) => it.next().is_some_and(|d| "。！？；".contains(d)),
        _ => false,
    }
}

fn nchars(s: &str) -> usize {
    s.chars().count()
}

/// Short text without sentence punctuation: a label such as `应急工作` or `项目申报`.
fn is_label(s: &str, max: usize) -> bool {
    let t = s.trim().trim_end_matches(['。', '；', ';', '：', ':']);
    !t.is_empty() && nchars(t) <= max && !t.contains(['。', '，', ',', '；', '：'])
}

fn num_text(s: &str) -> Option<(Num, String)> {
    parse_num(&strip_markdown(s)).map(|(n, r)| (n, r.to_string()))
}

fn same_class(a: Num, b: Num) -> bool {
    std::mem::discriminant(&a) == std::mem::discriminant(&b)
}

fn num_value(n: Num) -> u32 {
    match n {
        Num::Cn(v) | Num::CnParen(v) | Num::Ar(v) | Num::ArParen(v) | Num::Circ(v) => v,
        Num::Sub(_, v) => v,
    }
}

/// Text without its numbering token and list marker.
fn without_num(s: &str) -> String {
    let t = strip_markdown(s);
    match parse_num(&t) {
        Some((_, r)) => r.to_string(),
        None => t,
    }
}

fn nonblank(lines: &Lines<'_>, r: Range<usize>) -> Vec<usize> {
    r.filter(|&i| !lines.blank(i)).collect()
}

fn next_nonblank(lines: &Lines<'_>, from: usize, end: usize) -> Option<usize> {
    (from..end.min(lines.len())).find(|&i| !lines.blank(i))
}

/// Is there a page-break line (a single space) between indices `a` and `b`?
fn page_break_between(lines: &Lines<'_>, a: usize, b: usize) -> bool {
    (a + 1..b).any(|k| {
        let raw = &lines.lines[k].text;
        !raw.is_empty() && raw.trim().is_empty()
    })
}

/// A paragraph: source lines re-joined where the export broke them.
struct Para {
    first: usize,
    last_line: String,
    text: String,
}

impl Para {
    fn num(&self) -> Option<(Num, String)> {
        num_text(&self.text)
    }
}

/// Should line `t` continue the paragraph whose last line is `prev`?
fn continues(prev: &str, t: &str, page_break: bool) -> bool {
    if parse_num(t).is_some() || ends_terminal(prev) {
        return false;
    }
    let open = prev
        .trim_end()
        .ends_with(['，', ',', '、', '的', '和', '与', '及', '或', '（', '(']);
    page_break || open || nchars(prev) >= 22
}

/// Re-join the non-blank lines `idx` into paragraphs; marks them used and records repairs.
fn paragraphs(lines: &mut Lines<'_>, idx: &[usize]) -> Vec<Para> {
    let mut out: Vec<Para> = Vec::new();
    let mut prev_i = None;
    for &i in idx {
        let t = strip_markdown(lines.take(i));
        if t.is_empty() {
            continue;
        }
        if let (Some(p), Some(pi)) = (out.last_mut(), prev_i) {
            let pb = page_break_between(lines, pi, i);
            if continues(&p.last_line, &t, pb) {
                p.text.push_str(&t);
                p.last_line = t;
                prev_i = Some(i);
                let what = if pb {
                    "line broken by a page break re-joined"
                } else {
                    "broken line re-joined"
                };
                lines.repair(i, what);
                continue;
            }
        }
        out.push(Para {
            first: i,
            last_line: t.clone(),
            text: t,
        });
        prev_i = Some(i);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Organisation and front matter

fn header_text(lines: &Lines<'_>, i: usize) -> String {
    tidy(&strip_markdown(lines.text(i)))
}

/// A department header: a short line directly followed (after blanks) by `一、主要职责`.
pub(crate) fn is_dept_header(lines: &Lines<'_>, i: usize) -> bool {
    let t = strip_markdown(lines.text(i));
    if t.is_empty() || nchars(&t) > 60 || t.contains(['。', '\t', '：']) || parse_num(&t).is_some()
    {
        return false;
    }
    next_nonblank(lines, i + 1, lines.len()).is_some_and(|j| norm(lines.text(j)) == "一、主要职责")
}

/// A department header that names a unit (`办公室职责清单`, `政工科（挂人才工作科牌子）职责
/// 清单`): the shape of the per-department skeleton this reader is for.
pub(crate) fn is_unit_header(lines: &Lines<'_>, i: usize) -> bool {
    if !is_dept_header(lines, i) {
        return false;
    }
    let t = strip_markdown(lines.text(i));
    let base = ["职责清单", "履职清单", "职责"]
        .iter()
        .find_map(|s| t.split(s).next().filter(|b| b.len() < t.len()))
        .unwrap_or(&t);
    let (name, _, _) = crate::general::split_name(base);
    crate::general::vocab::is_unit_name(&name)
}

/// `市生态环境局` in `市生态环境局政工科职责清单`: an organisation prefix on some headers.
fn org_prefix(names: &[String]) -> Option<String> {
    names.iter().find_map(|n| {
        if !n.starts_with('市') {
            return None;
        }
        let k = n.find('局')?;
        let rest = &n[k + '局'.len_utf8()..];
        (nchars(rest) >= 2).then(|| n[..k + '局'.len_utf8()].to_string())
    })
}

/// The organisation's name: the cover line, or the most frequent `XX市…局` in the text.
fn org_name(lines: &Lines<'_>, first: usize, prefix: Option<&str>) -> String {
    if let Some(i) = next_nonblank(lines, 0, first) {
        let t = tidy(lines.text(i));
        if nchars(&t) <= 20 && t.ends_with(['局', '委', '办', '厅', '室', '院', '府']) {
            return t;
        }
    }
    let Some(p) = prefix else {
        return String::new();
    };
    let mut counts: Vec<(String, usize)> = Vec::new();
    for i in 0..lines.len() {
        let t = lines.text(i);
        let mut from = 0;
        while let Some(k) = t[from..].find(p) {
            let at = from + k;
            let before: Vec<char> = t[..at].chars().rev().take(2).collect();
            if before.len() == 2 && before.iter().all(|c| is_han(*c)) {
                let name = format!("{}{}{}", before[1], before[0], p);
                match counts.iter_mut().find(|(n, _)| *n == name) {
                    Some(e) => e.1 += 1,
                    None => counts.push((name, 1)),
                }
            }
            from = at + p.len();
        }
    }
    counts
        .into_iter()
        .filter(|(_, c)| *c >= 2)
        .max_by_key(|(_, c)| *c)
        .map(|(n, _)| n)
        .unwrap_or_else(|| p.to_string())
}

/// Aliases from `X（以下简称“Y”）` where X is the organisation, and abbreviations such as
/// `市工信局` whose characters come from the name.
fn find_org_aliases(lines: &Lines<'_>, org: &mut OrgFile) {
    let key = format!("{}（以下简称", org.name);
    let core: Vec<char> = org
        .name
        .trim_start_matches(|c: char| c != '市')
        .trim_start_matches('市')
        .trim_end_matches('局')
        .chars()
        .collect();
    let mut abbrev: Vec<(String, usize)> = Vec::new();
    for i in 0..lines.len() {
        let t = lines.text(i);
        if let Some(k) = t.find(&key) {
            let rest = &t[k + key.len()..];
            if let Some(e) = rest.find('）') {
                let a = rest[..e].trim_matches(['“', '”', '"']).to_string();
                if !a.is_empty() && !org.aliases.contains(&a) && a != org.name {
                    org.aliases.push(a);
                }
            }
        }
        let c: Vec<char> = t.chars().collect();
        for s in 0..c.len() {
            if c[s] != '市' {
                continue;
            }
            for len in 2..=3 {
                if c.get(s + len + 1) == Some(&'局') {
                    let mid = &c[s + 1..s + 1 + len];
                    let mut pos = 0;
                    let sub = mid
                        .iter()
                        .all(|ch| match core[pos..].iter().position(|x| x == ch) {
                            Some(p) => {
                                pos += p + 1;
                                true
                            }
                            None => false,
                        });
                    if sub && len < core.len() {
                        let a: String = c[s..s + len + 2].iter().collect();
                        match abbrev.iter_mut().find(|(n, _)| *n == a) {
                            Some(e) => e.1 += 1,
                            None => abbrev.push((a, 1)),
                        }
                    }
                }
            }
        }
    }
    for (a, count) in abbrev {
        if count >= 3 && !org.aliases.contains(&a) && a != org.name {
            org.aliases.push(a);
        }
    }
    if !org.aliases.iter().any(|a| a == "市局") && !org.name.is_empty() {
        org.aliases.push("市局".to_string());
    }
}

fn is_doc_number(t: &str) -> bool {
    let t = t.replace(' ', "");
    t.ends_with('号') && t.contains('〔') && t.contains('〕') && nchars(&t) <= 20
}

fn date_of(t: &str) -> Option<String> {
    let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    let y = t.find('年')?;
    let m = t.find('月')?;
    let d = t.find('日')?;
    let year: u32 = t[..y].parse().ok()?;
    let month: u32 = t[y + 3..m].parse().ok()?;
    let day: u32 = t[m + 3..d].parse().ok()?;
    (t.len() == d + 3 || t[d + 3..].chars().all(|c| "印发".contains(c)))
        .then(|| format!("{year:04}-{month:02}-{day:02}"))
}

/// Cover, table of contents and official documents before the first department.
fn front_matter(lines: &mut Lines<'_>, r: Range<usize>, org: &mut OrgFile) {
    let idx = nonblank(lines, r.clone());
    if idx.is_empty() {
        return;
    }
    // Cover: everything up to 目录; the table of contents: up to its last `title<TAB>page` line.
    let toc = idx.iter().position(|&i| norm(lines.text(i)) == "目录");
    let mut pos = 0;
    if let Some(t) = toc {
        let last_entry = idx
            .iter()
            .rposition(|&i| {
                let raw = lines.text(i);
                raw.contains('\t')
                    && raw
                        .rsplit('\t')
                        .next()
                        .is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
            })
            .unwrap_or(t);
        for &i in &idx[..=last_entry.max(t)] {
            lines.used(i);
        }
        pos = last_entry.max(t) + 1;
    }
    // Official documents: an issuer line, a document number, a title, the body.
    let starts: Vec<usize> = (pos..idx.len())
        .filter(|&k| is_doc_number(lines.text(idx[k])))
        .map(|k| if k > pos { k - 1 } else { k })
        .collect();
    for (s, &k) in starts.iter().enumerate() {
        let end = starts.get(s + 1).copied().unwrap_or(idx.len());
        let part: Vec<usize> = idx[k..end].to_vec();
        if let Some(d) = official_document(lines, &part, org) {
            org.documents.push(d);
        }
    }
}

fn official_document(
    lines: &mut Lines<'_>,
    part: &[usize],
    org: &mut OrgFile,
) -> Option<OrgDocument> {
    let no_at = part.iter().position(|&i| is_doc_number(lines.text(i)))?;
    let issuer = (no_at > 0).then(|| {
        tidy(lines.text(part[0]))
            .trim_end_matches("文件")
            .to_string()
    });
    let no = tidy(lines.text(part[no_at]));
    let title_i = *part.get(no_at + 1)?;
    let title = tidy(lines.text(title_i));
    let mut body_lines: Vec<String> = Vec::new();
    let mut date = None;
    let mut k = no_at + 2;
    while k < part.len() {
        let i = part[k];
        let t = lines.text(i).to_string();
        // A block of lines repeated right after itself (a footer printed twice).
        let mut dup = 0;
        for len in (2..=5).rev() {
            if k >= no_at + 2 + len
                && k + len <= part.len()
                && (0..len).all(|j| lines.text(part[k + j]) == lines.text(part[k - len + j]))
            {
                dup = len;
                break;
            }
        }
        if dup > 0 {
            lines.repair(i, format!("block of {dup} lines printed twice; kept once"));
            for j in 0..dup {
                lines.used(part[k + j]);
            }
            k += dup;
            continue;
        }
        if date.is_none() {
            date = date_of(&t);
        }
        body_lines.push(t);
        lines.used(i);
        k += 1;
    }
    for &i in &part[..=no_at + 1] {
        lines.used(i);
    }
    sanding(lines, part, org);
    Some(OrgDocument {
        no: Some(no),
        title,
        issuer,
        date,
        body: Some(body_lines.join("\n\n")),
    })
}

/// Organisation data inside a 三定规定: plaques, duties (第三条), division (有关职责分工),
/// staffing (第五条).
fn sanding(lines: &mut Lines<'_>, part: &[usize], org: &mut OrgFile) {
    let texts: Vec<String> = part.iter().map(|&i| lines.text(i).to_string()).collect();
    for t in &texts {
        let mut rest = t.as_str();
        while let Some(k) = rest.find("加挂") {
            let after = &rest[k + "加挂".len()..];
            let Some(e) = after.find("牌子") else { break };
            let inner = &after[..e];
            let (name, alias) = match inner.find("（以下简称") {
                Some(a) => {
                    let al = inner[a + "（以下简称".len()..]
                        .trim_end_matches('）')
                        .trim_matches(['“', '”']);
                    (&inner[..a], Some(al.to_string()))
                }
                None => (inner, None),
            };
            if !name.is_empty() && nchars(name) <= 20 && !org.plaques.iter().any(|p| p == name) {
                org.plaques.push(name.to_string());
            }
            if let Some(a) = alias {
                if !org.aliases.contains(&a) {
                    org.aliases.push(a);
                }
            }
            rest = &after[e..];
        }
    }
    let articles: Vec<usize> = (0..texts.len())
        .filter(|&k| texts[k].starts_with('第') && texts[k].contains('条'))
        .collect();
    let article_end = |k: usize| {
        articles
            .iter()
            .copied()
            .find(|&a| a > k)
            .unwrap_or(texts.len())
    };
    // 第三条: duties (一)… and, among them, 有关职责分工.
    if let Some(&a3) = articles.iter().find(|&&k| texts[k].starts_with("第三条")) {
        let end = article_end(a3);
        let idx: Vec<usize> = part[a3 + 1..end].to_vec();
        let paras = paragraphs(lines, &idx);
        let mut in_division = false;
        for p in paras {
            match p.num() {
                Some((Num::CnParen(_), rest)) if rest.contains("职责分工") => {
                    in_division = true
                }
                Some((Num::CnParen(_), rest)) => {
                    in_division = false;
                    org.duties.push(Duty::Text(rest));
                }
                Some((_, _)) if in_division => {
                    let text = without_num(&p.text);
                    let (topic, _) = split_topic(&text, 16);
                    org.division.push(DivisionItem::Full(DivisionFull {
                        topic,
                        text,
                        ..Default::default()
                    }));
                }
                _ => {
                    if let Some(Duty::Text(last)) = org.duties.last_mut() {
                        last.push_str("\n\n- ");
                        last.push_str(&p.text);
                    }
                }
            }
        }
    }
    if let Some(&a5) = articles.iter().find(|&&k| texts[k].starts_with("第五条")) {
        let t = texts[a5].trim_start_matches("第五条").trim();
        // Drop parenthesised remarks, then read `名称 N 名` pairs.
        let mut plain = String::new();
        let mut depth = 0;
        for c in t.chars() {
            match c {
                '（' | '(' => depth += 1,
                '）' | ')' => depth -= 1,
                _ if depth == 0 => plain.push(c),
                _ => {}
            }
        }
        for seg in plain.split(['。', '，', '；', ',']) {
            let seg: String = seg.chars().filter(|c| !c.is_whitespace()).collect();
            let Some(m) = seg.strip_suffix('名') else {
                continue;
            };
            let digits: String = m.chars().rev().take_while(|c| c.is_ascii_digit()).collect();
            if digits.is_empty() {
                continue;
            }
            let value: String = digits.chars().rev().collect();
            let key = &m[..m.len() - value.len()];
            let key = key.find("机关").map_or(key, |k| &key[k + "机关".len()..]);
            let key = key.trim_start_matches('设');
            if !key.is_empty() {
                org.staffing.0.push((key.to_string(), value));
            }
        }
    }
}

/// `关于企业技术改造投资项目管理。需要由…` → (topic, rest) when the lead is a short label.
fn split_topic(s: &str, max: usize) -> (Option<String>, String) {
    if let Some(k) = s.find('。') {
        let lead = &s[..k];
        let rest = s[k + '。'.len_utf8()..].trim();
        if !rest.is_empty()
            && nchars(lead) <= max
            && !lead.contains(['，', ',', '；'])
            && !lead.starts_with("负责")
        {
            return (Some(lead.trim().to_string()), rest.to_string());
        }
    }
    (None, s.trim().to_string())
}

// ---------------------------------------------------------------------------------------------
// Departments

/// `市生态环境局污染物排放总量控制科（挂行政许可科牌子）职责清单` → name, plaques, aliases.
fn split_header(raw: &str, org: &OrgFile) -> DeptFile {
    let mut d = DeptFile::default();
    let mut base = raw.to_string();
    let mut after = String::new();
    for suffix in ["职责清单", "履职清单"] {
        if let Some(k) = base.find(suffix) {
            after = base[k + suffix.len()..].to_string();
            base.truncate(k);
            break;
        }
    }
    if after.is_empty() && base.ends_with("职责") && nchars(&base) > 4 {
        base.truncate(base.len() - "职责".len());
    }
    let inner = after
        .trim()
        .trim_start_matches(['（', '('])
        .trim_end_matches(['）', ')']);
    if !inner.is_empty() {
        d.aliases.push(inner.to_string());
    }
    while let Some(k) = base.find("（挂") {
        let Some(e) = base[k..].find('）') else {
            break;
        };
        let p = base[k + "（挂".len()..k + e]
            .trim_end_matches("牌子")
            .to_string();
        d.plaques.push(p);
        base.replace_range(k..k + e + '）'.len_utf8(), "");
    }
    let mut prefixes: Vec<&str> = std::iter::once(org.name.as_str())
        .chain(org.aliases.iter().map(String::as_str))
        .collect();
    prefixes.sort_by_key(|p| std::cmp::Reverse(p.len()));
    for p in prefixes {
        if let Some(r) = base.strip_prefix(p) {
            if nchars(r) >= 2 {
                base = r.to_string();
                break;
            }
        }
    }
    d.name = base;
    d
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Sec {
    Main,
    Duties,
    Posts,
    Division,
    Risks,
    Procs,
    Forms,
}

fn section_of(t: &str) -> Option<Sec> {
    let plain = strip_markdown(t);
    let (Num::Cn(_), rest) = parse_num(&plain)? else {
        return None;
    };
    let r: String = rest
        .trim_end_matches(['。', '：', ':'])
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    Some(match r.as_str() {
        "主要职责" => Sec::Main,
        _ if r.contains("细化职责") => Sec::Duties,
        _ if r.contains("岗位描述") || r.contains("人员配备") => Sec::Posts,
        _ if r.ends_with("职责分工") => Sec::Division,
        _ if r.contains("廉政风险") => Sec::Risks,
        "工作流程" => Sec::Procs,
        _ if r.contains("标准") && r.ends_with("文本") => Sec::Forms,
        _ => return None,
    })
}

fn parse_dept(
    lines: &mut Lines<'_>,
    r: Range<usize>,
    d: &mut DeptFile,
    di: usize,
    ctx: &mut Ctx,
) -> Vec<ProcDraft> {
    // Section headings, in the order of the vocabulary.
    let mut secs: Vec<(usize, Sec)> = Vec::new();
    for i in r.clone() {
        if let Some(s) = section_of(lines.text(i)) {
            if secs.last().is_none_or(|(_, last)| s > *last) {
                secs.push((i, s));
            }
        }
    }
    let mut procs = Vec::new();
    let mut extra_forms: Vec<usize> = Vec::new();
    for (k, &(h, sec)) in secs.iter().enumerate() {
        lines.used(h);
        let end = secs.get(k + 1).map_or(r.end, |(e, _)| *e);
        let idx = nonblank(lines, h + 1..end);
        match sec {
            Sec::Main => {
                let paras = paragraphs(lines, &idx);
                let text: Vec<String> = paras.into_iter().map(|p| p.text).collect();
                if !text.is_empty() {
                    d.summary = Some(text.join("\n\n"));
                }
            }
            Sec::Duties => d.duties = parse_duties(lines, &idx),
            Sec::Posts => d.posts = parse_posts(lines, &idx),
            Sec::Division => d.division = parse_division(lines, &idx, di, ctx),
            Sec::Risks => d.risks = parse_risks(lines, &idx),
            Sec::Procs => {
                let (p, forms_from) = parse_procs(lines, h + 1..end, di, d, ctx);
                procs = p;
                if let Some(f) = forms_from {
                    extra_forms = nonblank(lines, f..end);
                }
            }
            Sec::Forms => {
                extra_forms.extend(idx);
            }
        }
    }
    if !extra_forms.is_empty() {
        d.forms = parse_forms(lines, &extra_forms);
    }
    procs
}

fn parse_duties(lines: &mut Lines<'_>, idx: &[usize]) -> Vec<Duty> {
    let paras = paragraphs(lines, idx);
    let nums: Vec<Option<(Num, String)>> = paras.iter().map(Para::num).collect();
    let top = nums.iter().flatten().next().map(|(n, _)| *n);
    let mut group: Option<String> = None;
    let mut out: Vec<Duty> = Vec::new();
    for (k, p) in paras.iter().enumerate() {
        match &nums[k] {
            Some((n, rest)) => {
                // `（一）应急工作` followed by items of another numbering: a group.
                let next = nums[k + 1..].iter().flatten().next();
                if top.is_some_and(|t| same_class(t, *n))
                    && is_label(rest, 12)
                    && next.is_some_and(|(m, _)| !same_class(*n, *m))
                {
                    group = Some(rest.trim_end_matches(['。', '：', ':']).to_string());
                    continue;
                }
                let text = rest.clone();
                out.push(match &group {
                    Some(g) => Duty::Full(DutyFull {
                        group: Some(g.clone()),
                        text,
                        ..Default::default()
                    }),
                    None => Duty::Text(text),
                });
            }
            None if is_label(&p.text, 15) => {
                // `绿色发展推进部分`: a group heading without a number.
                group = Some(p.text.trim_end_matches(['：', ':']).to_string());
            }
            None => match out.last_mut() {
                Some(Duty::Text(t)) => {
                    t.push_str("\n\n");
                    t.push_str(&p.text);
                }
                Some(Duty::Full(f)) => {
                    f.text.push_str("\n\n");
                    f.text.push_str(&p.text);
                }
                None => out.push(Duty::Text(p.text.clone())),
            },
        }
    }
    out
}

fn parse_posts(lines: &mut Lines<'_>, idx: &[usize]) -> Vec<Post> {
    let paras = paragraphs(lines, idx);
    let top = paras.iter().find_map(Para::num).map(|(n, _)| n);
    let mut out: Vec<Post> = Vec::new();
    let mut last_no: Option<u32> = None;
    for p in &paras {
        match (p.num(), top) {
            (Some((n, rest)), Some(t)) if same_class(n, t) => {
                let v = num_value(n);
                if let Some(prev) = last_no {
                    if v != prev + 1 {
                        let tok: String = strip_markdown(&p.text)
                            .chars()
                            .take_while(|c| !is_han(*c) || "一二三四五六七八九十".contains(*c))
                            .collect();
                        lines.repair(
                            p.first,
                            format!(
                                "post number {} after {prev}: numbered as post {} in order",
                                tok.trim(),
                                prev + 1
                            ),
                        );
                    }
                }
                last_no = Some(last_no.map_or(v, |x| x + 1));
                let (name, rank, headcount) = post_name(&rest);
                out.push(Post {
                    name,
                    rank,
                    headcount,
                    ..Default::default()
                });
            }
            (Some((_, rest)), _) => match out.last_mut() {
                Some(post) => post.duties.push(rest),
                None => out.push(Post {
                    name: rest,
                    ..Default::default()
                }),
            },
            (None, _) => match out.last_mut() {
                Some(post) => match post.duties.last_mut() {
                    Some(last) => {
                        last.push_str("\n\n");
                        last.push_str(&p.text);
                    }
                    None => post.summary = Some(p.text.clone()),
                },
                None => {
                    out.push(Post {
                        name: p.text.clone(),
                        ..Default::default()
                    });
                }
            },
        }
    }
    out
}

/// `科长岗（正科级，1人）` → name, rank, headcount.
fn post_name(s: &str) -> (String, Option<String>, Option<u32>) {
    let s = s.trim().trim_end_matches(['：', ':', '。', '；']);
    let mut name = s.to_string();
    let mut rank = None;
    let mut headcount = None;
    if let Some(k) = s.find(['（', '(']) {
        let inner = s[k..]
            .trim_start_matches(['（', '('])
            .trim_end_matches(['）', ')']);
        let mut other = Vec::new();
        for part in inner.split(['，', ',', '；', '、']) {
            let digits: String = part.chars().filter(|c| c.is_ascii_digit()).collect();
            if (part.contains('人') || part.contains('名')) && !digits.is_empty() {
                headcount = digits.parse().ok();
            } else if part.contains('级') || part.contains('职') {
                rank = Some(part.trim().to_string());
            } else {
                other.push(part);
            }
        }
        if other.is_empty() {
            name = s[..k].to_string();
        }
    }
    (
        name.chars().filter(|c| !c.is_whitespace()).collect(),
        rank,
        headcount,
    )
}

fn parse_division(lines: &mut Lines<'_>, idx: &[usize], di: usize, ctx: &mut Ctx) -> Division {
    let paras = paragraphs(lines, idx);
    let mut div = Division::default();
    #[derive(Clone, Copy)]
    enum Bucket {
        General,
        External,
        Internal,
    }
    let mut bucket = Bucket::General;
    let mut group: Option<String> = None;
    for p in &paras {
        let body = without_num(&p.text);
        let key: String = body
            .trim_end_matches(['：', ':', '。'])
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if key == "外部协作" {
            bucket = Bucket::External;
            group = None;
            continue;
        }
        if key == "内部分工" {
            bucket = Bucket::Internal;
            group = None;
            continue;
        }
        if p.num().is_none() && is_label(&p.text, 10) {
            group = Some(key);
            continue;
        }
        // The text stays whole (as people transcribe it); the topic is its lead phrase.
        let (topic, _) = split_topic(&body, 14);
        let text = body.trim().to_string();
        let topic = topic.or_else(|| group.clone());
        let mut all = text.clone();
        if let Some(g) = &group {
            all = format!("{g}。{all}");
        }
        let with = ctx.units_in(&all, Some(di));
        let item = DivisionItem::Full(DivisionFull {
            with,
            topic,
            text,
            ..Default::default()
        });
        match bucket {
            Bucket::General => div.general.push(item),
            Bucket::External => div.external.push(item),
            Bucket::Internal => div.internal.push(item),
        }
    }
    div
}

fn parse_risks(lines: &mut Lines<'_>, idx: &[usize]) -> Risks {
    let paras = paragraphs(lines, idx);
    let mut risks = Risks::default();
    let mut controls = false;
    for p in &paras {
        let body = without_num(&p.text);
        let key: String = body.chars().filter(|c| !c.is_whitespace()).collect();
        let key = key.trim_end_matches(['：', ':', '。']);
        if key == "廉政风险点" || key == "风险点" {
            controls = false;
            continue;
        }
        if key == "防控措施" {
            controls = true;
            continue;
        }
        if controls {
            if p.num().is_none() {
                if let Some(last) = risks.controls.last_mut() {
                    last.push_str("\n\n");
                    last.push_str(&p.text);
                    continue;
                }
            }
            risks.controls.push(body);
            continue;
        }
        if p.num().is_none() {
            if let Some(RiskPoint::Full(last)) = risks.points.last_mut() {
                last.text.push_str("\n\n");
                last.text.push_str(&p.text);
                continue;
            }
        }
        let split = body.find(['：', ':']).and_then(|k| {
            let lead = body[..k].trim();
            (nchars(lead) <= 10 && lead.ends_with("风险")).then(|| {
                let colon = body[k..].chars().next().map_or(1, char::len_utf8);
                (lead.to_string(), body[k + colon..].trim().to_string())
            })
        });
        risks.points.push(match split {
            Some((category, text)) => RiskPoint::Full(RiskFull {
                category: Some(category),
                text,
                ..Default::default()
            }),
            None => RiskPoint::Text(body),
        });
    }
    risks
}

// ---------------------------------------------------------------------------------------------
// Names of departments and outside bodies

struct Ctx {
    /// (name as written, department name), longest first.
    depts: Vec<(String, String, usize)>,
    self_names: Vec<String>,
    externals: Vec<ExternalBody>,
    /// Step actors recognised at the start of a step (roles), longest first.
    roles: Vec<&'static str>,
}

const ROLES: &[&str] = &[
    "局党组会",
    "局党组",
    "党组会",
    "市局党组",
    "局主要负责同志",
    "局主要领导",
    "局主要负责人",
    "主要负责人",
    "主要负责同志",
    "主要领导",
    "分管局领导",
    "分管领导",
    "分管负责人",
    "局分管领导",
    "局领导",
    "办公室负责人",
    "科室负责人",
    "处室负责人",
    "承办科室",
    "拟稿科室",
    "申报科室",
    "业务科室",
    "各科室",
    "派驻纪检监察组",
    "市纪委监委派驻纪检监察组",
    "受理机关",
    "受理人员",
    "申请人",
    "申报单位",
    "各区市工信部门",
    "各区市",
    "局政工科",
    "专职文员",
    "经办人",
];

const BOUNDARY: &str = "与和及由向合助同局报经在将对并或至给交送请等即是为、，。；：:;,（(“ 　";

impl Ctx {
    fn new(org: &OrgFile, depts: &[DeptFile]) -> Self {
        let mut names = Vec::new();
        for (k, d) in depts.iter().enumerate() {
            for n in std::iter::once(&d.name).chain(&d.aliases).chain(&d.plaques) {
                if !n.is_empty() {
                    names.push((n.clone(), d.name.clone(), k));
                }
            }
        }
        names.sort_by_key(|(n, _, _)| std::cmp::Reverse(n.len()));
        let mut self_names: Vec<String> = std::iter::once(org.name.clone())
            .chain(org.aliases.iter().cloned())
            .chain(org.plaques.iter().cloned())
            .filter(|s| !s.is_empty())
            .collect();
        self_names.extend(["市局", "我局", "本局", "局机关"].map(String::from));
        let mut roles = ROLES.to_vec();
        roles.sort_by_key(|r| std::cmp::Reverse(r.len()));
        Ctx {
            depts: names,
            self_names,
            externals: Vec::new(),
            roles,
        }
    }

    fn is_self(&self, name: &str) -> bool {
        self.self_names
            .iter()
            .any(|s| s == name || (nchars(name) >= 4 && s.ends_with(name)))
    }

    /// Departments (other than `own`) and outside bodies named in `text`. Outside bodies are
    /// added to the organisation's `external` list.
    fn units_in(&mut self, text: &str, own: Option<usize>) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        let mut taken = vec![false; chars.len()];
        let mut found: Vec<(usize, String)> = Vec::new();
        for (s, e) in external_spans(&chars) {
            let name: String = chars[s..e].iter().collect();
            for t in taken.iter_mut().take(e).skip(s) {
                *t = true;
            }
            if self.is_self(&name) {
                continue;
            }
            if let Some((_, dn, k)) = self.depts.iter().find(|(n, _, _)| *n == name) {
                if Some(*k) != own {
                    found.push((s, dn.clone()));
                }
                continue;
            }
            if !self.externals.iter().any(|x| x.name == name) {
                self.externals.push(ExternalBody {
                    name: name.clone(),
                    ..Default::default()
                });
            }
            found.push((s, name));
        }
        for (n, dn, k) in &self.depts {
            let pat: Vec<char> = n.chars().collect();
            let mut s = 0;
            while s + pat.len() <= chars.len() {
                if chars[s..s + pat.len()] == pat[..]
                    && !taken[s..s + pat.len()].iter().any(|t| *t)
                    && (s == 0 || !is_han(chars[s - 1]) || BOUNDARY.contains(chars[s - 1]))
                {
                    for t in taken.iter_mut().skip(s).take(pat.len()) {
                        *t = true;
                    }
                    if Some(*k) != own {
                        found.push((s, dn.clone()));
                    }
                    s += pat.len();
                } else {
                    s += 1;
                }
            }
        }
        found.sort_by_key(|(s, _)| *s);
        let mut out: Vec<String> = Vec::new();
        for (_, n) in found {
            if !out.contains(&n) {
                out.push(n);
            }
        }
        out
    }

    /// The actor named at the start of a step: a department, a post of `posts`, or a role.
    fn actor(&self, text: &str, posts: &[String]) -> Option<String> {
        let t = text.trim();
        let t = t.strip_prefix('由').unwrap_or(t);
        let mut cands: Vec<&str> = self.roles.clone();
        cands.extend(posts.iter().map(String::as_str));
        cands.sort_by_key(|c| std::cmp::Reverse(c.len()));
        for c in &cands {
            if t.starts_with(c) {
                return Some(c.to_string());
            }
        }
        for start in [
            t,
            t.strip_prefix("市局").unwrap_or(""),
            t.strip_prefix('局').unwrap_or(""),
        ] {
            if start.is_empty() {
                continue;
            }
            if let Some((_, dn, _)) = self
                .depts
                .iter()
                .find(|(n, _, _)| start.starts_with(n.as_str()))
            {
                return Some(dn.clone());
            }
        }
        None
    }
}

const STOP: &[&str] = &[
    "有关", "相关", "相应", "各", "直", "等", "的", "与", "及", "就", "负责", "在", "对", "其他",
    "下属", "所属", "为", "由", "是", "或", "本", "工作", "全",
];

fn ends_with_suffix(name: &[char], suffixes: &[&str]) -> bool {
    let s: String = name.iter().collect();
    suffixes.iter().any(|x| s.ends_with(x))
}

fn has_stop(name: &[char]) -> bool {
    let s: String = name.iter().collect();
    STOP.iter().any(|w| s.contains(w))
}

/// May `part` extend a name (`组织部`, `科技处`, `员会`)? Not `和市府办` or `依法处`.
fn extends_name(part: &[char]) -> bool {
    part.len() >= 2
        && ends_with_suffix(part, EXT_SUFFIX)
        && !has_stop(part)
        && !part.contains(&'和')
        && !"依按根负开对向在于将把被给从要并报经".contains(part[0])
}

const EXT_SUFFIX: &[&str] = &[
    "局", "厅", "委", "办", "部", "中心", "支队", "处", "室", "会", "科",
];

/// Spans of names of outside bodies: `省生态环境厅办公室`, `市发改委`, `大数据中心` ….
fn external_spans(c: &[char]) -> Vec<(usize, usize)> {
    const SUFFIX: &[&str] = &[
        "局", "厅", "委", "办", "部", "府", "中心", "支队", "处", "室", "组", "会", "院", "公司",
    ];
    const BARE: &[&str] = &["中心", "支队", "纪检监察组", "局"];
    let mut out = Vec::new();
    let mut s = 0;
    while s < c.len() {
        let boundary = s == 0 || !is_han(c[s - 1]) || BOUNDARY.contains(c[s - 1]);
        let prefixed =
            c[s] == '省' || c[s] == '市' || (c[s] == '国' && c.get(s + 1) == Some(&'家'));
        // A name without 省/市 only right after `与`, `和`, `、` … (`与大数据中心`).
        let two: String = c[s.saturating_sub(2)..s].iter().collect();
        let bare_ok = s > 0
            && ("与和及、".contains(c[s - 1]) || ["配合", "协助", "会同"].contains(&two.as_str()));
        if !boundary || !is_han(c[s]) || (!prefixed && !bare_ok) {
            s += 1;
            continue;
        }
        let window = (s..c.len().min(s + 22))
            .take_while(|&k| is_han(c[k]))
            .count();
        let (suffixes, min) = if prefixed { (SUFFIX, 3) } else { (BARE, 4) };
        // The shortest name that ends in a suffix …
        let mut end = None;
        for e in s + min..=s + window {
            if ends_with_suffix(&c[s..e], suffixes) {
                end = Some(e);
                break;
            }
        }
        let Some(mut e) = end else {
            s += 1;
            continue;
        };
        let joined =
            (s..e).any(|k| c[k] == '和' && c.get(k + 1).is_some_and(|x| "市省团区县".contains(*x)));
        let base_stop = if prefixed {
            has_stop(&c[s..e]) || joined
        } else {
            has_stop(&c[s..e])
                || c[s..e].contains(&'和')
                || c[s..e].contains(&'市')
                || c[s..e].contains(&'省')
        };
        // `大数据局` yes; a bare name ending in 局 must be short.
        let bare_bad = !prefixed && c[e - 1] == '局' && e - s > 6;
        if base_stop || bare_bad {
            s = if c[s..e].contains(&'和') { e } else { s + 1 };
            continue;
        }
        // … extended by directly following parts (`市委` + `组织部`, `省…厅` + `科技处`).
        loop {
            let mut ext = None;
            for len in 1..=4 {
                if e + len > s + window {
                    break;
                }
                let part = &c[e..e + len];
                if extends_name(part) {
                    ext = Some(e + len);
                    break;
                }
            }
            match ext {
                Some(x) => e = x,
                None => break,
            }
        }
        if !prefixed && !ends_with_suffix(&c[s..e], BARE) {
            s += 1;
            continue;
        }
        out.push((s, e));
        s = e;
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Procedures

/// A procedure before its steps are linked to forms.
struct ProcDraft {
    proc: Procedure,
    /// Raw text of each step, searched for form names.
    step_texts: Vec<String>,
}

impl ProcDraft {
    fn finish(mut self, forms: &FormIndex) -> Procedure {
        for (s, t) in self.proc.steps.iter_mut().zip(&self.step_texts) {
            s.forms = forms.used_in(t);
        }
        self.proc
    }
}

fn is_desc_heading(t: &str) -> bool {
    matches!(parse_num(&norm(t)), Some((Num::Cn(_), r)) if r == "业务流程描述")
}

fn is_fig_heading(t: &str) -> bool {
    matches!(parse_num(&norm(t)), Some((Num::Cn(_), r)) if r == "业务流程图")
}

/// Comparable form of a procedure title: no numbering, spaces, punctuation or generic words.
fn title_key(t: &str) -> String {
    let mut s: String = without_num(t)
        .chars()
        .filter(|c| !c.is_whitespace() && !"；;。，”“\"".contains(*c))
        .collect();
    for w in [
        "工作流程和工作规范",
        "工作流程",
        "工作规范",
        "工作规程",
        "流程图",
        "流程",
        "工作",
        "业务",
    ] {
        s = s.replace(w, "");
    }
    s
}

fn clean_title(t: &str) -> String {
    tidy(&without_num(t))
        .trim_end_matches(['；', ';', '。', '”', '“'])
        .to_string()
}

struct Body {
    title: usize,
    preamble: Option<usize>,
    /// First line of the step description.
    desc: usize,
    /// `二、业务流程图` after the description (or None).
    fig: Option<usize>,
    /// One past the last line of the body.
    end: usize,
    /// Heading lines to mark used.
    headings: Vec<usize>,
}

/// Bodies opened by `一、业务流程描述`, or by `一、业务流程图` + `二、业务流程描述`, each
/// with its title (and a preamble) above it.
fn described_bodies(lines: &mut Lines<'_>, idx: &[usize], end: usize) -> Vec<Body> {
    // Bodies opened by `一、业务流程描述`, or by `一、业务流程图` + `二、业务流程描述`.
    let mut bodies: Vec<Body> = Vec::new();
    let mut k = 0;
    while k < idx.len() {
        let i = idx[k];
        let t = lines.text(i);
        let fig_first = is_fig_heading(t)
            && idx
                .get(k + 1)
                .is_some_and(|&j| is_desc_heading(lines.text(j)))
            && !is_desc_heading(lines.text(idx[k.saturating_sub(1)]));
        let fig_first = fig_first
            || (is_fig_heading(t)
                && matches!(parse_num(&norm(t)), Some((Num::Cn(1), _)))
                && idx[k + 1..]
                    .iter()
                    .take(3)
                    .any(|&j| is_desc_heading(lines.text(j))));
        if is_desc_heading(t) || fig_first {
            if k == 0 {
                k += 1;
                continue;
            }
            let mut title_k = k - 1;
            let mut preamble = None;
            let cand = lines.text(idx[title_k]);
            if cand.ends_with('。') && nchars(cand) > 40 && title_k > 0 {
                preamble = Some(idx[title_k]);
                title_k -= 1;
            }
            let mut headings = vec![i];
            let desc = if fig_first {
                let dk = (k + 1..idx.len()).find(|&j| is_desc_heading(lines.text(idx[j])));
                let dk = dk.unwrap_or(k + 1);
                for &j in &idx[k + 1..dk] {
                    lines.used(j);
                }
                headings.push(idx[dk]);
                k = dk;
                idx[dk] + 1
            } else {
                i + 1
            };
            bodies.push(Body {
                title: idx[title_k],
                preamble,
                desc,
                fig: None,
                end,
                headings,
            });
        }
        k += 1;
    }
    bodies
}

/// The table of contents, with titles broken over two lines re-joined; an entry directly
/// followed by steps is a procedure without a description heading.
fn toc_and_inline(
    lines: &mut Lines<'_>,
    idx: &[usize],
    first_title: usize,
) -> (Vec<(usize, String)>, Vec<Body>) {
    // The table of contents, with titles broken over two lines re-joined; an entry directly
    // followed by steps is a procedure without a description heading.
    let toc_idx: Vec<usize> = idx.iter().copied().filter(|&i| i < first_title).collect();
    let mut toc: Vec<(usize, String)> = Vec::new();
    let mut inline: Vec<Body> = Vec::new();
    let mut t = 0;
    while t < toc_idx.len() {
        let i = toc_idx[t];
        let text = lines.take(i).to_string();
        let n = num_text(&text).map(|(n, _)| n);
        let next = toc_idx.get(t + 1).map(|&j| lines.text(j));
        let next_num = next.and_then(num_text).map(|(m, _)| m);
        let steps_follow = match (n, next_num) {
            (Some(a), Some(b)) => !same_class(a, b),
            (_, None) => next.is_some_and(|x| nchars(x) > 12 && x.contains(['。', '，'])),
            _ => false,
        };
        if steps_follow {
            let end = (t + 1..toc_idx.len())
                .find(|&j| {
                    let x = lines.text(toc_idx[j]);
                    matches!((n, num_text(x)), (Some(a), Some((b, _))) if same_class(a, b))
                })
                .map_or(first_title, |j| toc_idx[j]);
            inline.push(Body {
                title: i,
                preamble: None,
                desc: i + 1,
                fig: None,
                end,
                headings: vec![],
            });
            toc.push((i, clean_title(&text)));
            t = toc_idx
                .iter()
                .position(|&x| x >= end)
                .unwrap_or(toc_idx.len());
            continue;
        }
        let mut title = text;
        if let (Some(nx), Some(_)) = (next, toc.last()) {
            let _ = nx;
        }
        if let Some(nx) = next {
            if next_num.is_none() && nchars(nx) <= 4 && !title.ends_with("流程") {
                title.push_str(nx);
                lines.used(toc_idx[t + 1]);
                lines.repair(
                    toc_idx[t + 1],
                    "table-of-contents title broken over two lines re-joined",
                );
                t += 1;
            }
        }
        toc.push((i, clean_title(&title)));
        t += 1;
    }
    (toc, inline)
}

fn parse_procs(
    lines: &mut Lines<'_>,
    r: Range<usize>,
    di: usize,
    d: &DeptFile,
    ctx: &Ctx,
) -> (Vec<ProcDraft>, Option<usize>) {
    let idx = nonblank(lines, r.clone());
    let bodies = described_bodies(lines, &idx, r.end);
    let first_title = bodies.first().map_or(r.end, |b| b.title);
    let (toc, inline) = toc_and_inline(lines, &idx, first_title);
    let inline_titles: Vec<usize> = inline.iter().map(|b| b.title).collect();
    let mut all: Vec<Body> = inline;
    all.extend(bodies);
    all.sort_by_key(|b| b.title);
    // Each body ends where the next begins; find the flowchart heading inside.
    let n_all = all.len();
    for b in 0..n_all {
        if b + 1 < n_all && all[b].end > all[b + 1].title {
            all[b].end = all[b + 1]
                .preamble
                .unwrap_or(all[b + 1].title)
                .min(all[b + 1].title);
        }
        let (desc, end) = (all[b].desc, all[b].end);
        all[b].fig = (desc..end).find(|&i| is_fig_heading(lines.text(i)));
    }
    let posts: Vec<String> = d.posts.iter().map(|p| p.name.clone()).collect();
    let mut out = Vec::new();
    let mut forms_from = None;
    if all.is_empty() {
        // Titles only (flowcharts without text): procedures without steps.
        for (i, title) in &toc {
            let mut p = Procedure {
                name: title.trim_end_matches('图').to_string(),
                ..Default::default()
            };
            if p.name != *title {
                p.aliases.push(title.clone());
            }
            lines.repair(*i, "procedure has a title (a flowchart) but no description");
            out.push(ProcDraft {
                proc: p,
                step_texts: vec![],
            });
        }
        return (out, None);
    }
    let mut matched = vec![false; toc.len()];
    for b in &all {
        lines.used(b.title);
        for &h in &b.headings {
            lines.used(h);
        }
        let raw_title = lines.text(b.title).to_string();
        let name = clean_title(&raw_title);
        if name.contains(' ') || raw_title.trim() != name {
            // Spaces left where the export re-joined a title.
        }
        let mut p = Procedure {
            name: name
                .chars()
                .filter(|c| !c.is_whitespace() || c.is_ascii())
                .collect(),
            ..Default::default()
        };
        p.name = tidy(&p.name);
        // Match a table-of-contents entry.
        let key = title_key(&raw_title);
        let best = toc
            .iter()
            .enumerate()
            .filter(|(k, _)| !matched[*k])
            .map(|(k, (_, tt))| {
                let tk = title_key(tt);
                let s = if tk == key || (!tk.is_empty() && (tk.contains(&key) || key.contains(&tk)))
                {
                    1.0
                } else {
                    similarity(&tk, &key)
                };
                (k, s)
            })
            .filter(|(_, s)| *s >= 0.5)
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((k, _)) = best {
            matched[k] = true;
            let tt = &toc[k].1;
            let plain = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            if plain(tt) != plain(&p.name) && !inline_titles.contains(&b.title) {
                p.aliases.push(tidy(tt));
            }
        }
        if let Some(pre) = b.preamble {
            lines.used(pre);
            p.summary = Some(lines.text(pre).to_string());
        }
        let desc_end = b.fig.unwrap_or(b.end);
        let steps_idx = nonblank(lines, b.desc..desc_end);
        let (summary, steps, texts, notes) = parse_steps(lines, &steps_idx, ctx, &posts);
        if let Some(s) = summary {
            p.summary = Some(match p.summary.take() {
                Some(pre) => format!("{pre}\n\n{s}"),
                None => s,
            });
        }
        p.steps = steps;
        p.notes = notes;
        if let Some(f) = b.fig {
            lines.used(f);
            let after = nonblank(lines, f + 1..b.end);
            if let Some(&first) = after.first() {
                if looks_like_form_start(lines, first, b.end) {
                    forms_from = Some(first);
                } else {
                    // Text of the flowchart's boxes.
                    for i in after {
                        p.notes.push(lines.take(i).to_string());
                    }
                }
            }
        }
        let _ = di;
        out.push(ProcDraft {
            proc: p,
            step_texts: texts,
        });
    }
    for (k, (i, title)) in toc.iter().enumerate() {
        if !matched[k] {
            lines.repair(
                *i,
                format!("table-of-contents entry without a body: {title}"),
            );
        }
    }
    (out, forms_from)
}

enum Block {
    Para(String),
    Item(String),
}

fn render_blocks(blocks: &[Block]) -> String {
    let mut s = String::new();
    let mut prev_item = false;
    for b in blocks {
        match b {
            Block::Para(t) => {
                if !s.is_empty() {
                    s.push_str("\n\n");
                }
                s.push_str(t);
                prev_item = false;
            }
            Block::Item(t) => {
                if !s.is_empty() {
                    s.push_str(if prev_item { "\n" } else { "\n\n" });
                }
                s.push_str("- ");
                s.push_str(t);
                prev_item = true;
            }
        }
    }
    s
}

type Steps = (Option<String>, Vec<Step>, Vec<String>, Vec<String>);

/// Steps from the numbered lines at the top level; deeper levels become list lines.
fn parse_steps(lines: &mut Lines<'_>, idx: &[usize], ctx: &Ctx, posts: &[String]) -> Steps {
    let paras = paragraphs(lines, idx);
    let top = paras.iter().find_map(Para::num).map(|(n, _)| n);
    let Some(top) = top else {
        let text: Vec<String> = paras.into_iter().map(|p| p.text).collect();
        return (
            (!text.is_empty()).then(|| text.join("\n\n")),
            vec![],
            vec![],
            vec![],
        );
    };
    let mut summary: Vec<String> = Vec::new();
    struct Raw {
        head: String,
        blocks: Vec<Block>,
    }
    let mut raw: Vec<Raw> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let last_num = paras.iter().rposition(|p| p.num().is_some());
    for (k, p) in paras.iter().enumerate() {
        match p.num() {
            Some((n, rest)) if same_class(n, top) => raw.push(Raw {
                head: rest,
                blocks: vec![],
            }),
            Some(_) => match raw.last_mut() {
                Some(s) => s.blocks.push(Block::Item(strip_markdown(&p.text))),
                None => summary.push(p.text.clone()),
            },
            None => match raw.last_mut() {
                None => summary.push(p.text.clone()),
                Some(s) => {
                    let label_only = is_label(&s.head, 20);
                    if Some(k) > last_num && !label_only {
                        notes.push(p.text.clone());
                    } else {
                        s.blocks.push(Block::Para(p.text.clone()));
                    }
                }
            },
        }
    }
    let mut steps = Vec::new();
    let mut texts = Vec::new();
    for r in &raw {
        let head = r.head.trim();
        let (label, first) = if is_label(head, 20) && !r.blocks.is_empty() {
            (
                Some(head.trim_end_matches(['。', '：', ':', '；']).to_string()),
                String::new(),
            )
        } else {
            match head.find('。') {
                Some(k)
                    if nchars(&head[..k]) <= 12
                        && !head[..k].contains(['，', ',', '；'])
                        && !head[k + '。'.len_utf8()..].trim().is_empty() =>
                {
                    (
                        Some(head[..k].to_string()),
                        head[k + '。'.len_utf8()..].trim().to_string(),
                    )
                }
                _ => (None, head.to_string()),
            }
        };
        let mut blocks = Vec::new();
        if !first.is_empty() {
            blocks.push(Block::Para(first.clone()));
        }
        let mut body = render_blocks(&blocks);
        let rest = render_blocks(&r.blocks);
        if !rest.is_empty() {
            if !body.is_empty() {
                body.push_str("\n\n");
            }
            body.push_str(&rest);
        }
        let full = format!("{head}\n{rest}");
        let actor_src = if first.is_empty() {
            rest.as_str()
        } else {
            first.as_str()
        };
        let actor = ctx
            .actor(actor_src, posts)
            .or_else(|| label.as_deref().and_then(|l| ctx.actor(l, posts)));
        steps.push(Step {
            label,
            actor,
            text: (!body.is_empty()).then_some(body),
            limit: time_limit(&full),
            ..Default::default()
        });
        texts.push(full);
    }
    // Returns (退回) go back to the step before.
    let labels: Vec<Option<String>> = steps.iter().map(|s| s.label.clone()).collect();
    for (k, t) in texts.iter().enumerate() {
        if let Some(when) = t
            .split(['。', '；', '\n'])
            .find(|s| s.contains("退回"))
            .map(|s| return_condition(s.trim().trim_start_matches("- ")))
        {
            let goto = (k > 0).then(|| match &labels[k - 1] {
                Some(l) if labels.iter().filter(|x| x.as_deref() == Some(l)).count() == 1 => {
                    Scalar::Text(l.clone())
                }
                _ => Scalar::Int(k as i64),
            });
            steps[k].branches.push(Branch {
                when,
                goto,
                label: Some("退回".to_string()),
            });
        }
    }
    (
        (!summary.is_empty()).then(|| summary.join("\n\n")),
        steps,
        texts,
        notes,
    )
}

/// The clauses of a sentence from its condition (`对不符合…的`, `如…`) to its `退回`.
fn return_condition(sentence: &str) -> String {
    let clauses: Vec<&str> = sentence.split(['，', ',']).collect();
    let Some(r) = clauses.iter().position(|c| c.contains("退回")) else {
        return sentence.to_string();
    };
    let start = (0..=r)
        .rev()
        .find(|&k| {
            let c = clauses[k].trim();
            ["对", "如", "若", "凡", "不符合", "未", "经"]
                .iter()
                .any(|w| c.starts_with(w))
        })
        .unwrap_or(0);
    clauses[start..=r].join("，").trim().to_string()
}

/// `2个工作日内`, `7日内`, `不少于5个工作日`, `提前3天` … found in a step.
fn time_limit(text: &str) -> Option<String> {
    let c: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    const UNITS: &[&str] = &[
        "个工作日",
        "工作日",
        "个小时",
        "小时",
        "分钟",
        "个月",
        "日",
        "天",
        "周",
    ];
    let is_num = |ch: char| ch.is_ascii_digit() || "一二三四五六七八九十百两半".contains(ch);
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
        let digits: String = c[s..e].iter().collect();
        let rest: String = c[e..c.len().min(e + 6)].iter().collect();
        let Some(u) = UNITS.iter().find(|u| rest.starts_with(**u)) else {
            k = e;
            continue;
        };
        // `12月` is a date, not a duration; `3日` as a day of the month is too when no `内`.
        let ue = e + u.chars().count();
        let tail: String = c[ue..c.len().min(ue + 2)].iter().collect();
        let before: String = c[s.saturating_sub(3)..s].iter().collect();
        let lead = ["不少于", "不超过", "不得超过", "提前", "最长", "至少"]
            .iter()
            .find(|w| before.ends_with(**w) || before.ends_with(&w[w.len().saturating_sub(6)..]));
        let within = tail.starts_with('内') || tail.starts_with("之内");
        if within || lead.is_some() {
            let mut out = String::new();
            if let Some(l) = lead {
                if before.ends_with(*l) {
                    out.push_str(l);
                }
            }
            out.push_str(&digits);
            out.push_str(u);
            if tail.starts_with("之内") {
                out.push_str("之内");
            } else if within {
                out.push('内');
            }
            return Some(out);
        }
        k = e;
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Forms

const FORM_SUFFIX: &[&str] = &[
    "表", "单", "书", "簿", "清单", "笺", "函", "记录", "稿纸", "票", "日志", "笔录", "报告",
    "回证", "证明",
];

/// A form's title line.
fn is_form_title(t: &str) -> bool {
    if t.contains('\t') {
        return false;
    }
    let t = t.trim();
    if t.is_empty()
        || nchars(t) > 40
        || t.contains(['\t', '：', ':', '【', '_'])
        || t.contains("年 月 日")
        || t.starts_with(['注', '附', '（', '(', '<'])
        || t.ends_with(['。', '，', '；'])
        || parse_num(t).is_some()
    {
        return false;
    }
    let mut base = t.trim_end_matches(['”', '"']).to_string();
    if base.ends_with(['）', ')']) {
        if let Some(k) = base.rfind(['（', '(']) {
            base.truncate(k);
        }
    }
    FORM_SUFFIX.iter().any(|s| base.ends_with(s))
}

fn looks_like_form_start(lines: &Lines<'_>, i: usize, end: usize) -> bool {
    if !is_form_title(&lines.lines[i].text) {
        return false;
    }
    next_nonblank(lines, i + 1, end).is_some_and(|j| {
        let t = lines.text(j);
        t.starts_with('【') || t.contains('\t') || t.contains("年 月 日") || t.starts_with("编号")
    })
}

/// Remove HTML left in table cells; checkboxes become ☐.
fn clean_cell(s: &str) -> String {
    let s = s
        .replace("<input type=\"checkbox\"/>", "☐")
        .replace("<input type=\"checkbox\">", "☐")
        .replace("</p>", "\n")
        .replace("<br>", "\n")
        .replace("<br/>", "\n");
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn form_row(t: &str) -> Vec<String> {
    if t.contains('\t') {
        let mut cells: Vec<String> = t.split('\t').map(clean_cell).collect();
        while cells.len() > 1 && cells.last().is_some_and(String::is_empty) {
            cells.pop();
        }
        return cells;
    }
    let t = clean_cell(t);
    if let Some(k) = t.find(['：', ':']) {
        let key = t[..k].trim();
        if !key.is_empty() && nchars(key) <= 15 {
            let colon = t[k..].chars().next().map_or(1, char::len_utf8);
            return vec![key.to_string(), t[k + colon..].trim().to_string()];
        }
    }
    vec![t]
}

fn parse_forms(lines: &mut Lines<'_>, idx: &[usize]) -> Vec<Form> {
    let mut forms: Vec<Form> = Vec::new();
    let mut toc: Vec<(usize, String)> = Vec::new();
    // A numbered heading (and lines after it) waiting for the title of its form.
    let mut pending: Option<(String, Vec<Vec<String>>)> = None;
    let mut in_notes = false;
    let mut k = 0;
    while k < idx.len() {
        let i = idx[k];
        let t = lines.lines[i].text.trim_matches(' ').to_string();
        let numbered = parse_num(&strip_markdown(&t)).is_some() && !t.contains('\t');
        if is_form_title(&t) {
            let name = tidy(&t);
            if let Some(f) = forms.last() {
                if f.name == name && f.rows.is_empty() && f.notes.is_empty() && pending.is_none() {
                    lines.used(i);
                    lines.repair(i, "form title printed twice; kept once");
                    k += 1;
                    continue;
                }
            }
            let mut f = Form {
                name,
                ..Default::default()
            };
            if let Some((alias, rows)) = pending.take() {
                if alias != f.name {
                    f.aliases.push(alias);
                }
                f.rows = rows;
            }
            forms.push(f);
            in_notes = false;
            lines.used(i);
            k += 1;
            continue;
        }
        if numbered {
            let next_numbered = idx
                .get(k + 1)
                .is_some_and(|&j| parse_num(&strip_markdown(lines.text(j))).is_some());
            let prev_toc = toc
                .last()
                .is_some_and(|(p, _)| idx.get(k.wrapping_sub(1)) == Some(p));
            if forms.is_empty() && (next_numbered || prev_toc) {
                toc.push((i, tidy(&without_num(&t))));
                lines.used(i);
                k += 1;
                continue;
            }
            // A heading for the next form when a title follows within a few lines.
            let title_ahead = idx[k + 1..]
                .iter()
                .take(4)
                .take_while(|&&j| {
                    let x = lines.text(j);
                    !x.contains('\t') && parse_num(&strip_markdown(x)).is_none()
                })
                .any(|&j| is_form_title(&lines.lines[j].text));
            if title_ahead {
                pending = Some((tidy(&without_num(&t)), vec![]));
                lines.used(i);
                k += 1;
                continue;
            }
        }
        if let Some((_, rows)) = pending.as_mut() {
            rows.push(form_row(&t));
            lines.used(i);
            k += 1;
            continue;
        }
        let Some(f) = forms.last_mut() else {
            k += 1;
            continue;
        };
        lines.used(i);
        let plain = strip_markdown(&t);
        if plain.starts_with("注") || plain.starts_with("备注：") || plain.starts_with("备注:")
        {
            f.notes.push(clean_cell(&t));
            in_notes = true;
        } else if in_notes && !t.contains('\t') && numbered {
            f.notes.push(clean_cell(&t));
        } else if f.rows.is_empty()
            && f.summary.is_none()
            && (t.starts_with('(') || t.starts_with('（'))
            && nchars(&t) <= 20
        {
            f.summary = Some(t.trim_matches(['(', ')', '（', '）']).to_string());
        } else {
            in_notes = false;
            f.rows.push(form_row(&t));
        }
        k += 1;
    }
    // The section's own list of form titles: aliases where they differ.
    for (_, title) in toc {
        let key = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
        let best = forms
            .iter()
            .enumerate()
            .map(|(k, f)| (k, similarity(&key(&f.name), &key(&title))))
            .filter(|(_, s)| *s >= 0.5)
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((k, _)) = best {
            let f = &mut forms[k];
            if key(&f.name) != key(&title) && !f.aliases.contains(&title) {
                f.aliases.push(title);
            }
        }
    }
    forms
}

/// Every form name of the organisation, to link `《…》` references in steps.
struct FormIndex {
    names: BTreeSet<String>,
    prefixes: Vec<String>,
}

impl FormIndex {
    fn new(depts: &[DeptFile], self_names: &[String]) -> Self {
        let mut prefixes: Vec<String> = self_names.to_vec();
        prefixes.sort_by_key(|p| std::cmp::Reverse(p.len()));
        let mut names = BTreeSet::new();
        for f in depts.iter().flat_map(|d| &d.forms) {
            for n in std::iter::once(&f.name).chain(&f.aliases) {
                names.insert(n.clone());
                for p in &prefixes {
                    if let Some(s) = n.strip_prefix(p.as_str()) {
                        if nchars(s) >= 2 {
                            names.insert(s.to_string());
                        }
                    }
                }
            }
        }
        FormIndex { names, prefixes }
    }

    fn known(&self, n: &str) -> bool {
        self.names.contains(n)
            || self.prefixes.iter().any(|p| {
                n.strip_prefix(p.as_str())
                    .is_some_and(|s| self.names.contains(s))
            })
    }

    fn used_in(&self, text: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut rest = text;
        while let Some(a) = rest.find('《') {
            let after = &rest[a + '《'.len_utf8()..];
            let Some(b) = after.find('》') else { break };
            let name = after[..b].trim();
            if FORM_SUFFIX.iter().any(|s| name.ends_with(s))
                && self.known(name)
                && !out.iter().any(|x| x == name)
            {
                out.push(name.to_string());
            }
            rest = &after[b..];
        }
        out
    }
}
