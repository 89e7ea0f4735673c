//! Tables, by what their columns hold: integrity risks (风险点 … 防控措施), power items
//! (事项名称 … 实施依据), division of work (牵头 … 配合), posts (岗位 … 岗位职责) and units
//! with their duties (单位名称 … 主要职责). A cell left blank under a merged cell takes the
//! value above it; `同上` repeats the cell above; a row without its own number continues
//! the row before.

use super::outline::{Block, Table};
use super::text::{cell_text, clauses, measures, nchars, numbered_pieces, tidy};
use super::vocab::{header_role, is_power_category, is_unit_name, Role};
use super::Builder;
use zhize_core::model::{
    Division, DivisionFull, DivisionItem, Duty, Post, Power, RiskFull, RiskPoint,
};

/// What a table holds, from the roles of its columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    Risks,
    Powers,
    Division,
    Posts,
    Units,
}

pub fn kind(roles: &[Option<Role>]) -> Option<TableKind> {
    let has = |r: Role| roles.contains(&Some(r));
    if has(Role::Risk) || has(Role::RiskDesc) && has(Role::Controls) {
        Some(TableKind::Risks)
    } else if has(Role::Name) && (has(Role::Category) || has(Role::Basis) || has(Role::Resp)) {
        Some(TableKind::Powers)
    } else if has(Role::Lead) {
        Some(TableKind::Division)
    } else if has(Role::Post) && (has(Role::PostDuties) || has(Role::PostCount) || has(Role::Dept))
    {
        Some(TableKind::Posts)
    } else if (has(Role::Unit) || has(Role::Dept)) && has(Role::Duties) {
        Some(TableKind::Units)
    } else {
        None
    }
}

/// A table's rows as records: each data row's cells by role, blanks under merged cells
/// filled, `同上` resolved, continuation rows joined.
struct Rows {
    roles: Vec<Option<Role>>,
    rows: Vec<(Vec<String>, Vec<usize>)>,
}

fn rows_of(t: &Table) -> Rows {
    let roles: Vec<Option<Role>> = t.header.iter().map(|h| header_role(h)).collect();
    let width = roles.len();
    let no_col = roles.iter().position(|r| *r == Some(Role::No));
    let carried = |r: Option<Role>| {
        matches!(
            r,
            Some(
                Role::Dept | Role::Unit | Role::Post | Role::Category | Role::Owner | Role::Subject
            )
        )
    };
    let mut out: Vec<(Vec<String>, Vec<usize>)> = Vec::new();
    for row in &t.rows {
        let mut cells: Vec<String> = row.cells.clone();
        cells.resize(width.max(cells.len()), String::new());
        let numbered = no_col.is_none_or(|c| !cells[c].trim().is_empty());
        if !numbered {
            // A row split over lines: its cells continue the row above.
            if let Some((prev, lines)) = out.last_mut() {
                for (k, c) in cells.iter().enumerate() {
                    if !c.trim().is_empty() && k < prev.len() {
                        if !prev[k].is_empty() {
                            prev[k].push('\u{2028}');
                        }
                        prev[k].push_str(c.trim());
                    }
                }
                lines.extend(&row.lines);
                continue;
            }
        }
        if let Some((prev, _)) = out.last() {
            for k in 0..width.min(cells.len()) {
                let c = cells[k].trim();
                if c == "同上" || c == "〃" || c.is_empty() && carried(roles[k]) {
                    cells[k] = prev.get(k).cloned().unwrap_or_default();
                }
            }
        }
        out.push((cells, row.lines.clone()));
    }
    Rows { roles, rows: out }
}

impl Rows {
    fn get<'r>(&self, cells: &'r [String], role: Role) -> &'r str {
        self.roles
            .iter()
            .position(|r| *r == Some(role))
            .and_then(|k| cells.get(k))
            .map_or("", |c| c.trim())
    }
    fn all<'r>(&self, cells: &'r [String], role: Role) -> Vec<&'r str> {
        self.roles
            .iter()
            .enumerate()
            .filter(|(_, r)| **r == Some(role))
            .filter_map(|(k, _)| cells.get(k).map(|c| c.trim()))
            .filter(|c| !c.is_empty())
            .collect()
    }
    /// Cells of no role, kept as notes so nothing is lost.
    fn others(&self, t: &Table, cells: &[String]) -> Vec<String> {
        self.roles
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                r.is_none()
                    || **r == Some(Role::Notes)
                    || **r == Some(Role::Sub)
                    || **r == Some(Role::Subject)
            })
            .filter_map(|(k, _)| {
                let c = cells.get(k)?.trim();
                (!c.is_empty() && c != "无" && c != "—").then(|| {
                    format!(
                        "{}：{}",
                        t.header.get(k).map_or("", |h| h.trim()),
                        cell_text(c)
                    )
                })
            })
            .collect()
    }
}

