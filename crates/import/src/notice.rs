//! Import of Notices with scoring rules and task-decomposition tables (seed 002), as pages.
//!
//! A notice (通知) carries a document number (`临环发〔2018〕37号`), a title (often bold and
//! split over several lines), the addressees, the body, the issuer and date, and then the
//! rules it publishes (办法) followed by attachments (`附件 1:` …). The importer makes one page
//! of the notice and its rules, and one page per attachment. Text is kept as written; only
//! the layout is turned into Markdown: numbered headings, numbered rules as lists, label
//! lines (`组 长：…`) as lists, rosters as nested lists, tab rows as tables.
//!
//! Task tables (`项目 | 项目内容 | 项目要求 | 责任人`) get special care: the header repeated at
//! each page break is dropped, cells shifted left or right are put back in their columns by
//! what they hold (`I-1 …`, `II-1 …`, a numbered requirement, a `注：` note, names), and a row
//! whose 责任人 landed on the next row gets it back. Every fix is reported as a repair.

use super::document::Document;
use super::lines::{parse_num, Lines, Num};
use super::{Imported, ImportedPage};
use zhize_core::model::PageMeta;
use zhize_core::slug::slugify;

/// Parse the document. Lines put into a field are marked with `lines.used` / `lines.take`;
/// whatever stays unmarked is appended to the last page by the caller.
pub fn parse(doc: &Document, lines: &mut Lines<'_>) -> Imported {
    let n = lines.len();
    // Attachments start at a line that is only `附件 N:`.
    let starts: Vec<usize> = (0..n)
        .filter(|&i| !lines.is_used(i) && attachment_marker(lines.text(i)).is_some())
        .collect();
    let notice_end = starts.first().copied().unwrap_or(n);
    let base = slugify(&doc.name);

    let mut pages = Vec::new();
    let mut notice = parse_notice(lines, 0, notice_end);
    if notice.meta.title.is_empty() {
        notice.meta.title = doc.name.clone();
    }
    notice.slug = base.clone();
    notice.meta.order = Some(1);
    let summary = notice.meta.summary.clone();
    let date = notice.meta.date.clone();
    pages.push(notice);

    for (k, &s) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(n);
        let marker = lines.take(s);
        let no = attachment_marker(marker).unwrap_or(k as u32 + 1);
        // The attachment's own title: the first non-blank line after the marker.
        let mut i = s + 1;
        while i < end && (lines.is_used(i) || lines.blank(i)) {
            i += 1;
        }
        let own_title = if i < end && !is_tab_row(&lines.lines[i].text) {
            let t = strip_bold(lines.take(i));
            i += 1;
            t
        } else {
            String::new()
        };
        let title = if own_title.is_empty() {
            marker.to_string()
        } else {
            format!("{marker} {own_title}")
        };
        let blocks = blocks(lines, i, end, 2);
        pages.push(ImportedPage {
            slug: format!("{base}-fujian{no}"),
            meta: PageMeta {
                title,
                summary: summary.clone(),
                date: date.clone(),
                order: Some(k as i64 + 2),
                ..Default::default()
            },
            body: render(&blocks),
        });
    }
    Imported {
        pages,
        ..Default::default()
    }
}

