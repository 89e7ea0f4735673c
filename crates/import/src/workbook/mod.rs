//! The duty-list workbook: the whole content of a site as one Excel file with a sheet per
//! kind (单位, 科室, 职责, 岗位 …), for clerks who keep their lists in Excel.
//!
//! `zhize template xlsx` writes it empty, `zhize export xlsx` fills it from `content/`, and
//! `zhize import` reads it back into the YAML files a person would write. Export then import
//! loses nothing: every field of the model has its column ([`layout`]). Reading reports every
//! problem of a workbook together, each at its sheet, row and column.

pub mod export;
pub mod grid;
pub mod items;
pub mod layout;
pub mod read;

use std::path::{Path, PathBuf};
use zhize_core::diagnostic::{Diagnostic, Diagnostics};
use zhize_core::model::{DeptFile, DeptPart, OrgFile};

/// An organisation of the content: its folder under `content/`, `_org.yaml`, departments.
#[derive(Debug, Clone, Default)]
pub struct OrgContent {
    pub folder: String,
    pub org: OrgFile,
    pub depts: Vec<DeptContent>,
}

/// A department: its file name (without `.yaml`), its file, and its part files
/// (`<stem>/<part>.yaml`) by name, in file-name order.
#[derive(Debug, Clone, Default)]
pub struct DeptContent {
    pub stem: String,
    pub dept: DeptFile,
    pub parts: Vec<(String, DeptPart)>,
}

/// The empty workbook: 说明 and every sheet with its header row.
pub fn template() -> Result<Vec<u8>, Diagnostic> {
    export(&[])
}

/// The workbook holding `orgs`.
pub fn export(orgs: &[OrgContent]) -> Result<Vec<u8>, Diagnostic> {
    grid::write_xlsx(&export::sheets(orgs)).map_err(|e| {
        Diagnostic::error(format!("cannot write the workbook: {e}"))
            .hint("shorten that text in the content, or keep it in a page of its own")
    })
}

/// Write `bytes` to `path`, refusing to replace a file unless `force`.
pub fn save(path: &Path, bytes: &[u8], force: bool) -> Result<(), Diagnostic> {
    zhize_core::atomic::write_file(path, bytes, force)
}

/// Is the file at `path` a workbook in this layout (by its 单位 and 科室 sheets and their
/// headers, whatever its name)?
pub fn is_workbook(path: &Path) -> bool {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if !["xlsx", "xlsm", "xls", "ods"].contains(&ext.as_str()) {
        return false;
    }
    let Ok(sheets) = grid::read_xlsx(path) else {
        return false;
    };
    let has = |name: &str, header: &str| {
        sheets
            .iter()
            .any(|s| s.name == name && s.cols.contains_key(header))
    };
    has(layout::ORG, "单位名称") && has(layout::DEPT, "科室名称")
}

/// Read a workbook in this layout: every organisation with its departments, or every
/// problem found.
pub fn read(path: &Path) -> Result<Vec<OrgContent>, Diagnostics> {
    let sheets = grid::read_xlsx(path).map_err(|e| {
        let mut d = Diagnostics::default();
        d.push(
            Diagnostic::error(format!("cannot read the workbook: {e}"))
                .in_file(path)
                .hint("open it in Excel and save it again as .xlsx"),
        );
        d
    })?;
    let mut r = read::Reader::new(path, &sheets);
    read::read_orgs(&mut r);
    if r.orgs.is_empty() && !r.diags.has_errors() {
        r.error_in_both(
            read::CellAt {
                en: format!("sheet {}", layout::ORG),
                zh: format!("表“{}”", layout::ORG),
            },
            (
                "nothing to import: the workbook has no organisation (sheet 单位 has no rows)".into(),
                "fill in sheet 单位 (one row per organisation) and sheet 科室, then the other sheets; sheet 说明 says what goes where".into(),
            ),
            (
                "没有可导入的内容：工作簿里没有单位（表“单位”一行也没有）".into(),
                "先填表“单位”（每个单位一行）和表“科室”，再填其他表；表“说明”写明了每样东西填在哪里".into(),
            ),
        );
        return Err(r.diags);
    }
    read::read_depts(&mut r);
    read::read_duties(&mut r);
    read::read_posts(&mut r);
    items::read_division(&mut r);
    items::read_risks(&mut r);
    items::read_items(&mut r);
    items::read_steps(&mut r);
    items::read_tables(&mut r);
    items::read_contacts(&mut r);
    read::read_org_lists(&mut r);
    if r.diags.has_errors() {
        return Err(r.diags);
    }
    Ok(r.orgs.into_iter().map(content).collect())
}

fn content(o: read::Org) -> OrgContent {
    OrgContent {
        folder: o.folder,
        org: o.file,
        depts: o
            .depts
            .into_iter()
            .map(|d| {
                let mut dept = d.file;
                dept.posts = d.own.posts;
                dept.procedures = d.own.procedures;
                dept.forms = d.own.forms;
                dept.contacts = d.own.contacts;
                DeptContent {
                    stem: d.stem,
                    dept,
                    parts: d.parts.into_iter().collect(),
                }
            })
            .collect(),
    }
}

/// The YAML files of `orgs`, with their paths relative to `content/`.
pub fn files(orgs: &[OrgContent]) -> Result<Vec<(PathBuf, String)>, Diagnostic> {
    let mut out = Vec::new();
    for o in orgs {
        let folder = PathBuf::from(&o.folder);
        out.push((folder.join("_org.yaml"), crate::to_yaml(&o.org)?));
        for d in &o.depts {
            out.push((
                folder.join(format!("{}.yaml", d.stem)),
                crate::to_yaml(&d.dept)?,
            ));
            for (stem, part) in &d.parts {
                out.push((
                    folder.join(&d.stem).join(format!("{stem}.yaml")),
                    crate::to_yaml(part)?,
                ));
            }
        }
    }
    Ok(out)
}
