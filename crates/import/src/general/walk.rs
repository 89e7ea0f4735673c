//! The walk over a document's blocks: which section each block is in (from the headings
//! above it and the document's title), and what each block becomes there.

use super::facts;
use super::outline::{field_label, Block, Outline};
use super::tables;
use super::text::{actor_of, clauses, forms_in, measures, nchars, time_limit};
use super::vocab::{
    header_role, is_post_name, is_unit_name, org_in_title, section_of, Role, Sec, ORG_END,
};
use super::{Builder, Reading};
use crate::lines::Num;
use zhize_core::model::{
    DivisionFull, DivisionItem, Document as OrgDocument, Duty, Post, Power, Procedure, RiskFull,
    RiskPoint, Step,
};

/// Where a procedure lives.
#[derive(Clone, Copy)]
enum Holder {
    Org,
    Dept(usize),
}

/// An open division item that following paragraphs continue.
#[derive(Clone, Copy)]
enum OpenDiv {
    Org(usize),
}

#[derive(Default)]
struct Walk {
    doc_ctx: Option<Sec>,
    ctx: Option<(Sec, u8)>,
    dept: Option<(usize, u8)>,
    dept_sub: Option<(Sec, u8)>,
    proc: Option<(Holder, usize, u8)>,
    power: Option<(Power, usize)>,
    risk: Option<(usize, RiskFull)>,
    category: Option<String>,
    div: Option<OpenDiv>,
    page: Option<(usize, u8)>,
    /// A title seen in a procedure section, waiting for its steps.
    pending_title: Option<(String, u8)>,
    /// Blocks already read as the title.
    skip: Vec<usize>,
}

/// Rank of a block in the outline: lower is higher (`第一部分` 1, `一、` 3, `（一）` 4 …).
fn rank(b: &Block) -> u8 {
    if let Some(n) = b.num {
        return match n {
            Num::Cn(_) => 3,
            Num::CnParen(_) => 4,
            Num::Ar(_) | Num::Sub(..) => 5,
            Num::ArParen(_) => 6,
            Num::Circ(_) => 7,
        };
    }
    if part_heading(&b.text) {
        return 1;
    }
    if article(&b.text).is_some() {
        return 2;
    }
    match b.mark {
        1..=6 => b.mark,
        7 => 5,
        _ if b.is_title() => 3,
        _ => 9,
    }
}

/// `第一部分  部门职责`, `第二章 …`.
fn part_heading(t: &str) -> bool {
    let t = t.trim();
    t.starts_with('第')
        && t.char_indices()
            .take(6)
            .any(|(i, c)| (c == '部' && t[i..].starts_with("部分")) || c == '章' || c == '篇')
        && nchars(t) <= 30
}

/// `第三条　…` → the text after the article number.
fn article(t: &str) -> Option<&str> {
    let t = t.trim();
    let rest = t.strip_prefix('第')?;
    let k = rest.find('条')?;
    let n = &rest[..k];
    (!n.is_empty()
        && n.chars()
            .all(|c| "一二三四五六七八九十百零〇".contains(c) || c.is_ascii_digit()))
    .then(|| rest[k + '条'.len_utf8()..].trim())
}

/// `第一步  申请：…` → the text after the step number.
fn step_word(t: &str) -> Option<&str> {
    let rest = t.trim().strip_prefix('第')?;
    let k = rest.find('步')?;
    let n = &rest[..k];
    (!n.is_empty()
        && nchars(n) <= 3
        && n.chars()
            .all(|c| "一二三四五六七八九十".contains(c) || c.is_ascii_digit()))
    .then(|| rest[k + '步'.len_utf8()..].trim())
}

fn heading_text(b: &Block) -> String {
    let t = b.body.trim();
    let t = if part_heading(t) {
        t.split_once(|c: char| c.is_whitespace())
            .map_or(t, |(_, r)| r.trim())
    } else {
        t
    };
    t.trim_end_matches(['。', '：', ':']).to_string()
}

/// Where a document's kind is given by its title: what its sections hold by default.
fn doc_kind(title: &str) -> Option<Sec> {
    let has = |w: &str| title.contains(w);
    if has("廉政") || has("风险") {
        Some(Sec::Risks)
    } else if has("权责") || has("权力") || has("职权") {
        Some(Sec::Powers)
    } else if has("流程") || has("办事指南") || has("服务指南") {
        if has("内设") || has("机构职能") || has("科室") {
            None
        } else {
            Some(Sec::Procs)
        }
    } else if has("分工") {
        Some(Sec::Division)
    } else if has("内设")
        || has("科室")
        || has("股室")
        || has("处室")
        || has("机构职能")
        || has("机构设置")
        || has("职责")
    {
        Some(Sec::Units)
    } else {
        None
    }
}

pub fn walk(b: &mut Builder<'_, '_>, outline: &Outline, reading: Reading) {
    let mut w = Walk {
        doc_ctx: match reading {
            Reading::Departments => Some(Sec::Units),
            Reading::Risks => Some(Sec::Risks),
            Reading::Powers => Some(Sec::Powers),
            Reading::Procedures => Some(Sec::Procs),
            Reading::Division => Some(Sec::Division),
            _ => None,
        },
        ..Default::default()
    };
    let start = title(b, outline, &mut w);
    for (k, blk) in outline.blocks.iter().enumerate().skip(start) {
        if w.skip.contains(&k) {
            continue;
        }
        if blk.table.is_some() {
            w.table(b, blk);
        } else {
            w.block(b, blk);
        }
    }
    w.flush(b);
    w.proc = None;
}

