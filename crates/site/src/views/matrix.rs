//! The responsibility matrix (职责矩阵) of an organisation: shared duties and procedures as
//! rows, departments (and, per department, posts) as columns, and in each cell the role in
//! the government's own terms — 牵头, 主办, 协办, 配合, 知会.
//!
//! Rows come from three kinds of text:
//! - **division items** (职责分工, the organisation's and each department's) that involve two
//!   or more departments: roles are read from the text ([`super::roles`]); departments listed
//!   in `with` without a role in the text are 协办; the owner defaults to 主办;
//! - **detailed duties** (细化职责) that name another department: the owner defaults to 牵头,
//!   and the posts that cover the duty share the owner's role;
//! - **procedures** with steps by another department or by posts: the owning department is
//!   牵头, step actors 主办, co-signers (会签) 协办, and a step's text adds 知会 / 配合 for the
//!   departments it names (报…备案, 配合).
//!
//! Every cell keeps the place of the text behind it.

use super::names::Finder;
use super::roles::{roles_in, Role};
use super::{excerpt, texts_of, Place, Section};
use crate::resolve::{prose_of, Org, Site, StepR, Target};
use std::collections::BTreeMap;
use zhize_core::model::DivisionItem;

/// What a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum RowKind {
    Division,
    Duty,
    Procedure,
}

impl RowKind {
    pub fn label(self) -> &'static str {
        match self {
            RowKind::Division => "职责分工",
            RowKind::Duty => "细化职责",
            RowKind::Procedure => "工作流程",
        }
    }
}

/// A role in a row, with the words it was read from and where they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub role: Role,
    pub why: String,
    pub place: Place,
}

/// One shared duty or procedure.
#[derive(Debug, Clone)]
pub struct Row {
    pub kind: RowKind,
    pub place: Place,
    /// Short title: the topic, the procedure's name, or the start of the text.
    pub title: String,
    /// The department whose file holds the text (none for the organisation's own division).
    pub owner: Option<usize>,
    /// Department → role.
    pub depts: BTreeMap<usize, Cell>,
    /// (department, post) → role.
    pub posts: BTreeMap<(usize, usize), Cell>,
    /// Other departments that wrote the same arrangement down in their own files: each with
    /// the place of its statement and the departments that statement names (see
    /// [`without_mirrors`]).
    pub also_stated: Vec<(usize, Place, Vec<usize>)>,
}

/// The matrix of one organisation.
#[derive(Debug, Clone)]
pub struct Matrix {
    pub org: usize,
    pub rows: Vec<Row>,
    /// The row of each place, for looking rows up by place.
    by_place: std::collections::HashMap<Place, usize>,
}

/// Most cells a table of the matrix view shows: a department's rows × its posts (and its
/// posts' duty lists), or the organisation's rows × its departments. Beyond, the view leaves
/// the post columns out (each post's page still lists its duties) or shows the first rows,
/// and `check` warns: a department of 2,000 duties and 600 posts would otherwise make a page
/// of over a million cells and take gigabytes to render.
pub const MAX_CELLS: usize = 20_000;

impl Matrix {
    /// The row of a place, if it has one.
    pub fn row_at(&self, place: Place) -> Option<&Row> {
        self.by_place.get(&place).map(|&i| &self.rows[i])
    }

    /// Cells the post columns and post duty lists of department `d` would take.
    pub fn post_cells(&self, site: &Site, d: usize) -> usize {
        let dept = &site.orgs[self.org].depts[d];
        let rows = self.rows_of_dept(d).len();
        let listed: usize = dept.posts.iter().map(|p| p.covers.len()).sum();
        rows.saturating_mul(dept.posts.len()).saturating_add(listed)
    }

    /// Does department `d`'s part of the view show its posts (within [`MAX_CELLS`])?
    pub fn shows_posts(&self, site: &Site, d: usize) -> bool {
        self.post_cells(site, d) <= MAX_CELLS
    }

    /// How many rows the organisation's table shows (within [`MAX_CELLS`]).
    pub fn rows_shown(&self, site: &Site) -> usize {
        let cols = site.orgs[self.org].depts.len().max(1);
        self.rows.len().min(MAX_CELLS / cols)
    }

    /// Rows in which department `d` (or one of its posts) has a role.
    pub fn rows_of_dept(&self, d: usize) -> Vec<&Row> {
        self.rows
            .iter()
            .filter(|r| r.depts.contains_key(&d) || r.posts.keys().any(|(pd, _)| *pd == d))
            .collect()
    }

