//! The data each template receives, one type per page kind (as Zola's `SerializingPage`).
//!
//! The view code (`pages.rs`, `views.rs`) builds these from the resolved site;
//! [`tera::Context::from_serialize`] turns them into template variables. A field renamed or
//! dropped here is a compile error in the view code, not a failure at render time.
//!
//! `docs/themes.md` lists every field of these types, with its type, per template; the test
//! `tests/testsuite/build/themes_doc.rs` serialises every page of the demo site and fails when
//! a field here is missing from the docs or a documented one is gone. Change both together.
//!
//! Conventions, so that templates keep working whatever the content leaves out:
//! - every field is always present: an absent value is `null` (`Option`), an empty list `[]`;
//! - `String` fields named `summary`, `text`, `body`, `context`, `svg`, `chart` or holding
//!   lists of duties are rendered HTML (written with `| safe`); everything else is plain text
//!   that the template escapes;
//! - text taken as it is from the content is borrowed (`&'a str`, `&'a [String]`), not copied.

use serde::Serialize;
use std::borrow::Cow;
use zhize_core::model::Unparsed;

/// Any page: the page data of one template, as the renderer hands it to tera. Serialises as
/// the page itself (no tag).
#[derive(Serialize)]
#[serde(untagged)]
pub enum PageData<'a> {
    /// `index.html`.
    Home(HomePage<'a>),
    /// `contacts.html`.
    Contacts(ContactsPage<'a>),
    /// `404.html`: the common variables only.
    NotFound(Base<'a>),
    /// `org.html`.
    Org(OrgPage<'a>),
    /// `dept.html`.
    Dept(DeptPage<'a>),
    /// `post.html`.
    Post(PostPage<'a>),
    /// `procedure.html`.
    Procedure(ProcedurePage<'a>),
    /// `form.html`.
    Form(FormPage<'a>),
    /// `external.html`.
    External(ExternalPage<'a>),
    /// `page.html`.
    Text(TextPage<'a>),
    /// `views/matrix.html`.
    Matrix(OrgViewPage<'a, MatrixView<'a>>),
    /// `views/boundary.html`.
    Boundary(OrgViewPage<'a, BoundaryView<'a>>),
    /// `views/graph.html`.
    Graph(OrgViewPage<'a, GraphView<'a>>),
    /// `views/orgchart.html`.
    OrgChart(OrgViewPage<'a, OrgChartView<'a>>),
    /// `views/az.html`.
    Az(OrgViewPage<'a, AzView<'a>>),
    /// `handbook.html`.
    Handbook(HandbookPage<'a>),
    /// `power.html`.
    Power(PowerPage<'a>),
    /// `views/powers.html`.
    Powers(OrgViewPage<'a, PowersView<'a>>),
    /// `views/risks.html`.
    Risks(OrgViewPage<'a, RisksView<'a>>),
}

// ---------------------------------------------------------------------------------------------
// Shapes shared by many pages.

/// A link to a page of the site (`{name, url, kind}`), relative to the page it is on. Used by
/// every template (crumbs, nav, lists of departments, posts, procedures …).
#[derive(Serialize, Clone, Debug)]
pub struct Link<'a> {
    /// The target's display name.
    pub name: &'a str,
    /// Relative to the current page.
    pub url: String,
    /// 单位, 科室, 岗位, 工作流程, 表单, 外部单位, 页面 or 权责事项.
    pub kind: &'static str,
}

/// A name as the content wrote it, linked when it resolved (`url` and `kind` are then set)
/// and plain when it did not (a free role such as 分管领导). Used by `org.html` and
/// `dept.html` (division `with`), `procedure.html` (actors, forms), `contacts.html` (owners)
/// and `views/boundary.html` (similar names).
#[derive(Serialize, Clone, Debug)]
pub struct NameLink<'a> {
    pub name: &'a str,
    pub url: Option<String>,
    pub kind: Option<&'static str>,
}

impl<'a> NameLink<'a> {
    /// `name`, linked to where `link` points.
    pub fn resolved(name: &'a str, link: Link<'_>) -> NameLink<'a> {
        NameLink {
            name,
            url: Some(link.url),
            kind: Some(link.kind),
        }
    }

    /// `name`, not linked.
    pub fn plain(name: &'a str) -> NameLink<'a> {
        NameLink {
            name,
            url: None,
            kind: None,
        }
    }
}

impl<'a> From<Link<'a>> for NameLink<'a> {
    fn from(l: Link<'a>) -> Self {
        NameLink {
            name: l.name,
            url: Some(l.url),
            kind: Some(l.kind),
        }
    }
}

/// A link to one of an organisation's views, with `current` on the one shown. Used by
/// `base.html` (nav), `index.html`, `org.html` and `views/tabs.html`.
#[derive(Serialize, Clone, Debug)]
pub struct ViewLink {
    pub name: &'static str,
    /// One line on what the view shows.
    pub blurb: &'static str,
    pub url: String,
    pub current: bool,
}

/// A contact point (`partials/contacts.html`, from `org.html`, `dept.html`, `post.html` and
/// `procedure.html`).
#[derive(Serialize, Clone, Debug)]
pub struct ContactRow<'a> {
    pub name: &'a str,
    pub role: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub address: Option<&'a str>,
    pub email: Option<&'a str>,
    pub department: Option<&'a str>,
}

impl<'a> From<&'a zhize_core::model::Contact> for ContactRow<'a> {
    fn from(c: &'a zhize_core::model::Contact) -> Self {
        ContactRow {
            name: &c.name,
            role: c.role.as_deref(),
            phone: c.phone.as_deref(),
            address: c.address.as_deref(),
            email: c.email.as_deref(),
            department: c.department.as_deref(),
        }
    }
}

/// A division-of-work item (`partials/division.html` from `dept.html`; `org.html`).
#[derive(Serialize, Debug)]
pub struct DivisionEntry<'a> {
    pub topic: Option<&'a str>,
    /// HTML.
    pub text: String,
    /// The departments and bodies it names.
    pub with: Vec<NameLink<'a>>,
}

/// A page that names a department or an outside body (`partials/backlinks.html` from
/// `dept.html`; `external.html`).
#[derive(Serialize, Debug)]
pub struct Backlink<'a> {
    /// The page the mention is on.
    #[serde(flatten)]
    pub link: Link<'a>,
    /// The department of a post, procedure or form page; else null.
    pub owner: Option<&'a str>,
    /// Where on that page: 细化职责, 职责分工 · 内部分工, 步骤 · 审核 …
    pub section: &'a str,
    /// HTML: the words around the mention, the name in `<mark>`.
    pub context: String,
}

/// How many duties, posts, procedures and forms a department has (`index.html`, `org.html`).
#[derive(Serialize, Debug)]
pub struct DeptCounts {
    pub duties: usize,
    pub posts: usize,
    pub procedures: usize,
    pub forms: usize,
}

impl DeptCounts {
    pub fn of(d: &zhize_core::model::DeptFile) -> DeptCounts {
        DeptCounts {
            duties: d.duties.len(),
            posts: d.posts.len(),
            procedures: d.procedures.len(),
            forms: d.forms.len(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// What every page has.

/// The variables every template receives (`base.html` and all that extend it), flattened
/// into each page's data.
#[derive(Serialize, Debug)]
pub struct Base<'a> {
    pub site: SiteInfo<'a>,
    /// The way back to the site root: `""`, `"../"`, `"../../"` …
    pub root: String,
    /// This page's output path, e.g. `weihai/bgs/index.html`.
    pub path: String,
    pub title: Cow<'a, str>,
    /// Links above this page: `[org]` or `[org, dept]`; empty on top-level pages.
    pub crumbs: Vec<Link<'a>>,
    /// When the list was last checked, or null.
    pub reviewed: Option<ReviewedInfo<'a>>,
    /// When the page's source file last changed, from git history (`YYYY-MM-DD`), or null.
    pub updated: Option<&'a str>,
    /// The sidebar: organisations with their departments.
    pub nav: Vec<NavOrg<'a>>,
    pub home_url: String,
    pub contacts_url: String,
    /// The page's language for `<html lang>`: `zh-Hant` when its text is written in
    /// traditional Chinese, else `site.lang`.
    pub lang: &'a str,
    /// Plain text for `<meta name="description">`: the page's summary (or its first
    /// duties), shortened; else `site.description`; else null.
    pub description: Option<String>,
    /// Relative link to the tab icon (`favicon:` in zhize.yaml, under `static/`).
    pub favicon: String,
    /// Where to correct the page's source (`edit_url:` + the source file's path), or null.
    pub edit_url: Option<String>,
    /// The page before this one: the previous department of the organisation, or the
    /// previous procedure of the department; else null.
    pub prev: Option<Link<'a>>,
    /// The page after this one, as `prev`.
    pub next: Option<Link<'a>>,
    /// The printable handbook (汇编) this page belongs to: its department's on department,
    /// post, procedure and form pages, its organisation's on the organisation page; else null.
    pub handbook_url: Option<String>,
}

/// `site`: settings from `zhize.yaml` (every template).
#[derive(Serialize, Debug)]
pub struct SiteInfo<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub lang: &'a str,
}

/// `reviewed`: a date and who checked (every template).
#[derive(Serialize, Debug)]
pub struct ReviewedInfo<'a> {
    pub date: &'a str,
    pub by: Option<&'a str>,
}

/// An organisation in the sidebar (`base.html`).
#[derive(Serialize, Debug)]
pub struct NavOrg<'a> {
    #[serde(flatten)]
    pub link: Link<'a>,
    /// True on the organisation's pages.
    pub current: bool,
    pub views: Vec<ViewLink>,
    pub depts: Vec<NavDept<'a>>,
}

/// A department in the sidebar (`base.html`).
#[derive(Serialize, Debug)]
pub struct NavDept<'a> {
    #[serde(flatten)]
    pub link: Link<'a>,
    /// True on the department's pages (its own, its posts', procedures' and forms').
    pub current: bool,
    /// True on the department's own page.
    pub page_current: bool,
    /// The department's posts when it is current; else null.
    pub posts: Option<Vec<NavItem<'a>>>,
    /// The department's procedures when it is current; else null.
    pub procedures: Option<Vec<NavItem<'a>>>,
}

/// A post or procedure in the sidebar (`base.html`).
#[derive(Serialize, Debug)]
pub struct NavItem<'a> {
    #[serde(flatten)]
    pub link: Link<'a>,
    /// True on its own page.
    pub current: bool,
}

// ---------------------------------------------------------------------------------------------
// index.html

/// `index.html`: the home page.
#[derive(Serialize, Debug)]
pub struct HomePage<'a> {
    #[serde(flatten)]
    pub base: Base<'a>,
    pub orgs: Vec<HomeOrg<'a>>,
    /// The free pages (`content/pages/`).
    pub pages: Vec<Link<'a>>,
}

/// An organisation on the home page (`index.html`).
#[derive(Serialize, Debug)]
pub struct HomeOrg<'a> {
    #[serde(flatten)]
    pub link: Link<'a>,
    pub counts: OrgCounts,
    pub depts: Vec<HomeDept<'a>>,
    pub views: Vec<ViewLink>,
}

