//! Views of an organisation computed from the resolved [`Site`]: who leads, who helps, and
//! where the gaps are.
//!
//! Each view is a plain function of the site graph (no I/O): the responsibility matrix
//! ([`matrix`]), the boundary report ([`boundary`]), the collaboration graph ([`graph`]), the
//! organisation chart ([`orgchart`]) and the A–Z index of matters ([`az`]). [`roles`] reads
//! the government's own words (牵头 / 负责 / 配合 / 报…备案) out of a text, and [`names`] finds
//! departments, and names written as if they were departments, in it. Every finding keeps the
//! [`Place`] of the text behind it, so that a page can link each cell back to its words.
//!
//! The renderer turns them into `<org>/matrix.html`, `boundary.html`, `graph.html`,
//! `orgchart.html` and `az.html`; [`warnings`] turns the boundary report into warnings for
//! `zhize check`.

pub mod az;
pub mod boundary;
pub mod graph;
pub mod matrix;
pub mod names;
pub mod orgchart;
pub mod roles;

use crate::resolve::{Site, Target};
use std::sync::{Arc, OnceLock};
use zhize_core::diagnostic::{Diagnostic, Diagnostics};

/// The pages every organisation gets, besides its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OrgPage {
    Matrix,
    Boundary,
    Graph,
    OrgChart,
    Az,
    Powers,
    Risks,
}

impl OrgPage {
    pub const ALL: [OrgPage; 7] = [
        OrgPage::Matrix,
        OrgPage::Boundary,
        OrgPage::Graph,
        OrgPage::OrgChart,
        OrgPage::Az,
        OrgPage::Powers,
        OrgPage::Risks,
    ];

    /// File name inside the organisation's folder.
    pub fn file(self) -> &'static str {
        match self {
            OrgPage::Matrix => "matrix.html",
            OrgPage::Boundary => "boundary.html",
            OrgPage::Graph => "graph.html",
            OrgPage::OrgChart => "orgchart.html",
            OrgPage::Az => "az.html",
            OrgPage::Powers => "powers.html",
            OrgPage::Risks => "risks.html",
        }
    }

    /// The template that renders it.
    pub fn template(self) -> &'static str {
        match self {
            OrgPage::Matrix => "views/matrix.html",
            OrgPage::Boundary => "views/boundary.html",
            OrgPage::Graph => "views/graph.html",
            OrgPage::OrgChart => "views/orgchart.html",
            OrgPage::Az => "views/az.html",
            OrgPage::Powers => "views/powers.html",
            OrgPage::Risks => "views/risks.html",
        }
    }

    /// Its title, in Chinese.
    pub fn title(self) -> &'static str {
        match self {
            OrgPage::Matrix => "职责矩阵",
            OrgPage::Boundary => "职责边界",
            OrgPage::Graph => "协作关系图",
            OrgPage::OrgChart => "组织架构图",
            OrgPage::Az => "事项索引",
            OrgPage::Powers => "权责清单",
            OrgPage::Risks => "廉政风险",
        }
    }

    /// A one-line description for links.
    pub fn blurb(self) -> &'static str {
        match self {
            OrgPage::Matrix => "谁牵头、谁主办、谁配合",
            OrgPage::Boundary => "交叉、单方面约定与不存在的科室",
            OrgPage::Graph => "科室之间的分工与流程往来",
            OrgPage::OrgChart => "单位、科室与岗位",
            OrgPage::Az => "全部事项按拼音排序",
            OrgPage::Powers => "权责事项按类别和承办机构",
            OrgPage::Risks => "廉政风险点按等级",
        }
    }

    /// Path of the page from the site root.
    pub fn url(self, site: &Site, org: usize) -> String {
        format!("{}/{}", site.orgs[org].slug, self.file())
    }
}

/// Which section of a department's `division` an item is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    External,
    Internal,
    General,
}

impl Section {
    pub const ALL: [Section; 3] = [Section::External, Section::Internal, Section::General];