    /// How many cells of each role department `d` has.
    pub fn counts(&self, d: usize) -> BTreeMap<Role, usize> {
        let mut out = BTreeMap::new();
        for r in &self.rows {
            if let Some(c) = r.depts.get(&d) {
                *out.entry(c.role).or_insert(0) += 1;
            }
        }
        out
    }
}

/// Give `key` (a department or a post) `role`, read from `why` at `place`, unless it has a
/// role as strong already: the strongest role wins, and of equal ones the first.
fn give<K: Ord>(cells: &mut BTreeMap<K, Cell>, key: K, role: Role, why: &str, place: Place) {
    match cells.get_mut(&key) {
        Some(c) if role < c.role => {
            c.role = role;
            c.why = why.to_string();
            c.place = place;
        }
        Some(_) => {}
        None => {
            cells.insert(
                key,
                Cell {
                    role,
                    why: why.to_string(),
                    place,
                },
            );
        }
    }
}

/// The short title of a text: its first phrase.
pub fn short_title(text: &str) -> String {
    let plain = prose_of(text);
    let first = plain
        .split(['。', '；', ';', '\n'])
        .find(|s| !s.trim().is_empty())
        .unwrap_or("");
    excerpt(first.trim(), 28)
}

/// Roles of the departments in a division item or duty text.
fn text_cells(
    finder: &Finder,
    text: &str,
    owner: Option<usize>,
    place: Place,
) -> BTreeMap<usize, Cell> {
    let plain = prose_of(text);
    let mentions = finder.find(&plain);
    let mut cells = BTreeMap::new();
    for f in roles_in(&plain, &mentions, owner) {
        give(&mut cells, f.dept, f.role, &excerpt(&f.why, 120), place);
    }
    cells
}

/// Compute the matrix of organisation `org`: the rows of the division items and detailed
/// duties that involve other departments, in the order of the texts, then the rows of the
/// procedures.
pub fn matrix(site: &Site, org: usize) -> Matrix {
    let o = &site.orgs[org];
    let reader = RowReader {
        o,
        finder: Finder::new(site, org),
    };
    let read: Vec<(Row, &str)> = texts_of(site, org)
        .into_iter()
        .filter_map(|(place, text)| {
            let row = match place {
                Place::OrgDivision { item } => reader.org_division(item, text),
                Place::Division {
                    dept,
                    section,
                    item,
                } => reader.division(dept, section, item, text),
                Place::Duty { dept, duty } => reader.duty(dept, duty, text),
                _ => None,
            };
            row.map(|r| (r, text))
        })
        .collect();
    let (mut rows, mirrors) = without_mirrors(read);
    for (di, d) in o.depts.iter().enumerate() {
        rows.extend((0..d.procedures.len()).filter_map(|pi| reader.procedure(di, pi)));
    }
    let mut by_place: std::collections::HashMap<Place, usize> =
        rows.iter().enumerate().map(|(i, r)| (r.place, i)).collect();
    // The place of an arrangement's second statement finds the row of its first.
    for (mirror, kept) in mirrors {
        by_place.insert(mirror, kept);
    }
    Matrix {
        org,
        rows,
        by_place,
    }
}

/// How alike two departments' statements of one arrangement must be (character-pair
/// similarity) to be taken as the same arrangement written down twice.
const MIRROR_SIMILARITY: f64 = 0.6;

/// The rows, with each division arrangement that both its departments wrote down (each in
/// its own file, naming the other, in nearly the same words) kept once: the first
/// statement's row, where each department that stated it too has the role its own statement
/// gives it, and departments only a later statement names are added. Also, for each
/// statement dropped, its place and the index of the row kept for it.
fn without_mirrors(read: Vec<(Row, &str)>) -> (Vec<Row>, Vec<(Place, usize)>) {
    let mut kept: Vec<(Row, &str)> = Vec::with_capacity(read.len());
    let mut mirrors = Vec::new();
    for (row, text) in read {
        let first = (row.kind == RowKind::Division)
            .then(|| {
                kept.iter().position(|(k, ktext)| {
                    let (Some(a), Some(b)) = (k.owner, row.owner) else {
                        return false;
                    };
                    k.kind == RowKind::Division
                        && a != b
                        && k.depts.contains_key(&b)
                        && row.depts.contains_key(&a)
                        && zhize_core::text::similarity(ktext, text) >= MIRROR_SIMILARITY
                })
            })
            .flatten();
        match (first, row.owner) {
            (Some(i), Some(owner)) => {
                let merged = &mut kept[i].0;
                let named: Vec<usize> = row.depts.keys().copied().filter(|d| *d != owner).collect();
                for (d, cell) in row.depts {
                    if d == owner || !merged.depts.contains_key(&d) {
                        merged.depts.insert(d, cell);
                    }
                }
                merged.also_stated.push((owner, row.place, named));
                mirrors.push((row.place, i));
            }
            _ => kept.push((row, text)),
        }
    }
    (kept.into_iter().map(|(r, _)| r).collect(), mirrors)
}