/// Totals of an organisation (`index.html`).
#[derive(Serialize, Debug)]
pub struct OrgCounts {
    pub depts: usize,
    pub duties: usize,
    pub posts: usize,
    pub procedures: usize,
    pub forms: usize,
}

/// A department on the home page (`index.html`).
#[derive(Serialize, Debug)]
pub struct HomeDept<'a> {
    #[serde(flatten)]
    pub link: Link<'a>,
    pub counts: DeptCounts,
}

// ---------------------------------------------------------------------------------------------
// org.html

/// `org.html`: an organisation.
#[derive(Serialize, Debug)]
pub struct OrgPage<'a> {
    #[serde(flatten)]
    pub base: Base<'a>,
    pub org: OrgInfo<'a>,
    pub views: Vec<ViewLink>,
}

/// `org` on `org.html`.
#[derive(Serialize, Debug)]
pub struct OrgInfo<'a> {
    pub name: &'a str,
    pub aliases: &'a [String],
    pub plaques: &'a [String],
    pub level: Option<&'a str>,
    /// HTML.
    pub summary: Option<String>,
    /// HTML each.
    pub duties: Vec<String>,
    pub documents: Vec<DocumentItem<'a>>,
    pub staffing: Vec<StaffingItem<'a>>,
    /// The 三定 facts: unit count, staffing, leadership posts, legal bases.
    pub facts: OrgFacts<'a>,
    pub division: Vec<DivisionEntry<'a>>,
    pub depts: Vec<OrgDept<'a>>,
    pub externals: Vec<Link<'a>>,
    pub people: Vec<PersonRow<'a>>,
    pub contacts: Vec<ContactRow<'a>>,
    /// The organisation's Markdown pages.
    pub pages: Vec<Link<'a>>,
    /// Lines an import could not place, shown collapsed (未能识别的原文).
    pub unparsed: &'a [Unparsed],
    /// Its power items (权责事项), and the link to its 权责清单 view.
    pub powers: usize,
    pub powers_url: String,
    /// Its risk points and the link to its 廉政风险 view.
    pub risk_points: usize,
    pub risks_url: String,
    /// The open-data files of the organisation: JSON of it and each department, CSV of
    /// its duty and power lists.
    pub data: Vec<DataLink>,
}

