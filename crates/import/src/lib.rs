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
pub mod general;
pub mod landed;
pub mod lines;
pub mod notice;
pub mod workbook;

use document::{read_document, Document};
use lines::Lines;
use std::path::{Path, PathBuf};
use zhize_core::diagnostic::{Diagnostic, Diagnostics};
use zhize_core::model::{DeptFile, OrgFile, PageMeta, Unparsed};
use zhize_core::slug::slugify;

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
    /// `--as KIND`: read the whole document as this kind instead of deciding block by block.
    pub reading: Option<general::Reading>,
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
    /// Any other document, read block by block ([`general`]).
    General,
    /// A duty-list workbook in zhize's own layout ([`workbook`]), read sheet by sheet.
    Workbook,
}

impl Genre {
    pub fn label(self) -> &'static str {
        match self {
            Genre::DutyList => "duty list (职责清单)",
            Genre::Breakdown => "duty breakdown table (职责细化分解表)",
            Genre::Notice => "notice (通知/办法)",
            Genre::Articles => "articles (文章)",
            Genre::General => "blocks (each block by its shape and words)",
            Genre::Workbook => "duty-list workbook (职责清单工作簿)",
        }
    }
}

/// Recognise how to read a document, from its shape: articles with pinyin annotations;
/// the department skeleton (a name line directly followed by `一、主要职责`); a breakdown
/// table (a header naming 内设机构, 细化/分解职责 and 岗位); a numbered notice with numbered
/// attachments; anything else is read block by block.
pub fn detect(doc: &Document) -> Genre {
    let has_pinyin = doc
        .lines
        .iter()
        .take(50)
        .any(|l| has_pinyin_annotation(&l.text));
    if has_pinyin {
        return Genre::Articles;
    }
    let lines = Lines::new(&doc.lines);
    if (0..lines.len()).any(|i| dutylist::is_unit_header(&lines, i)) {
        Genre::DutyList
    } else if doc.lines.iter().any(|l| is_breakdown_header(&l.text)) {
        Genre::Breakdown
    } else if is_numbered_notice(doc) {
        Genre::Notice
    } else {
        Genre::General
    }
}

/// A table header naming the units, their detailed duties and the posts that carry them.
fn is_breakdown_header(t: &str) -> bool {
    let cells: Vec<&str> = t.split(['\t', '|']).map(str::trim).collect();
    cells.len() >= 4
        && cells.contains(&"内设机构")
        && cells
            .iter()
            .any(|c| (c.contains("细化") || c.contains("分解")) && c.ends_with("职责"))
        && cells.iter().any(|c| c.contains("岗位"))
}

