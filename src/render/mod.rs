//! Rendering the site graph into pages: view data for each page, Markdown, templates.
//!
//! Every page is rendered independently (in parallel with rayon) from the resolved [`Site`];
//! nothing here touches the disk. All links are relative, so the output works under any
//! sub-path and opened from disk with `file://`.

pub mod markdown;
pub mod theme;
mod views;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::resolve::{Site, Target};
use markdown::{escape, Highlighter, LinkCtx};
use rayon::prelude::*;
use serde_json::{json, Map, Value};
use theme::Theme;

/// A file of the finished site: its path relative to the output root (with `/`) and bytes.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The pages of a site, one job each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Job {
    Home,
    Contacts,
    NotFound,
    Target(Target),
    /// A view of an organisation: matrix, boundary report, graphs, index.
    OrgView(usize, crate::views::OrgPage),
}

/// Up to this many organisations, every page's sidebar lists them all; beyond it, only the
/// page's own (see `View::base`).
pub const NAV_ALL_ORGS: usize = 10;

/// Compiled templates plus what every page shares.
pub struct Renderer<'a> {
    site: &'a Site,
    tera: tera::Tera,
    highlighter: Highlighter,
    theme: Theme,
    /// The organisations' matrices and boundary reports, shared by their views.
    analyses: crate::views::Analyses<'a>,
}

impl<'a> Renderer<'a> {
    /// Assemble the theme and compile its templates once.
    pub fn new(site: &'a Site) -> Result<Renderer<'a>, Vec<Diagnostic>> {
        let theme = Theme::assemble(
            &site.root,
            &site.config.theme,
            site.templates_dir.as_deref(),
            site.static_dir.as_deref(),
        )?;
        let mut tera = tera::Tera::new();
        let mut errors = Vec::new();
        // Add all templates together so `extends` can refer to any of them.
        let pairs: Vec<(&str, &str)> = theme
            .templates
            .iter()
            .map(|(n, (t, _))| (n.as_str(), t.as_str()))
            .collect();
        if let Err(e) = tera.add_raw_templates(pairs) {
            let msg = e.to_string();
            let file = theme
                .templates
                .iter()
                .find(|(n, _)| msg.contains(n.as_str()))
                .map(|(_, (_, p))| p.clone());
            let mut d = Diagnostic::error(format!("template error: {}", one_line(&msg)))
                .hint("fix the template syntax; see the Tera documentation for tags and filters");
            if let Some(f) = file {
                d = d.in_file(f);
            }
            errors.push(d);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Renderer {
            site,
            tera,
            highlighter: Highlighter::new(&site.config.highlight_theme),
            theme,
            analyses: crate::views::Analyses::new(site),
        })
    }

    /// The site the pages are made from.
    pub fn site(&self) -> &'a Site {
        self.site
    }