/// The 三定 facts of an organisation (`org.html`, `partials/facts.html`).
#[derive(Serialize, Debug)]
pub struct OrgFacts<'a> {
    /// The number of internal units the 三定 text states, or null.
    pub units: Option<u32>,
    /// The number of department files.
    pub depts: usize,
    /// Staffing items (行政编制 43 名 …): staffing lines whose item names a kind of 编制.
    pub staffing: Vec<StaffingItem<'a>>,
    /// Leadership posts (领导职数: 局长 1 名 …): the other staffing lines.
    pub leaders: Vec<StaffingItem<'a>>,
    pub plaques: &'a [String],
    /// Laws and regulations it acts under (执法依据).
    pub legal_bases: &'a [String],
}

/// A machine-readable file of an organisation (`org.html`).
#[derive(Serialize, Debug)]
pub struct DataLink {
    /// What it holds, e.g. `单位数据（JSON）`.
    pub name: String,
    pub url: String,
    /// `json` or `csv`.
    pub format: &'static str,
}

/// A 三定 document of an organisation (`org.html`).
#[derive(Serialize, Debug)]
pub struct DocumentItem<'a> {
    pub no: Option<&'a str>,
    pub title: &'a str,
    pub issuer: Option<&'a str>,
    pub date: Option<&'a str>,
    /// HTML.
    pub body: Option<String>,
}

/// A line of an organisation's staffing (人员编制), in file order (`org.html`).
#[derive(Serialize, Debug)]
pub struct StaffingItem<'a> {
    pub item: &'a str,
    pub value: &'a str,
}

/// A department on its organisation's page (`org.html`).
#[derive(Serialize, Debug)]
pub struct OrgDept<'a> {
    #[serde(flatten)]
    pub link: Link<'a>,
    /// HTML.
    pub summary: Option<String>,
    pub counts: DeptCounts,
}

/// A person named by an organisation (`org.html`).
#[derive(Serialize, Debug)]
pub struct PersonRow<'a> {
    pub name: &'a str,
    pub role: Option<&'a str>,
    pub department: Option<&'a str>,
    pub phone: Option<&'a str>,
}

// ---------------------------------------------------------------------------------------------
// dept.html

/// `dept.html`: a department.
#[derive(Serialize, Debug)]
pub struct DeptPage<'a> {
    #[serde(flatten)]
    pub base: Base<'a>,
    pub org_link: Link<'a>,
    pub dept: DeptInfo<'a>,
}

/// `dept` on `dept.html`.
#[derive(Serialize, Debug)]
pub struct DeptInfo<'a> {
    pub name: &'a str,
    pub aliases: &'a [String],
    pub plaques: &'a [String],
    /// HTML.
    pub summary: Option<String>,
    pub duties: Vec<DutyRow<'a>>,
    pub posts: Vec<PostRow<'a>>,
    /// Which columns of the posts table some post fills (an empty column is not shown).
    pub post_columns: PostColumns,
    pub division: DivisionGroups<'a>,
    pub risks: RiskInfo<'a>,
    /// The power items the department carries out.
    pub powers: Vec<PowerRow<'a>>,
    pub procedures: Vec<ProcedureItem<'a>>,
    pub forms: Vec<Link<'a>>,
    pub contacts: Vec<ContactRow<'a>>,
    /// Lines an import could not place, shown collapsed (未能识别的原文).
    pub unparsed: &'a [Unparsed],
    pub backlinks: Vec<Backlink<'a>>,
}