/// Why a department listed in a division item's `with` is 协办.
const WHY_WITH: &str = "分工条目列为协作科室";

/// Reads the rows of the matrix from the texts of one organisation.
struct RowReader<'a> {
    o: &'a Org,
    finder: Finder,
}

impl RowReader<'_> {
    /// The row of item `item` of the organisation's own division, if it gives anyone a
    /// role: the roles its text gives, and 协办 to the departments of its `with`.
    fn org_division(&self, item: usize, text: &str) -> Option<Row> {
        let place = Place::OrgDivision { item };
        let raw = &self.o.raw.division[item];
        let mut cells = text_cells(&self.finder, text, None, place);
        for w in raw.with() {
            if let Some(Target::Dept(_, d)) = self.o.find_unit(w) {
                give(&mut cells, d, Role::Assist, WHY_WITH, place);
            }
        }
        (!cells.is_empty()).then(|| Row {
            kind: RowKind::Division,
            place,
            title: item_title(raw, text),
            owner: None,
            depts: cells,
            posts: BTreeMap::new(),
            also_stated: Vec::new(),
        })
    }

    /// The row of a department's division item, if it names another department: the roles
    /// its text gives, 协办 to the departments of its `with`, and 主办 to the department
    /// itself unless the text gives it more.
    fn division(&self, dept: usize, section: Section, item: usize, text: &str) -> Option<Row> {
        let place = Place::Division {
            dept,
            section,
            item,
        };
        let d = &self.o.depts[dept];
        let raw = &section.items(&d.raw)[item];
        let mut cells = text_cells(&self.finder, text, Some(dept), place);
        if let Some(refs) = section.refs(d).get(item) {
            for t in refs.iter().flatten() {
                if let Target::Dept(_, w) = t {
                    give(&mut cells, *w, Role::Assist, WHY_WITH, place);
                }
            }
        }
        give(&mut cells, dept, Role::Main, "本科室的分工条目", place);
        (cells.len() >= 2).then(|| Row {
            kind: RowKind::Division,
            place,
            title: item_title(raw, text),
            owner: Some(dept),
            depts: cells,
            posts: BTreeMap::new(),
            also_stated: Vec::new(),
        })
    }

    /// The row of a detailed duty, if its text names another department: the department
    /// leads (unless the text says otherwise), and the posts that cover the duty share its
    /// role.
    fn duty(&self, dept: usize, duty: usize, text: &str) -> Option<Row> {
        let place = Place::Duty { dept, duty };
        let mut cells = text_cells(&self.finder, text, Some(dept), place);
        if !cells.keys().any(|d| *d != dept) {
            return None;
        }
        give(&mut cells, dept, Role::Lead, "本科室的细化职责", place);
        let own = cells[&dept].clone();
        let posts = self.o.depts[dept]
            .posts
            .iter()
            .enumerate()
            .filter(|(_, p)| p.covers.binary_search(&duty).is_ok())
            .map(|(pi, _)| {
                (
                    (dept, pi),
                    Cell {
                        why: "岗位负责此项细化职责".into(),
                        ..own.clone()
                    },
                )
            })
            .collect();
        Some(Row {
            kind: RowKind::Duty,
            place,
            title: short_title(text),
            owner: Some(dept),
            depts: cells,
            posts,
            also_stated: Vec::new(),
        })
    }

    /// The row of procedure `pi` of department `di`, if another department or a post takes
    /// part: the department leads; each step's actor is 主办 and its co-signers 协办
    /// (a post's role counts for its department too); the departments a step's text names
    /// get the role the text gives them, seen from whoever does the step.
    fn procedure(&self, di: usize, pi: usize) -> Option<Row> {
        let d = &self.o.depts[di];
        let (p, raw) = (&d.procedures[pi], &d.raw.procedures[pi]);
        let whole = Place::Procedure {
            dept: di,
            procedure: pi,
        };
        let mut cells = BTreeMap::new();
        let mut posts = BTreeMap::new();
        give(&mut cells, di, Role::Lead, "本科室的工作流程", whole);
        for (si, (s, rs)) in p.steps.iter().zip(&raw.steps).enumerate() {
            let place = Place::Step {
                dept: di,
                procedure: pi,
                step: si,
            };
            let why = excerpt(
                rs.text.as_deref().or(rs.label.as_deref()).unwrap_or(""),
                120,
            );
            let actor_dept = give_actors(&mut cells, &mut posts, s, &why, place);
            if let Some(text) = &rs.text {
                let subject = actor_dept.unwrap_or(di);
                for (dd, c) in text_cells(&self.finder, text, Some(subject), place) {
                    // Only the procedure's owner leads it.
                    let role = if dd != di && c.role < Role::Main {
                        Role::Main
                    } else {
                        c.role
                    };
                    if dd != subject || role > Role::Main {
                        give(&mut cells, dd, role, &c.why, place);
                    }
                }
            }
        }
        (cells.len() >= 2 || !posts.is_empty()).then(|| Row {
            kind: RowKind::Procedure,
            place: whole,
            title: raw.name.clone(),
            owner: Some(di),
            depts: cells,
            posts,
            also_stated: Vec::new(),
        })
    }
}

