//! The workbook's sheets back into the content model: organisations, departments (with
//! their part files) and everything they hold. Every problem is collected with its sheet,
//! row and column as Excel shows them; a row with a problem is left out, the others are read.

use super::grid::{column_letter, Cell, InSheet};
use super::layout::{self as l, sheet};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use zhize_core::diagnostic::{did_you_mean, did_you_mean_zh, Diagnostic, Diagnostics};
use zhize_core::model::{
    Branch, Contact, DeptFile, DeptPart, Document, Duty, DutyFull, ExternalBody, Form, OrgFile,
    Person, Post, Power, Procedure, Reviewed, Scalar, Unparsed,
};
use zhize_core::slug::{slugify, SlugScope};

/// An organisation as read, with its folder name.
pub struct Org {
    pub folder: String,
    pub file: OrgFile,
    pub depts: Vec<Dept>,
    stems: SlugScope,
}

/// A department as read: its file name, its file, and its part files by name.
pub struct Dept {
    pub stem: String,
    pub file: DeptFile,
    pub own: DeptPart,
    pub parts: BTreeMap<String, DeptPart>,
}

impl Dept {
    pub fn part(&mut self, file: Option<String>) -> &mut DeptPart {
        match file {
            None => &mut self.own,
            Some(f) => self.parts.entry(f).or_default(),
        }
    }
    pub fn all_parts(&mut self) -> impl Iterator<Item = &mut DeptPart> {
        std::iter::once(&mut self.own).chain(self.parts.values_mut())
    }
}

/// The reading of one workbook: its sheets, what has been read, and the problems found.
pub struct Reader<'a> {
    file: &'a Path,
    sheets: HashMap<&'static str, &'a InSheet>,
    pub orgs: Vec<Org>,
    pub diags: Diagnostics,
}

/// One data row of a sheet.
#[derive(Clone, Copy)]
pub struct Row<'a> {
    sheet: &'a InSheet,
    no: u32,
    cells: &'a [Cell],
}

impl<'a> Row<'a> {
    pub fn cell(&self, header: &str) -> &'a Cell {
        self.sheet
            .cols
            .get(header)
            .and_then(|&i| self.cells.get(i))
            .unwrap_or(&Cell::Empty)
    }
    /// The cell as text: numbers as Excel shows them (`43`, `2.5`).
    pub fn text(&self, header: &str) -> Option<String> {
        match self.cell(header) {
            Cell::Text(t) => Some(t.clone()),
            Cell::Num(n) => Some(number_text(*n)),
            Cell::Empty | Cell::Error(_) => None,
        }
    }
    /// The cell as a name to look up: trimmed, none when blank.
    pub fn name(&self, header: &str) -> Option<String> {
        self.text(header)
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
    }
    /// One item a line (Alt+Enter in Excel), blank lines skipped; or, when a line holds only
    /// `——`, the items between such lines, each with its own line breaks.
    pub fn lines(&self, header: &str) -> Vec<String> {
        let Some(text) = self.text(header) else {
            return Vec::new();
        };
        let lines: Vec<&str> = text
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .collect();
        let parted = lines.iter().any(|l| l.trim() == super::grid::ITEM_BREAK);
        if !parted {
            return lines
                .into_iter()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_string)
                .collect();
        }
        lines
            .split(|l| l.trim() == super::grid::ITEM_BREAK)
            .map(|item| item.join("\n"))
            .filter(|item| !item.trim().is_empty())
            .collect()
    }
    /// `sheet 职责, row 5, column C (科室)` (`表“职责”第 5 行 C 列（科室）`).
    pub fn at(&self, header: &str) -> CellAt {
        let (name, no) = (&self.sheet.name, self.no);
        match self.sheet.cols.get(header) {
            Some(&c) => CellAt {
                en: format!(
                    "sheet {name}, row {no}, column {} ({header})",
                    column_letter(c)
                ),
                zh: format!("表“{name}”第 {no} 行 {} 列（{header}）", column_letter(c)),
            },
            None => CellAt::row(name, no),
        }
    }
}

fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// Where a problem is in a workbook, as Excel shows it, in English and in Chinese.
pub struct CellAt {
    pub en: String,
    pub zh: String,
}

impl CellAt {
    /// A whole row of a sheet.
    pub fn row(sheet: &str, no: impl std::fmt::Display) -> CellAt {
        CellAt {
            en: format!("sheet {sheet}, row {no}"),
            zh: format!("表“{sheet}”第 {no} 行"),
        }
    }
}

/// Where an item of a sheet goes: its organisation, and its department unless it belongs to
/// the organisation as a whole.
#[derive(Clone, Copy)]
pub struct Place {
    pub org: usize,
    pub dept: Option<usize>,
}

impl<'a> Reader<'a> {
    pub fn new(file: &'a Path, all: &'a [InSheet]) -> Reader<'a> {
        let sheets = l::SHEETS
            .iter()
            .filter_map(|s| Some((s.name, all.iter().find(|x| x.name == s.name)?)))
            .collect();
        Reader {
            file,
            sheets,
            orgs: Vec::new(),
            diags: Diagnostics::default(),
        }
    }

    /// A problem at `at`, in English only (shown in English whatever the language).
    pub fn error(&mut self, at: CellAt, message: impl std::fmt::Display, hint: impl Into<String>) {
        self.diags.push(
            Diagnostic::error(format!("{}: {message}", at.en))
                .in_file(self.file)
                .hint(hint),
        );
    }

    /// A problem at `at`: its message and hint in English (`en`) and Chinese (`zh`).
    pub fn error_in_both(&mut self, at: CellAt, en: (String, String), zh: (String, String)) {
        self.diags.push(
            Diagnostic::error(format!("{}: {}", at.en, en.0))
                .zh(format!("{}：{}", at.zh, zh.0))
                .in_file(self.file)
                .hint(en.1)
                .hint_zh(zh.1),
        );
    }

    /// The data rows of sheet `name` that have every required cell, after reporting the
    /// rows that lack one and the cells that hold Excel errors. A sheet that is missing, or
    /// that lacks a required column (reported once), gives no rows.
    pub fn rows(&mut self, name: &'static str) -> Vec<Row<'a>> {
        let Some(&s) = self.sheets.get(name) else {
            return Vec::new();
        };
        let spec = sheet(name);
        let missing: Vec<&str> = spec
            .cols
            .iter()
            .filter(|c| c.required && !s.cols.contains_key(c.header))
            .map(|c| c.header)
            .collect();
        if !missing.is_empty() {
            self.error_in_both(
                CellAt::row(&s.name, s.header_row),
                (
                    format!("the header row has no column {}", missing.join("、")),
                    "put the header back as the template has it (zhize template xlsx writes one); the sheet was not read".into(),
                ),
                (
                    format!("表头缺少列：{}", missing.join("、")),
                    "照模板把表头补上（zhize template xlsx 可以写出模板）；这张表没有读入".into(),
                ),
            );
            return Vec::new();
        }
        let mut out = Vec::new();
        for (no, cells) in &s.rows {
            let row = Row {
                sheet: s,
                no: *no,
                cells,
            };
            let mut ok = true;
            let mut headers: Vec<(&String, &usize)> = s.cols.iter().collect();
            headers.sort_by_key(|(_, &c)| c);
            for (header, &c) in headers {
                if let Some(Cell::Error(e)) = cells.get(c) {
                    ok = false;
                    self.error(
                        row.at(header),
                        format!("the cell holds the Excel error {e}"),
                        "type the value itself instead of a formula",
                    );
                }
            }
            for col in spec.cols.iter().filter(|c| c.required) {
                if row.name(col.header).is_none() {
                    ok = false;
                    self.error_in_both(
                        row.at(col.header),
                        (
                            format!("the {} cell is empty, and every row needs one", col.header),
                            "fill it in, or delete the row".into(),
                        ),
                        (
                            format!("“{}”是必填的，这一格却是空的", col.header),
                            "填上，或删掉这一行".into(),
                        ),
                    );
                }
            }
            if ok {
                out.push(row);
            }
        }
        out
    }

    /// The organisation the row's 单位 names.
    pub fn org_of(&mut self, row: &Row) -> Option<usize> {
        let name = row.name("单位")?;
        if let Some(i) = self
            .orgs
            .iter()
            .position(|o| o.file.name.trim() == name || o.folder == name)
        {
            return Some(i);
        }
        if let Some(i) = self
            .orgs
            .iter()
            .position(|o| o.file.aliases.iter().any(|a| a.trim() == name))
        {
            return Some(i);
        }
        let known: Vec<String> = self.orgs.iter().map(|o| o.file.name.clone()).collect();
        let names = || known.iter().map(String::as_str);
        let hint = did_you_mean(
            &name,
            names(),
            "add the organisation to sheet 单位, or correct the name",
        );
        let hint_zh = did_you_mean_zh(&name, names(), "把这个单位加进表“单位”，或改正名称");
        self.error_in_both(
            row.at("单位"),
            (format!("no organisation “{name}” in sheet 单位"), hint),
            (format!("表“单位”里没有“{name}”"), hint_zh),
        );
        None
    }

    /// The organisation and department of a row; the department is none when its cell is
    /// blank (the sheet's 科室 is optional there). None when a name is unknown (reported).
    pub fn place(&mut self, row: &Row) -> Option<Place> {
        let org = self.org_of(row)?;
        let Some(name) = row.name("科室") else {
            return Some(Place { org, dept: None });
        };
        let depts = &self.orgs[org].depts;
        let by = |f: &dyn Fn(&Dept) -> bool| depts.iter().position(f);
        let found = by(&|d| d.file.name.trim() == name)
            .or_else(|| by(&|d| d.stem == name || d.file.id.as_deref() == Some(&name)))
            .or_else(|| by(&|d| d.file.aliases.iter().any(|a| a.trim() == name)));
        if found.is_some() {
            return Some(Place { org, dept: found });
        }
        let known: Vec<String> = depts.iter().map(|d| d.file.name.clone()).collect();
        let unit = self.orgs[org].file.name.clone();
        let names = || known.iter().map(String::as_str);
        let hint = did_you_mean(
            &name,
            names(),
            "add the department to sheet 科室, or correct the name",
        );
        let hint_zh = did_you_mean_zh(&name, names(), "把这个科室加进表“科室”，或改正名称");
        self.error_in_both(
            row.at("科室"),
            (
                format!("no department “{name}” of {unit} in sheet 科室"),
                format!("{hint} (the names must match sheet 科室 exactly)"),
            ),
            (
                format!("表“科室”里没有{unit}的“{name}”"),
                format!("{hint_zh}（名称要和表“科室”里的一字不差）"),
            ),
        );
        None
    }

    /// A whole number from the cell, or none when it is blank; an error when it is not one.
    pub fn number(&mut self, row: &Row, header: &str) -> Option<i64> {
        let value = match row.cell(header) {
            Cell::Num(n) if n.fract() == 0.0 && n.abs() < 1e15 => Some(*n as i64),
            Cell::Text(t) => t.trim().parse().ok(),
            Cell::Empty | Cell::Error(_) => return None,
            Cell::Num(_) => None,
        };
        if value.is_none() {
            self.error(
                row.at(header),
                format!("{header} must be a whole number"),
                "write digits only, such as 3",
            );
        }
        value
    }

    /// A non-negative whole number that fits (人数, 内设机构数, 行号).
    pub fn count<T: TryFrom<i64>>(&mut self, row: &Row, header: &str) -> Option<T> {
        let n = self.number(row, header)?;
        let v = T::try_from(n).ok();
        if v.is_none() {
            self.error(
                row.at(header),
                format!("{header} {n} is out of range"),
                "write a whole number from 0 up",
            );
        }
        v
    }

    /// The 所在文件 of a row: none for the department's own file.
    pub fn part_file(&mut self, row: &Row) -> Option<String> {
        let f = row.name("所在文件")?;
        if !is_file_name(&f) {
            self.error(
                row.at("所在文件"),
                format!("“{f}” cannot be a file name"),
                "use letters, digits and - only (no / \\ and not starting with . or _), or leave it blank",
            );
            return None;
        }
        Some(f)
    }
}