/// A detailed duty of a department (`dept.html`).
#[derive(Serialize, Debug)]
pub struct DutyRow<'a> {
    /// The row's `id`; post pages link to it.
    pub anchor: &'a str,
    /// The printed number, or the position.
    pub no: String,
    pub group: Option<&'a str>,
    /// True on the first duty of a group.
    pub new_group: bool,
    /// HTML.
    pub text: String,
    /// The first posts that cover it.
    pub posts: Vec<Link<'a>>,
    /// How many more posts cover it.
    pub more_posts: usize,
}

/// A post in a department's table (`dept.html`).
#[derive(Serialize, Debug)]
pub struct PostRow<'a> {
    #[serde(flatten)]
    pub link: Link<'a>,
    pub rank: Option<&'a str>,
    pub headcount: Option<u32>,
    /// The duties it covers, as runs (1–12).
    pub covers: Vec<CoverRun<'a>>,
    /// HTML each.
    pub duties: Vec<String>,
}

/// Which columns of a department's posts table some post fills (`dept.html`).
#[derive(Serialize, Debug)]
pub struct PostColumns {
    /// 类别.
    pub rank: bool,
    /// 人数.
    pub headcount: bool,
    /// 负责细化职责.
    pub covers: bool,
    /// 岗位职责.
    pub duties: bool,
}

impl PostColumns {
    pub fn of(posts: &[PostRow<'_>]) -> PostColumns {
        PostColumns {
            rank: posts
                .iter()
                .any(|p| p.rank.is_some_and(|r| !r.trim().is_empty())),
            headcount: posts.iter().any(|p| p.headcount.is_some()),
            covers: posts.iter().any(|p| !p.covers.is_empty()),
            duties: posts.iter().any(|p| !p.duties.is_empty()),
        }
    }
}

/// A run of duties a post covers (`dept.html`).
#[derive(Serialize, Debug)]
pub struct CoverRun<'a> {
    pub no: String,
    /// The last number of a run of two or more; else null.
    pub last_no: Option<String>,
    /// The first duty's anchor.
    pub anchor: &'a str,
}

/// A department's division of work, by kind (`dept.html`).
#[derive(Serialize, Debug)]
pub struct DivisionGroups<'a> {
    pub external: Vec<DivisionEntry<'a>>,
    pub internal: Vec<DivisionEntry<'a>>,
    pub general: Vec<DivisionEntry<'a>>,
}

/// A department's integrity risks (`dept.html`).
#[derive(Serialize, Debug)]
pub struct RiskInfo<'a> {
    pub points: Vec<RiskPointRow<'a>>,
    /// HTML each.
    pub controls: Vec<String>,
}

/// An integrity risk point (`dept.html`, `views/risks.html`).
#[derive(Serialize, Debug)]
pub struct RiskPointRow<'a> {
    pub category: Option<&'a str>,
    pub level: Option<&'a str>,
    /// CSS class suffix of the level (`high`, `medium`, `low`, `other`).
    pub level_class: &'static str,
    /// HTML.
    pub text: String,
    /// Its own control measures; HTML each.
    pub controls: Vec<String>,
    /// Who is responsible: linked when the name is a post, department or person.
    pub owners: Vec<NameLink<'a>>,
    /// The department it belongs to (on `views/risks.html`; null on `dept.html`).
    pub dept: Option<Link<'a>>,
    /// The department page's anchor of the row (`risk-N`).
    pub anchor: String,
}

/// A procedure in a department's list (`dept.html`).
#[derive(Serialize, Debug)]
pub struct ProcedureItem<'a> {
    #[serde(flatten)]
    pub link: Link<'a>,
    /// The number of steps.
    pub steps: usize,
}

// ---------------------------------------------------------------------------------------------
// post.html

/// `post.html`: a post (岗位).
#[derive(Serialize, Debug)]
pub struct PostPage<'a> {
    #[serde(flatten)]
    pub base: Base<'a>,
    pub dept_link: Link<'a>,
    /// The post's list on the matrix page, or null when the matrix leaves posts out.
    pub my_duties_url: Option<String>,
    pub post: PostInfo<'a>,
}

/// `post` on `post.html`.
#[derive(Serialize, Debug)]
pub struct PostInfo<'a> {
    pub name: &'a str,
    pub aliases: &'a [String],
    pub rank: Option<&'a str>,
    pub headcount: Option<u32>,
    /// HTML.
    pub summary: Option<String>,
    pub covers: Vec<CoveredDuty>,
    /// HTML each.
    pub duties: Vec<String>,
    pub steps: Vec<StepLink<'a>>,
    pub contacts: Vec<ContactRow<'a>>,
}

/// A department duty a post covers, linked to its anchor (`post.html`).
#[derive(Serialize, Debug)]
pub struct CoveredDuty {
    pub no: String,
    pub url: String,
    /// HTML.
    pub text: String,
}

/// A step the post carries out or co-signs: a procedure link whose `url` ends in `#step-N`
/// (`post.html`).
#[derive(Serialize, Debug)]
pub struct StepLink<'a> {
    #[serde(flatten)]
    pub link: Link<'a>,
    /// The step's label, or 第N步.
    pub step: Cow<'a, str>,
}

// ---------------------------------------------------------------------------------------------
// procedure.html

