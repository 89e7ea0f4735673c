//! The boundary report (职责边界) of an organisation: where the duty lists do not fit
//! together.
//!
//! - **Overlaps**: duties that two departments both claim — a detailed duty, or a phrase in
//!   which a department 牵头, that reads nearly the same as another department's (character
//!   bigram Dice similarity, after the department names and filler words are taken out).
//! - **One-sided arrangements**: a division item of department A names department B, but
//!   nothing in B's division items or duties names A back.
//! - **Unknown names**: names written as departments (`财务科`) that match no department,
//!   alias or outside body of the organisation.
//! - **Unmatched actors**: procedure step actors that resolve to nothing; those that look
//!   like a department are flagged, the rest are roles such as 分管领导.
//!
//! [`warnings`] turns the report into `zhize check` warnings at the lines of the texts.

use super::matrix::{matrix, short_title, Matrix};
use super::names::Finder;
use super::roles::Role;
use super::{all_texts, excerpt, Place, Section};
use crate::diagnostic::Diagnostic;
use crate::resolve::{prose_of, Site, Target};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Two texts of different departments that claim the same work.
#[derive(Debug, Clone)]
pub struct Overlap {
    pub a: (usize, Place, String),
    pub b: (usize, Place, String),
    /// Similarity, 0–1.
    pub score: f64,
}

/// A division item of `from` naming `to`, with nothing from `to` naming `from` back.
#[derive(Debug, Clone)]
pub struct OneSided {
    pub from: usize,
    pub to: usize,
    pub places: Vec<Place>,
}

/// A name written as a department that the organisation does not have.
#[derive(Debug, Clone)]
pub struct UnknownName {
    pub name: String,
    /// Where, with the words around it.
    pub places: Vec<(Place, String)>,
    /// Existing names that look alike.
    pub similar: Vec<String>,
}

/// A step actor that resolves to nothing.
#[derive(Debug, Clone)]
pub struct UnmatchedActor {
    pub name: String,
    pub dept_like: bool,
    pub places: Vec<Place>,
}

/// The boundary report of one organisation.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub overlaps: Vec<Overlap>,
    pub one_sided: Vec<OneSided>,
    pub unknown_names: Vec<UnknownName>,
    pub unmatched_actors: Vec<UnmatchedActor>,
}

impl Report {
    pub fn is_empty(&self) -> bool {
        self.overlaps.is_empty()
            && self.one_sided.is_empty()
            && self.unknown_names.is_empty()
            && self.unmatched_actors.is_empty()
    }
}

/// Similar texts above this score count as the same duty.
pub const OVERLAP_THRESHOLD: f64 = 0.7;
/// Texts shorter than this (in characters, after normalising) are too short to compare.
const MIN_CHARS: usize = 8;

const FILLER: &[&str] = &[
    "负责",
    "牵头",
    "承担",
    "做好",
    "开展",
    "组织",
    "相关",
    "有关",
    "工作",
    "全市",
    "全局",
    "局机关",
    "机关",
    "本科室",
    "科室",
    "协调",
    "落实",
    "推进",
    "实施",
    "指导",
    "管理",
    "完成",
    "其他",
    "交办",
    "任务",
    "领导",
    "以及",
    "按照",
    "职责",
    "分工",
];

/// The characters of a text that carry its meaning: Chinese characters and letters, without
/// department names and filler words.
fn normalise(text: &str, finder: &Finder) -> Vec<char> {
    let mut plain = prose_of(text);
    for m in finder.find(&plain.clone()).iter().rev() {
        plain.replace_range(m.start..m.end, " ");
    }
    for f in FILLER {
        plain = plain.replace(f, " ");
    }
    plain.chars().filter(|c| c.is_alphanumeric()).collect()
}

fn bigrams(chars: &[char]) -> HashSet<(char, char)> {
    chars.windows(2).map(|w| (w[0], w[1])).collect()
}

