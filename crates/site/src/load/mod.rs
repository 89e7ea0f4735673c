//! Reading a site from disk: `zhize.yaml`, the organisation folders in `content/`, and pages.
//!
//! Layout:
//!
//! ```text
//! zhize.yaml                     site settings (optional)
//! content/<org>/_org.yaml        an organisation
//! content/<org>/<dept>.yaml      one department each
//! content/<org>/<dept>/*.yaml    more procedures, forms or posts of that department
//! content/<org>/*.md             pages that belong to the organisation
//! content/pages/*.md             free pages (notices, rules, articles)
//! ```
//!
//! Hidden files, editor backups (`*~`) and files whose name starts with `_` (other than
//! `_org.yaml`, e.g. the importer's `_import-report-*.txt`) are skipped.
//!
//! Files are decoded (UTF-8, BOM, UTF-16, GBK), parsed with serde_yaml after Chinese keys are
//! rewritten to their English names, and every node's position is recorded so that later
//! stages can report problems at their line and column. Nothing is resolved here.

pub mod history;
mod messages;
pub mod theme;

use messages::{type_error, yaml_error};

use serde::de::DeserializeOwned;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use zhize_core::config::Config;
use zhize_core::diagnostic::{did_you_mean, Diagnostic, Diagnostics, Pos};
use zhize_core::model::{canonical_key, DeptFile, DeptPart, OrgFile, PageMeta};
use zhize_core::source::{decode, Encoding, SpanMap};

pub use zhize_core::source::MAX_FILE_BYTES;

/// Folder of free pages inside `content/`.
pub const PAGES_DIR: &str = "pages";

/// Index of a file in [`Sources`].
pub type FileId = usize;

/// One file as read: its path as shown to users, its text, and where its YAML nodes are.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: Arc<str>,
    pub spans: Arc<SpanMap>,
}

/// All files read in a run.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    pub files: Vec<SourceFile>,
}

impl Sources {
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        self.files.len() - 1
    }
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id]
    }
    /// The position of the node at `path` in file `id`.
    pub fn pos(&self, id: FileId, path: &str) -> Option<Pos> {
        self.files[id].spans.get(path)
    }
    /// A diagnostic located at `path` in file `id`.
    pub fn diag_at(&self, d: Diagnostic, id: FileId, path: &str) -> Diagnostic {
        let f = &self.files[id];
        d.in_file(&f.path)
            .at_opt(f.spans.get(path))
            .with_source(f.text.clone())
    }
}

/// Where an item came from: its file and its path inside that file.
#[derive(Debug, Clone)]
pub struct Origin {
    pub file: FileId,
    pub path: String,
}

/// A department as loaded, with the parts from its sub-folder merged in.
#[derive(Debug, Clone)]
pub struct LoadedDept {
    pub file: FileId,
    /// File name without extension (the default slug source and the parts folder name).
    pub stem: String,
    /// Shared with the parse cache: a load after an edit copies nothing it did not read again.
    pub dept: Arc<DeptFile>,
    pub post_origins: Vec<Origin>,
    pub procedure_origins: Vec<Origin>,
    pub form_origins: Vec<Origin>,
    pub contact_origins: Vec<Origin>,
}

/// An organisation folder as loaded.
#[derive(Debug, Clone)]
pub struct LoadedOrg {
    pub folder: String,
    pub file: FileId,
    pub org: Arc<OrgFile>,
    pub depts: Vec<LoadedDept>,
    /// Names of department files that could not be read or parsed (their file names, and
    /// the `name:` their text gives): references to them are not reported as unknown, since
    /// the file's own error is the cause.
    pub unreadable: Vec<String>,
}

/// The tail of a file's text from `start` on: a page's Markdown body, shared with the file's
/// text rather than copied (on a site of long pages the bodies are most of the memory).
#[derive(Clone, Default)]
pub struct Body {
    text: Option<Arc<str>>,
    start: usize,
}

impl Body {
    /// The text of `text` from byte `start` (a character boundary) on.
    pub fn new(text: Arc<str>, start: usize) -> Body {
        let start = start.min(text.len());
        Body {
            text: Some(text),
            start,
        }
    }
}

impl std::ops::Deref for Body {
    type Target = str;
    fn deref(&self) -> &str {
        self.text.as_deref().map_or("", |t| &t[self.start..])
    }
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

impl PartialEq for Body {
    fn eq(&self, other: &Body) -> bool {
        **self == **other
    }
}

/// A Markdown page as loaded.
#[derive(Debug, Clone)]
pub struct LoadedPage {
    pub file: FileId,
    /// The organisation folder it sits in, if any.
    pub org: Option<String>,
    pub stem: String,
    pub meta: PageMeta,
    pub body: Body,
    /// 1-based line of the body's first line in the file.
    pub body_line: usize,
}

/// Everything read from a site root.
#[derive(Debug, Default)]
pub struct Loaded {
    pub root: PathBuf,
    pub config: Config,
    pub orgs: Vec<LoadedOrg>,
    pub pages: Vec<LoadedPage>,
    pub sources: Sources,
    pub diagnostics: Diagnostics,
    /// The theme, with the site's own `templates/` and `static/` laid over it (the default
    /// theme alone when those cannot be read: the errors are in `diagnostics`).
    pub theme: std::sync::Arc<theme::Theme>,
    /// The files read, parsed, for the next load to reuse ([`load_site_cached`]).
    pub cache: Cache,
    /// Each content file's last-updated date from git history (`git_dates:`), by the path
    /// its source shows (from the site root).
    pub updated: std::sync::Arc<HashMap<PathBuf, String>>,
}

/// Files read and parsed by an earlier load, reused while their size and modification time
/// stay the same: what lets `zhize serve` load a large site again after an edit in a moment.
/// A reused file keeps its text's `Arc`, so later stages can tell unchanged files by pointer.
#[derive(Default, Clone)]
pub struct Cache {
    /// From the previous load (consulted).
    prev: HashMap<PathBuf, CachedFile>,
    /// From this load (kept for the next).
    next: HashMap<PathBuf, CachedFile>,
    /// The path of each file of this load, by id.
    paths: HashMap<FileId, PathBuf>,
    /// Files of this load read and parsed ahead, in parallel, waiting for their turn.
    ready: HashMap<PathBuf, Result<CachedFile, Diagnostic>>,
    /// Whether parse results stay in `next` for a later load; without, each is moved out
    /// once used, so a one-off build holds no second copy of the content.
    keep: bool,
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Cache({} files)", self.next.len())
    }
}