/// The title (and the organisation it names), a 三定 text's title; returns the index of
/// the first block after the title.
fn title(b: &mut Builder<'_, '_>, outline: &Outline, w: &mut Walk) -> usize {
    let mut start = 0;
    let mut found = None;
    for (k, blk) in outline.blocks.iter().enumerate().take(8) {
        if blk.table.is_some() || blk.num.is_some() {
            break;
        }
        let t = heading_text(blk);
        let inner = t
            .split_once('《')
            .and_then(|(_, r)| r.split_once('》'))
            .map(|(x, _)| x.to_string());
        let cand = org_in_title(&t).or_else(|| inner.as_deref().and_then(org_in_title));
        if let Some(name) = cand {
            if !t.contains("关于") || inner.is_some() {
                found = Some((k, name, t.clone()));
                if !t.contains("关于") {
                    break;
                }
            }
        }
    }
    // A 三定 regulation: its own title line after the cover.
    let sanding = outline.blocks.iter().take(30).find(|blk| {
        let t = heading_text(blk);
        blk.table.is_none()
            && t.ends_with("规定")
            && t.contains("编制")
            && !t.contains('《')
            && nchars(&t) <= 50
    });
    if let Some((k, name, t)) = found {
        b.org.name = full_name(&b.key, &name);
        if w.doc_ctx.is_none() {
            w.doc_ctx = doc_kind(&t);
        }
        let blk = &outline.blocks[k];
        b.structure(&blk.lines.clone());
        start = k + 1;
        // A subtitle in brackets right after the title (`（2022年动态调整版）`).
        if let Some(next) = outline.blocks.get(k + 1) {
            let n = next.text.trim();
            if next.table.is_none()
                && (n.starts_with('（') || n.starts_with('('))
                && n.ends_with(['）', ')'])
                && nchars(n) <= 20
            {
                b.structure(&next.lines.clone());
                start = k + 2;
            }
        }
        w.skip = (k..start).collect();
        start = 0;
    }
    if let Some(s) = sanding {
        b.sanding = true;
        let t = heading_text(s);
        if let Some(name) = org_in_title(&t) {
            b.org.name = full_name(&b.key, &name);
        }
        let no = b
            .key
            .iter()
            .map(|l| l.trim())
            .find(|l| l.contains('〔') && l.ends_with('号') && nchars(l) <= 24)
            .map(String::from);
        let body: Vec<String> = (0..b.lines.len())
            .filter(|&i| !b.lines.blank(i))
            .map(|i| b.lines.text(i).to_string())
            .collect();
        b.org.documents.push(OrgDocument {
            no,
            title: t,
            body: Some(body.join("\n\n")),
            ..Default::default()
        });
        let all: Vec<usize> = (0..b.lines.len()).collect();
        b.used(&all);
        if w.doc_ctx.is_none() {
            w.doc_ctx = Some(Sec::Other);
        }
    }
    start
}

/// The full form of an organisation's name the text also uses (`滨河街道办事处` →
/// `青屿市东港区滨河街道办事处`).
fn full_name(key: &[String], short: &str) -> String {
    let mut best = short.to_string();
    for line in key {
        let mut from = 0;
        while let Some(p) = line[from..].find(short) {
            let at = from + p;
            let before: Vec<char> = line[..at].chars().collect();
            // The longest run of place names right before the name.
            for s in 0..before.len() {
                let prefix: String = before[s..].iter().collect();
                if super::vocab::is_place_prefix(&prefix)
                    && nchars(&prefix) + nchars(short) > nchars(&best)
                {
                    let cand = format!("{prefix}{short}");
                    if !cand.starts_with(['在', '由', '根', '经', '向']) {
                        best = cand;
                    }
                    break;
                }
            }
            from = at + short.len();
        }
    }
    best
}

impl Walk {
    fn ctx(&self) -> Option<Sec> {
        self.ctx.map(|(s, _)| s).or(self.doc_ctx)
    }

    /// Close what a heading of rank `r` ends.
    fn close(&mut self, b: &mut Builder<'_, '_>, r: u8) {
        if self.dept.is_some_and(|(_, dr)| dr >= r) {
            self.flush(b);
            self.dept = None;
            self.dept_sub = None;
        }
        if self.dept_sub.is_some_and(|(_, sr)| sr >= r) {
            self.dept_sub = None;
        }
        if self.proc.is_some_and(|(_, _, pr)| pr >= r) {
            self.proc = None;
        }
        if self.ctx.is_some_and(|(_, cr)| cr >= r) {
            self.flush(b);
            self.ctx = None;
        }
        if self.page.is_some_and(|(_, pr)| pr >= r) {
            self.page = None;
        }
        self.div = None;
        self.pending_title = None;
    }

    /// Finish open records.
    fn flush(&mut self, b: &mut Builder<'_, '_>) {
        if let Some((p, line)) = self.power.take() {
            let dept = p
                .department
                .clone()
                .filter(|d| is_unit_name(&super::split_name(d).0) && !b.is_self(d));
            match dept {
                Some(d) => {
                    let k = b.dept(&d, None);
                    let mut p = p;
                    p.department = None;
                    b.depts[k].powers.push(p);
                }
                None => b.org.powers.push(p),
            }
            let _ = line;
        }
        if let Some((d, r)) = self.risk.take() {
            b.depts[d].risks.points.push(RiskPoint::Full(r));
        }
    }

