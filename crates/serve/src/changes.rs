//! What an edit changes: the pages of a site that depend on the files whose text changed, so
//! that `zhize serve` re-renders those pages and no others.
//!
//! The rule follows what a page shows. A page shows its own target and its children, the
//! names (never the text) of everything in the navigation and listings, and the words around
//! each mention of its target elsewhere (backlinks). So when only the text of some files
//! changed, the pages to render again are: the pages of the targets those files define, the
//! pages their text mentions or is mentioned by (before and after the edit), the pages of
//! their organisations with its views, and the site-wide lists (contacts, and home when a
//! department's number of duties changed). When a name, a URL, a target or the
//! configuration changed, every page may show it: all are rendered.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use zhize_site::render::Job;
use zhize_site::resolve::{Site, Target};
use zhize_site::views::OrgPage;

/// The pages to render again after an edit.
#[derive(Debug, PartialEq, Eq)]
pub enum Affected {
    /// Everything: a name, a URL, a target or the configuration changed.
    All,
    /// Only these pages (none when no content changed).
    Pages(Vec<Job>),
}

/// Compare the site before and after an edit.
pub fn affected(old: &Site, new: &Site) -> Affected {
    if format!("{:?}", old.config) != format!("{:?}", new.config) || !same_shape(old, new) {
        return Affected::All;
    }
    let files = changed_files(old, new);
    if files.is_empty() {
        return Affected::Pages(Vec::new());
    }
    // The shapes agree, so a target means the same thing in both sites.
    let changed: HashSet<Target> = targets(new)
        .into_iter()
        .filter(|&t| file_of(new, t).is_some_and(|f| files.contains(f)))
        .collect();
    let mut pages: BTreeSet<Target> = changed.iter().copied().collect();
    for site in [old, new] {
        for (&target, links) in &site.backlinks {
            // Its text mentions `target`: the backlinks of `target` show it.
            if links.iter().any(|l| changed.contains(&l.from)) {
                pages.insert(target);
            }
            // `target` mentions something that changed: keep its links current too.
            if changed.contains(&target) {
                pages.extend(links.iter().map(|l| l.from));
            }
        }
    }
    // A department page lists its posts, procedures and forms; an organisation page its
    // departments and outside bodies; the views of an organisation show all of it.
    let mut orgs = BTreeSet::new();
    for t in pages.clone() {
        match t {
            Target::Post(o, d, _) | Target::Procedure(o, d, _) | Target::Form(o, d, _) => {
                pages.insert(Target::Dept(o, d));
            }
            Target::Page(p) => {
                if let Some(o) = new.pages[p].org {
                    orgs.insert(o);
                }
            }
            // Department pages list the power items they carry out (wherever written).
            Target::Power(o, _) => {
                pages.extend((0..new.orgs[o].depts.len()).map(|d| Target::Dept(o, d)));
            }
            _ => {}
        }
        orgs.extend(Site::org_of(t));
    }
    for &o in &orgs {
        pages.insert(Target::Org(o));
        pages.extend((0..new.orgs[o].externals.len()).map(|e| Target::External(o, e)));
        // A power item's page names its department.
        pages.extend((0..new.orgs[o].powers.len()).map(|i| Target::Power(o, i)));
    }
    // The home page shows names and URLs (the same, or all would render) and how many
    // duties, posts, procedures and forms each department has (the last three are targets).
    let mut jobs = Vec::new();
    if duty_counts(old) != duty_counts(new) {
        jobs.push(Job::Home);
    }
    jobs.push(Job::Contacts);
    // A department's handbook holds its pages; an organisation's all of its departments'.
    let handbooks: Vec<Job> = (pages.iter())
        .filter(|t| matches!(t, Target::Dept(..)))
        .map(|&t| Job::Handbook(t))
        .collect();
    jobs.extend(pages.into_iter().map(Job::Target));
    jobs.extend(handbooks);
    for &o in &orgs {
        jobs.extend(OrgPage::ALL.map(|p| Job::OrgView(o, p)));
        jobs.push(Job::Handbook(Target::Org(o)));
    }
    Affected::Pages(jobs)
}