/// `procedure.html`: a procedure (工作流程).
#[derive(Serialize, Debug)]
pub struct ProcedurePage<'a> {
    #[serde(flatten)]
    pub base: Base<'a>,
    pub dept_link: Link<'a>,
    /// The swimlane chart as inline SVG (HTML), or null for a procedure of fewer than two
    /// steps.
    pub chart: Option<String>,
    pub procedure: ProcedureInfo<'a>,
}

/// `procedure` on `procedure.html`.
#[derive(Serialize, Debug)]
pub struct ProcedureInfo<'a> {
    pub name: &'a str,
    pub aliases: &'a [String],
    /// HTML.
    pub summary: Option<String>,
    pub steps: Vec<StepRow<'a>>,
    /// Which columns of the steps table some step fills (a column empty for every step is
    /// not shown).
    pub columns: StepColumns,
    /// HTML each.
    pub notes: Vec<String>,
    pub forms: Vec<NameLink<'a>>,
    pub contacts: Vec<ContactRow<'a>>,
}

/// Which columns of a procedure's steps table hold something (`procedure.html`).
#[derive(Serialize, Debug, Default, Clone, Copy)]
pub struct StepColumns {
    pub label: bool,
    pub actor: bool,
    pub limit: bool,
    pub forms: bool,
}

/// A step of a procedure (`procedure.html`).
#[derive(Serialize, Debug)]
pub struct StepRow<'a> {
    /// 1, 2, 3 …
    pub n: usize,
    /// `step-N`: the row's `id`.
    pub anchor: String,
    pub label: Option<&'a str>,
    pub actor: Option<NameLink<'a>>,
    /// Who co-signs (会签).
    pub parallel: Vec<NameLink<'a>>,
    /// HTML.
    pub text: Option<String>,
    pub limit: Option<&'a str>,
    pub forms: Vec<NameLink<'a>>,
    pub branches: Vec<BranchRow<'a>>,
}

/// A branch of a step (`procedure.html`).
#[derive(Serialize, Debug)]
pub struct BranchRow<'a> {
    pub when: &'a str,
    pub label: Option<&'a str>,
    /// The target step, or null when the branch ends the procedure.
    pub to: Option<StepRef<'a>>,
}

/// The step a branch goes to (`procedure.html`).
#[derive(Serialize, Debug)]
pub struct StepRef<'a> {
    pub n: usize,
    pub anchor: String,
    /// The step's label, or 第N步.
    pub label: Cow<'a, str>,
}

// ---------------------------------------------------------------------------------------------
// form.html

/// `form.html`: a form (表单).
#[derive(Serialize, Debug)]
pub struct FormPage<'a> {
    #[serde(flatten)]
    pub base: Base<'a>,
    pub dept_link: Link<'a>,
    pub form: FormInfo<'a>,
}

/// `form` on `form.html`.
#[derive(Serialize, Debug)]
pub struct FormInfo<'a> {
    pub name: &'a str,
    /// HTML.
    pub summary: Option<String>,
    /// Rows of cells.
    pub rows: Vec<Vec<FormCell<'a>>>,
    /// HTML each.
    pub notes: Vec<String>,
    /// The procedures that use the form.
    pub used_by: Vec<Link<'a>>,
    /// Empty rows to print below the rows for filling in: 12 when the form is a single row
    /// of column headings (a register), else 0.
    pub blank_rows: usize,
}

/// A cell of a form (`form.html`).
#[derive(Serialize, Debug)]
pub struct FormCell<'a> {
    pub text: &'a str,
    /// More than 1 on a short row's last cell (`colspan`).
    pub span: usize,
}

// ---------------------------------------------------------------------------------------------
// external.html, page.html, contacts.html

/// `external.html`: an outside body.
#[derive(Serialize, Debug)]
pub struct ExternalPage<'a> {
    #[serde(flatten)]
    pub base: Base<'a>,
    pub external: ExternalInfo<'a>,
}

/// `external` on `external.html`.
#[derive(Serialize, Debug)]
pub struct ExternalInfo<'a> {
    pub name: &'a str,
    pub aliases: &'a [String],
    /// HTML.
    pub summary: Option<String>,
    pub backlinks: Vec<Backlink<'a>>,
}

/// `page.html`: a Markdown page.
#[derive(Serialize, Debug)]
pub struct TextPage<'a> {
    #[serde(flatten)]
    pub base: Base<'a>,
    pub page: PageInfo<'a>,
}

/// `page` on `page.html`.
#[derive(Serialize, Debug)]
pub struct PageInfo<'a> {
    pub title: &'a str,
    /// Plain text.
    pub summary: Option<&'a str>,
    pub date: Option<&'a str>,
    /// HTML: its headings have `id`s and an anchor link.
    pub body: String,
    /// The body's second- and third-level headings, in order (the table of contents).
    pub toc: Vec<TocEntry>,
}

/// A heading of a Markdown page (`page.html`).
#[derive(Serialize, Debug)]
pub struct TocEntry {
    /// 2 or 3.
    pub level: u8,
    /// Plain text.
    pub text: String,
    /// The heading's `id`.
    pub anchor: String,
}

/// `contacts.html`: the address book.
#[derive(Serialize, Debug)]
pub struct ContactsPage<'a> {
    #[serde(flatten)]
    pub base: Base<'a>,
    pub groups: Vec<ContactGroup<'a>>,
}

/// An organisation's contacts (`contacts.html`).
#[derive(Serialize, Debug)]
pub struct ContactGroup<'a> {
    #[serde(flatten)]
    pub link: Link<'a>,
    pub entries: Vec<ContactEntry<'a>>,
    pub columns: ContactColumns,
}

