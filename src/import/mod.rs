//! `zhize import`: offices' own documents (text or .docx) → content/ YAML in the model.
//!
//! A document is read as numbered lines ([`document`]), recognised as one of the genres the
//! offices produce, and parsed by that genre's parser into the same model that `load` reads.
//! Every non-blank line ends up in a field or in the organisation's `unparsed` list with its
//! line number; every repair (a re-joined line, dropped page-break noise …) goes into the
//! import report. Output is deterministic, and no existing file is overwritten without
//! `--force`.

pub mod articles;
pub mod breakdown;
pub mod document;
pub mod dutylist;
pub mod lines;
pub mod notice;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{DeptFile, OrgFile, PageMeta, Unparsed};
use crate::slug::slugify;
use document::{read_document, Document};
use lines::Lines;
use std::path::{Path, PathBuf};

/// How `zhize import` was asked to run.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The content folder to write into.
    pub output: PathBuf,
    /// Folder (and id) for the organisation; default: pinyin of its name.
    pub org: Option<String>,
    /// Show what would be written, write nothing.
    pub dry_run: bool,
    /// Overwrite existing files.
    pub force: bool,
}

/// A fix the importer made to the source, reported to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    pub line: usize,
    pub what: String,
}

/// A page made from a document (notices, articles).
#[derive(Debug, Clone)]
pub struct ImportedPage {
    pub slug: String,
    pub meta: PageMeta,
    pub body: String,
}

/// What a genre parser makes of a document.
#[derive(Debug, Clone, Default)]
pub struct Imported {
    pub org: Option<OrgFile>,
    pub depts: Vec<DeptFile>,
    pub pages: Vec<ImportedPage>,
}

/// The kinds of document offices have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Genre {
    /// Per-department duty lists (职责清单 / 履职清单), as in seeds 000 and 001.
    DutyList,
    /// A duty breakdown table with per-matter post specs and procedures (seed 003).
    Breakdown,
    /// A notice with scoring rules and a task-decomposition table (seed 002).
    Notice,
    /// Articles, possibly in traditional script with pinyin annotations (seed 004).
    Articles,
}

impl Genre {
    pub fn label(self) -> &'static str {
        match self {
            Genre::DutyList => "duty list (职责清单)",
            Genre::Breakdown => "duty breakdown table (职责细化分解表)",
            Genre::Notice => "notice (通知/办法)",
            Genre::Articles => "articles (文章)",
        }
    }
}

/// Recognise the genre of a document from its text.
pub fn detect(doc: &Document) -> Genre {
    let text: String = doc
        .lines
        .iter()
        .take(400)
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let has_pinyin = doc
        .lines
        .iter()
        .take(50)
        .any(|l| has_pinyin_annotation(&l.text));
    if has_pinyin {
        Genre::Articles
    } else if text.contains("细化分解") || text.contains("职责岗位规范") {
        Genre::Breakdown
    } else if text.contains("职责清单") || text.contains("履职清单") || text.contains("细化职责")
    {
        Genre::DutyList
    } else if text.contains("积分") || text.contains("任务分解") || text.contains("附件") {
        Genre::Notice
    } else {
        Genre::Articles
    }
}

/// Does a line carry pinyin annotations such as `時(shí)間`?
pub fn has_pinyin_annotation(s: &str) -> bool {
    let mut rest = s;
    while let Some(i) = rest.find('(') {
        let after = &rest[i + 1..];
        if let Some(j) = after.find(')') {
            let inner = &after[..j];
            if !inner.is_empty()
                && inner
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü".contains(c))
                && !inner.is_ascii()
            {
                return true;
            }
        }
        rest = after;
    }
    false
}

/// Parse one document with the parser of its genre.
pub fn parse(doc: &Document, genre: Genre, lines: &mut Lines<'_>) -> Imported {
    lines.drop_noise();
    match genre {
        Genre::DutyList => dutylist::parse(doc, lines),
        Genre::Breakdown => breakdown::parse(doc, lines),
        Genre::Notice => notice::parse(doc, lines),
        Genre::Articles => articles::parse(doc, lines),
    }
}

/// Keep a document as one Markdown page with its lines as paragraphs.
pub fn whole_as_page(doc: &Document, lines: &mut Lines<'_>) -> Imported {
    let mut body = String::new();
    for i in 0..lines.len() {
        if lines.is_used(i) || lines.blank(i) {
            continue;
        }
        body.push_str(lines.take(i));
        body.push_str("\n\n");
    }
    let title = doc
        .lines
        .iter()
        .map(|l| l.text.trim())
        .find(|t| !t.is_empty())
        .unwrap_or(&doc.name)
        .to_string();
    Imported {
        pages: vec![ImportedPage {
            slug: slugify(&doc.name),
            meta: PageMeta {
                title,
                ..Default::default()
            },
            body,
        }],
        ..Default::default()
    }
}

/// What an import produced (or would produce, with `--dry-run`).
#[derive(Debug, Clone)]
pub struct ImportReport {
    pub source: PathBuf,
    pub encoding: &'static str,
    pub genre: Genre,
    /// Files with their paths relative to the output folder and their text.
    pub files: Vec<(PathBuf, String)>,
    pub repairs: Vec<Repair>,
    pub unparsed: Vec<Unparsed>,
}

