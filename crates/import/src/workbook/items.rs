//! The sheets whose rows belong to a department's items or refer to other rows: 职责分工,
//! 廉政风险, 工作流程 and 步骤, 表单 and 表单内容, 权责事项, 通讯录. Rows that name a
//! procedure, a power item, a form or a post find it by name (or 标识) in their department,
//! or in the organisation when 科室 is blank.

use super::grid::Cell;
use super::layout as l;
use super::read::{self, Place, Reader, Row};
use zhize_core::diagnostic::{did_you_mean, did_you_mean_zh};
use zhize_core::model::{DivisionFull, DivisionItem, RiskFull, RiskPoint, Step};

/// Why a name found no single item.
enum Miss {
    /// No item has the name; the names there are.
    Unknown(Vec<String>),
    /// More than one item has it.
    Ambiguous,
}

type Found<'r, T> = Result<&'r mut T, Miss>;

/// The item called `wanted` among `items`: by its name, else its id, else `名称#N` for the
/// N-th of items sharing a name.
fn find<'r, T>(
    items: Vec<&'r mut T>,
    key: impl Fn(&T) -> (&str, Option<&str>),
    wanted: &str,
) -> Found<'r, T> {
    let named = |name: &str| -> Vec<usize> {
        (0..items.len())
            .filter(|&i| key(items[i]).0.trim() == name)
            .collect()
    };
    let mut hits = named(wanted);
    if hits.is_empty() {
        hits = (0..items.len())
            .filter(|&i| key(items[i]).1 == Some(wanted))
            .collect();
    }
    if hits.is_empty() {
        if let Some((name, n)) = wanted.rsplit_once('#') {
            let same = named(name.trim());
            if let Some(&i) = n
                .trim()
                .parse::<usize>()
                .ok()
                .and_then(|n| same.get(n.checked_sub(1)?))
            {
                hits = vec![i];
            }
        }
    }
    match hits.as_slice() {
        [i] => items.into_iter().nth(*i).ok_or(Miss::Ambiguous),
        [] => Err(Miss::Unknown(
            items.iter().map(|t| key(t).0.to_string()).collect(),
        )),
        _ => Err(Miss::Ambiguous),
    }
}

/// Report a name that [`find`] did not resolve to one item.
fn not_found(r: &mut Reader, row: &Row, header: &str, what: &str, miss: Miss) {
    let wanted = row.name(header).unwrap_or_default();
    match miss {
        Miss::Unknown(known) => {
            let names = || known.iter().map(String::as_str);
            let hint = did_you_mean(&wanted, names(), &format!("add it to sheet {what}, or correct the name"));
            let hint_zh = did_you_mean_zh(&wanted, names(), &format!("把它加进表“{what}”，或改正名称"));
            r.error_in_both(
                row.at(header),
                (
                    format!("no {what} “{wanted}” in this department (or, with 科室 blank, the organisation) in sheet {what}"),
                    format!("{hint} (the names must match sheet {what} exactly, 科室 too)"),
                ),
                (
                    format!("表“{what}”里这个科室（科室一格空着时，指这个单位）没有“{wanted}”"),
                    format!("{hint_zh}（名称要和表“{what}”里的一字不差，科室也要对上）"),
                ),
            );
        }
        Miss::Ambiguous => r.error(
            row.at(header),
            format!("two or more items in sheet {what} are called “{wanted}” here"),
            "give them different names, or write 名称#2 for the second of them (#3 for the third …)",
        ),
    }
}

/// Sheet 职责分工.
pub fn read_division(r: &mut Reader) {
    for row in r.rows(l::DIVISION) {
        let Some(p) = r.place(&row) else { continue };
        let full = DivisionFull {
            with: row.lines("协作对象"),
            parties: row.lines("相关部门"),
            topic: row.text("事项"),
            text: row.text("内容").unwrap_or_default(),
        };
        let plain = full.with.is_empty() && full.parties.is_empty() && full.topic.is_none();
        let item = if plain && !read::as_map(&row) {
            DivisionItem::Text(full.text)
        } else {
            DivisionItem::Full(full)
        };
        let Some(d) = p.dept else {
            r.orgs[p.org].file.division.push(item);
            continue;
        };
        let division = &mut r.orgs[p.org].depts[d].file.division;
        match row.name("分类").as_deref() {
            Some("外部协作") => division.external.push(item),
            Some("内部分工") => division.internal.push(item),
            Some("其他分工") | None => division.general.push(item),
            Some(other) => r.error(
                row.at("分类"),
                format!("分类 “{other}” is none of 外部协作, 内部分工, 其他分工"),
                "write one of the three, or leave it blank for 其他分工",
            ),
        }
    }
}