/// `附件 1:` / `附件1：` alone on a line → its number.
fn attachment_marker(t: &str) -> Option<u32> {
    let rest = t.strip_prefix("附件")?;
    let rest = rest
        .trim_end()
        .strip_suffix(':')
        .or_else(|| rest.trim_end().strip_suffix('：'))?;
    let digits = rest.trim();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// The notice itself and the rules it publishes: title, number, date, then the body.
fn parse_notice(lines: &mut Lines<'_>, start: usize, end: usize) -> ImportedPage {
    let mut meta = PageMeta::default();
    // Title: bold lines `**…` … `…**`; else the first line naming a 通知.
    let mut title_lines = Vec::new();
    if let Some(first) =
        (start..end).find(|&i| !lines.is_used(i) && lines.text(i).starts_with("**"))
    {
        let mut i = first;
        let mut closed = false;
        while i < end && title_lines.len() < 4 {
            if lines.blank(i) {
                i += 1;
                continue;
            }
            title_lines.push(i);
            if lines.text(i).ends_with("**") && (i != first || lines.text(i).len() > 4) {
                closed = true;
                break;
            }
            i += 1;
        }
        if !closed {
            // Bold that is not a title: take only its first line.
            title_lines.truncate(1);
        }
    } else if let Some(i) = (start..end).find(|&i| {
        !lines.is_used(i) && lines.text(i).contains("关于") && lines.text(i).ends_with("通知")
    }) {
        title_lines.push(i);
    }
    meta.title = title_lines
        .iter()
        .map(|&i| strip_bold(lines.take(i)))
        .collect::<String>();
    // Document number and date go to the front matter and stay in the body.
    for i in start..end {
        if lines.is_used(i) {
            continue;
        }
        let t = lines.text(i);
        if meta.summary.is_none() && is_doc_number(t) {
            meta.summary = Some(t.to_string());
        }
        if meta.date.is_none() {
            meta.date = cn_date(t);
        }
    }
    let blocks = blocks(lines, start, end, 3);
    ImportedPage {
        slug: String::new(),
        meta,
        body: render(&blocks),
    }
}

/// `临环发〔2018〕37号`, `威组发〔2013〕11号`.
fn is_doc_number(t: &str) -> bool {
    t.chars().count() <= 24
        && t.ends_with('号')
        && (t.contains('〔') && t.contains('〕') || t.contains('[') && t.contains(']'))
}

/// `2018年4月3日` alone on a line → `2018-04-03`.
pub fn cn_date(t: &str) -> Option<String> {
    let t = t.replace(' ', "");
    let (y, rest) = t.split_once('年')?;
    let (m, rest) = rest.split_once('月')?;
    let d = rest.strip_suffix('日')?;
    let ok =
        |s: &str, n: usize| !s.is_empty() && s.len() <= n && s.chars().all(|c| c.is_ascii_digit());
    if !(y.len() == 4 && ok(y, 4) && ok(m, 2) && ok(d, 2)) {
        return None;
    }
    let (m, d): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| format!("{y}-{m:02}-{d:02}"))
}

fn strip_bold(t: &str) -> String {
    t.replace("**", "").trim().to_string()
}

fn is_tab_row(raw: &str) -> bool {
    raw.contains('\t')
}

/// A piece of a page body.
#[derive(Debug, Clone, PartialEq)]
enum Block {
    Heading(usize, String),
    Para(String),
    /// A numbered item: its number, its text after the number, and the line as written.
    Item(u32, String, String),
    Bullet(String),
    /// A roster group: the role line and the people under it.
    Group(String, Vec<String>),
    Table(Vec<String>, Vec<Vec<String>>),
}

/// Text that ends a sentence or a clause; a long line ending otherwise was cut by a page break.
fn ends_sentence(t: &str) -> bool {
    t.ends_with(|c: char| "。；;：:！？!?”）)》】」*".contains(c))
}

