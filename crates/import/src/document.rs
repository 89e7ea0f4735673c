//! Reading the documents offices have: plain text in any of their encodings, and .docx
//! (paragraphs and tables, read from the file itself) — both become numbered lines.

use std::io::Read;
use std::path::Path;
use zhize_core::diagnostic::Diagnostic;

/// One line of a source document, with its 1-based number in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub no: usize,
    pub text: String,
}

/// A document as lines, with the encoding it was read from.
#[derive(Debug, Clone)]
pub struct Document {
    pub name: String,
    pub lines: Vec<Line>,
    /// `UTF-8`, `GBK/GB18030`, `UTF-16LE` … or `docx`.
    pub encoding: &'static str,
}

/// Largest document accepted (a duty list is a few hundred KB).
const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Read a document: text in any encoding zhize detects (UTF-8 with or without BOM, UTF-16,
/// GBK/GB18030, Big5), an HTML page (its text), a .docx, or a spreadsheet (.xlsx, .xls,
/// .ods). The kind of file is told from its bytes, not its name; files zhize cannot read
/// (PDF, old .doc, RTF, other archives) are refused with what they are and what to do.
pub fn read_document(path: &Path) -> Result<Document, Diagnostic> {
    let meta = std::fs::metadata(path)
        .map_err(|e| Diagnostic::error(format!("cannot read: {e}")).in_file(path))?;
    if meta.len() > MAX_BYTES {
        return Err(
            Diagnostic::error(format!("file is larger than {} MB", MAX_BYTES >> 20))
                .in_file(path)
                .hint("split the document, or import its parts one by one"),
        );
    }
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::error(format!("cannot read: {e}")).in_file(path))?;
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let (text, encoding) = document_text(&bytes, &ext)
        .map_err(|(what, hint)| Diagnostic::error(what).in_file(path).hint(hint))?;
    Ok(Document {
        name,
        lines: to_lines(&text),
        encoding,
    })
}

/// The text of a file's bytes and what it was read as; or what the file is and what to do.
pub fn document_text(bytes: &[u8], ext: &str) -> Result<(String, &'static str), (String, String)> {
    let resave = "open it in Word, WPS or Excel and save it as .docx, .xlsx or plain text (.txt)";
    if bytes.starts_with(b"PK\x03\x04") {
        return zip_text(bytes, ext);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        // An old Office file: a workbook calamine reads, or a Word .doc it does not.
        if let Ok(text) = spreadsheet_text(bytes) {
            return Ok((text, "xls"));
        }
        return Err((
            "this is an old Word .doc file (or another old Office file), which zhize cannot read"
                .into(),
            resave.into(),
        ));
    }
    if bytes.starts_with(b"%PDF") {
        return Err((
            "this is a PDF file, which zhize cannot read".into(),
            "copy its text into a .txt file (or save it from the original .docx), then import that; check line breaks the PDF put inside sentences".into(),
        ));
    }
    if bytes.starts_with(b"{\\rtf") {
        return Err((
            "this is an RTF file, which zhize cannot read".into(),
            resave.into(),
        ));
    }
    let (text, enc) = zhize_core::source::decode(bytes).ok_or_else(|| {
        (
            "not text: neither UTF-8, UTF-16, GBK nor Big5".to_string(),
            "save the document as plain text (UTF-8), .docx or .xlsx".to_string(),
        )
    })?;
    if is_html(&text) {
        let label = match enc {
            zhize_core::source::Encoding::Utf8 | zhize_core::source::Encoding::Utf8Bom => {
                "HTML page (UTF-8); its text was read"
            }
            _ => "HTML page; its text was read",
        };
        return Ok((html_text(&text), label));
    }
    Ok((text, enc.name()))
}

