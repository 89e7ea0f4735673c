//! What search finds: one document per department, duty, post, procedure, step, form,
//! contact, outside body and page, each with the department that handles it.

use super::analyzer::Analyzer;
use crate::render::markdown::plain;
use crate::resolve::{Site, Target};

/// The kinds of hit, with their labels.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Department,
    Duty,
    Post,
    Procedure,
    Step,
    Form,
    Contact,
    External,
    Page,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::Department,
        Kind::Duty,
        Kind::Post,
        Kind::Procedure,
        Kind::Step,
        Kind::Form,
        Kind::Contact,
        Kind::External,
        Kind::Page,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Kind::Department => "department",
            Kind::Duty => "duty",
            Kind::Post => "post",
            Kind::Procedure => "procedure",
            Kind::Step => "step",
            Kind::Form => "form",
            Kind::Contact => "contact",
            Kind::External => "external",
            Kind::Page => "page",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Kind::Department => "科室",
            Kind::Duty => "职责",
            Kind::Post => "岗位",
            Kind::Procedure => "工作流程",
            Kind::Step => "流程步骤",
            Kind::Form => "表单",
            Kind::Contact => "联系人",
            Kind::External => "外部单位",
            Kind::Page => "页面",
        }
    }
    pub fn from_name(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == s)
    }
}

/// One searchable thing.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SearchDoc {
    pub kind: Kind,
    pub title: String,
    /// Path from the site root, with an anchor where the thing is part of a page.
    pub url: String,
    pub org: String,
    /// The department that handles it (empty for pages and outside bodies).
    pub department: String,
    pub post: String,
    /// Aliases, plaques and pinyin keys of the name.
    pub aliases: String,
    pub body: String,
}

impl SearchDoc {
    /// A copy with an empty body.
    pub fn clone_without_body(&self) -> SearchDoc {
        SearchDoc {
            kind: self.kind,
            title: self.title.clone(),
            url: self.url.clone(),
            org: self.org.clone(),
            department: self.department.clone(),
            post: self.post.clone(),
            aliases: self.aliases.clone(),
            body: String::new(),
        }
    }
}