/// A name that can be a file or folder name of the content: one path segment, not hidden,
/// not skipped by the loader (`_…`, `…~`).
pub fn is_file_name(s: &str) -> bool {
    !s.is_empty()
        && !s.contains(['/', '\\', ':', '*', '?', '"', '<', '>', '|'])
        && !s.starts_with(['.', '_'])
        && !s.ends_with('~')
        && !s.chars().any(char::is_control)
}

fn reviewed(r: &mut Reader, row: &Row) -> Option<Reviewed> {
    let date = row.name("审核日期");
    let by = row.text("审核人");
    match (date, by) {
        (Some(date), None) if as_map(row) => Some(Reviewed::Full { date, by: None }),
        (Some(d), None) => Some(Reviewed::Date(d)),
        (Some(date), Some(by)) => Some(Reviewed::Full { date, by: Some(by) }),
        (None, Some(_)) => {
            r.error(
                row.at("审核日期"),
                "审核人 is given but 审核日期 is empty",
                "add the date the list was checked, such as 2024-07-01",
            );
            None
        }
        (None, None) => None,
    }
}

/// Sheet 单位: one organisation a row.
pub fn read_orgs(r: &mut Reader) {
    let mut folders = SlugScope::with_reserved(&["pages"]);
    for row in r.rows(l::ORG) {
        let name = row.text("单位名称").unwrap_or_default();
        let folder = match row.name("文件夹") {
            Some(f) if !is_file_name(&f) => {
                r.error(
                    row.at("文件夹"),
                    format!("“{f}” cannot be a folder name"),
                    "use letters, digits and - only, or leave it blank for the pinyin of the name",
                );
                continue;
            }
            Some(f) => f,
            None => slugify(name.trim()),
        };
        if folders.claim_or_clash(&folder).is_err() {
            r.error(
                row.at("文件夹"),
                format!("folder “{folder}” is used by another organisation (or by zhize)"),
                "give each organisation its own 文件夹",
            );
            continue;
        }
        let file = OrgFile {
            id: row.text("标识"),
            name,
            aliases: row.lines("别名"),
            plaques: row.lines("牌子"),
            level: row.text("级别"),
            summary: row.text("主要职责"),
            units: r.count(&row, "内设机构数"),
            legal_bases: row.lines("执法依据"),
            reviewed: reviewed(r, &row),
            order: r.number(&row, "排序"),
            ..Default::default()
        };
        r.orgs.push(Org {
            folder,
            file,
            depts: Vec::new(),
            stems: SlugScope::with_reserved(&["_org", "pages", "external"]),
        });
    }
}

