//! The template data of each page kind ([`super::context`]), built from the resolved site
//! with links relative to the page. The organisation views are in [`super::views`].

use super::context::PageData;
use super::context::{
    self as ctx, Backlink, Base, ContactRow, DeptCounts, DivisionEntry, Link, NameLink,
};
use super::markdown::{self, escape, LinkCtx};
use super::powers::org_facts;
use super::{Job, Renderer, NAV_ALL_ORGS};
use crate::resolve::{Site, Target};
use std::borrow::Cow;
use zhize_core::model::{Contact, DivisionItem, Reviewed};

/// Builds the template data of one page, with links relative to that page.
pub(super) struct View<'r, 'a> {
    pub(super) r: &'r Renderer<'a>,
    /// This page's output path.
    pub(super) path: String,
}

impl<'r, 'a> View<'r, 'a> {
    /// The template of `job` and its data.
    pub(super) fn data(&self, job: Job) -> (&'static str, PageData<'r>) {
        match job {
            Job::Home => ("index.html", PageData::Home(self.home())),
            Job::Contacts => ("contacts.html", PageData::Contacts(self.contacts())),
            Job::NotFound => ("404.html", PageData::NotFound(self.not_found())),
            Job::OrgView(oi, p) => (p.template(), self.org_view(oi, p)),
            Job::Target(t @ Target::Org(_)) => ("org.html", PageData::Org(self.org(t))),
            Job::Target(t @ Target::Dept(..)) => ("dept.html", PageData::Dept(self.dept(t))),
            Job::Target(t @ Target::Post(..)) => ("post.html", PageData::Post(self.post(t))),
            Job::Target(t @ Target::Procedure(..)) => {
                ("procedure.html", PageData::Procedure(self.procedure(t)))
            }
            Job::Target(t @ Target::Form(..)) => ("form.html", PageData::Form(self.form(t))),
            Job::Target(t @ Target::External(..)) => {
                ("external.html", PageData::External(self.external(t)))
            }
            Job::Target(t @ Target::Page(_)) => ("page.html", PageData::Text(self.page(t))),
            Job::Handbook(t) => ("handbook.html", PageData::Handbook(self.handbook(t))),
            Job::Target(t @ Target::Power(..)) => ("power.html", PageData::Power(self.power(t))),
        }
    }