/// A zip archive: a .docx, or a workbook (.xlsx, .ods) whatever its name says.
fn zip_text(bytes: &[u8], ext: &str) -> Result<(String, &'static str), (String, String)> {
    let names: Vec<String> = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map(|a| {
            a.file_names()
                .filter_map(Result::ok)
                .map(|n| n.to_string())
                .collect()
        })
        .unwrap_or_default();
    let has = |n: &str| names.iter().any(|x| x == n);
    if has("word/document.xml") {
        let text = docx_text(bytes).map_err(|e| {
            (
                format!("cannot read this .docx file: {e}"),
                "save it again from Word as .docx, or as plain text (.txt)".to_string(),
            )
        })?;
        return Ok((text, "docx"));
    }
    let workbook = has("xl/workbook.xml") || has("content.xml") && has("mimetype");
    if workbook {
        let text = spreadsheet_text(bytes).map_err(|e| {
            (
                format!("cannot read this spreadsheet: {e}"),
                "save it again from Excel or WPS as .xlsx".to_string(),
            )
        })?;
        let label = match (has("xl/workbook.xml"), ext) {
            (true, "xlsx" | "xlsm") => "xlsx",
            (true, _) => "xlsx (an Excel workbook under another file name; read as a workbook)",
            (false, "ods") => "ods",
            (false, _) => "ods (an OpenDocument spreadsheet under another file name; read as one)",
        };
        return Ok((text, label));
    }
    if has("content.xml") {
        return Err((
            "this is an OpenDocument text (.odt) or presentation, which zhize cannot read".into(),
            "save it as .docx or as plain text (.txt)".into(),
        ));
    }
    Err((
        "this is a zip archive, neither a Word (.docx) nor an Excel (.xlsx) file".into(),
        "unpack it and import the documents inside".into(),
    ))
}

fn to_lines(text: &str) -> Vec<Line> {
    text.lines()
        .enumerate()
        .map(|(i, l)| Line {
            no: i + 1,
            text: l.trim_end_matches('\r').to_string(),
        })
        .collect()
}

/// Line break inside a table cell: the cell stays one field of its row's line, and readers
/// of the cell split it here (U+2028 LINE SEPARATOR, which `str::lines` keeps).
pub const CELL_BREAK: char = '\u{2028}';