    /// The key in the YAML file (`division.<key>`), also used in anchors.
    pub fn key(self) -> &'static str {
        match self {
            Section::External => "external",
            Section::Internal => "internal",
            Section::General => "general",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Section::External => "外部协作",
            Section::Internal => "内部分工",
            Section::General => "职责分工",
        }
    }

    /// The items of this section of a department.
    pub fn items(self, d: &zhize_core::model::DeptFile) -> &[zhize_core::model::DivisionItem] {
        match self {
            Section::External => &d.division.external,
            Section::Internal => &d.division.internal,
            Section::General => &d.division.general,
        }
    }

    /// The resolved `with` names of this section.
    pub fn refs(self, d: &crate::resolve::Dept) -> &[Vec<Option<Target>>] {
        match self {
            Section::External => &d.division.external,
            Section::Internal => &d.division.internal,
            Section::General => &d.division.general,
        }
    }
}

/// Where a text of an organisation lives, precisely enough to link to it and to point a
/// warning at its line. Indices are inside the organisation the view is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Place {
    /// An item of the organisation's own 有关职责分工.
    OrgDivision { item: usize },
    /// A division item of a department.
    Division {
        dept: usize,
        section: Section,
        item: usize,
    },
    /// A detailed duty (细化职责) of a department.
    Duty { dept: usize, duty: usize },
    /// A procedure as a whole.
    Procedure { dept: usize, procedure: usize },
    /// One step of a procedure.
    Step {
        dept: usize,
        procedure: usize,
        step: usize,
    },
    /// A form (its notes).
    Form { dept: usize, form: usize },
    /// A post (its own duties and description).
    Post { dept: usize, post: usize },
    /// A department's 主要职责.
    Summary { dept: usize },
    /// The organisation's own duties and 主要职责.
    Org,
}

impl Place {
    /// The department the text belongs to (none for the organisation's own).
    pub fn dept(self) -> Option<usize> {
        match self {
            Place::OrgDivision { .. } | Place::Org => None,
            Place::Post { dept, .. } | Place::Summary { dept } => Some(dept),
            Place::Division { dept, .. }
            | Place::Duty { dept, .. }
            | Place::Procedure { dept, .. }
            | Place::Step { dept, .. }
            | Place::Form { dept, .. } => Some(dept),
        }
    }

    /// The page the text is shown on.
    pub fn target(self, org: usize) -> Target {
        match self {
            Place::OrgDivision { .. } | Place::Org => Target::Org(org),
            Place::Division { dept, .. } | Place::Duty { dept, .. } | Place::Summary { dept } => {
                Target::Dept(org, dept)
            }
            Place::Post { dept, post } => Target::Post(org, dept, post),
            Place::Procedure { dept, procedure }
            | Place::Step {
                dept, procedure, ..
            } => Target::Procedure(org, dept, procedure),
            Place::Form { dept, form } => Target::Form(org, dept, form),
        }
    }

    /// The anchor of the text on its page (empty for a whole page).
    pub fn anchor(self, site: &Site, org: usize) -> String {
        match self {
            Place::OrgDivision { item } => format!("division-{}", item + 1),
            Place::Division { section, item, .. } => {
                format!("division-{}-{}", section.key(), item + 1)
            }
            Place::Duty { dept, duty } => site.orgs[org].depts[dept].duty_anchors[duty].clone(),
            Place::Step { step, .. } => format!("step-{}", step + 1),
            Place::Summary { .. } => "summary".into(),
            Place::Procedure { .. } | Place::Form { .. } | Place::Post { .. } | Place::Org => {
                String::new()
            }
        }
    }

    /// Path from the site root to the text: its page and anchor.
    pub fn url(self, site: &Site, org: usize) -> String {
        let page = site.url(self.target(org));
        match self.anchor(site, org) {
            a if a.is_empty() => page,
            a => format!("{page}#{a}"),
        }
    }

