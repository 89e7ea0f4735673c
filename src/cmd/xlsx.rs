//! `zhize template xlsx` and `zhize export xlsx`: the duty-list workbook, empty or filled
//! with a site's content; `zhize import` reads it back.

use super::{fail, Ui};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use zhize::diagnostic::Diagnostics;
use zhize::import::workbook::{self, DeptContent, OrgContent};
use zhize::model::DeptPart;

/// The file formats these commands write.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// An Excel workbook with a sheet per kind (单位, 科室, 职责, 岗位 …).
    Xlsx,
}

#[derive(clap::Args)]
pub struct TemplateArgs {
    #[arg(value_enum)]
    format: Format,
    /// The file to write.
    #[arg(default_value = "职责清单模板.xlsx")]
    path: PathBuf,
    /// Overwrite the file if it exists.
    #[arg(long)]
    force: bool,
}

pub fn template(args: TemplateArgs, ui: Ui) -> ExitCode {
    let Format::Xlsx = args.format;
    match workbook::template().and_then(|b| workbook::save(&args.path, &b, args.force)) {
        Ok(()) => {
            crate::outln!(
                "wrote {}: fill it in (sheet 说明 says how), then `zhize import {} --output content`",
                args.path.display(),
                args.path.display()
            );
            ExitCode::SUCCESS
        }
        Err(d) => fail(&Diagnostics(vec![d]), ui, ("template failed", "模板未写出")),
    }
}

/// `zhize export xlsx`: the site's content into the workbook (see [`super::export`]).
pub fn export(args: super::export::Args, ui: Ui) -> ExitCode {
    let path = args.path.unwrap_or_else(|| PathBuf::from("职责清单.xlsx"));
    let ui = ui.for_site(&args.root);
    let loaded = zhize::load::load_site(&args.root);
    if loaded.diagnostics.has_errors() {
        return fail(&loaded.diagnostics, ui, super::export::CONTENT_FIRST);
    }
    let orgs = content(&loaded);
    let written = workbook::export(&orgs).and_then(|b| workbook::save(&path, &b, args.force));
    match written {
        Ok(()) => {
            let depts: usize = orgs.iter().map(|o| o.depts.len()).sum();
            crate::outln!(
                "wrote {}: {} organisations, {} departments",
                path.display(),
                orgs.len(),
                depts
            );
            ExitCode::SUCCESS
        }
        Err(d) => fail(&Diagnostics(vec![d]), ui, ("export failed", "导出失败")),
    }
}

/// The loaded site as the workbook takes it: each department's posts, procedures, forms and
/// contacts split back into its own file and its part files.
fn content(loaded: &zhize::load::Loaded) -> Vec<OrgContent> {
    let part_of = |file: usize| -> String {
        let path: &Path = &loaded.sources.get(file).path;
        path.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    loaded
        .orgs
        .iter()
        .map(|o| OrgContent {
            folder: o.folder.clone(),
            org: (*o.org).clone(),
            depts: o
                .depts
                .iter()
                .map(|d| {
                    let mut own = (*d.dept).clone();
                    let mut parts: BTreeMap<String, DeptPart> = BTreeMap::new();
                    let mut split =
                        |i: &zhize::load::Origin| (i.file != d.file).then(|| part_of(i.file));
                    own.posts = keep(
                        &d.dept.posts,
                        &d.post_origins,
                        &mut split,
                        &mut parts,
                        |p| &mut p.posts,
                    );
                    own.procedures = keep(
                        &d.dept.procedures,
                        &d.procedure_origins,
                        &mut split,
                        &mut parts,
                        |p| &mut p.procedures,
                    );
                    own.forms = keep(
                        &d.dept.forms,
                        &d.form_origins,
                        &mut split,
                        &mut parts,
                        |p| &mut p.forms,
                    );
                    own.contacts = keep(
                        &d.dept.contacts,
                        &d.contact_origins,
                        &mut split,
                        &mut parts,
                        |p| &mut p.contacts,
                    );
                    DeptContent {
                        stem: d.stem.clone(),
                        dept: own,
                        parts: parts.into_iter().collect(),
                    }
                })
                .collect(),
        })
        .collect()
}

/// The items of the department's own file; those of part files go into `parts`.
fn keep<T: Clone>(
    items: &[T],
    origins: &[zhize::load::Origin],
    part: &mut impl FnMut(&zhize::load::Origin) -> Option<String>,
    parts: &mut BTreeMap<String, DeptPart>,
    list: impl Fn(&mut DeptPart) -> &mut Vec<T>,
) -> Vec<T> {
    let mut own = Vec::new();
    for (item, origin) in items.iter().zip(origins) {
        match part(origin) {
            Some(stem) => list(parts.entry(stem).or_default()).push(item.clone()),
            None => own.push(item.clone()),
        }
    }
    own
}
