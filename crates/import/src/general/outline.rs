//! Cutting a document into blocks: page furniture set aside (portal navigation, `索引号`,
//! page numbers, print/close links, tables of contents), lines that a PDF or a narrow
//! window broke re-joined into paragraphs, and tables recognised in each shape they come
//! in: pipe rows, tab-separated rows (also Word and spreadsheet tables), and one cell per
//! line under a recognised header.

use super::text::{ends_terminal, nchars};
use super::vocab::header_role;
use crate::lines::{is_page_footer, parse_num, Num};

/// A table: its header cells and its rows, each with the line it came from.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub header: Vec<String>,
    pub header_lines: Vec<usize>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, Default)]
pub struct Row {
    pub cells: Vec<String>,
    pub lines: Vec<usize>,
}

/// One block: a paragraph (one or more source lines) or a table.
#[derive(Debug, Clone, Default)]
pub struct Block {
    /// Indices of the source lines.
    pub lines: Vec<usize>,
    /// The text (simplified script), Markdown marks removed, lines re-joined.
    pub text: String,
    /// Its leading number (`一、`, `（一）`, `1.` …), if any, and the text after it.
    pub num: Option<Num>,
    pub body: String,
    /// `#` level of a heading, 7 for a paragraph that is all bold, else 0.
    pub mark: u8,
    pub table: Option<Table>,
}

impl Block {
    /// A short line with no sentence in it: a heading or a name.
    pub fn is_title(&self) -> bool {
        self.table.is_none()
            && (self.mark > 0
                || (nchars(&self.body) <= 32
                    && !self.body.trim_end_matches('。').contains(['。', '；', ';'])
                    && !self.body.ends_with(['；', '，', '、'])))
    }
}

/// The blocks of a document, and the lines set aside as page furniture.
#[derive(Debug, Default)]
pub struct Outline {
    pub blocks: Vec<Block>,
    pub furniture: Vec<usize>,
}

/// Portal and print furniture: navigation, metadata blocks, tools, footers, page numbers.
pub fn is_furniture(t: &str) -> bool {
    let t = t.trim();
    let squashed: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    const STARTS: &[&str] = &[
        "索引号",
        "发布机构",
        "发布日期",
        "发布时间",
        "发布于",
        "成文日期",
        "来源：",
        "来源:",
        "主题分类",
        "浏览次数",
        "阅读次数",
        "点击数",
        "字号：",
        "【字体",
        "字体：",
        "文号：",
        "名称：",
        "当前位置",
        "您现在的位置",
        "您的位置",
        "上一篇",
        "下一篇",
        "相关链接",
        "主办单位",
        "主办：",
        "承办单位",
        "网站标识码",
        "备案号",
        "版权所有",
        "【打印",
        "【关闭",
        "打印本页",
        "打印此页",
        "关闭窗口",
        "返回顶部",
        "无障碍",
        "网站首页",
        "首页",
        "·",
        "填报单位",
        "填报日期",
        "填报人",
        "制表：",
        "制表:",
        "制表人",
        "扫一扫",
        "分享到",
    ];
    if STARTS.iter().any(|s| squashed.starts_with(s)) {
        return true;
    }
    if is_page_footer(t) || is_date_line(&squashed) || squashed == "目录" {
        return true;
    }
    // A navigation bar: several short items between `|`, not a table row.
    let bars = t.matches(" | ").count();
    if bars >= 2 && !t.starts_with('|') && !t.contains('。') {
        return true;
    }
    // A table-of-contents entry: a title, a run of dots, a page number.
    let dots = t.contains("……") || t.contains("···") || t.contains("....");
    dots && t.trim_end().ends_with(|c: char| c.is_ascii_digit())
}

/// `2023年6月`, `2024年2月5日`, `二〇二一年九月`, `（2023年度）`: a date alone.
fn is_date_line(t: &str) -> bool {
    let t = t.trim_matches(['（', '）', '(', ')']);
    let digits = |c: char| c.is_ascii_digit() || "〇○零一二三四五六七八九十".contains(c);
    let rest: String = t.chars().filter(|c| !digits(*c)).collect();
    !t.is_empty()
        && nchars(t) <= 14
        && t.contains('年')
        && ["年", "年月", "年月日", "年度", "年版", "年修订", "年月修订"].contains(&rest.as_str())
}

/// Cells of a pipe row, or None.
fn pipe_cells(t: &str) -> Option<Vec<String>> {
    let t = t.trim();
    if !t.starts_with('|') || t.matches('|').count() < 3 {
        return None;
    }
    let inner = t.trim_start_matches('|');
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    Some(inner.split('|').map(|c| c.trim().to_string()).collect())
}

fn is_separator(cells: &[String]) -> bool {
    cells
        .iter()
        .all(|c| c.chars().all(|ch| matches!(ch, '-' | ':' | ' ' | '—')))
        && cells.iter().any(|c| c.contains('-') || c.contains('—'))
}

