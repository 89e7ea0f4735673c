//! Open data: machine-readable copies of each organisation's lists, written beside the pages.
//!
//! - `data/<org>.json`: the organisation as its `_org.yaml` gives it (the content model's
//!   English keys, as `zhize schema` describes `OrgFile`), its `id` the slug its files are
//!   under;
//! - `data/<org>/<dept>.json`: each department as its file gives it (`DeptFile`);
//! - `data/<org>/duties.csv` and `data/<org>/powers.csv`: the duty list and the power list as
//!   spreadsheets (UTF-8 with a byte-order mark, so that spreadsheet programs read the Chinese
//!   right), since offices exchange these lists as spreadsheets.
//!
//! Nothing here touches the disk; the files go out with the pages.

use crate::resolve::{Org, Site};
use zhize_core::OutputFile;

/// The open-data files of every organisation of `site`.
pub fn files(site: &Site) -> Vec<OutputFile> {
    let mut out = Vec::new();
    for org in &site.orgs {
        out.push(OutputFile {
            path: crate::output::data_path(&org.slug, None),
            bytes: org_json(org),
        });
        for d in &org.depts {
            out.push(OutputFile {
                path: crate::output::data_path(&org.slug, Some(&d.slug)),
                bytes: json(&d.raw),
            });
        }
        out.push(OutputFile {
            path: format!("data/{}/duties.csv", org.slug),
            bytes: duties_csv(org).into_bytes(),
        });
        if !org.powers.is_empty() {
            out.push(OutputFile {
                path: format!("data/{}/powers.csv", org.slug),
                bytes: powers_csv(org).into_bytes(),
            });
        }
    }
    out
}

fn json<T: serde::Serialize>(v: &T) -> Vec<u8> {
    // The model types always serialise (their maps have string keys).
    serde_json::to_vec_pretty(v).unwrap_or_default()
}

/// The organisation's file as JSON, its `id` the slug its pages and data are under.
fn org_json(org: &Org) -> Vec<u8> {
    let mut raw = org.raw.clone();
    raw.id = Some(org.slug.clone());
    json(&raw)
}

/// The duty list: the organisation's own duties, then each department's.
fn duties_csv(org: &Org) -> String {
    let mut out = Csv::new(&["部门", "序号", "分组", "职责"]);
    for (i, d) in org.raw.duties.iter().enumerate() {
        let no = d.no().map(str::to_string).unwrap_or((i + 1).to_string());
        out.row(&[&org.raw.name, &no, d.group().unwrap_or(""), d.text()]);
    }
    for dept in &org.depts {
        for (i, d) in dept.raw.duties.iter().enumerate() {
            let no = d.no().map(str::to_string).unwrap_or((i + 1).to_string());
            out.row(&[&dept.raw.name, &no, d.group().unwrap_or(""), d.text()]);
        }
    }
    out.text
}

/// The power list, one item a row, lists joined with `；`.
fn powers_csv(org: &Org) -> String {
    let mut out = Csv::new(&[
        "序号",
        "事项名称",
        "事项编码",
        "权力类型",
        "实施依据",
        "承办机构",
        "责任事项",
        "追责情形",
        "办理时限",
        "收费",
        "备注",
    ]);
    for (i, p) in org.powers.iter().enumerate() {
        let r = &p.raw;
        let dept = (p.dept.map(|d| org.depts[d].raw.name.as_str()))
            .or(r.department.as_deref())
            .unwrap_or("");
        let duties: Vec<String> = if r.responsibilities.is_empty() {
            (r.steps.iter())
                .map(|s| match (&s.label, &s.text) {
                    (Some(l), Some(t)) => format!("{l}：{t}"),
                    (l, t) => l.clone().or(t.clone()).unwrap_or_default(),
                })
                .collect()
        } else {
            r.responsibilities.clone()
        };
        out.row(&[
            &r.no.clone().unwrap_or((i + 1).to_string()),
            &r.name,
            r.code.as_deref().unwrap_or(""),
            r.category.as_deref().unwrap_or(""),
            &r.basis.join("；"),
            dept,
            &duties.join("；"),
            &r.accountability.join("；"),
            r.limit.as_deref().unwrap_or(""),
            r.fee.as_deref().unwrap_or(""),
            &r.notes.join("；"),
        ]);
    }
    out.text
}

/// A CSV file being written (RFC 4180, CRLF line ends, a byte-order mark first).
struct Csv {
    text: String,
}

impl Csv {
    fn new(header: &[&str]) -> Csv {
        let mut c = Csv {
            text: "\u{feff}".to_string(),
        };
        c.row(header);
        c
    }

    fn row(&mut self, cells: &[&str]) {
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                self.text.push(',');
            }
            self.text.push_str(&csv_cell(cell));
        }
        self.text.push_str("\r\n");
    }
}

/// One cell, quoted when it must be. A cell a spreadsheet would take for a formula (`=`, `+`,
/// `-`, `@` first) gets a `'` before it, so that opening the file runs nothing.
pub fn csv_cell(text: &str) -> String {
    let mut t = text.trim().to_string();
    if t.starts_with(['=', '+', '-', '@']) {
        t.insert(0, '\'');
    }
    if t.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", t.replace('"', "\"\""))
    } else {
        t
    }
}