/// A notice with a document number near the top, a title naming a 通知, and attachments
/// numbered on lines of their own (`附件 1:`).
fn is_numbered_notice(doc: &Document) -> bool {
    let top: Vec<&str> = doc
        .lines
        .iter()
        .map(|l| l.text.trim())
        .filter(|t| !t.is_empty())
        .take(12)
        .collect();
    let numbered = top
        .iter()
        .any(|t| t.contains('〔') && t.contains('〕') && t.ends_with('号'));
    let notice = top.iter().any(|t| t.contains("通知"));
    let attachments = doc.lines.iter().any(|l| {
        let t = l.text.trim();
        t.strip_prefix("附件").is_some_and(|r| {
            let r = r.trim().trim_end_matches([':', '：']).trim();
            !r.is_empty() && r.chars().all(|c| c.is_ascii_digit())
        })
    });
    numbered && notice && attachments
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
        Genre::General | Genre::Workbook => {
            general::parse(doc, lines, general::Reading::Auto).imported
        }
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
    /// What was recognised, by kind (`departments`, `duties`, `risks` …), in a fixed order.
    pub counts: Vec<(&'static str, usize)>,
    /// Block by block: what each recognised block became (the general reader).
    pub blocks: Vec<general::Recognised>,
    /// Lines read as structure (headings, table headers) and page furniture, as written.
    pub structure: Vec<Unparsed>,
    pub furniture: Vec<Unparsed>,
    /// Said plainly when nothing structured was recognised: why, and what to try.
    pub verdict: Option<String>,
}

/// What an import holds, by kind, in the order the report gives them.
pub fn counts(imported: &Imported) -> Vec<(&'static str, usize)> {
    use zhize_core::model::RiskPoint;
    let org = imported.org.as_ref();
    let depts = &imported.depts;
    let sum = |f: &dyn Fn(&DeptFile) -> usize| depts.iter().map(f).sum::<usize>();
    let procs: Vec<&zhize_core::model::Procedure> = depts
        .iter()
        .flat_map(|d| &d.procedures)
        .chain(org.into_iter().flat_map(|o| &o.procedures))
        .collect();
    let mut forms: Vec<&str> = depts
        .iter()
        .flat_map(|d| d.forms.iter().map(|f| f.name.as_str()))
        .chain(procs.iter().flat_map(|p| {
            p.forms
                .iter()
                .chain(p.steps.iter().flat_map(|s| &s.forms))
                .map(String::as_str)
        }))
        .collect();
    forms.sort_unstable();
    forms.dedup();
    let controls = sum(&|d| {
        d.risks.controls.len()
            + d.risks
                .points
                .iter()
                .map(|p| match p {
                    RiskPoint::Full(f) => f.controls.len(),
                    RiskPoint::Text(_) => 0,
                })
                .sum::<usize>()
    });
    let division =
        sum(&|d| d.division.external.len() + d.division.internal.len() + d.division.general.len())
            + org.map_or(0, |o| o.division.len());
    vec![
        ("organisation duties", org.map_or(0, |o| o.duties.len())),
        ("staffing items", org.map_or(0, |o| o.staffing.0.len())),
        (
            "plaques",
            org.map_or(0, |o| o.plaques.len()) + sum(&|d| d.plaques.len()),
        ),
        ("departments", depts.len()),
        ("duties", sum(&|d| d.duties.len())),
        ("posts", sum(&|d| d.posts.len())),
        ("division items", division),
        ("risks", sum(&|d| d.risks.points.len())),
        ("controls", controls),
        (
            "powers",
            org.map_or(0, |o| o.powers.len()) + sum(&|d| d.powers.len()),
        ),
        (
            "procedures",
            procs.iter().filter(|p| p.steps.len() >= 2).count(),
        ),
        ("steps", procs.iter().map(|p| p.steps.len()).sum()),
        ("forms", forms.len()),
        ("pages", imported.pages.len()),
    ]
}

impl ImportReport {
    /// The report as text, written beside the output.
    pub fn render(&self) -> String {
        let mut s = self.summary();
        if let Some(v) = &self.verdict {
            s.push_str(&format!("\n{v}\n"));
        }
        if !self.blocks.is_empty() {
            s.push_str("\nblocks:\n");
            for b in &self.blocks {
                s.push_str(&format!("  line {}: {} “{}”", b.line, b.kind, b.name));
                if b.count > 0 {
                    s.push_str(&format!(" ({})", b.count));
                }
                s.push('\n');
            }
        }
        if !self.repairs.is_empty() {
            s.push_str("\nrepairs:\n");
            for r in &self.repairs {
                s.push_str(&format!("  line {}: {}\n", r.line, r.what));
            }
        }
        if !self.unparsed.is_empty() {
            s.push_str("\nunparsed lines (kept under `unparsed:` of their department or of _org.yaml; move them into fields by hand):\n");
            for u in &self.unparsed {
                s.push_str(&format!("  line {}: {}\n", u.line, u.text));
            }
        }
        for (title, list) in [
            (
                "lines read as structure (headings and table headers that became fields)",
                &self.structure,
            ),
            (
                "page furniture set aside (navigation, metadata, page numbers)",
                &self.furniture,
            ),
        ] {
            if !list.is_empty() {
                s.push_str(&format!("\n{title}:\n"));
                for u in list {
                    s.push_str(&format!("  line {}: {}\n", u.line, u.text));
                }
            }
        }
        s
    }

    /// The first lines of the report: what was read, what came out, counted by kind.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "import of {}\n  read as {}, recognised as {}\n  {} files, {} repairs, {} unparsed lines\n",
            self.source.display(),
            self.encoding,
            self.genre.label(),
            self.files.len(),
            self.repairs.len(),
            self.unparsed.len()
        );
        let found: Vec<String> = self
            .counts
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(k, n)| format!("{n} {k}"))
            .collect();
        if !found.is_empty() {
            s.push_str(&format!("  recognised: {}\n", found.join(", ")));
        }
        s
    }
}