#[derive(Clone)]
struct CachedFile {
    /// Size and modification time when read (none when they could not be had: never reused).
    stamp: Option<(u64, Option<std::time::SystemTime>)>,
    source: SourceFile,
    /// The warning reading it gave (an encoding other than UTF-8).
    warning: Option<Diagnostic>,
    /// The parse result (`Result<T, Diagnostic>` for the type it was parsed as).
    parsed: Option<Arc<dyn std::any::Any + Send + Sync>>,
}

/// Read the site at `root`. Problems are collected in `diagnostics`; loading carries on past
/// them so that one run reports everything.
pub fn load_site(root: &Path) -> Loaded {
    load(root, Cache::default(), false)
}

/// [`load_site`], reusing what `cache` (from an earlier load's [`Loaded::cache`]) holds of
/// files that have not changed since, and keeping what it reads for the next load.
pub fn load_site_cached(root: &Path, cache: Cache) -> Loaded {
    load(root, cache, true)
}

fn load(root: &Path, cache: Cache, keep: bool) -> Loaded {
    let mut out = Loaded {
        root: root.to_path_buf(),
        cache: Cache {
            prev: cache.next,
            keep,
            ..Default::default()
        },
        ..Default::default()
    };
    if keep {
        out.cache.next.reserve(out.cache.prev.len());
    }
    let config_path = root.join("zhize.yaml");
    if config_path.exists() {
        if let Some(id) = read_source(root, &config_path, &mut out) {
            match parse_cached::<Config>(&mut out, id, parse_yaml) {
                Ok(c) => out.config = c,
                Err(d) => out.diagnostics.push(d),
            }
        }
    }
    let own = |dir: &str| Some(root.join(dir)).filter(|p| p.is_dir());
    let assembled = theme::Theme::assemble(
        root,
        &out.config.theme,
        own("templates").as_deref(),
        own("static").as_deref(),
        out.config.allow_outside_links,
    );
    out.theme = std::sync::Arc::new(match assembled {
        Ok(t) => t,
        Err(errors) => {
            out.diagnostics.extend(errors);
            theme::Theme::embedded()
        }
    });
    let content = root.join("content");
    if !content.is_dir() {
        out.diagnostics.push(
            Diagnostic::error(format!("no content folder at {}", content.display()))
                .hint("run zhize in a site folder (one with content/), pass --root DIR, or create a site with `zhize init DIR`"),
        );
        return out;
    }
    if out.config.git_dates {
        // Keyed as sources are: by the path shown, from the site root.
        let dates = history::last_commit_dates(&content).into_iter();
        out.updated = std::sync::Arc::new(
            dates
                .map(|(rel, date)| (display_path(root, &content.join(rel)), date))
                .collect(),
        );
    }
    let files = walk(
        &content,
        &mut out.diagnostics,
        root,
        out.config.allow_outside_links,
    );
    // Group files: org folder → (_org.yaml, dept files, part files), and pages.
    let mut orgs: BTreeMap<String, OrgFiles> = BTreeMap::new();
    let mut pages: Vec<(PathBuf, Option<String>)> = Vec::new();
    for path in files {
        let rel = path.strip_prefix(&content).unwrap_or(&path).to_path_buf();
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let shown = display_path(root, &path);
        match (parts.len(), ext.as_str()) {
            (_, "md" | "markdown") => {
                let org = (parts.len() >= 2 && parts[0] != PAGES_DIR).then(|| parts[0].clone());
                pages.push((path, org));
            }
            (1, "yaml" | "yml") => out.diagnostics.push(
                Diagnostic::error("a YAML file directly in content/ belongs to no organisation")
                    .in_file(&shown)
                    .hint("move it into an organisation folder, e.g. content/<org>/, next to that folder's _org.yaml"),
            ),
            (2, "yaml" | "yml") if parts[0] != PAGES_DIR => {
                let entry = orgs.entry(parts[0].clone()).or_default();
                if is_org_file(&parts[1]) {
                    entry.org = Some(path);
                } else {
                    entry.depts.push(path);
                }
            }
            (3, "yaml" | "yml") if parts[0] != PAGES_DIR => {
                orgs.entry(parts[0].clone())
                    .or_default()
                    .parts
                    .push((parts[1].clone(), path));
            }
            _ => out.diagnostics.push(
                Diagnostic::warning("file ignored: zhize reads .yaml department files and .md pages here")
                    .in_file(&shown)
                    .hint("images and other assets belong in static/; YAML files belong at content/<org>/<dept>.yaml or content/<org>/<dept>/<part>.yaml"),
            ),
        }
    }
    // Every file is read and parsed ahead, in parallel; what follows takes them in order.
    let mut jobs: Vec<(&Path, Role)> = pages
        .iter()
        .map(|(p, org)| (p.as_path(), Role::Page(org.clone())))
        .collect();
    for files in orgs.values() {
        jobs.extend(files.org.iter().map(|p| (p.as_path(), Role::Org)));
        jobs.extend(files.depts.iter().map(|p| (p.as_path(), Role::Dept)));
        jobs.extend(files.parts.iter().map(|(_, p)| (p.as_path(), Role::Part)));
    }
    out.cache.ready = {
        use rayon::prelude::*;
        let prev = &out.cache.prev;
        jobs.into_par_iter()
            .map(|(path, role)| (path.to_path_buf(), fetch(root, path, Some(role), prev)))
            .collect()
    };
    for (path, org) in pages {
        if let Some(id) = read_source(root, &path, &mut out) {
            match parse_cached(&mut out, id, |f| parse_page(f, org, None)) {
                Ok(p) => out.pages.push(LoadedPage { file: id, ..p }),
                Err(d) => out.diagnostics.push(d),
            }
        }
    }
    for (folder, files) in orgs {
        if let Some(org) = load_org(root, &folder, files, &mut out) {
            out.orgs.push(org);
        }
    }
    out.cache.prev = HashMap::new();
    out.cache.ready = HashMap::new();
    if !keep {
        out.cache.next = HashMap::new();
        out.cache.paths = HashMap::new();
    }
    out
}