    /// The text itself, as written (Markdown).
    pub fn text(self, site: &Site, org: usize) -> &str {
        let o = &site.orgs[org];
        match self {
            Place::OrgDivision { item } => o.raw.division[item].text(),
            Place::Division {
                dept,
                section,
                item,
            } => section.items(&o.depts[dept].raw)[item].text(),
            Place::Duty { dept, duty } => o.depts[dept].raw.duties[duty].text(),
            Place::Procedure { dept, procedure } => &o.depts[dept].raw.procedures[procedure].name,
            Place::Step {
                dept,
                procedure,
                step,
            } => {
                let s = &o.depts[dept].raw.procedures[procedure].steps[step];
                s.text.as_deref().or(s.label.as_deref()).unwrap_or("")
            }
            Place::Form { dept, form } => &o.depts[dept].raw.forms[form].name,
            Place::Post { dept, post } => &o.depts[dept].raw.posts[post].name,
            Place::Summary { dept } => o.depts[dept].raw.summary.as_deref().unwrap_or(""),
            Place::Org => o.raw.summary.as_deref().unwrap_or(""),
        }
    }

    /// A short label for lists: 办公室 · 内部分工 第 3 条.
    pub fn label(self, site: &Site, org: usize) -> String {
        let o = &site.orgs[org];
        match self {
            Place::OrgDivision { item } => {
                format!("{} · 有关职责分工 第 {} 条", o.raw.name, item + 1)
            }
            Place::Division {
                dept,
                section,
                item,
            } => format!(
                "{} · {} 第 {} 条",
                o.depts[dept].raw.name,
                section.label(),
                item + 1
            ),
            Place::Duty { dept, duty } => {
                let d = &o.depts[dept].raw.duties[duty];
                let no = d
                    .no()
                    .map(str::to_string)
                    .unwrap_or_else(|| (duty + 1).to_string());
                format!("{} · 细化职责 第 {no} 项", o.depts[dept].raw.name)
            }
            Place::Procedure { dept, procedure } => format!(
                "{} · {}",
                o.depts[dept].raw.name, o.depts[dept].raw.procedures[procedure].name
            ),
            Place::Step {
                dept,
                procedure,
                step,
            } => format!(
                "{} · {} 第 {} 步",
                o.depts[dept].raw.name,
                o.depts[dept].raw.procedures[procedure].name,
                step + 1
            ),
            Place::Form { dept, form } => format!(
                "{} · {}",
                o.depts[dept].raw.name, o.depts[dept].raw.forms[form].name
            ),
            Place::Post { dept, post } => format!(
                "{} · {}",
                o.depts[dept].raw.name, o.depts[dept].raw.posts[post].name
            ),
            Place::Summary { dept } => format!("{} · 主要职责", o.depts[dept].raw.name),
            Place::Org => format!("{} · 职责", o.raw.name),
        }
    }

    /// The file and YAML path of the text, for pointing a warning at its line.
    pub fn source(self, site: &Site, org: usize) -> (crate::load::FileId, String) {
        let o = &site.orgs[org];
        match self {
            Place::OrgDivision { item } => (o.file, format!("division.{item}")),
            Place::Division {
                dept,
                section,
                item,
            } => (
                o.depts[dept].file,
                format!("division.{}.{item}", section.key()),
            ),
            Place::Duty { dept, duty } => (o.depts[dept].file, format!("duties.{duty}")),
            Place::Procedure { dept, procedure } => {
                let origin = &o.depts[dept].procedures[procedure].origin;
                (origin.file, origin.path.clone())
            }
            Place::Step {
                dept,
                procedure,
                step,
            } => {
                let origin = &o.depts[dept].procedures[procedure].origin;
                (origin.file, format!("{}.steps.{step}", origin.path))
            }
            Place::Form { dept, form } => {
                let origin = &o.depts[dept].forms[form].origin;
                (origin.file, origin.path.clone())
            }
            Place::Post { dept, post } => {
                let origin = &o.depts[dept].posts[post].origin;
                (origin.file, origin.path.clone())
            }
            Place::Summary { dept } => (o.depts[dept].file, "summary".into()),
            Place::Org => (o.file, "duties".into()),
        }
    }
}