    fn table(&mut self, b: &mut Builder<'_, '_>, blk: &Block) {
        self.flush(b);
        self.div = None;
        if let Some((p, _)) = self.page {
            append_page(b, p, blk);
            return;
        }
        let cat = self.category.clone();
        if tables::read(b, blk, cat.as_deref()).is_some() {
            self.dept = None;
            self.dept_sub = None;
        }
    }

    fn block(&mut self, b: &mut Builder<'_, '_>, blk: &Block) {
        let r = rank(blk);
        if std::env::var_os("ZHIZE_DEBUG").is_some() {
            eprintln!(
                "r{r} ctx {:?} dept {:?} proc {:?} | {}",
                self.ctx(),
                self.dept,
                self.proc.map(|p| (p.1, p.2)),
                blk.text
            );
        }
        if let Some((p, pr)) = self.page {
            if r > pr {
                append_page(b, p, blk);
                return;
            }
            self.page = None;
        }
        if self.sheet_or_part(b, blk, r) {
            return;
        }
        if self.division_item(b, blk, r) {
            return;
        }
        let states =
            facts::unit_count(&blk.body).is_some() || !facts::staffing(&blk.body).is_empty();
        if states && self.facts(b, blk) {
            return;
        }
        if self.section(b, blk, r) {
            return;
        }
        if self.field(b, blk) {
            return;
        }
        self.flush(b);
        if self.facts(b, blk) {
            return;
        }
        if self.dept_entry(b, blk, r) {
            return;
        }
        self.content(b, blk, r);
    }

    /// A sheet's name or a part heading that opens no known section: a category of power
    /// items, or it closes what was open.
    fn sheet_or_part(&mut self, b: &mut Builder<'_, '_>, blk: &Block, r: u8) -> bool {
        if !(blk.is_title() && (r <= 3 || self.ctx() == Some(Sec::Powers))) {
            return false;
        }
        if let Some(c) = tables::category_heading(&heading_text(blk)) {
            self.flush(b);
            self.category = Some(c.clone());
            b.structure(&blk.lines);
            b.note(blk.lines[0], "power category", &c, 0);
            return true;
        }
        false
    }

    /// `与X的（有关）职责分工。…` and, in a division section, tasks naming who leads and
    /// who helps.
    fn division_item(&mut self, b: &mut Builder<'_, '_>, blk: &Block, r: u8) -> bool {
        let body = blk.body.trim();
        let head = body.chars().take(40).collect::<String>();
        let with_x = body.starts_with('与') && head.contains("职责分工");
        let in_div = self.ctx() == Some(Sec::Division);
        let task = in_div
            && blk.num.is_some()
            && (body.contains("牵头") || body.contains("负责"))
            && (body.contains("配合") || body.contains("会同") || body.contains("协助"));
        if !with_x && (!task || self.dept.is_some()) {
            return false;
        }
        if self.dept.is_some_and(|(_, dr)| dr >= r) {
            self.close(b, r);
        }
        self.flush(b);
        let (topic, text) = if with_x {
            let k = body.find("职责分工").unwrap_or(0);
            let after = body[k + "职责分工".len()..]
                .trim_start_matches(['。', '：', ':', '．', '.'])
                .trim();
            (
                Some(body[..k + "职责分工".len()].to_string()),
                after.to_string(),
            )
        } else {
            (None, body.to_string())
        };
        let mut parties = Vec::new();
        let scan = if with_x {
            body.to_string()
        } else {
            text.clone()
        };
        for name in bodies_in(&scan) {
            if b.is_self(&name) || parties.contains(&name) {
                continue;
            }
            b.external(&name);
            parties.push(name);
        }
        b.org.division.push(DivisionItem::Full(DivisionFull {
            parties,
            topic,
            text: if text.is_empty() {
                body.to_string()
            } else {
                text
            },
            ..Default::default()
        }));
        b.used(&blk.lines);
        self.div = Some(OpenDiv::Org(b.org.division.len() - 1));
        b.note(blk.lines[0], "division", &head, 1);
        true
    }

