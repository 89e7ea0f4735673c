//! Reading the documents offices have: plain text in any of their encodings, and .docx
//! (paragraphs and tables, read from the file itself) — both become numbered lines.

use crate::diagnostic::Diagnostic;
use std::io::Read;
use std::path::Path;

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

/// Read a `.txt` (any encoding zhize detects) or `.docx` file.
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
    if bytes.starts_with(b"PK\x03\x04") {
        let text = docx_text(&bytes).map_err(|e| {
            Diagnostic::error(format!("cannot read this .docx file: {e}"))
                .in_file(path)
                .hint("save it again from Word as .docx, or as plain text (.txt)")
        })?;
        return Ok(Document {
            name,
            lines: to_lines(&text),
            encoding: "docx",
        });
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(
            Diagnostic::error("this is an old Word .doc file, which zhize cannot read")
                .in_file(path)
                .hint("open it in Word or WPS and save it as .docx or as plain text (.txt)"),
        );
    }
    let (text, enc) = crate::source::decode(&bytes).ok_or_else(|| {
        Diagnostic::error("not text: neither UTF-8, UTF-16 nor GBK")
            .in_file(path)
            .hint("save the document as plain text (UTF-8) or .docx")
    })?;
    Ok(Document {
        name,
        lines: to_lines(&text),
        encoding: enc.name(),
    })
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

/// The text of a .docx: each paragraph a line; each table row a line with its cells
/// separated by tabs (as in text exported from Word).
pub fn docx_text(bytes: &[u8]) -> Result<String, String> {
    use quick_xml::events::Event;
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut xml = String::new();
    {
        let mut file = archive
            .by_name("word/document.xml")
            .map_err(|_| "no word/document.xml inside".to_string())?;
        if file.size() > MAX_BYTES {
            return Err("word/document.xml is too large".into());
        }
        file.by_ref()
            .take(MAX_BYTES)
            .read_to_string(&mut xml)
            .map_err(|e| e.to_string())?;
    }
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut out = String::new();
    let mut para = String::new();
    let mut cells: Vec<String> = Vec::new();
    let mut table_depth = 0usize;
    let mut in_text = false;
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) => match e.name().as_ref() {
                "w:t" => in_text = true,
                "w:tbl" => table_depth += 1,
                "w:tr" if table_depth == 1 => cells.clear(),
                _ => {}
            },
            Event::Empty(e) => match e.name().as_ref() {
                "w:tab" => para.push('\t'),
                "w:br" | "w:cr" => para.push(' '),
                _ => {}
            },
            Event::Text(t) if in_text => para.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_text => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    para.push(c);
                } else {
                    para.push_str(match &*r {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        _ => "",
                    });
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "w:t" => in_text = false,
                "w:p" => {
                    if table_depth > 0 {
                        // Paragraphs inside a cell join with a space.
                        if !para.is_empty() {
                            para.push(' ');
                        }
                    } else {
                        out.push_str(para.trim_end());
                        out.push('\n');
                        para.clear();
                    }
                }
                "w:tc" if table_depth == 1 => {
                    cells.push(para.trim().to_string());
                    para.clear();
                }
                "w:tr" if table_depth == 1 => {
                    out.push_str(&cells.join("\t"));
                    out.push('\n');
                    cells.clear();
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
