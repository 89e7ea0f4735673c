//! From loaded files to the site graph: slugs and URLs, the name index of each organisation,
//! references resolved to their targets, the mention linker, and backlinks.
//!
//! References are written by name (`财务审计科`), alias, plaque (挂…牌子) or id, and resolve
//! within their organisation. An unknown or ambiguous name is an error at its line and column,
//! with the closest known names as a hint.
//!
//! After an edit, [`resolve_after`] reuses what the edit cannot have changed: organisations
//! whose files are the same texts, automata whose names are the same, and the mentions found
//! in unchanged texts; what it gives is what a full resolve gives.

use crate::config::Config;
use crate::diagnostic::{did_you_mean, Diagnostic, Diagnostics};
use crate::load::{FileId, Loaded, LoadedOrg, Origin, Sources};
use crate::model::{DeptFile, DivisionItem, ExternalBody, OrgFile, PageMeta, Scalar};
use crate::slug::{is_safe_id, slugify, SlugScope};
use aho_corasick::{AhoCorasick, MatchKind};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Anything that has a page of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Target {
    Org(usize),
    Dept(usize, usize),
    Post(usize, usize, usize),
    Procedure(usize, usize, usize),
    Form(usize, usize, usize),
    External(usize, usize),
    Page(usize),
}

/// Names that must not be used as slugs at organisation level (they are folders of ours).
const RESERVED_ORG_SLUGS: &[&str] = &["external", "pages", "contacts", "static", "index", "404"];
const RESERVED_SITE_SLUGS: &[&str] = &[
    "pages", "static", "contacts", "index", "404", "sitemap", "search",
];

#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    pub root: PathBuf,
    /// Shared, so that a site resolved after an edit keeps the organisations it did not touch.
    pub orgs: Vec<Arc<Org>>,
    pub pages: Vec<Page>,
    pub sources: Sources,
    pub diagnostics: Diagnostics,
    /// Who names each target elsewhere, in document order.
    pub backlinks: HashMap<Target, Vec<Backlink>>,
    pub templates_dir: Option<PathBuf>,
    pub static_dir: Option<PathBuf>,
    linkers: Vec<Arc<Linker>>,
    site_linker: Arc<Linker>,
    /// What the next [`resolve_after`] can reuse.
    memo: Memo,
}

/// How much of a site [`resolve_after`] made afresh rather than took from the site before.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ResolveStats {
    /// Organisations resolved (the others were reused whole).
    pub orgs_resolved: usize,
    /// Mention automata built (organisations' and the site-wide one).
    pub linkers_built: usize,
    /// Organisations and Markdown pages whose texts were searched for mentions.
    pub orgs_searched: usize,
    pub pages_searched: usize,
}

/// Per organisation and per page, what resolving found that depends only on their own files
/// (and the linkers they are searched with), kept for the next resolve after an edit.
#[derive(Debug, Clone, Default)]
struct Memo {
    orgs: Vec<Arc<OrgMemo>>,
    /// Mentions found in each page's text, in document order.
    pages: Vec<PageLinks>,
    stats: ResolveStats,
}

/// The mentions found in one page's text, in document order.
type PageLinks = Arc<Vec<(Target, Backlink)>>;

#[derive(Debug, Clone, Default)]
struct OrgMemo {
    /// Problems found checking its texts, building it, indexing its names and resolving its
    /// references: one list per step, replayed in the order a full resolve reports them.
    diags: [Vec<Diagnostic>; 4],
    /// Backlinks from mentions in its own texts (which name only its own targets), each
    /// target's list in document order.
    found: HashMap<Target, Vec<Backlink>>,
    /// Backlinks from its explicit references that its texts do not already give.
    explicit: Vec<(Target, Backlink)>,
}

#[derive(Debug, Clone)]
pub struct Org {
    pub slug: String,
    pub file: FileId,
    pub raw: OrgFile,
    pub depts: Vec<Dept>,
    pub externals: Vec<External>,
    /// Every name, alias, plaque and id → what it names.
    pub names: HashMap<String, Vec<Target>>,
    /// The folder under content/ it was read from.
    pub folder_name: String,
}

#[derive(Debug, Clone)]
pub struct Dept {
    pub slug: String,
    pub file: FileId,
    pub raw: DeptFile,
    /// Anchor of each detailed duty on the department page.
    pub duty_anchors: Vec<String>,
    pub posts: Vec<PostR>,
    pub procedures: Vec<ProcedureR>,
    pub forms: Vec<FormR>,
    pub division: DivisionR,
    pub contact_origins: Vec<Origin>,
}

#[derive(Debug, Clone)]
pub struct PostR {
    pub slug: String,
    pub origin: Origin,
    /// Indices of the department's duties that this post covers.
    pub covers: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct ProcedureR {
    pub slug: String,
    pub origin: Origin,
    pub steps: Vec<StepR>,
    pub forms: Vec<Option<Target>>,
}

#[derive(Debug, Clone, Default)]
pub struct StepR {
    pub actor: Option<Target>,
    pub parallel: Vec<Option<Target>>,
    pub forms: Vec<Option<Target>>,
    /// Index of the step each branch goes to (`None`: the procedure ends).
    pub branches: Vec<Option<usize>>,
}

#[derive(Debug, Clone)]
pub struct FormR {
    pub slug: String,
    pub origin: Origin,
}

/// Resolved `with` names of each division item, section by section.
#[derive(Debug, Clone, Default)]
pub struct DivisionR {
    pub external: Vec<Vec<Option<Target>>>,
    pub internal: Vec<Vec<Option<Target>>>,
    pub general: Vec<Vec<Option<Target>>>,
}

#[derive(Debug, Clone)]
pub struct External {
    pub slug: String,
    pub raw: ExternalBody,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub slug: String,
    pub org: Option<usize>,
    pub file: FileId,
    pub meta: PageMeta,
    pub body: crate::load::Body,
    pub body_line: usize,
}

/// A place that names a target: the page it is on, the section and the words around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backlink {
    pub from: Target,
    pub section: String,
    pub context: String,
}

/// Finds mentions of known names in text: one Aho-Corasick automaton over every name,
/// leftmost-longest, so 财务审计科 wins over a shorter name inside it.
#[derive(Debug, Clone)]
pub struct Linker {
    automaton: Option<AhoCorasick>,
    targets: Vec<Target>,
}

/// One mention found in a text: byte range and what it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub target: Target,
}

impl Linker {
    fn new(names: &BTreeMap<String, Target>) -> Linker {
        let (pats, targets): (Vec<&String>, Vec<Target>) =
            names.iter().map(|(n, t)| (n, *t)).unzip();
        // A contiguous NFA, never a DFA: with Chinese text's many byte classes a DFA of an
        // organisation's few hundred names takes half a megabyte, and a site has one per
        // organisation.
        // No names (a site of pages alone): no automaton, so texts are not scanned at all.
        let automaton = (!pats.is_empty())
            .then(|| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
                    .build(pats)
                    .ok()
            })
            .flatten();
        Linker { automaton, targets }
    }

    /// Does this linker know no names (so that no text can mention anything)?
    pub fn is_empty(&self) -> bool {
        self.automaton.is_none()
    }

    /// Mentions in `text`, in order, never overlapping.
    pub fn find(&self, text: &str) -> Vec<Mention> {
        let Some(ac) = &self.automaton else {
            return Vec::new();
        };
        ac.find_iter(text)
            .map(|m| Mention {
                start: m.start(),
                end: m.end(),
                target: self.targets[m.pattern().as_usize()],
            })
            .collect()
    }
}