/// Dice similarity of two sets of bigrams, each bigram weighted by its rarity (`weight`), so
/// that a template shared by many duties (…方面重大问题的调查研究) counts for little and the
/// words that differ count for much.
pub fn dice(
    a: &HashSet<(char, char)>,
    b: &HashSet<(char, char)>,
    weight: &dyn Fn(&(char, char)) -> f64,
) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let common: f64 = a.intersection(b).map(weight).sum();
    let total: f64 = a.iter().map(weight).sum::<f64>() + b.iter().map(weight).sum::<f64>();
    if total == 0.0 {
        0.0
    } else {
        2.0 * common / total
    }
}

/// Texts about a department's own house-keeping (本科室党建) are not claims on shared work.
fn is_about_itself(text: &str) -> bool {
    ["本科室", "本处室", "本部门", "本单位", "各科室"]
        .iter()
        .any(|w| text.contains(w))
}

/// Compute the boundary report of organisation `org`.
pub fn report(site: &Site, org: usize) -> Report {
    report_with(site, org, &matrix(site, org))
}

/// The boundary report of organisation `org`, whose responsibility matrix is `m`.
pub fn report_with(site: &Site, org: usize, m: &Matrix) -> Report {
    let o = &site.orgs[org];
    let finder = Finder::new(site, org);
    let mut r = Report::default();

    // Claims: each department's detailed duties, and the phrases in which it leads.
    let mut claims: Vec<(usize, Place, String)> = Vec::new();
    for (di, d) in o.depts.iter().enumerate() {
        for (duty, t) in d.raw.duties.iter().enumerate() {
            claims.push((di, Place::Duty { dept: di, duty }, t.text().to_string()));
        }
    }
    for row in &m.rows {
        if let Place::Division { .. } | Place::OrgDivision { .. } = row.place {
            for (d, c) in &row.depts {
                if c.role == Role::Lead && c.why.chars().count() >= MIN_CHARS {
                    claims.push((*d, row.place, c.why.clone()));
                }
            }
        }
    }
    claims.retain(|(_, _, t)| !is_about_itself(t));
    let grams: Vec<HashSet<(char, char)>> = claims
        .iter()
        .map(|(_, _, t)| {
            let n = normalise(t, &finder);
            if n.len() < MIN_CHARS {
                HashSet::new()
            } else {
                bigrams(&n)
            }
        })
        .collect();
    // Every pair of claims is compared, so each claim's bigrams become a sorted list of
    // numbers with their weights computed once: the comparison is then a merge, with no
    // hashing and no logarithms.
    let mut ids: HashMap<(char, char), u32> = HashMap::new();
    let mut df: Vec<usize> = Vec::new();
    let gram_ids: Vec<Vec<u32>> = grams
        .iter()
        .map(|g| {
            let mut v: Vec<u32> = g
                .iter()
                .map(|b| {
                    let next = ids.len() as u32;
                    let id = *ids.entry(*b).or_insert(next);
                    if id == next {
                        df.push(0);
                    }
                    df[id as usize] += 1;
                    id
                })
                .collect();
            v.sort_unstable();
            v
        })
        .collect();
    let n = grams.len().max(1) as f64;
    let weights: Vec<f64> = df.iter().map(|&d| (n / d as f64).ln().max(0.05)).collect();
    let totals: Vec<f64> = gram_ids
        .iter()
        .map(|g| g.iter().map(|&i| weights[i as usize]).sum())
        .collect();
    let similarity = |i: usize, j: usize| -> f64 {
        let (a, b) = (&gram_ids[i], &gram_ids[j]);
        if a.is_empty() || b.is_empty() {
            return 0.0;
        }
        let (mut x, mut y, mut common) = (0, 0, 0.0);
        while x < a.len() && y < b.len() {
            match a[x].cmp(&b[y]) {
                std::cmp::Ordering::Less => x += 1,
                std::cmp::Ordering::Greater => y += 1,
                std::cmp::Ordering::Equal => {
                    common += weights[a[x] as usize];
                    x += 1;
                    y += 1;
                }
            }
        }
        let total = totals[i] + totals[j];
        if total == 0.0 {
            0.0
        } else {
            2.0 * common / total
        }
    };
    let mut seen: BTreeSet<(usize, usize, Place, Place)> = BTreeSet::new();
    for i in 0..claims.len() {
        for j in i + 1..claims.len() {
            let (da, pa, ta) = &claims[i];
            let (db, pb, tb) = &claims[j];
            if da == db || pa == pb {
                continue;
            }
            let score = similarity(i, j);
            if score < OVERLAP_THRESHOLD {
                continue;
            }
            // The same arrangement written into both departments' files is agreement, not
            // an overlap.
            let both_division =
                matches!(pa, Place::Division { .. }) && matches!(pb, Place::Division { .. });
            if both_division {
                let whole = |p: &Place| bigrams(&normalise(p.text(site, org), &finder));
                if normalise(ta, &finder) == normalise(tb, &finder)
                    || dice(&whole(pa), &whole(pb), &|_| 1.0) >= 0.9
                {
                    continue;
                }
            }
            let key = if (da, pa) <= (db, pb) {
                (*da, *db, *pa, *pb)
            } else {
                (*db, *da, *pb, *pa)
            };
            if seen.insert(key) {
                r.overlaps.push(Overlap {
                    a: (*da, *pa, ta.clone()),
                    b: (*db, *pb, tb.clone()),
                    score,
                });
            }
        }
    }
    r.overlaps
        .sort_by(|x, y| y.score.total_cmp(&x.score).then(x.a.1.cmp(&y.a.1)));

    // One-sided arrangements.
    let names_in_division = |d: usize| -> BTreeSet<usize> {
        let dept = &o.depts[d];
        let mut out = BTreeSet::new();
        for section in Section::ALL {
            for (ii, item) in section.items(&dept.raw).iter().enumerate() {
                out.extend(finder.find(&prose_of(item.text())).iter().map(|m| m.dept));
                if let Some(refs) = section.refs(dept).get(ii) {
                    out.extend(refs.iter().flatten().filter_map(|t| match t {
                        Target::Dept(_, x) => Some(*x),
                        _ => None,
                    }));
                }
            }
        }
        for t in &dept.raw.duties {
            out.extend(finder.find(&prose_of(t.text())).iter().map(|m| m.dept));
        }
        out
    };
    let back: Vec<BTreeSet<usize>> = (0..o.depts.len()).map(names_in_division).collect();
    let mut one_sided: BTreeMap<(usize, usize), Vec<Place>> = BTreeMap::new();
    for (di, dept) in o.depts.iter().enumerate() {
        for section in Section::ALL {
            for (ii, item) in section.items(&dept.raw).iter().enumerate() {
                let place = Place::Division {
                    dept: di,
                    section,
                    item: ii,
                };
                let mut named: BTreeSet<usize> = finder
                    .find(&prose_of(item.text()))
                    .iter()
                    .map(|m| m.dept)
                    .collect();
                if let Some(refs) = section.refs(dept).get(ii) {
                    named.extend(refs.iter().flatten().filter_map(|t| match t {
                        Target::Dept(_, x) => Some(*x),
                        _ => None,
                    }));
                }
                for to in named {
                    if to != di && !back[to].contains(&di) {
                        one_sided.entry((di, to)).or_default().push(place);
                    }
                }
            }
        }
    }
    r.one_sided = one_sided
        .into_iter()
        .map(|((from, to), places)| OneSided { from, to, places })
        .collect();

    // Names written as departments that exist nowhere.
    let mut unknown: BTreeMap<String, Vec<(Place, String)>> = BTreeMap::new();
    for (place, text) in all_texts(site, org) {
        let plain = prose_of(&text);
        for (s, e, name) in finder.unknown_dept_names(&plain) {
            let ctx = crate::resolve::context_of(&plain, s, e);
            let list = unknown.entry(name).or_default();
            if !list.iter().any(|(p, _)| *p == place) {
                list.push((place, ctx));
            }
        }
    }
    let dept_names: Vec<&str> = o.depts.iter().map(|d| d.raw.name.as_str()).collect();
    r.unknown_names = unknown
        .into_iter()
        .map(|(name, places)| UnknownName {
            similar: crate::diagnostic::nearest(&name, dept_names.iter().copied())
                .into_iter()
                .filter(|known| {
                    // Alike in words, not only in the suffix.
                    let body: Vec<char> =
                        known.chars().filter(|c| !"科处室".contains(*c)).collect();
                    let shared = body.iter().filter(|c| name.contains(**c)).count();
                    shared * 2 >= body.len().max(2)
                })
                .take(2)
                .map(str::to_string)
                .collect(),
            name,
            places,
        })
        .collect();

    // Step actors that match nothing.
    let mut actors: BTreeMap<String, Vec<Place>> = BTreeMap::new();
    for (di, d) in o.depts.iter().enumerate() {
        for (pi, p) in d.procedures.iter().enumerate() {
            let raw = &d.raw.procedures[pi];
            for (si, (s, rs)) in p.steps.iter().zip(&raw.steps).enumerate() {
                let place = Place::Step {
                    dept: di,
                    procedure: pi,
                    step: si,
                };
                let names = rs
                    .actor
                    .iter()
                    .zip(std::iter::once(&s.actor))
                    .chain(rs.parallel.iter().zip(s.parallel.iter()));
                for (name, t) in names {
                    if t.is_none() && !name.trim().is_empty() {
                        actors
                            .entry(name.trim().to_string())
                            .or_default()
                            .push(place);
                    }
                }
            }
        }
    }
    r.unmatched_actors = actors
        .into_iter()
        .map(|(name, places)| UnmatchedActor {
            dept_like: finder.looks_like_dept(&name),
            name,
            places,
        })
        .collect();
    r.unmatched_actors
        .sort_by(|a, b| b.dept_like.cmp(&a.dept_like).then(a.name.cmp(&b.name)));
    r
}