/// Turn lines `start..end` into blocks. `level` is the Markdown level of `一、` headings.
fn blocks(lines: &mut Lines<'_>, start: usize, end: usize, level: usize) -> Vec<Block> {
    // Non-blank lines still free, with page-break cuts re-joined.
    let mut items: Vec<(usize, String)> = Vec::new();
    let mut i = start;
    while i < end {
        if lines.is_used(i) || lines.blank(i) {
            i += 1;
            continue;
        }
        let raw = lines.lines[i].text.clone();
        if is_tab_row(&raw) {
            lines.used(i);
            items.push((i, raw));
            i += 1;
            continue;
        }
        let mut text = lines.take(i).to_string();
        // Re-join a long line cut mid-sentence with the unnumbered line after it.
        loop {
            if text.chars().count() < 40 || ends_sentence(&text) {
                break;
            }
            let mut j = i + 1;
            while j < end && !lines.is_used(j) && lines.blank(j) {
                j += 1;
            }
            if j >= end || lines.is_used(j) || is_tab_row(&lines.lines[j].text) {
                break;
            }
            let next = lines.text(j);
            if parse_num(next).is_some() || next.starts_with("- ") {
                break;
            }
            let prev_no = lines.no(i);
            text.push_str(lines.take(j));
            lines.repair(
                j,
                format!("line re-joined to line {prev_no} (a sentence cut by a page break)"),
            );
            i = j;
        }
        items.push((i, text));
        i += 1;
    }

    let mut out = Vec::new();
    let mut k = 0;
    while k < items.len() {
        let text = items[k].1.as_str();
        if is_tab_row(text) {
            let mut rows = Vec::new();
            while k < items.len() && is_tab_row(&items[k].1) {
                rows.push((items[k].0, items[k].1.clone()));
                k += 1;
            }
            let before = match out.last() {
                Some(Block::Para(p)) => p.as_str(),
                _ => "",
            };
            out.push(table(lines, &rows, before));
            continue;
        }
        // A roster: `- ` bullets with role labels, and lines that lost their bullet.
        if text.starts_with("- ") {
            let mut groups: Vec<(String, Vec<String>)> = Vec::new();
            while k < items.len() {
                let t = &items[k].1;
                let bullet = t.starts_with("- ");
                let body = t.strip_prefix("- ").unwrap_or(t).trim();
                if !bullet && !is_roster_line(body) {
                    break;
                }
                if !bullet {
                    lines.repair(
                        items[k].0,
                        "roster line without its `- ` bullet put in the list",
                    );
                }
                match role_label(body) {
                    Some((role, rest)) => groups.push((role, vec![rest])),
                    None => match groups.last_mut() {
                        Some(g) => g.1.push(body.to_string()),
                        None => groups.push((String::new(), vec![body.to_string()])),
                    },
                }
                k += 1;
            }
            for (role, people) in groups {
                if role.is_empty() {
                    out.extend(people.into_iter().map(Block::Bullet));
                } else {
                    out.push(Block::Group(role, people));
                }
            }
            continue;
        }
        let next = items.get(k + 1).map(|(_, t)| t.as_str());
        out.extend(line_blocks(text, level, next));
        k += 1;
    }
    out
}

/// Is `next` numbered at the level of `num` or above (so `num`'s line has nothing under it)?
fn sibling_or_higher(num: Num, next: Option<&str>) -> bool {
    let rank = Num::level;
    match next {
        None => true,
        Some(t) => parse_num(t).is_some_and(|(n, _)| rank(n) <= rank(num)),
    }
}

/// One line of running text as blocks; `next` is the line after it.
fn line_blocks(text: &str, level: usize, next: Option<&str>) -> Vec<Block> {
    let plain = strip_bold(text);
    // `附件：1、…`: a label, then the first item of a list.
    if let Some((label, rest)) = split_label(text) {
        if let Some((Num::Ar(n), r)) = parse_num(rest) {
            return vec![
                Block::Para(label),
                Block::Item(n, r.to_string(), rest.to_string()),
            ];
        }
    }
    match parse_num(text) {
        Some((n @ Num::Cn(_), rest)) if is_title(rest) && !sibling_or_higher(n, next) => {
            vec![Block::Heading(level, text.to_string())]
        }
        Some((n @ Num::CnParen(_), rest)) if is_title(rest) && !sibling_or_higher(n, next) => {
            vec![Block::Heading(level + 1, text.to_string())]
        }
        Some((n @ Num::Ar(_), rest))
            if is_title(rest) && rest.chars().count() <= 10 && !sibling_or_higher(n, next) =>
        {
            vec![Block::Heading(level + 1, text.to_string())]
        }
        Some((Num::Cn(_) | Num::CnParen(_), _)) => vec![Block::Para(run_in_bold(text))],
        Some((Num::Ar(n), rest)) => vec![Block::Item(n, rest.to_string(), text.to_string())],
        _ if is_doc_title(&plain) => vec![Block::Heading(level - 1, plain)],
        _ => match split_label(text) {
            Some(_) if label_len(text) <= 6 => vec![Block::Bullet(text.to_string())],
            _ => vec![Block::Para(text.to_string())],
        },
    }
}

/// A heading's text: short, one clause, no sentence inside.
fn is_title(rest: &str) -> bool {
    let core = rest.trim_end_matches('。');
    core.chars().count() <= 24 && !core.contains(['。', '；', '，', ',', '：'])
}

/// A title of rules or a list published with the notice: `…管理办法`, `…实施方案`.
fn is_doc_title(t: &str) -> bool {
    let n = t.chars().count();
    (6..=40).contains(&n)
        && !t.contains(['，', '。', '：', '；', '、'])
        && [
            "办法",
            "方案",
            "细则",
            "规定",
            "规则",
            "名单",
            "分解表",
            "制度",
        ]
        .iter()
        .any(|s| t.ends_with(s))
}