/// A contact in the address book (`contacts.html`).
#[derive(Serialize, Debug)]
pub struct ContactEntry<'a> {
    pub name: &'a str,
    pub role: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub address: Option<&'a str>,
    pub email: Option<&'a str>,
    /// The department it belongs to (the organisation for the organisation's own contacts).
    pub unit: NameLink<'a>,
    /// The post it is the contact of, when it belongs to a post.
    pub post: Option<Link<'a>>,
    /// The procedure (matter) it is the contact for, when it belongs to one.
    pub matter: Option<Link<'a>>,
}

/// Which columns of an organisation's contacts some entry fills (`contacts.html`): a column
/// empty for every entry is not shown.
#[derive(Serialize, Debug, Default)]
pub struct ContactColumns {
    /// 职务 or 岗位.
    pub role: bool,
    /// 负责事项.
    pub matter: bool,
    pub phone: bool,
    /// 地址 or e-mail.
    pub address: bool,
}

// ---------------------------------------------------------------------------------------------
// Organisation views (views/*.html)

/// An organisation view page (`views/matrix.html`, `boundary.html`, `graph.html`,
/// `orgchart.html`, `az.html`, with `views/tabs.html`); `view` is the view's own data.
#[derive(Serialize, Debug)]
pub struct OrgViewPage<'a, V> {
    #[serde(flatten)]
    pub base: Base<'a>,
    pub org_link: Link<'a>,
    pub views: Vec<ViewLink>,
    pub view_title: &'static str,
    pub view: V,
}

/// A role of the matrix legend (`views/matrix.html`).
#[derive(Serialize, Debug, Clone, Copy)]
pub struct RoleInfo {
    /// 牵头, 主办 …
    pub label: &'static str,
    /// CSS class suffix (`role-{{ class }}`).
    pub class: &'static str,
    pub meaning: &'static str,
}

/// `view` on `views/matrix.html`: the responsibility matrix.
#[derive(Serialize, Debug)]
pub struct MatrixView<'a> {
    pub roles: Vec<RoleInfo>,
    /// One per department.
    pub columns: Vec<AnchoredLink<'a>>,
    pub rows: Vec<MatrixRow<'a>>,
    /// Rows left out for size.
    pub rows_left_out: usize,
    pub depts: Vec<MatrixDept<'a>>,
}

/// A link plus the `id` of its section on the matrix page (`views/matrix.html`).
#[derive(Serialize, Debug)]
pub struct AnchoredLink<'a> {
    #[serde(flatten)]
    pub link: Link<'a>,
    pub anchor: String,
}

/// What a matrix row is about (`views/matrix.html`), flattened into its rows.
#[derive(Serialize, Debug)]
pub struct RowHead<'a> {
    /// 职责分工, 细化职责 or 工作流程.
    pub kind: &'static str,
    pub title: &'a str,
    pub url: String,
    /// Where the text is.
    pub source: String,
    /// An excerpt of the text.
    pub text: String,
}

/// A row of the whole matrix (`views/matrix.html`).
#[derive(Serialize, Debug)]
pub struct MatrixRow<'a> {
    #[serde(flatten)]
    pub head: RowHead<'a>,
    /// One per department: its role, or null.
    pub cells: Vec<Option<MatrixCell>>,
}

/// A department's (or post's) role in a row (`views/matrix.html`).
#[derive(Serialize, Debug)]
pub struct MatrixCell {
    pub label: &'static str,
    pub class: &'static str,
    /// The words the role was read from.
    pub why: String,
    pub url: String,
}

/// A department's part of the matrix (`views/matrix.html`).
#[derive(Serialize, Debug)]
pub struct MatrixDept<'a> {
    #[serde(flatten)]
    pub link: Link<'a>,
    pub anchor: String,
    pub rows: Vec<MatrixDeptRow<'a>>,
    /// Its posts, or none when left out for size.
    pub posts: Vec<MatrixPost<'a>>,
    /// How many posts were left out.
    pub posts_left_out: usize,
    /// Rows per role, for the roles it has.
    pub counts: Vec<RoleCount>,
}

/// A row of a department's part of the matrix (`views/matrix.html`).
#[derive(Serialize, Debug)]
pub struct MatrixDeptRow<'a> {
    #[serde(flatten)]
    pub head: RowHead<'a>,
    /// The department's role, or null.
    pub role: Option<MatrixCell>,
    /// One per post shown: its role, or null.
    pub posts: Vec<Option<MatrixCell>>,
}

/// A post's "my duties" on the matrix page (`views/matrix.html`).
#[derive(Serialize, Debug)]
pub struct MatrixPost<'a> {
    #[serde(flatten)]
    pub link: Link<'a>,
    pub anchor: String,
    pub duties: Vec<PostDutyRow>,
    /// The number of the post's own duties (岗位职责).
    pub own_duties: usize,
}

/// A matter a post has a role in (`views/matrix.html`).
#[derive(Serialize, Debug)]
pub struct PostDutyRow {
    pub role: RoleInfo,
    pub kind: &'static str,
    pub title: String,
    pub what: String,
    pub url: String,
}

/// How many rows a department has in one role (`views/matrix.html`).
#[derive(Serialize, Debug)]
pub struct RoleCount {
    pub label: &'static str,
    pub class: &'static str,
    pub n: usize,
}

