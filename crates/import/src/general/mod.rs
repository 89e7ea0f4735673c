//! The general reader: any bureau's document, cut into blocks (headings, numbered items,
//! paragraphs, tables), each block's kind decided from its shape and its words, so that one
//! document may hold several kinds (主要职责, 三定 facts, departments and their duties,
//! posts, 职责分工, 廉政风险, 权责事项, 办理流程 and forms, notices as pages).
//!
//! Text is analysed in simplified script (a Big5 document reads as any other) and written
//! back as the document wrote it. Every line ends in a field, in `unparsed` (of its
//! department or of the organisation), in a page, or in the report as page furniture or
//! structure (a heading that became a section).

pub mod facts;
pub mod outline;
pub mod tables;
pub mod text;
pub mod vocab;
mod walk;

use crate::document::Document;
use crate::lines::Lines;
use crate::{Imported, ImportedPage};
use std::collections::HashMap;
use text::Script;
use zhize_core::model::{DeptFile, ExternalBody, OrgFile, PageMeta, Unparsed};
use zhize_core::slug::slugify;

/// What the general reader was asked to read a document as (`--as`), or `Auto`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Reading {
    #[default]
    Auto,
    /// Departments and their duties (内设机构及职责).
    Departments,
    Risks,
    Powers,
    Procedures,
    Division,
    /// One page, nothing structured.
    Page,
}

/// One recognised block, for `--dry-run` and the report: where, what, and a name.
#[derive(Debug, Clone)]
pub struct Recognised {
    pub line: usize,
    pub kind: &'static str,
    pub name: String,
    pub count: usize,
}

/// What the general reader made, with what it recognised block by block.
#[derive(Debug, Default)]
pub struct General {
    pub imported: Imported,
    pub blocks: Vec<Recognised>,
    /// Lines read as structure (section headings, table headers) and as page furniture.
    pub structure: Vec<usize>,
    pub furniture: Vec<usize>,
}

/// The document being built.
pub struct Builder<'b, 'a> {
    pub key: Vec<String>,
    pub org: OrgFile,
    pub depts: Vec<DeptFile>,
    /// First line of each department's own part, when prose opened it.
    pub dept_start: Vec<Option<usize>>,
    pub pages: Vec<ImportedPage>,
    pub blocks: Vec<Recognised>,
    pub structure: Vec<usize>,
    pub summary: Vec<String>,
    pub sanding: bool,
    pub lines: &'b mut Lines<'a>,
    index: HashMap<String, usize>,
}

impl Builder<'_, '_> {
    /// The department named `raw` (`人事科（老干部科）`, `林业科（加挂森林防火科牌子）`),
    /// found by name or alias, or added.
    pub fn dept(&mut self, raw: &str, line: Option<usize>) -> usize {
        let (name, aliases, plaques) = split_name(raw);
        if let Some(&k) = self.index.get(&name) {
            let d = &mut self.depts[k];
            for a in aliases {
                if !d.aliases.contains(&a) {
                    d.aliases.push(a);
                }
            }
            for p in plaques {
                if !d.plaques.contains(&p) {
                    d.plaques.push(p);
                }
            }
            if self.dept_start[k].is_none() {
                self.dept_start[k] = line;
            }
            return k;
        }
        let k = self.depts.len();
        for n in std::iter::once(&name).chain(&aliases) {
            self.index.entry(n.clone()).or_insert(k);
        }
        self.depts.push(DeptFile {
            name,
            aliases,
            plaques,
            order: Some(k as i64 + 1),
            ..Default::default()
        });
        self.dept_start.push(line);
        k
    }

    pub fn find_dept(&self, name: &str) -> Option<usize> {
        self.index.get(name.trim()).copied()
    }

    /// An outside body named in a text, listed under `external`.
    pub fn external(&mut self, name: &str) {
        if !self.org.external.iter().any(|x| x.name == name) {
            self.org.external.push(ExternalBody {
                name: name.to_string(),
                ..Default::default()
            });
        }
    }

    pub fn note(&mut self, line: usize, kind: &'static str, name: &str, count: usize) {
        self.blocks.push(Recognised {
            line: self.lines.no(line),
            kind,
            name: name.to_string(),
            count,
        });
    }