/// What a file is parsed as, known from where it lies.
enum Role {
    Org,
    Dept,
    Part,
    /// A page, in the organisation folder given.
    Page(Option<String>),
}

/// Read, decode and parse one file as `role` (only read, without a role), or take it from
/// `prev` when its size and modification time are unchanged.
fn fetch(
    root: &Path,
    path: &Path,
    role: Option<Role>,
    prev: &HashMap<PathBuf, CachedFile>,
) -> Result<CachedFile, Diagnostic> {
    let shown = display_path(root, path);
    let stamp = std::fs::metadata(path)
        .ok()
        .map(|m| (m.len(), m.modified().ok()));
    if let Some(c) = prev
        .get(path)
        .filter(|c| stamp.is_some() && c.stamp == stamp)
    {
        return Ok(c.clone());
    }
    let (text, enc) = read_text(path).map_err(|d| d.in_file(&shown))?;
    let warning = (enc != Encoding::Utf8 && enc != Encoding::Utf8Bom).then(|| {
        Diagnostic::warning(format!(
            "file is encoded as {}; read it as such",
            enc.name()
        ))
        .in_file(&shown)
        .hint("save it as UTF-8 so every tool reads it the same way")
    });
    // A page's positions are those of its front matter; the Markdown is not YAML. A YAML
    // file is parsed once for its value and positions together, when the one-pass reader
    // takes it (see `zhize_core::yaml`), else by serde_yaml after its positions are taken.
    let (spans, value) = match role {
        Some(Role::Page(_)) => page_front_matter(&text),
        _ => match zhize_core::yaml::parse(&text, &ContentKeys) {
            Some((value, spans)) => (spans, Some(document(value))),
            None => (
                SpanMap::build(&text, |k| canonical_key(k).to_string()),
                None,
            ),
        },
    };
    let source = SourceFile {
        path: shown,
        text: Arc::from(text),
        spans: Arc::new(spans),
    };
    fn parsed<T: Send + Sync + 'static>(
        r: Result<T, Diagnostic>,
    ) -> Option<Arc<dyn std::any::Any + Send + Sync>> {
        Some(Arc::new(r))
    }
    let parsed = match role {
        None => None,
        Some(Role::Org) => parsed(parse_yaml_from::<OrgFile>(&source, value).map(Arc::new)),
        Some(Role::Dept) => {
            parsed(parse_yaml_lenient_from::<DeptFile>(&source, value).map(lenient))
        }
        Some(Role::Part) => parsed(parse_yaml_from::<DeptPart>(&source, value)),
        Some(Role::Page(org)) => parsed(parse_page(&source, org, value)),
    };
    Ok(CachedFile {
        stamp,
        source,
        warning,
        parsed,
    })
}

#[derive(Default)]
struct OrgFiles {
    org: Option<PathBuf>,
    depts: Vec<PathBuf>,
    parts: Vec<(String, PathBuf)>,
}

/// Does `content/` of `root` hold an organisation folder (one with an `_org.yaml`)? A quick
/// look, for work worth starting early only for organisations.
pub fn has_org_folders(root: &Path) -> bool {
    let Ok(dirs) = std::fs::read_dir(root.join("content")) else {
        return false;
    };
    dirs.flatten()
        .any(|d| ORG_FILES.iter().any(|f| d.path().join(f).is_file()))
}

/// The names an organisation's own file may have.
const ORG_FILES: [&str; 3] = ["_org.yaml", "_org.yml", "_index.yaml"];

fn is_org_file(name: &str) -> bool {
    ORG_FILES.contains(&name)
}

/// An organisation's or a department's file without a name.
fn no_name(dept: bool) -> Diagnostic {
    if dept {
        Diagnostic::error("the department has no name")
            .hint("add `name: <the department's name>` (or `名称:`)")
            .zh("这个科室没有名称")
            .hint_zh("加一行 `名称: 科室名称`")
    } else {
        Diagnostic::error("the organisation has no name")
            .hint("add `name: <the organisation's full name>` (or `名称:`)")
            .zh("这个单位没有名称")
            .hint_zh("加一行 `名称: 单位全称`")
    }
}