    pub(super) fn site(&self) -> &'a Site {
        self.r.site
    }

    /// Prefix from this page back to the site root (`../../`).
    pub(super) fn root(&self) -> String {
        "../".repeat(self.path.matches('/').count())
    }

    pub(super) fn href(&self, t: Target) -> String {
        format!("{}{}", self.root(), self.site().url(t))
    }

    pub(super) fn link(&self, t: Target) -> Link<'a> {
        Link {
            name: self.site().name(t),
            url: self.href(t),
            kind: Site::kind_label(t),
        }
    }

    /// Markdown with mention links; `me` is not linked to itself.
    pub(super) fn md(
        &self,
        text: &str,
        org: Option<usize>,
        me: Option<Target>,
        inline: bool,
    ) -> String {
        let href = |t: Target| self.href(t);
        let skip = |t: Target| Some(t) == me;
        let ctx = LinkCtx {
            linker: self.site().linker(org),
            href: &href,
            skip: &skip,
        };
        markdown::render(
            text,
            &ctx,
            self.site().config.allow_html,
            &self.r.highlighter,
            inline,
        )
    }

    /// Each of `texts` as inline Markdown (a list of duties, controls …).
    pub(super) fn md_list<S: AsRef<str>>(
        &self,
        texts: &[S],
        org: usize,
        me: Option<Target>,
    ) -> Vec<String> {
        texts
            .iter()
            .map(|x| self.md(x.as_ref(), Some(org), me, true))
            .collect()
    }

    /// Each of `texts` as block Markdown (notes).
    pub(super) fn md_blocks(
        &self,
        texts: &[String],
        org: usize,
        me: Option<Target>,
    ) -> Vec<String> {
        texts
            .iter()
            .map(|x| self.md(x, Some(org), me, false))
            .collect()
    }

    /// A summary as block Markdown, when there is one.
    pub(super) fn md_summary(
        &self,
        text: Option<&str>,
        org: usize,
        me: Option<Target>,
    ) -> Option<String> {
        text.map(|x| self.md(x, Some(org), me, false))
    }

    /// What every page has: site, root, path, title, crumbs, reviewed, nav and fixed links.
    pub(super) fn base(
        &self,
        title: impl Into<Cow<'a, str>>,
        crumbs: Vec<Link<'a>>,
        reviewed: Option<&'a Reviewed>,
    ) -> Base<'r> {
        let c = &self.site().config;
        Base {
            site: ctx::SiteInfo {
                title: &c.title,
                description: c.description.as_deref(),
                lang: &c.language,
            },
            root: self.root(),
            path: self.path.clone(),
            title: title.into(),
            crumbs,
            reviewed: reviewed.map(|r| ctx::ReviewedInfo {
                date: r.date(),
                by: r.by(),
            }),
            updated: None,
            nav: self.nav(),
            home_url: format!("{}index.html", self.root()),
            contacts_url: format!("{}contacts.html", self.root()),
            lang: &c.language,
            description: c
                .description
                .as_deref()
                .map(|d| shorten(d, DESCRIPTION_CHARS)),
            favicon: format!(
                "{}static/{}",
                self.root(),
                c.favicon.trim_start_matches('/')
            ),
            edit_url: None,
            prev: None,
            next: None,
            handbook_url: None,
        }
    }

    /// Fill in what a page's own text and source decide: its language (from `sample`), its
    /// description (from `summary`, plain) and the link to correct its source file.
    pub(super) fn own_meta(
        &self,
        b: &mut Base<'a>,
        sample: &str,
        summary: Option<String>,
        file: Option<crate::load::FileId>,
    ) {
        if zhize_search::analyzer::is_traditional(sample) {
            b.lang = "zh-Hant";
        }
        if let Some(d) = summary.filter(|d| !d.trim().is_empty()) {
            b.description = Some(shorten(&d, DESCRIPTION_CHARS));
        }
        let s = self.site();
        if let Some(f) = file {
            b.updated = s.updated.get(&s.sources.get(f).path).map(String::as_str);
        }
        if let (Some(prefix), Some(f)) = (s.config.edit_url.as_deref(), file) {
            let path = &s.sources.get(f).path;
            let rel = path.strip_prefix(&s.root).unwrap_or(path);
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            b.edit_url = Some(format!("{}{}", prefix, rel.join("/")));
        }
    }

    /// Text of a department to tell its script by: its name, summary and duties (the first
    /// few thousand characters are plenty).
    fn dept_sample(&self, oi: usize, di: usize) -> String {
        let r = &self.site().orgs[oi].depts[di].raw;
        let mut s = format!("{} {}", r.name, r.summary.as_deref().unwrap_or(""));
        for d in &r.duties {
            if s.len() > 6000 {
                break;
            }
            s.push_str(d.text());
        }
        s
    }

    /// A department's summary, or its first duties, as plain text for a description.
    fn dept_description(&self, oi: usize, di: usize) -> Option<String> {
        let r = &self.site().orgs[oi].depts[di].raw;
        match r.summary.as_deref() {
            Some(x) => Some(markdown::plain(x)),
            None if !r.duties.is_empty() => Some(
                (r.duties.iter().take(3))
                    .map(|d| markdown::plain(d.text()))
                    .collect::<Vec<_>>()
                    .join("；"),
            ),
            None => None,
        }
    }

    /// The department pages and handbook links of a department's pages: crumbs are set by the
    /// caller; this sets language, description, edit link and handbook.
    fn dept_meta(&self, b: &mut Base<'a>, oi: usize, di: usize, summary: Option<String>) {
        let dept = &self.site().orgs[oi].depts[di];
        let summary = summary.or_else(|| self.dept_description(oi, di));
        self.own_meta(b, &self.dept_sample(oi, di), summary, Some(dept.file));
        b.handbook_url = Some(self.handbook_href(Target::Dept(oi, di)));
    }

    /// The relative link to the handbook of an organisation or department.
    pub(super) fn handbook_href(&self, t: Target) -> String {
        let s = self.site();
        match t {
            Target::Org(oi) => format!("{}{}/handbook.html", self.root(), s.orgs[oi].slug),
            Target::Dept(oi, di) => format!(
                "{}{}/{}/handbook.html",
                self.root(),
                s.orgs[oi].slug,
                s.orgs[oi].depts[di].slug
            ),
            _ => String::new(),
        }
    }

    /// The neighbours of item `i` of `n`, as links made by `t`.
    fn neighbours(&self, b: &mut Base<'a>, i: usize, n: usize, t: &dyn Fn(usize) -> Target) {
        b.prev = i.checked_sub(1).map(|j| self.link(t(j)));
        b.next = (i + 1 < n).then(|| self.link(t(i + 1)));
    }

    /// The sidebar: every organisation with its departments. On a site of more than
    /// NAV_ALL_ORGS organisations that would make every page grow with the whole site
    /// (quadratic output and build time), so there it lists only the page's own
    /// organisation; the home page still lists them all.
    fn nav(&self) -> Vec<ctx::NavOrg<'a>> {
        let s = self.site();
        let in_org = |o: usize| self.path.starts_with(&format!("{}/", s.orgs[o].slug));
        let few_orgs = s.orgs.len() <= NAV_ALL_ORGS;
        (0..s.orgs.len())
            .filter(|&o| few_orgs || in_org(o))
            .map(|o| ctx::NavOrg {
                link: self.link(Target::Org(o)),
                current: in_org(o),
                views: self.view_links(o),
                depts: (0..s.orgs[o].depts.len())
                    .map(|d| self.nav_dept(o, d))
                    .collect(),
            })
            .collect()
    }

    /// A department in the sidebar; the current one lists its posts and procedures.
    fn nav_dept(&self, o: usize, d: usize) -> ctx::NavDept<'a> {
        let s = self.site();
        let dept = &s.orgs[o].depts[d];
        let prefix = format!("{}/{}/", s.orgs[o].slug, dept.slug);
        let current = self.path.starts_with(&prefix);
        let item = |t: Target| ctx::NavItem {
            link: self.link(t),
            current: self.path == s.url(t),
        };
        let items = |n: usize, t: &dyn Fn(usize) -> Target| {
            current.then(|| (0..n).map(|i| item(t(i))).collect::<Vec<_>>())
        };
        ctx::NavDept {
            link: self.link(Target::Dept(o, d)),
            current,
            page_current: current && self.path == s.url(Target::Dept(o, d)),
            posts: items(dept.posts.len(), &|p| Target::Post(o, d, p)),
            procedures: items(dept.procedures.len(), &|p| Target::Procedure(o, d, p)),
        }
    }

    pub(super) fn home(&self) -> ctx::HomePage<'r> {
        let s = self.site();
        let orgs = s
            .orgs
            .iter()
            .enumerate()
            .map(|(oi, org)| {
                let raw = || org.depts.iter().map(|d| &d.raw);
                ctx::HomeOrg {
                    link: self.link(Target::Org(oi)),
                    counts: ctx::OrgCounts {
                        depts: org.depts.len(),
                        duties: raw().map(|d| d.duties.len()).sum(),
                        posts: raw().map(|d| d.posts.len()).sum(),
                        procedures: raw().map(|d| d.procedures.len()).sum(),
                        forms: raw().map(|d| d.forms.len()).sum(),
                    },
                    depts: (0..org.depts.len())
                        .map(|di| ctx::HomeDept {
                            link: self.link(Target::Dept(oi, di)),
                            counts: DeptCounts::of(&org.depts[di].raw),
                        })
                        .collect(),
                    views: self.view_links(oi),
                }
            })
            .collect();
        let mut base = self.base(s.config.title.as_str(), vec![], None);
        if base.description.is_none() && !s.orgs.is_empty() {
            let names: Vec<&str> = s.orgs.iter().map(|o| o.raw.name.as_str()).collect();
            base.description = Some(shorten(
                &format!(
                    "{}的职责清单：科室职责、岗位、工作流程和表单",
                    names.join("、")
                ),
                DESCRIPTION_CHARS,
            ));
        }
        ctx::HomePage {
            base,
            orgs,
            pages: self.page_links(None),
        }
    }

    pub(super) fn not_found(&self) -> Base<'r> {
        self.base("找不到页面", vec![], None)
    }

    fn page_links(&self, org: Option<usize>) -> Vec<Link<'a>> {
        let s = self.site();
        (0..s.pages.len())
            .filter(|p| s.pages[*p].org == org)
            .map(|p| self.link(Target::Page(p)))
            .collect()
    }

    pub(super) fn org_crumb(&self, oi: usize) -> Link<'a> {
        self.link(Target::Org(oi))
    }

    fn dept_crumbs(&self, oi: usize, di: usize) -> Vec<Link<'a>> {
        vec![self.org_crumb(oi), self.link(Target::Dept(oi, di))]
    }

    fn contact_list(&self, contacts: &'a [Contact]) -> Vec<ContactRow<'a>> {
        contacts.iter().map(ContactRow::from).collect()
    }

    /// A name as written, linked to the unit it names when it resolves.
    pub(super) fn named_link(&self, oi: usize, name: &'a str) -> NameLink<'a> {
        self.opt_link(self.site().orgs[oi].find_unit(name), name)
    }

    /// A name as written, linked to `t` when there is one.
    pub(super) fn opt_link(&self, t: Option<Target>, name: &'a str) -> NameLink<'a> {
        match t {
            Some(t) => NameLink::resolved(name, self.link(t)),
            None => NameLink::plain(name),
        }
    }

    /// The places that name `t`, sorted by page.
    fn backlinks(&self, t: Target) -> Vec<Backlink<'a>> {
        let s = self.site();
        let Some(list) = s.backlinks.get(&t) else {
            return Vec::new();
        };
        let mut out: Vec<Backlink> = list
            .iter()
            .map(|b| Backlink {
                link: self.link(b.from),
                owner: match b.from {
                    Target::Post(o, d, _) | Target::Procedure(o, d, _) | Target::Form(o, d, _) => {
                        Some(s.orgs[o].depts[d].raw.name.as_str())
                    }
                    _ => None,
                },
                section: &b.section,
                context: highlight_name(&b.context, s.name(t)),
            })
            .collect();
        out.sort_by(|a, b| a.link.url.cmp(&b.link.url));
        out
    }

    /// Division items with the names they mention; `refs` are the resolved `with` names.
    fn division(
        &self,
        items: &'a [DivisionItem],
        refs: &[Vec<Option<Target>>],
        oi: usize,
        me: Option<Target>,
    ) -> Vec<DivisionEntry<'a>> {
        items
            .iter()
            .enumerate()
            .map(|(ii, item)| DivisionEntry {
                topic: item.topic(),
                text: self.md(item.text(), Some(oi), me, true),
                with: item
                    .with()
                    .into_iter()
                    .enumerate()
                    .map(|(wi, n)| {
                        let t = refs.get(ii).and_then(|v| v.get(wi)).copied().flatten();
                        self.opt_link(t, n)
                    })
                    .collect(),
            })
            .collect()
    }

    pub(super) fn org(&self, t: Target) -> ctx::OrgPage<'r> {
        let Target::Org(oi) = t else {
            unreachable!("org view of {t:?}")
        };
        let org = &self.site().orgs[oi];
        let o = &org.raw;
        let me = Some(t);
        let depts = org
            .depts
            .iter()
            .enumerate()
            .map(|(di, d)| ctx::OrgDept {
                link: self.link(Target::Dept(oi, di)),
                summary: self.md_summary(d.raw.summary.as_deref(), oi, None),
                counts: DeptCounts::of(&d.raw),
            })
            .collect();
        let documents = o
            .documents
            .iter()
            .map(|d| ctx::DocumentItem {
                no: d.no.as_deref(),
                title: &d.title,
                issuer: d.issuer.as_deref(),
                date: d.date.as_deref(),
                body: self.md_summary(d.body.as_deref(), oi, me),
            })
            .collect();
        let division = o
            .division
            .iter()
            .map(|i| DivisionEntry {
                topic: i.topic(),
                text: self.md(i.text(), Some(oi), me, true),
                with: i
                    .with()
                    .into_iter()
                    .map(|n| self.named_link(oi, n))
                    .collect(),
            })
            .collect();
        let info = ctx::OrgInfo {
            name: &o.name,
            aliases: &o.aliases,
            plaques: &o.plaques,
            level: o.level.as_deref(),
            summary: self.md_summary(o.summary.as_deref(), oi, me),
            duties: o
                .duties
                .iter()
                .map(|d| self.md(d.text(), Some(oi), me, true))
                .collect(),
            documents,
            staffing: (o.staffing.0.iter())
                .map(|(item, value)| ctx::StaffingItem { item, value })
                .collect(),
            facts: org_facts(org),
            division,
            depts,
            externals: (0..org.externals.len())
                .map(|e| self.link(Target::External(oi, e)))
                .collect(),
            people: (o.people.iter())
                .map(|p| ctx::PersonRow {
                    name: &p.name,
                    role: p.role.as_deref(),
                    department: p.department.as_deref(),
                    phone: p.phone.as_deref(),
                })
                .collect(),
            contacts: self.contact_list(&o.contacts),
            pages: self.page_links(Some(oi)),
            unparsed: &o.unparsed,
            powers: org.powers.len(),
            powers_url: self.view_url(oi, crate::views::OrgPage::Powers),
            risk_points: org.depts.iter().map(|d| d.raw.risks.points.len()).sum(),
            risks_url: self.view_url(oi, crate::views::OrgPage::Risks),
            data: self.data_links(oi),
        };
        let mut base = self.base(o.name.as_str(), vec![], o.reviewed.as_ref());
        let mut sample = format!("{} {}", o.name, o.summary.as_deref().unwrap_or(""));
        for d in &o.duties {
            sample.push_str(d.text());
        }
        let summary = o.summary.as_deref().map(markdown::plain).or_else(|| {
            let names: Vec<&str> = org.depts.iter().map(|d| d.raw.name.as_str()).collect();
            (!names.is_empty()).then(|| format!("{}：{}", o.name, names.join("、")))
        });
        self.own_meta(&mut base, &sample, summary, Some(org.file));
        base.handbook_url = Some(self.handbook_href(t));
        ctx::OrgPage {
            base,
            org: info,
            views: self.view_links(oi),
        }
    }

    pub(super) fn dept(&self, t: Target) -> ctx::DeptPage<'r> {
        let Target::Dept(oi, di) = t else {
            unreachable!("dept view of {t:?}")
        };
        let org = &self.site().orgs[oi];
        let dept = &org.depts[di];
        let r = &dept.raw;
        let me = Some(t);
        let division = |s: crate::views::Section| self.division(s.items(r), s.refs(dept), oi, me);
        let posts = self.dept_posts(oi, di);
        let info = ctx::DeptInfo {
            name: &r.name,
            aliases: &r.aliases,
            plaques: &r.plaques,
            summary: self.md_summary(r.summary.as_deref(), oi, me),
            duties: self.dept_duties(oi, di),
            post_columns: ctx::PostColumns::of(&posts),
            posts,
            division: ctx::DivisionGroups {
                external: division(crate::views::Section::External),
                internal: division(crate::views::Section::Internal),
                general: division(crate::views::Section::General),
            },
            powers: (org.powers.iter().enumerate())
                .filter(|(_, p)| p.dept == Some(di))
                .map(|(i, _)| self.power_row(oi, i))
                .collect(),
            risks: ctx::RiskInfo {
                points: (r.risks.points.iter().enumerate())
                    .map(|(i, p)| self.risk_row(oi, di, i, p, false))
                    .collect(),
                controls: self.md_list(&r.risks.controls, oi, me),
            },
            procedures: (r.procedures.iter().enumerate())
                .map(|(pi, p)| ctx::ProcedureItem {
                    link: self.link(Target::Procedure(oi, di, pi)),
                    steps: p.steps.len(),
                })
                .collect(),
            forms: (0..r.forms.len())
                .map(|f| self.link(Target::Form(oi, di, f)))
                .collect(),
            contacts: self.contact_list(&r.contacts),
            unparsed: &r.unparsed,
            backlinks: self.backlinks(t),
        };
        let mut base = self.base(
            r.name.as_str(),
            vec![self.org_crumb(oi)],
            r.reviewed.as_ref().or(org.raw.reviewed.as_ref()),
        );
        self.dept_meta(&mut base, oi, di, None);
        self.neighbours(&mut base, di, org.depts.len(), &|d| Target::Dept(oi, d));
        ctx::DeptPage {
            base,
            org_link: self.org_crumb(oi),
            dept: info,
        }
    }

    /// A department's detailed duties, each with the posts that cover it.
    fn dept_duties(&self, oi: usize, di: usize) -> Vec<ctx::DutyRow<'a>> {
        let dept = &self.site().orgs[oi].depts[di];
        let me = Some(Target::Dept(oi, di));
        let mut last_group: Option<&str> = None;
        dept.raw
            .duties
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let group = d.group();
                let new_group = group.is_some() && group != last_group;
                last_group = group;
                let covering: Vec<usize> = dept
                    .posts
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| p.covers.binary_search(&i).is_ok())
                    .map(|(pi, _)| pi)
                    .collect();
                // A duty that many posts share names the first few: the page stays linear
                // in the size of the list, not duties × posts.
                ctx::DutyRow {
                    anchor: &dept.duty_anchors[i],
                    no: duty_no(&dept.raw, i),
                    group,
                    new_group,
                    text: self.md(d.text(), Some(oi), me, true),
                    posts: (covering.iter().take(MAX_POSTS_NAMED))
                        .map(|&pi| self.link(Target::Post(oi, di, pi)))
                        .collect(),
                    more_posts: covering.len().saturating_sub(MAX_POSTS_NAMED),
                }
            })
            .collect()
    }

    /// A department's posts, with the runs of duties each covers.
    fn dept_posts(&self, oi: usize, di: usize) -> Vec<ctx::PostRow<'a>> {
        let dept = &self.site().orgs[oi].depts[di];
        let me = Some(Target::Dept(oi, di));
        dept.raw
            .posts
            .iter()
            .enumerate()
            .map(|(pi, p)| ctx::PostRow {
                link: self.link(Target::Post(oi, di, pi)),
                rank: p.rank.as_deref(),
                headcount: p.headcount,
                // Runs of duties as ranges (1–12), as a duty list writes them.
                covers: runs(&dept.posts[pi].covers)
                    .into_iter()
                    .map(|(a, b)| ctx::CoverRun {
                        no: duty_no(&dept.raw, a),
                        last_no: (b > a).then(|| duty_no(&dept.raw, b)),
                        anchor: &dept.duty_anchors[a],
                    })
                    .collect(),
                duties: self.md_list(&p.duties, oi, me),
            })
            .collect()
    }

    pub(super) fn post(&self, t: Target) -> ctx::PostPage<'r> {
        let Target::Post(oi, di, pi) = t else {
            unreachable!("post view of {t:?}")
        };
        let s = self.site();
        let dept = &s.orgs[oi].depts[di];
        let p = &dept.raw.posts[pi];
        let me = Some(t);
        let dept_url = self.href(Target::Dept(oi, di));
        let covers = (dept.posts[pi].covers.iter())
            .map(|&i| ctx::CoveredDuty {
                no: duty_no(&dept.raw, i),
                url: format!("{dept_url}#{}", dept.duty_anchors[i]),
                text: self.md(dept.raw.duties[i].text(), Some(oi), me, true),
            })
            .collect();
        let info = ctx::PostInfo {
            name: &p.name,
            aliases: &p.aliases,
            rank: p.rank.as_deref(),
            headcount: p.headcount,
            summary: self.md_summary(p.summary.as_deref(), oi, me),
            covers,
            duties: self.md_list(&p.duties, oi, me),
            steps: self.steps_of_post(t),
            contacts: self.contact_list(&p.contacts),
        };
        let names: Vec<&str> = dept.raw.posts.iter().map(|x| x.name.as_str()).collect();
        let mut base = self.base(
            numbered_if_shared(&names, pi),
            self.dept_crumbs(oi, di),
            dept.raw.reviewed.as_ref(),
        );
        let summary = p.summary.as_deref().map(markdown::plain).or_else(|| {
            (!p.duties.is_empty()).then(|| {
                (p.duties.iter().take(3))
                    .map(|d| markdown::plain(d))
                    .collect::<Vec<_>>()
                    .join("；")
            })
        });
        self.dept_meta(&mut base, oi, di, summary);
        ctx::PostPage {
            base,
            dept_link: self.link(Target::Dept(oi, di)),
            // The matrix view lists the post's duties unless it leaves the posts out for size.
            // Only when the matrix gives the post a role somewhere: never a link to nothing.
            my_duties_url: {
                let m = self.r.analyses.matrix(oi);
                (m.shows_posts(s, di) && m.rows.iter().any(|r| r.posts.contains_key(&(di, pi))))
                    .then(|| self.my_duties_url(oi, di, pi))
            },
            post: info,
        }
    }

    /// Steps anywhere in the organisation that post `me` carries out or co-signs.
    fn steps_of_post(&self, me: Target) -> Vec<ctx::StepLink<'a>> {
        let Target::Post(oi, ..) = me else {
            return Vec::new();
        };
        let mut steps = Vec::new();
        for (dj, d) in self.site().orgs[oi].depts.iter().enumerate() {
            for (pj, proc_) in d.procedures.iter().enumerate() {
                for (sj, st) in proc_.steps.iter().enumerate() {
                    if st.actor == Some(me) || st.parallel.contains(&Some(me)) {
                        let raw = &d.raw.procedures[pj].steps[sj];
                        let mut link = self.link(Target::Procedure(oi, dj, pj));
                        link.url = format!("{}#step-{}", link.url, sj + 1);
                        steps.push(ctx::StepLink {
                            link,
                            step: step_label(raw.label.as_deref(), sj),
                        });
                    }
                }
            }
        }
        steps
    }

    pub(super) fn procedure(&self, t: Target) -> ctx::ProcedurePage<'r> {
        let Target::Procedure(oi, di, pi) = t else {
            unreachable!("procedure view of {t:?}")
        };
        let dept = &self.site().orgs[oi].depts[di];
        let p = &dept.raw.procedures[pi];
        let pr = &dept.procedures[pi];
        let me = Some(t);
        let steps = self.step_rows(&p.steps, &pr.steps, oi, me, true);
        let steps: Vec<ctx::StepRow> = steps;
        let columns = ctx::StepColumns {
            label: steps
                .iter()
                .any(|s| s.label.is_some_and(|l| !l.trim().is_empty())),
            actor: steps
                .iter()
                .any(|s| s.actor.is_some() || !s.parallel.is_empty()),
            limit: steps
                .iter()
                .any(|s| s.limit.is_some_and(|l| !l.trim().is_empty())),
            forms: steps.iter().any(|s| !s.forms.is_empty()),
        };
        let info = ctx::ProcedureInfo {
            name: &p.name,
            aliases: &p.aliases,
            summary: self.md_summary(p.summary.as_deref(), oi, me),
            steps,
            columns,
            notes: self.md_blocks(&p.notes, oi, me),
            forms: self.opt_links(&p.forms, &pr.forms),
            contacts: self.contact_list(&p.contacts),
        };
        let names: Vec<&str> = (dept.raw.procedures.iter())
            .map(|x| x.name.as_str())
            .collect();
        let mut base = self.base(
            numbered_if_shared(&names, pi),
            self.dept_crumbs(oi, di),
            dept.raw.reviewed.as_ref(),
        );
        let summary = p.summary.as_deref().map(markdown::plain).or_else(|| {
            (!p.steps.is_empty()).then(|| {
                let labels: Vec<String> = (p.steps.iter().enumerate())
                    .map(|(i, st)| step_label(st.label.as_deref(), i).into_owned())
                    .collect();
                format!("{}：{}", p.name, labels.join("→"))
            })
        });
        self.dept_meta(&mut base, oi, di, summary);
        self.neighbours(&mut base, pi, dept.raw.procedures.len(), &|q| {
            Target::Procedure(oi, di, q)
        });
        ctx::ProcedurePage {
            base,
            dept_link: self.link(Target::Dept(oi, di)),
            chart: self.chart(t),
            procedure: info,
        }
    }

    /// Names as written, each linked to its resolved target when it has one.
    pub(super) fn opt_links(
        &self,
        names: &'a [String],
        targets: &[Option<Target>],
    ) -> Vec<NameLink<'a>> {
        names
            .iter()
            .zip(targets)
            .map(|(n, t)| self.opt_link(*t, n))
            .collect()
    }

    /// The swimlane chart of a procedure with two or more steps, as inline SVG with links
    /// relative to this page. A procedure is shown on its own page and in its
    /// organisation's handbooks: it is laid out once a build, with links from the site root,
    /// and each page gives the links its own prefix.
    fn chart(&self, t: Target) -> Option<String> {
        let svg = self.r.chart(t, || self.draw_chart(t))?;
        let root = self.root();
        if root.is_empty() {
            return Some(svg.to_string());
        }
        // Every link of a chart is a site link written as `<a href="…">`; text that looks
        // like one is escaped.
        Some(svg.replace("<a href=\"", &format!("<a href=\"{root}")))
    }

    /// The chart of [`View::chart`] with links from the site root.
    fn draw_chart(&self, t: Target) -> Option<String> {
        let Target::Procedure(oi, di, pi) = t else {
            return None;
        };
        let s = self.site();
        let dept = &s.orgs[oi].depts[di];
        let p = &dept.raw.procedures[pi];
        if p.steps.len() < 2 {
            return None;
        }
        let pr = &dept.procedures[pi];
        let url = |t: Target| Some(s.url(t));
        let steps = crate::chart::steps_of(p, pr, &markdown::plain, &url);
        let owner_href = s.url(Target::Dept(oi, di));
        // A long procedure in parts, each no taller than about two screens.
        let parts = zhize_flowchart::Chart::parts(
            &p.name,
            (&dept.raw.name, Some(&owner_href)),
            &steps,
            zhize_flowchart::MAX_HEIGHT,
        );
        let n = parts.len();
        let svgs: Vec<String> = (parts.into_iter().enumerate())
            .map(|(i, mut c)| {
                if n == 1 {
                    return zhize_flowchart::render(&c, "chart");
                }
                c.title = format!("{}（{}/{n}）", c.title, i + 1);
                zhize_flowchart::render(&c, &format!("chart-{}", i + 1))
            })
            .collect();
        Some(svgs.join("\n"))
    }

    pub(super) fn form(&self, t: Target) -> ctx::FormPage<'r> {
        let Target::Form(oi, di, fi) = t else {
            unreachable!("form view of {t:?}")
        };
        let s = self.site();
        let dept = &s.orgs[oi].depts[di];
        let f = &dept.raw.forms[fi];
        let me = Some(t);
        let width = f.rows.iter().map(Vec::len).max().unwrap_or(0);
        let rows = (f.rows.iter())
            .map(|row| {
                // The last cell spans what the row lacks, so short rows still fill the table.
                let n = row.len();
                (row.iter().enumerate())
                    .map(|(i, c)| ctx::FormCell {
                        text: c,
                        span: if i + 1 == n && n < width {
                            width - n + 1
                        } else {
                            1
                        },
                    })
                    .collect()
            })
            .collect();
        // Procedures whose steps use this form.
        let mut used_by = Vec::new();
        for (dj, d) in s.orgs[oi].depts.iter().enumerate() {
            for (pj, proc_) in d.procedures.iter().enumerate() {
                let in_steps = proc_.steps.iter().any(|st| st.forms.contains(&me));
                if in_steps || proc_.forms.contains(&me) {
                    used_by.push(self.link(Target::Procedure(oi, dj, pj)));
                }
            }
        }
        let names: Vec<&str> = dept.raw.forms.iter().map(|x| x.name.as_str()).collect();
        let mut base = self.base(
            numbered_if_shared(&names, fi),
            self.dept_crumbs(oi, di),
            dept.raw.reviewed.as_ref(),
        );
        let summary = f.summary.as_deref().map(markdown::plain).or_else(|| {
            Some(format!(
                "{}（{}的工作标准化文本，可打印为空白表单）",
                f.name, dept.raw.name
            ))
        });
        self.dept_meta(&mut base, oi, di, summary);
        ctx::FormPage {
            base,
            dept_link: self.link(Target::Dept(oi, di)),
            form: ctx::FormInfo {
                name: &f.name,
                summary: self.md_summary(f.summary.as_deref(), oi, me),
                rows,
                notes: self.md_blocks(&f.notes, oi, me),
                used_by,
                blank_rows: if f.rows.len() == 1 && width >= 3 {
                    BLANK_ROWS
                } else {
                    0
                },
            },
        }
    }

    pub(super) fn external(&self, t: Target) -> ctx::ExternalPage<'r> {
        let Target::External(oi, ei) = t else {
            unreachable!("external view of {t:?}")
        };
        let e = &self.site().orgs[oi].externals[ei].raw;
        let mut base = self.base(e.name.as_str(), vec![self.org_crumb(oi)], None);
        let summary = e.summary.as_deref().map(markdown::plain).or_else(|| {
            Some(format!(
                "{}：{}的外部单位，本单位清单中提到它的地方",
                e.name,
                self.site().orgs[oi].raw.name
            ))
        });
        let sample = format!("{} {}", e.name, e.summary.as_deref().unwrap_or(""));
        self.own_meta(&mut base, &sample, summary, Some(self.site().orgs[oi].file));
        ctx::ExternalPage {
            base,
            external: ctx::ExternalInfo {
                name: &e.name,
                aliases: &e.aliases,
                summary: self.md_summary(e.summary.as_deref(), oi, Some(t)),
                backlinks: self.backlinks(t),
            },
        }
    }

    pub(super) fn page(&self, t: Target) -> ctx::TextPage<'r> {
        let Target::Page(pi) = t else {
            unreachable!("page view of {t:?}")
        };
        let p = &self.site().pages[pi];
        let crumbs = p.org.map(|o| vec![self.org_crumb(o)]).unwrap_or_default();
        let mut base = self.base(p.meta.title.as_str(), crumbs, p.meta.reviewed.as_ref());
        let (body, toc) = super::toc::anchor_headings(&self.md(&p.body, p.org, Some(t), false));
        let sample = format!("{} {}", p.meta.title, &p.body[..]);
        let summary = p.meta.summary.clone().or_else(|| {
            let text = markdown::plain_start(&p.body, DESCRIPTION_CHARS + 1);
            (!text.trim().is_empty()).then_some(text)
        });
        self.own_meta(&mut base, &sample, summary, Some(p.file));
        ctx::TextPage {
            base,
            page: ctx::PageInfo {
                title: &p.meta.title,
                summary: p.meta.summary.as_deref(),
                date: p.meta.date.as_deref(),
                body,
                toc,
            },
        }
    }

    pub(super) fn contacts(&self) -> ctx::ContactsPage<'r> {
        let s = self.site();
        let mut base = self.base("通讯录", vec![], None);
        base.description = Some("各单位、科室、岗位和工作流程的联系人与电话".to_string());
        ctx::ContactsPage {
            base,
            groups: (0..s.orgs.len())
                .map(|oi| {
                    let entries = self.contact_entries(oi);
                    let columns = ctx::ContactColumns {
                        role: entries.iter().any(|e| e.role.is_some() || e.post.is_some()),
                        matter: entries.iter().any(|e| e.matter.is_some()),
                        phone: entries.iter().any(|e| e.phone.is_some()),
                        address: entries
                            .iter()
                            .any(|e| e.address.is_some() || e.email.is_some()),
                    };
                    ctx::ContactGroup {
                        link: self.link(Target::Org(oi)),
                        entries,
                        columns,
                    }
                })
                .collect(),
        }
    }

    /// Every contact of organisation `oi` with what it belongs to: the organisation's, its
    /// departments', posts' and procedures', and people with a phone.
    fn contact_entries(&self, oi: usize) -> Vec<ctx::ContactEntry<'a>> {
        let org = &self.site().orgs[oi];
        let mut entries = Vec::new();
        // A contact's department, and the post or matter it is the contact of.
        let mut add = |owner: Target, c: &'a Contact| {
            let unit = match owner {
                Target::Post(o, d, _) | Target::Procedure(o, d, _) => Target::Dept(o, d),
                t => t,
            };
            entries.push(ctx::ContactEntry {
                name: &c.name,
                role: c.role.as_deref(),
                phone: c.phone.as_deref(),
                address: c.address.as_deref(),
                email: c.email.as_deref(),
                unit: self.link(unit).into(),
                post: matches!(owner, Target::Post(..)).then(|| self.link(owner)),
                matter: matches!(owner, Target::Procedure(..)).then(|| self.link(owner)),
            })
        };
        for c in &org.raw.contacts {
            add(Target::Org(oi), c);
        }
        for (di, d) in org.depts.iter().enumerate() {
            for c in &d.raw.contacts {
                add(Target::Dept(oi, di), c);
            }
            for (pi, p) in d.raw.posts.iter().enumerate() {
                for c in &p.contacts {
                    add(Target::Post(oi, di, pi), c);
                }
            }
            for (pi, p) in d.raw.procedures.iter().enumerate() {
                for c in &p.contacts {
                    add(Target::Procedure(oi, di, pi), c);
                }
            }
        }
        for p in org.raw.people.iter().filter(|p| p.phone.is_some()) {
            entries.push(ctx::ContactEntry {
                name: &p.name,
                role: p.role.as_deref(),
                phone: p.phone.as_deref(),
                address: None,
                email: None,
                unit: match p.department.as_deref() {
                    Some(d) => self.named_link(oi, d),
                    None => self.link(Target::Org(oi)).into(),
                },
                post: None,
                matter: None,
            });
        }
        entries
    }
}

