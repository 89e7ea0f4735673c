//! Template data of the organisation views (`<org>/matrix.html`, `boundary.html`,
//! `graph.html`, `orgchart.html`, `az.html`) and of the sidebar tree's extras. The views
//! themselves are computed in [`crate::views`]; this only turns them into links relative to
//! the page and JSON for the templates.

use super::View;
use crate::resolve::{prose_of, Target};
use crate::views::matrix::{post_duties, Matrix};
use crate::views::roles::Role;
use crate::views::{az, excerpt, graph, matrix, orgchart, OrgPage, Place};
use serde_json::{json, Map, Value};

impl View<'_, '_> {
    /// Links to the views of organisation `oi`, with `current` on the one shown.
    pub(super) fn view_links(&self, oi: usize) -> Vec<Value> {
        let s = self.site();
        OrgPage::ALL
            .iter()
            .map(|p| {
                let url = p.url(s, oi);
                json!({
                    "name": p.title(),
                    "blurb": p.blurb(),
                    "url": format!("{}{url}", self.root()),
                    "current": self.path == url,
                })
            })
            .collect()
    }

    /// The sidebar tree under the current department: its posts and procedures.
    pub(super) fn nav_dept_extras(&self, o: usize, d: usize, dl: &mut Value) {
        if dl["current"] != json!(true) {
            return;
        }
        let s = self.site();
        let dept = &s.orgs[o].depts[d];
        let item = |t: Target| {
            let mut l = self.link(t);
            l["current"] = json!(self.path == s.url(t));
            l
        };
        dl["posts"] = json!((0..dept.posts.len())
            .map(|p| item(Target::Post(o, d, p)))
            .collect::<Vec<_>>());
        dl["procedures"] = json!((0..dept.procedures.len())
            .map(|p| item(Target::Procedure(o, d, p)))
            .collect::<Vec<_>>());
        dl["page_current"] = json!(self.path == s.url(Target::Dept(o, d)));
    }

    /// The post's "my duties" list on the matrix page.
    pub(super) fn my_duties_url(&self, oi: usize, di: usize, pi: usize) -> String {
        format!(
            "{}{}#{}",
            self.root(),
            OrgPage::Matrix.url(self.site(), oi),
            self.post_anchor(oi, di, pi)
        )
    }

    fn dept_anchor(&self, oi: usize, di: usize) -> String {
        format!("dept-{}", self.site().orgs[oi].depts[di].slug)
    }

    fn post_anchor(&self, oi: usize, di: usize, pi: usize) -> String {
        let d = &self.site().orgs[oi].depts[di];
        format!("post-{}-{}", d.slug, d.posts[pi].slug)
    }

    fn place_url(&self, oi: usize, p: Place) -> String {
        format!("{}{}", self.root(), p.url(self.site(), oi))
    }

    fn role_json(role: Role) -> Value {
        json!({"label": role.label(), "class": role.class(), "meaning": role.meaning()})
    }

    /// One organisation view page.
    pub(super) fn org_view(&self, oi: usize, page: OrgPage) -> Map<String, Value> {
        let s = self.site();
        let org = &s.orgs[oi];
        let title = format!("{}{}", org.raw.name, page.title());
        let mut m = self.base(
            &title,
            vec![self.link(Target::Org(oi))],
            org.raw.reviewed.as_ref(),
        );
        m.insert("org_link".into(), self.link(Target::Org(oi)));
        m.insert("views".into(), json!(self.view_links(oi)));
        m.insert("view_title".into(), json!(page.title()));
        let mx = || self.r.analyses.matrix(oi);
        let data = match page {
            OrgPage::Matrix => self.matrix_data(oi, mx()),
            OrgPage::Boundary => self.boundary_data(oi),
            OrgPage::Graph => self.graph_data(oi, mx()),
            OrgPage::OrgChart => self.orgchart_data(oi),
            OrgPage::Az => self.az_data(oi),
        };
        m.insert("view".into(), data);
        m
    }