impl Site {
    /// Path of a target's page from the site root, with `/` separators.
    pub fn url(&self, t: Target) -> String {
        match t {
            Target::Org(o) => format!("{}/index.html", self.orgs[o].slug),
            Target::Dept(o, d) => format!(
                "{}/{}/index.html",
                self.orgs[o].slug, self.orgs[o].depts[d].slug
            ),
            Target::Post(o, d, p) => format!(
                "{}/{}/posts/{}.html",
                self.orgs[o].slug, self.orgs[o].depts[d].slug, self.orgs[o].depts[d].posts[p].slug
            ),
            Target::Procedure(o, d, p) => format!(
                "{}/{}/procedures/{}.html",
                self.orgs[o].slug,
                self.orgs[o].depts[d].slug,
                self.orgs[o].depts[d].procedures[p].slug
            ),
            Target::Form(o, d, f) => format!(
                "{}/{}/forms/{}.html",
                self.orgs[o].slug, self.orgs[o].depts[d].slug, self.orgs[o].depts[d].forms[f].slug
            ),
            Target::External(o, e) => {
                format!(
                    "{}/external/{}.html",
                    self.orgs[o].slug, self.orgs[o].externals[e].slug
                )
            }
            Target::Page(p) => match self.pages[p].org {
                Some(o) => format!("{}/pages/{}.html", self.orgs[o].slug, self.pages[p].slug),
                None => format!("pages/{}.html", self.pages[p].slug),
            },
        }
    }

    /// The display name of a target.
    pub fn name(&self, t: Target) -> &str {
        match t {
            Target::Org(o) => &self.orgs[o].raw.name,
            Target::Dept(o, d) => &self.orgs[o].depts[d].raw.name,
            Target::Post(o, d, p) => &self.orgs[o].depts[d].raw.posts[p].name,
            Target::Procedure(o, d, p) => &self.orgs[o].depts[d].raw.procedures[p].name,
            Target::Form(o, d, f) => &self.orgs[o].depts[d].raw.forms[f].name,
            Target::External(o, e) => &self.orgs[o].externals[e].raw.name,
            Target::Page(p) => &self.pages[p].meta.title,
        }
    }

    /// What kind of thing a target is, in Chinese, for labels.
    pub fn kind_label(t: Target) -> &'static str {
        match t {
            Target::Org(_) => "单位",
            Target::Dept(..) => "科室",
            Target::Post(..) => "岗位",
            Target::Procedure(..) => "工作流程",
            Target::Form(..) => "表单",
            Target::External(..) => "外部单位",
            Target::Page(_) => "页面",
        }
    }

    /// The mention linker for text shown in organisation `org` (or site-wide pages).
    pub fn linker(&self, org: Option<usize>) -> &Linker {
        match org {
            Some(o) => &self.linkers[o],
            None => &self.site_linker,
        }
    }

    /// The linker's shared handle, to tell whether two sites search with the same one.
    fn linker_arc(&self, org: Option<usize>) -> &Arc<Linker> {
        match org {
            Some(o) => &self.linkers[o],
            None => &self.site_linker,
        }
    }

    /// How much of this site was resolved afresh (everything, unless [`resolve_after`]).
    pub fn stats(&self) -> ResolveStats {
        self.memo.stats
    }

    /// The organisation a target belongs to.
    pub fn org_of(t: Target) -> Option<usize> {
        match t {
            Target::Org(o)
            | Target::Dept(o, _)
            | Target::Post(o, ..)
            | Target::Procedure(o, ..)
            | Target::Form(o, ..)
            | Target::External(o, _) => Some(o),
            Target::Page(_) => None,
        }
    }

    /// Every text of the site with the page it is shown on and its section name. Backlinks
    /// are computed from this; the search index will be too.
    pub fn texts(&self) -> Vec<TextRef<'_>> {
        let mut out = Vec::new();
        for (oi, org) in self.orgs.iter().enumerate() {
            org_texts(oi, org, &mut out);
        }
        for (pi, page) in self.pages.iter().enumerate() {
            out.push(page_text(pi, page));
        }
        out
    }
}

/// The text of Markdown page `pi`.
fn page_text(pi: usize, page: &Page) -> TextRef<'_> {
    TextRef::new(Target::Page(pi), "正文", &page.body)
}

/// Every text of organisation `oi`, in document order.
fn org_texts<'a>(oi: usize, org: &'a Org, out: &mut Vec<TextRef<'a>>) {
    {
        {
            let ot = Target::Org(oi);
            if let Some(s) = &org.raw.summary {
                out.push(TextRef::new(ot, "主要职责", s));
            }
            for d in &org.raw.duties {
                out.push(TextRef::new(ot, "职责", d.text()));
            }
            for item in &org.raw.division {
                out.push(TextRef::new(ot, "有关职责分工", item.text()));
            }
            for doc in &org.raw.documents {
                if let Some(b) = &doc.body {
                    out.push(TextRef::owned(ot, format!("文件 · {}", doc.title), b));
                }
            }
            for (di, dept) in org.depts.iter().enumerate() {
                let dt = Target::Dept(oi, di);
                let r = &dept.raw;
                if let Some(s) = &r.summary {
                    out.push(TextRef::new(dt, "主要职责", s));
                }
                for d in &r.duties {
                    out.push(TextRef::new(dt, "细化职责", d.text()));
                }
                for (section, items) in [
                    ("职责分工 · 外部协作", &r.division.external),
                    ("职责分工 · 内部分工", &r.division.internal),
                    ("职责分工", &r.division.general),
                ] {
                    for item in items {
                        out.push(TextRef::new(dt, section, item.text()));
                    }
                }
                for p in &r.risks.points {
                    out.push(TextRef::new(dt, "廉政风险点", p.text()));
                }
                for c in &r.risks.controls {
                    out.push(TextRef::new(dt, "防控措施", c));
                }
                for (pi, post) in r.posts.iter().enumerate() {
                    let pt = Target::Post(oi, di, pi);
                    for d in &post.duties {
                        out.push(TextRef::new(pt, "岗位职责", d));
                    }
                    if let Some(s) = &post.summary {
                        out.push(TextRef::new(pt, "岗位描述", s));
                    }
                }
                for (pi, proc_) in r.procedures.iter().enumerate() {
                    let pt = Target::Procedure(oi, di, pi);
                    if let Some(s) = &proc_.summary {
                        out.push(TextRef::new(pt, "流程说明", s));
                    }
                    for (si, step) in proc_.steps.iter().enumerate() {
                        let label = step
                            .label
                            .clone()
                            .unwrap_or_else(|| format!("第{}步", si + 1));
                        if let Some(t) = &step.text {
                            out.push(TextRef::owned(pt, format!("步骤 · {label}"), t));
                        }
                    }
                    for n in &proc_.notes {
                        out.push(TextRef::new(pt, "说明", n));
                    }
                }
                for (fi, form) in r.forms.iter().enumerate() {
                    for n in &form.notes {
                        out.push(TextRef::new(Target::Form(oi, di, fi), "填表说明", n));
                    }
                }
            }
        }
    }
}

/// A piece of text and where the site shows it.
#[derive(Debug, Clone)]
pub struct TextRef<'a> {
    pub on: Target,
    pub section: std::borrow::Cow<'a, str>,
    pub text: &'a str,
}

impl<'a> TextRef<'a> {
    fn new(on: Target, section: &'a str, text: &'a str) -> Self {
        TextRef {
            on,
            section: section.into(),
            text,
        }
    }
    fn owned(on: Target, section: String, text: &'a str) -> Self {
        TextRef {
            on,
            section: section.into(),
            text,
        }
    }
}

/// Resolve a loaded site. Problems go to the returned site's diagnostics.
pub fn resolve(loaded: Loaded) -> Site {
    resolve_after(loaded, None)
}