fn load_org(root: &Path, folder: &str, files: OrgFiles, out: &mut Loaded) -> Option<LoadedOrg> {
    let Some(org_path) = files.org else {
        let first = files
            .depts
            .first()
            .or(files.parts.first().map(|p| &p.1))
            .map(|p| display_path(root, p));
        out.diagnostics.push(
            Diagnostic::error(format!(
                "organisation folder content/{folder}/ has no _org.yaml"
            ))
            .in_file(first.unwrap_or_else(|| PathBuf::from(format!("content/{folder}"))))
            .hint(format!(
                "create content/{folder}/_org.yaml with at least `name: <the organisation's name>`"
            )),
        );
        return None;
    };
    let org_id = read_source(root, &org_path, out)?;
    let org = match parse_cached::<Arc<OrgFile>>(out, org_id, |f| parse_yaml(f).map(Arc::new)) {
        Ok(o) => o,
        Err(d) => {
            out.diagnostics.push(d);
            return None;
        }
    };
    if org.name.trim().is_empty() {
        out.diagnostics
            .push(out.sources.diag_at(no_name(false), org_id, ""));
    }
    let mut depts = Vec::new();
    // Department files that exist but could not be read: their folders are not strays.
    let mut failed: Vec<String> = Vec::new();
    let mut unreadable: Vec<String> = Vec::new();
    for path in files.depts {
        let Some(id) = read_source(root, &path, out) else {
            failed.push(file_stem(&path));
            unreadable.push(file_stem(&path));
            continue;
        };
        let parsed = parse_cached(out, id, |f| parse_yaml_lenient(f).map(lenient));
        match parsed {
            Ok((dept, wrong_fields)) => {
                // Loaded without the fields that did not fit (reported): what other files
                // name in it still resolves.
                out.diagnostics.extend(wrong_fields.iter().cloned());
                if dept.name.trim().is_empty() {
                    out.diagnostics
                        .push(out.sources.diag_at(no_name(true), id, ""));
                    failed.push(file_stem(&path));
                    continue;
                }
                let stem = file_stem(&path);
                let origins = |key: &str, n: usize| {
                    (0..n)
                        .map(|i| Origin {
                            file: id,
                            path: format!("{key}.{i}"),
                        })
                        .collect::<Vec<_>>()
                };
                depts.push(LoadedDept {
                    file: id,
                    stem,
                    post_origins: origins("posts", dept.posts.len()),
                    procedure_origins: origins("procedures", dept.procedures.len()),
                    form_origins: origins("forms", dept.forms.len()),
                    contact_origins: origins("contacts", dept.contacts.len()),
                    dept,
                });
            }
            Err(d) => {
                failed.push(file_stem(&path));
                unreadable.push(file_stem(&path));
                unreadable.extend(name_in_text(&out.sources.get(id).text));
                out.diagnostics.push(d);
            }
        }
    }
    for (dir, path) in files.parts {
        if failed.contains(&dir) {
            continue;
        }
        let Some(id) = read_source(root, &path, out) else {
            continue;
        };
        let Some(dept) = depts.iter_mut().find(|d| d.stem == dir) else {
            let known: Vec<String> = depts.iter().map(|d| d.stem.clone()).collect();
            out.diagnostics.push(
                Diagnostic::error(format!(
                    "folder content/{folder}/{dir}/ matches no department file content/{folder}/{dir}.yaml"
                ))
                .in_file(display_path(root, &path))
                .hint(did_you_mean(
                    &dir,
                    known.iter().map(String::as_str),
                    "a folder beside a department file holds more of that department; name it like the file",
                )),
            );
            continue;
        };
        match parse_cached::<DeptPart>(out, id, parse_yaml) {
            Ok(part) => {
                let push = |origins: &mut Vec<Origin>, key: &str, n: usize| {
                    origins.extend((0..n).map(|i| Origin {
                        file: id,
                        path: format!("{key}.{i}"),
                    }))
                };
                push(&mut dept.post_origins, "posts", part.posts.len());
                push(
                    &mut dept.procedure_origins,
                    "procedures",
                    part.procedures.len(),
                );
                push(&mut dept.form_origins, "forms", part.forms.len());
                push(&mut dept.contact_origins, "contacts", part.contacts.len());
                let merged = Arc::make_mut(&mut dept.dept);
                merged.posts.extend(part.posts);
                merged.procedures.extend(part.procedures);
                merged.forms.extend(part.forms);
                merged.contacts.extend(part.contacts);
            }
            Err(d) => out.diagnostics.push(d),
        }
    }
    depts.sort_by(|a, b| {
        (a.dept.order.unwrap_or(i64::MAX), &a.stem)
            .cmp(&(b.dept.order.unwrap_or(i64::MAX), &b.stem))
    });
    Some(LoadedOrg {
        folder: folder.to_string(),
        file: org_id,
        org,
        depts,
        unreadable,
    })
}

/// A department file parsed leniently, as the load cache keeps it.
type LenientDept = (Arc<DeptFile>, Arc<[Diagnostic]>);

fn lenient((dept, errors): (DeptFile, Arc<[Diagnostic]>)) -> LenientDept {
    (Arc::new(dept), errors)
}

/// The value of a top-level `name:` line (or any of its aliases, `名称：` too) of a file that
/// does not parse, read line by line: the department it was meant to define.
fn name_in_text(text: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let (key, value) = l.split_once([':', '：'])?;
        let key = key.trim_start_matches('\u{feff}');
        let value = value.trim().trim_matches(['"', '\'']).trim();
        (key == key.trim() && zhize_core::model::canonical_key(key) == "name" && !value.is_empty())
            .then(|| value.to_string())
    })
}

/// Every regular file under `dir`, sorted, skipping hidden files, editor backups and private
/// `_` files, and reporting unreadable entries, symlink loops and links that leave the site.
fn walk(dir: &Path, diags: &mut Diagnostics, root: &Path, allow_outside: bool) -> Vec<PathBuf> {
    walk_files(dir, root, allow_outside, diags, |name, is_file| {
        let private = name.starts_with('_') && !is_org_file(name) && is_file;
        name.starts_with('.') || name.ends_with('~') || private
    })
}