/// `（一）纳入积分管理主体。局机关…` → `**（一）纳入积分管理主体。**局机关…`.
fn run_in_bold(text: &str) -> String {
    if text.contains("**") {
        return text.to_string();
    }
    if let Some(p) = text.find('。') {
        let head = &text[..p + '。'.len_utf8()];
        if let Some((_, rest)) = parse_num(head) {
            let core = rest.trim_end_matches('。');
            let short = core.chars().count() <= 24 && !core.contains(['。', '；', '：']);
            if short && p + '。'.len_utf8() < text.len() {
                return format!("**{}**。{}", &text[..p], &text[p + '。'.len_utf8()..]);
            }
        }
    }
    text.to_string()
}

/// `附件：…` / `组 长：刘兆燕` → (label with its colon, rest).
fn split_label(text: &str) -> Option<(String, &str)> {
    let p = text.find('：')?;
    let label = &text[..p];
    if label.is_empty()
        || label.chars().count() > 8
        || label.contains(['，', '。', '、', '（', '(', '*', '“'])
    {
        return None;
    }
    Some((format!("{label}："), text[p + '：'.len_utf8()..].trim()))
}

fn label_len(text: &str) -> usize {
    text.find('：').map_or(usize::MAX, |p| {
        text[..p].chars().filter(|c| !c.is_whitespace()).count()
    })
}

/// `组 长：吴恩坤 局党组书记` → (`组 长：`, `吴恩坤 局党组书记`).
fn role_label(body: &str) -> Option<(String, String)> {
    let (label, rest) = split_label(body)?;
    let core: String = label
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '：')
        .collect();
    ["组长", "副组长", "成员", "主任", "副主任", "联络员"]
        .contains(&core.as_str())
        .then(|| (label, rest.to_string()))
}

/// A roster line that lost its bullet: a name and a post, short, no sentence.
fn is_roster_line(t: &str) -> bool {
    t.chars().count() <= 30
        && !t.contains(['。', '，', '；'])
        && parse_num(t).is_none()
        && !t.ends_with('：')
}

/// Tab rows as a table: the task table, or a plain one.
fn table(lines: &mut Lines<'_>, rows: &[(usize, String)], before: &str) -> Block {
    let cells = |raw: &str| -> Vec<String> {
        let mut v: Vec<String> = raw.split('\t').map(|c| c.trim().to_string()).collect();
        while v.last().is_some_and(|c| c.is_empty()) {
            v.pop();
        }
        v
    };
    let first = cells(&rows[0].1);
    let header_like = first
        .iter()
        .all(|c| !c.is_empty() && c.chars().filter(|c| !c.is_whitespace()).count() <= 8)
        && !first.iter().any(|c| c.chars().any(|c| c.is_ascii_digit()));
    if header_like && is_task_header(&first) {
        return task_table(lines, rows);
    }
    let (header, body) = if header_like {
        (first.clone(), &rows[1..])
    } else {
        let header = if before.contains("联络员") && first.len() == 2 {
            vec!["单位".to_string(), "联络员".to_string()]
        } else {
            vec![String::new(); first.len()]
        };
        (header, rows)
    };
    let mut out = Vec::new();
    for (i, raw) in body {
        let c = cells(raw);
        if header_like && c == header {
            lines.repair(*i, "table header repeated at a page break dropped");
            continue;
        }
        out.push(c);
    }
    Block::Table(header, out)
}

const TASK_HEADER: [&str; 4] = ["项目", "项目内容", "项目要求", "责任人"];

fn is_task_header(c: &[String]) -> bool {
    c.iter().map(String::as_str).eq(TASK_HEADER)
}

/// What a task-table cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Item,
    Content,
    Requirement,
    Note,
    Person,
}

fn classify(cell: &str) -> Col {
    if cell.starts_with("II-") {
        Col::Content
    } else if cell.starts_with("I-") {
        Col::Item
    } else if cell.starts_with("注：") || cell.starts_with("注:") {
        Col::Note
    } else if matches!(parse_num(cell), Some((Num::Ar(_), _))) || cell.chars().count() > 20 {
        Col::Requirement
    } else {
        Col::Person
    }
}