fn tab_cells(t: &str) -> Option<Vec<String>> {
    if !t.contains('\t') {
        return None;
    }
    let cells: Vec<String> = t.split('\t').map(|c| c.trim().to_string()).collect();
    (cells.iter().filter(|c| !c.is_empty()).count() >= 2).then_some(cells)
}

/// Strip Markdown heading hashes and bold marks; the `#` level (7: all bold).
fn unmark(t: &str) -> (String, u8) {
    let s = t.trim();
    let hashes = s.chars().take_while(|c| *c == '#').count();
    if hashes > 0 && s[hashes..].starts_with(' ') {
        return (s[hashes..].trim().replace("**", ""), hashes.min(6) as u8);
    }
    if s.len() > 4 && s.starts_with("**") && s.ends_with("**") && !s[2..s.len() - 2].contains("**")
    {
        return (s[2..s.len() - 2].trim().to_string(), 7);
    }
    (s.replace("**", ""), 0)
}

/// Cut `key` (the document's lines in simplified script) into blocks.
pub fn outline(key: &[String]) -> Outline {
    let mut out = Outline::default();
    let n = key.len();
    let mut furniture = vec![false; n];
    for (i, t) in key.iter().enumerate() {
        furniture[i] = is_furniture(t);
    }
    navigation_at_top(key, &mut furniture);
    let width = wrap_width(key);
    let mut i = 0;
    while i < n {
        let t = key[i].trim();
        if furniture[i] {
            out.furniture.push(i);
            i += 1;
            continue;
        }
        if t.is_empty() {
            i += 1;
            continue;
        }
        if let Some((table, next)) = table_at(key, &furniture, i, &mut out.furniture) {
            out.blocks.push(Block {
                lines: (i..next).collect(),
                table: Some(table),
                ..Default::default()
            });
            i = next;
            continue;
        }
        let (text, mark) = unmark(t);
        let mut lines = vec![i];
        let mut text = text;
        let mut last = t.to_string();
        let mut j = i + 1;
        // Re-join lines broken inside a sentence.
        while mark == 0 && j < n {
            let mut k = j;
            let mut crossed_footer = false;
            while k < n
                && (key[k].trim().is_empty() || (furniture[k] && is_page_footer(key[k].trim())))
            {
                crossed_footer |= furniture[k];
                k += 1;
            }
            if k >= n || (k > j && !crossed_footer) {
                break;
            }
            let next = key[k].trim();
            if !continues(&last, next, width)
                || tab_cells(next).is_some()
                || pipe_cells(next).is_some()
            {
                break;
            }
            out.furniture.extend((j..k).filter(|&f| furniture[f]));
            lines.push(k);
            text.push_str(&unmark(next).0);
            last = next.to_string();
            j = k + 1;
        }
        let (num, body) = match parse_num(&text) {
            Some((n, rest)) => (Some(n), rest.to_string()),
            None => (None, text.clone()),
        };
        let num = num.filter(|_| !is_step_word_only(&text));
        out.blocks.push(Block {
            lines,
            text: text.clone(),
            num,
            body: if num.is_some() { body } else { text },
            mark,
            table: None,
        });
        i = j.max(i + 1);
    }
    out.furniture.sort_unstable();
    out.furniture.dedup();
    out
}

/// `2020年` parsed as a number is not; guard against numbers that are years or amounts.
fn is_step_word_only(_t: &str) -> bool {
    false
}

/// The width text was wrapped at: most lines of prose are no longer (the 80th percentile
/// of their lengths). A line that reaches it and ends in no end mark was broken there.
fn wrap_width(key: &[String]) -> usize {
    let mut lens: Vec<usize> = key
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty() && !l.contains('\t') && !l.starts_with('|'))
        .map(nchars)
        .collect();
    if lens.is_empty() {
        return usize::MAX;
    }
    lens.sort_unstable();
    lens[(lens.len() * 4 / 5).min(lens.len() - 1)]
}

/// Should line `next` continue the paragraph whose last line is `prev`?
fn continues(prev: &str, next: &str, width: usize) -> bool {
    if ends_terminal(prev)
        || prev.ends_with(['：', ':'])
        || next.starts_with('#')
        || next.starts_with("**")
    {
        return false;
    }
    if parse_num(next).is_some()
        || field_label(next).is_some()
        || next.starts_with("第") && next.contains('步')
    {
        return false;
    }
    let open = prev.ends_with(['，', ',', '、', '的', '和', '与', '及', '或', '（', '(']);
    open || nchars(prev) >= 16 && nchars(prev) + 3 >= width
}