/// Every regular file under `dir`, sorted, but those (and the folders) for which `skip(name,
/// is_file)` holds. Symbolic links are followed only while they stay inside `root` (unless
/// `allow_outside`): a link that leads elsewhere (`/`, `/etc/passwd`) is an error naming the
/// link and its target, and is not walked, so nothing outside the site is read, published
/// or indexed by accident. Unreadable entries and link loops are errors too.
pub fn walk_files(
    dir: &Path,
    root: &Path,
    allow_outside: bool,
    diags: &mut Diagnostics,
    skip: impl Fn(&str, bool) -> bool,
) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walker.next() {
        match entry {
            Ok(e) => {
                if e.depth() > 0 && skip(&e.file_name().to_string_lossy(), e.file_type().is_file())
                {
                    if e.file_type().is_dir() {
                        walker.skip_current_dir();
                    }
                    continue;
                }
                if e.path_is_symlink() && !allow_outside {
                    let target = e.path().canonicalize().unwrap_or_default();
                    if !target.starts_with(&real_root) {
                        diags.push(
                            Diagnostic::error(format!(
                                "symbolic link leads outside the site, to {}",
                                target.display()
                            ))
                            .in_file(display_path(root, e.path()))
                            .hint("copy the file into the site, remove the link, or set `allow_outside_links: true` in zhize.yaml if publishing it is intended"),
                        );
                        if e.file_type().is_dir() {
                            walker.skip_current_dir();
                        }
                        continue;
                    }
                }
                if e.file_type().is_file() {
                    files.push(e.into_path());
                }
            }
            Err(err) => {
                let path = err
                    .path()
                    .map(|p| display_path(root, p))
                    .unwrap_or_else(|| dir.to_path_buf());
                let msg = if err.loop_ancestor().is_some() {
                    "symbolic link loop: this folder links back to one of its parents".to_string()
                } else {
                    format!("cannot read: {}", err)
                };
                diags.push(
                    Diagnostic::error(msg)
                        .in_file(path)
                        .hint("remove the link or fix the folder's permissions"),
                );
            }
        }
    }
    files
}

/// A path as shown to users: relative to the site root when inside it.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Register a file in `out.sources` (read ahead by [`fetch`], or read now), or report why it
/// cannot be read.
fn read_source(root: &Path, path: &Path, out: &mut Loaded) -> Option<FileId> {
    let fetched = match out.cache.ready.remove(path) {
        Some(r) => r,
        None => fetch(root, path, None, &out.cache.prev),
    };
    match fetched {
        Ok(c) => {
            out.diagnostics.extend(c.warning.iter().cloned());
            let id = out.sources.add(c.source.clone());
            out.cache.paths.insert(id, path.to_path_buf());
            out.cache.next.insert(path.to_path_buf(), c);
            Some(id)
        }
        Err(d) => {
            out.diagnostics.push(d);
            None
        }
    }
}

/// Parse file `id` as `T`: the result read ahead or cached when there is one, else `parse`
/// now. Without a cache to keep, the result is moved out rather than copied.
fn parse_cached<T: Clone + Send + Sync + 'static>(
    out: &mut Loaded,
    id: FileId,
    parse: impl FnOnce(&SourceFile) -> Result<T, Diagnostic>,
) -> Result<T, Diagnostic> {
    let keep = out.cache.keep;
    let entry = out
        .cache
        .paths
        .get(&id)
        .and_then(|k| out.cache.next.get_mut(k));
    let Some(entry) = entry else {
        return parse(out.sources.get(id));
    };
    let ready = if keep {
        entry.parsed.clone()
    } else {
        entry.parsed.take()
    };
    if let Some(Ok(r)) = ready.map(|p| p.downcast::<Result<T, Diagnostic>>()) {
        return Arc::try_unwrap(r).unwrap_or_else(|r| (*r).clone());
    }
    let r = parse(&entry.source);
    if keep {
        entry.parsed = Some(Arc::new(r.clone()));
    }
    r
}

pub fn read_text(path: &Path) -> Result<(String, Encoding), Diagnostic> {
    let meta =
        std::fs::metadata(path).map_err(|e| Diagnostic::error(format!("cannot read file: {e}")))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::error(format!(
            "file is {} MB, more than the {} MB limit",
            meta.len() / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        ))
        .hint("split it: one department per file, long procedures in content/<org>/<dept>/"));
    }
    let bytes =
        std::fs::read(path).map_err(|e| Diagnostic::error(format!("cannot read file: {e}")))?;
    decode(&bytes).ok_or_else(|| {
        Diagnostic::error(zhize_core::source::undecodable_reason(&bytes))
            .hint("save the file as UTF-8 text")
    })
}

/// Parse a YAML file into `T`, with Chinese keys rewritten, reporting errors at their line.
pub fn parse_yaml<T: DeserializeOwned>(file: &SourceFile) -> Result<T, Diagnostic> {
    parse_yaml_from(file, None)
}

/// As [`parse_yaml`], from the file's value when it was read in the same pass as its
/// positions (`None`: parse it now).
fn parse_yaml_from<T: DeserializeOwned>(
    file: &SourceFile,
    value: Option<serde_yaml::Value>,
) -> Result<T, Diagnostic> {
    parse_yaml_shifted(&file.text, &file.spans, (0, 0), value)
        .map_err(|d| d.in_file(&file.path).with_source(file.text.clone()))
}

/// A file's value as a document: an empty file is an empty mapping.
fn document(value: serde_yaml::Value) -> serde_yaml::Value {
    match value {
        serde_yaml::Value::Null => serde_yaml::Value::Mapping(Default::default()),
        v => v,
    }
}

/// How content files' keys are rewritten (for [`zhize_core::yaml::parse`]): Chinese keys to
/// their English names, except the keys of `staffing`, which are data (编制 names).
struct ContentKeys;

impl zhize_core::yaml::Keys for ContentKeys {
    fn canonical<'k>(&self, key: &'k str) -> &'k str {
        canonical_key(key)
    }
    fn is_data(&self, path: &str) -> bool {
        is_data_map(path)
    }
}

/// Is the mapping at `path` one whose keys are data, kept as written?
fn is_data_map(path: &str) -> bool {
    path == "staffing" || path.ends_with(".staffing")
}

/// Parse YAML text into `T` (the file name is added by the caller).
pub fn parse_yaml_text<T: DeserializeOwned>(text: &str, spans: &SpanMap) -> Result<T, Diagnostic> {
    parse_yaml_shifted(text, spans, (0, 0), None)
}

