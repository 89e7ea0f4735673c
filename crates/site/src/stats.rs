//! Counts of what a site holds, for `zhize stats`.

use crate::load::Loaded;
use serde::Serialize;

/// How much of each kind of thing the content holds. JSON keys are English snake_case.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub organisations: usize,
    pub departments: usize,
    pub main_duties: usize,
    pub detailed_duties: usize,
    pub posts: usize,
    pub post_duties: usize,
    pub division_items: usize,
    pub division_external: usize,
    pub division_internal: usize,
    pub division_general: usize,
    pub risk_points: usize,
    pub controls: usize,
    pub procedures: usize,
    pub procedures_with_steps: usize,
    pub steps: usize,
    pub forms: usize,
    pub contacts: usize,
    pub external_bodies: usize,
    pub people: usize,
    pub pages: usize,
    /// Power items (权责事项), the organisations' and the departments'.
    pub powers: usize,
    /// Risk points that carry their own level (高/中/低).
    pub risk_levels: usize,
    /// Lines of the organisations' staffing (编制 and 领导职数).
    pub staffing_items: usize,
    /// The organisations' legal bases (执法依据).
    pub legal_bases: usize,
}

/// Count a loaded site. Main duties are the departments' 主要职责 paragraphs.
pub fn count(loaded: &Loaded) -> Stats {
    let mut s = Stats {
        organisations: loaded.orgs.len(),
        pages: loaded.pages.len(),
        ..Default::default()
    };
    for org in &loaded.orgs {
        s.external_bodies += org.org.external.len();
        s.people += org.org.people.len();
        s.contacts += org.org.contacts.len();
        s.division_items += org.org.division.len();
        s.powers += org.org.powers.len();
        s.staffing_items += org.org.staffing.0.len();
        s.legal_bases += org.org.legal_bases.len();
        for ld in &org.depts {
            let d = &ld.dept;
            s.departments += 1;
            s.main_duties += d
                .summary
                .as_deref()
                .map(|t| t.split("\n\n").filter(|p| !p.trim().is_empty()).count())
                .unwrap_or(0);
            s.detailed_duties += d.duties.len();
            s.posts += d.posts.len();
            s.post_duties += d.posts.iter().map(|p| p.duties.len()).sum::<usize>();
            s.division_external += d.division.external.len();
            s.division_internal += d.division.internal.len();
            s.division_general += d.division.general.len();
            s.risk_points += d.risks.points.len();
            s.risk_levels += (d.risks.points.iter())
                .filter(|p| p.level().is_some_and(|l| !l.trim().is_empty()))
                .count();
            s.powers += d.powers.len();
            s.controls += d.risks.controls.len();
            s.procedures += d.procedures.len();
            s.procedures_with_steps += d.procedures.iter().filter(|p| !p.steps.is_empty()).count();
            s.steps += d.procedures.iter().map(|p| p.steps.len()).sum::<usize>();
            s.forms += d.forms.len();
            s.contacts += d.contacts.len()
                + d.posts.iter().map(|p| p.contacts.len()).sum::<usize>()
                + d.procedures.iter().map(|p| p.contacts.len()).sum::<usize>();
        }
    }
    s.division_items += s.division_external + s.division_internal + s.division_general;
    s
}

impl Stats {
    /// Rows for a human-readable table: (English key, Chinese label, count).
    pub fn rows(&self) -> Vec<(&'static str, &'static str, usize)> {
        vec![
            ("organisations", "单位", self.organisations),
            ("departments", "科室", self.departments),
            ("main_duties", "主要职责（段）", self.main_duties),
            ("detailed_duties", "细化职责", self.detailed_duties),
            ("posts", "岗位", self.posts),
            ("post_duties", "岗位职责", self.post_duties),
            ("division_items", "职责分工", self.division_items),
            ("division_external", "  外部协作", self.division_external),
            ("division_internal", "  内部分工", self.division_internal),
            ("division_general", "  未分内外", self.division_general),
            ("risk_points", "廉政风险点", self.risk_points),
            ("controls", "防控措施", self.controls),
            ("procedures", "工作流程", self.procedures),
            (
                "procedures_with_steps",
                "  有步骤的",
                self.procedures_with_steps,
            ),
            ("steps", "流程步骤", self.steps),
            ("forms", "表单", self.forms),
            ("contacts", "联系方式", self.contacts),
            ("external_bodies", "外部单位", self.external_bodies),
            ("people", "人员", self.people),
            ("pages", "页面", self.pages),
            ("powers", "权责事项", self.powers),
            ("risk_levels", "定级的风险点", self.risk_levels),
            ("staffing_items", "编制与职数", self.staffing_items),
            ("legal_bases", "执法依据", self.legal_bases),
        ]
    }
}