    pub fn used(&mut self, lines: &[usize]) {
        for &i in lines {
            self.lines.used(i);
        }
    }

    /// Lines consumed as structure (a heading that opened a section, a table header).
    pub fn structure(&mut self, lines: &[usize]) {
        self.used(lines);
        self.structure.extend_from_slice(lines);
    }

    /// Is `name` the organisation itself (its name, or a short form such as `县人社局`)?
    pub fn is_self(&self, name: &str) -> bool {
        let n = name.trim();
        if n.is_empty() {
            return false;
        }
        let org = &self.org.name;
        !org.is_empty() && (org == n || org.ends_with(n) && text::nchars(n) >= 3)
            || self.org.aliases.iter().any(|a| a == n)
            || ["本局", "我局", "本单位", "局机关", "本机关"].contains(&n)
    }
}

/// `人事科（老干部科）` → (人事科, [老干部科], []); `林业科（加挂森林防火科牌子）` → plaque.
pub fn split_name(raw: &str) -> (String, Vec<String>, Vec<String>) {
    let raw = raw.trim().trim_end_matches(['。', '：', ':']);
    let mut name = String::new();
    let mut aliases = Vec::new();
    let mut plaques = Vec::new();
    let mut rest = raw;
    while let Some(a) = rest.find(['（', '(']) {
        name.push_str(&rest[..a]);
        let after = &rest[a..];
        let open = after.chars().next().map_or(1, char::len_utf8);
        let Some(e) = after[open..].find(['）', ')']) else {
            name.push_str(after);
            rest = "";
            break;
        };
        let inner = after[open..open + e].trim();
        let ps = facts::plaques(inner);
        if !ps.is_empty() && inner.ends_with("牌子") {
            plaques.extend(ps);
        } else if !inner.is_empty() {
            aliases.push(inner.to_string());
        }
        let close = after[open + e..].chars().next().map_or(1, char::len_utf8);
        rest = &after[open + e + close..];
    }
    name.push_str(rest);
    (name.trim().to_string(), aliases, plaques)
}

/// Read a document with the general reader.
pub fn parse(doc: &Document, lines: &mut Lines<'_>, reading: Reading) -> General {
    let originals: Vec<String> = doc.lines.iter().map(|l| l.text.clone()).collect();
    let (key, script) = Script::simplify(&originals);
    let outline = outline::outline(&key);
    let furniture = outline.furniture.clone();
    for &i in &furniture {
        lines.used(i);
    }
    let mut b = Builder {
        key,
        org: OrgFile::default(),
        depts: Vec::new(),
        dept_start: Vec::new(),
        pages: Vec::new(),
        blocks: Vec::new(),
        structure: Vec::new(),
        summary: Vec::new(),
        sanding: false,
        lines,
        index: HashMap::new(),
    };
    if reading == Reading::Page {
        whole_page(&mut b, doc);
    } else {
        walk::walk(&mut b, &outline, reading);
        if !b.structured() {
            for r in std::mem::take(&mut b.blocks) {
                let _ = r;
            }
            whole_page(&mut b, doc);
        }
    }
    finish(b, doc, &script, furniture)
}

impl Builder<'_, '_> {
    /// Did anything structured come out?
    pub fn structured(&self) -> bool {
        let o = &self.org;
        !self.depts.is_empty()
            || !o.duties.is_empty()
            || !o.powers.is_empty()
            || !o.procedures.is_empty()
            || !o.division.is_empty()
            || !o.staffing.is_empty()
            || o.units.is_some()
    }
}

/// The whole document as one page (nothing structured in it).
fn whole_page(b: &mut Builder<'_, '_>, doc: &Document) {
    let mut body = String::new();
    for i in 0..b.lines.len() {
        if b.lines.blank(i) {
            continue;
        }
        let t = b.lines.text(i).to_string();
        b.lines.used(i);
        body.push_str(&t);
        body.push_str("\n\n");
    }
    let title = (0..b.lines.len())
        .filter(|&i| !b.lines.blank(i))
        .map(|i| b.key[i].trim().trim_start_matches('#').trim().to_string())
        .find(|t| !outline::is_furniture(t) && text::nchars(t) >= 4)
        .unwrap_or_else(|| doc.name.clone());
    b.pages = vec![ImportedPage {
        slug: slugify(&doc.name),
        meta: PageMeta {
            title,
            ..Default::default()
        },
        body,
    }];
    b.org = OrgFile::default();
    b.depts.clear();
    b.dept_start.clear();
    b.blocks.push(Recognised {
        line: 1,
        kind: "page",
        name: b.pages[0].meta.title.clone(),
        count: 1,
    });
}