/// The printed number of duty `i` of a department, or its position.
fn duty_no(d: &zhize_core::model::DeptFile, i: usize) -> String {
    d.duties[i]
        .no()
        .map(str::to_string)
        .unwrap_or_else(|| (i + 1).to_string())
}

/// A step's label, or 第N步 for step `i` (from 0).
pub(super) fn step_label(label: Option<&str>, i: usize) -> Cow<'_, str> {
    match label {
        Some(l) => Cow::Borrowed(l),
        None => Cow::Owned(format!("第{}步", i + 1)),
    }
}

/// Escape a backlink's context and mark the name it is about.
pub(super) fn highlight_name(context: &str, name: &str) -> String {
    let escaped = escape(context);
    let n = escape(name);
    if n.is_empty() {
        return escaped;
    }
    escaped.replacen(&n, &format!("<mark>{n}</mark>"), 1)
}

/// `names[i]`, with its place among the items of the same name (`（2）`) when it shares its
/// name with another: the page title must tell them apart.
fn numbered_if_shared<'a>(names: &[&'a str], i: usize) -> Cow<'a, str> {
    let name = names[i];
    if names.iter().filter(|n| **n == name).count() < 2 {
        return Cow::Borrowed(name);
    }
    let k = names[..i].iter().filter(|n| **n == name).count() + 1;
    Cow::Owned(format!("{name}（{k}）"))
}