/// The report as warnings at the lines of the texts behind it. Actors that are plain roles
/// (分管领导) are not warned about: only those written like a department.
pub fn warnings(site: &Site, org: usize, r: &Report) -> Vec<Diagnostic> {
    let o = &site.orgs[org];
    let at = |d: Diagnostic, place: Place| {
        let (file, path) = place.source(site, org);
        site.sources.diag_at(d, file, &path)
    };
    let dname = |d: usize| o.depts[d].raw.name.as_str();
    let mut out = Vec::new();
    for u in &r.unknown_names {
        for (place, ctx) in &u.places {
            let hint = if u.similar.is_empty() {
                "correct the name, or add it as a department or as an `aliases:` entry of the department it means".to_string()
            } else {
                format!(
                    "did you mean {}? Correct the name, or add it to that department's `aliases:`",
                    u.similar.join(" / ")
                )
            };
            out.push(at(
                Diagnostic::warning(format!(
                    "职责边界: “{}” is written as a department, but {} has no such department (“{}”)",
                    u.name, o.raw.name, ctx
                ))
                .hint(hint),
                *place,
            ));
        }
    }
    for a in r.unmatched_actors.iter().filter(|a| a.dept_like) {
        for place in &a.places {
            out.push(at(
                Diagnostic::warning(format!(
                    "职责边界: step actor “{}” looks like a department but matches none in {}",
                    a.name, o.raw.name
                ))
                .hint("write the department's name or alias, or add the name to its `aliases:`"),
                *place,
            ));
        }
    }
    for s in &r.one_sided {
        for place in &s.places {
            out.push(at(
                Diagnostic::warning(format!(
                    "职责边界: {} names {} in this division item, but {}'s division items and duties never name {}",
                    dname(s.from),
                    dname(s.to),
                    dname(s.to),
                    dname(s.from)
                ))
                .hint(format!(
                    "record the arrangement in {}'s file too (division.internal), so both sides say the same",
                    dname(s.to)
                )),
                *place,
            ));
        }
    }
    for ov in &r.overlaps {
        out.push(at(
            Diagnostic::warning(format!(
                "职责边界: {} and {} both claim this duty ({:.0}% alike): “{}” / “{}”",
                dname(ov.a.0),
                dname(ov.b.0),
                ov.score * 100.0,
                short_title(&ov.a.2),
                excerpt(&prose_of(&ov.b.2), 28),
            ))
            .hint(format!(
                "decide who leads and write it down: see {}",
                ov.b.1.label(site, org)
            )),
            ov.a.1,
        ));
    }
    out
}
