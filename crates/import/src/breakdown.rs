//! Import of Duty breakdown tables with per-matter post specs and procedures (seed 003).
//!
//! The document has two parts:
//!
//! 1. `一、部门职责细化分解表`: one tab-separated table of eight columns (序号, 内设机构,
//!    序号, 主要职责, 序号, 细化分解职责, 岗位规范及工作流程, 负责岗位), broken by pages: the
//!    header row repeats, the department cell repeats, cells are split across pages, a Markdown
//!    separator row and a page footer sit inside it, and a few rows have their columns shifted.
//!    It gives each department its 主要职责 (summary), its detailed duties (with the `详见 N 页`
//!    page as the join key) and its posts (from the 负责岗位 mini-language).
//! 2. `二、职责岗位规范工作流程`: per department (`（一）办公室（18个）`), one matter per
//!    `详见` target, each with `一、事项名称` … `六、流程图`. Heading depth and bold marks are
//!    meaningless; titles are missing or broken around flowchart images. Each matter becomes a
//!    procedure.

use super::document::Document;
use super::lines::{parse_num, strip_markdown, Lines, Num};
use super::Imported;
use zhize_core::model::{
    Contact, DeptFile, DivisionFull, DivisionItem, Duty, DutyFull, OrgFile, Post, Procedure,
    Scalar, Step,
};
use zhize_core::text::is_han;

/// Columns of the breakdown table.
const COLS: usize = 8;
const C_DEPT_NO: usize = 0;
const C_DEPT: usize = 1;
const C_MAIN_NO: usize = 2;
const C_MAIN: usize = 3;
const C_DUTY_NO: usize = 4;
const C_DUTY: usize = 5;
const C_PAGE: usize = 6;
const C_POSTS: usize = 7;

/// Parse the document. Lines put into a field must be marked with `lines.used` /
/// `lines.take`; whatever stays unmarked is kept in `unparsed` by the caller.
pub fn parse(doc: &Document, lines: &mut Lines<'_>) -> Imported {
    let n = lines.len();
    let part1 = (0..n).find(|&i| is_part_heading(lines.text(i), 1));
    let part2 = (0..n).find(|&i| is_part_heading(lines.text(i), 2));
    if part1.is_none() && part2.is_none() {
        return super::whole_as_page(doc, lines);
    }
    let (table_start, table_end) = match (part1, part2) {
        (Some(a), Some(b)) if a < b => (a + 1, b),
        (Some(a), _) => (a + 1, n),
        (None, Some(b)) => (0, b),
        (None, None) => (0, 0),
    };
    for h in [part1, part2].into_iter().flatten() {
        lines.used(h);
    }
    let mut depts = parse_table(lines, table_start, table_end);
    if let Some(p2) = part2 {
        parse_matters(lines, p2 + 1, n, &mut depts);
    }
    let org_name = org_name(doc);
    let mut out = Vec::new();
    for d in depts {
        out.push(build_dept(d, lines));
    }
    // Report repairs in source order.
    lines.repairs.sort_by_key(|r| r.line);
    let aliases = org_aliases(&org_name);
    Imported {
        org: Some(OrgFile {
            name: org_name,
            aliases,
            ..Default::default()
        }),
        depts: out,
        pages: vec![],
    }
}