/// Every searchable thing of a site, in a stable order; shared, because the tantivy index
/// writer reads them on its own threads.
pub fn documents(site: &Site, analyzer: &Analyzer) -> std::sync::Arc<[SearchDoc]> {
    let mut out = Vec::new();
    let pinyin = |name: &str| analyzer.pinyin_keys(name).join(" ");
    for (oi, org) in site.orgs.iter().enumerate() {
        let oname = &org.raw.name;
        for (di, d) in org.depts.iter().enumerate() {
            let r = &d.raw;
            let durl = site.url(Target::Dept(oi, di));
            let doc =
                |kind, title: String, url: String, post: String, aliases: String, body: String| {
                    SearchDoc {
                        kind,
                        title,
                        url,
                        org: oname.clone(),
                        department: r.name.clone(),
                        post,
                        aliases,
                        body,
                    }
                };
            let mut names: Vec<&str> = r
                .aliases
                .iter()
                .chain(&r.plaques)
                .map(String::as_str)
                .collect();
            names.push(&r.name);
            let dept_aliases = format!(
                "{} {}",
                r.aliases
                    .iter()
                    .chain(&r.plaques)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" "),
                names
                    .iter()
                    .map(|n| pinyin(n))
                    .collect::<Vec<_>>()
                    .join(" ")
            );
            out.push(doc(
                Kind::Department,
                r.name.clone(),
                durl.clone(),
                String::new(),
                dept_aliases,
                plain(r.summary.as_deref().unwrap_or("")),
            ));
            for (i, duty) in r.duties.iter().enumerate() {
                let posts: Vec<&str> = d
                    .posts
                    .iter()
                    .zip(&r.posts)
                    .filter(|(pr, _)| pr.covers.contains(&i))
                    .map(|(_, p)| p.name.as_str())
                    .collect();
                let text = plain(duty.text());
                out.push(doc(
                    Kind::Duty,
                    text.clone(),
                    format!("{durl}#{}", d.duty_anchors[i]),
                    posts.join(" "),
                    duty.group().unwrap_or("").to_string(),
                    text,
                ));
            }
            for (pi, p) in r.posts.iter().enumerate() {
                // The duties a post covers are found as duties (which name their posts), so the
                // post's own text is its duty list and description only.
                let body = p
                    .duties
                    .iter()
                    .map(|x| plain(x))
                    .chain(p.summary.as_deref().map(plain))
                    .collect::<Vec<_>>()
                    .join("\n");
                out.push(doc(
                    Kind::Post,
                    p.name.clone(),
                    site.url(Target::Post(oi, di, pi)),
                    p.name.clone(),
                    format!("{} {}", p.aliases.join(" "), pinyin(&p.name)),
                    body,
                ));
                for c in &p.contacts {
                    out.push(contact_doc(
                        c,
                        oname,
                        &r.name,
                        &site.url(Target::Post(oi, di, pi)),
                    ));
                }
            }
            for (pi, p) in r.procedures.iter().enumerate() {
                let purl = site.url(Target::Procedure(oi, di, pi));
                let body = p
                    .summary
                    .as_deref()
                    .map(plain)
                    .into_iter()
                    .chain(p.notes.iter().map(|n| plain(n)))
                    .collect::<Vec<_>>()
                    .join("\n");
                let mut names = p.aliases.join(" ");
                names.push(' ');
                names.push_str(&pinyin(&p.name));
                out.push(doc(
                    Kind::Procedure,
                    p.name.clone(),
                    purl.clone(),
                    String::new(),
                    names,
                    body,
                ));
                for (si, s) in p.steps.iter().enumerate() {
                    let label = s.label.clone().unwrap_or_else(|| format!("第{}步", si + 1));
                    let mut body = plain(s.text.as_deref().unwrap_or(""));
                    if let Some(l) = &s.limit {
                        body.push_str(&format!("（时限：{l}）"));
                    }
                    out.push(doc(
                        Kind::Step,
                        format!("{} · {label}", p.name),
                        format!("{purl}#step-{}", si + 1),
                        s.actor.clone().unwrap_or_default(),
                        s.forms.join(" "),
                        body,
                    ));
                }
                for c in &p.contacts {
                    out.push(contact_doc(c, oname, &r.name, &purl));
                }
            }
            for (fi, f) in r.forms.iter().enumerate() {
                let cells: Vec<&str> = f
                    .rows
                    .iter()
                    .flatten()
                    .map(String::as_str)
                    .filter(|c| !c.trim().is_empty())
                    .collect();
                let body = cells.join(" ")
                    + " "
                    + &f.notes
                        .iter()
                        .map(|n| plain(n))
                        .collect::<Vec<_>>()
                        .join(" ");
                out.push(doc(
                    Kind::Form,
                    f.name.clone(),
                    site.url(Target::Form(oi, di, fi)),
                    String::new(),
                    format!("{} {}", f.aliases.join(" "), pinyin(&f.name)),
                    body,
                ));
            }
            for c in &r.contacts {
                out.push(contact_doc(c, oname, &r.name, &format!("{durl}#contacts")));
            }
        }
        for (ei, e) in org.externals.iter().enumerate() {
            out.push(SearchDoc {
                kind: Kind::External,
                title: e.raw.name.clone(),
                url: site.url(Target::External(oi, ei)),
                org: oname.clone(),
                department: String::new(),
                post: String::new(),
                aliases: format!("{} {}", e.raw.aliases.join(" "), pinyin(&e.raw.name)),
                body: plain(e.raw.summary.as_deref().unwrap_or("")),
            });
        }
        for c in &org.raw.contacts {
            out.push(contact_doc(c, oname, "", &site.url(Target::Org(oi))));
        }
    }
    // Pages are long: their plain text is made on every core.
    use rayon::prelude::*;
    let pages: Vec<SearchDoc> = site
        .pages
        .par_iter()
        .enumerate()
        .map(|(pi, p)| SearchDoc {
            kind: Kind::Page,
            title: p.meta.title.clone(),
            url: site.url(Target::Page(pi)),
            org: p
                .org
                .map(|o| site.orgs[o].raw.name.clone())
                .unwrap_or_default(),
            department: String::new(),
            post: String::new(),
            aliases: p.meta.aliases.join(" "),
            body: plain(&p.body),
        })
        .collect();
    out.extend(pages);
    out.into()
}

fn contact_doc(c: &crate::model::Contact, org: &str, dept: &str, url: &str) -> SearchDoc {
    let body = [
        c.role.as_deref(),
        c.phone.as_deref(),
        c.address.as_deref(),
        c.email.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    SearchDoc {
        kind: Kind::Contact,
        title: c.name.clone(),
        url: url.to_string(),
        org: org.to_string(),
        department: c.department.clone().unwrap_or_else(|| dept.to_string()),
        post: String::new(),
        aliases: String::new(),
        body,
    }
}
