//! The content model into the workbook's sheets: one row per item, each naming its
//! organisation and department the way a clerk would (by name).

use super::grid::{text, Cell, OutRow, OutSheet};
use super::layout::{self as l, sheet};
use super::{DeptContent, OrgContent};
use zhize_core::model::{
    Branch, Contact, DeptPart, Division, DivisionItem, Duty, Form, Power, Procedure, Reviewed,
    RiskPoint, Risks, Scalar, Step,
};

/// The sheets of the workbook (after 说明), filled with `orgs`.
pub fn sheets(orgs: &[OrgContent]) -> Vec<OutSheet> {
    let mut book = Book {
        sheets: l::SHEETS.iter().map(OutSheet::new).collect(),
    };
    for org in orgs {
        let unit = org_ref(org, orgs);
        org_rows(&mut book, org, &unit);
        for d in &org.depts {
            let dept = dept_ref(d, &org.depts);
            let at = Scope {
                unit: &unit,
                dept: &dept,
            };
            dept_rows(&mut book, d, &at);
        }
    }
    book.sheets
}

struct Book {
    sheets: Vec<OutSheet>,
}

impl Book {
    /// A new row of sheet `name`, with its 单位 and 科室 filled in.
    fn row(&mut self, name: &str, at: &Scope) -> OutRow<'_> {
        let i = l::SHEETS
            .iter()
            .position(|s| s.name == name)
            .expect("a sheet of the layout");
        let spec = sheet(name);
        let mut row = self.sheets[i].row();
        if spec.col("单位").is_some() {
            row.text("单位", at.unit);
        }
        if spec.col("科室").is_some() {
            row.text("科室", at.dept);
        }
        row
    }
}

/// Where rows belong: the organisation's and department's names as the sheets show them
/// (an empty department: the organisation as a whole).
struct Scope<'a> {
    unit: &'a str,
    dept: &'a str,
}

/// The organisation's name, or its folder when another organisation has the same name.
fn org_ref(org: &OrgContent, all: &[OrgContent]) -> String {
    let same = all.iter().filter(|o| o.org.name == org.org.name).count();
    if same > 1 || org.org.name.trim().is_empty() {
        org.folder.clone()
    } else {
        org.org.name.clone()
    }
}

/// The department's name, or its file name when another department has the same name.
fn dept_ref(d: &DeptContent, all: &[DeptContent]) -> String {
    let same = all.iter().filter(|o| o.dept.name == d.dept.name).count();
    if same > 1 || d.dept.name.trim().is_empty() {
        d.stem.clone()
    } else {
        d.dept.name.clone()
    }
}

/// How rows of other sheets name the items of one list (a department's forms, say), in
/// order: by name, or `名称#2` for the second of items with the same name.
struct Refs {
    names: Vec<String>,
    next: usize,
}

impl Refs {
    fn new<'n>(names: impl Iterator<Item = &'n String>) -> Refs {
        Refs {
            names: names.cloned().collect(),
            next: 0,
        }
    }
    fn next(&mut self) -> String {
        let i = self.next;
        self.next += 1;
        let Some(name) = self.names.get(i) else {
            return String::new();
        };
        let same: Vec<usize> = (0..self.names.len())
            .filter(|&j| self.names[j] == *name)
            .collect();
        match same.iter().position(|&j| j == i) {
            Some(k) if same.len() > 1 => format!("{name}#{}", k + 1),
            _ => name.clone(),
        }
    }
}

/// The references of a department's posts, procedures, forms and power items.
struct DeptRefs {
    posts: Refs,
    procedures: Refs,
    forms: Refs,
}

fn reviewed(row: &mut OutRow<'_>, r: Option<&Reviewed>) {
    if let Some(r) = r {
        row.text("审核日期", r.date()).opt("审核人", r.by());
        if matches!(r, Reviewed::Full { by: None, .. }) {
            row.text(l::SHAPE, l::AS_MAP);
        }
    }
}