/// Sheet 科室: one department a row.
pub fn read_depts(r: &mut Reader) {
    for row in r.rows(l::DEPT) {
        let Some(org) = r.org_of(&row) else { continue };
        let name = row.text("科室名称").unwrap_or_default();
        let stem = match row.name("文件名") {
            Some(f) if !is_file_name(&f) => {
                r.error(
                    row.at("文件名"),
                    format!("“{f}” cannot be a file name"),
                    "use letters, digits and - only, or leave it blank for the pinyin of the name",
                );
                continue;
            }
            Some(f) => {
                if r.orgs[org].stems.claim_or_clash(&f).is_err() {
                    r.error(
                        row.at("文件名"),
                        format!(
                            "file name “{f}” is used by another department of this organisation"
                        ),
                        "give each department its own 文件名",
                    );
                    continue;
                }
                f
            }
            None => r.orgs[org].stems.unique(&slugify(name.trim())),
        };
        let file = DeptFile {
            id: row.text("标识"),
            name,
            aliases: row.lines("别名"),
            plaques: row.lines("牌子"),
            former_ids: row.lines("曾用标识"),
            summary: row.text("主要职责"),
            reviewed: reviewed(r, &row),
            order: r.number(&row, "排序"),
            ..Default::default()
        };
        r.orgs[org].depts.push(Dept {
            stem,
            file,
            own: DeptPart::default(),
            parts: BTreeMap::new(),
        });
    }
}