/// The task table (附件4): one header, columns restored, split rows re-joined.
fn task_table(lines: &mut Lines<'_>, rows: &[(usize, String)]) -> Block {
    let header: Vec<String> = TASK_HEADER.iter().map(|s| s.to_string()).collect();
    let mut out: Vec<[String; 4]> = Vec::new();
    let mut lines_of: Vec<usize> = Vec::new();
    for (n, (i, raw)) in rows.iter().enumerate() {
        let cells: Vec<&str> = raw.split('\t').map(str::trim).collect();
        let nonempty: Vec<&str> = cells.iter().copied().filter(|c| !c.is_empty()).collect();
        if nonempty.iter().copied().eq(TASK_HEADER) {
            if n > 0 {
                lines.repair(*i, "task-table header repeated at a page break dropped");
            }
            continue;
        }
        let mut row: [String; 4] = Default::default();
        let mut shifted = false;
        let mut note = String::new();
        for (pos, c) in cells.iter().enumerate() {
            if c.is_empty() {
                continue;
            }
            let col = classify(c);
            let want = match col {
                Col::Item => 0,
                Col::Content => 1,
                Col::Requirement => 2,
                Col::Note => {
                    note = c.to_string();
                    shifted = true;
                    continue;
                }
                Col::Person => 3,
            };
            if pos != want {
                shifted = true;
            }
            if row[want].is_empty() {
                row[want] = c.to_string();
            } else {
                row[want].push(' ');
                row[want].push_str(c);
            }
        }
        if !note.is_empty() {
            if !row[2].is_empty() {
                row[2].push(' ');
            }
            row[2].push_str(&note);
            lines.repair(*i, "`注：` cell of an extra column kept with its 项目要求");
        }
        // A row whose 责任人 went to the next row (merged cell cut by the export).
        if row[0].is_empty() && row[1].is_empty() && !row[3].is_empty() {
            if let Some(prev) = out.last_mut() {
                if prev[3].is_empty() && !prev[2].is_empty() {
                    prev[3] = row[3].clone();
                    let prev_no = lines_of.last().map_or(0, |&p| lines.no(p));
                    lines.repair(
                        *i,
                        format!(
                            "row split from line {prev_no}: its 责任人 `{}` also applies to line {prev_no}; rows re-joined under one 责任人",
                            row[3]
                        ),
                    );
                }
            }
        }
        if shifted {
            lines.repair(
                *i,
                "task-table cells shifted; put back under 项目 | 项目内容 | 项目要求 | 责任人",
            );
        }
        out.push(row);
        lines_of.push(*i);
    }
    Block::Table(header, out.into_iter().map(|r| r.to_vec()).collect())
}

/// Is `c` punctuation for CommonMark's emphasis rules (CJK punctuation included)?
fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation() || "。，、；：！？“”‘’（）《》【】〔〕「」…—".contains(c)
}

/// `**标题。**正文` does not render bold in CommonMark (a closing `**` after punctuation
/// must be followed by a space or punctuation): move the punctuation out, `**标题**。正文`.
pub fn fix_cjk_bold(s: &str) -> String {
    if !s.contains("**") {
        return s.to_string();
    }
    let parts: Vec<&str> = s.split("**").collect();
    if parts.len().is_multiple_of(2) {
        return s.to_string(); // unbalanced: leave as written
    }
    let mut out = String::new();
    let mut carry = String::new();
    for (k, part) in parts.iter().enumerate() {
        if k % 2 == 1 {
            let next = parts[k + 1];
            let follows_text = next
                .chars()
                .next()
                .is_some_and(|c| !c.is_whitespace() && !is_punct(c));
            let mut inner = part.to_string();
            if follows_text {
                while inner.chars().count() > 1 && inner.ends_with(is_punct) {
                    if let Some(c) = inner.pop() {
                        carry.insert(0, c);
                    }
                }
            }
            out.push_str("**");
            out.push_str(&inner);
            out.push_str("**");
            out.push_str(&carry);
            carry.clear();
        } else {
            out.push_str(part);
        }
    }
    out
}