fn org_rows(book: &mut Book, o: &OrgContent, unit: &str) {
    let org = &o.org;
    let at = Scope { unit, dept: "" };
    let mut row = book.row(l::ORG, &at);
    row.text("单位名称", &org.name)
        .text("文件夹", &o.folder)
        .opt("标识", org.id.as_deref())
        .lines("别名", &org.aliases)
        .lines("牌子", &org.plaques)
        .opt("级别", org.level.as_deref())
        .opt("主要职责", org.summary.as_deref())
        .num("内设机构数", org.units.map(i64::from))
        .lines("执法依据", &org.legal_bases)
        .num("排序", org.order);
    reviewed(&mut row, org.reviewed.as_ref());
    duties(book, &org.duties, &at);
    for d in &org.documents {
        book.row(l::DOCUMENT, &at)
            .text("标题", &d.title)
            .opt("文号", d.no.as_deref())
            .opt("发文机关", d.issuer.as_deref())
            .opt("日期", d.date.as_deref())
            .opt("全文", d.body.as_deref());
    }
    for (k, v) in &org.staffing.0 {
        book.row(l::STAFFING, &at).text("项目", k).text("数值", v);
    }
    let mut powers = Refs::new(org.powers.iter().map(|p| &p.name));
    for p in &org.powers {
        power(book, p, &at, &powers.next());
    }
    let mut procedures = Refs::new(org.procedures.iter().map(|p| &p.name));
    for p in &org.procedures {
        procedure(book, p, &at, None, &procedures.next());
    }
    for item in &org.division {
        division_item(book, item, &at, None);
    }
    for e in &org.external {
        book.row(l::EXTERNAL, &at)
            .text("名称", &e.name)
            .opt("标识", e.id.as_deref())
            .lines("别名", &e.aliases)
            .opt("简介", e.summary.as_deref());
    }
    for p in &org.people {
        book.row(l::PERSON, &at)
            .text("姓名", &p.name)
            .lines("别名", &p.aliases)
            .opt("职务", p.role.as_deref())
            .opt("部门", p.department.as_deref())
            .opt("电话", p.phone.as_deref());
    }
    for c in &org.contacts {
        contact(book, c, &at, None);
    }
    for u in &org.unparsed {
        book.row(l::UNPARSED, &at)
            .text("内容", &u.text)
            .num("行号", Some(u.line as i64));
    }
}

fn dept_rows(book: &mut Book, d: &DeptContent, at: &Scope) {
    let dept = &d.dept;
    let mut row = book.row(l::DEPT, at);
    row.text("科室名称", &dept.name)
        .text("文件名", &d.stem)
        .opt("标识", dept.id.as_deref())
        .lines("别名", &dept.aliases)
        .lines("牌子", &dept.plaques)
        .lines("曾用标识", &dept.former_ids)
        .opt("主要职责", dept.summary.as_deref())
        .num("排序", dept.order);
    reviewed(&mut row, dept.reviewed.as_ref());
    duties(book, &dept.duties, at);
    division(book, &dept.division, at);
    risks(book, &dept.risks, at);
    let mut powers = Refs::new(dept.powers.iter().map(|p| &p.name));
    for p in &dept.powers {
        power(book, p, at, &powers.next());
    }
    let own = DeptPart {
        posts: dept.posts.clone(),
        procedures: dept.procedures.clone(),
        forms: dept.forms.clone(),
        contacts: dept.contacts.clone(),
    };
    let all = || std::iter::once(&own).chain(d.parts.iter().map(|(_, p)| p));
    let mut refs = DeptRefs {
        posts: Refs::new(all().flat_map(|p| &p.posts).map(|x| &x.name)),
        procedures: Refs::new(all().flat_map(|p| &p.procedures).map(|x| &x.name)),
        forms: Refs::new(all().flat_map(|p| &p.forms).map(|x| &x.name)),
    };
    part(book, &own, at, None, &mut refs);
    for (stem, p) in &d.parts {
        part(book, p, at, Some(stem), &mut refs);
    }
    for u in &dept.unparsed {
        book.row(l::UNPARSED, at)
            .text("内容", &u.text)
            .num("行号", Some(u.line as i64));
    }
}

