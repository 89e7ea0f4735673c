//! The handbook (汇编) of an organisation or a department: one page with a cover, a table of
//! contents and every department's duties, posts, division of work, risks, procedures with
//! their charts, and forms, laid out by the theme for A4 with CSS paged media — how duty
//! lists are handed out on paper. The parts are the same data as the department, procedure
//! and form pages ([`super::context`]), made with links relative to the handbook.

use super::context as ctx;
use super::pages::View;
use crate::resolve::{Site, Target};

/// The output path of the handbook of `t` (an organisation or a department).
pub fn path(site: &Site, t: Target) -> String {
    match t {
        Target::Dept(oi, di) => format!(
            "{}/{}/handbook.html",
            site.orgs[oi].slug, site.orgs[oi].depts[di].slug
        ),
        Target::Org(oi) => format!("{}/handbook.html", site.orgs[oi].slug),
        other => unreachable!("handbook of {other:?}"),
    }
}

impl<'r, 'a> View<'r, 'a> {
    /// The handbook of an organisation or a department.
    pub(super) fn handbook(&self, t: Target) -> ctx::HandbookPage<'r> {
        let s = self.site();
        let (oi, depts): (usize, Vec<usize>) = match t {
            Target::Dept(oi, di) => (oi, vec![di]),
            Target::Org(oi) => (oi, (0..s.orgs[oi].depts.len()).collect()),
            other => unreachable!("handbook of {other:?}"),
        };
        let org = &s.orgs[oi];
        let dept_name = match t {
            Target::Dept(_, di) => Some(org.depts[di].raw.name.as_str()),
            _ => None,
        };
        let name = dept_name.unwrap_or(&org.raw.name);
        let title = format!("{name}职责清单汇编");
        let crumbs = match t {
            Target::Dept(oi, _) => vec![self.link(Target::Org(oi)), self.link(t)],
            _ => vec![self.link(t)],
        };
        let reviewed = match t {
            Target::Dept(_, di) => org.depts[di].raw.reviewed.as_ref(),
            _ => None,
        }
        .or(org.raw.reviewed.as_ref());
        let mut base = self.base(title.clone(), crumbs, reviewed);
        let mut sample = String::new();
        for &di in &depts {
            let d = &org.depts[di].raw;
            sample.push_str(&d.name);
            for duty in d.duties.iter().take(20) {
                sample.push_str(duty.text());
            }
        }
        let file = match t {
            Target::Dept(_, di) => org.depts[di].file,
            _ => org.file,
        };
        let summary = format!(
            "{name}的细化职责、岗位、职责分工、廉政风险、工作流程和标准化文本，一份可打印的汇编"
        );
        self.own_meta(&mut base, &sample, Some(summary), Some(file));
        ctx::HandbookPage {
            base,
            org_name: &org.raw.name,
            dept_name,
            back: self.link(t),
            running_head: css_string(&format!("{} · {title}", org.raw.name)),
            depts: depts
                .into_iter()
                .map(|di| self.handbook_dept(oi, di))
                .collect(),
        }
    }

    /// One department of a handbook, with its procedures and forms.
    fn handbook_dept(&self, oi: usize, di: usize) -> ctx::HandbookDept<'r> {
        let s = self.site();
        let dept = &s.orgs[oi].depts[di];
        let anchor = format!("d-{}", dept.slug);
        let procedures = (0..dept.procedures.len())
            .map(|pi| {
                let page = self.procedure(Target::Procedure(oi, di, pi));
                let id = format!("{anchor}-p{}", pi + 1);
                ctx::HandbookProcedure {
                    chart: page.chart.map(|svg| unique_chart_ids(&svg, &id)),
                    anchor: id,
                    procedure: page.procedure,
                }
            })
            .collect();
        let forms = (0..dept.forms.len())
            .map(|fi| ctx::HandbookForm {
                anchor: format!("{anchor}-f{}", fi + 1),
                form: self.form(Target::Form(oi, di, fi)).form,
            })
            .collect();
        ctx::HandbookDept {
            dept: self.dept(Target::Dept(oi, di)).dept,
            anchor,
            procedures,
            forms,
        }
    }
}

/// A chart's SVG with its element ids (`chart-title`, `chart-desc`, `chart-arrow`, as the
/// procedure page writes them) made unique with `id`, so that many charts share a page.
fn unique_chart_ids(svg: &str, id: &str) -> String {
    ["title", "desc", "arrow"]
        .iter()
        .fold(svg.to_string(), |acc, part| {
            acc.replace(&format!("chart-{part}"), &format!("{id}-{part}"))
        })
}

/// `text` as a CSS string literal that is also safe inside an HTML `<style>` element.
fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' | '<' | '>' | '&' => out.push_str(&format!("\\{:x} ", c as u32)),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
