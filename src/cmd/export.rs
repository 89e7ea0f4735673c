//! `zhize export`: the site's content in other shapes — the duty-list workbook (`xlsx`, in
//! [`super::xlsx`]) or its search documents for OpenSearch and Quickwit (`search`).

use super::{fail, Ui};
use std::path::PathBuf;
use std::process::ExitCode;
use zhize::diagnostic::Diagnostics;

/// The message of an export refused because the content has errors (in English, Chinese).
pub const CONTENT_FIRST: (&str, &str) = (
    "export failed: fix the content first (zhize check shows the same)",
    "导出失败：先改好内容（zhize check 会列出同样的问题）",
);

/// What `zhize export` writes.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// An Excel workbook with a sheet per kind (单位, 科室, 职责, 岗位 …), default
    /// 职责清单.xlsx.
    Xlsx,
    /// A folder (default zhize-search/) with the search documents for OpenSearch (index
    /// definition and bulk request) and Quickwit (index configuration and documents).
    Search,
}

#[derive(clap::Args)]
pub struct Args {
    #[arg(value_enum)]
    pub format: Format,
    /// The file (xlsx) or folder (search) to write.
    pub path: Option<PathBuf>,
    /// Overwrite files that exist.
    #[arg(long)]
    pub force: bool,
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

pub fn run(args: Args, ui: Ui) -> ExitCode {
    match args.format {
        Format::Xlsx => super::xlsx::export(args, ui),
        Format::Search => search(args, ui),
    }
}

/// `zhize export search`: the documents of `zhize search` and the definitions of an index
/// for them, with the commands that load them.
fn search(args: Args, ui: Ui) -> ExitCode {
    let dir = args.path.unwrap_or_else(|| PathBuf::from("zhize-search"));
    let ui = ui.for_site(&args.root);
    let site = zhize::resolve_site(&args.root);
    if site.diagnostics.has_errors() {
        return fail(&site.diagnostics, ui, CONTENT_FIRST);
    }
    let analyzer = zhize::search_docs::analyzer_for(&site);
    let docs = zhize::search_docs::documents(&site, &analyzer, zhize::search_docs::PageText::Whole);
    let files = zhize::search::export::files(&docs);
    // Refuse before writing anything, so that a refusal leaves no mix of old and new files.
    let problems: Vec<_> = files
        .iter()
        .map(|f| dir.join(&f.path))
        .filter(|p| p.exists() && !args.force)
        .map(|p| {
            zhize::diagnostic::Diagnostic::error("file exists; not overwritten")
                .in_file(&p)
                .hint("pass --force to overwrite the export, or give another folder")
        })
        .collect();
    if !problems.is_empty() {
        return fail(&Diagnostics(problems), ui, ("export failed", "导出失败"));
    }
    for f in &files {
        if let Err(d) = zhize::atomic::write_file(&dir.join(&f.path), &f.bytes, args.force) {
            return fail(&Diagnostics(vec![d]), ui, ("export failed", "导出失败"));
        }
    }
    let index = zhize::search::export::INDEX;
    let d = dir.display();
    crate::outln!("wrote {d}: {} search documents", docs.len());
    crate::outln!("OpenSearch: curl -XPUT 'localhost:9200/{index}' -H 'Content-Type: application/json' --data-binary @{d}/opensearch-index.json");
    crate::outln!("            curl -XPOST 'localhost:9200/_bulk' -H 'Content-Type: application/x-ndjson' --data-binary @{d}/opensearch-bulk.ndjson");
    crate::outln!("Quickwit:   quickwit index create --index-config {d}/quickwit-index.yaml");
    crate::outln!(
        "            quickwit index ingest --index {index} --input-path {d}/documents.ndjson"
    );
    ExitCode::SUCCESS
}