/// The title of a division item's row: its topic, or the start of its text.
fn item_title(item: &DivisionItem, text: &str) -> String {
    item.topic()
        .map(str::to_string)
        .unwrap_or_else(|| short_title(text))
}

/// Give a step's actor 主办 and its co-signers 协办, for what the step does (`why`): a
/// post's role goes to the post and to its department. The department of the actor, when
/// it is a department or a post.
fn give_actors(
    cells: &mut BTreeMap<usize, Cell>,
    posts: &mut BTreeMap<(usize, usize), Cell>,
    s: &StepR,
    why: &str,
    place: Place,
) -> Option<usize> {
    let actors = s
        .actor
        .iter()
        .map(|t| (*t, Role::Main))
        .chain(s.parallel.iter().flatten().map(|t| (*t, Role::Assist)));
    let mut actor_dept = None;
    for (t, role) in actors {
        let dept = match t {
            Target::Dept(_, ad) => ad,
            Target::Post(_, pd, pp) => {
                give(posts, (pd, pp), role, why, place);
                pd
            }
            _ => continue,
        };
        give(cells, dept, role, why, place);
        if role == Role::Main {
            actor_dept = Some(dept);
        }
    }
    actor_dept
}

/// Everything one post does, for its "my duties" list: the duties it covers, the steps it
/// carries out or co-signs, and its dept's role in each.
#[derive(Debug, Clone)]
pub struct PostDuty {
    pub role: Role,
    pub kind: RowKind,
    pub title: String,
    pub place: Place,
    /// What the post does there: 负责细化职责 / 办理 第 3 步 / 会签.
    pub what: String,
}

/// The "my duties" list of post `pi` of department `di`.
pub fn post_duties(site: &Site, m: &Matrix, di: usize, pi: usize) -> Vec<PostDuty> {
    let o = &site.orgs[m.org];
    let d = &o.depts[di];
    let mut out = Vec::new();
    for &duty in &d.posts[pi].covers {
        let place = Place::Duty { dept: di, duty };
        let role = m
            .row_at(place)
            .and_then(|r| r.depts.get(&di))
            .map(|c| c.role)
            .unwrap_or(Role::Main)
            .max(Role::Main);
        out.push(PostDuty {
            role,
            kind: RowKind::Duty,
            title: short_title(d.raw.duties[duty].text()),
            place,
            what: "负责此项细化职责".into(),
        });
    }
    let me = Some(Target::Post(m.org, di, pi));
    for (dj, dd) in o.depts.iter().enumerate() {
        for (pj, p) in dd.procedures.iter().enumerate() {
            for (sj, s) in p.steps.iter().enumerate() {
                let (role, what) = if s.actor == me {
                    (Role::Main, "办理")
                } else if s.parallel.contains(&me) {
                    (Role::Assist, "会签")
                } else {
                    continue;
                };
                let raw = &dd.raw.procedures[pj];
                let label = raw.steps[sj]
                    .label
                    .clone()
                    .unwrap_or_else(|| format!("第 {} 步", sj + 1));
                out.push(PostDuty {
                    role,
                    kind: RowKind::Procedure,
                    title: raw.name.clone(),
                    place: Place::Step {
                        dept: dj,
                        procedure: pj,
                        step: sj,
                    },
                    what: format!("{what}：{label}"),
                });
            }
        }
    }
    out
}

/// The section of a division item's place, if it is one (for grouping in pages).
pub fn section_of(place: Place) -> Option<Section> {
    match place {
        Place::Division { section, .. } => Some(section),
        _ => None,
    }
}