    /// A heading that opens a section (主要职责, 内设机构, 廉政风险 …).
    fn section(&mut self, b: &mut Builder<'_, '_>, blk: &Block, r: u8) -> bool {
        let art = article(&blk.text);
        if !blk.is_title() && art.is_none() && blk.mark == 0 {
            return false;
        }
        let ht = heading_text(blk);
        const VERBS: &[&str] = &[
            "负责", "承担", "组织", "拟订", "指导", "协调", "统筹", "起草", "推进", "办理", "管理",
            "贯彻", "研究", "参与", "做好", "落实", "完成", "开展", "制定", "审核", "按照", "根据",
            "依法", "加强", "建立", "实行", "严格",
        ];
        let heading_like = art.is_some()
            || (nchars(&ht) <= 24
                && !ht.contains(['，', ','])
                && !VERBS.iter().any(|v| ht.starts_with(v))
                && (!ht.contains(['：', ':']) || ht.starts_with("附件")));
        if !heading_like {
            return false;
        }
        let sec = match art {
            Some(body) => article_section(body),
            None => section_of(&ht),
        };
        let Some(mut sec) = sec else {
            return false;
        };
        // Inside a procedure section, a heading naming a flow is a procedure's title.
        if sec == Sec::Procs && self.ctx() == Some(Sec::Procs) && !generic_procs(&ht) {
            return false;
        }
        if sec == Sec::Procs
            && self.ctx() != Some(Sec::Procs)
            && !generic_procs(&ht)
            && self.doc_ctx == Some(Sec::Procs)
        {
            return false;
        }
        // 股室职责 and 岗位设置 under a department are its parts; at the top they open the
        // list of units (or of posts).
        let in_dept = self
            .dept
            .is_some_and(|(_, dr)| r > dr || blk.num.is_none() && blk.mark == 0);
        if in_dept
            && self.dept.is_some_and(|(_, dr)| r > dr)
            && !matches!(sec, Sec::DeptDuties | Sec::Summary | Sec::Posts)
        {
            return false;
        }
        if matches!(sec, Sec::DeptDuties | Sec::Summary | Sec::Posts) && in_dept {
            self.flush(b);
            let dr = self.dept.map_or(r, |(_, dr)| dr);
            self.dept_sub = Some((sec, r.max(dr + 1)));
            b.structure(&blk.lines);
            return true;
        }
        if sec == Sec::DeptDuties {
            sec = Sec::Units;
        }
        if sec == Sec::Page && (ht.contains("印发") || ht.contains("转发")) {
            sec = Sec::Other;
        }
        self.close(b, r);
        self.flush(b);
        self.ctx = Some((sec, r));
        if sec == Sec::Page {
            let title = ht
                .trim_start_matches(|c: char| {
                    c == '附' || c == '件' || c == '：' || c == ':' || c.is_ascii_digit()
                })
                .trim()
                .to_string();
            b.pages.push(crate::ImportedPage {
                slug: format!(
                    "{}-{}",
                    zhize_core::slug::slugify(&b.org.name),
                    b.pages.len() + 1
                ),
                meta: zhize_core::model::PageMeta {
                    title: if title.is_empty() { ht.clone() } else { title },
                    ..Default::default()
                },
                body: String::new(),
            });
            self.page = Some((b.pages.len() - 1, r));
            b.used(&blk.lines);
            let head = original(b, blk);
            if let Some(p) = b.pages.last_mut() {
                p.body.push_str(&format!("{head}\n\n"));
            }
            b.note(blk.lines[0], "page", &ht, 1);
            return true;
        }
        if art.is_some() {
            // The article's own words may state facts (设下列14个内设机构, 编制).
            self.facts(b, blk);
        }
        if sec == Sec::Procs {
            self.pending_title = Some((ht.clone(), r));
        }
        b.structure(&blk.lines);
        true
    }

    /// `字段：值` lines: power records, risk entries, a procedure's 办理流程 and 所需材料, a
    /// department's 股室职责 and 岗位设置, posts.
    fn field(&mut self, b: &mut Builder<'_, '_>, blk: &Block) -> bool {
        let body = blk.body.trim();
        let Some(label) = field_label(body) else {
            return false;
        };
        let value = body[label.len()..].trim_start_matches(['：', ':']).trim();
        let role = header_role(label);
        let ctx = self.ctx();
        // Power records.
        let power_field = matches!(
            role,
            Some(
                Role::Code
                    | Role::Name
                    | Role::Category
                    | Role::Basis
                    | Role::Resp
                    | Role::Account
                    | Role::Fee
                    | Role::Subject
                    | Role::Sub
            )
        ) || (self.power.is_some()
            && matches!(role, Some(Role::Dept | Role::Limit | Role::Notes)));
        if power_field && (ctx == Some(Sec::Powers) || self.power.is_some()) {
            self.power_field(b, blk, role, value);
            return true;
        }
        // Risk entries (`风险点1：…`, `风险等级：`, `防控措施：`, `责任人：`).
        if matches!(role, Some(Role::Risk))
            || self.risk.is_some()
                && matches!(
                    role,
                    Some(
                        Role::Level
                            | Role::Controls
                            | Role::Owner
                            | Role::RiskDesc
                            | Role::Category
                    )
                )
        {
            self.risk_field(b, blk, role, value);
            return true;
        }
        self.flush(b);
        // Procedures: a numbered line is a step, not a field.
        let in_procs = ctx == Some(Sec::Procs) || self.proc.is_some();
        if in_procs && (blk.num.is_some() || step_word(body).is_some()) && self.dept.is_none() {
            return false;
        }
        if in_procs {
            if label.contains("流程") && is_chain(value) {
                let name = self
                    .pending_title
                    .take()
                    .map(|(t, _)| t)
                    .unwrap_or_else(|| label.to_string());
                let idx = self.proc_for(b, &name, blk);
                add_chain(b, self.holder(), idx, value);
                b.used(&blk.lines);
                b.note(
                    blk.lines[0],
                    "procedure steps (chain)",
                    &name,
                    chain_nodes(value).len(),
                );
                return true;
            }
            if let Some((h, k, _)) = self.proc {
                let p = proc_mut(b, h, k);
                if label.contains("材料") {
                    for f in forms_in(value) {
                        if !p.forms.contains(&f) {
                            p.forms.push(f);
                        }
                    }
                }
                p.notes.push(body.to_string());
                b.used(&blk.lines);
                return true;
            }
        }
        // A department's parts.
        if let Some((d, dr)) = self.dept {
            if matches!(section_of(label), Some(Sec::DeptDuties)) || label == "职责" {
                for c in clauses(value) {
                    b.depts[d].duties.push(Duty::Text(c));
                }
                b.used(&blk.lines);
                return true;
            }
            if matches!(section_of(label), Some(Sec::Posts)) && value.is_empty() {
                self.dept_sub = Some((Sec::Posts, dr + 1));
                b.structure(&blk.lines);
                return true;
            }
            if self.dept_sub.is_some_and(|(s, _)| s == Sec::Posts)
                || is_post_name(strip_count(label).0) && blk.num.is_some()
            {
                add_post_entry(b, d, label, value);
                b.used(&blk.lines);
                return true;
            }
        }
        false
    }