/// Import one document: read, parse, and build the files to write.
pub fn import_file(path: &Path, opts: &ImportOptions) -> Result<ImportReport, Diagnostic> {
    let doc = read_document(path)?;
    import_document(&doc, path, opts)
}

/// Import a document already read (see [`import_file`]).
pub fn import_document(
    doc: &Document,
    path: &Path,
    opts: &ImportOptions,
) -> Result<ImportReport, Diagnostic> {
    let genre = match opts.reading {
        Some(_) => Genre::General,
        None => detect(doc),
    };
    let mut lines = Lines::new(&doc.lines);
    let mut info = None;
    let mut imported = if genre == Genre::General {
        lines.drop_noise();
        let g = general::parse(doc, &mut lines, opts.reading.unwrap_or_default());
        let imported = g.imported.clone();
        info = Some(g);
        imported
    } else {
        parse(doc, genre, &mut lines)
    };
    let mut unparsed = lines.unparsed();
    if info.is_some() {
        // The general reader has put each unparsed line with its department or the
        // organisation already.
        unparsed = imported
            .org
            .iter()
            .flat_map(|o| o.unparsed.clone())
            .chain(imported.depts.iter().flat_map(|d| d.unparsed.clone()))
            .collect();
        unparsed.sort_by_key(|u| u.line);
    }
    let counts = counts(&imported);
    let mut repairs = std::mem::take(&mut lines.repairs);
    let mut files = Vec::new();
    if let Some(org) = imported.org.take() {
        let keep = info.is_some().then(Vec::new);
        files = org_files(
            org,
            &imported.depts,
            doc,
            opts,
            keep.unwrap_or_else(|| unparsed.clone()),
            info.is_some(),
            &mut repairs,
        )?;
    } else if !unparsed.is_empty() {
        // Pages keep everything in their bodies; anything left is appended so nothing is lost.
        if let Some(p) = imported.pages.last_mut() {
            for u in &unparsed {
                p.body.push_str(&format!("\n{}\n", u.text));
            }
        }
    }
    let mut scope = zhize_core::slug::SlugScope::default();
    let pages: Vec<ImportedPage> = imported.pages.into_iter().flat_map(split_large).collect();
    imported.pages = pages;
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
    let line_of = |i: &usize| Unparsed {
        line: doc.lines[*i].no,
        text: doc.lines[*i].text.trim().to_string(),
    };
    let (blocks, furniture_idx) = match info {
        Some(g) => (g.blocks, g.furniture),
        None => (Vec::new(), Vec::new()),
    };
    let structure = structure_lines(doc, &files, &furniture_idx);
    let furniture: Vec<Unparsed> = furniture_idx.iter().map(line_of).collect();
    let verdict = (genre == Genre::General && counts.iter().all(|(k, n)| *k == "pages" || *n == 0))
        .then(|| nothing_recognised(doc, opts.reading));
    let mut report = ImportReport {
        source: path.to_path_buf(),
        encoding: doc.encoding,
        genre,
        files,
        repairs,
        unparsed,
        counts,
        blocks,
        structure,
        furniture,
        verdict,
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

/// `_org.yaml`, one file per department and the report's place, in the organisation's
/// folder (`--org` when it is an id, else the pinyin of the organisation's name).
fn org_files(
    mut org: OrgFile,
    depts: &[DeptFile],
    doc: &Document,
    opts: &ImportOptions,
    unparsed: Vec<Unparsed>,
    placed: bool,
    repairs: &mut Vec<Repair>,
) -> Result<Vec<(PathBuf, String)>, Diagnostic> {
    if !placed {
        org.unparsed = unparsed;
    }
    // --org is the folder id when it is one, else the organisation's name.
    let org_is_id = opts
        .org
        .as_deref()
        .is_some_and(zhize_core::slug::is_safe_id);
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
    let mut scope = zhize_core::slug::SlugScope::with_reserved(&["_org", "pages", "external"]);
    let mut files = vec![(PathBuf::from(&folder).join("_org.yaml"), to_yaml(&org)?)];
    for d in depts {
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
    Ok(files)
}

/// Lines used but whose words are in no field or page: structure (headings, table headers)
/// or dropped noise, to be listed as written.
fn structure_lines(
    doc: &Document,
    files: &[(PathBuf, String)],
    furniture: &[usize],
) -> Vec<Unparsed> {
    let mut written = String::new();
    for (path, text) in files {
        if path.extension().is_some_and(|e| e == "yaml") {
            landed::yaml_text(text, &mut written);
        } else {
            written.push_str(text);
            written.push('\n');
        }
    }
    let candidates: Vec<usize> = (0..doc.lines.len())
        .filter(|i| !furniture.contains(i) && !doc.lines[*i].text.trim().is_empty())
        .collect();
    landed::not_landed(&doc.lines, &candidates, &written)
        .iter()
        .map(|&i| Unparsed {
            line: doc.lines[i].no,
            text: doc.lines[i].text.trim().to_string(),
        })
        .collect()
}

/// Why nothing structured came out of a document, and what to try.
fn nothing_recognised(doc: &Document, forced: Option<general::Reading>) -> String {
    let numbered = doc
        .lines
        .iter()
        .filter(|l| lines::parse_num(l.text.trim()).is_some())
        .count();
    let rows = doc
        .lines
        .iter()
        .filter(|l| l.text.contains('\t') || l.text.trim_start().starts_with('|'))
        .count();
    let reason = if forced == Some(general::Reading::Page) {
        "it was read as a page (--as page)".to_string()
    } else if rows >= 2 {
        format!("its {rows} table rows have no header zhize knows (序号, 科室, 岗位, 风险点, 防控措施, 事项名称, 实施依据, 牵头科室 …)")
    } else if numbered > 0 {
        format!("its {numbered} numbered items name no unit (…科, …股, …室, …中心), no step of a 流程 and no 权责事项")
    } else {
        "it is prose: it has no numbered items and no tables".to_string()
    };
    format!(
        "nothing structured was recognised: the document is kept as one page.\n  most likely because {reason}.\n  hint: if it is a duty list, a risk table, a 权责清单, a procedure or a 职责分工 text, import it again with --as departments, --as risks, --as powers, --as procedures or --as division"
    )
}

/// Largest body of an imported page: half what `build` reads of one file
/// ([`zhize_core::source::MAX_FILE_BYTES`]), which leaves room for the front matter.
const MAX_PAGE_BODY: usize = (zhize_core::source::MAX_FILE_BYTES / 2) as usize;

/// A page whose body is larger than [`MAX_PAGE_BODY`] as several pages, cut between lines
/// (or, in a line longer than that, between characters), titled “… （第 N 部分）”: `build`
/// refuses files over its limit, so an import must not write one.
fn split_large(page: ImportedPage) -> Vec<ImportedPage> {
    if page.body.len() <= MAX_PAGE_BODY {
        return vec![page];
    }
    let mut parts: Vec<String> = vec![String::new()];
    for line in page.body.split_inclusive('\n') {
        let mut rest = line;
        while !rest.is_empty() {
            let current = parts.last_mut().expect("one part at least");
            let room = MAX_PAGE_BODY - current.len();
            if rest.len() <= room {
                current.push_str(rest);
                break;
            }
            if current.is_empty() {
                // A line longer than a part: cut it at a character boundary.
                let mut cut = room;
                while !rest.is_char_boundary(cut) {
                    cut -= 1;
                }
                current.push_str(&rest[..cut]);
                rest = &rest[cut..];
            }
            parts.push(String::new());
        }
    }
    parts.retain(|p| !p.is_empty());
    let n = parts.len();
    parts
        .into_iter()
        .enumerate()
        .map(|(i, body)| {
            let mut meta = page.meta.clone();
            if i > 0 {
                meta.id = meta.id.map(|id| format!("{id}-{}", i + 1));
            }
            meta.title = format!("{}（第 {} 部分，共 {n} 部分）", page.meta.title, i + 1);
            ImportedPage {
                slug: if i == 0 {
                    page.slug.clone()
                } else {
                    format!("{}-{}", page.slug, i + 1)
                },
                meta,
                body,
            }
        })
        .collect()
}

/// Serialise model data as YAML a person would write.
pub fn to_yaml<T: serde::Serialize>(v: &T) -> Result<String, Diagnostic> {
    serde_yaml::to_string(v)
        .map_err(|e| Diagnostic::error(format!("internal: cannot write YAML: {e}")))
}

/// Read a workbook in zhize's layout ([`workbook`]): its files, and what it holds counted.
pub fn workbook_report(path: &Path) -> Result<ImportReport, Diagnostics> {
    let orgs = workbook::read(path)?;
    let files = workbook::files(&orgs).map_err(|d| Diagnostics(vec![d]))?;
    let mut counts: Vec<(&'static str, usize)> = Vec::new();
    for o in orgs {
        let imported = Imported {
            org: Some(o.org),
            depts: o
                .depts
                .into_iter()
                .map(|mut d| {
                    for (_, p) in d.parts {
                        d.dept.posts.extend(p.posts);
                        d.dept.procedures.extend(p.procedures);
                        d.dept.forms.extend(p.forms);
                        d.dept.contacts.extend(p.contacts);
                    }
                    d.dept
                })
                .collect(),
            pages: Vec::new(),
        };
        for (k, n) in self::counts(&imported) {
            match counts.iter_mut().find(|(x, _)| *x == k) {
                Some(c) => c.1 += n,
                None => counts.push((k, n)),
            }
        }
    }
    Ok(ImportReport {
        source: path.to_path_buf(),
        encoding: "xlsx",
        genre: Genre::Workbook,
        files,
        repairs: Vec::new(),
        unparsed: Vec::new(),
        counts,
        blocks: Vec::new(),
        structure: Vec::new(),
        furniture: Vec::new(),
        verdict: None,
    })
}

/// Import every file, then write (unless `dry_run`). Existing files are never overwritten
/// without `force`; all conflicts are reported together.
pub fn import(paths: &[PathBuf], opts: &ImportOptions) -> Result<Vec<ImportReport>, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut reports = Vec::new();
    for p in paths {
        if workbook::is_workbook(p) {
            match workbook_report(p) {
                Ok(r) => reports.push(r),
                Err(d) => diags.extend(d.0),
            }
            continue;
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_too_large_for_build_is_split_between_lines_losing_nothing() {
        let line = "第一条　本办法适用于全局各科室的公文处理工作。\n";
        let mut body = line.repeat(MAX_PAGE_BODY / line.len() * 2 + 7);
        // One line longer than a whole part, too.
        body.push_str(&"长".repeat(MAX_PAGE_BODY / 3 + 5));
        let page = ImportedPage {
            slug: "banfa".into(),
            meta: PageMeta {
                title: "办法".into(),
                ..Default::default()
            },
            body: body.clone(),
        };
        let parts = split_large(page);
        assert!(parts.len() >= 3, "{}", parts.len());
        assert!(parts.iter().all(|p| p.body.len() <= MAX_PAGE_BODY));
        assert_eq!(
            parts.iter().map(|p| p.body.as_str()).collect::<String>(),
            body
        );
        assert_eq!(parts[1].slug, "banfa-2");
        assert!(parts[0].meta.title.starts_with("办法（第 1 部分"));
        // A page within the limit stays whole.
        let small = ImportedPage {
            slug: "a".into(),
            meta: PageMeta::default(),
            body: line.into(),
        };
        assert_eq!(split_large(small).len(), 1);
    }
}