/// Posts, procedures, forms and contacts of a department file (`file` none) or a part file.
fn part(book: &mut Book, p: &DeptPart, at: &Scope, file: Option<&str>, refs: &mut DeptRefs) {
    for post in &p.posts {
        book.row(l::POST, at)
            .text("岗位名称", &post.name)
            .opt("标识", post.id.as_deref())
            .lines("别名", &post.aliases)
            .opt("岗位类别", post.rank.as_deref())
            .num("人数", post.headcount.map(i64::from))
            .text("负责职责", &scalars(&post.covers))
            .lines("岗位职责", &post.duties)
            .opt("概述", post.summary.as_deref())
            .opt("所在文件", file);
        let name = refs.posts.next();
        for c in &post.contacts {
            contact(book, c, at, file).text("岗位", &name);
        }
    }
    for proc in &p.procedures {
        procedure(book, proc, at, file, &refs.procedures.next());
    }
    for f in &p.forms {
        form(book, f, at, file, &refs.forms.next());
    }
    for c in &p.contacts {
        contact(book, c, at, file);
    }
}

fn duties(book: &mut Book, list: &[Duty], at: &Scope) {
    for d in list {
        let mut row = book.row(l::DUTY, at);
        row.text("职责内容", d.text());
        if let Duty::Full(f) = d {
            row.opt("序号", f.no.as_deref())
                .opt("标识", f.id.as_deref())
                .opt("分组", f.group.as_deref())
                .put("页码", f.page.as_ref().map_or(Cell::Empty, scalar));
            if f.id.is_none() && f.no.is_none() && f.group.is_none() && f.page.is_none() {
                row.text(l::SHAPE, l::AS_MAP);
            }
        }
    }
}

fn division(book: &mut Book, d: &Division, at: &Scope) {
    for (kind, list) in [
        ("外部协作", &d.external),
        ("内部分工", &d.internal),
        ("其他分工", &d.general),
    ] {
        for item in list {
            division_item(book, item, at, Some(kind));
        }
    }
}

fn division_item(book: &mut Book, item: &DivisionItem, at: &Scope, kind: Option<&str>) {
    let mut row = book.row(l::DIVISION, at);
    row.text("内容", item.text()).opt("分类", kind);
    if let DivisionItem::Full(f) = item {
        row.lines("协作对象", &f.with)
            .lines("相关部门", &f.parties)
            .opt("事项", f.topic.as_deref());
        if f.with.is_empty() && f.parties.is_empty() && f.topic.is_none() {
            row.text(l::SHAPE, l::AS_MAP);
        }
    }
}

fn risks(book: &mut Book, r: &Risks, at: &Scope) {
    for p in &r.points {
        let mut row = book.row(l::RISK, at);
        row.text("风险点", p.text());
        if let RiskPoint::Full(f) = p {
            row.opt("风险类别", f.category.as_deref())
                .opt("风险等级", f.level.as_deref())
                .lines("防控措施", &f.controls)
                .lines("责任人", &f.owners);
            let plain = f.category.is_none() && f.level.is_none();
            if plain && f.controls.is_empty() && f.owners.is_empty() {
                row.text(l::SHAPE, l::AS_MAP);
            }
        }
    }
    for c in &r.controls {
        book.row(l::RISK, at).text("防控措施", c);
    }
}

/// A procedure's row, and its steps and contacts naming it as `name`.
fn procedure(book: &mut Book, p: &Procedure, at: &Scope, file: Option<&str>, name: &str) {
    book.row(l::PROCEDURE, at)
        .text("流程名称", &p.name)
        .opt("标识", p.id.as_deref())
        .lines("别名", &p.aliases)
        .opt("概述", p.summary.as_deref())
        .lines("备注", &p.notes)
        .lines("表单", &p.forms)
        .opt("所在文件", file);
    for s in &p.steps {
        step(book, s, at).text("工作流程", name);
    }
    for c in &p.contacts {
        contact(book, c, at, file).text("工作流程", name);
    }
}