    fn power_field(
        &mut self,
        b: &mut Builder<'_, '_>,
        blk: &Block,
        role: Option<Role>,
        value: &str,
    ) {
        let starts = matches!(role, Some(Role::Code | Role::Name));
        let repeat = match (&self.power, role) {
            (Some((p, _)), Some(Role::Code)) => p.code.is_some(),
            (Some((p, _)), Some(Role::Name)) => !p.name.is_empty(),
            _ => false,
        };
        if self.power.is_none() || (starts && repeat) {
            self.flush(b);
            self.power = Some((
                Power {
                    category: self.category.clone(),
                    ..Default::default()
                },
                blk.lines[0],
            ));
        }
        let Some((p, _)) = self.power.as_mut() else {
            return;
        };
        let v = value.to_string();
        match role {
            Some(Role::Code) => p.code = Some(v),
            Some(Role::Name) => {
                p.name = v.clone();
                b.note(blk.lines[0], "power item", &v, 1);
            }
            Some(Role::Category) => p.category = Some(v),
            Some(Role::Basis) => {
                p.basis = v
                    .split(['；', ';'])
                    .map(|s| s.trim().trim_end_matches('。').to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            }
            Some(Role::Dept) => p.department = Some(v),
            Some(Role::Resp) => {
                p.responsibilities =
                    super::text::numbered_pieces(value).unwrap_or_else(|| clauses(value))
            }
            Some(Role::Account) => {
                p.accountability =
                    super::text::numbered_pieces(value).unwrap_or_else(|| clauses(value))
            }
            Some(Role::Limit) => p.limit = Some(v),
            Some(Role::Fee) => p.fee = Some(v),
            _ => p.notes.push(blk.body.trim().to_string()),
        }
        b.used(&blk.lines);
    }

    fn risk_field(
        &mut self,
        b: &mut Builder<'_, '_>,
        blk: &Block,
        role: Option<Role>,
        value: &str,
    ) {
        if role == Some(Role::Risk) {
            self.flush(b);
            let d = match self.dept {
                Some((d, _)) => d,
                None => b.dept("未注明科室", None),
            };
            self.risk = Some((
                d,
                RiskFull {
                    text: value.to_string(),
                    ..Default::default()
                },
            ));
            b.note(blk.lines[0], "risk point", value, 1);
        } else if let Some((_, r)) = self.risk.as_mut() {
            match role {
                Some(Role::Level) => r.level = Some(value.to_string()),
                Some(Role::Controls) => r.controls.extend(measures(value)),
                Some(Role::Owner) => r.owners.push(value.to_string()),
                Some(Role::Category) => r.category = Some(value.to_string()),
                _ => {
                    r.text.push_str("\n\n");
                    r.text.push_str(blk.body.trim());
                }
            }
        }
        b.used(&blk.lines);
    }

    /// 三定 facts in a sentence: unit count, the units it lists, staffing, plaques, rank.
    fn facts(&mut self, b: &mut Builder<'_, '_>, blk: &Block) -> bool {
        if self.dept.is_some() && blk.num.is_some() {
            return false;
        }
        let t = blk.body.trim();
        let count = facts::unit_count(t);
        let listed = facts::enumerated_units(t);
        let staff = facts::staffing(t);
        let describes = describes_org(b, t);
        if count.is_none() && listed.is_empty() && staff.is_empty() && !describes {
            return false;
        }
        if let Some(n) = count {
            if b.org.units.is_none() {
                b.org.units = Some(n);
            }
            if self.ctx.is_none_or(|(s, _)| s != Sec::Units) {
                self.ctx = Some((Sec::Units, rank(blk).min(3)));
                if self.ctx.is_some_and(|(_, r)| r == 9) {
                    self.ctx = Some((Sec::Units, 3));
                }
            }
        }
        for u in &listed {
            b.dept(u, None);
        }
        let subject = facts::staffing_subject(t).filter(|s| !b.is_self(s));
        for (k, v) in staff {
            let key = if b.org.staffing.0.iter().any(|(x, _)| *x == k) {
                format!("{}{k}", subject.clone().unwrap_or_default())
            } else {
                k
            };
            if !b.org.staffing.0.iter().any(|(x, _)| *x == key) {
                b.org.staffing.0.push((key, v));
            }
        }
        if describes || self.dept.is_none() {
            for p in facts::plaques(t) {
                if !b.org.plaques.contains(&p) {
                    b.org.plaques.push(p);
                }
            }
            if b.org.level.is_none() {
                b.org.level = facts::level(t);
            }
        }
        if !b.sanding {
            b.summary.push(original(b, blk));
        }
        b.used(&blk.lines);
        b.note(
            blk.lines[0],
            "三定 facts",
            &t.chars().take(24).collect::<String>(),
            listed.len(),
        );
        true
    }

    /// A unit of a list: `一、办公室`, `（一）办公室。负责…`, `1. 财务科：…`, `**办公室**`,
    /// `办公室：…`, `机关党委。负责…`.
    fn dept_entry(&mut self, b: &mut Builder<'_, '_>, blk: &Block, r: u8) -> bool {
        let allowed = matches!(
            self.ctx(),
            None | Some(Sec::Units) | Some(Sec::Risks) | Some(Sec::Posts) | Some(Sec::Other)
        );
        if !allowed {
            return false;
        }
        let Some((raw, rest)) = entry(&blk.body) else {
            return false;
        };
        // Under a department only its equals open another; `机关党委。负责…` after a
        // numbered list of units is one too.
        if let Some((_, dr)) = self.dept {
            let plain_entry = blk.num.is_none()
                && blk.mark == 0
                && !rest.is_empty()
                && self.ctx() == Some(Sec::Units);
            if r > dr && !plain_entry {
                return false;
            }
        }
        // An unnumbered entry only in a list of units, and written `名称。…` or `名称：…`.
        if blk.num.is_none() && blk.mark == 0 && (self.ctx() != Some(Sec::Units) || rest.is_empty())
        {
            return false;
        }
        let base = super::split_name(&raw).0;
        if b.is_self(&base) {
            return false;
        }
        self.flush(b);
        self.proc = None;
        let d = b.dept(&raw, Some(blk.lines[0]));
        self.dept = Some((d, r));
        self.dept_sub = None;
        b.used(&blk.lines);
        let rest = rest.trim();
        if !rest.is_empty() {
            if let Some(label) = field_label(rest).filter(|l| section_of(l).is_some()) {
                let v = rest[label.len()..].trim_start_matches(['：', ':']).trim();
                for c in clauses(v) {
                    b.depts[d].duties.push(Duty::Text(c));
                }
            } else {
                for c in clauses(rest) {
                    b.depts[d].duties.push(Duty::Text(c));
                }
            }
        }
        let n = b.depts[d].duties.len();
        let name = b.depts[d].name.clone();
        b.note(blk.lines[0], "department", &name, n);
        true
    }

    /// A block inside the current section: a duty, a post, a step, an organisation duty.
    fn content(&mut self, b: &mut Builder<'_, '_>, blk: &Block, r: u8) {
        let body = blk.body.trim().to_string();
        // Continuation of a division item.
        if let (Some(OpenDiv::Org(k)), None) = (self.div, blk.num) {
            if !blk.is_title() {
                if let Some(DivisionItem::Full(f)) = b.org.division.get_mut(k) {
                    f.text.push_str("\n\n");
                    f.text.push_str(&body);
                    b.used(&blk.lines);
                    return;
                }
            }
        }
        self.div = None;
        if let Some((d, dr)) = self.dept {
            if r > dr {
                self.dept_content(b, blk, d, &body);
                return;
            }
            self.dept = None;
            self.dept_sub = None;
        }
        match self.ctx() {
            Some(Sec::OrgDuties) => {
                if blk.num.is_some() {
                    if body.starts_with("职能转变") {
                        b.summary.push(body.clone());
                    } else if body.contains("职责分工") && nchars(&body) <= 12 {
                        b.structure(&blk.lines);
                        return;
                    } else {
                        b.org.duties.push(Duty::Text(body.clone()));
                        b.note(
                            blk.lines[0],
                            "organisation duty",
                            &body.chars().take(16).collect::<String>(),
                            1,
                        );
                    }
                    b.used(&blk.lines);
                }
            }
            Some(Sec::Reform) => {
                b.summary.push(original(b, blk));
                b.used(&blk.lines);
            }
            Some(Sec::Procs) => self.proc_content(b, blk, r, &body),
            _ => {
                if is_chain(&body) {
                    let name = self
                        .pending_title
                        .take()
                        .map(|(t, _)| t)
                        .unwrap_or_default();
                    let idx = self.proc_for(b, &name, blk);
                    add_chain(b, self.holder(), idx, &body);
                    b.used(&blk.lines);
                }
            }
        }
    }

    fn dept_content(&mut self, b: &mut Builder<'_, '_>, blk: &Block, d: usize, body: &str) {
        match self.dept_sub.map(|(s, _)| s) {
            Some(Sec::Summary) => {
                let s = b.depts[d].summary.get_or_insert_with(String::new);
                if !s.is_empty() {
                    s.push_str("\n\n");
                }
                s.push_str(body);
            }
            Some(Sec::Posts) => {
                let (label, value) = match field_label(body) {
                    Some(l) => (
                        l.to_string(),
                        body[l.len()..]
                            .trim_start_matches(['：', ':'])
                            .trim()
                            .to_string(),
                    ),
                    None => (String::new(), body.to_string()),
                };
                if !label.is_empty() {
                    add_post_entry(b, d, &label, &value);
                } else if let Some(p) = b.depts[d].posts.last_mut() {
                    p.duties.push(value);
                } else {
                    return;
                }
            }
            _ => {
                if blk.num.is_some() {
                    b.depts[d].duties.push(Duty::Text(body.to_string()));
                } else if blk.is_title()
                    && blk.mark == 0
                    && !super::text::ends_terminal(body)
                    && nchars(body) <= 12
                {
                    return;
                } else {
                    for c in clauses(body) {
                        b.depts[d].duties.push(Duty::Text(c));
                    }
                }
            }
        }
        b.used(&blk.lines);
    }

    fn holder(&self) -> Holder {
        match self.dept {
            Some((d, _)) => Holder::Dept(d),
            None => Holder::Org,
        }
    }

    /// The open procedure, or a new one named `name`.
    fn proc_for(&mut self, b: &mut Builder<'_, '_>, name: &str, blk: &Block) -> usize {
        if let Some((h, k, _)) = self.proc {
            if proc_mut(b, h, k).steps.is_empty() {
                return k;
            }
        }
        let h = self.holder();
        let list = match h {
            Holder::Org => &mut b.org.procedures,
            Holder::Dept(d) => &mut b.depts[d].procedures,
        };
        list.push(Procedure {
            name: name.to_string(),
            ..Default::default()
        });
        let k = list.len() - 1;
        self.proc = Some((h, k, rank(blk)));
        k
    }

    fn proc_content(&mut self, b: &mut Builder<'_, '_>, blk: &Block, r: u8, body: &str) {
        if is_chain(body) {
            let name = self
                .pending_title
                .take()
                .map(|(t, _)| t)
                .unwrap_or_default();
            let idx = self.proc_for(b, &name, blk);
            add_chain(b, self.holder(), idx, body);
            b.used(&blk.lines);
            b.note(
                blk.lines[0],
                "procedure steps (chain)",
                &name,
                chain_nodes(body).len(),
            );
            return;
        }
        // Numbered steps right under a section heading: a procedure named after it.
        if self.proc.is_none()
            && (blk.num.is_some() && !blk.is_title() || step_word(body).is_some())
        {
            if let Some((t, _)) = self.pending_title.take() {
                let h = self.holder();
                let list = match h {
                    Holder::Org => &mut b.org.procedures,
                    Holder::Dept(d) => &mut b.depts[d].procedures,
                };
                list.push(Procedure {
                    name: t,
                    ..Default::default()
                });
                self.proc = Some((h, list.len() - 1, r.saturating_sub(1)));
            }
        }
        let proc_rank = self.proc.map(|(_, _, pr)| pr);
        let step_text = step_word(body)
            .or_else(|| (blk.num.is_some() && proc_rank.is_some_and(|pr| r > pr)).then_some(body));
        if let (Some(st), Some((h, k, _))) = (step_text, self.proc) {
            let step = make_step(st);
            proc_mut(b, h, k).steps.push(step);
            b.used(&blk.lines);
            return;
        }
        if blk.is_title() && (blk.num.is_some() || blk.mark > 0 || proc_rank.is_none()) {
            let name = body.trim_end_matches(['。', '：', ':']).to_string();
            let h = self.holder();
            let list = match h {
                Holder::Org => &mut b.org.procedures,
                Holder::Dept(d) => &mut b.depts[d].procedures,
            };
            list.push(Procedure {
                name: name.clone(),
                ..Default::default()
            });
            self.proc = Some((h, list.len() - 1, r));
            b.structure(&blk.lines);
            b.note(blk.lines[0], "procedure", &name, 0);
            return;
        }
        if let Some((h, k, _)) = self.proc {
            proc_mut(b, h, k).notes.push(body.to_string());
            b.used(&blk.lines);
        }
    }
}

fn proc_mut<'b>(b: &'b mut Builder<'_, '_>, h: Holder, k: usize) -> &'b mut Procedure {
    match h {
        Holder::Org => &mut b.org.procedures[k],
        Holder::Dept(d) => &mut b.depts[d].procedures[k],
    }
}

