//! Rendering the site graph into pages: the typed data of each page ([`context`], built in
//! `pages` and, for the organisation views, `views`), Markdown, templates.
//!
//! Every page is rendered independently (in parallel with rayon) from the resolved [`Site`];
//! nothing here touches the disk. All links are relative, so the output works under any
//! sub-path and opened from disk with `file://`.

pub mod budget;
pub mod context;
mod handbook;
pub mod markdown;
pub mod open_data;
mod pages;
mod powers;
mod toc;
mod views;

use crate::load::theme::Theme;
use crate::resolve::{Site, Target};
use context::PageData;
use markdown::{escape, Highlighter};
use pages::View;
use rayon::prelude::*;
use zhize_core::diagnostic::{Diagnostic, Diagnostics};

pub use zhize_core::OutputFile;

/// The pages of a site, one job each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Job {
    Home,
    Contacts,
    NotFound,
    Target(Target),
    /// A view of an organisation: matrix, boundary report, graphs, index.
    OrgView(usize, crate::views::OrgPage),
    /// The printable handbook (汇编) of an organisation or a department.
    Handbook(Target),
}

impl Job {
    /// The organisation whose folder the page is in, or `None` for the site's own pages
    /// (home, contacts, 404, free pages): what `zhize build --org` renders, and what the merge
    /// of organisation builds renders itself.
    pub fn org(&self) -> Option<usize> {
        match *self {
            Job::Home | Job::Contacts | Job::NotFound => None,
            Job::OrgView(oi, _) => Some(oi),
            Job::Target(t) | Job::Handbook(t) => match t {
                Target::Page(_) => None,
                Target::Org(oi)
                | Target::Dept(oi, _)
                | Target::Post(oi, _, _)
                | Target::Procedure(oi, _, _)
                | Target::Form(oi, _, _)
                | Target::External(oi, _)
                | Target::Power(oi, _) => Some(oi),
            },
        }
    }
}

/// Up to this many organisations, every page's sidebar lists them all; beyond it, only the
/// page's own (see `View::base`).
pub const NAV_ALL_ORGS: usize = 10;

/// Compiled templates plus what every page shares.
/// A procedure's chart as inline SVG, shared by the pages that show it (none for a procedure
/// of fewer than two steps).
type Chart = Option<std::sync::Arc<str>>;

/// The pages that show a procedure's chart: its own page and the handbooks of its
/// department and its organisation.
const PAGES_WITH_A_CHART: u8 = 3;

pub struct Renderer<'a> {
    site: &'a Site,
    tera: tera::Tera,
    highlighter: Highlighter,
    theme: std::sync::Arc<Theme>,
    /// The organisations' matrices and boundary reports, shared by their views.
    analyses: crate::views::Analyses<'a>,
    /// The pages being rendered, for the guard against templates that never finish.
    watchdog: budget::Watchdog,
    /// Procedures' charts with links from the site root, once drawn (see `View::chart`), and
    /// how many more pages will ask for each.
    charts: std::sync::Mutex<std::collections::HashMap<Target, (Chart, u8)>>,
}