/// Sheet 职责: duties of departments, or of the organisation when 科室 is blank.
pub fn read_duties(r: &mut Reader) {
    for row in r.rows(l::DUTY) {
        let Some(p) = r.place(&row) else { continue };
        let full = DutyFull {
            id: row.text("标识"),
            no: row.text("序号"),
            group: row.text("分组"),
            text: row.text("职责内容").unwrap_or_default(),
            page: match row.cell("页码") {
                Cell::Num(n) if n.fract() == 0.0 => Some(Scalar::Int(*n as i64)),
                _ => row.text("页码").map(Scalar::Text),
            },
        };
        let plain = full.id.is_none() && full.no.is_none() && full.group.is_none();
        let duty = if plain && full.page.is_none() && !as_map(&row) {
            Duty::Text(full.text)
        } else {
            Duty::Full(full)
        };
        match p.dept {
            Some(d) => r.orgs[p.org].depts[d].file.duties.push(duty),
            None => r.orgs[p.org].file.duties.push(duty),
        }
    }
}

/// Does the row's 原格式 ask for the map form of an entry that has only its text?
pub fn as_map(row: &Row) -> bool {
    row.name(l::SHAPE).as_deref() == Some(l::AS_MAP)
}

/// `1、3-5、caigou`: a post's `covers`, numbers as numbers.
fn covers(cell: &str) -> Vec<Scalar> {
    cell.split(['、', ',', '，', ';', '；', '\n'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| match t.parse::<i64>() {
            Ok(n) if !t.starts_with(['+', '-', '0']) || t == "0" => Scalar::Int(n),
            _ => Scalar::Text(t.to_string()),
        })
        .collect()
}

/// Sheet 岗位.
pub fn read_posts(r: &mut Reader) {
    for row in r.rows(l::POST) {
        let Some(Place { org, dept: Some(d) }) = r.place(&row) else {
            continue;
        };
        let post = Post {
            id: row.text("标识"),
            name: row.text("岗位名称").unwrap_or_default(),
            aliases: row.lines("别名"),
            rank: row.text("岗位类别"),
            headcount: r.count(&row, "人数"),
            covers: row.text("负责职责").map(|c| covers(&c)).unwrap_or_default(),
            duties: row.lines("岗位职责"),
            summary: row.text("概述"),
            contacts: Vec::new(),
        };
        let file = r.part_file(&row);
        r.orgs[org].depts[d].part(file).posts.push(post);
    }
}

/// `条件 → 目标｜分支名称` back into a branch (see [`super::export::branch`]).
pub fn branch(line: &str) -> Branch {
    let (rest, label) = match line.rfind(['｜', '|']) {
        Some(i) => {
            let bar = line[i..].chars().next().map_or(1, char::len_utf8);
            (&line[..i], Some(line[i + bar..].trim().to_string()))
        }
        None => (line, None),
    };
    let arrow = rest
        .rfind('→')
        .map(|i| (i, '→'.len_utf8()))
        .or_else(|| rest.rfind("->").map(|i| (i, 2)));
    let (when, goto) = match arrow {
        Some((i, n)) => {
            let target = rest[i + n..].trim();
            let goto = match target.parse::<i64>() {
                Ok(n) if !target.starts_with(['+', '-']) => Scalar::Int(n),
                _ => Scalar::Text(target.to_string()),
            };
            (rest[..i].trim(), (!target.is_empty()).then_some(goto))
        }
        None => (rest.trim(), None),
    };
    Branch {
        when: when.to_string(),
        goto,
        label: label.filter(|l| !l.is_empty()),
    }
}

/// Sheets 编制, 三定文件, 外部单位, 人员 and 未解析.
pub fn read_org_lists(r: &mut Reader) {
    for row in r.rows(l::STAFFING) {
        let Some(o) = r.org_of(&row) else { continue };
        let item = row.text("项目").unwrap_or_default();
        let value = row.text("数值").unwrap_or_default();
        r.orgs[o].file.staffing.0.push((item, value));
    }
    for row in r.rows(l::DOCUMENT) {
        let Some(o) = r.org_of(&row) else { continue };
        r.orgs[o].file.documents.push(Document {
            no: row.text("文号"),
            title: row.text("标题").unwrap_or_default(),
            issuer: row.text("发文机关"),
            date: row.text("日期"),
            body: row.text("全文"),
        });
    }
    for row in r.rows(l::EXTERNAL) {
        let Some(o) = r.org_of(&row) else { continue };
        r.orgs[o].file.external.push(ExternalBody {
            id: row.text("标识"),
            name: row.text("名称").unwrap_or_default(),
            aliases: row.lines("别名"),
            summary: row.text("简介"),
        });
    }
    for row in r.rows(l::PERSON) {
        let Some(o) = r.org_of(&row) else { continue };
        r.orgs[o].file.people.push(Person {
            name: row.text("姓名").unwrap_or_default(),
            aliases: row.lines("别名"),
            role: row.text("职务"),
            department: row.text("部门"),
            phone: row.text("电话"),
        });
    }
    for row in r.rows(l::UNPARSED) {
        let Some(p) = r.place(&row) else { continue };
        let u = Unparsed {
            line: r.count(&row, "行号").unwrap_or(0),
            text: row.text("内容").unwrap_or_default(),
        };
        match p.dept {
            Some(d) => r.orgs[p.org].depts[d].file.unparsed.push(u),
            None => r.orgs[p.org].file.unparsed.push(u),
        }
    }
}

/// A contact from a row of 通讯录.
pub fn contact(row: &Row) -> Contact {
    Contact {
        name: row.text("姓名").unwrap_or_default(),
        role: row.text("职务"),
        phone: row.text("电话"),
        address: row.text("地址"),
        email: row.text("邮箱"),
        department: row.text("部门"),
    }
}

/// A procedure, form or power from the row of its own sheet.
pub fn procedure(row: &Row) -> Procedure {
    Procedure {
        id: row.text("标识"),
        name: row.text("流程名称").unwrap_or_default(),
        aliases: row.lines("别名"),
        summary: row.text("概述"),
        notes: row.lines("备注"),
        forms: row.lines("表单"),
        ..Default::default()
    }
}

pub fn form(row: &Row) -> Form {
    Form {
        id: row.text("标识"),
        name: row.text("表单名称").unwrap_or_default(),
        aliases: row.lines("别名"),
        summary: row.text("概述"),
        notes: row.lines("备注"),
        rows: Vec::new(),
    }
}

pub fn power(row: &Row) -> Power {
    Power {
        id: row.text("标识"),
        no: row.text("序号"),
        name: row.text("事项名称").unwrap_or_default(),
        code: row.text("事项编码"),
        category: row.text("事项类别"),
        basis: row.lines("实施依据"),
        department: row.text("承办机构"),
        responsibilities: row.lines("责任事项"),
        accountability: row.lines("追责情形"),
        limit: row.text("办理时限"),
        fee: row.text("收费"),
        notes: row.lines("备注"),
        steps: Vec::new(),
    }
}

impl Row<'_> {
    /// The cells of a form's table row: columns 第1列, 第2列 … wherever they are.
    pub fn table_cells(&self) -> Vec<(usize, &Cell)> {
        let mut cells: Vec<(usize, &Cell)> = self
            .sheet
            .cols
            .iter()
            .filter_map(|(h, &c)| {
                let n: usize = h.strip_prefix('第')?.strip_suffix('列')?.parse().ok()?;
                (1..=super::grid::MAX_COLUMNS)
                    .contains(&n)
                    .then(|| (n, self.cells.get(c).unwrap_or(&Cell::Empty)))
            })
            .collect();
        cells.sort_by_key(|(n, _)| *n);
        cells
    }
}