/// A heading that names procedures in general (`工作流程`, `办事指南`), not one flow.
fn generic_procs(h: &str) -> bool {
    const GENERIC: &[&str] = &[
        "工作流程",
        "办事流程",
        "办理流程",
        "业务流程",
        "工作流程图",
        "办事指南",
        "服务指南",
        "办理指南",
        "流程",
        "主要工作流程",
        "内部工作流程",
    ];
    GENERIC.contains(&h.trim())
}

fn article_section(body: &str) -> Option<Sec> {
    if body.contains("主要职责") {
        Some(Sec::OrgDuties)
    } else if body.contains("内设机构") {
        Some(Sec::Units)
    } else if body.contains("编制") {
        Some(Sec::Staffing)
    } else {
        Some(Sec::Other)
    }
}

/// `申请→受理→审核`, `网上预约->审核确认->祭扫`.
fn is_chain(s: &str) -> bool {
    s.matches('→').count() + s.matches("->").count() >= 2
}

fn chain_nodes(s: &str) -> Vec<String> {
    s.replace("->", "→")
        .split('→')
        .map(|n| n.trim().trim_end_matches('。').trim().to_string())
        .filter(|n| !n.is_empty())
        .collect()
}

fn add_chain(b: &mut Builder<'_, '_>, h: Holder, k: usize, s: &str) {
    let nodes = chain_nodes(s);
    let p = proc_mut(b, h, k);
    for n in nodes {
        let actor = actor_of(&n).filter(|a| nchars(a) < nchars(&n));
        p.steps.push(Step {
            label: Some(n.clone()),
            actor,
            limit: time_limit(&n),
            forms: forms_in(&n),
            ..Default::default()
        });
    }
}