/// Empty rows printed below a form that is one row of column headings (a register).
const BLANK_ROWS: usize = 12;

/// The longest description, in characters.
const DESCRIPTION_CHARS: usize = 150;

/// `text` on one line, cut to `max` characters (with …).
fn shorten(text: &str, max: usize) -> String {
    // Words joined by one space, cut after `max` characters; read only as far as needed (a
    // page's description is asked of its whole text).
    let mut out = String::new();
    let mut n = 0;
    for (i, word) in text.split_whitespace().enumerate() {
        for c in (i > 0).then_some(' ').into_iter().chain(word.chars()) {
            if n == max {
                out.push('…');
                return out;
            }
            out.push(c);
            n += 1;
        }
    }
    out
}

/// Most posts named beside a duty on a department's page; the others are counted.
const MAX_POSTS_NAMED: usize = 12;

/// Sorted indices as runs of consecutive ones, `(first, last)`.
fn runs(sorted: &[usize]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for &i in sorted {
        match out.last_mut() {
            Some((_, last)) if *last + 1 == i => *last = i,
            _ => out.push((i, i)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Cutting as it reads gives what joining every word and then cutting gives.
        #[test]
        fn shorten_cuts_the_one_line_text(text in "[a 负责\\n\\t。]{0,40}", max in 0usize..20) {
            let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let mut expected: String = one_line.chars().take(max).collect();
            if one_line.chars().count() > max {
                expected.push('…');
            }
            prop_assert_eq!(shorten(&text, max), expected);
        }
    }
}