/// [`resolve`], taking from `prev` (the same site resolved before an edit) what the edit
/// cannot have changed: each organisation whose files are the very same texts (pointer-equal,
/// as the load cache keeps them) at the same place, with the same slug, is reused whole with
/// the problems and backlinks its texts gave; a mention automaton is reused while its names
/// are the same, and a page's mentions while its text and automaton are. A change to
/// zhize.yaml reuses nothing. The result is the site a full resolve gives.
pub fn resolve_after(loaded: Loaded, prev: Option<&Site>) -> Site {
    let Loaded {
        root,
        config,
        orgs: loaded_orgs,
        pages: loaded_pages,
        sources,
        mut diagnostics,
        templates_dir,
        static_dir,
        cache: _,
    } = loaded;
    let config_text = |s: &Sources| {
        s.files
            .iter()
            .find(|f| f.path == Path::new("zhize.yaml"))
            .map(|f| f.text.clone())
    };
    let prev = prev.filter(|p| {
        p.root == root
            && match (config_text(&p.sources), config_text(&sources)) {
                (Some(a), Some(b)) => Arc::ptr_eq(&a, &b),
                (None, None) => true,
                _ => false,
            }
    });
    let mut stats = ResolveStats::default();
    let mut site_scope = SlugScope::with_reserved(RESERVED_SITE_SLUGS);
    let mut loaded_orgs = loaded_orgs;
    loaded_orgs.sort_by(|a, b| {
        (a.org.order.unwrap_or(i64::MAX), &a.folder)
            .cmp(&(b.org.order.unwrap_or(i64::MAX), &b.folder))
    });
    // Slugs are claimed in order across the site; each organisation is then resolved on its
    // own (or reused), and the problems are replayed below in the order of a full resolve.
    let mut slug_diags = Vec::with_capacity(loaded_orgs.len());
    let mut orgs: Vec<Arc<Org>> = Vec::with_capacity(loaded_orgs.len());
    // Each organisation's memo, and whether it was made now (its backlinks are still to find).
    let mut memos: Vec<(Arc<OrgMemo>, bool)> = Vec::with_capacity(loaded_orgs.len());
    for (oi, lo) in loaded_orgs.into_iter().enumerate() {
        let mut d = Diagnostics::default();
        let slug = org_slug(&lo, &sources, &mut site_scope, &mut d);
        slug_diags.push(d.0);
        let reuse = prev.and_then(|p| {
            let (old, memo) = (p.orgs.get(oi)?, p.memo.orgs.get(oi)?);
            (old.slug == slug
                && old.folder_name == lo.folder
                && same_files(
                    &loaded_file_ids(&lo),
                    &sources,
                    &org_file_ids(old),
                    &p.sources,
                ))
            .then(|| (old.clone(), memo.clone()))
        });
        if let Some((org, memo)) = reuse {
            orgs.push(org);
            memos.push((memo, false));
            continue;
        }
        stats.orgs_resolved += 1;
        let mut memo = OrgMemo::default();
        let mut d = Diagnostics::default();
        check_texts(&lo, &sources, &mut d);
        memo.diags[0] = std::mem::take(&mut d.0);
        let mut org = build_org(lo, slug, &sources, &mut d);
        memo.diags[1] = std::mem::take(&mut d.0);
        index_names(&mut org, oi, &sources, &mut d);
        memo.diags[2] = std::mem::take(&mut d.0);
        resolve_org_refs(&mut org, &sources, &mut d);
        memo.diags[3] = d.0;
        orgs.push(Arc::new(org));
        memos.push((Arc::new(memo), true));
    }
    for (m, _) in &memos {
        diagnostics.extend(m.diags[0].iter().cloned());
    }
    for ((m, _), slug) in memos.iter().zip(slug_diags) {
        diagnostics.extend(slug);
        diagnostics.extend(m.diags[1].iter().cloned());
    }
    for step in [2, 3] {
        for (m, _) in &memos {
            diagnostics.extend(m.diags[step].iter().cloned());
        }
    }
    let mut pages = Vec::new();
    let mut page_scopes: HashMap<Option<usize>, SlugScope> = HashMap::new();
    for lp in loaded_pages {
        let org = lp
            .org
            .as_ref()
            .and_then(|f| orgs.iter().position(|o| o.raw_folder_matches(f, &sources)));
        if lp.org.is_some() && org.is_none() {
            diagnostics.push(
                sources.diag_at(
                    Diagnostic::error("this page is in a folder that is not an organisation").hint(
                        "put free pages in content/pages/, or add an _org.yaml to the folder",
                    ),
                    lp.file,
                    "",
                ),
            );
            continue;
        }
        let scope = page_scopes.entry(org).or_default();
        let slug = match &lp.meta.id {
            Some(id) if is_safe_id(id) => {
                if !scope.claim(id) {
                    diagnostics.push(
                        sources.diag_at(
                            Diagnostic::error(format!("page id `{id}` is used twice"))
                                .hint("give each page its own id"),
                            lp.file,
                            "id",
                        ),
                    );
                }
                id.clone()
            }
            Some(id) => {
                diagnostics.push(unsafe_id(&sources, lp.file, "id", id));
                scope.unique(&slugify(&lp.meta.title))
            }
            None => {
                let base = if lp.stem.is_ascii() {
                    slugify(&lp.stem)
                } else {
                    slugify(&lp.meta.title)
                };
                scope.unique(&base)
            }
        };
        pages.push(Page {
            slug,
            org,
            file: lp.file,
            meta: lp.meta,
            body: lp.body,
            body_line: lp.body_line,
        });
    }
    // ```flowchart blocks must parse: a syntax error is a build error at its line.
    for p in &pages {
        for (line, src) in crate::flowchart::mermaid::blocks(&p.body) {
            if let Err(e) = crate::flowchart::mermaid::parse(&src, "") {
                let f = sources.get(p.file);
                let at = p.body_line + line - 1 + e.line - 1;
                let offset = crate::source::offset_of(&f.text, at, 1);
                diagnostics.push(
                    Diagnostic::error(format!("flowchart: {}", e.message))
                        .in_file(&f.path)
                        .at(crate::diagnostic::Pos { line: at, col: 1, offset, len: 1 })
                        .with_source(f.text.clone())
                        .hint("the ```flowchart block takes the Mermaid subset: flowchart TD, A[text] --> B{question}, -->|label|, subgraph … end"),
                );
            }
        }
    }
    pages.sort_by(|a, b| {
        (a.org, a.meta.order.unwrap_or(i64::MAX), &a.meta.title).cmp(&(
            b.org,
            b.meta.order.unwrap_or(i64::MAX),
            &b.meta.title,
        ))
    });

    // The automata: an organisation's depends on its names only, the site-wide one on every
    // organisation's names and name.
    let same_names: Vec<bool> = (0..orgs.len())
        .map(|oi| {
            prev.and_then(|p| p.orgs.get(oi))
                .is_some_and(|old| Arc::ptr_eq(old, &orgs[oi]) || (old.names == orgs[oi].names))
        })
        .collect();
    let keep_site_linker = prev.is_some_and(|p| {
        p.orgs.len() == orgs.len()
            && same_names.iter().all(|s| *s)
            && p.orgs
                .iter()
                .zip(&orgs)
                .all(|(a, b)| a.raw.name == b.raw.name)
    });
    let build = |f: &dyn Fn() -> Linker| -> Arc<Linker> {
        if config.auto_link {
            Arc::new(f())
        } else {
            Arc::new(Linker::new(&BTreeMap::new()))
        }
    };
    let (linkers, site_linker): (Vec<Arc<Linker>>, Arc<Linker>) = {
        // Building the automata is much of resolving a large site: side by side.
        use rayon::prelude::*;
        rayon::join(
            || {
                (0..orgs.len())
                    .into_par_iter()
                    .map(|oi| match prev {
                        Some(p) if same_names[oi] => p.linkers[oi].clone(),
                        _ => build(&|| org_linker(&orgs[oi])),
                    })
                    .collect()
            },
            || match prev {
                Some(p) if keep_site_linker => p.site_linker.clone(),
                _ => build(&|| site_wide_linker(&orgs)),
            },
        )
    };
    stats.linkers_built =
        same_names.iter().filter(|s| !**s).count() + usize::from(!keep_site_linker);
    let mut site = Site {
        config,
        root,
        orgs,
        pages,
        sources,
        diagnostics,
        backlinks: HashMap::new(),
        templates_dir,
        static_dir,
        linkers,
        site_linker,
        memo: Memo::default(),
    };
    // A page's mentions stay while its text, place and automaton do.
    let page_memos: Vec<Option<PageLinks>> = (0..site.pages.len())
        .map(|pi| {
            let p = prev?;
            let (old, new) = (p.pages.get(pi)?, &site.pages[pi]);
            let same = old.org == new.org
                && Arc::ptr_eq(
                    &p.sources.get(old.file).text,
                    &site.sources.get(new.file).text,
                )
                && Arc::ptr_eq(p.linker_arc(old.org), site.linker_arc(new.org));
            same.then(|| p.memo.pages.get(pi).cloned()).flatten()
        })
        .collect();
    let (memos, pages) = compute_backlinks(&site, memos, page_memos, &mut stats);
    site.backlinks = assemble_backlinks(&memos, &pages);
    site.memo = Memo {
        orgs: memos,
        pages,
        stats,
    };
    site.diagnostics.sort();
    site
}

