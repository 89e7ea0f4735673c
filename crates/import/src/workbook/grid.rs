//! Sheets as plain grids of cells, and the xlsx file they are written to (rust_xlsxwriter)
//! and read from (calamine). Nothing here knows the content model.

use super::layout::{self, Sheet};
use std::collections::HashMap;
use std::path::Path;

/// A cell's value as the workbook holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Num(f64),
    /// An Excel error value (`#N/A`, `#REF!`), as shown.
    Error(String),
}

/// A line that parts the items of a cell whose items run over several lines.
pub const ITEM_BREAK: &str = "——";

/// Most columns a sheet has (XFD).
pub const MAX_COLUMNS: usize = 16_384;

/// Most characters an Excel cell holds.
pub const MAX_CELL_CHARS: usize = 32_767;

/// A sheet to write: its headers and rows, each row as wide as the headers or narrower.
pub struct OutSheet {
    pub name: &'static str,
    pub headers: Vec<(String, bool)>,
    pub rows: Vec<Vec<Cell>>,
}

impl OutSheet {
    pub fn new(spec: &Sheet) -> OutSheet {
        OutSheet {
            name: spec.name,
            headers: spec
                .cols
                .iter()
                .map(|c| (c.header.to_string(), c.required))
                .collect(),
            rows: Vec::new(),
        }
    }

    /// Start a new row; fill it with [`OutRow::put`].
    pub fn row(&mut self) -> OutRow<'_> {
        self.rows.push(vec![Cell::Empty; self.headers.len()]);
        let width = self.headers.len();
        OutRow {
            headers: &self.headers,
            cells: self.rows.last_mut().expect("just pushed"),
            width,
        }
    }
}

/// A row being filled, by header.
pub struct OutRow<'a> {
    headers: &'a [(String, bool)],
    cells: &'a mut Vec<Cell>,
    width: usize,
}

impl OutRow<'_> {
    pub fn put(&mut self, header: &str, cell: Cell) -> &mut Self {
        let i = self.headers.iter().position(|(h, _)| h == header);
        debug_assert!(i.is_some(), "no column {header}");
        if let Some(i) = i {
            self.cells[i] = cell;
        }
        self
    }
    pub fn text(&mut self, header: &str, v: &str) -> &mut Self {
        self.put(header, text(v))
    }
    pub fn opt(&mut self, header: &str, v: Option<&str>) -> &mut Self {
        self.put(header, v.map_or(Cell::Empty, text))
    }
    /// A list, one item a line; when an item has line breaks of its own, each item ends
    /// with a line holding only [`ITEM_BREAK`].
    pub fn lines(&mut self, header: &str, items: &[String]) -> &mut Self {
        if items.iter().any(|i| i.contains('\n')) {
            let parted: String = items
                .iter()
                .map(|i| format!("{i}\n{ITEM_BREAK}\n"))
                .collect();
            return self.put(header, text(parted.trim_end_matches('\n')));
        }
        self.put(header, text(&items.join("\n")))
    }
    pub fn num(&mut self, header: &str, v: Option<i64>) -> &mut Self {
        self.put(header, v.map_or(Cell::Empty, |n| Cell::Num(n as f64)))
    }
    /// Cells beyond the named columns (a form's table), starting at column `from`.
    pub fn extra(&mut self, from: usize, cells: Vec<Cell>) {
        self.cells.truncate(from.min(self.width));
        self.cells.resize(from, Cell::Empty);
        self.cells.extend(cells);
    }
}

pub fn text(v: &str) -> Cell {
    if v.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(v.to_string())
    }
}

/// Excel's letters for a 0-based column: 0 → A, 26 → AA.
pub fn column_letter(mut col: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// The instruction sheet, then `sheets`, as the bytes of an .xlsx file.
pub fn write_xlsx(sheets: &[OutSheet]) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Color, Format, Workbook};
    let mut book = Workbook::new();
    let wrap = Format::new().set_text_wrap();
    let head = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDEBF7));
    let must = head.clone().set_font_color(Color::RGB(0xC00000));
    write_instructions(book.add_worksheet(), &head).map_err(|e| e.to_string())?;
    for sheet in sheets {
        let ws = book.add_worksheet();
        ws.set_name(sheet.name).map_err(|e| e.to_string())?;
        ws.set_freeze_panes(1, 0).map_err(|e| e.to_string())?;
        for (c, (h, required)) in sheet.headers.iter().enumerate() {
            let (label, fmt) = if *required {
                (format!("{h}*"), &must)
            } else {
                (h.clone(), &head)
            };
            let col = c as u16;
            ws.write_string_with_format(0, col, label, fmt)
                .map_err(|e| e.to_string())?;
            let wide =
                ["内容", "职责内容", "主要职责", "说明", "全文", "岗位职责"].contains(&h.as_str());
            ws.set_column_width(col, if wide { 48 } else { 16 })
                .map_err(|e| e.to_string())?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32 + 1, c as u16);
                match cell {
                    Cell::Text(t) if t.chars().count() > MAX_CELL_CHARS => {
                        return Err(format!(
                            "sheet {}, cell {}{}: a text of {} characters, more than an Excel cell holds ({MAX_CELL_CHARS})",
                            sheet.name,
                            column_letter(c as usize),
                            r + 1,
                            t.chars().count()
                        ));
                    }
                    Cell::Text(t) => ws.write_string_with_format(r, c, t, &wrap).map(|_| ()),
                    Cell::Num(n) => ws.write_number(r, c, *n).map(|_| ()),
                    Cell::Error(e) => ws.write_string(r, c, e).map(|_| ()),
                    Cell::Empty => Ok(()),
                }
                .map_err(|e| e.to_string())?;
            }
        }
    }
    book.save_to_buffer().map_err(|e| e.to_string())
}