/// `view` on `views/boundary.html`: the boundary report.
#[derive(Serialize, Debug)]
pub struct BoundaryView<'a> {
    /// True when nothing was found.
    pub empty: bool,
    pub overlaps: Vec<OverlapRow<'a>>,
    pub one_sided: Vec<OneSidedRow<'a>>,
    pub unknown_names: Vec<UnknownNameRow<'a>>,
    pub actors: Vec<ActorRow<'a>>,
    /// How many of `actors` look like departments.
    pub actors_dept_like: usize,
}

/// A place in the content (`views/boundary.html`).
#[derive(Serialize, Debug)]
pub struct PlaceRef {
    pub label: String,
    pub url: String,
    /// An excerpt of the text there.
    pub text: String,
}

/// Two departments claiming the same duty (`views/boundary.html`).
#[derive(Serialize, Debug)]
pub struct OverlapRow<'a> {
    /// Similarity, e.g. `87%`.
    pub score: String,
    pub a: Claim<'a>,
    pub b: Claim<'a>,
}

/// One side of an overlap (`views/boundary.html`).
#[derive(Serialize, Debug)]
pub struct Claim<'a> {
    pub dept: Link<'a>,
    pub place: PlaceRef,
    /// An excerpt of the claim.
    pub claim: String,
}

/// A division that only one side writes down (`views/boundary.html`).
#[derive(Serialize, Debug)]
pub struct OneSidedRow<'a> {
    pub from: Link<'a>,
    pub to: Link<'a>,
    pub places: Vec<PlaceRef>,
}

/// A department name that does not exist (`views/boundary.html`).
#[derive(Serialize, Debug)]
pub struct UnknownNameRow<'a> {
    pub name: &'a str,
    /// Known names like it.
    pub similar: Vec<NameLink<'a>>,
    pub places: Vec<NamedPlace>,
}

/// A place that writes an unknown name (`views/boundary.html`).
#[derive(Serialize, Debug)]
pub struct NamedPlace {
    #[serde(flatten)]
    pub place: PlaceRef,
    /// HTML: the words around the name, the name in `<mark>`.
    pub context: String,
}

/// A step actor that matches no department, post or body (`views/boundary.html`).
#[derive(Serialize, Debug)]
pub struct ActorRow<'a> {
    pub name: &'a str,
    /// True when the name looks like a department's.
    pub dept_like: bool,
    pub places: Vec<PlaceRef>,
}

/// `view` on `views/graph.html`: the collaboration graph.
#[derive(Serialize, Debug)]
pub struct GraphView<'a> {
    /// HTML: the graph as inline SVG.
    pub svg: String,
    pub edges: Vec<EdgeRow<'a>>,
    /// Departments with no edge.
    pub alone: Vec<Link<'a>>,
}

/// Two departments that work together (`views/graph.html`).
#[derive(Serialize, Debug)]
pub struct EdgeRow<'a> {
    /// The item's `id`; the SVG links to it.
    pub anchor: String,
    pub a: Link<'a>,
    pub b: Link<'a>,
    /// True when only one side's list names the other.
    pub one_sided: bool,
    /// The department whose list names the other, when one-sided; else null.
    pub named_by: Option<&'a str>,
    pub texts: Vec<EdgeText>,
}

/// A text behind an edge (`views/graph.html`).
#[derive(Serialize, Debug)]
pub struct EdgeText {
    pub kind: &'static str,
    pub title: String,
    pub source: String,
    pub url: String,
}

/// `view` on `views/orgchart.html`: the organisation chart.
#[derive(Serialize, Debug)]
pub struct OrgChartView<'a> {
    /// HTML: the chart as inline SVG.
    pub svg: String,
    pub depts: Vec<OrgChartDept<'a>>,
}

/// A department of the chart (`views/orgchart.html`).
#[derive(Serialize, Debug)]
pub struct OrgChartDept<'a> {
    #[serde(flatten)]
    pub link: Link<'a>,
    pub posts: Vec<Link<'a>>,
    /// The number of procedures.
    pub procedures: usize,
}

/// `view` on `views/az.html`: the A–Z index.
#[derive(Serialize, Debug)]
pub struct AzView<'a> {
    /// Entries in all.
    pub total: usize,
    pub letters: Vec<String>,
    pub groups: Vec<AzGroup<'a>>,
}

/// The entries under one letter (`views/az.html`).
#[derive(Serialize, Debug)]
pub struct AzGroup<'a> {
    /// `A`–`Z`, or `#`.
    pub letter: String,
    /// `letter-A` …, `letter-other` for `#`.
    pub anchor: String,
    pub entries: Vec<AzEntry<'a>>,
}

/// An entry of the A–Z index (`views/az.html`).
#[derive(Serialize, Debug)]
pub struct AzEntry<'a> {
    pub title: String,
    pub kind: &'static str,
    pub url: String,
    /// Its department's name, or null.
    pub dept: Option<&'a str>,
}

// ---------------------------------------------------------------------------------------------
// handbook.html

/// `handbook.html`: the printable handbook (汇编) of an organisation (`<org>/handbook.html`,
/// every department) or of a department (`<org>/<dept>/handbook.html`).
#[derive(Serialize, Debug)]
pub struct HandbookPage<'a> {
    #[serde(flatten)]
    pub base: Base<'a>,
    /// The organisation's name.
    pub org_name: &'a str,
    /// The department's name on a department's handbook; else null.
    pub dept_name: Option<&'a str>,
    /// The organisation's or department's own page.
    pub back: Link<'a>,
    /// The running header of the printed pages, as a quoted and escaped CSS string (written
    /// with `| safe` inside `<style>`).
    pub running_head: String,
    pub depts: Vec<HandbookDept<'a>>,
}