/// `申请。申请人…` / `申请：申请人…` → a step with its label, actor, limit and forms.
fn make_step(s: &str) -> Step {
    let s = s.trim();
    let cut = s
        .find(['。', '：', ':'])
        .filter(|&k| nchars(&s[..k]) <= 10 && !s[..k].contains(['，', '、']));
    let (label, text) = match cut {
        Some(k) => {
            let sep = s[k..].chars().next().map_or(1, char::len_utf8);
            (
                Some(s[..k].trim().to_string()),
                s[k + sep..].trim().to_string(),
            )
        }
        None => (None, s.to_string()),
    };
    Step {
        actor: actor_of(&text),
        limit: time_limit(&text),
        forms: forms_in(&text),
        label,
        text: (!text.is_empty()).then_some(text),
        ..Default::default()
    }
}

/// `办公室主任（1人）` → (办公室主任, Some(1)).
fn strip_count(label: &str) -> (&str, Option<u32>) {
    let l = label.trim();
    if let Some(k) = l.find(['（', '(']) {
        let inner: String = l[k..].chars().filter(|c| c.is_ascii_digit()).collect();
        if l.ends_with(['）', ')']) && (l.contains('人') || l.contains('名')) {
            return (l[..k].trim(), inner.parse().ok());
        }
    }
    (l, None)
}

