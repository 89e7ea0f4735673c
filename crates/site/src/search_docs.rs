//! The site as search documents ([`SearchDoc`]): one per department, duty, post, procedure,
//! step, form, contact, outside body, power item and page, each with the department that handles it; and
//! the tantivy index of `zhize search`, kept fresh.

use crate::render::markdown::{plain, plain_start};
use crate::resolve::{Site, Target};
use std::path::Path;
use zhize_search::{index, Analyzer, Kind, SearchDoc, Searcher};

/// Build or refresh the tantivy index of the site at `root` if its content changed, and open
/// it. `site` is loaded only when the index must be (re)built.
pub fn open_fresh(
    root: &Path,
    site: impl FnOnce() -> Result<Site, String>,
) -> Result<(Searcher, Analyzer), String> {
    let dir = index::index_dir(root);
    let stamp = index::fingerprint(root);
    if !index::is_fresh(&dir, &stamp) {
        let site = site()?;
        eprintln!(
            "making the search index in {} (once: it is kept until the content changes)",
            dir.display()
        );
        let analyzer = analyzer_for(&site);
        let docs = documents(&site, &analyzer, PageText::Whole);
        index::write_index(&dir, &analyzer, &docs, &stamp)?;
        return Ok((Searcher::open(&dir)?, analyzer));
    }
    let config = crate::load::load_config(root);
    let analyzer = analyzer_of(&config).with_orgs(&index::orgs_of(&dir));
    Ok((Searcher::open(&dir)?, analyzer))
}

/// The analyser of a site: the default and the site's synonyms, and its organisations by
/// name and alias, so that questions naming one find its items first.
pub fn analyzer_for(site: &Site) -> Analyzer {
    let orgs: Vec<(String, Vec<String>)> = site
        .orgs
        .iter()
        .map(|o| (o.raw.name.clone(), o.raw.aliases.clone()))
        .collect();
    analyzer_of(&site.config).with_orgs(&orgs)
}

/// The analyser of a site's settings: the synonyms and the site's own thesaurus entries.
fn analyzer_of(config: &zhize_core::config::Config) -> Analyzer {
    let extra: Vec<(String, Vec<String>)> = config
        .thesaurus
        .iter()
        .map(|(official, words)| (official.clone(), words.clone()))
        .collect();
    Analyzer::new(&config.synonyms).with_thesaurus(&extra)
}

/// How much of a page's text its search document holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageText {
    /// All of it, for the tantivy index of `zhize search` (and other engines).
    Whole,
    /// Its start, at least what the static index keeps
    /// ([`zhize_search::static_index::PAGE_BODY_INDEXED`] characters), read without
    /// converting the rest of the page: the pages of a large site are most of its text.
    Indexed,
}

/// Every searchable thing of a site, in a stable order; shared, because the tantivy index
/// writer reads them on its own threads. A person is one contact of its organisation,
/// whatever the number of matters they are the contact for (their matters are in its text).
pub fn documents(site: &Site, analyzer: &Analyzer, pages: PageText) -> std::sync::Arc<[SearchDoc]> {
    let mut out = Vec::new();
    for oi in 0..site.orgs.len() {
        out.extend(org_documents(site, analyzer, oi));
    }
    out.extend(page_docs(site, pages));
    out.into()
}

/// The documents of organisation `oi`, in the order [`documents`] gives them (what a build
/// of that organisation alone hands to the merge).
pub fn org_documents(site: &Site, analyzer: &Analyzer, oi: usize) -> Vec<SearchDoc> {
    let mut out = Vec::new();
    let mut maker = Maker {
        site,
        analyzer,
        oi,
        out: &mut out,
        contacts: Vec::new(),
    };
    for di in 0..site.orgs[oi].depts.len() {
        maker.dept(di);
    }
    maker.org();
    out
}

/// Makes the documents of one organisation.
struct Maker<'a> {
    site: &'a Site,
    analyzer: &'a Analyzer,
    oi: usize,
    out: &'a mut Vec<SearchDoc>,
    /// The organisation's people: (name, phone) → their document and matters, in order.
    contacts: Vec<((String, String), SearchDoc, Vec<String>)>,
}