/// A department in a handbook (`handbook.html`).
#[derive(Serialize, Debug)]
pub struct HandbookDept<'a> {
    /// The `id` of its section.
    pub anchor: String,
    /// As on `dept.html`.
    pub dept: DeptInfo<'a>,
    pub procedures: Vec<HandbookProcedure<'a>>,
    pub forms: Vec<HandbookForm<'a>>,
}

/// A procedure in a handbook, with its chart (`handbook.html`).
#[derive(Serialize, Debug)]
pub struct HandbookProcedure<'a> {
    /// The `id` of its section.
    pub anchor: String,
    /// HTML: the swimlane chart as inline SVG (its ids unique on the page), or null.
    pub chart: Option<String>,
    /// As on `procedure.html`.
    pub procedure: ProcedureInfo<'a>,
}

/// A form in a handbook (`handbook.html`).
#[derive(Serialize, Debug)]
pub struct HandbookForm<'a> {
    /// The `id` of its section.
    pub anchor: String,
    /// As on `form.html`.
    pub form: FormInfo<'a>,
}

// ---------------------------------------------------------------------------------------------
// power.html, views/powers.html, views/risks.html

/// `power.html`: a power item (权责事项).
#[derive(Serialize, Debug)]
pub struct PowerPage<'a> {
    #[serde(flatten)]
    pub base: Base<'a>,
    pub org_link: Link<'a>,
    /// The organisation's 权责清单 view.
    pub list_url: String,
    /// The flowchart of its steps as inline SVG (HTML), or null for fewer than two steps.
    pub chart: Option<String>,
    pub power: PowerInfo<'a>,
}

/// `power` on `power.html`.
#[derive(Serialize, Debug)]
pub struct PowerInfo<'a> {
    pub name: &'a str,
    /// 序号 as printed.
    pub no: Option<&'a str>,
    pub code: Option<&'a str>,
    pub category: Option<&'a str>,
    /// 实施依据, one law (with its articles) each.
    pub basis: &'a [String],
    /// The department that carries it out (承办机构): linked when it is one of the
    /// organisation's, else as written.
    pub department: Option<NameLink<'a>>,
    /// 责任事项; HTML each.
    pub responsibilities: Vec<String>,
    /// 责任事项 written as steps.
    pub steps: Vec<StepRow<'a>>,
    /// 追责情形; HTML each.
    pub accountability: Vec<String>,
    pub limit: Option<&'a str>,
    pub fee: Option<&'a str>,
    /// HTML each.
    pub notes: Vec<String>,
}

/// A power item in a list (`dept.html`, `views/powers.html`).
#[derive(Serialize, Debug)]
pub struct PowerRow<'a> {
    #[serde(flatten)]
    pub link: Link<'a>,
    /// Its place in the organisation's list (1, 2 …).
    pub n: usize,
    pub no: Option<&'a str>,
    pub code: Option<&'a str>,
    pub category: Option<&'a str>,
    pub basis: &'a [String],
    /// The department that carries it out, or null.
    pub dept: Option<Link<'a>>,
    pub limit: Option<&'a str>,
    pub fee: Option<&'a str>,
}

/// `view` on `views/powers.html`: the organisation's 权责清单.
#[derive(Serialize, Debug)]
pub struct PowersView<'a> {
    /// Items in all.
    pub total: usize,
    /// Items by category, in the order of the known categories, then the others.
    pub categories: Vec<PowerCategory<'a>>,
    /// Items per department (and those of none, named 未注明承办机构).
    pub depts: Vec<PowerDeptCount<'a>>,
    /// The CSV of the list, or null when there is no item.
    pub csv_url: Option<String>,
}

/// A category of the 权责清单 (`views/powers.html`).
#[derive(Serialize, Debug)]
pub struct PowerCategory<'a> {
    /// 行政许可 …, or 未分类.
    pub name: &'a str,
    /// `cat-N`: the section's `id`.
    pub anchor: String,
    pub count: usize,
    /// Its items by department, in the organisation's order of departments.
    pub groups: Vec<PowerGroup<'a>>,
}

/// The items of one category that one department carries out (`views/powers.html`).
#[derive(Serialize, Debug)]
pub struct PowerGroup<'a> {
    /// The department, or null for items that name none.
    pub dept: Option<Link<'a>>,
    pub items: Vec<PowerRow<'a>>,
}

/// How many items a department carries out (`views/powers.html`).
#[derive(Serialize, Debug)]
pub struct PowerDeptCount<'a> {
    pub dept: Option<Link<'a>>,
    pub count: usize,
}

/// `view` on `views/risks.html`: the organisation's integrity risks by level.
#[derive(Serialize, Debug)]
pub struct RisksView<'a> {
    /// Risk points in all.
    pub total: usize,
    /// The levels (高, 中, 低, then any other, then 未定级), each with its points.
    pub levels: Vec<RiskLevel<'a>>,
    /// Departments' control measures not tied to a point; HTML each.
    pub controls: Vec<DeptControls<'a>>,
}

/// The risk points of one level (`views/risks.html`).
#[derive(Serialize, Debug)]
pub struct RiskLevel<'a> {
    /// 高, 中, 低 …, or 未定级.
    pub name: &'a str,
    /// CSS class suffix (`high`, `medium`, `low`, `other`).
    pub class: &'static str,
    /// `level-N`: the section's `id`.
    pub anchor: String,
    pub points: Vec<RiskPointRow<'a>>,
}

/// A department's control measures that no point owns (`views/risks.html`).
#[derive(Serialize, Debug)]
pub struct DeptControls<'a> {
    pub dept: Link<'a>,
    /// HTML each.
    pub controls: Vec<String>,
}