fn add_post_entry(b: &mut Builder<'_, '_>, d: usize, label: &str, value: &str) {
    let (name, headcount) = strip_count(label);
    b.depts[d].posts.push(Post {
        name: name.to_string(),
        headcount,
        duties: (!value.is_empty())
            .then(|| value.to_string())
            .into_iter()
            .collect(),
        ..Default::default()
    });
}

/// A unit's entry: its name (with brackets) and the rest of the line.
fn entry(body: &str) -> Option<(String, String)> {
    let t = body.trim();
    // The name runs to the first `。`, `：`, two spaces or a space before a duty verb.
    let mut depth = 0i32;
    let mut end = t.len();
    let mut rest_at = t.len();
    let chars: Vec<(usize, char)> = t.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' => depth -= 1,
            _ => {}
        }
        if depth > 0 {
            continue;
        }
        if matches!(c, '。' | '：' | ':' | '．') {
            end = i;
            rest_at = i + c.len_utf8();
            break;
        }
        if c.is_whitespace() {
            let after = t[i..].trim_start();
            let double = chars.get(k + 1).is_some_and(|(_, d)| d.is_whitespace());
            let verb = [
                "负责", "承担", "组织", "拟订", "指导", "协调", "统筹", "起草", "推进", "办理",
                "管理", "贯彻",
            ]
            .iter()
            .any(|v| after.starts_with(v));
            if double || verb {
                end = i;
                rest_at = i;
                break;
            }
        }
        if matches!(c, '，' | '；' | '、') {
            return None;
        }
    }
    let raw = t[..end].trim();
    let base = super::split_name(raw).0;
    is_unit_name(&base).then(|| (raw.to_string(), t[rest_at..].trim().to_string()))
}

/// Does this sentence describe the organisation (`X是…部门，为正处级，加挂…牌子`)?
fn describes_org(b: &Builder<'_, '_>, t: &str) -> bool {
    let org = &b.org.name;
    if org.is_empty() || nchars(t) > 200 {
        return false;
    }
    let short_forms = short_forms(org);
    let starts = std::iter::once(org.as_str())
        .chain(short_forms.iter().map(String::as_str))
        .any(|n| t.contains(n));
    starts
        && (t.contains("是") || t.contains("作为") || t.contains("为正") || t.contains("为副"))
        && (t.contains("部门") || t.contains("机构") || t.contains("单位") || t.contains("级"))
}

/// `梧川县应急管理局` → `县应急管理局`, `应急管理局`.
fn short_forms(org: &str) -> Vec<String> {
    let chars: Vec<char> = org.chars().collect();
    let mut out = Vec::new();
    for (k, c) in chars.iter().enumerate() {
        if "省市县区州".contains(*c) && k + 1 < chars.len() {
            out.push(format!(
                "{}{}",
                c,
                chars[k + 1..].iter().collect::<String>()
            ));
            out.push(chars[k + 1..].iter().collect());
        }
    }
    out.retain(|s| nchars(s) >= 3);
    out
}

/// Names of bodies in a text: `县消防救援大队`, `省市场监督管理局`, `县发展和改革局` ….
fn bodies_in(t: &str) -> Vec<String> {
    let chars: Vec<char> = t.chars().collect();
    let mut out = Vec::new();
    let mut s = 0;
    while s < chars.len() {
        let c = chars[s];
        let boundary = s == 0
            || "与和、，。；：及同由经向对在（“".contains(chars[s - 1])
            || !zhize_core::text::is_han(chars[s - 1]);
        if !(boundary && "省市县区镇乡".contains(c)) {
            s += 1;
            continue;
        }
        let mut found = None;
        for e in s + 2..chars.len().min(s + 16) {
            if "，。；、：与和及的（".contains(chars[e]) {
                break;
            }
            let cand: String = chars[s..=e].iter().collect();
            if ORG_END.iter().any(|x| cand.ends_with(x)) && !cand.ends_with("政府办") {
                found = Some(e);
                // Prefer the longest name before a boundary (`县市场监督管理局`).
            }
        }
        match found {
            Some(e) => {
                let name: String = chars[s..=e].iter().collect();
                if !name.contains("有关") && !name.contains("各") {
                    out.push(name);
                }
                s = e + 1;
            }
            None => s += 1,
        }
    }
    out
}

/// A block's source lines as written.
fn original(b: &Builder<'_, '_>, blk: &Block) -> String {
    blk.lines
        .iter()
        .map(|&i| b.lines.text(i))
        .collect::<Vec<_>>()
        .join("")
}

fn append_page(b: &mut Builder<'_, '_>, p: usize, blk: &Block) {
    let mut text = String::new();
    for &i in &blk.lines {
        text.push_str(b.lines.text(i));
        text.push('\n');
    }
    b.used(&blk.lines);
    if let Some(page) = b.pages.get_mut(p) {
        page.body.push_str(&text);
        page.body.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries() {
        assert_eq!(
            entry("经济发展办公室（加挂镇统计站牌子）。负责镇域经济发展规划").map(|e| e.0),
            Some("经济发展办公室（加挂镇统计站牌子）".to_string())
        );
        assert_eq!(
            entry("办公室  负责机关文电").map(|e| e.0),
            Some("办公室".to_string())
        );
        assert_eq!(
            entry("医政医管科(中医科):负责").map(|e| e.0),
            Some("医政医管科(中医科)".to_string())
        );
    }
}
