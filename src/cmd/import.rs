//! `zhize import`: offices' documents into content YAML, with the report of each.

use super::{fail, Ui};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Documents to import (.txt in UTF-8, GBK or UTF-16; .docx; .xlsx, .xls, .ods; .html),
    /// or a duty-list workbook (zhize template xlsx, zhize export xlsx).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Content folder to write into.
    #[arg(long)]
    output: PathBuf,
    /// Folder id of the organisation (ASCII), or its name when the document lacks one;
    /// default folder: pinyin of the name.
    #[arg(long)]
    org: Option<String>,
    /// Show what would be written, and the report; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Overwrite files that already exist.
    #[arg(long)]
    force: bool,
    /// Read every document as this kind instead of deciding block by block:
    /// departments, risks, powers, procedures, division or page.
    #[arg(long = "as", value_name = "KIND", value_parser = parse_reading)]
    reading: Option<zhize::import::general::Reading>,
}

fn parse_reading(s: &str) -> Result<zhize::import::general::Reading, String> {
    use zhize::import::general::Reading;
    Ok(match s {
        "departments" | "units" | "内设机构" => Reading::Departments,
        "risks" | "廉政风险" => Reading::Risks,
        "powers" | "权责清单" => Reading::Powers,
        "procedures" | "流程" => Reading::Procedures,
        "division" | "职责分工" => Reading::Division,
        "page" | "pages" => Reading::Page,
        _ => {
            return Err(
                "expected departments, risks, powers, procedures, division or page".to_string(),
            )
        }
    })
}

pub fn run(args: Args, ui: Ui) -> ExitCode {
    let opts = zhize::import::ImportOptions {
        output: args.output.clone(),
        org: args.org,
        dry_run: args.dry_run,
        force: args.force,
        reading: args.reading,
    };
    match zhize::import::import(&args.files, &opts) {
        Ok(reports) => {
            for r in &reports {
                print_report(r, args.dry_run);
                for (rel, _) in &r.files {
                    let verb = if args.dry_run { "would write" } else { "wrote" };
                    crate::outln!("{verb} {}", args.output.join(rel).display());
                }
            }
            let total: usize = reports.iter().map(|r| r.unparsed.len()).sum();
            crate::outln!(
                "imported {} document{}; {}",
                reports.len(),
                if reports.len() == 1 { "" } else { "s" },
                summary_line(&reports, total)
            );
            ExitCode::SUCCESS
        }
        Err(d) => fail(
            &d,
            ui,
            (
                "import failed; nothing was overwritten",
                "导入失败；没有覆盖任何文件",
            ),
        ),
    }
}

/// The report of one document: with `--dry-run`, block by block what would be created.
fn print_report(r: &zhize::import::ImportReport, dry_run: bool) {
    crate::outln!("{}", r.summary().trim_end_matches('\n'));
    if let Some(v) = &r.verdict {
        crate::outln!("  {}", v.replace('\n', "\n  "));
    }
    if dry_run {
        for b in &r.blocks {
            let count = if b.count > 0 {
                format!(" ({})", b.count)
            } else {
                String::new()
            };
            crate::outln!("  line {}: {} “{}”{count}", b.line, b.kind, b.name);
        }
    }
    if !r.repairs.is_empty() {
        crate::outln!("\nrepairs:");
        for rep in &r.repairs {
            crate::outln!("  line {}: {}", rep.line, rep.what);
        }
    }
    if !r.unparsed.is_empty() {
        crate::outln!("\nunparsed lines (under `unparsed:` of their department or of _org.yaml; `zhize check` warns of each):");
        for u in &r.unparsed {
            crate::outln!("  line {}: {}", u.line, u.text);
        }
    }
}

/// `9 departments, 37 duties …; 2 unparsed lines`: everything recognised, added up.
fn summary_line(reports: &[zhize::import::ImportReport], unparsed: usize) -> String {
    let mut totals: Vec<(&str, usize)> = Vec::new();
    for r in reports {
        for (k, n) in &r.counts {
            match totals.iter_mut().find(|(x, _)| x == k) {
                Some(t) => t.1 += n,
                None => totals.push((k, *n)),
            }
        }
    }
    let found: Vec<String> = totals
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| format!("{n} {k}"))
        .collect();
    let found = if found.is_empty() {
        "nothing structured recognised".to_string()
    } else {
        found.join(", ")
    };
    format!("{found}; {unparsed} unparsed lines")
}