/// Read a table block into the builder; returns what it was, if anything.
pub fn read(b: &mut Builder<'_, '_>, block: &Block, category: Option<&str>) -> Option<TableKind> {
    let t = block.table.as_ref()?;
    let roles: Vec<Option<Role>> = t.header.iter().map(|h| header_role(h)).collect();
    let kind = kind(&roles)?;
    b.structure(&t.header_lines.clone());
    let rows = rows_of(t);
    let first = block.lines.first().copied().unwrap_or(0);
    let n = rows.rows.len();
    match kind {
        TableKind::Risks => risks(b, t, &rows),
        TableKind::Powers => powers(b, t, &rows, category),
        TableKind::Division => division(b, t, &rows),
        TableKind::Posts => posts(b, &rows),
        TableKind::Units => units(b, &rows),
    }
    for (_, lines) in &rows.rows {
        b.used(lines);
    }
    let label = match kind {
        TableKind::Risks => "risk table",
        TableKind::Powers => "power table",
        TableKind::Division => "division table",
        TableKind::Posts => "post table",
        TableKind::Units => "unit table",
    };
    b.note(first, label, &t.header.join(" | "), n);
    Some(kind)
}

/// The department a row names, unless it names the organisation or nothing.
fn row_dept(b: &mut Builder<'_, '_>, name: &str, line: usize) -> Option<usize> {
    let name = cell_text(name).replace('\n', "");
    let base = super::split_name(&name).0;
    if base.is_empty() || b.is_self(&base) || !is_unit_name(&base) {
        return None;
    }
    let k = b.dept(&name, Some(line));
    // A table does not open a department's part of the text.
    if b.dept_start[k] == Some(line) {
        b.dept_start[k] = None;
    }
    Some(k)
}

fn add_post(b: &mut Builder<'_, '_>, d: usize, name: &str) -> usize {
    let name = tidy(&cell_text(name).replace('\n', ""));
    let posts = &mut b.depts[d].posts;
    if let Some(k) = posts.iter().position(|p| p.name == name) {
        return k;
    }
    posts.push(Post {
        name,
        ..Default::default()
    });
    posts.len() - 1
}

fn risks(b: &mut Builder<'_, '_>, t: &Table, rows: &Rows) {
    for (cells, lines) in &rows.rows {
        let line = lines[0];
        let point = rows.get(cells, Role::Risk);
        let desc = rows.get(cells, Role::RiskDesc);
        let text = match (point.is_empty(), desc.is_empty()) {
            (false, false) => format!("{}：{}", cell_text(point), cell_text(desc)),
            (false, true) => cell_text(point),
            (true, _) => cell_text(desc),
        };
        if text.is_empty() {
            continue;
        }
        let d = row_dept(b, rows.get(cells, Role::Dept), line)
            .or_else(|| row_dept(b, rows.get(cells, Role::Unit), line))
            .unwrap_or_else(|| b.dept(&unassigned_name(b), None));
        let post = rows.get(cells, Role::Post);
        if !post.is_empty() {
            add_post(b, d, post);
        }
        let mut notes = rows.others(t, cells);
        if !post.is_empty() {
            notes.insert(0, format!("岗位：{}", cell_text(post)));
        }
        let mut full = RiskFull {
            category: Some(rows.get(cells, Role::Category))
                .filter(|c| !c.is_empty())
                .map(cell_text),
            level: Some(rows.get(cells, Role::Level))
                .filter(|c| !c.is_empty())
                .map(cell_text),
            text,
            controls: measures(rows.get(cells, Role::Controls)),
            owners: rows
                .all(cells, Role::Owner)
                .into_iter()
                .map(cell_text)
                .collect(),
        };
        if !notes.is_empty() {
            full.text = format!("{}\n\n{}", full.text, notes.join("\n\n"));
        }
        b.depts[d].risks.points.push(RiskPoint::Full(full));
    }
}

/// The holder of risks and powers whose table names no unit.
fn unassigned_name(_b: &Builder<'_, '_>) -> String {
    "未注明科室".to_string()
}

fn split_basis(s: &str) -> Vec<String> {
    let s = cell_text(s);
    let parts: Vec<String> = s
        .split(['；', ';', '\n'])
        .map(|p| p.trim().trim_end_matches('。').to_string())
        .filter(|p| !p.is_empty())
        .collect();
    parts
}

fn list_cell(s: &str) -> Vec<String> {
    let s = s.trim();
    if s.is_empty() || s == "同上" {
        return Vec::new();
    }
    numbered_pieces(s)
        .or_else(|| {
            let lines: Vec<String> = cell_text(s).lines().map(String::from).collect();
            (lines.len() > 1).then_some(lines)
        })
        .unwrap_or_else(|| clauses(&cell_text(s)))
}

