//! Template data of the organisation views (`<org>/matrix.html`, `boundary.html`,
//! `graph.html`, `orgchart.html`, `az.html`) and of the sidebar tree's extras. The views
//! themselves are computed in [`crate::views`]; this only turns them into links relative to
//! the page and the typed data of [`super::context`].

use super::context::{self as ctx, MatrixCell, NameLink, PageData, RoleInfo, ViewLink};
use super::pages::{highlight_name, View};
use crate::resolve::{prose_of, Target};
use crate::views::matrix::{post_duties, Matrix};
use crate::views::roles::Role;
use crate::views::{az, boundary, excerpt, graph, matrix, orgchart, OrgPage, Place};

impl<'r> View<'r, '_> {
    /// Links to the views of organisation `oi`, with `current` on the one shown.
    pub(super) fn view_links(&self, oi: usize) -> Vec<ViewLink> {
        let s = self.site();
        OrgPage::ALL
            .iter()
            .map(|p| {
                let url = p.url(s, oi);
                ViewLink {
                    name: p.title(),
                    blurb: p.blurb(),
                    url: format!("{}{url}", self.root()),
                    current: self.path == url,
                }
            })
            .collect()
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

    fn role_info(role: Role) -> RoleInfo {
        RoleInfo {
            label: role.label(),
            class: role.class(),
            meaning: role.meaning(),
        }
    }

    /// One organisation view page.
    pub(super) fn org_view(&self, oi: usize, page: OrgPage) -> PageData<'r> {
        let mx = || self.r.analyses.matrix(oi).as_ref();
        match page {
            OrgPage::Matrix => PageData::Matrix(self.frame(oi, page, self.matrix_data(oi, mx()))),
            OrgPage::Boundary => PageData::Boundary(self.frame(oi, page, self.boundary_data(oi))),
            OrgPage::Graph => PageData::Graph(self.frame(oi, page, self.graph_data(oi, mx()))),
            OrgPage::OrgChart => PageData::OrgChart(self.frame(oi, page, self.orgchart_data(oi))),
            OrgPage::Az => PageData::Az(self.frame(oi, page, self.az_data(oi))),
            OrgPage::Powers => self.powers_view(oi),
            OrgPage::Risks => self.risks_view(oi),
        }
    }

    /// What every view page of organisation `oi` has around its `view`.
    pub(super) fn frame<V>(&self, oi: usize, page: OrgPage, view: V) -> ctx::OrgViewPage<'r, V> {
        let org = &self.site().orgs[oi];
        let mut base = self.base(
            format!("{}{}", org.raw.name, page.title()),
            vec![self.link(Target::Org(oi))],
            org.raw.reviewed.as_ref(),
        );
        base.description = Some(format!(
            "{}{}：{}",
            org.raw.name,
            page.title(),
            page.blurb()
        ));
        ctx::OrgViewPage {
            base,
            org_link: self.link(Target::Org(oi)),
            views: self.view_links(oi),
            view_title: page.title(),
            view,
        }
    }

    /// A department's (or post's) role in a matrix row.
    fn cell(&self, oi: usize, c: &matrix::Cell) -> MatrixCell {
        MatrixCell {
            label: c.role.label(),
            class: c.role.class(),
            why: excerpt(&prose_of(&c.why), 120),
            url: self.place_url(oi, c.place),
        }
    }

    /// What a matrix row is about.
    fn row_head(&self, oi: usize, r: &'r matrix::Row) -> ctx::RowHead<'r> {
        let s = self.site();
        ctx::RowHead {
            kind: r.kind.label(),
            title: &r.title,
            url: self.place_url(oi, r.place),
            source: r.place.label(s, oi),
            text: excerpt(&prose_of(r.place.text(s, oi)), 160),
        }
    }

    fn matrix_data(&self, oi: usize, mx: &'r Matrix) -> ctx::MatrixView<'r> {
        let s = self.site();
        let n = s.orgs[oi].depts.len();
        // Within the view's budget of cells (see matrix::MAX_CELLS); the note says so.
        let rows_shown = mx.rows_shown(s);
        ctx::MatrixView {
            roles: Role::ALL.iter().map(|r| Self::role_info(*r)).collect(),
            columns: (0..n)
                .map(|d| ctx::AnchoredLink {
                    link: self.link(Target::Dept(oi, d)),
                    anchor: self.dept_anchor(oi, d),
                })
                .collect(),
            rows: (mx.rows.iter().take(rows_shown))
                .map(|r| ctx::MatrixRow {
                    head: self.row_head(oi, r),
                    cells: (0..n)
                        .map(|d| r.depts.get(&d).map(|c| self.cell(oi, c)))
                        .collect(),
                })
                .collect(),
            rows_left_out: mx.rows.len() - rows_shown,
            depts: (0..n).map(|di| self.matrix_dept(oi, di, mx)).collect(),
        }
    }

    /// A department's part of the matrix: its rows, its posts' roles and duties, its counts.
    fn matrix_dept(&self, oi: usize, di: usize, mx: &'r Matrix) -> ctx::MatrixDept<'r> {
        let s = self.site();
        let d = &s.orgs[oi].depts[di];
        let shows_posts = mx.shows_posts(s, di);
        let posts_shown = if shows_posts { d.posts.len() } else { 0 };
        let posts = (0..posts_shown)
            .map(|pi| ctx::MatrixPost {
                link: self.link(Target::Post(oi, di, pi)),
                anchor: self.post_anchor(oi, di, pi),
                duties: (post_duties(s, mx, di, pi).into_iter())
                    .map(|p| ctx::PostDutyRow {
                        role: Self::role_info(p.role),
                        kind: p.kind.label(),
                        url: self.place_url(oi, p.place),
                        title: p.title,
                        what: p.what,
                    })
                    .collect(),
                own_duties: d.raw.posts[pi].duties.len(),
            })
            .collect();
        let rows = (mx.rows_of_dept(di).into_iter())
            .map(|r| ctx::MatrixDeptRow {
                head: self.row_head(oi, r),
                role: r.depts.get(&di).map(|c| self.cell(oi, c)),
                posts: (0..posts_shown)
                    .map(|pi| r.posts.get(&(di, pi)).map(|c| self.cell(oi, c)))
                    .collect(),
            })
            .collect();
        let counts = mx.counts(di);
        ctx::MatrixDept {
            link: self.link(Target::Dept(oi, di)),
            anchor: self.dept_anchor(oi, di),
            rows,
            posts,
            posts_left_out: if shows_posts { 0 } else { d.posts.len() },
            counts: (Role::ALL.iter())
                .filter_map(|r| {
                    counts.get(r).map(|&n| ctx::RoleCount {
                        label: r.label(),
                        class: r.class(),
                        n,
                    })
                })
                .collect(),
        }
    }

    /// A place in the content, with an excerpt of its text.
    fn place_ref(&self, oi: usize, p: Place) -> ctx::PlaceRef {
        let s = self.site();
        ctx::PlaceRef {
            label: p.label(s, oi),
            url: self.place_url(oi, p),
            text: excerpt(&prose_of(p.text(s, oi)), 140),
        }
    }

    fn boundary_data(&self, oi: usize) -> ctx::BoundaryView<'r> {
        let org = &self.site().orgs[oi];
        let r: &'r boundary::Report = self.r.analyses.report(oi);
        let dept = |d: usize| self.link(Target::Dept(oi, d));
        let places = |ps: &[Place]| ps.iter().map(|p| self.place_ref(oi, *p)).collect();
        let claim = |(d, p, text): &(usize, Place, String)| ctx::Claim {
            dept: dept(*d),
            place: self.place_ref(oi, *p),
            claim: excerpt(&prose_of(text), 140),
        };
        ctx::BoundaryView {
            empty: r.is_empty(),
            overlaps: (r.overlaps.iter())
                .map(|o| ctx::OverlapRow {
                    score: format!("{:.0}%", o.score * 100.0),
                    a: claim(&o.a),
                    b: claim(&o.b),
                })
                .collect(),
            one_sided: (r.one_sided.iter())
                .map(|o| ctx::OneSidedRow {
                    from: dept(o.from),
                    to: dept(o.to),
                    places: places(&o.places),
                })
                .collect(),
            unknown_names: (r.unknown_names.iter())
                .map(|u| ctx::UnknownNameRow {
                    name: &u.name,
                    similar: (u.similar.iter())
                        .map(|n| match org.find_unit(n) {
                            Some(t) => self.link(t).into(),
                            None => NameLink::plain(n),
                        })
                        .collect(),
                    places: (u.places.iter())
                        .map(|(p, context)| ctx::NamedPlace {
                            place: self.place_ref(oi, *p),
                            context: highlight_name(context, &u.name),
                        })
                        .collect(),
                })
                .collect(),
            actors: (r.unmatched_actors.iter())
                .map(|a| ctx::ActorRow {
                    name: &a.name,
                    dept_like: a.dept_like,
                    places: places(&a.places),
                })
                .collect(),
            actors_dept_like: r.unmatched_actors.iter().filter(|a| a.dept_like).count(),
        }
    }

    fn graph_data(&self, oi: usize, mx: &Matrix) -> ctx::GraphView<'r> {
        let s = self.site();
        let org = &s.orgs[oi];
        let g = graph::graph(mx);
        let href = |d: usize| self.href(Target::Dept(oi, d));
        let svg = graph::svg(s, &g, &href, "graph");
        let alone = (0..org.depts.len())
            .filter(|d| !g.edges.iter().any(|e| e.a == *d || e.b == *d))
            .map(|d| self.link(Target::Dept(oi, d)))
            .collect();
        let edges = (g.edges.into_iter())
            .map(|e| ctx::EdgeRow {
                anchor: e.anchor(),
                a: self.link(Target::Dept(oi, e.a)),
                b: self.link(Target::Dept(oi, e.b)),
                one_sided: e.one_sided(),
                named_by: match (e.a_names_b, e.b_names_a) {
                    (true, false) => Some(org.depts[e.a].raw.name.as_str()),
                    (false, true) => Some(org.depts[e.b].raw.name.as_str()),
                    _ => None,
                },
                texts: (e.texts.into_iter())
                    .map(|(p, kind, title)| ctx::EdgeText {
                        kind: kind.label(),
                        title,
                        source: p.label(s, oi),
                        url: self.place_url(oi, p),
                    })
                    .collect(),
            })
            .collect();
        ctx::GraphView { svg, edges, alone }
    }

    fn orgchart_data(&self, oi: usize) -> ctx::OrgChartView<'r> {
        let s = self.site();
        let href = |t: Target| self.href(t);
        ctx::OrgChartView {
            svg: orgchart::svg(s, oi, &href, "orgchart"),
            depts: (s.orgs[oi].depts.iter().enumerate())
                .map(|(di, d)| ctx::OrgChartDept {
                    link: self.link(Target::Dept(oi, di)),
                    posts: (0..d.posts.len())
                        .map(|pi| self.link(Target::Post(oi, di, pi)))
                        .collect(),
                    procedures: d.procedures.len(),
                })
                .collect(),
        }
    }

    fn az_data(&self, oi: usize) -> ctx::AzView<'r> {
        let s = self.site();
        let org = &s.orgs[oi];
        let groups = az::index(s, oi);
        ctx::AzView {
            total: groups.iter().map(|g| g.entries.len()).sum(),
            letters: groups.iter().map(|g| g.letter.to_string()).collect(),
            groups: (groups.into_iter())
                .map(|g| ctx::AzGroup {
                    letter: g.letter.to_string(),
                    anchor: if g.letter == '#' {
                        "letter-other".to_string()
                    } else {
                        format!("letter-{}", g.letter)
                    },
                    entries: (g.entries.into_iter())
                        .map(|e| ctx::AzEntry {
                            kind: e.kind.label(),
                            url: self.place_url(oi, e.place),
                            dept: e.dept.map(|d| org.depts[d].raw.name.as_str()),
                            title: e.title,
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}