/// Every text of an organisation that can assign or claim work, with its place: its own
/// division items, and each department's division items, detailed duties and procedure steps.
pub fn texts_of(site: &Site, org: usize) -> Vec<(Place, &str)> {
    let o = &site.orgs[org];
    let mut out = Vec::new();
    for (item, d) in o.raw.division.iter().enumerate() {
        out.push((Place::OrgDivision { item }, d.text()));
    }
    for (di, dept) in o.depts.iter().enumerate() {
        for (duty, d) in dept.raw.duties.iter().enumerate() {
            out.push((Place::Duty { dept: di, duty }, d.text()));
        }
        for section in Section::ALL {
            for (item, d) in section.items(&dept.raw).iter().enumerate() {
                out.push((
                    Place::Division {
                        dept: di,
                        section,
                        item,
                    },
                    d.text(),
                ));
            }
        }
        for (pi, p) in dept.raw.procedures.iter().enumerate() {
            for (si, s) in p.steps.iter().enumerate() {
                if let Some(t) = &s.text {
                    out.push((
                        Place::Step {
                            dept: di,
                            procedure: pi,
                            step: si,
                        },
                        t,
                    ));
                }
            }
        }
    }
    out
}

/// Every text of an organisation where a name may be written: [`texts_of`] plus summaries,
/// posts' own duties, procedures' notes and forms' notes (as plain text).
pub fn all_texts(site: &Site, org: usize) -> Vec<(Place, String)> {
    let o = &site.orgs[org];
    let mut out: Vec<(Place, String)> = texts_of(site, org)
        .into_iter()
        .map(|(p, t)| (p, t.to_string()))
        .collect();
    let mut org_text: Vec<&str> = o.raw.summary.iter().map(String::as_str).collect();
    org_text.extend(o.raw.duties.iter().map(|d| d.text()));
    out.push((Place::Org, org_text.join("\n")));
    for (di, d) in o.depts.iter().enumerate() {
        if let Some(s) = &d.raw.summary {
            out.push((Place::Summary { dept: di }, s.clone()));
        }
        for (pi, p) in d.raw.posts.iter().enumerate() {
            let mut t: Vec<&str> = p.duties.iter().map(String::as_str).collect();
            t.extend(p.summary.as_deref());
            out.push((Place::Post { dept: di, post: pi }, t.join("\n")));
        }
        for (pi, p) in d.raw.procedures.iter().enumerate() {
            let mut t: Vec<&str> = p.summary.iter().map(String::as_str).collect();
            t.extend(p.notes.iter().map(String::as_str));
            out.push((
                Place::Procedure {
                    dept: di,
                    procedure: pi,
                },
                t.join("\n"),
            ));
        }
        for (fi, f) in d.raw.forms.iter().enumerate() {
            // Imported forms sometimes hold a note among their aliases or cells.
            let mut t: Vec<&str> = f.summary.iter().map(String::as_str).collect();
            t.extend(f.notes.iter().map(String::as_str));
            t.extend(f.aliases.iter().map(String::as_str));
            t.extend(f.rows.iter().flatten().map(String::as_str));
            out.push((Place::Form { dept: di, form: fi }, t.join("\n")));
        }
    }
    out.retain(|(_, t)| !t.trim().is_empty());
    out
}

/// The boundary report of every organisation as warnings, each at the line of the text
/// behind it. These never fail a build: they point at places to reconcile.
pub fn warnings(site: &Site) -> Vec<Diagnostic> {
    Analyses::new(site).warnings()
}

/// Each organisation's responsibility matrix and boundary report, made when first asked for
/// and then shared: five views and the warnings of an organisation need them, and the report
/// (which compares every pair of claims) is the slowest part of a view.
///
/// Both depend on the organisation's own files (and the configuration) alone, so `zhize
/// serve` hands those of unchanged organisations from one build to the next ([`Self::keep`]).
pub struct Analyses<'a> {
    site: &'a Site,
    matrices: Vec<OnceLock<Arc<matrix::Matrix>>>,
    reports: Vec<OnceLock<Arc<boundary::Report>>>,
}