impl Maker<'_> {
    fn pinyin(&self, name: &str) -> String {
        self.analyzer.pinyin_keys(name).join(" ")
    }

    /// A document of department `di`, without post, aliases or body.
    fn doc(&self, di: usize, kind: Kind, title: String, url: String) -> SearchDoc {
        let org = &self.site.orgs[self.oi];
        SearchDoc {
            kind,
            title,
            url,
            org: org.raw.name.clone(),
            department: org.depts[di].raw.name.clone(),
            post: String::new(),
            aliases: String::new(),
            body: String::new(),
            incomplete: false,
        }
    }

    /// The department, its duties, posts, procedures with their steps, and forms.
    fn dept(&mut self, di: usize) {
        let (site, oi) = (self.site, self.oi);
        let d = &site.orgs[oi].depts[di];
        let r = &d.raw;
        let durl = site.url(Target::Dept(oi, di));
        let names = r
            .aliases
            .iter()
            .chain(&r.plaques)
            .cloned()
            .collect::<Vec<_>>();
        let pinyin = names
            .iter()
            .map(String::as_str)
            .chain([r.name.as_str()])
            .map(|n| self.pinyin(n))
            .collect::<Vec<_>>()
            .join(" ");
        let doc = SearchDoc {
            aliases: format!("{} {pinyin}", names.join(" ")),
            body: plain(r.summary.as_deref().unwrap_or("")),
            ..self.doc(di, Kind::Department, r.name.clone(), durl.clone())
        };
        self.out.push(doc);
        for (i, duty) in r.duties.iter().enumerate() {
            let posts: Vec<&str> = d
                .posts
                .iter()
                .zip(&r.posts)
                .filter(|(pr, _)| pr.covers.binary_search(&i).is_ok())
                .map(|(_, p)| p.name.as_str())
                .collect();
            let text = plain(duty.text());
            let doc = SearchDoc {
                post: posts.join(" "),
                aliases: duty.group().unwrap_or("").to_string(),
                body: text.clone(),
                ..self.doc(
                    di,
                    Kind::Duty,
                    text,
                    format!("{durl}#{}", d.duty_anchors[i]),
                )
            };
            self.out.push(doc);
        }
        for pi in 0..r.posts.len() {
            self.post(di, pi);
        }
        for pi in 0..r.procedures.len() {
            self.procedure(di, pi);
        }
        for fi in 0..r.forms.len() {
            self.form(di, fi);
        }
        for c in &r.contacts {
            self.contact(c, &r.name, &format!("{durl}#contacts"), &r.name);
        }
    }

    fn post(&mut self, di: usize, pi: usize) {
        let (site, oi) = (self.site, self.oi);
        let r = &site.orgs[oi].depts[di].raw;
        let p = &r.posts[pi];
        let url = site.url(Target::Post(oi, di, pi));
        // The duties a post covers are found as duties (which name their posts), so the
        // post's own text is its duty list and description only.
        let body = p
            .duties
            .iter()
            .map(|x| plain(x))
            .chain(p.summary.as_deref().map(plain))
            .collect::<Vec<_>>()
            .join("\n");
        let aliases = format!("{} {}", p.aliases.join(" "), self.pinyin(&p.name));
        let doc = SearchDoc {
            post: p.name.clone(),
            aliases,
            body,
            ..self.doc(di, Kind::Post, p.name.clone(), url.clone())
        };
        self.out.push(doc);
        for c in &p.contacts {
            self.contact(c, &r.name, &url, &p.name);
        }
    }

    fn procedure(&mut self, di: usize, pi: usize) {
        let (site, oi) = (self.site, self.oi);
        let r = &site.orgs[oi].depts[di].raw;
        let p = &r.procedures[pi];
        let purl = site.url(Target::Procedure(oi, di, pi));
        let body = p
            .summary
            .as_deref()
            .map(plain)
            .into_iter()
            .chain(p.notes.iter().map(|n| plain(n)))
            .collect::<Vec<_>>()
            .join("\n");
        let names = format!("{} {}", p.aliases.join(" "), self.pinyin(&p.name));
        let doc = SearchDoc {
            aliases: names,
            body,
            // The document gave its title only (labelled so on its page, warned by check).
            incomplete: p.steps.is_empty(),
            ..self.doc(di, Kind::Procedure, p.name.clone(), purl.clone())
        };
        self.out.push(doc);
        for (si, s) in p.steps.iter().enumerate() {
            let label = s.label.clone().unwrap_or_else(|| format!("第{}步", si + 1));
            let mut body = plain(s.text.as_deref().unwrap_or(""));
            if let Some(l) = &s.limit {
                body.push_str(&format!("（时限：{l}）"));
            }
            let doc = SearchDoc {
                post: s.actor.clone().unwrap_or_default(),
                aliases: s.forms.join(" "),
                body,
                ..self.doc(
                    di,
                    Kind::Step,
                    format!("{} · {label}", p.name),
                    format!("{purl}#step-{}", si + 1),
                )
            };
            self.out.push(doc);
        }
        for c in &p.contacts {
            self.contact(c, &r.name, &purl, &p.name);
        }
    }

    fn form(&mut self, di: usize, fi: usize) {
        let (site, oi) = (self.site, self.oi);
        let f = &site.orgs[oi].depts[di].raw.forms[fi];
        let cells: Vec<&str> = f
            .rows
            .iter()
            .flatten()
            .map(String::as_str)
            .filter(|c| !c.trim().is_empty())
            .collect();
        let notes: Vec<String> = f.notes.iter().map(|n| plain(n)).collect();
        let body = cells.join(" ") + " " + &notes.join(" ");
        let aliases = format!("{} {}", f.aliases.join(" "), self.pinyin(&f.name));
        let url = site.url(Target::Form(oi, di, fi));
        let doc = SearchDoc {
            aliases,
            body,
            ..self.doc(di, Kind::Form, f.name.clone(), url)
        };
        self.out.push(doc);
    }

    /// A person named as a contact, for `matter`: one document a person, at the first place
    /// they are named, listing every matter.
    fn contact(&mut self, c: &zhize_core::model::Contact, dept: &str, url: &str, matter: &str) {
        let key = (c.name.clone(), c.phone.clone().unwrap_or_default());
        if let Some((_, _, matters)) = self.contacts.iter_mut().find(|(k, _, _)| *k == key) {
            if !matters.iter().any(|m| m == matter) {
                matters.push(matter.to_string());
            }
            return;
        }
        let org = &self.site.orgs[self.oi].raw.name;
        self.contacts.push((
            key,
            contact_doc(c, org, dept, url),
            vec![matter.to_string()],
        ));
    }

    /// The organisation's outside bodies and its own contacts, then all its people.
    /// A power item: found by its name, code, category and legal basis (and its duties and
    /// accountability cases, in the body).
    fn power(&mut self, i: usize, p: &crate::resolve::PowerR) {
        let (site, oi) = (self.site, self.oi);
        let org = &site.orgs[oi];
        let r = &p.raw;
        let body = (r.basis.iter().map(String::as_str))
            .chain(r.responsibilities.iter().map(String::as_str))
            .chain(r.steps.iter().filter_map(|s| s.text.as_deref()))
            .chain(r.accountability.iter().map(String::as_str))
            .chain(r.notes.iter().map(String::as_str))
            .map(plain)
            .collect::<Vec<_>>()
            .join("\n");
        let doc = SearchDoc {
            kind: Kind::Power,
            title: r.name.clone(),
            url: site.url(Target::Power(oi, i)),
            org: org.raw.name.clone(),
            department: (p.dept.map(|d| org.depts[d].raw.name.clone()))
                .or_else(|| r.department.clone())
                .unwrap_or_default(),
            post: String::new(),
            aliases: [r.category.as_deref(), r.code.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" "),
            body,
            incomplete: false,
        };
        self.out.push(doc);
    }

    fn org(mut self) {
        let (site, oi) = (self.site, self.oi);
        let org = &site.orgs[oi];
        for (ei, e) in org.externals.iter().enumerate() {
            let doc = SearchDoc {
                kind: Kind::External,
                title: e.raw.name.clone(),
                url: site.url(Target::External(oi, ei)),
                org: org.raw.name.clone(),
                department: String::new(),
                post: String::new(),
                aliases: format!("{} {}", e.raw.aliases.join(" "), self.pinyin(&e.raw.name)),
                body: plain(e.raw.summary.as_deref().unwrap_or("")),
                incomplete: false,
            };
            self.out.push(doc);
        }
        for (i, p) in org.powers.iter().enumerate() {
            self.power(i, p);
        }
        for c in &org.raw.contacts {
            self.contact(c, "", &site.url(Target::Org(oi)), &org.raw.name);
        }
        for (_, mut doc, matters) in std::mem::take(&mut self.contacts) {
            doc.body = format!("{} {}", doc.body, matters.join(" "))
                .trim()
                .to_string();
            self.out.push(doc);
        }
    }
}

/// The documents of the free pages, after every organisation's in [`documents`]. Pages are
/// long, so their plain text is made on every core.
pub fn page_docs(site: &Site, text: PageText) -> Vec<SearchDoc> {
    use rayon::prelude::*;
    site.pages
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
            body: match text {
                PageText::Whole => plain(&p.body),
                PageText::Indexed => {
                    use zhize_search::static_index::{page_head, PAGE_BODY_INDEXED};
                    page_head(&plain_start(&p.body, PAGE_BODY_INDEXED)).to_string()
                }
            },
            incomplete: false,
        })
        .collect()
}

fn contact_doc(c: &zhize_core::model::Contact, org: &str, dept: &str, url: &str) -> SearchDoc {
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
        incomplete: false,
    }
}