/// The files organisation `lo` is read from, in order: its _org.yaml, then each department's
/// file and the files of its posts, procedures, forms and contacts.
fn loaded_file_ids(lo: &LoadedOrg) -> Vec<FileId> {
    let mut ids = vec![lo.file];
    for d in &lo.depts {
        ids.push(d.file);
        for o in [
            &d.post_origins,
            &d.procedure_origins,
            &d.form_origins,
            &d.contact_origins,
        ] {
            ids.extend(o.iter().map(|o| o.file));
        }
    }
    ids
}

/// [`loaded_file_ids`] of a resolved organisation: the files it is written in, in order.
pub fn org_file_ids(org: &Org) -> Vec<FileId> {
    let mut ids = vec![org.file];
    for d in &org.depts {
        ids.push(d.file);
        ids.extend(d.posts.iter().map(|p| p.origin.file));
        ids.extend(d.procedures.iter().map(|p| p.origin.file));
        ids.extend(d.forms.iter().map(|f| f.origin.file));
        ids.extend(d.contact_origins.iter().map(|o| o.file));
    }
    ids
}

/// The same files, at the same ids, with the very same texts.
fn same_files(new: &[FileId], sources: &Sources, old: &[FileId], old_sources: &Sources) -> bool {
    new == old
        && new.iter().all(|&id| {
            let (a, b) = (sources.files.get(id), old_sources.files.get(id));
            a.zip(b)
                .is_some_and(|(a, b)| Arc::ptr_eq(&a.text, &b.text) && a.path == b.path)
        })
}

impl Org {
    fn raw_folder_matches(&self, folder: &str, _sources: &Sources) -> bool {
        // Folder names are compared as written on disk.
        self.folder_name == folder
    }
}

/// Every duty, division item and risk point needs a text: a list written where a text belongs
/// would otherwise load as an empty entry.
fn check_texts(lo: &LoadedOrg, sources: &Sources, diags: &mut Diagnostics) {
    let empty = |file: FileId, path: String, what: &str| {
        sources.diag_at(
            Diagnostic::error(format!("this {what} has no text"))
                .hint("write the text itself (`- 负责…`), or a map with `text:`; a `[…]` list is not a text"),
            file,
            &path,
        )
    };
    for (i, d) in lo.org.duties.iter().enumerate() {
        if d.text().trim().is_empty() {
            diags.push(empty(lo.file, format!("duties.{i}"), "duty"));
        }
    }
    for (i, d) in lo.org.division.iter().enumerate() {
        if d.text().trim().is_empty() {
            diags.push(empty(lo.file, format!("division.{i}"), "division item"));
        }
    }
    for ld in &lo.depts {
        let r = &ld.dept;
        for (i, d) in r.duties.iter().enumerate() {
            if d.text().trim().is_empty() {
                diags.push(empty(ld.file, format!("duties.{i}"), "duty"));
            }
        }
        for (key, items) in [
            ("external", &r.division.external),
            ("internal", &r.division.internal),
            ("general", &r.division.general),
        ] {
            for (i, d) in items.iter().enumerate() {
                if d.text().trim().is_empty() {
                    diags.push(empty(
                        ld.file,
                        format!("division.{key}.{i}"),
                        "division item",
                    ));
                }
            }
        }
        for (i, p) in r.risks.points.iter().enumerate() {
            if p.text().trim().is_empty() {
                diags.push(empty(ld.file, format!("risks.points.{i}"), "risk point"));
            }
        }
    }
}

fn unsafe_id(sources: &Sources, file: FileId, path: &str, id: &str) -> Diagnostic {
    sources.diag_at(
        Diagnostic::error(format!("id `{}` cannot be used in a URL", id.escape_debug()))
            .hint("ids may hold ASCII letters, digits, `-`, `_` and `.` (not first), at most 100 characters"),
        file,
        path,
    )
}

fn org_slug(
    lo: &LoadedOrg,
    sources: &Sources,
    scope: &mut SlugScope,
    diags: &mut Diagnostics,
) -> String {
    let base = match &lo.org.id {
        Some(id) if is_safe_id(id) => id.clone(),
        Some(id) => {
            diags.push(unsafe_id(sources, lo.file, "id", id));
            slugify(&lo.folder)
        }
        None if is_safe_id(&lo.folder) => lo.folder.to_lowercase(),
        None => slugify(&lo.folder),
    };
    if !scope.claim(&base) {
        diags.push(
            sources.diag_at(
                Diagnostic::error(format!("organisation id `{base}` is taken"))
                    .hint("choose another `id` in _org.yaml (or rename the folder)"),
                lo.file,
                "id",
            ),
        );
        return scope.unique(&base);
    }
    base
}