impl<'a> Analyses<'a> {
    pub fn new(site: &'a Site) -> Analyses<'a> {
        let n = site.orgs.len();
        Analyses {
            site,
            matrices: (0..n).map(|_| OnceLock::new()).collect(),
            reports: (0..n).map(|_| OnceLock::new()).collect(),
        }
    }

    /// The responsibility matrix of organisation `oi`.
    pub fn matrix(&self, oi: usize) -> &Arc<matrix::Matrix> {
        self.matrices[oi].get_or_init(|| Arc::new(matrix::matrix(self.site, oi)))
    }

    /// The boundary report of organisation `oi`.
    pub fn report(&self, oi: usize) -> &Arc<boundary::Report> {
        self.reports[oi]
            .get_or_init(|| Arc::new(boundary::report_with(self.site, oi, self.matrix(oi))))
    }

    /// Take organisation `oi`'s matrix and report as made for a site whose files for it
    /// were the very same: what is already known stays.
    pub fn keep(&self, oi: usize, m: Arc<matrix::Matrix>, r: Arc<boundary::Report>) {
        let _ = self.matrices[oi].set(m);
        let _ = self.reports[oi].set(r);
    }

    /// Organisation `oi`'s boundary report as warnings, in the order of [`Diagnostics::sort`].
    pub fn org_warnings(&self, oi: usize) -> Vec<Diagnostic> {
        let mut d = Diagnostics(boundary::warnings(self.site, oi, self.report(oi)));
        d.extend(self.size_warnings(oi));
        d.sort();
        d.0
    }

    /// Parts of organisation `oi`'s matrix view left out for size (see [`matrix::MAX_CELLS`]).
    fn size_warnings(&self, oi: usize) -> Vec<Diagnostic> {
        let (site, m) = (self.site, self.matrix(oi));
        let org = &site.orgs[oi];
        let mut out = Vec::new();
        for (di, d) in org.depts.iter().enumerate() {
            if !m.shows_posts(site, di) {
                out.push(
                    Diagnostic::warning(format!(
                        "the responsibility matrix leaves out the {} posts of {}: with its {} shared items they would take {} cells (more than {})",
                        d.posts.len(),
                        d.raw.name,
                        m.rows_of_dept(di).len(),
                        m.post_cells(site, di),
                        matrix::MAX_CELLS
                    ))
                    .in_file(&site.sources.get(d.file).path)
                    .hint("each post's own page still lists its duties; to show posts in the matrix, give fewer posts `covers: 全部` or split the department"),
                );
            }
        }
        let shown = m.rows_shown(site);
        if shown < m.rows.len() {
            out.push(
                Diagnostic::warning(format!(
                    "the responsibility matrix of {} shows {} of its {} shared items: {} departments × all items would be more than {} cells",
                    org.raw.name,
                    shown,
                    m.rows.len(),
                    org.depts.len(),
                    matrix::MAX_CELLS
                ))
                .in_file(&site.sources.get(org.file).path)
                .hint("every department's own section of the view still lists all of its items"),
            );
        }
        out
    }

    /// Every organisation's boundary report as warnings, organisation by organisation (in
    /// parallel), kept in order.
    pub fn warnings(&self) -> Vec<Diagnostic> {
        use rayon::prelude::*;
        (0..self.site.orgs.len())
            .into_par_iter()
            .flat_map_iter(|oi| self.org_warnings(oi))
            .collect()
    }
}

/// A length in an SVG: at most one decimal, none when whole.
pub(crate) fn svg_num(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// The opening of a view's SVG drawing, `width` × `height`: the root element labelled by its
/// title and description (both escaped here), and a white background.
pub(crate) fn svg_open(
    class: &str,
    (width, height): (f64, f64),
    font: f64,
    id: &str,
    title: &str,
    desc: &str,
) -> String {
    let (w, h, id) = (svg_num(width), svg_num(height), esc(id));
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"{class}\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"group\" aria-labelledby=\"{id}-title {id}-desc\" font-size=\"{fs}\"><title id=\"{id}-title\">{title}</title><desc id=\"{id}-desc\">{desc}</desc><rect class=\"bg\" x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"#fff\"/>",
        fs = svg_num(font),
        title = esc(title),
        desc = esc(desc),
    )
}

/// Shorten a text to `max` characters with an ellipsis.
pub fn excerpt(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let mut s: String = flat.chars().take(max).collect();
        s.push('…');
        s
    }
}

/// Escape text for XML/HTML (shared by the view modules).
pub(crate) use zhize_core::escape::escape as esc;