/// Sheet 廉政风险: risk points, and rows with only 防控措施 for the department's controls.
pub fn read_risks(r: &mut Reader) {
    for row in r.rows(l::RISK) {
        let Some(p) = r.place(&row) else { continue };
        let Some(d) = p.dept else { continue };
        let Some(text) = row.text("风险点") else {
            let controls = row.lines("防控措施");
            if controls.is_empty() {
                r.error(
                    row.at("风险点"),
                    "the row has neither 风险点 nor 防控措施",
                    "fill in the risk point (and its controls), or delete the row",
                );
            }
            r.orgs[p.org].depts[d].file.risks.controls.extend(controls);
            continue;
        };
        let full = RiskFull {
            category: row.text("风险类别"),
            level: row.text("风险等级"),
            text,
            controls: row.lines("防控措施"),
            owners: row.lines("责任人"),
        };
        let point = if full.category.is_none()
            && full.level.is_none()
            && full.controls.is_empty()
            && full.owners.is_empty()
            && !read::as_map(&row)
        {
            RiskPoint::Text(full.text)
        } else {
            RiskPoint::Full(full)
        };
        r.orgs[p.org].depts[d].file.risks.points.push(point);
    }
}

/// Sheets 工作流程, 表单 and 权责事项: the items other sheets refer to.
pub fn read_items(r: &mut Reader) {
    for row in r.rows(l::PROCEDURE) {
        let Some(p) = r.place(&row) else { continue };
        let proc = read::procedure(&row);
        match p.dept {
            Some(d) => {
                let file = r.part_file(&row);
                r.orgs[p.org].depts[d].part(file).procedures.push(proc);
            }
            None => r.orgs[p.org].file.procedures.push(proc),
        }
    }
    for row in r.rows(l::FORM) {
        let Some(Place { org, dept: Some(d) }) = r.place(&row) else {
            continue;
        };
        let file = r.part_file(&row);
        r.orgs[org].depts[d].part(file).forms.push(read::form(&row));
    }
    for row in r.rows(l::POWER) {
        let Some(p) = r.place(&row) else { continue };
        let power = read::power(&row);
        match p.dept {
            Some(d) => r.orgs[p.org].depts[d].file.powers.push(power),
            None => r.orgs[p.org].file.powers.push(power),
        }
    }
}

/// The procedure called `name` where `p` says.
fn procedure<'r>(
    r: &'r mut Reader,
    p: Place,
    name: &str,
) -> Found<'r, zhize_core::model::Procedure> {
    let org = &mut r.orgs[p.org];
    let items: Vec<_> = match p.dept {
        Some(d) => org.depts[d]
            .all_parts()
            .flat_map(|x| x.procedures.iter_mut())
            .collect(),
        None => org.file.procedures.iter_mut().collect(),
    };
    find(items, |x| (&x.name, x.id.as_deref()), name)
}