fn build_org(lo: LoadedOrg, slug: String, sources: &Sources, diags: &mut Diagnostics) -> Org {
    let mut dept_scope = SlugScope::with_reserved(RESERVED_ORG_SLUGS);
    let mut depts = Vec::new();
    for ld in lo.depts {
        let r = &ld.dept;
        let dslug = match &r.id {
            Some(id) if is_safe_id(id) => {
                if !dept_scope.claim(id) {
                    diags.push(
                        sources.diag_at(
                            Diagnostic::error(if RESERVED_ORG_SLUGS.contains(&id.as_str()) {
                                format!("department id `{id}` is reserved: zhize uses it for its own pages")
                            } else {
                                format!("department id `{id}` is used twice in this organisation")
                            })
                            .hint("give each department its own id"),
                            ld.file,
                            "id",
                        ),
                    );
                }
                id.clone()
            }
            Some(id) => {
                diags.push(unsafe_id(sources, ld.file, "id", id));
                dept_scope.unique(&slugify(&r.name))
            }
            None if is_safe_id(&ld.stem) => dept_scope.unique(&ld.stem.to_lowercase()),
            None => dept_scope.unique(&slugify(&r.name)),
        };
        let duty_anchors = duty_anchors(r);
        let mut scoped = |items: Vec<(Option<&String>, &String, &Origin)>, what: &str| {
            let mut scope = SlugScope::default();
            items
                .into_iter()
                .map(|(id, name, origin)| match id {
                    Some(id) if is_safe_id(id) => {
                        if !scope.claim(id) {
                            diags.push(sources.diag_at(
                                Diagnostic::error(format!(
                                    "{what} id `{id}` is used twice in this department"
                                )),
                                origin.file,
                                &format!("{}.id", origin.path),
                            ));
                            return scope.unique(id);
                        }
                        id.clone()
                    }
                    Some(id) => {
                        diags.push(unsafe_id(
                            sources,
                            origin.file,
                            &format!("{}.id", origin.path),
                            id,
                        ));
                        scope.unique(&slugify(name))
                    }
                    None => scope.unique(&slugify(name)),
                })
                .collect::<Vec<_>>()
        };
        let post_slugs = scoped(
            r.posts
                .iter()
                .zip(&ld.post_origins)
                .map(|(p, o)| (p.id.as_ref(), &p.name, o))
                .collect(),
            "post",
        );
        let proc_slugs = scoped(
            r.procedures
                .iter()
                .zip(&ld.procedure_origins)
                .map(|(p, o)| (p.id.as_ref(), &p.name, o))
                .collect(),
            "procedure",
        );
        let form_slugs = scoped(
            r.forms
                .iter()
                .zip(&ld.form_origins)
                .map(|(p, o)| (p.id.as_ref(), &p.name, o))
                .collect(),
            "form",
        );
        depts.push(Dept {
            slug: dslug,
            file: ld.file,
            duty_anchors,
            posts: post_slugs
                .into_iter()
                .zip(ld.post_origins)
                .map(|(slug, origin)| PostR {
                    slug,
                    origin,
                    covers: Vec::new(),
                })
                .collect(),
            procedures: proc_slugs
                .into_iter()
                .zip(ld.procedure_origins)
                .map(|(slug, origin)| ProcedureR {
                    slug,
                    origin,
                    steps: Vec::new(),
                    forms: Vec::new(),
                })
                .collect(),
            forms: form_slugs
                .into_iter()
                .zip(ld.form_origins)
                .map(|(slug, origin)| FormR { slug, origin })
                .collect(),
            division: DivisionR::default(),
            contact_origins: ld.contact_origins,
            raw: Arc::unwrap_or_clone(ld.dept),
        });
    }
    let mut ext_scope = SlugScope::default();
    let externals = lo
        .org
        .external
        .iter()
        .enumerate()
        .map(|(ei, e)| External {
            slug: match &e.id {
                Some(id) if is_safe_id(id) => ext_scope.unique(id),
                Some(id) => {
                    diags.push(unsafe_id(
                        sources,
                        lo.file,
                        &format!("external.{ei}.id"),
                        id,
                    ));
                    ext_scope.unique(&slugify(&e.name))
                }
                None => ext_scope.unique(&slugify(&e.name)),
            },
            raw: e.clone(),
        })
        .collect();
    Org {
        slug,
        file: lo.file,
        raw: Arc::unwrap_or_clone(lo.org),
        depts,
        externals,
        names: HashMap::new(),
        folder_name: lo.folder,
    }
}

/// Stable anchors for the detailed duties: the duty's id, else `duty-<printed number>`,
/// else `duty-<position>`.
fn duty_anchors(r: &DeptFile) -> Vec<String> {
    let mut scope = SlugScope::default();
    r.duties
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let base = match (d.id(), d.no()) {
                (Some(id), _) if is_safe_id(id) => id.to_string(),
                (_, Some(no)) if !no.is_empty() => format!("duty-{}", slugify(no)),
                _ => format!("duty-{}", i + 1),
            };
            scope.unique(&base)
        })
        .collect()
}

/// A former id must belong to one department only and must not be another department's
/// current id: two departments that list each other's ids (a cycle of renames) would make
/// every reference to either id ambiguous. Each clash names both places.
fn check_former_ids(org: &Org, sources: &Sources, diags: &mut Diagnostics) {
    let place = |file: FileId, path: &str| {
        let f = sources.get(file);
        match f.spans.get(path) {
            Some(p) => format!("{}:{}:{}", f.path.display(), p.line, p.col),
            None => f.path.display().to_string(),
        }
    };
    let mut claimed: HashMap<&str, (usize, String)> = HashMap::new();
    for (di, d) in org.depts.iter().enumerate() {
        for (i, former) in d.raw.former_ids.iter().enumerate() {
            let former = former.trim();
            let path = format!("former_ids.{i}");
            if former.is_empty() || former == d.slug {
                continue;
            }
            let current = org.depts.iter().position(|o| o.slug == former);
            let clash = match (current, claimed.get(former)) {
                (Some(ci), _) => Some(format!(
                    "is the current id of {} ({})",
                    org.depts[ci].raw.name,
                    place(org.depts[ci].file, "id")
                )),
                (None, Some((ci, cpath))) if *ci != di => Some(format!(
                    "is also a former id of {} ({})",
                    org.depts[*ci].raw.name,
                    place(org.depts[*ci].file, cpath)
                )),
                _ => None,
            };
            match clash {
                Some(why) => diags.push(sources.diag_at(
                    Diagnostic::error(format!("former id `{former}` of {} {why}", d.raw.name))
                        .hint("a former id keeps old references working for one department only; remove it here (departments that list each other's ids form a cycle)"),
                    d.file,
                    &path,
                )),
                None => {
                    claimed.entry(former).or_insert((di, path));
                }
            }
        }
    }
}

/// Fill the organisation's name index and report names defined twice.
fn index_names(org: &mut Org, oi: usize, sources: &Sources, diags: &mut Diagnostics) {
    check_former_ids(org, sources, diags);
    // name → (target, file, path) of its first definition, to report duplicates with both places.
    let mut first: HashMap<String, (Target, FileId, String)> = HashMap::new();
    let mut names: HashMap<String, Vec<Target>> = HashMap::new();
    let mut add = |name: &str, t: Target, file: FileId, path: String, unique: bool| {
        let name = name.trim();
        if name.is_empty() {
            return;
        }
        let entry = names.entry(name.to_string()).or_default();
        if entry.contains(&t) {
            return;
        }
        if unique {
            if let Some((other, ofile, opath)) = first.get(name) {
                if matches!(other, Target::Dept(..) | Target::External(..)) {
                    let there = sources.get(*ofile);
                    let pos = there.spans.get(opath);
                    let place = match pos {
                        Some(p) => format!("{}:{}:{}", there.path.display(), p.line, p.col),
                        None => there.path.display().to_string(),
                    };
                    diags.push(sources.diag_at(
                        Diagnostic::error(format!("the name “{name}” is defined twice: here and at {place}"))
                            .hint("each department and outside body needs its own name; rename one, or drop the alias"),
                        file,
                        &path,
                    ));
                }
            } else {
                first.insert(name.to_string(), (t, file, path));
            }
        }
        entry.push(t);
    };
    for (di, d) in org.depts.iter().enumerate() {
        let t = Target::Dept(oi, di);
        add(&d.raw.name, t, d.file, "name".into(), true);
        for (key, list) in [("aliases", &d.raw.aliases), ("plaques", &d.raw.plaques)] {
            for (i, a) in list.iter().enumerate() {
                add(a, t, d.file, format!("{key}.{i}"), true);
            }
        }
        add(&d.slug, t, d.file, "id".into(), false);
        for f in &d.raw.former_ids {
            add(f, t, d.file, "former_ids".into(), false);
        }
    }
    for (ei, e) in org.externals.iter().enumerate() {
        let t = Target::External(oi, ei);
        let path = format!("external.{ei}");
        add(&e.raw.name, t, org.file, format!("{path}.name"), true);
        add(&e.slug, t, org.file, format!("{path}.id"), false);
        for (i, a) in e.raw.aliases.iter().enumerate() {
            add(a, t, org.file, format!("{path}.aliases.{i}"), true);
        }
    }
    let prefixes = org_prefixes(&org.raw);
    for (di, d) in org.depts.iter().enumerate() {
        for (fi, f) in d.raw.forms.iter().enumerate() {
            let t = Target::Form(oi, di, fi);
            let o = &d.forms[fi].origin;
            add(&f.name, t, o.file, format!("{}.name", o.path), false);
            // 《租乘公务用车审批表》 names the form 威海市生态环境局租乘公务用车审批表.
            for p in &prefixes {
                if let Some(short) = f.name.strip_prefix(p.as_str()) {
                    if short.chars().count() >= 2 {
                        add(short, t, o.file, format!("{}.name", o.path), false);
                    }
                }
            }
            for a in &f.aliases {
                add(a, t, o.file, format!("{}.aliases", o.path), false);
            }
        }
        for (pi, p) in d.raw.procedures.iter().enumerate() {
            let t = Target::Procedure(oi, di, pi);
            let o = &d.procedures[pi].origin;
            add(&p.name, t, o.file, format!("{}.name", o.path), false);
            for a in &p.aliases {
                add(a, t, o.file, format!("{}.aliases", o.path), false);
            }
        }
        for (pi, p) in d.raw.posts.iter().enumerate() {
            let t = Target::Post(oi, di, pi);
            let o = &d.posts[pi].origin;
            add(&p.name, t, o.file, format!("{}.name", o.path), false);
            for a in &p.aliases {
                add(a, t, o.file, format!("{}.aliases", o.path), false);
            }
        }
    }
    org.names = names;
}