    fn matrix_data(&self, oi: usize, mx: &Matrix) -> Value {
        let s = self.site();
        let org = &s.orgs[oi];
        let cell = |c: &matrix::Cell| {
            json!({
                "label": c.role.label(),
                "class": c.role.class(),
                "why": excerpt(&prose_of(&c.why), 120),
                "url": self.place_url(oi, c.place),
            })
        };
        let columns: Vec<Value> = (0..org.depts.len())
            .map(|d| {
                let mut l = self.link(Target::Dept(oi, d));
                l["anchor"] = json!(self.dept_anchor(oi, d));
                l
            })
            .collect();
        let row_head = |r: &matrix::Row| {
            json!({
                "kind": r.kind.label(),
                "title": r.title,
                "url": self.place_url(oi, r.place),
                "source": r.place.label(s, oi),
                "text": excerpt(&prose_of(r.place.text(s, oi)), 160),
            })
        };
        let rows: Vec<Value> = mx
            .rows
            .iter()
            .map(|r| {
                let mut v = row_head(r);
                v["cells"] = json!((0..org.depts.len())
                    .map(|d| r.depts.get(&d).map(cell))
                    .collect::<Vec<_>>());
                v
            })
            .collect();
        let depts: Vec<Value> = (0..org.depts.len())
            .map(|di| {
                let d = &org.depts[di];
                let posts: Vec<Value> = (0..d.posts.len())
                    .map(|pi| {
                        let mut l = self.link(Target::Post(oi, di, pi));
                        l["anchor"] = json!(self.post_anchor(oi, di, pi));
                        l["duties"] = json!(post_duties(s, mx, di, pi)
                            .iter()
                            .map(|p| json!({
                                "role": Self::role_json(p.role),
                                "kind": p.kind.label(),
                                "title": p.title,
                                "what": p.what,
                                "url": self.place_url(oi, p.place),
                            }))
                            .collect::<Vec<_>>());
                        l["own_duties"] = json!(d.raw.posts[pi].duties.len());
                        l
                    })
                    .collect();
                let rows: Vec<Value> = mx
                    .rows_of_dept(di)
                    .into_iter()
                    .map(|r| {
                        let mut v = row_head(r);
                        v["role"] = r.depts.get(&di).map(cell).unwrap_or(Value::Null);
                        v["posts"] = json!((0..d.posts.len())
                            .map(|pi| r.posts.get(&(di, pi)).map(cell))
                            .collect::<Vec<_>>());
                        v
                    })
                    .collect();
                let counts = mx.counts(di);
                let mut l = self.link(Target::Dept(oi, di));
                l["anchor"] = json!(self.dept_anchor(oi, di));
                l["rows"] = json!(rows);
                l["posts"] = json!(posts);
                l["counts"] = json!(Role::ALL
                    .iter()
                    .filter_map(|r| counts
                        .get(r)
                        .map(|n| json!({"label": r.label(), "class": r.class(), "n": n})))
                    .collect::<Vec<_>>());
                l
            })
            .collect();
        json!({
            "roles": Role::ALL.iter().map(|r| Self::role_json(*r)).collect::<Vec<_>>(),
            "columns": columns,
            "rows": rows,
            "depts": depts,
        })
    }