/// Unparsed lines to their department or the organisation; text back in the document's
/// script.
fn finish(
    mut b: Builder<'_, '_>,
    doc: &Document,
    script: &Script,
    furniture: Vec<usize>,
) -> General {
    let has_org = b.pages.len() != 1 || !b.depts.is_empty() || b.structured();
    if has_org && b.structured() {
        if !b.summary.is_empty() {
            let s = b.summary.join("\n\n");
            b.org.summary = Some(match b.org.summary.take() {
                Some(x) => format!("{x}\n\n{s}"),
                None => s,
            });
        }
        // Lines no field took: the department whose part holds them, else the organisation.
        let mut starts: Vec<(usize, usize)> = b
            .dept_start
            .iter()
            .enumerate()
            .filter_map(|(k, s)| s.map(|s| (s, k)))
            .collect();
        starts.sort_unstable();
        for i in 0..b.lines.len() {
            if b.lines.is_used(i) || b.lines.blank(i) {
                continue;
            }
            let u = Unparsed {
                line: b.lines.no(i),
                text: b.lines.text(i).to_string(),
            };
            b.lines.used(i);
            match starts.iter().rev().find(|(s, _)| *s <= i) {
                Some(&(_, k)) if ends_after(&starts, k, i) => b.depts[k].unparsed.push(u),
                _ => b.org.unparsed.push(u),
            }
        }
    }
    let mut imported = Imported {
        org: (has_org && b.structured()).then(|| std::mem::take(&mut b.org)),
        depts: std::mem::take(&mut b.depts),
        pages: std::mem::take(&mut b.pages),
    };
    if !script.is_identity() {
        restore(&mut imported, script);
    }
    for r in b.blocks.iter_mut() {
        r.name = script.restore(&r.name);
    }
    let _ = doc;
    General {
        imported,
        blocks: std::mem::take(&mut b.blocks),
        structure: std::mem::take(&mut b.structure),
        furniture,
    }
}

/// Is line `i` still inside department `k`'s part (not past the next department's start)?
fn ends_after(starts: &[(usize, usize)], k: usize, i: usize) -> bool {
    let pos = starts.iter().position(|(_, d)| *d == k);
    match pos.and_then(|p| starts.get(p + 1)) {
        Some((next, _)) => i < *next,
        None => true,
    }
}

/// Every text of the import in the script the document was written in.
fn restore(imported: &mut Imported, script: &Script) {
    fn fix<T: serde::Serialize + serde::de::DeserializeOwned>(v: &mut T, script: &Script) {
        let Ok(mut value) = serde_yaml::to_value(&*v) else {
            return;
        };
        walk_value(&mut value, script);
        if let Ok(back) = serde_yaml::from_value(value) {
            *v = back;
        }
    }
    fn walk_value(v: &mut serde_yaml::Value, script: &Script) {
        match v {
            serde_yaml::Value::String(s) => *s = script.restore(s),
            serde_yaml::Value::Sequence(seq) => seq.iter_mut().for_each(|x| walk_value(x, script)),
            serde_yaml::Value::Mapping(m) => {
                let old = std::mem::take(m);
                for (mut k, mut x) in old {
                    walk_value(&mut k, script);
                    walk_value(&mut x, script);
                    m.insert(k, x);
                }
            }
            _ => {}
        }
    }
    if let Some(org) = imported.org.as_mut() {
        fix(org, script);
    }
    for d in imported.depts.iter_mut() {
        fix(d, script);
    }
    for p in imported.pages.iter_mut() {
        p.meta.title = script.restore(&p.meta.title);
        p.body = script.restore(&p.body);
    }
}