/// The organisation's names, longest first, used to strip prefixes such as 威海市生态环境局.
fn org_prefixes(org: &OrgFile) -> Vec<String> {
    let mut p: Vec<String> = std::iter::once(&org.name)
        .chain(&org.aliases)
        .chain(&org.plaques)
        .filter(|s| !s.trim().is_empty())
        .cloned()
        .collect();
    p.sort_by_key(|s| std::cmp::Reverse(s.len()));
    p
}

/// What kinds of thing a reference may name.
#[derive(Clone, Copy)]
enum Want {
    /// A department or an outside body (division items).
    Unit,
    /// A form.
    Form,
    /// A post of the given department, a department, or an outside body (step actors).
    Actor(usize),
}

impl Org {
    /// Look up a name. `Ok(None)` is "not found", `Err` lists an ambiguity.
    fn lookup(&self, name: &str, want: Want) -> Result<Option<Target>, Vec<Target>> {
        let name = name
            .trim()
            .trim_start_matches('《')
            .trim_end_matches('》')
            .trim();
        let try_name = |n: &str| -> Result<Option<Target>, Vec<Target>> {
            let Some(all) = self.names.get(n) else {
                return Ok(None);
            };
            let fits = |t: &&Target| match (want, t) {
                (Want::Unit, Target::Dept(..) | Target::External(..)) => true,
                (Want::Form, Target::Form(..)) => true,
                (Want::Actor(_), Target::Dept(..) | Target::External(..)) => true,
                (Want::Actor(d), Target::Post(_, pd, _)) => *pd == d,
                _ => false,
            };
            let found: Vec<Target> = all.iter().filter(fits).copied().collect();
            // A post of the step's own department wins over a department of the same name.
            if let Some(p) = found.iter().find(|t| matches!(t, Target::Post(..))) {
                return Ok(Some(*p));
            }
            match found.len() {
                0 => Ok(None),
                1 => Ok(Some(found[0])),
                _ if matches!(want, Want::Form) => Ok(Some(found[0])),
                _ => Err(found),
            }
        };
        if let Some(t) = try_name(name)? {
            return Ok(Some(t));
        }
        for p in org_prefixes(&self.raw) {
            if let Some(short) = name.strip_prefix(p.as_str()) {
                if let Some(t) = try_name(short.trim())? {
                    return Ok(Some(t));
                }
            }
        }
        Ok(None)
    }

    /// The department or outside body a name refers to, if exactly one.
    pub fn find_unit(&self, name: &str) -> Option<Target> {
        self.lookup(name, Want::Unit).ok().flatten()
    }

    fn unit_names(&self) -> Vec<&str> {
        self.depts
            .iter()
            .flat_map(|d| {
                std::iter::once(&d.raw.name)
                    .chain(&d.raw.aliases)
                    .chain(&d.raw.plaques)
            })
            .chain(
                self.externals
                    .iter()
                    .flat_map(|e| std::iter::once(&e.raw.name).chain(&e.raw.aliases)),
            )
            .map(String::as_str)
            .collect()
    }
}

fn ambiguous(org: &Org, name: &str, found: &[Target]) -> Diagnostic {
    let list: Vec<String> = found
        .iter()
        .map(|t| match t {
            Target::Dept(_, d) => format!("科室 {}", org.depts[*d].raw.name),
            Target::External(_, e) => format!("外部单位 {}", org.externals[*e].raw.name),
            other => format!("{other:?}"),
        })
        .collect();
    Diagnostic::error(format!(
        "“{name}” is ambiguous: it names {}",
        list.join(" and ")
    ))
    .hint("write the id of the one you mean instead of the name")
}

/// Resolve every reference inside organisation `oi`.
fn resolve_org_refs(org_mut: &mut Org, sources: &Sources, diags: &mut Diagnostics) {
    let org = &*org_mut;
    let unit_names = org.unit_names();
    let unknown_unit = |name: &str, file: FileId, path: &str| {
        sources.diag_at(
            Diagnostic::error(format!("unknown department or outside body “{name}”")).hint(did_you_mean(
                name,
                unit_names.iter().copied(),
                "add it as a department (content/<org>/<dept>.yaml) or list it under `external:` in _org.yaml",
            )),
            file,
            path,
        )
    };
    let resolve_items =
        |items: &[DivisionItem], file: FileId, key: &str, diags: &mut Diagnostics| {
            items
                .iter()
                .enumerate()
                .map(|(ii, item)| {
                    item.with()
                        .iter()
                        .enumerate()
                        .map(|(wi, name)| {
                            let path = format!("{key}.{ii}.{}", item.with_key(wi));
                            match org.lookup(name, Want::Unit) {
                                Ok(Some(t)) => Some(t),
                                Ok(None) => {
                                    diags.push(unknown_unit(name, file, &path));
                                    None
                                }
                                Err(found) => {
                                    diags.push(sources.diag_at(
                                        ambiguous(org, name, &found),
                                        file,
                                        &path,
                                    ));
                                    None
                                }
                            }
                        })
                        .collect::<Vec<_>>()
                })
                .collect::<Vec<_>>()
        };
    // Organisation-level division items must name known bodies too.
    resolve_items(&org.raw.division, org.file, "division", diags);

    let mut resolved_depts = Vec::new();
    for (di, dept) in org.depts.iter().enumerate() {
        let r = &dept.raw;
        let division = DivisionR {
            external: resolve_items(&r.division.external, dept.file, "division.external", diags),
            internal: resolve_items(&r.division.internal, dept.file, "division.internal", diags),
            general: resolve_items(&r.division.general, dept.file, "division.general", diags),
        };
        let covers: Vec<Vec<usize>> = r
            .posts
            .iter()
            .zip(&dept.posts)
            .map(|(p, pr)| {
                resolve_covers(r, &dept.duty_anchors, &p.covers, &pr.origin, sources, diags)
            })
            .collect();
        let mut procs = Vec::new();
        for (pi, p) in r.procedures.iter().enumerate() {
            let origin = &dept.procedures[pi].origin;
            let form_ref = |name: &str, path: String, diags: &mut Diagnostics| match org
                .lookup(name, Want::Form)
            {
                Ok(Some(t)) => Some(t),
                _ => {
                    let known: Vec<&str> = org
                        .depts
                        .iter()
                        .flat_map(|d| d.raw.forms.iter().map(|f| f.name.as_str()))
                        .collect();
                    diags.push(sources.diag_at(
                        Diagnostic::warning(format!("form “{name}” has no template in this organisation"))
                            .hint(did_you_mean(name, known, "add it under `forms:` of the department that keeps it, or leave it as plain text")),
                        origin.file,
                        &path,
                    ));
                    None
                }
            };
            let forms = p
                .forms
                .iter()
                .enumerate()
                .map(|(i, f)| form_ref(f, format!("{}.forms.{i}", origin.path), diags))
                .collect();
            let labels: Vec<Option<&str>> = p.steps.iter().map(|s| s.label.as_deref()).collect();
            let mut steps = Vec::new();
            for (si, s) in p.steps.iter().enumerate() {
                let spath = format!("{}.steps.{si}", origin.path);
                let actor_ref = |a: &str, path: String, diags: &mut Diagnostics| match org
                    .lookup(a, Want::Actor(di))
                {
                    Ok(t) => t,
                    Err(found) => {
                        diags.push(sources.diag_at(ambiguous(org, a, &found), origin.file, &path));
                        None
                    }
                };
                let actor = s
                    .actor
                    .as_deref()
                    .and_then(|a| actor_ref(a, format!("{spath}.actor"), diags));
                let parallel = s
                    .parallel
                    .iter()
                    .enumerate()
                    .map(|(i, a)| actor_ref(a, format!("{spath}.parallel.{i}"), diags))
                    .collect();
                let forms = s
                    .forms
                    .iter()
                    .enumerate()
                    .map(|(i, f)| form_ref(f, format!("{spath}.forms.{i}"), diags))
                    .collect();
                let branches = s
                    .branches
                    .iter()
                    .enumerate()
                    .map(|(bi, b)| {
                        let goto = b.goto.as_ref()?;
                        let found = match goto {
                            Scalar::Int(n) if *n >= 1 && (*n as usize) <= p.steps.len() => Some(*n as usize - 1),
                            Scalar::Text(t) => labels.iter().position(|l| *l == Some(t.trim())),
                            _ => None,
                        };
                        if found.is_none() {
                            let known: Vec<&str> = labels.iter().flatten().copied().collect();
                            diags.push(sources.diag_at(
                                Diagnostic::error(format!("branch goes to “{goto}”, which is no step of this procedure"))
                                    .hint(did_you_mean(&goto.to_string(), known, "name a step by its `label` or its number (1 is the first step)")),
                                origin.file,
                                &format!("{spath}.branches.{bi}.goto"),
                            ));
                        }
                        found
                    })
                    .collect();
                steps.push(StepR {
                    actor,
                    parallel,
                    forms,
                    branches,
                });
            }
            procs.push((steps, forms));
        }
        resolved_depts.push((division, covers, procs));
    }
    let org = org_mut;
    for (dept, (division, covers, procs)) in org.depts.iter_mut().zip(resolved_depts) {
        dept.division = division;
        for (p, c) in dept.posts.iter_mut().zip(covers) {
            p.covers = c;
        }
        for (p, (steps, forms)) in dept.procedures.iter_mut().zip(procs) {
            p.steps = steps;
            p.forms = forms;
        }
    }
}