impl<'a> Renderer<'a> {
    /// Assemble the theme and compile its templates once.
    pub fn new(site: &'a Site) -> Result<Renderer<'a>, Vec<Diagnostic>> {
        let theme = site.theme.clone();
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
            watchdog: budget::Watchdog::default(),
            charts: Default::default(),
        })
    }

    /// The chart of procedure `t`, drawn by `draw` the first time it is asked for (drawn
    /// outside the lock: two pages asking at once may both draw it, alike), and forgotten
    /// once the pages that show it have all had it, so that the cache holds about an
    /// organisation's charts, not the whole site's.
    fn chart(&self, t: Target, draw: impl FnOnce() -> Option<String>) -> Chart {
        let charts = || self.charts.lock().unwrap_or_else(|e| e.into_inner());
        {
            let mut cached = charts();
            if let Some((c, left)) = cached.get_mut(&t) {
                let c = c.clone();
                *left -= 1;
                if *left == 0 {
                    cached.remove(&t);
                }
                return c;
            }
        }
        let c: Chart = draw().map(Into::into);
        charts().insert(t, (c.clone(), PAGES_WITH_A_CHART - 1));
        c
    }

    /// How long one page may take to render (`render_timeout` in zhize.yaml).
    fn page_budget(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.site.config.render_timeout.max(1))
    }

    /// Render with the watchdog on: a page that renders for twice its budget without
    /// writing anything ends the run (see `budget`).
    fn guarded<T>(&self, work: impl FnOnce() -> T) -> T {
        self.watchdog.guard(self.page_budget() * 2, work)
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
        let results: Vec<Result<OutputFile, Diagnostic>> = self.guarded(|| {
            jobs.par_iter()
                .map(|job| {
                    let r = self.render_job(*job);
                    on_page();
                    r
                })
                .collect()
        });
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

    /// The files that are not pages: the sitemap of `jobs` (with `base_url` only: a sitemap
    /// needs absolute addresses), the open data ([`open_data`]) and the theme's static files.
    pub fn extras(&self, jobs: &[Job]) -> Vec<OutputFile> {
        let mut extra: Vec<OutputFile> = self
            .sitemap(jobs)
            .map(|map| OutputFile {
                path: "sitemap.xml".into(),
                bytes: map.into_bytes(),
            })
            .into_iter()
            .collect();
        extra.extend(open_data::files(self.site));
        // The schema the open data and the content files follow (`zhize schema`).
        extra.push(OutputFile {
            path: "schema.json".into(),
            bytes: serde_json::to_vec_pretty(&zhize_core::schema::schema()).unwrap_or_default(),
        });
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
        let (links, mut paths, mut diags) = self.render_jobs_to(&jobs, on_page, sink);
        for f in self.extras(&jobs) {
            let path = f.path.clone();
            match sink(f) {
                Ok(()) => paths.push(path),
                Err(d) => diags.push(d),
            }
        }
        (links, paths, diags)
    }

    /// The pages `jobs` (in parallel), each to `sink` as it is made: [`Renderer::render_each`]
    /// without the files that are not pages. Returns the links of the pages, their paths and
    /// the problems.
    pub fn render_jobs_to(
        &self,
        jobs: &[Job],
        on_page: &(dyn Fn() + Sync),
        sink: &(dyn Fn(OutputFile) -> Result<(), Diagnostic> + Sync),
    ) -> (Vec<crate::output::PageLinks>, Vec<String>, Diagnostics) {
        let results: Vec<Result<(String, Option<crate::output::PageLinks>), Diagnostic>> = self
            .guarded(|| {
                jobs.par_iter()
                    .map(|job| {
                        let r = self.render_job(*job).and_then(|f| {
                            let (path, links) = (f.path.clone(), crate::output::PageLinks::of(&f));
                            sink(f)?;
                            Ok((path, links))
                        });
                        on_page();
                        r
                    })
                    .collect()
            });
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
            jobs.push(Job::Handbook(Target::Org(oi)));
            jobs.extend(crate::views::OrgPage::ALL.map(|p| Job::OrgView(oi, p)));
            for ei in 0..org.externals.len() {
                jobs.push(Job::Target(Target::External(oi, ei)));
            }
            for (di, d) in org.depts.iter().enumerate() {
                jobs.push(Job::Target(Target::Dept(oi, di)));
                jobs.push(Job::Handbook(Target::Dept(oi, di)));
                jobs.extend((0..d.posts.len()).map(|i| Job::Target(Target::Post(oi, di, i))));
                jobs.extend(
                    (0..d.procedures.len()).map(|i| Job::Target(Target::Procedure(oi, di, i))),
                );
                jobs.extend((0..d.forms.len()).map(|i| Job::Target(Target::Form(oi, di, i))));
            }
            jobs.extend((0..org.powers.len()).map(|i| Job::Target(Target::Power(oi, i))));
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
            Job::Handbook(t) => handbook::path(self.site, t),
        }
    }

    /// The template of a page and the data it receives ([`context`]): what
    /// [`Renderer::render_job`] hands to tera. `docs/themes.md` lists every field; the test
    /// that keeps it so serialises these.
    pub fn page_data(&self, job: Job) -> (&'static str, PageData<'_>) {
        View {
            r: self,
            path: self.path_of(job),
        }
        .data(job)
    }

    /// Render one page.
    pub fn render_job(&self, job: Job) -> Result<OutputFile, Diagnostic> {
        let path = self.path_of(job);
        let (template, ctx) = self.page_data(job);
        let ctx = tera::Context::from_serialize(&ctx)
            .map_err(|e| Diagnostic::error(format!("internal: {e}")))?;
        // Into bytes: the page is written as bytes, so tera's check that its output is UTF-8
        // (a tenth of rendering a long page) is not needed. Within a budget of time and size,
        // so that a template that loops for ever fails (see `budget`).
        let mut html = Vec::with_capacity(16 * 1024);
        let _watched = self.watchdog.enter(&path, template);
        let mut writer = budget::Budgeted::new(&mut html, self.page_budget());
        let rendered = self.tera.render_to(template, &ctx, &mut writer);
        let exceeded = writer.exceeded;
        rendered.map_err(|e| {
            let file = self.theme.templates.get(template).map(|(_, p)| p.clone());
            let mut d = match exceeded {
                Some(budget::Exceeded::Time) => budget::stuck(&path, template, self.page_budget()),
                Some(budget::Exceeded::Size) => budget::too_large(&path, template),
                None => Diagnostic::error(format!("cannot render {path} with template {template}: {}", one_line(&e.to_string())))
                .hint("a template refers to something the page does not have; see docs/themes.md for the variables of each page"),
            };
            if let Some(f) = file {
                d = d.in_file(f);
            }
            d
        })?;
        Ok(OutputFile { path, bytes: html })
    }

    /// The sitemap of `jobs` with absolute addresses under `base_url`; none without it.
    fn sitemap(&self, jobs: &[Job]) -> Option<String> {
        let base = self.site.config.base_url.as_deref()?.trim_end_matches('/');
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for job in jobs {
            if matches!(job, Job::NotFound) {
                continue;
            }
            let loc = format!("{base}/{}", self.path_of(*job));
            out.push_str(&format!("  <url><loc>{}</loc></url>\n", escape(&loc)));
        }
        out.push_str("</urlset>\n");
        Some(out)
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