/// As [`parse_yaml_text`], for YAML that starts `shift.0` lines and `shift.1` bytes into its
/// file (front matter); `spans` must already be shifted. `value` is the text's value when the
/// one-pass reader already made it (`None`: parse the text now).
fn parse_yaml_shifted<T: DeserializeOwned>(
    text: &str,
    spans: &SpanMap,
    shift: (usize, usize),
    value: Option<serde_yaml::Value>,
) -> Result<T, Diagnostic> {
    let value = match value {
        Some(v) => v,
        None => yaml_value(text, spans, shift)?,
    };
    deserialize(value, text, spans, shift)
}

/// Deserialize `T` from a file's value, naming the field that does not fit at its place.
fn deserialize<T: DeserializeOwned>(
    value: serde_yaml::Value,
    text: &str,
    spans: &SpanMap,
    shift: (usize, usize),
) -> Result<T, Diagnostic> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = segments(e.path())
            .iter()
            .map(Seg::to_string)
            .collect::<Vec<_>>();
        type_error(
            &e.inner().to_string(),
            &path.join("."),
            spans,
            text,
            shift.1,
        )
    })
}

/// At most this many wrong fields of one file are reported; past them the file is given up.
const MAX_FIELD_ERRORS: usize = 50;

/// Parse a YAML file into `T`, keeping going past fields that do not fit: each is reported
/// and left out, and the rest loads, so that one wrong field neither hides the file's other
/// mistakes nor takes away what other files name. Invalid YAML (nothing to load) and an
/// error about the whole file are `Err`.
pub fn parse_yaml_lenient<T: DeserializeOwned>(
    file: &SourceFile,
) -> Result<(T, Arc<[Diagnostic]>), Diagnostic> {
    parse_yaml_lenient_from(file, None)
}

/// As [`parse_yaml_lenient`], from the file's value when it was read in the same pass as its
/// positions (`None`: parse it now).
fn parse_yaml_lenient_from<T: DeserializeOwned>(
    file: &SourceFile,
    value: Option<serde_yaml::Value>,
) -> Result<(T, Arc<[Diagnostic]>), Diagnostic> {
    let here = |d: Diagnostic| d.in_file(&file.path).with_source(file.text.clone());
    let spans = &file.spans;
    let mut value = match value {
        Some(v) => v,
        None => yaml_value(&file.text, spans, (0, 0)).map_err(here)?,
    };
    let mut removed = Removed::default();
    let mut errors: Vec<Diagnostic> = Vec::new();
    loop {
        // From a borrowed value: the value is kept (and trimmed) only when a field fails.
        let e = match serde_path_to_error::deserialize::<_, T>(&value) {
            Ok(t) => return Ok((t, errors.into_iter().map(here).collect())),
            Err(e) => e,
        };
        let now = segments(e.path());
        let original = removed.original(&now);
        let path = original.iter().map(Seg::to_string).collect::<Vec<_>>();
        let d = here(type_error(
            &e.inner().to_string(),
            &path.join("."),
            spans,
            &file.text,
            0,
        ));
        if now.is_empty() || errors.len() >= MAX_FIELD_ERRORS || !remove(&mut value, &now) {
            return Err(d);
        }
        if let (Some(Seg::Index(_)), Some(Seg::Index(i))) = (now.last(), original.last()) {
            removed.add(&original[..original.len() - 1], *i);
        }
        errors.push(d);
    }
}

/// A step of a path into a YAML document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Seg {
    Key(String),
    Index(usize),
}

impl std::fmt::Display for Seg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Seg::Key(k) => f.write_str(k),
            Seg::Index(i) => write!(f, "{i}"),
        }
    }
}

/// The map keys and list indices of a deserialisation error's path.
fn segments(path: &serde_path_to_error::Path) -> Vec<Seg> {
    path.iter()
        .filter_map(|seg| match seg {
            serde_path_to_error::Segment::Seq { index } => Some(Seg::Index(*index)),
            serde_path_to_error::Segment::Map { key } => Some(Seg::Key(key.clone())),
            _ => None,
        })
        .collect()
}

/// List items taken out of a document, by the original path of their list: what turns a
/// path into the document as it is now back into the file's own (for its line and column).
#[derive(Default)]
struct Removed(HashMap<Vec<Seg>, Vec<usize>>);

impl Removed {
    fn add(&mut self, list: &[Seg], index: usize) {
        let v = self.0.entry(list.to_vec()).or_default();
        v.push(index);
        v.sort_unstable();
    }

    /// `now` (indices into the lists as they are) with the file's own indices.
    fn original(&self, now: &[Seg]) -> Vec<Seg> {
        let mut out: Vec<Seg> = Vec::with_capacity(now.len());
        for seg in now {
            let seg = match (seg, self.0.get(&out)) {
                (Seg::Index(i), Some(gone)) => {
                    // The i-th index that was not taken out.
                    let mut orig = *i;
                    for g in gone {
                        if *g <= orig {
                            orig += 1;
                        }
                    }
                    Seg::Index(orig)
                }
                _ => seg.clone(),
            };
            out.push(seg);
        }
        out
    }
}

/// Take the node at `path` out of `value`; false when there is none.
fn remove(value: &mut serde_yaml::Value, path: &[Seg]) -> bool {
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut node = value;
    for seg in parents {
        let next = match (seg, node) {
            (Seg::Key(k), serde_yaml::Value::Mapping(m)) => m.get_mut(k.as_str()),
            (Seg::Index(i), serde_yaml::Value::Sequence(s)) => s.get_mut(*i),
            _ => None,
        };
        let Some(next) = next else {
            return false;
        };
        node = next;
    }
    match (last, node) {
        (Seg::Key(k), serde_yaml::Value::Mapping(m)) => m.remove(k.as_str()).is_some(),
        (Seg::Index(i), serde_yaml::Value::Sequence(s)) if *i < s.len() => {
            s.remove(*i);
            true
        }
        _ => false,
    }
}