    fn boundary_data(&self, oi: usize) -> Value {
        let s = self.site();
        let org = &s.orgs[oi];
        let r = self.r.analyses.report(oi);
        let place = |p: Place| {
            json!({
                "label": p.label(s, oi),
                "url": self.place_url(oi, p),
                "text": excerpt(&prose_of(p.text(s, oi)), 140),
            })
        };
        let dept = |d: usize| self.link(Target::Dept(oi, d));
        json!({
            "empty": r.is_empty(),
            "overlaps": r.overlaps.iter().map(|o| json!({
                "score": format!("{:.0}%", o.score * 100.0),
                "a": {"dept": dept(o.a.0), "place": place(o.a.1), "claim": excerpt(&prose_of(&o.a.2), 140)},
                "b": {"dept": dept(o.b.0), "place": place(o.b.1), "claim": excerpt(&prose_of(&o.b.2), 140)},
            })).collect::<Vec<_>>(),
            "one_sided": r.one_sided.iter().map(|o| json!({
                "from": dept(o.from),
                "to": dept(o.to),
                "places": o.places.iter().map(|p| place(*p)).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "unknown_names": r.unknown_names.iter().map(|u| json!({
                "name": u.name,
                "similar": u.similar.iter().map(|n| match org.find_unit(n) {
                    Some(t) => self.link(t),
                    None => json!({"name": n, "url": null}),
                }).collect::<Vec<_>>(),
                "places": u.places.iter().map(|(p, ctx)| {
                    let mut v = place(*p);
                    v["context"] = json!(super::highlight_name(ctx, &u.name));
                    v
                }).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "actors": r.unmatched_actors.iter().map(|a| json!({
                "name": a.name,
                "dept_like": a.dept_like,
                "places": a.places.iter().map(|p| place(*p)).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "actors_dept_like": r.unmatched_actors.iter().filter(|a| a.dept_like).count(),
        })
    }

    fn graph_data(&self, oi: usize, mx: &Matrix) -> Value {
        let s = self.site();
        let org = &s.orgs[oi];
        let g = graph::graph(mx);
        let href = |d: usize| self.href(Target::Dept(oi, d));
        let svg = graph::svg(s, &g, &href, "graph");
        let edges: Vec<Value> = g
            .edges
            .iter()
            .map(|e| {
                json!({
                    "anchor": e.anchor(),
                    "a": self.link(Target::Dept(oi, e.a)),
                    "b": self.link(Target::Dept(oi, e.b)),
                    "one_sided": e.one_sided(),
                    "named_by": if e.a_names_b && !e.b_names_a { Some(org.depts[e.a].raw.name.clone()) } else if e.b_names_a && !e.a_names_b { Some(org.depts[e.b].raw.name.clone()) } else { None },
                    "texts": e.texts.iter().map(|(p, kind, title)| json!({
                        "kind": kind.label(),
                        "title": title,
                        "source": p.label(s, oi),
                        "url": self.place_url(oi, *p),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        let alone: Vec<Value> = (0..org.depts.len())
            .filter(|d| !g.edges.iter().any(|e| e.a == *d || e.b == *d))
            .map(|d| self.link(Target::Dept(oi, d)))
            .collect();
        json!({"svg": svg, "edges": edges, "alone": alone})
    }

    fn orgchart_data(&self, oi: usize) -> Value {
        let s = self.site();
        let org = &s.orgs[oi];
        let href = |t: Target| self.href(t);
        let svg = orgchart::svg(s, oi, &href, "orgchart");
        let depts: Vec<Value> = (0..org.depts.len())
            .map(|di| {
                let d = &org.depts[di];
                let mut l = self.link(Target::Dept(oi, di));
                l["posts"] = json!((0..d.posts.len())
                    .map(|pi| self.link(Target::Post(oi, di, pi)))
                    .collect::<Vec<_>>());
                l["procedures"] = json!(d.procedures.len());
                l
            })
            .collect();
        json!({"svg": svg, "depts": depts})
    }

    fn az_data(&self, oi: usize) -> Value {
        let s = self.site();
        let org = &s.orgs[oi];
        let groups = az::index(s, oi);
        let total: usize = groups.iter().map(|g| g.entries.len()).sum();
        json!({
            "total": total,
            "letters": groups.iter().map(|g| g.letter.to_string()).collect::<Vec<_>>(),
            "groups": groups.iter().map(|g| json!({
                "letter": g.letter.to_string(),
                "anchor": if g.letter == '#' { "letter-other".to_string() } else { format!("letter-{}", g.letter) },
                "entries": g.entries.iter().map(|e| json!({
                    "title": e.title,
                    "kind": e.kind.label(),
                    "url": self.place_url(oi, e.place),
                    "dept": e.dept.map(|d| org.depts[d].raw.name.clone()),
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })
    }
}
