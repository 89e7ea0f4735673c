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
use crate::resolve::{prose_of, Dept, Org, Site, Target};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use zhize_core::diagnostic::Diagnostic;

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
    /// Departments and posts of the organisation whose names it nearly is (文秘 for 文秘岗):
    /// most likely a slip of the pen.
    pub similar: Vec<String>,
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
    let finder = Finder::new(site, org);
    let claims = claims(site, org, m);
    Report {
        overlaps: overlaps(site, org, &finder, &claims),
        one_sided: one_sided(&site.orgs[org], &finder),
        unknown_names: unknown_names(site, org, &finder),
        unmatched_actors: unmatched_actors(&site.orgs[org], &finder),
    }
}

/// A text in which a department claims work: the department, where the text is, the text.
type Claim = (usize, Place, String);

/// Claims: each department's detailed duties, and the phrases of division items in which it
/// leads (long enough to compare), but not those about its own house-keeping.
fn claims(site: &Site, org: usize, m: &Matrix) -> Vec<Claim> {
    let mut claims: Vec<Claim> = Vec::new();
    for (di, d) in site.orgs[org].depts.iter().enumerate() {
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
    claims
}

/// Pairs of claims of different departments, at different places, that read alike (at
/// least [`OVERLAP_THRESHOLD`]) and are not one arrangement written down twice: most alike
/// first, each pair once.
fn overlaps(site: &Site, org: usize, finder: &Finder, claims: &[Claim]) -> Vec<Overlap> {
    let grams: Vec<HashSet<(char, char)>> = claims
        .iter()
        .map(|(_, _, t)| {
            let n = normalise(t, finder);
            if n.len() < MIN_CHARS {
                HashSet::new()
            } else {
                bigrams(&n)
            }
        })
        .collect();
    let similarity = Similarity::new(&grams);
    let mut out = Vec::new();
    let mut seen: BTreeSet<(usize, usize, Place, Place)> = BTreeSet::new();
    for i in 0..claims.len() {
        for j in i + 1..claims.len() {
            let (da, pa, ta) = &claims[i];
            let (db, pb, tb) = &claims[j];
            if da == db || pa == pb {
                continue;
            }
            let score = similarity.score(i, j);
            if score < OVERLAP_THRESHOLD || is_agreement(site, org, finder, &claims[i], &claims[j])
            {
                continue;
            }
            let key = if (da, pa) <= (db, pb) {
                (*da, *db, *pa, *pb)
            } else {
                (*db, *da, *pb, *pa)
            };
            if seen.insert(key) {
                out.push(Overlap {
                    a: (*da, *pa, ta.clone()),
                    b: (*db, *pb, tb.clone()),
                    score,
                });
            }
        }
    }
    out.sort_by(|x, y| y.score.total_cmp(&x.score).then(x.a.1.cmp(&y.a.1)));
    out
}

/// The same arrangement written into both departments' files is agreement, not an overlap:
/// two division items whose claims, or whole texts, read (nearly) the same.
fn is_agreement(site: &Site, org: usize, finder: &Finder, a: &Claim, b: &Claim) -> bool {
    let ((_, pa, ta), (_, pb, tb)) = (a, b);
    if !(matches!(pa, Place::Division { .. }) && matches!(pb, Place::Division { .. })) {
        return false;
    }
    let whole = |p: &Place| bigrams(&normalise(p.text(site, org), finder));
    normalise(ta, finder) == normalise(tb, finder) || dice(&whole(pa), &whole(pb), &|_| 1.0) >= 0.9
}

/// [`dice`] between any two of a list of texts, each bigram weighted by its rarity among
/// them. Every pair of claims is compared, so each text's bigrams become a sorted list of
/// numbers with their weights computed once: a comparison is then a merge, with no hashing
/// and no logarithms.
struct Similarity {
    /// Each text's bigrams, as sorted numbers.
    ids: Vec<Vec<u32>>,
    /// The weight of each bigram number: ln(texts / texts with it), at least 0.05.
    weights: Vec<f64>,
    /// The sum of the weights of each text's bigrams.
    totals: Vec<f64>,
}

impl Similarity {
    fn new(grams: &[HashSet<(char, char)>]) -> Similarity {
        let mut numbers: HashMap<(char, char), u32> = HashMap::new();
        let mut df: Vec<usize> = Vec::new();
        let ids: Vec<Vec<u32>> = grams
            .iter()
            .map(|g| {
                let mut v: Vec<u32> = g
                    .iter()
                    .map(|b| {
                        let next = numbers.len() as u32;
                        let id = *numbers.entry(*b).or_insert(next);
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
        let totals = ids
            .iter()
            .map(|g| g.iter().map(|&i| weights[i as usize]).sum())
            .collect();
        Similarity {
            ids,
            weights,
            totals,
        }
    }

    /// The similarity of texts `i` and `j`, 0–1.
    fn score(&self, i: usize, j: usize) -> f64 {
        let (a, b) = (&self.ids[i], &self.ids[j]);
        if a.is_empty() || b.is_empty() {
            return 0.0;
        }
        let (mut x, mut y, mut common) = (0, 0, 0.0);
        while x < a.len() && y < b.len() {
            match a[x].cmp(&b[y]) {
                std::cmp::Ordering::Less => x += 1,
                std::cmp::Ordering::Greater => y += 1,
                std::cmp::Ordering::Equal => {
                    common += self.weights[a[x] as usize];
                    x += 1;
                    y += 1;
                }
            }
        }
        let total = self.totals[i] + self.totals[j];
        if total == 0.0 {
            0.0
        } else {
            2.0 * common / total
        }
    }
}

/// One-sided arrangements: a division item of one department names another, whose division
/// items and duties never name the first back.
fn one_sided(o: &Org, finder: &Finder) -> Vec<OneSided> {
    let back: Vec<BTreeSet<usize>> = o.depts.iter().map(|d| named_by(d, finder)).collect();
    let mut one_sided: BTreeMap<(usize, usize), Vec<Place>> = BTreeMap::new();
    for (di, dept) in o.depts.iter().enumerate() {
        for section in Section::ALL {
            for item in 0..section.items(&dept.raw).len() {
                let place = Place::Division {
                    dept: di,
                    section,
                    item,
                };
                for to in named_in_item(dept, section, item, finder) {
                    if to != di && !back[to].contains(&di) {
                        one_sided.entry((di, to)).or_default().push(place);
                    }
                }
            }
        }
    }
    one_sided
        .into_iter()
        .map(|((from, to), places)| OneSided { from, to, places })
        .collect()
}

/// The departments a division item of `dept` names: in its text, or in its `with` list.
fn named_in_item(dept: &Dept, section: Section, item: usize, finder: &Finder) -> BTreeSet<usize> {
    let text = section.items(&dept.raw)[item].text();
    let mut named: BTreeSet<usize> = finder
        .find(&prose_of(text))
        .iter()
        .map(|m| m.dept)
        .collect();
    if let Some(refs) = section.refs(dept).get(item) {
        named.extend(refs.iter().flatten().filter_map(|t| match t {
            Target::Dept(_, x) => Some(*x),
            _ => None,
        }));
    }
    named
}

/// The departments that `dept`'s division items and detailed duties name.
fn named_by(dept: &Dept, finder: &Finder) -> BTreeSet<usize> {
    let mut out = BTreeSet::new();
    for section in Section::ALL {
        for item in 0..section.items(&dept.raw).len() {
            out.extend(named_in_item(dept, section, item, finder));
        }
    }
    for t in &dept.raw.duties {
        out.extend(finder.find(&prose_of(t.text())).iter().map(|m| m.dept));
    }
    out
}

/// Names written as departments that exist nowhere in the organisation, each with the
/// places that write it and up to two department names alike in words.
fn unknown_names(site: &Site, org: usize, finder: &Finder) -> Vec<UnknownName> {
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
    let dept_names: Vec<&str> = site.orgs[org]
        .depts
        .iter()
        .map(|d| d.raw.name.as_str())
        .collect();
    unknown
        .into_iter()
        .map(|(name, places)| UnknownName {
            similar: similar_names(&name, &dept_names),
            name,
            places,
        })
        .collect()
}

/// Up to two of `known` nearest to `name` that are alike in words, not only in the suffix
/// (科, 处, 室): at least half of their other characters are in `name`.
fn similar_names(name: &str, known: &[&str]) -> Vec<String> {
    zhize_core::diagnostic::nearest(name, known.iter().copied())
        .into_iter()
        .filter(|known| {
            let body: Vec<char> = known.chars().filter(|c| !"科处室".contains(*c)).collect();
            let shared = body.iter().filter(|c| name.contains(**c)).count();
            shared * 2 >= body.len().max(2)
        })
        .take(2)
        .map(str::to_string)
        .collect()
}

/// Step actors (and co-signers) that resolve to nothing, with the steps that name them;
/// those written like a department first.
fn unmatched_actors(o: &Org, finder: &Finder) -> Vec<UnmatchedActor> {
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
    let known: Vec<&str> = (o.depts.iter())
        .flat_map(|d| {
            let posts = d.raw.posts.iter().flat_map(|p| {
                std::iter::once(p.name.as_str()).chain(p.aliases.iter().map(String::as_str))
            });
            std::iter::once(d.raw.name.as_str())
                .chain(d.raw.aliases.iter().map(String::as_str))
                .chain(posts)
        })
        .collect();
    let mut out: Vec<UnmatchedActor> = actors
        .into_iter()
        .map(|(name, places)| UnmatchedActor {
            dept_like: finder.looks_like_dept(&name),
            similar: near_names(&name, &known),
            name,
            places,
        })
        .collect();
    out.sort_by(|a, b| b.dept_like.cmp(&a.dept_like).then(a.name.cmp(&b.name)));
    out
}

/// The names of `known` that `name` nearly is: one is the other with a character or two
/// more at the end (文秘 / 文秘岗, 办公 / 办公室), or they share most of their character pairs
/// (财务审计科 / 财物审计科). At most three, the closest first.
fn near_names(name: &str, known: &[&str]) -> Vec<String> {
    let len = |s: &str| s.chars().count();
    let mut near: Vec<(f64, &str)> = known
        .iter()
        .filter(|k| **k != name && len(k).min(len(name)) >= 2)
        .filter_map(|k| {
            let (short, long) = if len(k) < len(name) {
                (*k, name)
            } else {
                (name, *k)
            };
            let extends = long.starts_with(short) && len(long) - len(short) <= 2;
            let sim = zhize_core::text::similarity(name, k);
            (extends || sim >= 0.6).then_some((sim.max(0.5), *k))
        })
        .collect();
    near.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    near.dedup_by(|a, b| a.1 == b.1);
    near.into_iter()
        .take(3)
        .map(|(_, k)| k.to_string())
        .collect()
}

/// The report as warnings at the lines of the texts behind it. Actors that are plain roles
/// (分管领导) are not warned about: only those written like a department, or nearly the
/// name of a department or post.
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
            let (hint, hint_zh) = if u.similar.is_empty() {
                (
                    "correct the name, or add it as a department or as an `aliases:` entry of the department it means".to_string(),
                    "改正名称，或把它建成科室，或加进所指科室的“别名”".to_string(),
                )
            } else {
                (
                    format!(
                        "did you mean {}? Correct the name, or add it to that department's `aliases:`",
                        u.similar.join(" / ")
                    ),
                    format!(
                        "是不是要写“{}”？改正名称，或把它加进那个科室的“别名”",
                        u.similar.join("”或“")
                    ),
                )
            };
            out.push(at(
                Diagnostic::warning(format!(
                    "职责边界: “{}” is written as a department, but {} has no such department (“{}”)",
                    u.name, o.raw.name, ctx
                ))
                .hint(hint)
                .zh(format!(
                    "职责边界：“{}”写得像科室名，但{}没有这个科室（“{}”）",
                    u.name, o.raw.name, ctx
                ))
                .hint_zh(hint_zh),
                *place,
            ));
        }
    }
    for a in r.unmatched_actors.iter() {
        let d = if let Some(first) = a.similar.first() {
            Diagnostic::warning(format!(
                "职责边界: step actor “{}” is no department or post of {}; did you mean {}?",
                a.name,
                o.raw.name,
                a.similar.join(" / ")
            ))
            .hint(format!(
                "write the name as the list has it (“{first}”), or add “{}” to its `aliases:`",
                a.name
            ))
            .zh(format!(
                "职责边界：步骤的办理人“{}”不是{}的科室或岗位，是不是要写“{}”？",
                a.name,
                o.raw.name,
                a.similar.join("”或“")
            ))
            .hint_zh(format!(
                "照清单里的写法写成“{first}”，或把“{}”加进它的“别名”",
                a.name
            ))
        } else if a.dept_like {
            Diagnostic::warning(format!(
                "职责边界: step actor “{}” looks like a department but matches none in {}",
                a.name, o.raw.name
            ))
            .hint("write the department's name or alias, or add the name to its `aliases:`")
            .zh(format!(
                "职责边界：步骤的办理人“{}”像是科室，但{}没有这个科室",
                a.name, o.raw.name
            ))
            .hint_zh("写科室的名称或别名，或把这个名称加进它的“别名”")
        } else {
            // A plain role (分管领导, 申请人): nothing to correct.
            continue;
        };
        for place in &a.places {
            out.push(at(d.clone(), *place));
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
                ))
                .zh(format!(
                    "职责边界：{}的这条分工提到{}，但{}的分工和职责里从没提到{}",
                    dname(s.from),
                    dname(s.to),
                    dname(s.to),
                    dname(s.from)
                ))
                .hint_zh(format!(
                    "只写在一方也可以；若要两边一致，在{}的“内部分工”里也写上这条",
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
            ))
            .zh(format!(
                "职责边界：{}和{}都写了这项职责（{:.0}% 相同）：“{}” / “{}”",
                dname(ov.a.0),
                dname(ov.b.0),
                ov.score * 100.0,
                short_title(&ov.a.2),
                excerpt(&prose_of(&ov.b.2), 28),
            ))
            .hint_zh(format!(
                "定下由谁牵头、谁配合，写进职责分工（一方写或两边写法一致均可）：见{}",
                ov.b.1.label(site, org)
            )),
            ov.a.1,
        ));
    }
    out
}