/// The text of a .docx: each paragraph a line (a heading as `# …`); each table row a line
/// with its cells separated by tabs (as in text exported from Word), the paragraphs of a
/// cell joined by [`CELL_BREAK`], a cell spanning columns followed by empty cells, and a
/// cell merged with the one above (`w:vMerge`) given that cell's text.
pub fn docx_text(bytes: &[u8]) -> Result<String, String> {
    use quick_xml::events::Event;
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let xml = zip_entry(&mut archive, "word/document.xml")?
        .ok_or_else(|| "no word/document.xml inside".to_string())?;
    let headings = heading_styles(&zip_entry(&mut archive, "word/styles.xml")?.unwrap_or_default());
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut out = String::new();
    let mut para = String::new();
    let mut level = 0usize;
    let mut row = DocxRow::default();
    let mut above: Vec<String> = Vec::new();
    let mut table_depth = 0usize;
    let mut in_text = false;
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) => match e.name().as_ref() {
                "w:t" => in_text = true,
                "w:tbl" => {
                    table_depth += 1;
                    if table_depth == 1 {
                        above.clear();
                    }
                }
                "w:tr" if table_depth == 1 => row = DocxRow::default(),
                _ => {}
            },
            Event::Empty(e) => match e.name().as_ref() {
                "w:tab" => para.push('\t'),
                "w:br" | "w:cr" => para.push(if table_depth > 0 { CELL_BREAK } else { ' ' }),
                "w:pStyle" if table_depth == 0 => {
                    let v = attr(&e, "w:val");
                    level = headings
                        .iter()
                        .find(|(id, _)| *id == v)
                        .map_or(0, |(_, l)| *l);
                }
                "w:gridSpan" if table_depth == 1 => {
                    row.span = attr(&e, "w:val").parse().unwrap_or(1);
                }
                "w:vMerge" if table_depth == 1 => row.merged = attr(&e, "w:val") != "restart",
                _ => {}
            },
            Event::Text(t) if in_text => para.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_text => push_ref(&mut para, &r),
            Event::End(e) => match e.name().as_ref() {
                "w:t" => in_text = false,
                // Paragraphs inside a cell: one cell, several lines.
                "w:p" if table_depth > 0 && !para.is_empty() && !para.ends_with(CELL_BREAK) => {
                    para.push(CELL_BREAK);
                }
                "w:p" if table_depth > 0 => {}
                "w:p" => {
                    let t = para.trim_end();
                    if level > 0 && !t.trim().is_empty() {
                        out.push_str(&"#".repeat(level.min(6)));
                        out.push(' ');
                    }
                    out.push_str(t);
                    out.push('\n');
                    para.clear();
                    level = 0;
                }
                "w:tc" if table_depth == 1 => {
                    let text = para.trim_matches(|c: char| c.is_whitespace()).to_string();
                    para.clear();
                    row.push_cell(text, &above);
                }
                "w:tr" if table_depth == 1 => {
                    out.push_str(row.cells.join("\t").trim_end_matches('\t'));
                    out.push('\n');
                    above = std::mem::take(&mut row.cells);
                }
                "w:tbl" => table_depth = table_depth.saturating_sub(1),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// A table row being read: its cells so far, and the properties of the cell being read.
#[derive(Default)]
struct DocxRow {
    cells: Vec<String>,
    span: usize,
    merged: bool,
}

impl DocxRow {
    /// End a cell: a merged cell takes the text of the cell above it; a cell spanning
    /// columns is followed by empty ones, so later cells stay under their headers.
    fn push_cell(&mut self, text: String, above: &[String]) {
        let col = self.cells.len();
        let text = match (self.merged, above.get(col)) {
            (true, Some(up)) if text.is_empty() => up.clone(),
            _ => text,
        };
        self.cells.push(text);
        for _ in 1..self.span.max(1) {
            self.cells.push(String::new());
        }
        self.span = 1;
        self.merged = false;
    }
}

fn attr(e: &quick_xml::events::BytesStart<'_>, key: &str) -> String {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .map(|a| a.value.to_string())
        .unwrap_or_default()
}

fn push_ref(para: &mut String, r: &quick_xml::events::BytesRef<'_>) {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        para.push(c);
    } else {
        para.push_str(match &**r {
            "amp" => "&",
            "lt" => "<",
            "gt" => ">",
            "quot" => "\"",
            "apos" => "'",
            _ => "",
        });
    }
}

fn zip_entry(
    archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    name: &str,
) -> Result<Option<String>, String> {
    let Ok(mut file) = archive.by_name(name) else {
        return Ok(None);
    };
    if file.size() > MAX_BYTES {
        return Err(format!("{name} is too large"));
    }
    let mut xml = String::new();
    file.by_ref()
        .take(MAX_BYTES)
        .read_to_string(&mut xml)
        .map_err(|e| e.to_string())?;
    Ok(Some(xml))
}