    /// The organisations' matrices and boundary reports the views are made from.
    pub fn analyses(&self) -> &crate::views::Analyses<'a> {
        &self.analyses
    }

    /// Render every page and copy the theme's static files. `on_page` is called once per
    /// page, for progress reporting.
    pub fn render_all(&self, on_page: &(dyn Fn() + Sync)) -> (Vec<OutputFile>, Diagnostics) {
        let jobs = self.jobs();
        let (mut files, diags) = self.render_jobs(&jobs, on_page);
        files.extend(self.extras(&jobs));
        (files, diags)
    }

    /// Render the pages `jobs` (in parallel), in their order: what `zhize serve` does after an
    /// edit, for the pages that depend on it.
    pub fn render_jobs(
        &self,
        jobs: &[Job],
        on_page: &(dyn Fn() + Sync),
    ) -> (Vec<OutputFile>, Diagnostics) {
        let results: Vec<Result<OutputFile, Diagnostic>> = jobs
            .par_iter()
            .map(|job| {
                let r = self.render_job(*job);
                on_page();
                r
            })
            .collect();
        let mut files = Vec::with_capacity(results.len() + 8);
        let mut diags = Diagnostics::default();
        for r in results {
            match r {
                Ok(f) => files.push(f),
                Err(d) => diags.push(d),
            }
        }
        (files, diags)
    }

    /// The files that are not pages: the sitemap of `jobs` and the theme's static files.
    pub fn extras(&self, jobs: &[Job]) -> Vec<OutputFile> {
        let mut extra = vec![OutputFile {
            path: "sitemap.xml".into(),
            bytes: self.sitemap(jobs).into_bytes(),
        }];
        for (rel, bytes) in &self.theme.statics {
            extra.push(OutputFile {
                path: format!("static/{rel}"),
                bytes: bytes.clone(),
            });
        }
        extra
    }

    /// As [`Renderer::render_all`], but every file goes to `sink` as soon as it is made, from
    /// the rendering threads, instead of into a list: `zhize build` writes pages to disk while
    /// rendering and keeps only their links for the link check, so memory stays bounded
    /// whatever the size of the site. Returns the links of every page, the paths of all files
    /// handed to `sink`, and the problems (a file `sink` refuses is an error).
    pub fn render_each(
        &self,
        on_page: &(dyn Fn() + Sync),
        sink: &(dyn Fn(OutputFile) -> Result<(), Diagnostic> + Sync),
    ) -> (Vec<crate::output::PageLinks>, Vec<String>, Diagnostics) {
        let jobs = self.jobs();
        let results: Vec<Result<(String, Option<crate::output::PageLinks>), Diagnostic>> = jobs
            .par_iter()
            .map(|job| {
                let r = self.render_job(*job).and_then(|f| {
                    let (path, links) = (f.path.clone(), crate::output::PageLinks::of(&f));
                    sink(f)?;
                    Ok((path, links))
                });
                on_page();
                r
            })
            .collect();
        let (mut links, mut paths) = (Vec::with_capacity(jobs.len()), Vec::new());
        let mut diags = Diagnostics::default();
        for r in results {
            match r {
                Ok((path, l)) => {
                    paths.push(path);
                    links.extend(l);
                }
                Err(d) => diags.push(d),
            }
        }
        for f in self.extras(&jobs) {
            let path = f.path.clone();
            match sink(f) {
                Ok(()) => paths.push(path),
                Err(d) => diags.push(d),
            }
        }
        (links, paths, diags)
    }

    /// Number of pages `render_all` will write (for a progress bar).
    pub fn page_count(&self) -> usize {
        self.jobs().len()
    }

    /// Every page of the site, in a fixed order.
    pub fn jobs(&self) -> Vec<Job> {
        let s = self.site;
        let mut jobs = vec![Job::Home, Job::Contacts, Job::NotFound];
        for (oi, org) in s.orgs.iter().enumerate() {
            jobs.push(Job::Target(Target::Org(oi)));
            jobs.extend(crate::views::OrgPage::ALL.map(|p| Job::OrgView(oi, p)));
            for ei in 0..org.externals.len() {
                jobs.push(Job::Target(Target::External(oi, ei)));
            }
            for (di, d) in org.depts.iter().enumerate() {
                jobs.push(Job::Target(Target::Dept(oi, di)));
                jobs.extend((0..d.posts.len()).map(|i| Job::Target(Target::Post(oi, di, i))));
                jobs.extend(
                    (0..d.procedures.len()).map(|i| Job::Target(Target::Procedure(oi, di, i))),
                );
                jobs.extend((0..d.forms.len()).map(|i| Job::Target(Target::Form(oi, di, i))));
            }
        }
        jobs.extend((0..s.pages.len()).map(|p| Job::Target(Target::Page(p))));
        jobs
    }

    /// The output path of a page.
    pub fn path_of(&self, job: Job) -> String {
        match job {
            Job::Home => "index.html".into(),
            Job::Contacts => "contacts.html".into(),
            Job::NotFound => "404.html".into(),
            Job::Target(t) => self.site.url(t),
            Job::OrgView(oi, p) => p.url(self.site, oi),
        }
    }

    /// Render one page.
    pub fn render_job(&self, job: Job) -> Result<OutputFile, Diagnostic> {
        let path = self.path_of(job);
        let v = View {
            r: self,
            path: &path,
        };
        let (template, ctx) = match job {
            Job::Home => ("index.html", v.home()),
            Job::Contacts => ("contacts.html", v.contacts()),
            Job::NotFound => ("404.html", v.base("找不到页面", vec![], None)),
            Job::OrgView(oi, p) => (p.template(), v.org_view(oi, p)),
            Job::Target(t @ Target::Org(_)) => ("org.html", v.org(t)),
            Job::Target(t @ Target::Dept(..)) => ("dept.html", v.dept(t)),
            Job::Target(t @ Target::Post(..)) => ("post.html", v.post(t)),
            Job::Target(t @ Target::Procedure(..)) => ("procedure.html", v.procedure(t)),
            Job::Target(t @ Target::Form(..)) => ("form.html", v.form(t)),
            Job::Target(t @ Target::External(..)) => ("external.html", v.external(t)),
            Job::Target(t @ Target::Page(_)) => ("page.html", v.page(t)),
        };
        let ctx = tera::Context::from_serialize(&ctx)
            .map_err(|e| Diagnostic::error(format!("internal: {e}")))?;
        // Into bytes: the page is written as bytes, so tera's check that its output is UTF-8
        // (a tenth of rendering a long page) is not needed.
        let mut html = Vec::with_capacity(16 * 1024);
        self.tera.render_to(template, &ctx, &mut html).map_err(|e| {
            let file = self.theme.templates.get(template).map(|(_, p)| p.clone());
            let mut d = Diagnostic::error(format!("cannot render {path} with template {template}: {}", one_line(&e.to_string())))
                .hint("a template refers to something the page does not have; see docs/themes.md for the variables of each page");
            if let Some(f) = file {
                d = d.in_file(f);
            }
            d
        })?;
        Ok(OutputFile { path, bytes: html })
    }

    fn sitemap(&self, jobs: &[Job]) -> String {
        let base = self
            .site
            .config
            .base_url
            .as_deref()
            .map(|b| b.trim_end_matches('/').to_string());
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for job in jobs {
            if matches!(job, Job::NotFound) {
                continue;
            }
            let path = self.path_of(*job);
            let loc = match &base {
                Some(b) => format!("{b}/{path}"),
                None => path,
            };
            out.push_str(&format!("  <url><loc>{}</loc></url>\n", escape(&loc)));
        }
        out.push_str("</urlset>\n");
        out
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Builds the template data of one page, with links relative to that page.
struct View<'r, 'a> {
    r: &'r Renderer<'a>,
    path: &'r str,
}

impl View<'_, '_> {
    fn site(&self) -> &Site {
        self.r.site
    }

    /// Prefix from this page back to the site root (`../../`).
    fn root(&self) -> String {
        "../".repeat(self.path.matches('/').count())
    }

    fn href(&self, t: Target) -> String {
        format!("{}{}", self.root(), self.site().url(t))
    }

    fn link(&self, t: Target) -> Value {
        json!({"name": self.site().name(t), "url": self.href(t), "kind": Site::kind_label(t)})
    }

    /// Markdown with mention links; `me` is not linked to itself.
    fn md(&self, text: &str, org: Option<usize>, me: Option<Target>, inline: bool) -> String {
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

    fn base(
        &self,
        title: &str,
        crumbs: Vec<Value>,
        reviewed: Option<&crate::model::Reviewed>,
    ) -> Map<String, Value> {
        let s = self.site();
        let mut m = Map::new();
        m.insert(
            "site".into(),
            json!({
                "title": s.config.title,
                "description": s.config.description,
                "lang": s.config.language,
            }),
        );
        m.insert("root".into(), json!(self.root()));
        m.insert("path".into(), json!(self.path));
        m.insert("title".into(), json!(title));
        m.insert("crumbs".into(), json!(crumbs));
        m.insert(
            "reviewed".into(),
            match reviewed {
                Some(r) => json!({"date": r.date(), "by": r.by()}),
                None => Value::Null,
            },
        );
        // The sidebar lists every organisation with its departments. On a site of more than
        // NAV_ALL_ORGS organisations that would make every page grow with the whole site
        // (quadratic output and build time), so there it lists only the page's own
        // organisation; the home page still lists them all.
        let in_org = |o: usize| self.path.starts_with(&format!("{}/", s.orgs[o].slug));
        let few_orgs = s.orgs.len() <= NAV_ALL_ORGS;
        let nav: Vec<Value> = (0..s.orgs.len())
            .filter(|&o| few_orgs || in_org(o))
            .map(|o| {
                let mut l = self.link(Target::Org(o));
                l["current"] = json!(in_org(o));
                l["views"] = json!(self.view_links(o));
                l["depts"] = json!((0..s.orgs[o].depts.len())
                    .map(|d| {
                        let mut dl = self.link(Target::Dept(o, d));
                        let prefix = format!("{}/{}/", s.orgs[o].slug, s.orgs[o].depts[d].slug);
                        dl["current"] = json!(self.path.starts_with(&prefix));
                        self.nav_dept_extras(o, d, &mut dl);
                        dl
                    })
                    .collect::<Vec<_>>());
                l
            })
            .collect();
        m.insert("nav".into(), json!(nav));
        m.insert(
            "home_url".into(),
            json!(format!("{}index.html", self.root())),
        );
        m.insert(
            "contacts_url".into(),
            json!(format!("{}contacts.html", self.root())),
        );
        m
    }

    fn home(&self) -> Map<String, Value> {
        let s = self.site();
        let mut m = self.base(&s.config.title, vec![], None);
        let orgs: Vec<Value> = s
            .orgs
            .iter()
            .enumerate()
            .map(|(oi, org)| {
                let depts: Vec<Value> = (0..org.depts.len())
                    .map(|di| {
                        let d = &org.depts[di].raw;
                        let mut l = self.link(Target::Dept(oi, di));
                        l["counts"] = json!({"duties": d.duties.len(), "posts": d.posts.len(), "procedures": d.procedures.len(), "forms": d.forms.len()});
                        l
                    })
                    .collect();
                let mut l = self.link(Target::Org(oi));
                l["depts"] = json!(depts);
                l["views"] = json!(self.view_links(oi));
                l["counts"] = json!({
                    "depts": org.depts.len(),
                    "duties": org.depts.iter().map(|d| d.raw.duties.len()).sum::<usize>(),
                    "posts": org.depts.iter().map(|d| d.raw.posts.len()).sum::<usize>(),
                    "procedures": org.depts.iter().map(|d| d.raw.procedures.len()).sum::<usize>(),
                    "forms": org.depts.iter().map(|d| d.raw.forms.len()).sum::<usize>(),
                });
                l
            })
            .collect();
        m.insert("orgs".into(), json!(orgs));
        m.insert("pages".into(), json!(self.page_links(None)));
        m
    }

    fn page_links(&self, org: Option<usize>) -> Vec<Value> {
        let s = self.site();
        (0..s.pages.len())
            .filter(|p| s.pages[*p].org == org)
            .map(|p| self.link(Target::Page(p)))
            .collect()
    }

    fn org_crumb(&self, oi: usize) -> Value {
        self.link(Target::Org(oi))
    }

    fn contact_list(&self, contacts: &[crate::model::Contact]) -> Vec<Value> {
        contacts
            .iter()
            .map(|c| json!({"name": c.name, "role": c.role, "phone": c.phone, "address": c.address, "email": c.email, "department": c.department}))
            .collect()
    }

    fn org(&self, t: Target) -> Map<String, Value> {
        let Target::Org(oi) = t else {
            unreachable!("org view of {t:?}")
        };
        let s = self.site();
        let org = &s.orgs[oi];
        let o = &org.raw;
        let mut m = self.base(&o.name, vec![], o.reviewed.as_ref());
        let me = Some(t);
        let depts: Vec<Value> = org
            .depts
            .iter()
            .enumerate()
            .map(|(di, d)| {
                let mut l = self.link(Target::Dept(oi, di));
                l["summary"] = json!(d.raw.summary.as_deref().map(|x| self.md(x, Some(oi), None, false)));
                l["counts"] = json!({"duties": d.raw.duties.len(), "posts": d.raw.posts.len(), "procedures": d.raw.procedures.len(), "forms": d.raw.forms.len()});
                l
            })
            .collect();
        m.insert("org".into(), json!({
            "name": o.name,
            "aliases": o.aliases,
            "plaques": o.plaques,
            "level": o.level,
            "summary": o.summary.as_deref().map(|x| self.md(x, Some(oi), me, false)),
            "duties": o.duties.iter().map(|d| self.md(d.text(), Some(oi), me, true)).collect::<Vec<_>>(),
            "documents": o.documents.iter().map(|d| json!({"no": d.no, "title": d.title, "issuer": d.issuer, "date": d.date, "body": d.body.as_deref().map(|b| self.md(b, Some(oi), me, false))})).collect::<Vec<_>>(),
            "staffing": o.staffing.0.iter().map(|(k, v)| json!({"item": k, "value": v})).collect::<Vec<_>>(),
            "division": o.division.iter().map(|i| json!({
                "topic": i.topic(),
                "text": self.md(i.text(), Some(oi), me, true),
                "with": i.with().iter().map(|n| self.named_link(oi, n)).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "depts": depts,
            "externals": (0..org.externals.len()).map(|e| self.link(Target::External(oi, e))).collect::<Vec<_>>(),
            "people": o.people.iter().map(|p| json!({"name": p.name, "role": p.role, "department": p.department, "phone": p.phone})).collect::<Vec<_>>(),
            "contacts": self.contact_list(&o.contacts),
            "pages": self.page_links(Some(oi)),
        }));
        m.insert("views".into(), json!(self.view_links(oi)));
        m
    }

    /// A link for a name as written, when it resolves; otherwise just the name.
    fn named_link(&self, oi: usize, name: &str) -> Value {
        let s = self.site();
        match s.orgs[oi].find_unit(name) {
            Some(t) => {
                let mut l = self.link(t);
                l["name"] = json!(name);
                l
            }
            None => json!({"name": name, "url": null}),
        }
    }

    fn opt_link(&self, t: Option<Target>, name: &str) -> Value {
        match t {
            Some(t) => {
                let mut l = self.link(t);
                l["name"] = json!(name);
                l
            }
            None => json!({"name": name, "url": null}),
        }
    }

    fn backlinks(&self, t: Target) -> Vec<Value> {
        let s = self.site();
        let Some(list) = s.backlinks.get(&t) else {
            return Vec::new();
        };
        let mut out: Vec<Value> = list
            .iter()
            .map(|b| {
                let mut l = self.link(b.from);
                let owner = match b.from {
                    Target::Post(o, d, _) | Target::Procedure(o, d, _) | Target::Form(o, d, _) => {
                        Some(s.orgs[o].depts[d].raw.name.clone())
                    }
                    _ => None,
                };
                l["owner"] = json!(owner);
                l["section"] = json!(b.section);
                l["context"] = json!(highlight_name(&b.context, s.name(t)));
                l
            })
            .collect();
        out.sort_by(|a, b| a["url"].as_str().cmp(&b["url"].as_str()));
        out
    }

    fn dept(&self, t: Target) -> Map<String, Value> {
        let Target::Dept(oi, di) = t else {
            unreachable!("dept view of {t:?}")
        };
        let s = self.site();
        let org = &s.orgs[oi];
        let dept = &org.depts[di];
        let r = &dept.raw;
        let me = Some(t);
        let mut m = self.base(
            &r.name,
            vec![self.org_crumb(oi)],
            r.reviewed.as_ref().or(org.raw.reviewed.as_ref()),
        );
        let mut last_group: Option<&str> = None;
        let duties: Vec<Value> = r
            .duties
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let group = d.group();
                let new_group = group.is_some() && group != last_group;
                last_group = group;
                let posts: Vec<Value> = dept
                    .posts
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| p.covers.contains(&i))
                    .map(|(pi, _)| self.link(Target::Post(oi, di, pi)))
                    .collect();
                json!({
                    "anchor": dept.duty_anchors[i],
                    "no": d.no().map(str::to_string).unwrap_or_else(|| (i + 1).to_string()),
                    "group": group,
                    "new_group": new_group,
                    "text": self.md(d.text(), Some(oi), me, true),
                    "posts": posts,
                })
            })
            .collect();
        let posts: Vec<Value> = r
            .posts
            .iter()
            .enumerate()
            .map(|(pi, p)| {
                let pr = &dept.posts[pi];
                let mut l = self.link(Target::Post(oi, di, pi));
                l["rank"] = json!(p.rank);
                l["headcount"] = json!(p.headcount);
                l["covers"] = json!(pr.covers.iter().map(|&i| json!({
                    "no": r.duties[i].no().map(str::to_string).unwrap_or_else(|| (i + 1).to_string()),
                    "anchor": dept.duty_anchors[i],
                })).collect::<Vec<_>>());
                l["duties"] = json!(p.duties.iter().map(|x| self.md(x, Some(oi), me, true)).collect::<Vec<_>>());
                l
            })
            .collect();
        let division_items = |items: &[crate::model::DivisionItem],
                              refs: &[Vec<Option<Target>>]|
         -> Vec<Value> {
            items
                .iter()
                .enumerate()
                .map(|(ii, item)| {
                    let names = item.with();
                    json!({
                        "topic": item.topic(),
                        "text": self.md(item.text(), Some(oi), me, true),
                        "with": names.iter().enumerate().map(|(wi, n)| self.opt_link(refs.get(ii).and_then(|v| v.get(wi)).copied().flatten(), n)).collect::<Vec<_>>(),
                    })
                })
                .collect()
        };
        m.insert("org_link".into(), self.org_crumb(oi));
        m.insert("dept".into(), json!({
            "name": r.name,
            "aliases": r.aliases,
            "plaques": r.plaques,
            "summary": r.summary.as_deref().map(|x| self.md(x, Some(oi), me, false)),
            "duties": duties,
            "posts": posts,
            "division": {
                "external": division_items(&r.division.external, &dept.division.external),
                "internal": division_items(&r.division.internal, &dept.division.internal),
                "general": division_items(&r.division.general, &dept.division.general),
            },
            "risks": {
                "points": r.risks.points.iter().map(|p| json!({"category": p.category(), "level": p.level(), "text": self.md(p.text(), Some(oi), me, true)})).collect::<Vec<_>>(),
                "controls": r.risks.controls.iter().map(|c| self.md(c, Some(oi), me, true)).collect::<Vec<_>>(),
            },
            "procedures": r.procedures.iter().enumerate().map(|(pi, p)| {
                let mut l = self.link(Target::Procedure(oi, di, pi));
                l["steps"] = json!(p.steps.len());
                l
            }).collect::<Vec<_>>(),
            "forms": (0..r.forms.len()).map(|f| self.link(Target::Form(oi, di, f))).collect::<Vec<_>>(),
            "contacts": self.contact_list(&r.contacts),
            "backlinks": self.backlinks(t),
        }));
        m
    }

    fn dept_crumbs(&self, oi: usize, di: usize) -> Vec<Value> {
        vec![self.org_crumb(oi), self.link(Target::Dept(oi, di))]
    }

    fn post(&self, t: Target) -> Map<String, Value> {
        let Target::Post(oi, di, pi) = t else {
            unreachable!("post view of {t:?}")
        };
        let s = self.site();
        let dept = &s.orgs[oi].depts[di];
        let p = &dept.raw.posts[pi];
        let me = Some(t);
        let mut m = self.base(
            &p.name,
            self.dept_crumbs(oi, di),
            dept.raw.reviewed.as_ref(),
        );
        let dept_url = self.href(Target::Dept(oi, di));
        let covers: Vec<Value> = dept.posts[pi]
            .covers
            .iter()
            .map(|&i| {
                let d = &dept.raw.duties[i];
                json!({
                    "no": d.no().map(str::to_string).unwrap_or_else(|| (i + 1).to_string()),
                    "url": format!("{dept_url}#{}", dept.duty_anchors[i]),
                    "text": self.md(d.text(), Some(oi), me, true),
                })
            })
            .collect();
        // Steps anywhere in the organisation that this post carries out.
        let mut steps = Vec::new();
        for (dj, d) in s.orgs[oi].depts.iter().enumerate() {
            for (pj, proc_) in d.procedures.iter().enumerate() {
                for (sj, st) in proc_.steps.iter().enumerate() {
                    if st.actor == me || st.parallel.contains(&me) {
                        let raw = &d.raw.procedures[pj].steps[sj];
                        let mut l = self.link(Target::Procedure(oi, dj, pj));
                        l["url"] = json!(format!(
                            "{}#step-{}",
                            self.href(Target::Procedure(oi, dj, pj)),
                            sj + 1
                        ));
                        l["step"] = json!(raw
                            .label
                            .clone()
                            .unwrap_or_else(|| format!("第{}步", sj + 1)));
                        steps.push(l);
                    }
                }
            }
        }
        m.insert("dept_link".into(), self.link(Target::Dept(oi, di)));
        m.insert(
            "my_duties_url".into(),
            json!(self.my_duties_url(oi, di, pi)),
        );
        m.insert("post".into(), json!({
            "name": p.name,
            "aliases": p.aliases,
            "rank": p.rank,
            "headcount": p.headcount,
            "summary": p.summary.as_deref().map(|x| self.md(x, Some(oi), me, false)),
            "covers": covers,
            "duties": p.duties.iter().map(|x| self.md(x, Some(oi), me, true)).collect::<Vec<_>>(),
            "steps": steps,
            "contacts": self.contact_list(&p.contacts),
        }));
        m
    }

    fn procedure(&self, t: Target) -> Map<String, Value> {
        let Target::Procedure(oi, di, pi) = t else {
            unreachable!("procedure view of {t:?}")
        };
        let s = self.site();
        let dept = &s.orgs[oi].depts[di];
        let p = &dept.raw.procedures[pi];
        let pr = &dept.procedures[pi];
        let me = Some(t);
        let mut m = self.base(
            &p.name,
            self.dept_crumbs(oi, di),
            dept.raw.reviewed.as_ref(),
        );
        let steps: Vec<Value> = p
            .steps
            .iter()
            .zip(&pr.steps)
            .enumerate()
            .map(|(si, (st, sr))| {
                json!({
                    "n": si + 1,
                    "anchor": format!("step-{}", si + 1),
                    "label": st.label,
                    "actor": st.actor.as_deref().map(|a| self.opt_link(sr.actor, a)),
                    "parallel": st.parallel.iter().zip(&sr.parallel).map(|(n, t)| self.opt_link(*t, n)).collect::<Vec<_>>(),
                    "text": st.text.as_deref().map(|x| self.md(x, Some(oi), me, false)),
                    "limit": st.limit,
                    "forms": st.forms.iter().zip(&sr.forms).map(|(n, t)| self.opt_link(*t, n)).collect::<Vec<_>>(),
                    "branches": st.branches.iter().zip(&sr.branches).map(|(b, to)| json!({
                        "when": b.when,
                        "label": b.label,
                        "to": to.map(|k| json!({
                            "n": k + 1,
                            "anchor": format!("step-{}", k + 1),
                            "label": p.steps[k].label.clone().unwrap_or_else(|| format!("第{}步", k + 1)),
                        })),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        m.insert("dept_link".into(), self.link(Target::Dept(oi, di)));
        m.insert("chart".into(), json!(self.chart(t)));
        m.insert("procedure".into(), json!({
            "name": p.name,
            "aliases": p.aliases,
            "summary": p.summary.as_deref().map(|x| self.md(x, Some(oi), me, false)),
            "steps": steps,
            "notes": p.notes.iter().map(|x| self.md(x, Some(oi), me, false)).collect::<Vec<_>>(),
            "forms": p.forms.iter().zip(&pr.forms).map(|(n, t)| self.opt_link(*t, n)).collect::<Vec<_>>(),
            "contacts": self.contact_list(&p.contacts),
        }));
        m
    }

    /// The swimlane chart of a procedure with two or more steps, as inline SVG.
    fn chart(&self, t: Target) -> Option<String> {
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
        let steps =
            crate::flowchart::StepIn::steps_of(p, pr, &markdown::plain, &|t| Some(self.href(t)));
        let owner_href = self.href(Target::Dept(oi, di));
        let chart = crate::flowchart::Chart::from_steps(
            &p.name,
            (&dept.raw.name, Some(&owner_href)),
            &steps,
        );
        Some(crate::flowchart::render(&chart, "chart"))
    }

    fn form(&self, t: Target) -> Map<String, Value> {
        let Target::Form(oi, di, fi) = t else {
            unreachable!("form view of {t:?}")
        };
        let s = self.site();
        let dept = &s.orgs[oi].depts[di];
        let f = &dept.raw.forms[fi];
        let me = Some(t);
        let mut m = self.base(
            &f.name,
            self.dept_crumbs(oi, di),
            dept.raw.reviewed.as_ref(),
        );
        let width = f.rows.iter().map(Vec::len).max().unwrap_or(0);
        let rows: Vec<Value> = f
            .rows
            .iter()
            .map(|row| {
                // The last cell spans what the row lacks, so short rows still fill the table.
                let n = row.len();
                json!(row
                    .iter()
                    .enumerate()
                    .map(|(i, c)| json!({
                        "text": c,
                        "span": if i + 1 == n && n < width { width - n + 1 } else { 1 },
                    }))
                    .collect::<Vec<_>>())
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
        m.insert("dept_link".into(), self.link(Target::Dept(oi, di)));
        m.insert("form".into(), json!({
            "name": f.name,
            "summary": f.summary.as_deref().map(|x| self.md(x, Some(oi), me, false)),
            "rows": rows,
            "notes": f.notes.iter().map(|x| self.md(x, Some(oi), me, false)).collect::<Vec<_>>(),
            "used_by": used_by,
        }));
        m
    }

    fn external(&self, t: Target) -> Map<String, Value> {
        let Target::External(oi, ei) = t else {
            unreachable!("external view of {t:?}")
        };
        let s = self.site();
        let e = &s.orgs[oi].externals[ei].raw;
        let mut m = self.base(&e.name, vec![self.org_crumb(oi)], None);
        m.insert(
            "external".into(),
            json!({
                "name": e.name,
                "aliases": e.aliases,
                "summary": e.summary.as_deref().map(|x| self.md(x, Some(oi), Some(t), false)),
                "backlinks": self.backlinks(t),
            }),
        );
        m
    }

    fn page(&self, t: Target) -> Map<String, Value> {
        let Target::Page(pi) = t else {
            unreachable!("page view of {t:?}")
        };
        let s = self.site();
        let p = &s.pages[pi];
        let crumbs = p.org.map(|o| vec![self.org_crumb(o)]).unwrap_or_default();
        let mut m = self.base(&p.meta.title, crumbs, p.meta.reviewed.as_ref());
        m.insert(
            "page".into(),
            json!({
                "title": p.meta.title,
                "summary": p.meta.summary,
                "date": p.meta.date,
                "body": self.md(&p.body, p.org, Some(t), false),
            }),
        );
        m
    }

    fn contacts(&self) -> Map<String, Value> {
        let s = self.site();
        let mut m = self.base("通讯录", vec![], None);
        let groups: Vec<Value> = s
            .orgs
            .iter()
            .enumerate()
            .map(|(oi, org)| {
                let mut entries: Vec<Value> = Vec::new();
                let mut add = |owner: Value, c: &crate::model::Contact| {
                    let mut v = json!({"name": c.name, "role": c.role, "phone": c.phone, "address": c.address, "email": c.email});
                    v["owner"] = owner;
                    entries.push(v);
                };
                for c in &org.raw.contacts {
                    add(self.link(Target::Org(oi)), c);
                }
                for (di, d) in org.depts.iter().enumerate() {
                    for c in &d.raw.contacts {
                        add(self.link(Target::Dept(oi, di)), c);
                    }
                    for (pi, p) in d.raw.posts.iter().enumerate() {
                        for c in &p.contacts {
                            add(self.link(Target::Post(oi, di, pi)), c);
                        }
                    }
                    for (pi, p) in d.raw.procedures.iter().enumerate() {
                        for c in &p.contacts {
                            add(self.link(Target::Procedure(oi, di, pi)), c);
                        }
                    }
                }
                for p in &org.raw.people {
                    if p.phone.is_some() {
                        let mut v = json!({"name": p.name, "role": p.role, "phone": p.phone, "address": null, "email": null});
                        v["owner"] = match p.department.as_deref() {
                            Some(d) => self.named_link(oi, d),
                            None => self.link(Target::Org(oi)),
                        };
                        entries.push(v);
                    }
                }
                let mut l = self.link(Target::Org(oi));
                l["entries"] = json!(entries);
                l
            })
            .collect();
        m.insert("groups".into(), json!(groups));
        m
    }
}

/// Escape a backlink's context and mark the name it is about.
fn highlight_name(context: &str, name: &str) -> String {
    let escaped = escape(context);
    let n = escape(name);
    if n.is_empty() {
        return escaped;
    }
    escaped.replacen(&n, &format!("<mark>{n}</mark>"), 1)
}