impl ImportReport {
    /// The report as text, printed at the end and written beside the output.
    pub fn render(&self) -> String {
        let mut s = format!(
            "import of {}\n  read as {}, recognised as {}\n  {} files, {} repairs, {} unparsed lines\n",
            self.source.display(),
            self.encoding,
            self.genre.label(),
            self.files.len(),
            self.repairs.len(),
            self.unparsed.len()
        );
        if !self.repairs.is_empty() {
            s.push_str("\nrepairs:\n");
            for r in &self.repairs {
                s.push_str(&format!("  line {}: {}\n", r.line, r.what));
            }
        }
        if !self.unparsed.is_empty() {
            s.push_str("\nunparsed lines (kept under `unparsed:` in _org.yaml; move them into fields by hand):\n");
            for u in &self.unparsed {
                s.push_str(&format!("  line {}: {}\n", u.line, u.text));
            }
        }
        s
    }
}

/// Import one document: read, parse, and build the files to write.
pub fn import_file(path: &Path, opts: &ImportOptions) -> Result<ImportReport, Diagnostic> {
    let doc = read_document(path)?;
    let genre = detect(&doc);
    let mut lines = Lines::new(&doc.lines);
    let mut imported = parse(&doc, genre, &mut lines);
    let unparsed = lines.unparsed();
    let repairs = std::mem::take(&mut lines.repairs);
    let mut files = Vec::new();
    let mut repairs = repairs;
    if let Some(mut org) = imported.org.take() {
        org.unparsed = unparsed.clone();
        // --org is the folder id when it is one, else the organisation's name.
        let org_is_id = opts.org.as_deref().is_some_and(crate::slug::is_safe_id);
        if let Some(name) = opts.org.as_deref().filter(|_| !org_is_id) {
            if org.name.trim().is_empty() {
                org.name = name.to_string();
            }
        }
        if org.name.trim().is_empty() {
            org.name = doc.name.clone();
            repairs.push(Repair {
                line: 0,
                what: format!(
                    "the document does not name its organisation; named it “{}” after the file: set `name` in _org.yaml (or pass --org <名称>)",
                    doc.name
                ),
            });
        }
        let folder = match &opts.org {
            Some(id) if org_is_id => id.clone(),
            _ => slugify(&org.name),
        };
        let mut scope = crate::slug::SlugScope::with_reserved(&["_org", "pages", "external"]);
        files.push((PathBuf::from(&folder).join("_org.yaml"), to_yaml(&org)?));
        for d in &imported.depts {
            let stem = scope.unique(&slugify(&d.name));
            files.push((
                PathBuf::from(&folder).join(format!("{stem}.yaml")),
                to_yaml(d)?,
            ));
        }
        files.push((
            PathBuf::from(&folder).join(format!("_import-report-{}.txt", slugify(&doc.name))),
            String::new(),
        ));
    } else if !unparsed.is_empty() {
        // Pages keep everything in their bodies; anything left is appended so nothing is lost.
        if let Some(p) = imported.pages.last_mut() {
            for u in &unparsed {
                p.body.push_str(&format!("\n{}\n", u.text));
            }
        }
    }
    let mut scope = crate::slug::SlugScope::default();
    for p in &imported.pages {
        let slug = scope.unique(&p.slug);
        let fm = to_yaml(&p.meta)?;
        files.push((
            PathBuf::from("pages").join(format!("{slug}.md")),
            format!("---\n{fm}---\n\n{}", p.body.trim_end()) + "\n",
        ));
    }
    if imported.pages.len() == files.len() && !files.is_empty() {
        files.push((
            PathBuf::from("pages").join(format!("_import-report-{}.txt", slugify(&doc.name))),
            String::new(),
        ));
    }
    let mut report = ImportReport {
        source: path.to_path_buf(),
        encoding: doc.encoding,
        genre,
        files,
        repairs,
        unparsed,
    };
    // The report file is written beside the output; fill it in now that the report is known.
    let text = report.render();
    for (p, t) in report.files.iter_mut() {
        if p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("_import-report-"))
        {
            *t = text.clone();
        }
    }
    Ok(report)
}

/// Serialise model data as YAML a person would write.
pub fn to_yaml<T: serde::Serialize>(v: &T) -> Result<String, Diagnostic> {
    serde_yaml::to_string(v)
        .map_err(|e| Diagnostic::error(format!("internal: cannot write YAML: {e}")))
}

/// Import every file, then write (unless `dry_run`). Existing files are never overwritten
/// without `force`; all conflicts are reported together.
pub fn import(paths: &[PathBuf], opts: &ImportOptions) -> Result<Vec<ImportReport>, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut reports = Vec::new();
    for p in paths {
        match import_file(p, opts) {
            Ok(r) => reports.push(r),
            Err(d) => diags.push(d),
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    if opts.dry_run {
        return Ok(reports);
    }
    if !opts.force {
        for r in &reports {
            for (rel, _) in &r.files {
                let dest = opts.output.join(rel);
                if dest.exists() {
                    diags.push(
                        Diagnostic::error("file exists; not overwritten")
                            .in_file(&dest)
                            .hint("pass --force to overwrite it, or import into another --output folder"),
                    );
                }
            }
        }
        if diags.has_errors() {
            return Err(diags);
        }
    }
    for r in &reports {
        for (rel, text) in &r.files {
            let dest = opts.output.join(rel);
            let write = || -> std::io::Result<()> {
                if let Some(dir) = dest.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                // Write to a temporary file first so an interrupted import leaves no half file.
                let tmp = dest.with_extension("zhize-tmp");
                std::fs::write(&tmp, text)?;
                std::fs::rename(&tmp, &dest)
            };
            if let Err(e) = write() {
                diags.push(Diagnostic::error(format!("cannot write: {e}")).in_file(&dest));
            }
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(reports)
}