/// The 说明 sheet: the introduction, then every sheet's columns with what goes in them.
fn write_instructions(
    ws: &mut rust_xlsxwriter::Worksheet,
    head: &rust_xlsxwriter::Format,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let wrap = rust_xlsxwriter::Format::new().set_text_wrap();
    ws.set_name(layout::INSTRUCTIONS)?;
    ws.set_column_width(0, 14)?;
    ws.set_column_width(1, 14)?;
    ws.set_column_width(2, 8)?;
    ws.set_column_width(3, 80)?;
    let mut r = 0;
    for line in layout::INTRO {
        ws.write_string(r, 0, *line)?;
        r += 1;
    }
    r += 1;
    for (c, h) in ["表", "列", "必填", "填写说明"].iter().enumerate() {
        ws.write_string_with_format(r, c as u16, *h, head)?;
    }
    for sheet in layout::SHEETS {
        r += 1;
        ws.write_string_with_format(r, 0, sheet.name, head)?;
        ws.write_string_with_format(r, 3, sheet.purpose, &wrap)?;
        for col in sheet.cols {
            r += 1;
            ws.write_string(r, 1, col.header)?;
            if col.required {
                ws.write_string(r, 2, "是")?;
            }
            ws.write_string_with_format(r, 3, col.note, &wrap)?;
        }
    }
    Ok(())
}

/// A sheet as read: its headers by column, and its rows with their numbers as Excel shows
/// them (1 = the header row).
pub struct InSheet {
    pub name: String,
    /// Header (without a trailing `*`) → 0-based column.
    pub cols: HashMap<String, usize>,
    pub header_row: u32,
    pub rows: Vec<(u32, Vec<Cell>)>,
}

/// Every sheet of the workbook at `path`, as grids.
pub fn read_xlsx(path: &Path) -> Result<Vec<InSheet>, String> {
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(path).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(|e| e.to_string())?;
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut rows = range.rows().enumerate().map(|(i, row)| {
            let mut cells = vec![Cell::Empty; c0 as usize];
            cells.extend(row.iter().map(cell_of));
            (r0 + i as u32 + 1, cells)
        });
        let Some((header_row, header)) = rows.next() else {
            continue;
        };
        let cols = header
            .iter()
            .enumerate()
            .filter_map(|(i, c)| match c {
                Cell::Text(t) => {
                    Some((t.trim().trim_end_matches(['*', '＊']).trim().to_string(), i))
                }
                _ => None,
            })
            .collect();
        let rows = rows
            .filter(|(_, cells)| cells.iter().any(|c| *c != Cell::Empty))
            .collect();
        out.push(InSheet {
            name,
            cols,
            header_row,
            rows,
        });
    }
    Ok(out)
}

fn cell_of(d: &calamine::Data) -> Cell {
    use calamine::Data;
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) if s.trim().is_empty() => Cell::Empty,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Float(f) => Cell::Num(*f),
        Data::Int(i) => Cell::Num(*i as f64),
        Data::Bool(b) => Cell::Text(if *b { "是" } else { "否" }.to_string()),
        // Dates Excel can show: 1900 to 9999.
        Data::DateTime(d) if d.is_datetime() && (1.0..2_958_466.0).contains(&d.as_f64()) => {
            Cell::Text(excel_date(d.as_f64()))
        }
        Data::DateTime(d) => Cell::Num(d.as_f64()),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

/// An Excel date serial (days since 1899-12-30) as `YYYY-MM-DD`, with `HH:MM` when it has a
/// time of day.
fn excel_date(serial: f64) -> String {
    let days = serial.floor() as i64;
    let minutes = ((serial - serial.floor()) * 1440.0).round() as i64;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days - 25_569 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    if minutes == 0 {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        format!(
            "{y:04}-{m:02}-{d:02} {:02}:{:02}",
            minutes / 60,
            minutes % 60
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_lettered_as_excel_does() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27 * 26), "AAA");
    }

    #[test]
    fn excel_dates_read_as_iso_dates() {
        assert_eq!(excel_date(45_474.0), "2024-07-01");
        assert_eq!(excel_date(43_495.5), "2019-01-30 12:00");
    }
}