/// The YAML of a file as a value with Chinese keys made canonical, after the checks that
/// keep a hostile file from expanding (errors at their place).
fn yaml_value(
    text: &str,
    spans: &SpanMap,
    shift: (usize, usize),
) -> Result<serde_yaml::Value, Diagnostic> {
    // Alias bombs and deep nesting are refused before serde_yaml expands them.
    zhize_core::source::check_yaml_limits(text).map_err(|l| {
        Diagnostic::error(l.message)
            .at(Pos {
                line: l.pos.line + shift.0,
                offset: l.pos.offset + shift.1,
                ..l.pos
            })
            .hint("write the data out plainly: duty lists need neither deep nesting nor repeated `*aliases`")
    })?;
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let mut d = yaml_error(text, &e);
        if let Some(p) = d.pos.as_mut() {
            p.line += shift.0;
            p.offset += shift.1;
        }
        d
    })?;
    let value = document(value);
    let mut dup = None;
    let value = canonicalise(value, "", &mut dup);
    if let Some((path, key)) = dup {
        return Err(Diagnostic::error(format!(
            "key `{key}` is given twice (once in English, once as its Chinese alias)"
        ))
        .at_opt(spans.get(&path))
        .hint("keep one of the two"));
    }
    Ok(value)
}

/// Rewrite every mapping key to its canonical English name. Records the first key that
/// appears twice after rewriting.
fn canonicalise(
    value: serde_yaml::Value,
    path: &str,
    dup: &mut Option<(String, String)>,
) -> serde_yaml::Value {
    use serde_yaml::Value;
    let join = |seg: &str| {
        if path.is_empty() {
            seg.to_string()
        } else {
            format!("{path}.{seg}")
        }
    };
    match value {
        Value::Mapping(map) => {
            // The keys of `staffing` are data (编制 names), not field names.
            let data_keys = is_data_map(path);
            let mut out = serde_yaml::Mapping::with_capacity(map.len());
            for (k, v) in map {
                let k = match k {
                    Value::String(s) if !data_keys => {
                        Value::String(canonical_key(s.trim()).to_string())
                    }
                    other => other,
                };
                let seg = match &k {
                    Value::String(s) => s.clone(),
                    _ => String::new(),
                };
                let v = canonicalise(v, &join(&seg), dup);
                if out.contains_key(&k) && dup.is_none() {
                    *dup = Some((join(&seg), seg.clone()));
                }
                out.insert(k, v);
            }
            Value::Mapping(out)
        }
        Value::Sequence(seq) => Value::Sequence(
            seq.into_iter()
                .enumerate()
                .map(|(i, v)| canonicalise(v, &join(&i.to_string()), dup))
                .collect(),
        ),
        Value::Tagged(t) => canonicalise(t.value, path, dup),
        other => other,
    }
}

/// The positions of a page's front matter (empty without one), and its value when the
/// one-pass reader takes it (as for YAML files, see [`fetch`]).
fn page_front_matter(text: &str) -> (SpanMap, Option<serde_yaml::Value>) {
    match split_front_matter(text) {
        Some((fm, fm_line, fm_offset, _, _)) => {
            let (spans, value) = match zhize_core::yaml::parse(fm, &ContentKeys) {
                Some((value, spans)) => (spans, Some(document(value))),
                None => (SpanMap::build(fm, |k| canonical_key(k).to_string()), None),
            };
            (spans.shifted(fm_line - 1, fm_offset), value)
        }
        None => (SpanMap::default(), None),
    }
}

/// Split a Markdown page into front matter and body, and parse the front matter (whose
/// positions `file.spans` holds, and its value when already read: [`page_front_matter`]).
/// The body is not copied.
fn parse_page(
    file: &SourceFile,
    org: Option<String>,
    value: Option<serde_yaml::Value>,
) -> Result<LoadedPage, Diagnostic> {
    let text: &str = &file.text;
    let stem = file_stem(&file.path);
    let (mut meta, mut start, mut body_line) = match split_front_matter(text) {
        Some((fm, fm_line, fm_offset, body, body_line)) => {
            let meta: PageMeta =
                parse_yaml_shifted(fm, &file.spans, (fm_line - 1, fm_offset), value)
                    .map_err(|d| d.in_file(&file.path).with_source(file.text.clone()))?;
            (meta, text.len() - body.len(), body_line)
        }
        None => (PageMeta::default(), 0, 1),
    };
    if meta.title.trim().is_empty() {
        // Take the first `# ` heading as the title, else the file name.
        let body = &text[start..];
        let first = body.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        if let Some(h) = first.strip_prefix("# ") {
            meta.title = h.trim().to_string();
            // The body starts where the heading's line ends, so that its lines keep their
            // numbers: the line the heading was on is now the body's first (empty) line.
            let at = first.as_ptr() as usize - body.as_ptr() as usize;
            body_line += body[..at].matches('\n').count();
            start += at + first.len();
        } else {
            meta.title = stem.clone();
        }
    }
    Ok(LoadedPage {
        file: 0,
        org,
        stem,
        meta,
        body: Body::new(file.text.clone(), start),
        body_line,
    })
}

/// `---\n…\n---\n` at the start of a page: (front matter, its first line, its byte offset,
/// body, the body's first line).
pub fn split_front_matter(text: &str) -> Option<(&str, usize, usize, &str, usize)> {
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let start = text.len() - rest.len();
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let fm = &rest[..offset];
            let body = &rest[offset + line.len()..];
            let fm_lines = fm.matches('\n').count();
            return Some((fm, 2, start, body, fm_lines + 3));
        }
        offset += line.len();
    }
    None
}

