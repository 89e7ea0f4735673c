//! Template data of the power items (权责事项) and integrity risks: an item's page
//! (`power.html`), the organisation's 权责清单 (`views/powers.html`) and 廉政风险
//! (`views/risks.html`) views, the rows the department page lists them in, and the 三定 facts
//! and open-data links of the organisation page.

use super::context::{self as ctx, NameLink, PageData};
use super::pages::{step_label, View};
use crate::resolve::{Org, StepR, Target};
use crate::views::OrgPage;
use zhize_core::model::{RiskPoint, Step, POWER_CATEGORIES, RISK_LEVELS};

/// The heading of power items of no category.
pub const NO_CATEGORY: &str = "未分类";
/// The heading of risk points of no level.
pub const NO_LEVEL: &str = "未定级";

/// The CSS class suffix of a risk level.
pub fn level_class(level: Option<&str>) -> &'static str {
    match level.map(str::trim) {
        Some(l) if l.starts_with('高') => "high",
        Some(l) if l.starts_with('中') => "medium",
        Some(l) if l.starts_with('低') => "low",
        _ => "other",
    }
}

/// The 三定 facts of an organisation. A staffing line whose item names a leadership post
/// (局长, 副局长, 主任, 党组书记, 领导职数 …) is a leadership post; the others (行政编制,
/// 工勤人员, 人数 …) are staffing items.
pub(super) fn org_facts(org: &Org) -> ctx::OrgFacts<'_> {
    let (staffing, leaders) = (org.raw.staffing.0.iter())
        .map(|(item, value)| ctx::StaffingItem { item, value })
        .partition(|s| is_staffing_kind(s.item));
    ctx::OrgFacts {
        units: org.raw.units,
        depts: org.depts.len(),
        staffing,
        leaders,
        plaques: &org.raw.plaques,
        legal_bases: &org.raw.legal_bases,
    }
}

/// Does a staffing line's item name a kind of staffing (行政编制, 事业编制, 工勤人员, 人数 …)
/// rather than a leadership post (its name ends with a post's title, or it speaks of 职数 or
/// 领导)?
pub fn is_staffing_kind(item: &str) -> bool {
    const POST_ENDS: &[&str] = &[
        "长",
        "主任",
        "书记",
        "主席",
        "委员",
        "专员",
        "巡视员",
        "调研员",
        "总师",
        "总监",
    ];
    let item = item.trim();
    let leader = item.contains("职数")
        || item.contains("领导")
        || POST_ENDS.iter().any(|e| item.ends_with(e));
    item.contains("编制") || !leader
}

impl<'r, 'a> View<'r, 'a> {
    /// Path of view `page` of organisation `oi`, relative to this page.
    pub(super) fn view_url(&self, oi: usize, page: OrgPage) -> String {
        format!("{}{}", self.root(), page.url(self.site(), oi))
    }

    /// The open-data files of organisation `oi` (written by `output::open_data`).
    pub(super) fn data_links(&self, oi: usize) -> Vec<ctx::DataLink> {
        let org = &self.site().orgs[oi];
        let mut out = vec![ctx::DataLink {
            name: "单位数据（JSON）".into(),
            url: format!(
                "{}{}",
                self.root(),
                crate::output::data_path(&org.slug, None)
            ),
            format: "json",
        }];
        let csv = |what: &str, file: &str| ctx::DataLink {
            name: format!("{what}（CSV）"),
            url: format!("{}data/{}/{file}", self.root(), org.slug),
            format: "csv",
        };
        out.push(csv("职责清单", "duties.csv"));
        if !org.powers.is_empty() {
            out.push(csv("权责清单", "powers.csv"));
        }
        out
    }