/// Which duties a post covers: numbers (1-based), ranges (`3-7`), duty ids, or 全部/all.
fn resolve_covers(
    r: &DeptFile,
    anchors: &[String],
    covers: &[Scalar],
    origin: &Origin,
    sources: &Sources,
    diags: &mut Diagnostics,
) -> Vec<usize> {
    let n = r.duties.len();
    let mut out = Vec::new();
    for (i, c) in covers.iter().enumerate() {
        let path = format!("{}.covers.{i}", origin.path);
        let by_number = |k: i64| -> Option<usize> {
            // A printed number (`no`) wins over the position.
            let printed = r.duties.iter().position(|d| d.no() == Some(&k.to_string()));
            printed.or_else(|| (k >= 1 && (k as usize) <= n).then(|| k as usize - 1))
        };
        let found: Option<Vec<usize>> = match c {
            Scalar::Int(k) => by_number(*k).map(|x| vec![x]),
            Scalar::Text(t) => {
                let t = t.trim();
                if matches!(t, "all" | "全部" | "全面" | "全面工作") {
                    Some((0..n).collect())
                } else if let Some((a, b)) = t.split_once(['-', '–', '—', '~', '至']) {
                    match (a.trim().parse::<i64>(), b.trim().parse::<i64>()) {
                        (Ok(a), Ok(b)) if a <= b => (a..=b).map(by_number).collect(),
                        _ => None,
                    }
                } else if let Ok(k) = t.parse::<i64>() {
                    by_number(k).map(|x| vec![x])
                } else {
                    r.duties
                        .iter()
                        .position(|d| d.id() == Some(t))
                        .or_else(|| anchors.iter().position(|a| a == t))
                        .map(|x| vec![x])
                }
            }
        };
        match found {
            Some(v) => out.extend(v),
            None => diags.push(sources.diag_at(
                Diagnostic::error(format!("post covers “{c}”, which is no duty of this department"))
                    .hint(format!(
                        "the department has {n} detailed duties: write their numbers (1–{n}), a range such as 3-7, a duty id, or 全部"
                    )),
                origin.file,
                &path,
            )),
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Names that the mention linker of organisation `oi` recognises: departments, outside
/// bodies and forms, plus posts whose name is unique in the organisation.
fn org_linker(org: &Org) -> Linker {
    let mut names = BTreeMap::new();
    for (name, targets) in &org.names {
        if name.chars().count() < 2 || name.is_ascii() {
            continue; // ids and one-character names would link noise
        }
        let linkable: Vec<&Target> = targets
            .iter()
            .filter(|t| {
                matches!(
                    t,
                    Target::Dept(..) | Target::External(..) | Target::Form(..) | Target::Post(..)
                )
            })
            .collect();
        if linkable.len() == 1 {
            names.insert(name.clone(), *linkable[0]);
        } else if let Some(t) = linkable.iter().find(|t| matches!(t, Target::Dept(..))) {
            names.insert(name.clone(), **t);
        }
    }
    Linker::new(&names)
}

/// Names unique across all organisations, for pages outside any organisation.
fn site_wide_linker(orgs: &[Arc<Org>]) -> Linker {
    let mut all: BTreeMap<String, Vec<Target>> = BTreeMap::new();
    for (oi, org) in orgs.iter().enumerate() {
        for (name, targets) in &org.names {
            if name.chars().count() < 2 || name.is_ascii() {
                continue;
            }
            for t in targets {
                if matches!(
                    t,
                    Target::Dept(..) | Target::External(..) | Target::Form(..)
                ) {
                    all.entry(name.clone()).or_default().push(*t);
                }
            }
        }
        all.entry(org.raw.name.clone())
            .or_default()
            .push(Target::Org(oi));
    }
    let names = all
        .into_iter()
        .filter(|(_, t)| t.len() == 1)
        .map(|(n, t)| (n, t[0]))
        .collect();
    Linker::new(&names)
}

/// Does showing text on page `on` mentioning `target` count as "elsewhere"?
fn is_elsewhere(on: Target, target: Target) -> bool {
    let owner = |t: Target| match t {
        Target::Dept(o, d)
        | Target::Post(o, d, _)
        | Target::Procedure(o, d, _)
        | Target::Form(o, d, _) => Some((o, d)),
        _ => None,
    };
    on != target && !(owner(on).is_some() && owner(on) == owner(target))
}

/// The prose of a Markdown text: its words outside code and links, where mentions count.
pub fn prose_of(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut out = String::with_capacity(markdown.len());
    let mut skip = 0usize;
    for ev in Parser::new(markdown) {
        match ev {
            Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::CodeBlock(_)) => skip += 1,
            Event::End(TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock) => {
                skip = skip.saturating_sub(1)
            }
            Event::Text(t) if skip == 0 => out.push_str(&t),
            Event::Code(_) | Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => out.push('\n'),
            _ => {}
        }
    }
    out.trim_end().to_string()
}

/// The words around a mention, for showing a backlink in context.
pub fn context_of(text: &str, start: usize, end: usize) -> String {
    const AROUND: usize = 40;
    let before: String = {
        let b: Vec<char> = text[..start].chars().collect();
        let from = b.len().saturating_sub(AROUND);
        let s: String = b[from..].iter().collect();
        let s = s.rsplit(['\n']).next().unwrap_or("").to_string();
        if from > 0 && !s.is_empty() {
            format!("…{s}")
        } else {
            s
        }
    };
    let after: String = {
        let a: Vec<char> = text[end..].chars().collect();
        let s: String = a.iter().take(AROUND).collect();
        let s = s.split('\n').next().unwrap_or("").to_string();
        if a.len() > AROUND {
            format!("{s}…")
        } else {
            s
        }
    };
    format!("{before}{}{after}", &text[start..end])
}

/// The mentions found in one text: what each names, as a backlink from where it is shown.
fn find_mentions(site: &Site, t: &TextRef<'_>) -> Vec<(Target, Backlink)> {
    let org = Site::org_of(t.on).or_else(|| match t.on {
        Target::Page(p) => site.pages[p].org,
        _ => None,
    });
    let linker = site.linker(org);
    if linker.is_empty() {
        return Vec::new();
    }
    let prose = prose_of(t.text);
    linker
        .find(&prose)
        .into_iter()
        .filter(|m| {
            matches!(
                m.target,
                Target::Dept(..) | Target::External(..) | Target::Form(..)
            ) && is_elsewhere(t.on, m.target)
        })
        .map(|m| {
            let bl = Backlink {
                from: t.on,
                section: t.section.to_string(),
                context: context_of(&prose, m.start, m.end),
            };
            (m.target, bl)
        })
        .collect()
}

/// Add a backlink unless the same one is there.
fn push_backlink(out: &mut HashMap<Target, Vec<Backlink>>, target: Target, bl: Backlink) {
    let list = out.entry(target).or_default();
    if !list
        .iter()
        .any(|b| b.from == bl.from && b.section == bl.section && b.context == bl.context)
    {
        list.push(bl);
    }
}

/// Find the backlinks of the organisations made afresh (`memos` flagged) and of the pages
/// without a memo: every such text is searched on its own, in parallel.
fn compute_backlinks(
    site: &Site,
    memos: Vec<(Arc<OrgMemo>, bool)>,
    pages: Vec<Option<PageLinks>>,
    stats: &mut ResolveStats,
) -> (Vec<Arc<OrgMemo>>, Vec<PageLinks>) {
    // Which group (an organisation, or the pages) each text to search belongs to.
    let mut texts = Vec::new();
    let mut group = Vec::new();
    for (oi, (_, fresh)) in memos.iter().enumerate() {
        if *fresh {
            let from = texts.len();
            org_texts(oi, &site.orgs[oi], &mut texts);
            group.extend(std::iter::repeat_n(Some(oi), texts.len() - from));
        }
    }
    let mut page_at = HashMap::new();
    for (pi, memo) in pages.iter().enumerate() {
        if memo.is_none() {
            page_at.insert(pi, texts.len());
            texts.push(page_text(pi, &site.pages[pi]));
            group.push(None);
        }
    }
    stats.orgs_searched = memos.iter().filter(|(_, f)| *f).count();
    stats.pages_searched = page_at.len();
    use rayon::prelude::*;
    let mut found: Vec<Vec<(Target, Backlink)>> =
        texts.par_iter().map(|t| find_mentions(site, t)).collect();
    let mut by_org: HashMap<usize, HashMap<Target, Vec<Backlink>>> = HashMap::new();
    for (g, f) in group.iter().zip(found.iter_mut()) {
        if let Some(oi) = g {
            let out = by_org.entry(*oi).or_default();
            for (target, bl) in f.drain(..) {
                push_backlink(out, target, bl);
            }
        }
    }
    let memos = memos
        .into_iter()
        .enumerate()
        .map(|(oi, (mut memo, fresh))| {
            if fresh {
                let m = Arc::get_mut(&mut memo).expect("a fresh memo is not shared");
                m.found = by_org.remove(&oi).unwrap_or_default();
                m.explicit = explicit_backlinks(site, oi, &m.found);
            }
            memo
        })
        .collect();
    let pages = pages
        .into_iter()
        .enumerate()
        .map(|(pi, memo)| {
            memo.unwrap_or_else(|| Arc::new(std::mem::take(&mut found[page_at[&pi]])))
        })
        .collect();
    (memos, pages)
}

/// Backlinks from organisation `oi`'s explicit references (division items naming a body,
/// steps naming an actor) that the mentions in the same section (`found`) do not give.
fn explicit_backlinks(
    site: &Site,
    oi: usize,
    found: &HashMap<Target, Vec<Backlink>>,
) -> Vec<(Target, Backlink)> {
    let mut added: HashMap<Target, Vec<Backlink>> = HashMap::new();
    let mut order = Vec::new();
    // Explicit references count even when the text does not repeat the name.
    let add = |added: &mut HashMap<Target, Vec<Backlink>>,
               order: &mut Vec<(Target, Backlink)>,
               t: Target,
               bl: Backlink| {
        let dup = found
            .get(&t)
            .into_iter()
            .chain(added.get(&t))
            .flatten()
            .any(|b| b.from == bl.from && b.section == bl.section && b.context == bl.context);
        if !dup {
            added.entry(t).or_default().push(bl.clone());
            order.push((t, bl));
        }
    };
    let named = |added: &HashMap<Target, Vec<Backlink>>, t: &Target, on: Target, section: &str| {
        found
            .get(t)
            .into_iter()
            .chain(added.get(t))
            .flatten()
            .any(|b| b.from == on && b.section == section)
    };
    let org = &site.orgs[oi];
    for (di, dept) in org.depts.iter().enumerate() {
        let on = Target::Dept(oi, di);
        for (section, items, refs) in [
            (
                "职责分工 · 外部协作",
                &dept.raw.division.external,
                &dept.division.external,
            ),
            (
                "职责分工 · 内部分工",
                &dept.raw.division.internal,
                &dept.division.internal,
            ),
            (
                "职责分工",
                &dept.raw.division.general,
                &dept.division.general,
            ),
        ] {
            for (item, targets) in items.iter().zip(refs) {
                for t in targets.iter().flatten() {
                    if is_elsewhere(on, *t) && !named(&added, t, on, section) {
                        let ctx: String = item.text().chars().take(80).collect();
                        add(
                            &mut added,
                            &mut order,
                            *t,
                            Backlink {
                                from: on,
                                section: section.to_string(),
                                context: ctx,
                            },
                        );
                    }
                }
            }
        }
        for (pi, p) in dept.procedures.iter().enumerate() {
            let on = Target::Procedure(oi, di, pi);
            for (si, s) in p.steps.iter().enumerate() {
                let raw = &dept.raw.procedures[pi].steps[si];
                let label = raw
                    .label
                    .clone()
                    .unwrap_or_else(|| format!("第{}步", si + 1));
                let section = format!("步骤 · {label}");
                for t in s.actor.iter().chain(s.parallel.iter().flatten()) {
                    // Skip when the step's text already names it.
                    if matches!(t, Target::Dept(..) | Target::External(..))
                        && is_elsewhere(on, *t)
                        && !named(&added, t, on, &section)
                    {
                        add(
                            &mut added,
                            &mut order,
                            *t,
                            Backlink {
                                from: on,
                                section: section.clone(),
                                context: format!("由{}办理", site.name(*t)),
                            },
                        );
                    }
                }
            }
        }
    }
    order
}

/// Every target's backlinks, in the order a single pass over the site finds them: mentions
/// in its organisation's texts, then in pages, then its organisation's explicit references.
/// (An organisation's texts and references name only its own targets.)
fn assemble_backlinks(
    orgs: &[Arc<OrgMemo>],
    pages: &[PageLinks],
) -> HashMap<Target, Vec<Backlink>> {
    let mut out: HashMap<Target, Vec<Backlink>> = HashMap::new();
    for m in orgs {
        out.extend(m.found.iter().map(|(t, l)| (*t, l.clone())));
    }
    for p in pages {
        for (t, bl) in p.iter() {
            push_backlink(&mut out, *t, bl.clone());
        }
    }
    for m in orgs {
        for (t, bl) in &m.explicit {
            // Neither a page's mention (from a page) nor another organisation's can equal it.
            out.entry(*t).or_default().push(bl.clone());
        }
    }
    out
}