/// Whether the two sites' navigation and listings agree ([`shape`]). An organisation shared
/// by both (the same `Arc`, reused by the resolve) at the same place has the same shape.
fn same_shape(old: &Site, new: &Site) -> bool {
    let shared = |o: usize| {
        old.orgs
            .get(o)
            .zip(new.orgs.get(o))
            .is_some_and(|(a, b)| std::sync::Arc::ptr_eq(a, b))
    };
    old.orgs.len() == new.orgs.len() && shape(old, &shared) == shape(new, &shared)
}

/// Everything a site's navigation and listings show: each target with its URL and name, and
/// where each Markdown page belongs; the targets of organisations `skip` says are left out.
fn shape<'a>(
    site: &'a Site,
    skip: &dyn Fn(usize) -> bool,
) -> Vec<(Target, String, &'a str, Option<usize>)> {
    targets(site)
        .into_iter()
        .filter(|&t| !Site::org_of(t).is_some_and(skip))
        .map(|t| {
            let org = match t {
                Target::Page(p) => site.pages[p].org,
                _ => None,
            };
            (t, site.url(t), site.name(t), org)
        })
        .collect()
}

/// How many detailed duties each department has.
fn duty_counts(site: &Site) -> Vec<usize> {
    site.orgs
        .iter()
        .flat_map(|o| o.depts.iter().map(|d| d.raw.duties.len()))
        .collect()
}

/// Every target of a site, in a fixed order.
fn targets(site: &Site) -> Vec<Target> {
    let mut all = Vec::new();
    for (o, org) in site.orgs.iter().enumerate() {
        all.push(Target::Org(o));
        all.extend((0..org.externals.len()).map(|e| Target::External(o, e)));
        all.extend((0..org.powers.len()).map(|i| Target::Power(o, i)));
        for (d, dept) in org.depts.iter().enumerate() {
            all.push(Target::Dept(o, d));
            all.extend((0..dept.posts.len()).map(|i| Target::Post(o, d, i)));
            all.extend((0..dept.procedures.len()).map(|i| Target::Procedure(o, d, i)));
            all.extend((0..dept.forms.len()).map(|i| Target::Form(o, d, i)));
        }
    }
    all.extend((0..site.pages.len()).map(Target::Page));
    all
}

/// The file a target is written in.
fn file_of(site: &Site, t: Target) -> Option<&PathBuf> {
    let id = match t {
        Target::Org(o) | Target::External(o, _) => site.orgs[o].file,
        Target::Dept(o, d) => site.orgs[o].depts[d].file,
        Target::Post(o, d, i) => site.orgs[o].depts[d].posts[i].origin.file,
        Target::Procedure(o, d, i) => site.orgs[o].depts[d].procedures[i].origin.file,
        Target::Form(o, d, i) => site.orgs[o].depts[d].forms[i].origin.file,
        Target::Page(p) => site.pages[p].file,
        Target::Power(o, i) => site.orgs[o].powers[i].origin.file,
    };
    site.sources.files.get(id).map(|f| &f.path)
}

/// Files whose text differs between the two sites, or that only one of them has.
fn changed_files(old: &Site, new: &Site) -> HashSet<PathBuf> {
    let before: HashMap<&PathBuf, &str> = old
        .sources
        .files
        .iter()
        .map(|f| (&f.path, &*f.text))
        .collect();
    let mut changed: HashSet<PathBuf> = HashSet::new();
    let mut seen = HashSet::new();
    for f in &new.sources.files {
        seen.insert(&f.path);
        // Unchanged files keep their text's `Arc`: no need to compare the bytes.
        let same = before
            .get(&f.path)
            .is_some_and(|b| std::ptr::eq(*b, &*f.text) || **b == *f.text);
        if !same {
            changed.insert(f.path.clone());
        }
    }
    changed.extend(
        before
            .keys()
            .filter(|p| !seen.contains(*p))
            .map(|p| (*p).clone()),
    );
    changed
}