/// The site's settings alone (for commands that need nothing else); defaults when
/// `zhize.yaml` is missing or has errors (`check` reports those).
pub fn load_config(root: &Path) -> Config {
    let path = root.join("zhize.yaml");
    let Ok((text, _)) = read_text(&path) else {
        return Config::default();
    };
    let spans = SpanMap::build(&text, |k| canonical_key(k).to_string());
    parse_yaml_text(&text, &spans).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every YAML file of the repository (the demonstration content, the test sites, the
    /// broken examples): where the one-pass reader takes a file, its value and positions are
    /// exactly those of the slow path (serde_yaml, keys rewritten, `SpanMap::build`); and it
    /// takes the demonstration content's files, all of them.
    #[test]
    fn one_pass_gives_what_serde_yaml_and_the_span_map_give() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let (mut taken, mut content) = (0, 0);
        for folder in ["content", "tests", "examples", "docs"] {
            for entry in walkdir::WalkDir::new(repo.join(folder))
                .into_iter()
                .flatten()
            {
                let path = entry.path();
                if !path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                    continue;
                }
                let Ok((text, _)) = read_text(path) else {
                    continue;
                };
                let spans = SpanMap::build(&text, |k| canonical_key(k).to_string());
                let slow = yaml_value(&text, &spans, (0, 0));
                let fast = zhize_core::yaml::parse(&text, &ContentKeys);
                if folder == "content" {
                    content += 1;
                    assert!(fast.is_some(), "{} takes the slow path", path.display());
                }
                let Some((value, fast_spans)) = fast else {
                    continue;
                };
                taken += 1;
                assert_eq!(
                    Ok(document(value)),
                    slow.map_err(|d| d.message),
                    "{}",
                    path.display()
                );
                assert_eq!(fast_spans, spans, "{}", path.display());
            }
        }
        assert!(
            content > 30 && taken > content,
            "{content} content files, {taken} taken"
        );
    }

    #[test]
    fn paths_after_removed_list_items_keep_the_files_own_indices() {
        let mut r = Removed::default();
        let k = |s: &str| Seg::Key(s.to_string());
        // posts.1 was taken out: the list's item 1 now is the file's item 2.
        r.add(&[k("posts")], 1);
        assert_eq!(
            r.original(&[k("posts"), Seg::Index(1), k("name")]),
            vec![k("posts"), Seg::Index(2), k("name")]
        );
        assert_eq!(
            r.original(&[k("posts"), Seg::Index(0)]),
            vec![k("posts"), Seg::Index(0)]
        );
        // Then the file's item 3 (now item 1 again, after item 2 went too).
        r.add(&[k("posts")], 2);
        assert_eq!(
            r.original(&[k("posts"), Seg::Index(1)]),
            vec![k("posts"), Seg::Index(3)]
        );
        // Other lists are untouched.
        assert_eq!(
            r.original(&[k("duties"), Seg::Index(1)]),
            vec![k("duties"), Seg::Index(1)]
        );
    }

    #[test]
    fn a_node_is_removed_by_its_path() {
        let mut v: serde_yaml::Value =
            serde_yaml::from_str("posts:\n  - {name: a, headcount: x}\n  - b\n").unwrap();
        let k = |s: &str| Seg::Key(s.to_string());
        assert!(remove(&mut v, &[k("posts"), Seg::Index(0), k("headcount")]));
        assert!(remove(&mut v, &[k("posts"), Seg::Index(1)]));
        assert!(!remove(&mut v, &[k("posts"), Seg::Index(5)]));
        assert!(!remove(&mut v, &[]));
        assert_eq!(serde_yaml::to_string(&v).unwrap(), "posts:\n- name: a\n");
    }

    /// A page parsed as the loader does (front matter in one pass where it can), after
    /// checking that serde_yaml reads its front matter the same.
    fn page(text: &str) -> LoadedPage {
        let (spans, value) = page_front_matter(text);
        let file = SourceFile {
            path: PathBuf::from("content/pages/p.md"),
            text: Arc::from(text),
            spans: Arc::new(spans),
        };
        let slow = parse_page(&file, None, None).expect("parses");
        let p = parse_page(&file, None, value).expect("parses");
        assert_eq!(format!("{:?}", p.meta), format!("{:?}", slow.meta));
        p
    }

    /// The body is a tail of the file: after front matter, or after a leading `# ` heading,
    /// which becomes the title; its first line keeps its number in the file.
    #[test]
    fn a_page_body_keeps_its_line_numbers() {
        let parts = |text: &str| {
            let p = page(text);
            (p.meta.title, p.body.to_string(), p.body_line)
        };
        let owned = |t: &str, b: &str, l| (t.to_string(), b.to_string(), l);
        assert_eq!(
            parts("---\ntitle: 甲\n---\n正文\n第二行\n"),
            owned("甲", "正文\n第二行\n", 4)
        );
        assert_eq!(parts("\n\n# 乙\n\n正文\n"), owned("乙", "\n\n正文\n", 3));
        assert_eq!(page("\n\n# 乙\n\n正文\n").body.lines().nth(2), Some("正文"));
        assert_eq!(
            parts("---\nid: x\n---\n# 丙\r\n正文\n"),
            owned("丙", "\r\n正文\n", 4)
        );
        assert_eq!(parts("正文"), owned("p", "正文", 1));
    }

    /// A page's front-matter error names its line in the file.
    #[test]
    fn a_front_matter_error_names_its_line() {
        let text = "---\ntitle: 甲\nweight: [\n---\n正文\n";
        let (spans, value) = page_front_matter(text);
        assert!(
            value.is_none(),
            "the one-pass reader declines a syntax error"
        );
        let file = SourceFile {
            path: PathBuf::from("content/pages/p.md"),
            text: Arc::from(text),
            spans: Arc::new(spans),
        };
        let d = parse_page(&file, None, value).expect_err("bad front matter");
        assert!(d.pos.is_some_and(|p| p.line >= 3), "{d:?}");
    }
}