/// Sheet 步骤: each step to its procedure or power item, in the order of the rows.
pub fn read_steps(r: &mut Reader) {
    for row in r.rows(l::STEP) {
        let Some(p) = r.place(&row) else { continue };
        let step = Step {
            label: row.text("环节名称"),
            actor: row.text("责任主体"),
            text: row.text("说明"),
            limit: row.text("时限"),
            forms: row.lines("表单"),
            parallel: row.lines("会签"),
            branches: row.lines("分支").iter().map(|b| read::branch(b)).collect(),
        };
        match (row.name("工作流程"), row.name("权责事项")) {
            (Some(name), None) => match procedure(r, p, &name) {
                Ok(proc) => proc.steps.push(step),
                Err(m) => not_found(r, &row, "工作流程", l::PROCEDURE, m),
            },
            (None, Some(name)) => {
                let org = &mut r.orgs[p.org];
                let items: Vec<_> = match p.dept {
                    Some(d) => org.depts[d].file.powers.iter_mut().collect(),
                    None => org.file.powers.iter_mut().collect(),
                };
                match find(items, |x| (&x.name, x.id.as_deref()), &name) {
                    Ok(power) => power.steps.push(step),
                    Err(m) => not_found(r, &row, "权责事项", l::POWER, m),
                }
            }
            (Some(_), Some(_)) => r.error(
                row.at("权责事项"),
                "the step names both a 工作流程 and a 权责事项",
                "keep one of them: a step belongs to one procedure or one power item",
            ),
            (None, None) => r.error(
                row.at("工作流程"),
                "the step names neither a 工作流程 nor a 权责事项",
                "write the name of its procedure (sheet 工作流程) or power item (sheet 权责事项)",
            ),
        }
    }
}

/// Sheet 表单内容: each row of a form's table, in the order of the rows.
pub fn read_tables(r: &mut Reader) {
    for row in r.rows(l::TABLE) {
        let Some(Place { org, dept: Some(d) }) = r.place(&row) else {
            continue;
        };
        let count: Option<usize> = r.count(&row, "格数");
        if count.is_some_and(|n| n > super::grid::MAX_COLUMNS) {
            r.error(
                row.at("格数"),
                "格数 is more than a sheet has columns",
                "write how many cells the row of the form has, or leave it blank",
            );
            continue;
        }
        let mut cells: Vec<String> = Vec::new();
        for (n, cell) in row.table_cells() {
            let text = match cell {
                Cell::Text(t) => t.clone(),
                Cell::Num(_) => row.text(&format!("第{n}列")).unwrap_or_default(),
                Cell::Empty | Cell::Error(_) => String::new(),
            };
            cells.resize(n.saturating_sub(1), String::new());
            cells.push(text);
        }
        while count.is_none() && cells.last().is_some_and(String::is_empty) {
            cells.pop();
        }
        if let Some(n) = count {
            cells.resize(n, String::new());
        }
        let name = row.name("表单名称").unwrap_or_default();
        let items: Vec<_> = r.orgs[org].depts[d]
            .all_parts()
            .flat_map(|x| x.forms.iter_mut())
            .collect();
        match find(items, |x| (&x.name, x.id.as_deref()), &name) {
            Ok(form) => form.rows.push(cells),
            Err(m) => not_found(r, &row, "表单名称", l::FORM, m),
        }
    }
}

/// Sheet 通讯录: contacts of departments, posts, procedures or the organisation.
pub fn read_contacts(r: &mut Reader) {
    for row in r.rows(l::CONTACT) {
        let Some(p) = r.place(&row) else { continue };
        let c = read::contact(&row);
        match (row.name("岗位"), row.name("工作流程"), p.dept) {
            (Some(name), None, Some(d)) => {
                let items: Vec<_> = r.orgs[p.org].depts[d]
                    .all_parts()
                    .flat_map(|x| x.posts.iter_mut())
                    .collect();
                match find(items, |x| (&x.name, x.id.as_deref()), &name) {
                    Ok(post) => post.contacts.push(c),
                    Err(m) => not_found(r, &row, "岗位", l::POST, m),
                }
            }
            (None, Some(name), _) => match procedure(r, p, &name) {
                Ok(proc) => proc.contacts.push(c),
                Err(m) => not_found(r, &row, "工作流程", l::PROCEDURE, m),
            },
            (None, None, Some(d)) => {
                let file = r.part_file(&row);
                r.orgs[p.org].depts[d].part(file).contacts.push(c);
            }
            (None, None, None) => r.orgs[p.org].file.contacts.push(c),
            (Some(_), None, None) => r.error(
                row.at("科室"),
                "a post's contact needs the post's 科室",
                "write the department the post belongs to",
            ),
            (Some(_), Some(_), _) => r.error(
                row.at("岗位"),
                "the contact names both a 岗位 and a 工作流程",
                "keep one of them, or put the contact on two rows",
            ),
        }
    }
}