/// Blocks as Markdown.
fn render(blocks: &[Block]) -> String {
    let mut s = String::new();
    let mut k = 0;
    while k < blocks.len() {
        match &blocks[k] {
            Block::Heading(l, t) => s.push_str(&format!("{} {t}\n\n", "#".repeat(*l))),
            Block::Para(t) => s.push_str(&format!("{}\n\n", fix_cjk_bold(t))),
            Block::Item(..) => {
                let mut run = Vec::new();
                while let Some(Block::Item(n, rest, orig)) = blocks.get(k) {
                    run.push((*n, rest.as_str(), orig.as_str()));
                    k += 1;
                }
                let sequential = run
                    .iter()
                    .enumerate()
                    .all(|(j, (n, ..))| *n as usize == j + 1);
                if sequential {
                    for (n, rest, _) in &run {
                        s.push_str(&format!("{n}. {}\n", fix_cjk_bold(rest)));
                    }
                    s.push('\n');
                } else {
                    for (_, _, orig) in &run {
                        s.push_str(&format!("{}\n\n", fix_cjk_bold(orig)));
                    }
                }
                continue;
            }
            Block::Bullet(_) => {
                while let Some(Block::Bullet(t)) = blocks.get(k) {
                    s.push_str(&format!("- {t}\n"));
                    k += 1;
                }
                s.push('\n');
                continue;
            }
            Block::Group(..) => {
                while let Some(Block::Group(role, people)) = blocks.get(k) {
                    s.push_str(&format!("- {role}\n"));
                    for p in people {
                        s.push_str(&format!("  - {p}\n"));
                    }
                    k += 1;
                }
                s.push('\n');
                continue;
            }
            Block::Table(header, rows) => {
                let width = rows
                    .iter()
                    .map(Vec::len)
                    .chain([header.len()])
                    .max()
                    .unwrap_or(1);
                let line = |cells: &[String]| {
                    let mut l = String::from("|");
                    for j in 0..width {
                        let c = cells.get(j).map_or("", String::as_str);
                        l.push_str(&format!(" {} |", escape_cell(c)));
                    }
                    l.push('\n');
                    l
                };
                s.push_str(&line(header));
                s.push_str(&format!("|{}\n", " --- |".repeat(width)));
                for r in rows {
                    s.push_str(&line(r));
                }
                s.push('\n');
            }
        }
        k += 1;
    }
    s
}

/// A table cell: `|` escaped, no line breaks.
pub fn escape_cell(c: &str) -> String {
    c.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_numbers() {
        assert_eq!(cn_date("2018年4月3日").as_deref(), Some("2018-04-03"));
        assert_eq!(
            cn_date("2018 年 12 月 31 日").as_deref(),
            Some("2018-12-31")
        );
        assert_eq!(cn_date("2018年4月"), None);
        assert!(is_doc_number("临环发〔2018〕37号"));
        assert!(!is_doc_number("附件：1、2018 年文明单位创建工作实施方案"));
        assert_eq!(attachment_marker("附件 1:"), Some(1));
        assert_eq!(attachment_marker("附件4："), Some(4));
        assert_eq!(attachment_marker("附件：1、名单"), None);
    }

    #[test]
    fn cells_escape_pipes() {
        assert_eq!(escape_cell("a|b"), "a\\|b");
    }

    #[test]
    fn task_cells_by_content() {
        assert_eq!(classify("I-3 业务工作"), Col::Item);
        assert_eq!(classify("II-11 加强业务培训"), Col::Content);
        assert_eq!(classify("1、建立健全业务培训制度。"), Col::Requirement);
        assert_eq!(classify("注：每季度至少开展一次活动。"), Col::Note);
        assert_eq!(classify("凌 绫 王 峰"), Col::Person);
    }

    #[test]
    fn run_in_titles_are_bold() {
        assert_eq!(
            run_in_bold("（一）纳入积分管理主体。局机关各科室。"),
            "**（一）纳入积分管理主体**。局机关各科室。"
        );
        assert_eq!(
            fix_cjk_bold("1、**深入开展。**以爱国"),
            "1、**深入开展**。以爱国"
        );
        assert_eq!(fix_cjk_bold("**标题。** 正文"), "**标题。** 正文");
        assert_eq!(run_in_bold("（三）扣分项目。"), "（三）扣分项目。");
    }
}