/// Paragraph styles that are headings (`heading 1`, `Title` …), with their level.
fn heading_styles(styles: &str) -> Vec<(String, usize)> {
    use quick_xml::events::Event;
    let mut out = Vec::new();
    let mut reader = quick_xml::Reader::from_str(styles);
    let mut id = String::new();
    while let Ok(ev) = reader.read_event() {
        match ev {
            Event::Start(e) if e.name().as_ref() == "w:style" => id = attr(&e, "w:styleId"),
            Event::Empty(e) if e.name().as_ref() == "w:name" => {
                let name = attr(&e, "w:val").to_lowercase();
                let level = match name.strip_prefix("heading") {
                    Some(n) => n.trim().parse().unwrap_or(1),
                    None if name == "title" => 1,
                    None => 0,
                };
                if level > 0 && !id.is_empty() {
                    out.push((id.clone(), level));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// The sheets of a workbook (.xlsx, .xls, .ods) as text: each sheet opens with its name as
/// a heading (`# 名称`), each row a line with its cells separated by tabs, line breaks
/// inside a cell as [`CELL_BREAK`]. A cell merged over several rows gives its value to the
/// cells below it (the first column of the merge); a title merged across a row stays one
/// cell.
pub fn spreadsheet_text(bytes: &[u8]) -> Result<String, String> {
    use calamine::{open_workbook_auto_from_rs, Reader, Sheets};
    let mut book =
        open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut out = String::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(|e| e.to_string())?;
        let merges: Vec<calamine::Dimensions> = match &mut book {
            Sheets::Xlsx(x) => x
                .worksheet_merge_cells(&name)
                .and_then(Result::ok)
                .unwrap_or_default(),
            Sheets::Xls(x) => x.worksheet_merge_cells(&name).unwrap_or_default(),
            _ => Vec::new(),
        };
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut grid: Vec<Vec<String>> = range
            .rows()
            .map(|r| {
                r.iter()
                    .map(|c| {
                        c.to_string()
                            .trim()
                            .replace(['\r', '\n'], &CELL_BREAK.to_string())
                    })
                    .collect()
            })
            .collect();
        for m in merges.iter().filter(|m| m.end.0 > m.start.0) {
            let col = (m.start.1.saturating_sub(c0)) as usize;
            let top = (m.start.0.saturating_sub(r0)) as usize;
            let value = grid
                .get(top)
                .and_then(|r| r.get(col))
                .cloned()
                .unwrap_or_default();
            for r in top + 1..=(m.end.0.saturating_sub(r0)) as usize {
                if let Some(cell) = grid.get_mut(r).and_then(|row| row.get_mut(col)) {
                    if cell.is_empty() {
                        *cell = value.clone();
                    }
                }
            }
        }
        out.push_str(&format!("# {name}\n"));
        for row in grid {
            out.push_str(row.join("\t").trim_end_matches('\t'));
            out.push('\n');
        }
        out.push('\n');
    }
    Ok(out)
}

/// Does this text look like an HTML page rather than text that mentions a tag?
pub fn is_html(text: &str) -> bool {
    let head: String = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(512)
        .collect::<String>()
        .to_lowercase();
    head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.starts_with("<?xml") && head.contains("<html")
        || (head.starts_with('<') && (head.contains("<head") || head.contains("<body")))
}

/// The text of an HTML page: `<head>`, scripts and styles dropped; block elements (`p`,
/// `div`, `li`, `h1`–`h6`, `tr`, `br` …) end lines; table cells are separated by tabs; a
/// paragraph that is all bold is written `**…**` and a heading `# …`; entities decoded.
pub fn html_text(html: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    let mut rest = html;
    let mut skip_until: Option<&str> = None;
    let mut bold_depth = 0usize;
    let mut bold_only = true;
    let mut heading = 0usize;
    let flush = |out: &mut String, line: &mut String, bold: bool, heading: usize| {
        let t = line.trim();
        if !t.is_empty() {
            if heading > 0 {
                out.push_str(&"#".repeat(heading));
                out.push(' ');
                out.push_str(t.trim_matches('*'));
            } else if bold && t.starts_with("**") && t.ends_with("**") && t.len() > 4 {
                out.push_str(&format!("**{}**", t.replace("**", "")));
            } else {
                out.push_str(&t.replace("**", ""));
            }
        }
        out.push('\n');
        line.clear();
    };
    while let Some(lt) = rest.find('<') {
        let text = &rest[..lt];
        if skip_until.is_none() {
            let t = decode_entities(text);
            if !t.trim().is_empty() && bold_depth == 0 {
                bold_only = false;
            }
            push_text(&mut line, &t);
        }
        let after = &rest[lt..];
        if after.starts_with("<!--") {
            rest = after.find("-->").map_or("", |e| &after[e + 3..]);
            continue;
        }
        let Some(gt) = after.find('>') else {
            rest = "";
            break;
        };
        let tag = &after[1..gt];
        rest = &after[gt + 1..];
        let closing = tag.starts_with('/');
        let tname: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_lowercase();
        if let Some(end) = skip_until {
            if closing && tname == end {
                skip_until = None;
            }
            continue;
        }
        match tname.as_str() {
            "head" | "script" | "style" | "noscript" | "template" if !closing => {
                skip_until = Some(match tname.as_str() {
                    "head" => "head",
                    "script" => "script",
                    "style" => "style",
                    "noscript" => "noscript",
                    _ => "template",
                });
            }
            "strong" | "b" => {
                if closing {
                    bold_depth = bold_depth.saturating_sub(1);
                } else {
                    bold_depth += 1;
                }
                line.push_str("**");
            }
            "td" | "th" if !closing && !line.trim().is_empty() => {
                line.push('\t');
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                flush(&mut out, &mut line, bold_only, heading);
                heading = if closing {
                    0
                } else {
                    tname[1..].parse().unwrap_or(1)
                };
                bold_only = true;
            }
            "p" | "div" | "li" | "ul" | "ol" | "tr" | "table" | "br" | "section" | "article"
            | "header" | "footer" | "nav" | "dd" | "dt" | "dl" | "hr" | "form" | "body"
            | "blockquote" | "pre" | "center" | "title" => {
                flush(&mut out, &mut line, bold_only, heading);
                bold_only = true;
            }
            _ => {}
        }
    }
    if skip_until.is_none() {
        push_text(&mut line, &decode_entities(rest));
    }
    flush(&mut out, &mut line, bold_only, heading);
    // Collapse runs of blank lines the markup left.
    let mut tidy = String::new();
    let mut blank = 0;
    for l in out.lines() {
        if l.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        tidy.push_str(l.trim_end());
        tidy.push('\n');
    }
    tidy.trim_start_matches('\n').to_string()
}

/// Text between tags, with runs of whitespace (the page's own line breaks) as one space.
fn push_text(line: &mut String, t: &str) {
    for (k, part) in t
        .split(|c: char| c.is_whitespace() && c != '\u{a0}')
        .enumerate()
    {
        if k > 0 && !line.ends_with([' ', '\t']) && !line.is_empty() {
            line.push(' ');
        }
        line.push_str(part);
    }
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::new();
    let mut rest = s;
    while let Some(a) = rest.find('&') {
        out.push_str(&rest[..a]);
        let after = &rest[a + 1..];
        let end = after.find(';').filter(|&e| e <= 10);
        let Some(e) = end else {
            out.push('&');
            rest = after;
            continue;
        };
        let name = &after[..e];
        let c = match name {
            "nbsp" | "ensp" | "emsp" => Some(' '),
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "middot" => Some('·'),
            "mdash" => Some('—'),
            "ldquo" => Some('“'),
            "rdquo" => Some('”'),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => out.push(c),
            None => {
                out.push('&');
                out.push_str(name);
                out.push(';');
            }
        }
        rest = &after[e + 1..];
    }
    out.push_str(rest);
    out
}

/// A minimal .docx holding `paragraphs` and one table, for tests (no outside tool needed).
pub fn make_docx(paragraphs: &[&str], table: &[Vec<&str>]) -> Vec<u8> {
    use std::io::Write;
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut body = String::new();
    for p in paragraphs {
        body.push_str(&format!(
            "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
            esc(p)
        ));
    }
    if !table.is_empty() {
        body.push_str("<w:tbl>");
        for row in table {
            body.push_str("<w:tr>");
            for cell in row {
                body.push_str(&format!(
                    "<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>",
                    esc(cell)
                ));
            }
            body.push_str("</w:tr>");
        }
        body.push_str("</w:tbl>");
    }
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let content_types = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>";
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default();
        let _ = zip.start_file("[Content_Types].xml", opts);
        let _ = zip.write_all(content_types.as_bytes());
        let _ = zip.start_file("word/document.xml", opts);
        let _ = zip.write_all(document.as_bytes());
        let _ = zip.finish();
    }
    buf.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docx_paragraphs_and_tables_become_lines() {
        let bytes = make_docx(
            &["办公室职责清单", "一、主要职责", "负责文电 & 会务。"],
            &[vec!["序号", "岗位"], vec!["1", "主任岗"]],
        );
        let text = docx_text(&bytes).unwrap();
        assert_eq!(
            text,
            "办公室职责清单\n一、主要职责\n负责文电 & 会务。\n序号\t岗位\n1\t主任岗\n"
        );
    }

    #[test]
    fn broken_docx_is_an_error_not_a_panic() {
        assert!(docx_text(b"PK\x03\x04garbage").is_err());
    }
}