fn step<'b>(book: &'b mut Book, s: &Step, at: &Scope) -> OutRow<'b> {
    let mut row = book.row(l::STEP, at);
    let branches: Vec<String> = s.branches.iter().map(branch).collect();
    row.opt("环节名称", s.label.as_deref())
        .opt("责任主体", s.actor.as_deref())
        .opt("说明", s.text.as_deref())
        .opt("时限", s.limit.as_deref())
        .lines("表单", &s.forms)
        .lines("会签", &s.parallel)
        .lines("分支", &branches);
    row
}

/// `条件 → 目标｜分支名称`, the one-line form of a branch (see the 步骤 sheet's note).
pub fn branch(b: &Branch) -> String {
    let mut s = b.when.clone();
    if let Some(g) = &b.goto {
        s.push_str(" → ");
        s.push_str(&g.to_string());
    }
    if let Some(label) = &b.label {
        s.push('｜');
        s.push_str(label);
    }
    s
}

fn form(book: &mut Book, f: &Form, at: &Scope, file: Option<&str>, name: &str) {
    book.row(l::FORM, at)
        .text("表单名称", &f.name)
        .opt("标识", f.id.as_deref())
        .lines("别名", &f.aliases)
        .opt("概述", f.summary.as_deref())
        .lines("备注", &f.notes)
        .opt("所在文件", file);
    let table = sheet(l::TABLE);
    let first = table.col("第1列").expect("the table sheet has 第1列");
    for cells in &f.rows {
        // A row ending in an empty cell, or with none, says how many cells it has.
        let count = cells.last().is_none_or(String::is_empty);
        let cells: Vec<Cell> = cells.iter().map(|c| text(c)).collect();
        let i = l::SHEETS
            .iter()
            .position(|s| s.name == l::TABLE)
            .expect("a sheet of the layout");
        widen(&mut book.sheets[i], first + cells.len());
        let mut row = book.row(l::TABLE, at);
        row.text("表单名称", name);
        if count {
            row.num("格数", Some(cells.len() as i64));
        }
        row.extra(first, cells);
    }
}

/// Headers 第N列 up to `width` columns.
fn widen(s: &mut OutSheet, width: usize) {
    let first = sheet(l::TABLE).col("第1列").unwrap_or(0);
    while s.headers.len() < width {
        let n = s.headers.len() - first + 1;
        s.headers.push((format!("第{n}列"), false));
    }
}

fn power(book: &mut Book, p: &Power, at: &Scope, name: &str) {
    book.row(l::POWER, at)
        .text("事项名称", &p.name)
        .opt("序号", p.no.as_deref())
        .opt("标识", p.id.as_deref())
        .opt("事项编码", p.code.as_deref())
        .opt("事项类别", p.category.as_deref())
        .lines("实施依据", &p.basis)
        .opt("承办机构", p.department.as_deref())
        .lines("责任事项", &p.responsibilities)
        .lines("追责情形", &p.accountability)
        .opt("办理时限", p.limit.as_deref())
        .opt("收费", p.fee.as_deref())
        .lines("备注", &p.notes);
    for s in &p.steps {
        step(book, s, at).text("权责事项", name);
    }
}

/// A contact's row; the caller adds what it belongs to (a post, a procedure, a 部门).
fn contact<'b>(book: &'b mut Book, c: &Contact, at: &Scope, file: Option<&str>) -> OutRow<'b> {
    let mut row = book.row(l::CONTACT, at);
    row.text("姓名", &c.name)
        .opt("职务", c.role.as_deref())
        .opt("电话", c.phone.as_deref())
        .opt("地址", c.address.as_deref())
        .opt("邮箱", c.email.as_deref())
        .opt("部门", c.department.as_deref())
        .opt("所在文件", file);
    row
}

fn scalar(s: &Scalar) -> Cell {
    match s {
        Scalar::Int(i) => Cell::Num(*i as f64),
        Scalar::Text(t) => text(t),
    }
}

/// `1、3-5、caigou`: a post's `covers` in one cell.
fn scalars(list: &[Scalar]) -> String {
    list.iter()
        .map(Scalar::to_string)
        .collect::<Vec<_>>()
        .join("、")
}