    /// Power item `i` of organisation `oi` in a list.
    pub(super) fn power_row(&self, oi: usize, i: usize) -> ctx::PowerRow<'a> {
        let p = &self.site().orgs[oi].powers[i];
        ctx::PowerRow {
            link: self.link(Target::Power(oi, i)),
            n: i + 1,
            no: p.raw.no.as_deref(),
            code: p.raw.code.as_deref(),
            category: p.raw.category.as_deref(),
            basis: &p.raw.basis,
            dept: p.dept.map(|d| self.link(Target::Dept(oi, d))),
            limit: p.raw.limit.as_deref(),
            fee: p.raw.fee.as_deref(),
        }
    }

    /// Risk point `i` of department `di`; `with_dept` names the department (on the view).
    pub(super) fn risk_row(
        &self,
        oi: usize,
        di: usize,
        i: usize,
        p: &'a RiskPoint,
        with_dept: bool,
    ) -> ctx::RiskPointRow<'a> {
        let me = Some(Target::Dept(oi, di));
        let (controls, owners): (&[String], &[String]) = match p {
            RiskPoint::Text(_) => (&[], &[]),
            RiskPoint::Full(f) => (&f.controls, &f.owners),
        };
        ctx::RiskPointRow {
            category: p.category(),
            level: p.level(),
            level_class: level_class(p.level()),
            text: self.md(p.text(), Some(oi), me, true),
            controls: self.md_list(controls, oi, me),
            owners: (owners.iter())
                .map(|o| self.owner_link(oi, di, o))
                .collect(),
            dept: with_dept.then(|| self.link(Target::Dept(oi, di))),
            anchor: format!("risk-{}", i + 1),
        }
    }

    /// A risk owner as written: linked to the post or department it names, or to the
    /// organisation's list of people when it is a person listed there.
    fn owner_link(&self, oi: usize, di: usize, name: &'a str) -> NameLink<'a> {
        let org = &self.site().orgs[oi];
        if let Some(t) = org.find_owner(di, name) {
            return NameLink::resolved(name, self.link(t));
        }
        let person = (org.raw.people.iter())
            .any(|p| p.name == name.trim() || p.aliases.iter().any(|a| a == name.trim()));
        if person {
            return NameLink {
                name,
                url: Some(format!("{}#people", self.href(Target::Org(oi)))),
                kind: Some("人员"),
            };
        }
        NameLink::plain(name)
    }

    /// The page of a power item.
    pub(super) fn power(&self, t: Target) -> ctx::PowerPage<'r> {
        let Target::Power(oi, i) = t else {
            unreachable!("power view of {t:?}")
        };
        let org = &self.site().orgs[oi];
        let pr = &org.powers[i];
        let p = &pr.raw;
        let me = Some(t);
        let department = match (pr.dept, p.department.as_deref()) {
            (Some(d), name) => Some(NameLink::resolved(
                name.unwrap_or(&org.depts[d].raw.name),
                self.link(Target::Dept(oi, d)),
            )),
            (None, Some(name)) => Some(NameLink::plain(name)),
            (None, None) => None,
        };
        let mut crumbs = vec![self.org_crumb(oi)];
        if let Some(d) = pr.dept {
            crumbs.push(self.link(Target::Dept(oi, d)));
        }
        let reviewed = (pr.dept.and_then(|d| org.depts[d].raw.reviewed.as_ref()))
            .or(org.raw.reviewed.as_ref());
        ctx::PowerPage {
            base: self.base(p.name.as_str(), crumbs, reviewed),
            org_link: self.org_crumb(oi),
            list_url: self.view_url(oi, OrgPage::Powers),
            chart: self.power_chart(oi, i),
            power: ctx::PowerInfo {
                name: &p.name,
                no: p.no.as_deref(),
                code: p.code.as_deref(),
                category: p.category.as_deref(),
                basis: &p.basis,
                department,
                responsibilities: self.md_list(&p.responsibilities, oi, me),
                steps: self.step_rows(&p.steps, &pr.steps, oi, me, false),
                accountability: self.md_list(&p.accountability, oi, me),
                limit: p.limit.as_deref(),
                fee: p.fee.as_deref(),
                notes: self.md_blocks(&p.notes, oi, me),
            },
        }
    }

    /// Steps as rows, with their actors, forms and branches linked. `read_actors`: show the
    /// actor read from a step's text where none is written (procedures), else only written
    /// ones (power items).
    pub(super) fn step_rows(
        &self,
        steps: &'a [Step],
        resolved: &'a [StepR],
        oi: usize,
        me: Option<Target>,
        read_actors: bool,
    ) -> Vec<ctx::StepRow<'a>> {
        (steps.iter().zip(resolved).enumerate())
            .map(|(si, (st, sr))| ctx::StepRow {
                n: si + 1,
                anchor: format!("step-{}", si + 1),
                label: st.label.as_deref(),
                actor: if read_actors {
                    sr.actor_name.as_deref()
                } else {
                    st.actor.as_deref()
                }
                .map(|a| self.opt_link(sr.actor, a)),
                parallel: self.opt_links(&st.parallel, &sr.parallel),
                text: self.md_summary(st.text.as_deref(), oi, me),
                limit: st.limit.as_deref(),
                forms: self.opt_links(&st.forms, &sr.forms),
                branches: (st.branches.iter().zip(&sr.branches))
                    .map(|(b, to)| ctx::BranchRow {
                        when: &b.when,
                        label: b.label.as_deref(),
                        to: to.map(|k| ctx::StepRef {
                            n: k + 1,
                            anchor: format!("step-{}", k + 1),
                            label: step_label(steps[k].label.as_deref(), k),
                        }),
                    })
                    .collect(),
            })
            .collect()
    }

    /// The flowchart of a power item's steps (two or more), as inline SVG.
    fn power_chart(&self, oi: usize, i: usize) -> Option<String> {
        let org = &self.site().orgs[oi];
        let pr = &org.powers[i];
        if pr.raw.steps.len() < 2 {
            return None;
        }
        let steps =
            crate::chart::steps_in(&pr.raw.steps, &pr.steps, &super::markdown::plain, &|t| {
                Some(self.href(t))
            });
        let (owner, owner_href) = match pr.dept {
            Some(d) => (
                org.depts[d].raw.name.as_str(),
                Some(self.href(Target::Dept(oi, d))),
            ),
            None => (org.raw.name.as_str(), Some(self.href(Target::Org(oi)))),
        };
        let chart = zhize_flowchart::Chart::from_steps(
            &pr.raw.name,
            (owner, owner_href.as_deref()),
            &steps,
        );
        Some(zhize_flowchart::render(&chart, "chart"))
    }

    /// `views/powers.html`: the 权责清单 by category, then department.
    pub(super) fn powers_view(&self, oi: usize) -> PageData<'r> {
        let view = self.powers_data(oi);
        PageData::Powers(self.frame(oi, OrgPage::Powers, view))
    }

    fn powers_data(&self, oi: usize) -> ctx::PowersView<'a> {
        let s = self.site();
        let org = &s.orgs[oi];
        let order = category_order(&s.config.power_categories);
        // (category rank, its name) → department (None last) → items.
        let mut cats: Vec<(usize, &'a str, Vec<usize>)> = Vec::new();
        for (i, p) in org.powers.iter().enumerate() {
            let name = (p.raw.category.as_deref().map(str::trim))
                .filter(|c| !c.is_empty())
                .unwrap_or(NO_CATEGORY);
            let rank = (order.iter().position(|c| *c == name)).unwrap_or(if name == NO_CATEGORY {
                usize::MAX
            } else {
                order.len()
            });
            match cats.iter_mut().find(|(_, n, _)| *n == name) {
                Some((_, _, items)) => items.push(i),
                None => cats.push((rank, name, vec![i])),
            }
        }
        // Known categories in their order; the others as first met; 未分类 last.
        cats.sort_by_key(|(rank, ..)| *rank);
        let dept_key = |i: &usize| org.powers[*i].dept.unwrap_or(usize::MAX);
        let categories = (cats.into_iter().enumerate())
            .map(|(ci, (_, name, mut items))| {
                items.sort_by_key(dept_key);
                let mut groups: Vec<ctx::PowerGroup> = Vec::new();
                let mut last = None;
                for i in &items {
                    let d = org.powers[*i].dept;
                    if groups.is_empty() || last != Some(d) {
                        groups.push(ctx::PowerGroup {
                            dept: d.map(|d| self.link(Target::Dept(oi, d))),
                            items: Vec::new(),
                        });
                        last = Some(d);
                    }
                    if let Some(g) = groups.last_mut() {
                        g.items.push(self.power_row(oi, *i));
                    }
                }
                ctx::PowerCategory {
                    name,
                    anchor: format!("cat-{}", ci + 1),
                    count: items.len(),
                    groups,
                }
            })
            .collect();
        let mut depts: Vec<ctx::PowerDeptCount> = (0..org.depts.len())
            .map(|d| ctx::PowerDeptCount {
                dept: Some(self.link(Target::Dept(oi, d))),
                count: org.powers.iter().filter(|p| p.dept == Some(d)).count(),
            })
            .filter(|c| c.count > 0)
            .collect();
        let none = org.powers.iter().filter(|p| p.dept.is_none()).count();
        if none > 0 {
            depts.push(ctx::PowerDeptCount {
                dept: None,
                count: none,
            });
        }
        ctx::PowersView {
            total: org.powers.len(),
            categories,
            depts,
            csv_url: (!org.powers.is_empty())
                .then(|| format!("{}data/{}/powers.csv", self.root(), org.slug)),
        }
    }

    /// `views/risks.html`: every risk point of the organisation by level.
    pub(super) fn risks_view(&self, oi: usize) -> PageData<'r> {
        let view = self.risks_data(oi);
        PageData::Risks(self.frame(oi, OrgPage::Risks, view))
    }

    fn risks_data(&self, oi: usize) -> ctx::RisksView<'a> {
        let org = &self.site().orgs[oi];
        let mut levels: Vec<(usize, &'a str, Vec<ctx::RiskPointRow<'a>>)> = Vec::new();
        let mut total = 0;
        for (di, d) in org.depts.iter().enumerate() {
            for (i, p) in d.raw.risks.points.iter().enumerate() {
                total += 1;
                let name = (p.level().map(str::trim))
                    .filter(|l| !l.is_empty())
                    .unwrap_or(NO_LEVEL);
                let rank = (RISK_LEVELS.iter().position(|l| name.starts_with(l))).unwrap_or(
                    if name == NO_LEVEL {
                        usize::MAX
                    } else {
                        RISK_LEVELS.len()
                    },
                );
                let row = self.risk_row(oi, di, i, p, true);
                match levels.iter_mut().find(|(_, n, _)| *n == name) {
                    Some((_, _, rows)) => rows.push(row),
                    None => levels.push((rank, name, vec![row])),
                }
            }
        }
        levels.sort_by_key(|(rank, ..)| *rank);
        ctx::RisksView {
            total,
            levels: (levels.into_iter().enumerate())
                .map(|(k, (_, name, points))| ctx::RiskLevel {
                    name,
                    class: level_class(Some(name)),
                    anchor: format!("level-{}", k + 1),
                    points,
                })
                .collect(),
            controls: (org.depts.iter().enumerate())
                .filter(|(_, d)| !d.raw.risks.controls.is_empty())
                .map(|(di, d)| ctx::DeptControls {
                    dept: self.link(Target::Dept(oi, di)),
                    controls: self.md_list(&d.raw.risks.controls, oi, Some(Target::Dept(oi, di))),
                })
                .collect(),
        }
    }
}

/// The categories of power items in the order the 权责清单 lists them: zhize's own, then
/// the site's (`power_categories:` in zhize.yaml).
pub fn category_order(extra: &[String]) -> Vec<&str> {
    let mut out: Vec<&str> = POWER_CATEGORIES.to_vec();
    for c in extra {
        if !out.contains(&c.as_str()) {
            out.push(c);
        }
    }
    out
}