/// `办理时限：…` → `办理时限`: a short label before a colon.
pub fn field_label(t: &str) -> Option<&str> {
    let k = t.find(['：', ':'])?;
    let label = t[..k].trim();
    // A remark in brackets may end the label: `办公室主任（1人）`.
    let core = match label.find(['（', '(']) {
        Some(p) if label.ends_with(['）', ')']) => &label[..p],
        _ => label,
    };
    (!core.is_empty()
        && nchars(core) <= 10
        && nchars(label) <= 16
        && !core.contains(['，', '。', '、', '；', ',', '“', '（', '(']))
    .then_some(label)
}

/// Lines at the very top that are site navigation: three or more short items (a menu)
/// before the first line of any length.
fn navigation_at_top(key: &[String], furniture: &mut [bool]) {
    let mut short = Vec::new();
    for (i, t) in key.iter().enumerate() {
        let t = t.trim();
        if t.is_empty() || furniture[i] {
            continue;
        }
        let plain = !t.contains(['。', '，', '：', ':', '、']) && parse_num(t).is_none();
        if nchars(t) <= 6 && plain && !t.starts_with('#') {
            short.push(i);
        } else {
            break;
        }
    }
    if short.len() >= 3 {
        for i in short {
            furniture[i] = true;
        }
    }
}

/// A table starting at line `i`: pipe rows, tab rows, or one cell per line under a header.
fn table_at(
    key: &[String],
    furniture: &[bool],
    i: usize,
    dropped: &mut Vec<usize>,
) -> Option<(Table, usize)> {
    let t = key[i].trim();
    if let Some(first) = pipe_cells(t) {
        let mut rows: Vec<(Vec<String>, usize)> = vec![(first, i)];
        let mut j = i + 1;
        while j < key.len() {
            match pipe_cells(key[j].trim()) {
                Some(c) => rows.push((c, j)),
                None => break,
            }
            j += 1;
        }
        let rows: Vec<(Vec<String>, usize)> = rows
            .into_iter()
            .filter(|(c, l)| {
                let sep = is_separator(c);
                if sep {
                    dropped.push(*l);
                }
                !sep
            })
            .collect();
        return Some((make_table(rows), j));
    }
    if let Some(first) = tab_cells(t) {
        let mut rows = vec![(first, i)];
        let mut j = i + 1;
        while j < key.len() && !furniture[j] {
            match tab_cells(key[j].trim()) {
                Some(c) => rows.push((c, j)),
                None => break,
            }
            j += 1;
        }
        if rows.len() == 1 && !looks_like_header(&rows[0].0) {
            return None;
        }
        return Some((make_table(rows), j));
    }
    cell_per_line(key, furniture, i)
}

fn looks_like_header(cells: &[String]) -> bool {
    cells.iter().filter(|c| header_role(c).is_some()).count() >= 2
}

fn make_table(rows: Vec<(Vec<String>, usize)>) -> Table {
    let mut table = Table::default();
    let mut it = rows.into_iter().peekable();
    if let Some((first, l)) = it.peek().cloned() {
        if looks_like_header(&first) {
            table.header = first;
            table.header_lines = vec![l];
            it.next();
        }
    }
    for (cells, l) in it {
        // A header repeated at a page break.
        if !table.header.is_empty() && cells == table.header {
            table.header_lines.push(l);
            continue;
        }
        table.rows.push(Row {
            cells,
            lines: vec![l],
        });
    }
    table
}

/// A table copied one cell per line: a run of header words, then rows of as many lines,
/// each starting with its 序号 when the header does.
fn cell_per_line(key: &[String], furniture: &[bool], i: usize) -> Option<(Table, usize)> {
    let mut header = Vec::new();
    let mut j = i;
    while j < key.len() {
        let t = key[j].trim();
        if t.is_empty() || furniture[j] || header_role(t).is_none() || nchars(t) > 10 {
            break;
        }
        header.push(t.to_string());
        j += 1;
    }
    if header.len() < 3 {
        return None;
    }
    let numbered = header_role(&header[0]) == Some(super::vocab::Role::No);
    let width = header.len();
    let mut table = Table {
        header,
        header_lines: (i..j).collect(),
        rows: Vec::new(),
    };
    let mut want = 1u32;
    loop {
        // Skip blank lines between rows.
        while j < key.len() && key[j].trim().is_empty() {
            j += 1;
        }
        if j + width > key.len() {
            break;
        }
        let cells: Vec<String> = key[j..j + width]
            .iter()
            .map(|c| c.trim().to_string())
            .collect();
        if numbered && cells[0].parse::<u32>().ok() != Some(want) {
            break;
        }
        if cells.iter().any(|c| c.is_empty()) && numbered {
            break;
        }
        table.rows.push(Row {
            cells,
            lines: (j..j + width).collect(),
        });
        want += 1;
        j += width;
    }
    (!table.rows.is_empty()).then_some((table, j))
}