/// `## 一、部门职责细化分解表` (part 1) or `## 二、职责岗位规范工作流程` (part 2).
fn is_part_heading(t: &str, part: u32) -> bool {
    let s = strip_markdown(t);
    match parse_num(&s) {
        Some((Num::Cn(k), rest)) if k == part => {
            let rest = squash(rest);
            match part {
                1 => rest.contains("细化分解") && rest.ends_with('表'),
                _ => rest.contains("岗位规范") && rest.ends_with("流程"),
            }
        }
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Part 1: the table

/// A department as the table and the matters give it.
#[derive(Debug, Default)]
struct TableDept {
    no: String,
    /// As printed in the table, e.g. `机关党总支 (组织人事处)`.
    raw_name: String,
    main: Vec<(String, String)>,
    duties: Vec<DutyRow>,
    /// 负责岗位 texts: one per department row, continuation cells appended.
    post_blocks: Vec<(usize, String)>,
    matters: Vec<Matter>,
    /// `（18个）` in the part-2 header.
    expected_matters: Option<usize>,
    /// Index of the part-2 header line.
    header_line: Option<usize>,
}

#[derive(Debug)]
struct DutyRow {
    no: String,
    text: String,
    page: Option<i64>,
}

fn cells(raw: &str) -> Vec<String> {
    let mut c: Vec<String> = raw.split('\t').map(|s| s.trim().to_string()).collect();
    c.resize(COLS.max(c.len()), String::new());
    c
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && s.len() <= 3 && s.chars().all(|c| c.is_ascii_digit())
}

fn is_header_row(c: &[String]) -> bool {
    c[0] == "序号" && c.iter().any(|x| x.contains("内设机构"))
}

fn is_separator_row(c: &[String]) -> bool {
    c.iter().any(|x| x.contains('-'))
        && c.iter()
            .all(|x| x.chars().all(|ch| matches!(ch, '-' | ':' | ' ' | '|')))
}

/// `详见 11 页` → 11.
fn page_ref(s: &str) -> Option<i64> {
    let t = squash(s);
    let inner = t.strip_prefix("详见")?.strip_suffix('页')?;
    let inner = inner.strip_prefix('第').unwrap_or(inner);
    inner.parse().ok()
}

fn parse_table(lines: &mut Lines<'_>, start: usize, end: usize) -> Vec<TableDept> {
    let mut depts: Vec<TableDept> = Vec::new();
    let mut cur: Option<usize> = None;
    let mut headers = 0;
    for i in start..end {
        if lines.is_used(i) || lines.blank(i) {
            continue;
        }
        let raw = lines.lines[i].text.as_str();
        if !raw.contains('\t') {
            continue; // not a table row: left for `unparsed`
        }
        let mut c = cells(raw);
        for k in [C_MAIN, C_DUTY] {
            let closed = close_han_gaps(&c[k]);
            if closed != c[k] {
                lines.repair(
                    i,
                    format!("space inside a word removed: `{}`", short(&c[k])),
                );
                c[k] = closed;
            }
        }
        if is_header_row(&c) {
            headers += 1;
            lines.used(i);
            if headers > 1 {
                lines.repair(i, "repeated table header row (page break) dropped");
            }
            continue;
        }
        if is_separator_row(&c) {
            lines.used(i);
            lines.repair(i, "Markdown table separator row dropped");
            continue;
        }
        let dept_row = !c[C_DEPT_NO].is_empty() && !c[C_DEPT].is_empty();
        if dept_row {
            let no = c[C_DEPT_NO].clone();
            let idx = match depts.iter().position(|d| d.no == no) {
                Some(k) => {
                    if squash(&depts[k].raw_name) != squash(&c[C_DEPT]) {
                        lines.repair(
                            i,
                            format!(
                                "department {no} is named `{}` here and `{}` before; kept the first",
                                c[C_DEPT], depts[k].raw_name
                            ),
                        );
                    }
                    k
                }
                None => {
                    depts.push(TableDept {
                        no,
                        raw_name: c[C_DEPT].clone(),
                        ..Default::default()
                    });
                    depts.len() - 1
                }
            };
            cur = Some(idx);
        }
        let Some(di) = cur else {
            continue; // a row before any department: left for `unparsed`
        };
        // Column shift: `||6||text|||` has the duty number in the main-duty number column and
        // the text in the duty-number column.
        if is_number(&c[C_MAIN_NO])
            && c[C_MAIN].is_empty()
            && !c[C_DUTY_NO].is_empty()
            && !is_number(&c[C_DUTY_NO])
            && c[C_DUTY].is_empty()
        {
            c[C_DUTY] = std::mem::take(&mut c[C_DUTY_NO]);
            c[C_DUTY_NO] = std::mem::take(&mut c[C_MAIN_NO]);
            lines.repair(
                i,
                format!(
                    "columns shifted left by two; read `{}` as detailed duty {}",
                    short(&c[C_DUTY]),
                    c[C_DUTY_NO]
                ),
            );
        }
        let d = &mut depts[di];
        // A continuation cell with nothing to continue: the row is left for `unparsed`.
        if !main_duty_cell(d, &c, lines, i) || !detailed_duty_cell(d, &c, lines, i) {
            continue;
        }
        // 负责岗位
        if !c[C_POSTS].is_empty() {
            if dept_row || d.post_blocks.is_empty() {
                d.post_blocks.push((i, c[C_POSTS].clone()));
            } else if let Some((_, b)) = d.post_blocks.last_mut() {
                b.push_str(&c[C_POSTS]);
                lines.repair(i, "continuation cell of 负责岗位 re-joined");
            }
        }
        lines.used(i);
    }
    depts
}

/// The 主要职责 cells of a row: a new main duty, a repeat, or the rest of one cut by a page.
fn main_duty_cell(d: &mut TableDept, c: &[String], lines: &mut Lines<'_>, i: usize) -> bool {
    // 主要职责
    if is_number(&c[C_MAIN_NO]) {
        let no = c[C_MAIN_NO].clone();
        match d.main.iter_mut().find(|(n, _)| *n == no) {
            Some((_, text)) if squash(text) == squash(&c[C_MAIN]) => {
                lines.repair(i, format!("repeated main duty {no} dropped"));
            }
            Some((_, text)) => {
                join_cell(text, &c[C_MAIN]);
                lines.repair(
                    i,
                    format!("main duty {no} continued in a second cell; re-joined"),
                );
            }
            None => d.main.push((no, c[C_MAIN].clone())),
        }
    } else if !c[C_MAIN].is_empty() {
        match d.main.last_mut() {
            Some((no, text)) => {
                let frag = c[C_MAIN].as_str();
                if frag.chars().count() <= 2 && text.ends_with(frag) {
                    lines.repair(
                        i,
                        format!(
                            "continuation cell `{frag}` repeats the end of main duty {no}; dropped"
                        ),
                    );
                } else {
                    join_cell(text, frag);
                    lines.repair(i, format!("continuation cell of main duty {no} re-joined"));
                }
            }
            None => return false,
        }
    }
    true
}

/// The 细化分解职责 cells of a row: a new detailed duty, or the rest of one.
fn detailed_duty_cell(d: &mut TableDept, c: &[String], lines: &mut Lines<'_>, i: usize) -> bool {
    // 细化分解职责
    if is_number(&c[C_DUTY_NO]) {
        let page = page_ref(&c[C_PAGE]);
        d.duties.push(DutyRow {
            no: c[C_DUTY_NO].clone(),
            text: c[C_DUTY].clone(),
            page,
        });
    } else if !c[C_DUTY].is_empty() {
        match d.duties.last_mut() {
            Some(row) => {
                join_cell(&mut row.text, &c[C_DUTY]);
                if row.page.is_none() {
                    row.page = page_ref(&c[C_PAGE]);
                }
                lines.repair(
                    i,
                    format!("continuation cell of detailed duty {} re-joined", row.no),
                );
            }
            None => return false,
        }
    }
    true
}

/// Append a continuation cell: cells are split mid-word, so no separator.
fn join_cell(text: &mut String, more: &str) {
    text.push_str(more.trim());
}

/// A post parsed from the 负责岗位 text.
#[derive(Debug, Clone, PartialEq)]
struct PostSpec {
    name: String,
    rank: String,
    summary: String,
    covers: Vec<Scalar>,
}

const RANKS: [(&str, &str); 4] = [
    ("正职岗位", "正职"),
    ("副职岗位", "副职"),
    ("业务岗位", "业务岗位"),
    ("综合岗位", "综合岗位"),
];

/// `正职岗位 1， 负责办公室全面工作。 副职岗位 1， 负责 1、2、3 项。…` → posts.
fn parse_posts(text: &str) -> Vec<PostSpec> {
    let t = squash(text);
    // Byte offsets where a post starts.
    let mut starts: Vec<(usize, &str, &str)> = Vec::new();
    for (word, rank) in RANKS {
        for (pos, _) in t.match_indices(word) {
            starts.push((pos, word, rank));
        }
    }
    starts.sort_by_key(|s| s.0);
    let mut out = Vec::new();
    for (k, &(pos, word, rank)) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(t.len(), |s| s.0);
        let seg = &t[pos + word.len()..end];
        let digits: String = seg.chars().take_while(|c| c.is_ascii_digit()).collect();
        let body = seg[digits.len()..]
            .trim_matches(|c: char| matches!(c, '，' | ',' | '；' | ';' | '。' | '、' | ' '));
        let name = format!("{word}{digits}");
        let covers = parse_covers(body);
        out.push(PostSpec {
            name,
            rank: rank.to_string(),
            summary: body.to_string(),
            covers,
        });
    }
    out
}

/// Numbers and ranges (`第 1-4 条`, `1、2、3 项`, `1, 2, 7-10`), else 全部 for 全面工作.
fn parse_covers(body: &str) -> Vec<Scalar> {
    let chars: Vec<char> = body.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let a: String = chars[i..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            i += a.len();
            if i + 1 < chars.len() && matches!(chars[i], '-' | '－' | '–' | '至') {
                let b: String = chars[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .collect();
                if !b.is_empty() {
                    i += 1 + b.len();
                    out.push(Scalar::Text(format!("{a}-{b}")));
                    continue;
                }
            }
            if let Ok(v) = a.parse() {
                out.push(Scalar::Int(v));
            }
        } else {
            i += 1;
        }
    }
    if out.is_empty() && body.contains("全面") {
        out.push(Scalar::Text("全部".into()));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Part 2: the matters

/// Where in a matter the cursor is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Zone {
    /// After a `N. …职责岗位规范工作流程` title, before `一、事项名称`.
    Title,
    Name,
    Spec,
    Flow,
    Coop,
    Contact,
    Chart,
    /// After the flowchart title: whatever follows belongs to the next matter.
    Done,
}

#[derive(Debug)]
struct Matter {
    zone: Zone,
    title: Option<String>,
    name_lines: Vec<String>,
    specs: Vec<String>,
    preamble: String,
    steps: Vec<Step>,
    coop: Vec<String>,
    contact_names: Vec<(usize, String)>,
    phone: Option<String>,
    address: Option<(usize, String)>,
    chart: Option<String>,
}

impl Matter {
    fn new(zone: Zone) -> Self {
        Matter {
            zone,
            title: None,
            name_lines: Vec::new(),
            specs: Vec::new(),
            preamble: String::new(),
            steps: Vec::new(),
            coop: Vec::new(),
            contact_names: Vec::new(),
            phone: None,
            address: None,
            chart: None,
        }
    }
}

/// `1. 车辆管理工作职责岗位规范工作流程` → `车辆管理工作`.
fn matter_title(t: &str) -> Option<String> {
    let s = strip_markdown(t);
    let (num, rest) = parse_num(&s)?;
    if !matches!(num, Num::Ar(_)) {
        return None;
    }
    let r = squash(rest);
    if !(r.contains("岗位规范") && r.ends_with("流程")) {
        return None;
    }
    let stem = r
        .trim_end_matches("工作流程")
        .trim_end_matches("岗位规范")
        .trim_end_matches("职责");
    Some(stem.to_string())
}

/// The section number of `一、事项名称` … `六、流程图`.
fn section(t: &str) -> Option<u32> {
    let s = strip_markdown(t);
    let (num, rest) = parse_num(&s)?;
    let Num::Cn(k) = num else { return None };
    let kw = squash(rest.trim_end_matches([':', '：']));
    let want = match k {
        1 => "事项名称",
        2 => "岗位规范",
        3 => "流程标准",
        4 => "协同处室",
        5 => "联系方式",
        6 => "流程图",
        _ => return None,
    };
    (kw == want).then_some(k)
}

/// `（一）办公室（18个）` → (department index, 18).
fn dept_heading(t: &str, depts: &[TableDept]) -> Option<(usize, Option<usize>)> {
    let s = strip_markdown(t);
    let (Num::CnParen(_), rest) = parse_num(&s)? else {
        return None;
    };
    let mut r = norm_parens(&squash(rest));
    let mut count = None;
    if let Some(inner) = r.strip_suffix("个）") {
        if let Some(open) = inner.rfind('（') {
            let digits = &inner[open + '（'.len_utf8()..];
            if is_number(digits) {
                count = digits.parse().ok();
                r = inner[..open].to_string();
            }
        }
    }
    let di = depts
        .iter()
        .position(|d| norm_parens(&squash(&d.raw_name)) == r)?;
    Some((di, count))
}

fn parse_matters(lines: &mut Lines<'_>, start: usize, end: usize, depts: &mut [TableDept]) {
    let mut dept: Option<usize> = None;
    let mut cur: Option<Matter> = None;
    // Lines after a finished matter and before the next one starts (broken titles, names).
    let mut pending: Vec<usize> = Vec::new();

    let finish = |cur: &mut Option<Matter>, dept: Option<usize>, depts: &mut [TableDept]| {
        if let (Some(m), Some(d)) = (cur.take(), dept) {
            depts[d].matters.push(m);
        }
    };

    for i in start..end {
        if lines.is_used(i) || lines.blank(i) {
            continue;
        }
        let t = lines.text(i);
        if let Some((di, count)) = dept_heading(t, depts) {
            finish(&mut cur, dept, depts);
            dept = Some(di);
            depts[di].expected_matters = count;
            depts[di].header_line = Some(i);
            lines.used(i);
            if count.is_none() {
                lines.repair(
                    i,
                    "department heading gives no matter count; counted the matters instead",
                );
            }
            continue;
        }
        if dept.is_none() {
            continue; // before the first department: left for `unparsed`
        }
        if let Some(k) = section(t) {
            let zone = match k {
                1 => Zone::Name,
                2 => Zone::Spec,
                3 => Zone::Flow,
                4 => Zone::Coop,
                5 => Zone::Contact,
                _ => Zone::Chart,
            };
            let new = match &cur {
                None => true,
                Some(m) => m.zone >= zone || m.zone >= Zone::Flow && zone <= Zone::Spec,
            };
            if new && zone <= Zone::Spec {
                finish(&mut cur, dept, depts);
                let mut m = Matter::new(zone);
                take_pending(lines, &mut pending, &mut m, zone);
                cur = Some(m);
            }
            if let Some(m) = cur.as_mut() {
                m.zone = zone;
                lines.used(i);
            }
            continue;
        }
        if let Some(stem) = matter_title(t) {
            finish(&mut cur, dept, depts);
            let mut m = Matter::new(Zone::Title);
            take_pending(lines, &mut pending, &mut m, Zone::Name);
            m.title = Some(stem);
            cur = Some(m);
            lines.used(i);
            continue;
        }
        let Some(m) = cur.as_mut() else {
            pending.push(i);
            continue;
        };
        match m.zone {
            Zone::Title | Zone::Done => pending.push(i),
            Zone::Name => {
                m.name_lines.push(strip_markdown(t));
                lines.used(i);
            }
            Zone::Spec => {
                let s = strip_markdown(t);
                match parse_num(&s) {
                    Some((Num::Ar(n), rest)) => m.specs.push(format!("{n}. {rest}")),
                    _ => match m.specs.last_mut() {
                        Some(last) => {
                            last.push_str(&s);
                            lines.repair(i, "line break inside a 岗位规范 item re-joined");
                        }
                        None => m.specs.push(format!("- {s}")),
                    },
                }
                lines.used(i);
            }
            Zone::Flow => {
                flow_line(lines, i, m);
                lines.used(i);
            }
            Zone::Coop => {
                m.coop.push(strip_markdown(t));
                lines.used(i);
            }
            Zone::Contact => {
                let s = strip_markdown(t);
                let kv = s
                    .split_once(['：', ':'])
                    .map(|(k, v)| (squash(k), v.trim()));
                match kv {
                    Some((k, v)) if k == "联系人" => {
                        m.contact_names.push((i, v.to_string()));
                        lines.used(i);
                    }
                    Some((k, v)) if k == "联系方式" || k == "联系电话" || k == "电话" => {
                        m.phone = Some(v.to_string());
                        lines.used(i);
                    }
                    Some((k, v)) if k == "办公地址" || k == "地址" => {
                        m.address = Some((i, v.to_string()));
                        lines.used(i);
                    }
                    _ => {
                        m.zone = Zone::Done;
                        pending.push(i);
                    }
                }
            }
            Zone::Chart => {
                m.chart = Some(strip_markdown(t));
                m.zone = Zone::Done;
                lines.used(i);
            }
        }
    }
    finish(&mut cur, dept, depts);
}

/// Give the lines between two matters to the matter that starts now: title fragments when the
/// matter has its `一、事项名称`, else its name paragraph.
fn take_pending(lines: &mut Lines<'_>, pending: &mut Vec<usize>, m: &mut Matter, zone: Zone) {
    if pending.is_empty() {
        return;
    }
    let first = pending[0];
    let texts: Vec<String> = pending
        .iter()
        .map(|&p| strip_markdown(lines.text(p)))
        .collect();
    if zone == Zone::Spec {
        // No `一、事项名称`: the paragraph before `二、岗位规范` is the name.
        m.name_lines = texts;
        lines.repair(
            first,
            "matter has no title and no 一、事项名称; its name is taken from this paragraph",
        );
    } else {
        lines.repair(
            first,
            format!(
                "broken matter title `{}` dropped; the name is taken from 一、事项名称",
                texts.join(" / ")
            ),
        );
    }
    for p in pending.drain(..) {
        lines.used(p);
    }
}

/// One line of `三、流程标准`.
fn flow_line(lines: &mut Lines<'_>, i: usize, m: &mut Matter) {
    let t = lines.text(i);
    let s = strip_markdown(t);
    match parse_num(&s) {
        Some((Num::CnParen(_), rest)) => {
            if squash(rest) == "流程图" {
                m.zone = Zone::Chart;
                lines.repair(
                    i,
                    "flowchart heading inside 三、流程标准 read as 六、流程图",
                );
                return;
            }
            let (label, text) = split_label(rest, false);
            m.steps.push(Step {
                label,
                text,
                ..Default::default()
            });
        }
        Some((Num::Ar(n), _)) => {
            let (label, text) = bold_step(t).unwrap_or_else(|| {
                let rest = parse_num(&s).map(|(_, r)| r).unwrap_or(s.as_str());
                split_label(rest, true)
            });
            // Inline enumeration: `1. …； 2. …； 3. …` on one line.
            let parts = text
                .as_deref()
                .map(|x| split_inline(x, n))
                .unwrap_or_default();
            if parts.len() > 1 {
                lines.repair(
                    i,
                    format!(
                        "inline enumeration {n}.–{}. split into {} steps",
                        n as usize + parts.len() - 1,
                        parts.len()
                    ),
                );
                for (k, p) in parts.into_iter().enumerate() {
                    m.steps.push(Step {
                        label: if k == 0 { label.clone() } else { None },
                        text: Some(p),
                        ..Default::default()
                    });
                }
            } else {
                m.steps.push(Step {
                    label,
                    text,
                    ..Default::default()
                });
            }
        }
        _ => {
            let target = match m.steps.last_mut() {
                Some(st) => st.text.get_or_insert_with(String::new),
                None => &mut m.preamble,
            };
            if join_para(target, &s) {
                lines.repair(i, "line break inside a sentence re-joined");
            }
        }
    }
}

/// `1. **明确使用范围。**机要…` or `**1. 明确…。**根据…` → (label, text).
fn bold_step(t: &str) -> Option<(Option<String>, Option<String>)> {
    let s = t.trim_start_matches('#').trim();
    let (label, after) = if let Some(inner) = s.strip_prefix("**") {
        let (num, rest) = parse_num(inner)?;
        if !matches!(num, Num::Ar(_)) {
            return None;
        }
        let end = rest.find("**")?;
        (&rest[..end], &rest[end + 2..])
    } else {
        let (num, rest) = parse_num(s)?;
        if !matches!(num, Num::Ar(_)) {
            return None;
        }
        let inner = rest.strip_prefix("**")?;
        let end = inner.find("**")?;
        (&inner[..end], &inner[end + 2..])
    };
    let label = clean_label(label);
    if label.is_empty() {
        return None;
    }
    let text = after.replace("**", "").trim().to_string();
    Some((Some(label), (!text.is_empty()).then_some(text)))
}

fn clean_label(s: &str) -> String {
    s.trim()
        .trim_end_matches(['。', '：', ':', '；'])
        .trim()
        .to_string()
}

/// A step's run-in label: `拟办。接到…` → (拟办, 接到…); `收集：各处室…` → (收集, 各处室…);
/// a group heading without a full stop is all label.
fn split_label(rest: &str, numbered: bool) -> (Option<String>, Option<String>) {
    let rest = rest.trim();
    if rest.is_empty() {
        return (None, None);
    }
    if let Some(p) = rest.find('。') {
        let head = &rest[..p];
        let tail = rest[p + '。'.len_utf8()..].trim();
        // A run-in label is a short noun phrase, not an instruction (`假期期满后要…`).
        let instruction = ['要', '应', '须', '必', '后']
            .iter()
            .any(|c| head.contains(*c));
        if !tail.is_empty() && squash(head).chars().count() <= 16 && !instruction {
            return (Some(clean_label(head)), Some(tail.to_string()));
        }
    } else if !numbered {
        return (Some(clean_label(rest)), None);
    }
    if let Some(p) = rest.find('：') {
        let head = &rest[..p];
        let tail = rest[p + '：'.len_utf8()..].trim();
        if !tail.is_empty()
            && squash(head).chars().count() <= 8
            && !["包括", "主要", "如下", "为"]
                .iter()
                .any(|w| head.contains(w))
        {
            return (Some(clean_label(head)), Some(tail.to_string()));
        }
    }
    (None, Some(rest.to_string()))
}

/// `中央…； 2. 市委…； 3. …` (text of step `n`) → the items, when they run on in order.
fn split_inline(text: &str, n: u32) -> Vec<String> {
    let mut parts = Vec::new();
    let mut rest = text;
    let mut k = n + 1;
    loop {
        let marker = format!("{k}.");
        let found = rest.match_indices('；').find_map(|(p, _)| {
            let after = rest[p + '；'.len_utf8()..].trim_start();
            after.strip_prefix(&marker).map(|a| (p, a.trim_start()))
        });
        match found {
            Some((p, after)) => {
                parts.push(rest[..p + '；'.len_utf8()].trim().to_string());
                rest = after;
                k += 1;
            }
            None => break,
        }
    }
    parts.push(rest.trim().to_string());
    if parts.len() < 3 {
        return vec![text.to_string()];
    }
    parts
}

/// Append a line to a text: a new paragraph after a full stop, else the rest of a sentence
/// broken by the export. Returns whether a broken sentence was re-joined.
fn join_para(buf: &mut String, next: &str) -> bool {
    let next = next.trim();
    if buf.is_empty() {
        buf.push_str(next);
        return false;
    }
    let last = buf.chars().last().unwrap_or('。');
    if matches!(
        last,
        '。' | '！' | '？' | '；' | '：' | '）' | ')' | '”' | '!' | '?'
    ) {
        buf.push_str("\n\n");
        buf.push_str(next);
        false
    } else {
        buf.push_str(next);
        true
    }
}

// ---------------------------------------------------------------------------------------------
// Building the model

fn build_dept(mut d: TableDept, lines: &mut Lines<'_>) -> DeptFile {
    let (name, aliases) = dept_name(&d.raw_name);
    // Posts: every block is the same text repeated after page breaks; merge by name.
    let mut posts: Vec<PostSpec> = Vec::new();
    for (k, (line, block)) in d.post_blocks.iter().enumerate() {
        let parsed = parse_posts(block);
        if parsed.is_empty() {
            lines.repair(
                *line,
                format!("no post found in 负责岗位 `{}`", short(block)),
            );
        }
        if k > 0 {
            lines.repair(
                *line,
                "负责岗位 text repeated with the department cell; merged",
            );
        }
        for p in parsed {
            match posts.iter().find(|q| q.name == p.name) {
                Some(q) if q.covers != p.covers => lines.repair(
                    *line,
                    format!(
                        "post {} reads `{}` here but `{}` before; kept the first",
                        p.name, p.summary, q.summary
                    ),
                ),
                Some(_) => {}
                None => posts.push(p),
            }
        }
    }
    let posts = posts
        .into_iter()
        .map(|p| Post {
            name: p.name,
            rank: Some(p.rank),
            covers: p.covers,
            summary: (!p.summary.is_empty()).then_some(p.summary),
            ..Default::default()
        })
        .collect();

    // Join the `详见 N 页` references to the matters, in order. References to the same page
    // share one matter when there are fewer matters than references.
    let refs: Vec<(usize, i64)> = d
        .duties
        .iter()
        .enumerate()
        .filter_map(|(k, r)| r.page.map(|p| (k, p)))
        .collect();
    let mut matter_duties: Vec<Vec<(String, i64)>> = vec![Vec::new(); d.matters.len()];
    let mut m: Option<usize> = None;
    for (k, &(di, page)) in refs.iter().enumerate() {
        let next = m.map_or(0, |x| x + 1);
        let share =
            k > 0 && refs[k - 1].1 == page && refs.len() - k > d.matters.len().saturating_sub(next);
        if !share {
            m = Some(next);
        }
        let mi = m.unwrap_or(0);
        if let Some(list) = matter_duties.get_mut(mi) {
            list.push((d.duties[di].no.clone(), page));
        }
    }
    if refs.len() != d.matters.len() {
        if let Some(h) = d.header_line {
            lines.repair(
                h,
                format!(
                    "{} has {} `详见` references but {} matter(s); references to the same page share one matter",
                    name,
                    refs.len(),
                    d.matters.len()
                ),
            );
        }
    }
    if let (Some(h), Some(n)) = (d.header_line, d.expected_matters) {
        if n != d.matters.len() {
            lines.repair(
                h,
                format!("heading announces {n} matters, {} found", d.matters.len()),
            );
        }
    }

    let mut procedures = Vec::new();
    let mut internal = Vec::new();
    for (mi, matter) in std::mem::take(&mut d.matters).into_iter().enumerate() {
        let (proc_, item) = build_procedure(matter, &matter_duties[mi], &d, lines);
        procedures.push(proc_);
        internal.extend(item);
    }

    let summary = d
        .main
        .iter()
        .map(|(_, t)| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    let duties = d
        .duties
        .iter()
        .map(|r| {
            Duty::Full(DutyFull {
                no: Some(r.no.clone()),
                text: r.text.clone(),
                page: r.page.map(Scalar::Int),
                ..Default::default()
            })
        })
        .collect();
    let mut file = DeptFile {
        name,
        aliases,
        summary: (!summary.is_empty()).then_some(summary),
        duties,
        posts,
        procedures,
        order: d.no.parse().ok(),
        ..Default::default()
    };
    file.division.internal = internal;
    file
}

fn build_procedure(
    m: Matter,
    duties: &[(String, i64)],
    d: &TableDept,
    lines: &mut Lines<'_>,
) -> (Procedure, Option<DivisionItem>) {
    // Name: the first sentence of 事项名称; the rest (`包括…`) is the matter's scope.
    let name_text = m.name_lines.join("");
    let (name, scope) = match name_text.find('。') {
        Some(p) => (
            name_text[..p].trim().to_string(),
            name_text[p + '。'.len_utf8()..].trim().to_string(),
        ),
        None => (name_text.trim().to_string(), String::new()),
    };
    let name = if name.is_empty() {
        m.title.clone().unwrap_or_else(|| "未命名事项".to_string())
    } else {
        name
    };
    let mut aliases = Vec::new();
    if let Some(t) = &m.title {
        if !t.is_empty() && squash(t) != squash(&name) {
            aliases.push(t.clone());
        }
    }
    let mut summary = Vec::new();
    if !scope.is_empty() {
        summary.push(scope);
    }
    if !m.specs.is_empty() {
        summary.push("岗位规范：".to_string());
        summary.push(m.specs.join("\n"));
    }
    if !m.preamble.is_empty() {
        summary.push(m.preamble.clone());
    }
    let mut notes = Vec::new();
    let mut item = None;
    if !duties.is_empty() {
        let nos: Vec<&str> = duties.iter().map(|(n, _)| n.as_str()).collect();
        let mut pages: Vec<i64> = duties.iter().map(|(_, p)| *p).collect();
        pages.dedup();
        let pages: Vec<String> = pages.iter().map(i64::to_string).collect();
        notes.push(format!(
            "对应细化职责第 {} 项（原文“详见 {} 页”）。",
            nos.join("、"),
            pages.join("、")
        ));
    }
    let coop = m.coop.join("");
    if !coop.is_empty() {
        notes.push(format!("协同处室：{coop}"));
        let bare = coop.trim_end_matches('。');
        let names: Vec<&str> = bare.split(['、', '，', ',']).map(str::trim).collect();
        let own = squash(&d.raw_name);
        if !names.is_empty()
            && names.iter().all(|n| {
                let n = squash(n);
                n != own
                    && (n.ends_with('处') || n.ends_with('室') || n.ends_with("总支"))
                    && n.chars().count() <= 16
            })
        {
            item = Some(DivisionItem::Full(DivisionFull {
                with: names.iter().map(|s| s.to_string()).collect(),
                text: format!("{name}：协同处室 {}", names.join("、")),
                ..Default::default()
            }));
        }
    }
    if let Some(c) = &m.chart {
        notes.push(format!("流程图：{c}"));
    }
    // Contacts.
    let phone = m.phone.clone().filter(|p| !p.is_empty());
    let address = m.address.as_ref().map(|(line, a)| {
        let n = squash(a);
        if n != *a {
            lines.repair(*line, format!("address `{a}` written as {n}"));
        }
        n
    });
    let mut contacts = Vec::new();
    for (line, raw) in &m.contact_names {
        for (name, role) in split_contacts(raw, *line, lines) {
            contacts.push(Contact {
                name,
                role,
                phone: phone.clone(),
                address: address.clone(),
                ..Default::default()
            });
        }
    }
    if m.contact_names.is_empty() && (phone.is_some() || address.is_some()) {
        contacts.push(Contact {
            name: d.raw_name.clone(),
            phone,
            address,
            ..Default::default()
        });
    }
    (
        Procedure {
            name,
            aliases,
            summary: (!summary.is_empty()).then(|| summary.join("\n\n")),
            steps: m.steps,
            notes,
            contacts,
            ..Default::default()
        },
        item,
    )
}

/// `张 剑 鹿祯群` → 张剑, 鹿祯群; `李 光` → 李光; `唐振涛（…处长）` → 唐振涛 with a role.
fn split_contacts(raw: &str, line: usize, lines: &mut Lines<'_>) -> Vec<(String, Option<String>)> {
    let raw = raw.trim();
    let (people, role) = match raw.find(['（', '(']) {
        Some(p) if raw.ends_with(['）', ')']) => {
            let open = raw[p..].chars().next().map_or(1, char::len_utf8);
            let close = raw.chars().last().map_or(1, char::len_utf8);
            (
                raw[..p].trim(),
                Some(raw[p + open..raw.len() - close].trim().to_string()),
            )
        }
        _ => (raw, None),
    };
    let tokens: Vec<&str> = people.split_whitespace().collect();
    let mut names: Vec<String> = Vec::new();
    let mut run = String::new();
    for tok in &tokens {
        if tok.chars().count() == 1 {
            run.push_str(tok);
        } else {
            if !run.is_empty() {
                names.push(std::mem::take(&mut run));
            }
            names.push(tok.to_string());
        }
    }
    if !run.is_empty() {
        names.push(run);
    }
    let plausible = names.iter().all(|n| (2..=4).contains(&n.chars().count()));
    if !plausible || names.is_empty() {
        return vec![(people.to_string(), role)];
    }
    if names.len() == 1 && tokens.len() > 1 {
        lines.repair(
            line,
            format!("contact name `{people}` read as {}", names[0]),
        );
    } else if names.len() > 1 {
        lines.repair(
            line,
            format!(
                "contact `{people}` read as {} people: {}",
                names.len(),
                names.join("、")
            ),
        );
    }
    names.into_iter().map(|n| (n, role.clone())).collect()
}

/// `机关党总支 (组织人事处)` → 机关党总支 with aliases 组织人事处, 机关党总支（组织人事处）.
fn dept_name(raw: &str) -> (String, Vec<String>) {
    let full = norm_parens(&squash(raw));
    if let Some(p) = full.find('（') {
        if full.ends_with('）') {
            let base = full[..p].to_string();
            let inner = full[p + '（'.len_utf8()..full.len() - '）'.len_utf8()].to_string();
            if !base.is_empty() && !inner.is_empty() {
                return (base, vec![inner, full]);
            }
        }
    }
    (full, Vec::new())
}

/// The organisation: `济南市人民政府研究室` as the text names it, else the document's name.
fn org_name(doc: &Document) -> String {
    for l in &doc.lines {
        let t = &l.text;
        let Some(p) = t.find("市人民政府") else {
            continue;
        };
        let before: Vec<char> = t[..p].chars().collect();
        let city: String = before[before.len().saturating_sub(2)..].iter().collect();
        if city.chars().count() < 2 || !city.chars().all(is_han) {
            continue;
        }
        let after = &t[p + "市人民政府".len()..];
        let mut unit = String::new();
        for c in after.chars().take(8) {
            if !is_han(c) {
                break;
            }
            unit.push(c);
            if matches!(c, '室' | '局' | '厅' | '委' | '办' | '院') {
                return format!("{city}市人民政府{unit}");
            }
        }
    }
    doc.name.clone()
}

/// `济南市人民政府研究室` → 市政府研究室, 研究室, 室.
fn org_aliases(name: &str) -> Vec<String> {
    let Some(p) = name.find("市人民政府") else {
        return Vec::new();
    };
    let unit = &name[p + "市人民政府".len()..];
    let mut out = vec![format!("市政府{unit}"), unit.to_string()];
    if let Some(last) = unit.chars().last() {
        if unit.chars().count() > 1 {
            out.push(last.to_string());
        }
    }
    out.retain(|a| !a.is_empty());
    out
}

// ---------------------------------------------------------------------------------------------
// Text helpers

/// Remove whitespace except between two ASCII letters or digits (`1, 2` stays readable as
/// `1,2`; `D704 室` → `D704室`; `李 光` → `李光`).
fn squash(s: &str) -> String {
    let chars: Vec<char> = s.trim().chars().collect();
    let mut out = String::new();
    for (k, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            let prev = out.chars().last();
            let next = chars[k + 1..].iter().find(|c| !c.is_whitespace());
            if let (Some(a), Some(b)) = (prev, next) {
                if a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric() {
                    out.push(' ');
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}

/// Remove spaces between two Chinese characters (`群 团工作` → `群团工作`): the export breaks
/// cells inside words; Chinese text has no spaces between characters.
fn close_han_gaps(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (k, &c) in chars.iter().enumerate() {
        if c == ' ' && k > 0 && is_han(chars[k - 1]) {
            if let Some(next) = chars[k + 1..].iter().find(|c| **c != ' ') {
                if is_han(*next) {
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

fn norm_parens(s: &str) -> String {
    s.replace('(', "（").replace(')', "）")
}

/// The start of a long text, for reports.
fn short(s: &str) -> String {
    let t: String = s.chars().take(24).collect();
    if t.len() < s.len() {
        format!("{t}…")
    } else {
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posts_from_the_responsibility_cell() {
        let p = parse_posts(
            "正职岗位 1， 负责办公室全面工作。 副职岗位 1， 负责 1、2、3 项。 业务岗位 1， 负责 6、13、14 项。",
        );
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].name, "正职岗位1");
        assert_eq!(p[0].covers, vec![Scalar::Text("全部".into())]);
        assert_eq!(
            p[1].covers,
            vec![Scalar::Int(1), Scalar::Int(2), Scalar::Int(3)]
        );
        let p = parse_posts(
            "正职岗位负责全面工作，具体负责第 1-10 条； 副职岗位 2 负责第 1, 2, 7-10 条。",
        );
        assert_eq!(p[0].name, "正职岗位");
        assert_eq!(p[0].covers, vec![Scalar::Text("1-10".into())]);
        assert_eq!(
            p[1].covers,
            vec![Scalar::Int(1), Scalar::Int(2), Scalar::Text("7-10".into())]
        );
    }

    #[test]
    fn labels() {
        assert_eq!(
            split_label("接收。公文接收主要有", true),
            (Some("接收".into()), Some("公文接收主要有".into()))
        );
        assert_eq!(
            split_label("严格机要通信车使用管理", false).0.as_deref(),
            Some("严格机要通信车使用管理")
        );
        assert_eq!(split_label("减编。", true), (None, Some("减编。".into())));
        assert_eq!(
            bold_step("1. **明确使用范围。**机要通信车"),
            Some((Some("明确使用范围".into()), Some("机要通信车".into())))
        );
        assert_eq!(
            bold_step("**1. 明确租赁社会车辆使用范围。**根据"),
            Some((Some("明确租赁社会车辆使用范围".into()), Some("根据".into())))
        );
    }

    #[test]
    fn han_gaps() {
        assert_eq!(close_han_gaps("群 团工作; 负责"), "群团工作; 负责");
        assert_eq!(close_han_gaps("市 12345 市民"), "市 12345 市民");
    }

    #[test]
    fn names() {
        assert_eq!(
            squash("济南市历下区龙奥大厦 D704 室"),
            "济南市历下区龙奥大厦D704室"
        );
        assert_eq!(
            dept_name("机关党总支 (组织人事处)"),
            (
                "机关党总支".to_string(),
                vec![
                    "组织人事处".to_string(),
                    "机关党总支（组织人事处）".to_string()
                ]
            )
        );
        assert_eq!(
            org_aliases("济南市人民政府研究室"),
            vec!["市政府研究室", "研究室", "室"]
        );
    }
}