fn powers(b: &mut Builder<'_, '_>, t: &Table, rows: &Rows, category: Option<&str>) {
    for (cells, lines) in &rows.rows {
        let name = cell_text(rows.get(cells, Role::Name));
        if name.is_empty() {
            continue;
        }
        let cat = rows.get(cells, Role::Category);
        let cat = if cat.is_empty() {
            category.unwrap_or("")
        } else {
            cat
        };
        let dept_cell = rows.get(cells, Role::Dept);
        let mut p = Power {
            no: Some(rows.get(cells, Role::No).to_string()).filter(|s| !s.is_empty()),
            name,
            code: Some(rows.get(cells, Role::Code).to_string()).filter(|s| !s.is_empty()),
            category: Some(cell_text(cat)).filter(|s| !s.is_empty()),
            basis: split_basis(rows.get(cells, Role::Basis)),
            responsibilities: list_cell(rows.get(cells, Role::Resp)),
            accountability: list_cell(rows.get(cells, Role::Account)),
            limit: Some(cell_text(rows.get(cells, Role::Limit))).filter(|s| !s.is_empty()),
            fee: Some(cell_text(rows.get(cells, Role::Fee))).filter(|s| !s.is_empty()),
            notes: rows.others(t, cells),
            ..Default::default()
        };
        match row_dept(b, dept_cell, lines[0]) {
            Some(d) => b.depts[d].powers.push(p),
            None => {
                if !dept_cell.is_empty() {
                    p.department = Some(cell_text(dept_cell));
                }
                b.org.powers.push(p);
            }
        }
    }
}

fn division(b: &mut Builder<'_, '_>, t: &Table, rows: &Rows) {
    for (cells, lines) in &rows.rows {
        let task = cell_text(rows.get(cells, Role::Task)).replace('\n', "");
        let lead = rows.get(cells, Role::Lead);
        let helpers: Vec<String> = rows
            .all(cells, Role::Help)
            .iter()
            .flat_map(|c| c.split(['、', '，', ',', '；', '\u{2028}']))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        let mut text = String::new();
        if !task.is_empty() {
            text.push_str(&task);
            text.push('。');
        }
        for (k, h) in t.header.iter().enumerate() {
            if rows.roles[k] == Some(Role::Task) || rows.roles[k] == Some(Role::No) {
                continue;
            }
            let c = cells.get(k).map_or("", |c| c.trim());
            if !c.is_empty() {
                text.push_str(&format!("{}：{}；", h.trim(), cell_text(c)));
            }
        }
        let text = text.trim_end_matches('；').to_string();
        let lead_d = row_dept(b, lead, lines[0]);
        let mut with = Vec::new();
        for h in &helpers {
            if let Some(d) = row_dept(b, h, lines[0]) {
                let n = b.depts[d].name.clone();
                if Some(d) != lead_d && !with.contains(&n) {
                    with.push(n);
                }
            }
        }
        let item = DivisionItem::Full(DivisionFull {
            with,
            topic: Some(task).filter(|t| !t.is_empty() && nchars(t) <= 40),
            text,
            ..Default::default()
        });
        match lead_d {
            Some(d) => b.depts[d].division.internal.push(item),
            None => b.org.division.push(item),
        }
    }
    let _ = Division::default();
}

fn posts(b: &mut Builder<'_, '_>, rows: &Rows) {
    for (cells, lines) in &rows.rows {
        let Some(d) = row_dept(b, rows.get(cells, Role::Dept), lines[0]) else {
            continue;
        };
        let name = rows.get(cells, Role::Post);
        if name.is_empty() {
            continue;
        }
        let k = add_post(b, d, name);
        let post = &mut b.depts[d].posts[k];
        if let Ok(n) = rows.get(cells, Role::PostCount).parse() {
            post.headcount = Some(n);
        }
        let duties = cell_text(rows.get(cells, Role::PostDuties));
        if !duties.is_empty() {
            post.duties.push(duties);
        }
    }
}

fn units(b: &mut Builder<'_, '_>, rows: &Rows) {
    for (cells, lines) in &rows.rows {
        let name = match rows.get(cells, Role::Unit) {
            "" => rows.get(cells, Role::Dept),
            n => n,
        };
        let Some(d) = row_dept(b, name, lines[0]) else {
            continue;
        };
        for c in clauses(&cell_text(rows.get(cells, Role::Duties)).replace('\n', "")) {
            b.depts[d].duties.push(Duty::Text(c));
        }
    }
}

/// `一、行政许可` and sheet names that are a category of power items.
pub fn category_heading(text: &str) -> Option<String> {
    let t = text.trim().trim_end_matches(['。', '：', ':']);
    let t = t
        .rsplit(['（', '('])
        .next()
        .map_or(t, |x| x.trim_end_matches(['）', ')']));
    is_power_category(t).then(|| t.to_string())
}
