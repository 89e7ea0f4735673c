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

use crate::load::{FileId, Loaded, LoadedOrg, LoadedPage, Origin, Sources};
use aho_corasick::{AhoCorasick, MatchKind};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use zhize_core::bodies::{body_in_longer_name, qualified_by_other, OwnNames};
use zhize_core::config::Config;
use zhize_core::diagnostic::{did_you_mean, did_you_mean_zh, Diagnostic, Diagnostics};
use zhize_core::model::{
    DeptFile, DivisionItem, ExternalBody, OrgFile, PageMeta, Procedure, Scalar, Step,
};
use zhize_core::slug::{is_safe_id, slugify, SlugScope};

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
    /// A power item (权责事项) of an organisation: index into [`Org::powers`].
    Power(usize, usize),
}

/// Names that must not be used as slugs inside an organisation's folder: the files and
/// folders zhize writes there (and the names of its pages without `.html`, kept for clarity).
const RESERVED_ORG_SLUGS: &[&str] = &[
    "external",
    "pages",
    "powers",
    "views",
    "contacts",
    "static",
    "index",
    "index.html",
    "404",
];
/// Names that must not be used as organisation slugs: the files and folders zhize writes at
/// the top of the site.
const RESERVED_SITE_SLUGS: &[&str] = &[
    "pages",
    "static",
    "search",
    "contacts",
    "contacts.html",
    "index",
    "index.html",
    "404",
    "404.html",
    "sitemap",
    "sitemap.xml",
    "data",
    "schema.json",
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
    /// The theme the site's pages are rendered with (read by `load`).
    pub theme: std::sync::Arc<crate::load::theme::Theme>,
    /// Each content file's last-updated date from git history, by path (empty outside git).
    pub updated: Arc<HashMap<PathBuf, String>>,
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
    /// Its power items (权责事项): those of `_org.yaml`, then each department's, in order.
    pub powers: Vec<PowerR>,
    /// Every name, alias, plaque and id → what it names.
    pub names: HashMap<String, Vec<Target>>,
    /// The folder under content/ it was read from.
    pub folder_name: String,
    /// Names of its department files that could not be read or parsed (see
    /// [`LoadedOrg::unreadable`]).
    pub unreadable: Vec<String>,
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
    /// Who acts: the step's `actor`, else the one its text names (由X…, 报X审批, 申请人…).
    pub actor_name: Option<String>,
    /// Whether `actor_name` was read from the text rather than written as `actor`.
    pub inferred: bool,
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

/// A power item with its page's slug, where it is written and the department that carries
/// it out (its file's, or the one its `department:` names).
#[derive(Debug, Clone)]
pub struct PowerR {
    pub slug: String,
    pub origin: Origin,
    pub raw: zhize_core::model::Power,
    /// The department that carries it out, when known.
    pub dept: Option<usize>,
    /// Its steps' actors, forms and branches, as a procedure's.
    pub steps: Vec<StepR>,
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
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Backlink {
    pub from: Target,
    pub section: String,
    pub context: String,
}

/// Finds mentions of known names in text: one Aho-Corasick automaton over every name,
/// leftmost-longest, so 财务审计科 wins over a shorter name inside it.
#[derive(Debug, Clone, Default)]
pub struct Linker {
    automaton: Option<AhoCorasick>,
    targets: Vec<Target>,
    /// The names of the organisation(s) whose units these are: a unit's name glued to
    /// another body's name (市政府办公室) is not a mention, glued to these (局办公室) it is.
    own: OwnNames,
    /// Site-wide on a site of several organisations: a text links only into the
    /// organisations it names.
    named_orgs_only: bool,
}

/// One mention found in a text: byte range and what it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub target: Target,
}

impl Linker {
    fn new(names: &BTreeMap<String, Target>, own: OwnNames, named_orgs_only: bool) -> Linker {
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
        Linker {
            automaton,
            targets,
            own,
            named_orgs_only,
        }
    }

    /// Does this linker know no names (so that no text can mention anything)?
    pub fn is_empty(&self) -> bool {
        self.automaton.is_none()
    }

    /// Every name in `text`, leftmost-longest, without the rules of [`Linker::find`] (the
    /// linker as it was before them, kept to measure them against).
    pub fn find_naive(&self, text: &str) -> Vec<Mention> {
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

    /// Mentions in `text`, in order, never overlapping: a unit's name glued to another body's
    /// name is not one, and a site-wide text names only organisations it names.
    pub fn find(&self, text: &str) -> Vec<Mention> {
        let Some(ac) = &self.automaton else {
            return Vec::new();
        };
        let found: Vec<Mention> = ac
            .find_iter(text)
            .map(|m| Mention {
                start: m.start(),
                end: m.end(),
                target: self.targets[m.pattern().as_usize()],
            })
            .filter(|m| match m.target {
                // A unit of another body (市政府办公室, 领导小组办公室) is not ours.
                Target::Dept(..) | Target::Post(..) => {
                    !qualified_by_other(&text[..m.start], &self.own)
                }
                // Nor is 区市政府 the 市政府, or 市政府办公室.
                Target::External(..) => !body_in_longer_name(&text[..m.start], &text[m.end..]),
                _ => true,
            })
            .collect();
        if !self.named_orgs_only {
            return found;
        }
        // A page outside any organisation links only into the organisations it names.
        let named: HashSet<usize> = found
            .iter()
            .filter_map(|m| match m.target {
                Target::Org(o) => Some(o),
                _ => None,
            })
            .collect();
        found
            .into_iter()
            .filter(|m| Site::org_of(m.target).is_none_or(|o| named.contains(&o)))
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
            Target::Power(o, i) => {
                format!(
                    "{}/powers/{}.html",
                    self.orgs[o].slug, self.orgs[o].powers[i].slug
                )
            }
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
            Target::Power(o, i) => &self.orgs[o].powers[i].raw.name,
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
            Target::Power(..) => "权责事项",
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
            | Target::External(o, _)
            | Target::Power(o, _) => Some(o),
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
        theme,
        cache: _,
        updated,
    } = loaded;
    let prev = prev.filter(|p| p.root == root && same_config(&p.sources, &sources));
    let mut stats = ResolveStats::default();
    let (orgs, memos) = resolve_orgs(loaded_orgs, &sources, prev, &mut stats, &mut diagnostics);
    let pages = resolve_pages(loaded_pages, &orgs, &sources, &mut diagnostics);
    let (linkers, site_linker) = build_linkers(config.auto_link, &orgs, prev, &mut stats);
    let mut site = Site {
        config,
        root,
        orgs,
        pages,
        sources,
        diagnostics,
        backlinks: HashMap::new(),
        theme,
        updated,
        linkers,
        site_linker,
        memo: Memo::default(),
    };
    let page_memos = reusable_page_links(prev, &site);
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

/// Are both zhize.yaml the very same text (pointer-equal), or both missing?
fn same_config(old: &Sources, new: &Sources) -> bool {
    let config_text = |s: &Sources| {
        s.files
            .iter()
            .find(|f| f.path == Path::new("zhize.yaml"))
            .map(|f| f.text.clone())
    };
    match (config_text(old), config_text(new)) {
        (Some(a), Some(b)) => Arc::ptr_eq(&a, &b),
        (None, None) => true,
        _ => false,
    }
}

/// Each organisation's memo, and whether it was made now (its backlinks are still to find).
type OrgMemos = Vec<(Arc<OrgMemo>, bool)>;

/// The organisations in order (`order:`, then folder), each resolved on its own or taken
/// from `prev` ([`reusable_org`]), with their memos. Slugs are claimed in order across the
/// site; the problems go to `diagnostics` in the order of a full resolve.
fn resolve_orgs(
    mut loaded: Vec<LoadedOrg>,
    sources: &Sources,
    prev: Option<&Site>,
    stats: &mut ResolveStats,
    diagnostics: &mut Diagnostics,
) -> (Vec<Arc<Org>>, OrgMemos) {
    let mut site_scope = SlugScope::with_reserved(RESERVED_SITE_SLUGS);
    loaded.sort_by(|a, b| {
        (a.org.order.unwrap_or(i64::MAX), &a.folder)
            .cmp(&(b.org.order.unwrap_or(i64::MAX), &b.folder))
    });
    let mut slug_diags = Vec::with_capacity(loaded.len());
    let mut orgs: Vec<Arc<Org>> = Vec::with_capacity(loaded.len());
    let mut memos: OrgMemos = Vec::with_capacity(loaded.len());
    for (oi, lo) in loaded.into_iter().enumerate() {
        let mut d = Diagnostics::default();
        let slug = org_slug(&lo, sources, &mut site_scope, &mut d);
        slug_diags.push(d.0);
        if let Some((org, memo)) = prev.and_then(|p| reusable_org(p, oi, &lo, &slug, sources)) {
            orgs.push(org);
            memos.push((memo, false));
            continue;
        }
        stats.orgs_resolved += 1;
        let (org, memo) = resolve_org(lo, oi, slug, sources);
        orgs.push(Arc::new(org));
        memos.push((Arc::new(memo), true));
    }
    replay_org_diags(&memos, slug_diags, diagnostics);
    (orgs, memos)
}

/// Organisation `oi` of `prev` and its memo, if `lo` is the same organisation: the same
/// slug, folder and files with the very same texts.
fn reusable_org(
    prev: &Site,
    oi: usize,
    lo: &LoadedOrg,
    slug: &str,
    sources: &Sources,
) -> Option<(Arc<Org>, Arc<OrgMemo>)> {
    let (old, memo) = (prev.orgs.get(oi)?, prev.memo.orgs.get(oi)?);
    (old.slug == slug
        && old.folder_name == lo.folder
        && same_files(
            &loaded_file_ids(lo),
            sources,
            &org_file_ids(old),
            &prev.sources,
        ))
    .then(|| (old.clone(), memo.clone()))
}

/// Resolve organisation `oi` afresh: check its texts, build it, index its names and resolve
/// its references, keeping the problems of each step in its memo.
fn resolve_org(lo: LoadedOrg, oi: usize, slug: String, sources: &Sources) -> (Org, OrgMemo) {
    let mut memo = OrgMemo::default();
    let mut d = Diagnostics::default();
    check_texts(&lo, sources, &mut d);
    warn_unparsed(&lo, sources, &mut d);
    memo.diags[0] = std::mem::take(&mut d.0);
    let mut org = build_org(lo, slug, sources, &mut d);
    memo.diags[1] = std::mem::take(&mut d.0);
    index_names(&mut org, oi, sources, &mut d);
    memo.diags[2] = std::mem::take(&mut d.0);
    resolve_org_refs(&mut org, sources, &mut d);
    memo.diags[3] = d.0;
    (org, memo)
}

/// The organisations' problems in the order a full resolve reports them: every
/// organisation's texts; then each one's slug and building; then every one's names; then
/// every one's references.
fn replay_org_diags(
    memos: &OrgMemos,
    slug_diags: Vec<Vec<Diagnostic>>,
    diagnostics: &mut Diagnostics,
) {
    for (m, _) in memos {
        diagnostics.extend(m.diags[0].iter().cloned());
    }
    for ((m, _), slug) in memos.iter().zip(slug_diags) {
        diagnostics.extend(slug);
        diagnostics.extend(m.diags[1].iter().cloned());
    }
    for step in [2, 3] {
        for (m, _) in memos {
            diagnostics.extend(m.diags[step].iter().cloned());
        }
    }
}

/// The Markdown pages, each in its organisation (a page in a folder that is none is an
/// error) with a slug of its own in its folder, their ```flowchart blocks checked; sorted
/// by organisation, `order` and title.
fn resolve_pages(
    loaded: Vec<LoadedPage>,
    orgs: &[Arc<Org>],
    sources: &Sources,
    diagnostics: &mut Diagnostics,
) -> Vec<Page> {
    let mut pages = Vec::new();
    let mut page_scopes: HashMap<Option<usize>, SlugScope> = HashMap::new();
    for lp in loaded {
        let org = lp
            .org
            .as_ref()
            .and_then(|f| orgs.iter().position(|o| o.raw_folder_matches(f, sources)));
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
        let slug = page_slug(
            &lp,
            page_scopes.entry(org).or_default(),
            sources,
            diagnostics,
        );
        pages.push(Page {
            slug,
            org,
            file: lp.file,
            meta: lp.meta,
            body: lp.body,
            body_line: lp.body_line,
        });
    }
    check_flowchart_blocks(&pages, sources, diagnostics);
    pages.sort_by(|a, b| {
        (a.org, a.meta.order.unwrap_or(i64::MAX), &a.meta.title).cmp(&(
            b.org,
            b.meta.order.unwrap_or(i64::MAX),
            &b.meta.title,
        ))
    });
    pages
}

/// A page's slug in its folder (`scope`): its `id` when that is safe (another page with the
/// same id is an error); else, made unique, its title (an unsafe id is an error), or its
/// file name where that is ASCII.
fn page_slug(
    lp: &LoadedPage,
    scope: &mut SlugScope,
    sources: &Sources,
    diagnostics: &mut Diagnostics,
) -> String {
    match &lp.meta.id {
        Some(id) if is_safe_id(id) => {
            if let Err(clash) = scope.claim_or_clash(id) {
                diagnostics.push(
                    sources.diag_at(
                        Diagnostic::error(clash.message("page", id, "in this folder"))
                            .hint("give each page its own id"),
                        lp.file,
                        "id",
                    ),
                );
            }
            id.clone()
        }
        Some(id) => {
            diagnostics.push(unsafe_id(sources, lp.file, "id", id));
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
    }
}

/// ```flowchart blocks must parse: a syntax error is a build error at its line.
fn check_flowchart_blocks(pages: &[Page], sources: &Sources, diagnostics: &mut Diagnostics) {
    for p in pages {
        for (line, src) in zhize_flowchart::mermaid::blocks(&p.body) {
            if let Err(e) = zhize_flowchart::mermaid::parse(&src, "") {
                let f = sources.get(p.file);
                let at = p.body_line + line - 1 + e.line - 1;
                let offset = zhize_core::source::offset_of(&f.text, at, 1);
                diagnostics.push(
                    Diagnostic::error(format!("flowchart: {}", e.message))
                        .in_file(&f.path)
                        .at(zhize_core::diagnostic::Pos { line: at, col: 1, offset, len: 1 })
                        .with_source(f.text.clone())
                        .hint("the ```flowchart block takes the Mermaid subset: flowchart TD, A[text] --> B{question}, -->|label|, subgraph … end"),
                );
            }
        }
    }
}

/// The mention automata: each organisation's and the site-wide one (empty ones when
/// `auto_link` is off). An organisation's depends on its names only, the site-wide one on
/// every organisation's names and name: those of `prev` are kept while these are the same.
fn build_linkers(
    auto_link: bool,
    orgs: &[Arc<Org>],
    prev: Option<&Site>,
    stats: &mut ResolveStats,
) -> (Vec<Arc<Linker>>, Arc<Linker>) {
    let same_names: Vec<bool> = (0..orgs.len())
        .map(|oi| {
            prev.and_then(|p| p.orgs.get(oi)).is_some_and(|old| {
                Arc::ptr_eq(old, &orgs[oi])
                    || (old.names == orgs[oi].names
                        && own_names(&old.raw) == own_names(&orgs[oi].raw))
            })
        })
        .collect();
    let keep_site_linker = prev.is_some_and(|p| {
        p.orgs.len() == orgs.len()
            && same_names.iter().all(|s| *s)
            && p.orgs
                .iter()
                .zip(orgs)
                .all(|(a, b)| a.raw.name == b.raw.name && a.raw.aliases == b.raw.aliases)
    });
    let build = |f: &dyn Fn() -> Linker| -> Arc<Linker> {
        if auto_link {
            Arc::new(f())
        } else {
            Arc::new(Linker::default())
        }
    };
    // Building the automata is much of resolving a large site: side by side.
    use rayon::prelude::*;
    let linkers = rayon::join(
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
            _ => build(&|| site_wide_linker(orgs)),
        },
    );
    stats.linkers_built =
        same_names.iter().filter(|s| !**s).count() + usize::from(!keep_site_linker);
    linkers
}

/// The mentions `prev` found in each page that still hold: a page's mentions stay while its
/// text, place and automaton do.
fn reusable_page_links(prev: Option<&Site>, site: &Site) -> Vec<Option<PageLinks>> {
    (0..site.pages.len())
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
        .collect()
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

/// Each line an import could not place (`unparsed:`) is a warning at its entry, until
/// someone moves it into a field.
fn warn_unparsed(lo: &LoadedOrg, sources: &Sources, diags: &mut Diagnostics) {
    let files = std::iter::once((lo.file, &lo.org.unparsed))
        .chain(lo.depts.iter().map(|ld| (ld.file, &ld.dept.unparsed)));
    for (file, list) in files {
        for (i, u) in list.iter().enumerate() {
            diags.push(sources.diag_at(
                Diagnostic::warning(format!(
                    "line {} of the imported document was not placed: “{}”",
                    u.line,
                    u.text.chars().take(60).collect::<String>()
                ))
                .hint("move it into the field it belongs to (or delete it), then remove it from `unparsed`")
                .zh(format!(
                    "导入文档的第 {} 行没有归入任何一项：“{}”",
                    u.line,
                    u.text.chars().take(60).collect::<String>()
                ))
                .hint_zh("把它移到所属的那一项下（或删去），再从“未解析”里去掉"),
                file,
                &format!("unparsed.{i}"),
            ));
        }
    }
}

/// Every duty, division item and risk point needs a text: a list written where a text belongs
/// would otherwise load as an empty entry.
fn check_texts(lo: &LoadedOrg, sources: &Sources, diags: &mut Diagnostics) {
    let empty = |file: FileId, path: String, what: &str| {
        sources.diag_at(
            Diagnostic::error(format!("this {what} has no text"))
                .hint("write the text itself (`- 负责…`), or a map with `text:`; a `[…]` list is not a text")
                .zh("这一项没有内容")
                .hint_zh("直接写出内容（`- 负责……`），或写成带“内容”的键值对；`[……]` 不是一段文字，要加引号"),
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
    if let Err(clash) = scope.claim_or_clash(&base) {
        diags.push(
            sources.diag_at(
                Diagnostic::error(clash.message("organisation", &base, "in this site"))
                    .hint("choose another `id` in _org.yaml (or rename the folder)"),
                lo.file,
                "id",
            ),
        );
        return scope.unique(&base);
    }
    base
}

/// The organisation's outside bodies, each with a slug unique among them.
fn externals(lo: &LoadedOrg, sources: &Sources, diags: &mut Diagnostics) -> Vec<External> {
    let mut ext_scope = SlugScope::default();
    lo.org
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
        .collect()
}

/// Procedures of the organisation as a whole have no pages yet: say so at each rather than
/// drop them silently.
fn warn_org_procedures(lo: &LoadedOrg, sources: &Sources, diags: &mut Diagnostics) {
    for (i, p) in lo.org.procedures.iter().enumerate() {
        diags.push(
            sources.diag_at(
                Diagnostic::warning(format!(
                    "procedure “{}” belongs to no department and is not shown on the site yet",
                    p.name
                ))
                .hint("move it under `procedures:` of the department that handles it")
                .zh(format!(
                    "工作流程“{}”不属于任何科室，网站上暂不显示",
                    p.name
                ))
                .hint_zh("把它移到负责办理的科室的“工作流程”下"),
                lo.file,
                &format!("procedures.{i}.name"),
            ),
        );
    }
}

fn build_org(lo: LoadedOrg, slug: String, sources: &Sources, diags: &mut Diagnostics) -> Org {
    warn_org_procedures(&lo, sources, diags);
    let externals = externals(&lo, sources, diags);
    let (powers, mut depts) = (power_slugs(power_items(&lo), sources, diags), Vec::new());
    let mut dept_scope = SlugScope::with_reserved(RESERVED_ORG_SLUGS);
    for ld in lo.depts {
        let r = &ld.dept;
        let dslug = match &r.id {
            Some(id) if is_safe_id(id) => {
                if let Err(clash) = dept_scope.claim_or_clash(id) {
                    diags.push(
                        sources.diag_at(
                            Diagnostic::error(clash.message(
                                "department",
                                id,
                                "in this organisation",
                            ))
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
        let mut scoped = |items: Vec<(Option<&String>, &String, &Origin)>, what: &str| {
            let mut scope = SlugScope::default();
            items
                .into_iter()
                .map(|(id, name, origin)| match id {
                    Some(id) if is_safe_id(id) => {
                        if let Err(clash) = scope.claim_or_clash(id) {
                            diags.push(sources.diag_at(
                                Diagnostic::error(clash.message(what, id, "in this department")),
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
            duty_anchors: duty_anchors(&ld.dept),
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
    Org {
        slug,
        file: lo.file,
        raw: Arc::unwrap_or_clone(lo.org),
        depts,
        externals,
        powers,
        names: HashMap::new(),
        folder_name: lo.folder,
        unreadable: lo.unreadable,
    }
}

/// Power items: the organisation's own, then each department's, in file order, each with
/// where it is written and the department whose file holds it.
fn power_items(lo: &LoadedOrg) -> Vec<(zhize_core::model::Power, Origin, Option<usize>)> {
    let at = |file: FileId, i: usize| Origin {
        file,
        path: format!("powers.{i}"),
    };
    let mut out: Vec<_> = (lo.org.powers.iter().enumerate())
        .map(|(i, p)| (p.clone(), at(lo.file, i), None))
        .collect();
    for (di, ld) in lo.depts.iter().enumerate() {
        out.extend(
            (ld.dept.powers.iter().enumerate()).map(|(i, p)| (p.clone(), at(ld.file, i), Some(di))),
        );
    }
    out
}

/// The power items of an organisation with their pages' slugs: the item's `id`, else its
/// `code` when that is a safe file name, else `power-N` (its place in the list). A clash of
/// ids is an error at the second.
fn power_slugs(
    items: Vec<(zhize_core::model::Power, Origin, Option<usize>)>,
    sources: &Sources,
    diags: &mut Diagnostics,
) -> Vec<PowerR> {
    let mut scope = SlugScope::default();
    let mut out = Vec::with_capacity(items.len());
    for (n, (raw, origin, dept)) in items.into_iter().enumerate() {
        let fallback = || match raw.code.as_deref().map(str::trim) {
            Some(c) if is_safe_id(c) => c.to_lowercase(),
            _ => format!("power-{}", n + 1),
        };
        let slug = match &raw.id {
            Some(id) if is_safe_id(id) => match scope.claim_or_clash(id) {
                Ok(()) => id.clone(),
                Err(clash) => {
                    diags.push(
                        sources.diag_at(
                            Diagnostic::error(clash.message(
                                "power item",
                                id,
                                "in this organisation",
                            ))
                            .hint("give each power item its own id"),
                            origin.file,
                            &format!("{}.id", origin.path),
                        ),
                    );
                    scope.unique(id)
                }
            },
            Some(id) => {
                diags.push(unsafe_id(
                    sources,
                    origin.file,
                    &format!("{}.id", origin.path),
                    id,
                ));
                scope.unique(&fallback())
            }
            None => scope.unique(&fallback()),
        };
        out.push(PowerR {
            slug,
            origin,
            raw,
            dept,
            steps: Vec::new(),
        });
    }
    out
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
                            .hint("each department and outside body needs its own name; rename one, or drop the alias")
                            .zh(format!("名称“{name}”用了两次：这里和 {place}"))
                            .hint_zh("每个科室和外部单位的名称（含别名）都要不同：改掉一个，或删去那个别名"),
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
    /// Whether `name` is that of a department file of this organisation that could not be
    /// read or parsed.
    fn is_unreadable(&self, name: &str) -> bool {
        let name = name.trim();
        self.unreadable.iter().any(|n| n == name)
    }

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

    /// What a risk's owner (责任人) of department `di` names: a post of that department, a
    /// department or outside body, else a post of another department that alone has the name.
    pub fn find_owner(&self, di: usize, name: &str) -> Option<Target> {
        if let Ok(Some(t)) = self.lookup(name, Want::Actor(di)) {
            return Some(t);
        }
        let posts: Vec<&Target> = (self.names.get(name.trim()).into_iter().flatten())
            .filter(|t| matches!(t, Target::Post(..)))
            .collect();
        (posts.len() == 1).then(|| *posts[0])
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
    .zh(format!("“{name}”指代不明：{}都叫这个名字", list.join("和")))
    .hint_zh("改写成所指那一个的标识（id）")
}

/// Resolve every reference inside an organisation: the names in division items' `with`, the
/// duties each post covers, and the forms, actors and branches of each procedure.
fn resolve_org_refs(org: &mut Org, sources: &Sources, diags: &mut Diagnostics) {
    let resolver = RefResolver {
        org,
        sources,
        unit_names: org.unit_names(),
        own: own_names(&org.raw),
    };
    // Organisation-level division items must name known bodies too.
    resolver.division(&org.raw.division, org.file, "division", diags);
    let resolved: Vec<DeptRefs> = org
        .depts
        .iter()
        .enumerate()
        .map(|(di, dept)| resolver.dept(di, dept, diags))
        .collect();
    let powers: Vec<(Option<usize>, Vec<StepR>)> = (org.powers.iter())
        .map(|p| resolver.power(p, diags))
        .collect();
    for (p, (dept, steps)) in org.powers.iter_mut().zip(powers) {
        p.dept = dept;
        p.steps = steps;
    }
    for (dept, refs) in org.depts.iter_mut().zip(resolved) {
        dept.division = refs.division;
        for (p, c) in dept.posts.iter_mut().zip(refs.covers) {
            p.covers = c;
        }
        for (p, (steps, forms)) in dept.procedures.iter_mut().zip(refs.procedures) {
            p.steps = steps;
            p.forms = forms;
        }
    }
}

/// The references of one department, resolved: the `with` names of its division items, the
/// duties each post covers, and each procedure's steps and forms.
struct DeptRefs {
    division: DivisionR,
    covers: Vec<Vec<usize>>,
    procedures: Vec<(Vec<StepR>, Vec<Option<Target>>)>,
}

/// Resolves the references of one organisation, each problem reported at its place.
struct RefResolver<'a> {
    org: &'a Org,
    sources: &'a Sources,
    /// The names of its departments and outside bodies, for the hint of an unknown one.
    unit_names: Vec<&'a str>,
    /// Its own names, as a qualifier of its units.
    own: OwnNames,
}

/// A procedure whose references are being resolved: its department, where it is written,
/// and its steps' labels (a branch names the step it goes to by label or by number).
struct ProcedureAt<'a> {
    dept: usize,
    origin: &'a Origin,
    labels: Vec<Option<&'a str>>,
}

impl RefResolver<'_> {
    /// A power item's department (the one its `department:` names, else its file's) and
    /// its steps. A name that is no department of the organisation is an error at its place.
    fn power(&self, p: &PowerR, diags: &mut Diagnostics) -> (Option<usize>, Vec<StepR>) {
        let (file, path) = (p.origin.file, format!("{}.department", p.origin.path));
        let dept = match p.raw.department.as_deref().map(str::trim) {
            None | Some("") => p.dept,
            Some(name) => {
                match self.org.lookup(name, Want::Unit) {
                    Ok(Some(Target::Dept(_, d))) => Some(d),
                    Ok(None) if self.org.is_unreadable(name) => None,
                    Ok(found) => {
                        let names: Vec<&str> = (self.org.depts.iter())
                            .flat_map(|d| std::iter::once(&d.raw.name).chain(&d.raw.aliases))
                            .map(String::as_str)
                            .collect();
                        let what = if found.is_some() {
                            format!("“{name}” is an outside body, not a department of this organisation")
                        } else {
                            format!("unknown department “{name}” for this power item")
                        };
                        let what_zh = if found.is_some() {
                            format!("“{name}”是外部单位，不是本单位的科室")
                        } else {
                            format!("权责事项的承办科室“{name}”不存在")
                        };
                        let hint_zh = did_you_mean_zh(
                            name,
                            names.iter().copied(),
                            "写明承办这一事项的科室（承办机构），或不写“承办机构”",
                        );
                        diags.push(self.sources.diag_at(
                        Diagnostic::error(what).hint(did_you_mean(
                            name,
                            names,
                            "name the department that carries the item out (承办机构), or leave `department` out",
                        )).zh(what_zh).hint_zh(hint_zh),
                        file,
                        &path,
                    ));
                        p.dept
                    }
                    Err(found) => {
                        diags.push(self.sources.diag_at(
                            ambiguous(self.org, name, &found),
                            file,
                            &path,
                        ));
                        p.dept
                    }
                }
            }
        };
        let at = ProcedureAt {
            // No department: no post can be an actor (none has this index).
            dept: dept.unwrap_or(usize::MAX),
            origin: &p.origin,
            labels: p.raw.steps.iter().map(|s| s.label.as_deref()).collect(),
        };
        let steps = (p.raw.steps.iter().enumerate())
            .map(|(si, s)| self.step(&at, si, s, diags))
            .collect();
        (dept, steps)
    }

    /// The references of department `di`.
    fn dept(&self, di: usize, dept: &Dept, diags: &mut Diagnostics) -> DeptRefs {
        let r = &dept.raw;
        let division = DivisionR {
            external: self.division(&r.division.external, dept.file, "division.external", diags),
            internal: self.division(&r.division.internal, dept.file, "division.internal", diags),
            general: self.division(&r.division.general, dept.file, "division.general", diags),
        };
        let covers = r
            .posts
            .iter()
            .zip(&dept.posts)
            .map(|(p, pr)| {
                resolve_covers(
                    r,
                    &dept.duty_anchors,
                    &p.covers,
                    &pr.origin,
                    self.sources,
                    diags,
                )
            })
            .collect();
        let procedures = r
            .procedures
            .iter()
            .enumerate()
            .map(|(pi, p)| self.procedure(di, p, &dept.procedures[pi].origin, diags))
            .collect();
        DeptRefs {
            division,
            covers,
            procedures,
        }
    }

    /// The `with` names of division items written at `key` of `file`: each a department or
    /// an outside body.
    fn division(
        &self,
        items: &[DivisionItem],
        file: FileId,
        key: &str,
        diags: &mut Diagnostics,
    ) -> Vec<Vec<Option<Target>>> {
        items
            .iter()
            .enumerate()
            .map(|(ii, item)| {
                item.with()
                    .iter()
                    .enumerate()
                    .map(|(wi, name)| {
                        let path = format!("{key}.{ii}.{}", item.with_key(wi));
                        self.unit(name, file, &path, diags)
                    })
                    .collect()
            })
            .collect()
    }

    /// The department or outside body `name` names; an unknown or ambiguous name is an error
    /// at `path`.
    fn unit(
        &self,
        name: &str,
        file: FileId,
        path: &str,
        diags: &mut Diagnostics,
    ) -> Option<Target> {
        match self.org.lookup(name, Want::Unit) {
            Ok(Some(t)) => Some(t),
            // A department whose own file has an error (reported there): not unknown.
            Ok(None) if self.org.is_unreadable(name) => None,
            Ok(None) => {
                diags.push(self.sources.diag_at(
                    Diagnostic::error(format!("unknown department or outside body “{name}”")).hint(did_you_mean(
                        name,
                        self.unit_names.iter().copied(),
                        "add it as a department (content/<org>/<dept>.yaml) or list it under `external:` in _org.yaml",
                    ))
                    .zh(format!("没有叫“{name}”的科室或外部单位"))
                    .hint_zh(did_you_mean_zh(
                        name,
                        self.unit_names.iter().copied(),
                        "把它建成一个科室（`zhize new dept 名称`），或写进 _org.yaml 的“外部单位”",
                    )),
                    file,
                    path,
                ));
                None
            }
            Err(found) => {
                diags.push(
                    self.sources
                        .diag_at(ambiguous(self.org, name, &found), file, path),
                );
                None
            }
        }
    }

    /// The forms and steps of a procedure of department `di`, written at `origin`.
    fn procedure(
        &self,
        di: usize,
        p: &Procedure,
        origin: &Origin,
        diags: &mut Diagnostics,
    ) -> (Vec<StepR>, Vec<Option<Target>>) {
        let forms = p
            .forms
            .iter()
            .enumerate()
            .map(|(i, f)| self.form(f, origin.file, &format!("{}.forms.{i}", origin.path), diags))
            .collect();
        if p.steps.is_empty() {
            diags.push(self.sources.diag_at(
                Diagnostic::warning(format!(
                    "procedure “{}” has no steps: the source gives only its name",
                    p.name
                ))
                .hint("add its steps under `steps:` if the document has them elsewhere; its page says that they are missing (原文仅有流程名称，未附步骤)")
                .zh(format!("工作流程“{}”没有步骤：原文只给了名称", p.name))
                .hint_zh("如果别处有它的步骤，写在“步骤”下；否则它的页面会注明“原文仅有流程名称，未附步骤”"),
                origin.file,
                &format!("{}.name", origin.path),
            ));
        }
        let at = ProcedureAt {
            dept: di,
            origin,
            labels: p.steps.iter().map(|s| s.label.as_deref()).collect(),
        };
        let steps = p
            .steps
            .iter()
            .enumerate()
            .map(|(si, s)| self.step(&at, si, s, diags))
            .collect();
        (steps, forms)
    }

    /// Step `si` of a procedure: its actor and co-signers, its forms, and the step each of
    /// its branches goes to.
    fn step(&self, at: &ProcedureAt, si: usize, s: &Step, diags: &mut Diagnostics) -> StepR {
        let (file, spath) = (at.origin.file, format!("{}.steps.{si}", at.origin.path));
        let (actor_name, inferred) = match s.actor.as_deref().filter(|a| !a.trim().is_empty()) {
            Some(a) => (Some(a.trim().to_string()), false),
            None => (self.actor_in(s.text.as_deref().unwrap_or("")), true),
        };
        let actor = match (&actor_name, inferred) {
            (Some(a), false) => self.actor(at.dept, a, file, &format!("{spath}.actor"), diags),
            // A name read from the text is no error when it names two things.
            (Some(a), true) => self.org.lookup(a, Want::Actor(at.dept)).ok().flatten(),
            (None, _) => None,
        };
        let parallel = s
            .parallel
            .iter()
            .enumerate()
            .map(|(i, a)| self.actor(at.dept, a, file, &format!("{spath}.parallel.{i}"), diags))
            .collect();
        let forms = s
            .forms
            .iter()
            .enumerate()
            .map(|(i, f)| self.form(f, file, &format!("{spath}.forms.{i}"), diags))
            .collect();
        let branches = s
            .branches
            .iter()
            .enumerate()
            .map(|(bi, b)| {
                let goto = b.goto.as_ref()?;
                let path = format!("{spath}.branches.{bi}.goto");
                let to = self.branch(at, goto, &path, diags);
                if to == Some(si + 1) {
                    // Both outcomes lead on to the next step: the chart draws no decision.
                    diags.push(self.sources.diag_at(
                        Diagnostic::warning(format!(
                            "branch “{}” goes to the next step, where the procedure goes anyway",
                            b.when.trim()
                        ))
                        .hint("write where the other outcome goes instead (e.g. `{when: 审核不通过, goto: 1, label: 退回}`), or leave the branch out")
                        .zh(format!(
                            "分支“{}”转到下一步，而流程本来就走到下一步",
                            b.when.trim()
                        ))
                        .hint_zh("改写另一种结果去哪一步（如 `{条件: 审核不通过, 转到: 1, 标签: 退回}`），或删去这个分支"),
                        file,
                        &path,
                    ));
                }
                to
            })
            .collect();
        StepR {
            actor_name,
            inferred,
            actor,
            parallel,
            forms,
            branches,
        }
    }

    /// Who acts in a step, read from its text ([`zhize_core::bodies::step_actor`]): a name
    /// of the organisation, a role or an outside body.
    fn actor_in(&self, text: &str) -> Option<String> {
        let plain = prose_of(text);
        let known = |n: &str| {
            !n.is_ascii()
                && self.org.names.get(n).is_some_and(|ts| {
                    ts.iter().any(|t| {
                        matches!(
                            t,
                            Target::Dept(..) | Target::Post(..) | Target::External(..)
                        )
                    })
                })
        };
        zhize_core::bodies::step_actor(&plain, &known, &self.own)
    }

    /// The actor of a step of department `di`: a post of that department, a department or
    /// an outside body. An ambiguous name is an error at `path`; an unknown one stays
    /// unresolved (it may be a role such as 分管领导).
    fn actor(
        &self,
        di: usize,
        name: &str,
        file: FileId,
        path: &str,
        diags: &mut Diagnostics,
    ) -> Option<Target> {
        match self.org.lookup(name, Want::Actor(di)) {
            Ok(t) => t,
            Err(found) => {
                diags.push(
                    self.sources
                        .diag_at(ambiguous(self.org, name, &found), file, path),
                );
                None
            }
        }
    }

    /// The form `name` names; one the organisation has no template of is a warning at
    /// `path`, and stays plain text.
    fn form(
        &self,
        name: &str,
        file: FileId,
        path: &str,
        diags: &mut Diagnostics,
    ) -> Option<Target> {
        match self.org.lookup(name, Want::Form) {
            Ok(Some(t)) => Some(t),
            _ => {
                let known: Vec<&str> = self
                    .org
                    .depts
                    .iter()
                    .flat_map(|d| d.raw.forms.iter().map(|f| f.name.as_str()))
                    .collect();
                diags.push(self.sources.diag_at(
                    Diagnostic::warning(format!("form “{name}” has no template in this organisation"))
                        .hint(did_you_mean(name, known.iter().copied(), "add it under `forms:` of the department that keeps it, or leave it as plain text"))
                        .zh(format!("本单位没有表单“{name}”的样表"))
                        .hint_zh(did_you_mean_zh(name, known.iter().copied(), "把它加到保管它的科室的“表单”下，或保留为普通文字")),
                    file,
                    path,
                ));
                None
            }
        }
    }

    /// The index of the step a branch goes to, by number (1 is the first) or by label; a
    /// step the procedure does not have is an error at `path`.
    fn branch(
        &self,
        at: &ProcedureAt,
        goto: &Scalar,
        path: &str,
        diags: &mut Diagnostics,
    ) -> Option<usize> {
        let labels = &at.labels;
        let found = match goto {
            Scalar::Int(n) if *n >= 1 && (*n as usize) <= labels.len() => Some(*n as usize - 1),
            Scalar::Text(t) => labels.iter().position(|l| *l == Some(t.trim())),
            _ => None,
        };
        if found.is_none() {
            let known: Vec<&str> = labels.iter().flatten().copied().collect();
            diags.push(
                self.sources.diag_at(
                    Diagnostic::error(format!(
                        "branch goes to “{goto}”, which is no step of this procedure"
                    ))
                    .hint(did_you_mean(
                        &goto.to_string(),
                        known.iter().copied(),
                        "name a step by its `label` or its number (1 is the first step)",
                    ))
                    .zh(format!("分支转到“{goto}”，但这个流程没有这一步"))
                    .hint_zh(did_you_mean_zh(
                        &goto.to_string(),
                        known.iter().copied(),
                        "用步骤的“标签”或序号（第一步是 1）指明转到哪一步",
                    )),
                    at.origin.file,
                    path,
                ),
            );
        }
        found
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
    // Printed numbers (`no`) of the duties, each at its first duty: looked up for every
    // number a post covers, so a map rather than a scan (posts × duties × duties otherwise).
    let mut printed: HashMap<&str, usize> = HashMap::new();
    for (i, d) in r.duties.iter().enumerate() {
        if let Some(no) = d.no() {
            printed.entry(no).or_insert(i);
        }
    }
    for (i, c) in covers.iter().enumerate() {
        let path = format!("{}.covers.{i}", origin.path);
        let by_number = |k: i64| -> Option<usize> {
            // A printed number (`no`) wins over the position.
            let printed = printed.get(k.to_string().as_str()).copied();
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
                    ))
                    .zh(format!("岗位负责的“{c}”不是本科室的细化职责"))
                    .hint_zh(format!(
                        "本科室有 {n} 条细化职责：写它们的序号（1–{n}）、范围（如 3-7）、职责标识，或“全部”"
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
    Linker::new(&names, own_names(&org.raw), false)
}

/// The organisation's own names, as a qualifier of its units.
pub fn own_names(org: &OrgFile) -> OwnNames {
    let names: Vec<&String> = std::iter::once(&org.name)
        .chain(&org.aliases)
        .chain(&org.plaques)
        .collect();
    OwnNames::new(&names)
}

/// Names unique across all organisations, for pages outside any organisation.
fn site_wide_linker(orgs: &[Arc<Org>]) -> Linker {
    let mut all: BTreeMap<String, Vec<Target>> = BTreeMap::new();
    let mut own = OwnNames::default();
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
        for name in std::iter::once(&org.raw.name).chain(&org.raw.aliases) {
            if name.chars().count() >= 2 {
                all.entry(name.clone()).or_default().push(Target::Org(oi));
            }
        }
        own.extend(&own_names(&org.raw));
    }
    let names = all
        .into_iter()
        .filter(|(_, t)| t.len() == 1)
        .map(|(n, t)| (n, t[0]))
        .collect();
    // With one organisation, every page is about it; with more, a page links only into those
    // it names (a document of one city must not link into another's pages).
    Linker::new(&names, own, orgs.len() > 1)
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

/// The words around a mention, for showing a backlink in context: up to 40 characters on
/// each side, within the mention's line, with `…` where the text goes on. Looks only at
/// those characters, so that finding every mention of a long text stays linear in its length.
pub fn context_of(text: &str, start: usize, end: usize) -> String {
    const AROUND: usize = 40;
    // The window of 40 characters before, and whether the text goes on before it.
    let before_text = &text[..start];
    let from = before_text
        .char_indices()
        .rev()
        .nth(AROUND - 1)
        .map_or(0, |(i, _)| i);
    let window = &before_text[from..];
    let before = window.rsplit('\n').next().unwrap_or("");
    let after_text = &text[end..];
    let to = after_text
        .char_indices()
        .nth(AROUND)
        .map_or(after_text.len(), |(i, _)| i);
    let after = after_text[..to].split('\n').next().unwrap_or("");
    format!(
        "{}{before}{}{after}{}",
        if from > 0 && !before.is_empty() {
            "…"
        } else {
            ""
        },
        &text[start..end],
        if to < after_text.len() { "…" } else { "" }
    )
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

/// Add a backlink unless the same one is there (`seen` remembers them all, so that adding
/// is constant time however many a target has).
fn push_backlink(
    out: &mut HashMap<Target, Vec<Backlink>>,
    seen: &mut HashSet<(Target, Backlink)>,
    target: Target,
    bl: Backlink,
) {
    if seen.insert((target, bl.clone())) {
        out.entry(target).or_default().push(bl);
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
    let mut seen_by_org: HashMap<usize, HashSet<(Target, Backlink)>> = HashMap::new();
    for (g, f) in group.iter().zip(found.iter_mut()) {
        if let Some(oi) = g {
            let out = by_org.entry(*oi).or_default();
            let seen = seen_by_org.entry(*oi).or_default();
            for (target, bl) in f.drain(..) {
                push_backlink(out, seen, target, bl);
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
    let mut seen: HashSet<(Target, Backlink)> = out
        .iter()
        .flat_map(|(t, list)| list.iter().map(|bl| (*t, bl.clone())))
        .collect();
    for p in pages {
        for (t, bl) in p.iter() {
            push_backlink(&mut out, &mut seen, *t, bl.clone());
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
