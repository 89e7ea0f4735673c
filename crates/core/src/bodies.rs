//! Names of bodies as government texts write them, read by their shape: a level word (省,
//! 市, 县, 区县 …) and a body kind (政府, 厅, 局, 委员会, 领导小组 …). A unit's name written
//! right after another body's name (市政府办公室, 领导小组办公室, 编委办公室) is that body's
//! unit, not one's own; written after one's own organisation (局办公室, 市工信局办公室), after
//! a verb or function word (由办公室, 报办公室), or at the start of a phrase, it is one's own.

use crate::text::is_han;

/// Level words: the tier of government a body belongs to.
pub const LEVELS: &[&str] = &[
    "国家",
    "中央",
    "全国",
    "省",
    "自治区",
    "市",
    "州",
    "盟",
    "地区",
    "县",
    "区",
    "旗",
    "乡",
    "镇",
    "街道",
    "区县",
    "县区",
    "区市",
    "县市",
];

/// Body kinds: the last word of a body's name.
pub const KINDS: &[&str] = &[
    "人民政府",
    "政府",
    "党委",
    "党组",
    "委员会",
    "委",
    "厅",
    "局",
    "办公室",
    "办",
    "部",
    "署",
    "院",
    "所",
    "中心",
    "领导小组",
    "小组",
    "指挥部",
    "站",
    "集团",
    "公司",
    "协会",
    "学会",
    "联合会",
];

/// Words that may stand right before a unit's name and leave it a name of its own: verbs
/// and function words (由办公室, 报分管领导, 会同财务科), longest first where they overlap.
const BEFORE_NAME: &[&str] = &[
    "负责", "配合", "协助", "会同", "牵头", "报送", "抄送", "抄报", "提交", "交由", "移交", "联系",
    "指导", "通知", "告知", "组织", "协调", "征求", "送达", "转交", "转送", "退回", "返回", "反馈",
    "汇报", "报告", "提请", "呈报", "上报", "递交", "提供", "交给", "交至", "送至", "报至", "发送",
    "督促", "会签", "通过", "委托", "授权", "要求", "商请", "商", "由", "报", "交", "送", "经",
    "向", "到", "至", "请", "给", "对", "与", "和", "及", "或", "同", "并", "在", "从", "为", "将",
    "把", "被", "让", "以", "即", "是", "后", "前", "其", "转", "呈", "赴", "去", "往", "等", "的",
    "了", "均", "也", "再", "则", "由于", "按", "据", "凭", "随", "跟", "且", "而", "又", "即由",
    "报请", "协同", "联合", "督办", "知会", "通报", "抄", "发", "交办", "分送", "退", "回", "告",
    "起草", "实施", "设立", "设置", "主持", "谋划", "统筹", "审核", "审批", "挂", "加挂", "同时",
    "离", "部门", "明确", "确定", "承担", "支持", "指定", "安排", "召集", "邀请", "听取", "检查",
    "考核", "推动", "推进", "参加", "参与", "落实", "调整", "撤销", "成立", "更名", "改为", "作为",
    "包括", "如", "属", "归", "需", "须", "应", "找", "问", "咨询", "询问", "求助", "联络", "致电",
    "来", "可", "由其", "交予", "提请", "接受", "接收", "收到", "听从", "隶属", "汇总", "另",
    "再由", "先由", "其中", "分别", "共同",
];

/// Words that, before a level word, name one's own organisation's tier (本局, 我局, 全局).
const OWN_LEADS: &[&str] = &["本", "我", "全", "该"];

/// Does the text `before` (everything right before a unit's name) end where a name may start:
/// at its beginning, after a character that is not Chinese, or after a verb or function word?
pub fn at_name_start(before: &str) -> bool {
    match before.chars().next_back() {
        None => true,
        Some(c) if !is_han(c) => true,
        Some(_) => BEFORE_NAME.iter().any(|w| before.ends_with(w)),
    }
}

/// The organisation's own names as a unit's qualifier: its full names (`full`: name,
/// aliases, plaques) and the short forms made of its kind (`局` → 局, 本局, 我局, 局机关).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnNames {
    full: Vec<String>,
    short: Vec<String>,
}

impl OwnNames {
    /// The own names of an organisation called `names[0]` (and the rest: aliases, plaques).
    pub fn new<S: AsRef<str>>(names: &[S]) -> OwnNames {
        let mut full: Vec<String> = names
            .iter()
            .map(|n| n.as_ref().trim().to_string())
            .filter(|n| n.chars().count() >= 2)
            .collect();
        let mut short = Vec::new();
        for n in &full {
            if let Some(kind) = KINDS
                .iter()
                .filter(|k| n.ends_with(*k))
                .max_by_key(|k| k.len())
            {
                // A kind of one character (局, 厅, 委) stands for the organisation itself;
                // longer ones (办公室, 中心) are too common to.
                if kind.chars().count() == 1 {
                    short.push(kind.to_string());
                    short.push(format!("{kind}机关"));
                    for l in OWN_LEADS {
                        short.push(format!("{l}{kind}"));
                    }
                }
            }
        }
        full.sort_by_key(|n| std::cmp::Reverse(n.len()));
        full.dedup();
        short.sort_by_key(|n| std::cmp::Reverse(n.len()));
        short.dedup();
        OwnNames { full, short }
    }

    /// Joins two sets (a site-wide page may name any organisation's units).
    pub fn extend(&mut self, other: &OwnNames) {
        self.full.extend(other.full.iter().cloned());
        self.short.extend(other.short.iter().cloned());
        self.full.sort_by_key(|n| std::cmp::Reverse(n.len()));
        self.full.dedup();
        self.short.sort_by_key(|n| std::cmp::Reverse(n.len()));
        self.short.dedup();
    }

    /// Does `before` end with one of these names, so that what follows is the organisation's
    /// own unit (市工信局办公室, 局办公室)? A short form counts only where a name may start
    /// before it (市财政局办公室 is not 局办公室).
    pub fn ends(&self, before: &str) -> bool {
        if self.full.iter().any(|n| before.ends_with(n.as_str())) {
            return true;
        }
        self.short.iter().any(|s| {
            before
                .strip_suffix(s.as_str())
                .is_some_and(|rest| at_name_start(rest) || self.ends_full(rest))
        })
    }

    fn ends_full(&self, before: &str) -> bool {
        self.full.iter().any(|n| before.ends_with(n.as_str()))
    }
}

/// Is a unit's name written right after `before` a unit of another body (市政府办公室,
/// 领导小组办公室, 县人社局, 产业集群办公室) rather than of the organisation `own` names?
/// It is when a Chinese word other than a verb, a function word or the organisation's own
/// name is glued to it.
pub fn qualified_by_other(before: &str, own: &OwnNames) -> bool {
    !at_name_start(before) && !own.ends(before)
}

/// Is an outside body's name, written between `before` and `after`, part of a longer name of
/// another body: a lower tier's (区市政府 is the districts' governments, not 市政府) or its
/// own office's (市政府办公室)?
pub fn body_in_longer_name(before: &str, after: &str) -> bool {
    // Tiers below a city's; a 市 before it is most often the end of a place's name (…市市区).
    const LOWER: &[&str] = &["区", "县", "旗", "乡", "镇", "街道"];
    LOWER.iter().any(|l| before.ends_with(l))
        || ["办公室", "办公厅"].iter().any(|k| after.starts_with(k))
}

/// Byte ranges of the outside bodies named in `text` by their shape: a level word, at most
/// twelve Chinese characters, and a body kind (省工业和信息化厅, 市政府办公室, 区县人社局),
/// starting where a name may start. Each is as long as the run of Chinese characters allows,
/// and followed by a unit (办公室, …科, …处) when one is glued to it.
pub fn outside_bodies(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let level = LEVELS
            .iter()
            .filter(|l| rest.starts_with(*l))
            .max_by_key(|l| l.len());
        let starts = level.is_some() && at_name_start(&text[..i]);
        if let (true, Some(level)) = (starts, level) {
            if let Some(end) = body_end(text, i + level.len()) {
                out.push((i, end));
                i = end;
                continue;
            }
        }
        i += rest.chars().next().map_or(1, char::len_utf8);
    }
    out
}

/// Verbs that end a body's name read by its shape.
const BODY_BREAKS: &[&str] = &[
    "负责", "配合", "协助", "会同", "同意", "审核", "审定", "审阅", "反馈", "提交", "报送", "上报",
    "备案", "批准", "签发",
];

/// Where a body whose level word ends at `from` ends: after the last body kind in the run of
/// Chinese characters that follows (at most fourteen), or `None` when there is none.
fn body_end(text: &str, from: usize) -> Option<usize> {
    let mut end = None;
    for (k, c) in text[from..].char_indices().take(14) {
        if !is_han(c) {
            break;
        }
        let upto = from + k + c.len_utf8();
        let seg = &text[from..upto];
        if KINDS.iter().any(|kd| seg.ends_with(kd)) || seg.ends_with('科') || seg.ends_with('处')
        {
            end = Some(upto);
        }
        // A function word or a verb ends the name (市政府负责…, 市政府同意后以…).
        if "或的并由向将把到至以后从经报交送请".contains(c)
            || BODY_BREAKS.iter().any(|w| seg.ends_with(w))
        {
            break;
        }
    }
    end
}

/// Who acts in a procedure's step, by role rather than by name: the people and meetings
/// government procedures name (申请人, 分管领导, 局长办公会 …), longest first.
const ROLE_WORDS: &[&str] = &[
    "科室主要负责人",
    "单位主要负责人",
    "局长办公会议",
    "主任办公会议",
    "院长办公会议",
    "局长办公会",
    "主任办公会",
    "院长办公会",
    "科室负责人",
    "处室负责人",
    "部门负责人",
    "单位负责人",
    "主要负责人",
    "分管负责人",
    "分管局领导",
    "党组会议",
    "经办人员",
    "承办人员",
    "申请单位",
    "分管领导",
    "主要领导",
    "领导小组",
    "评审委员会",
    "专家组",
    "党组会",
    "申请人",
    "经办人",
    "承办人",
    "拟稿人",
    "报账人",
    "局领导",
    "党组书记",
    "副局长",
    "局长",
    "分管副主任",
    "分管主任",
    "室主任",
    "主任",
    "课题负责人",
    "副处长",
    "处长",
    "科长",
];

/// Verbs of a step whose subject (written right before them) is who acts.
const ACTS: &[&str] = &[
    "审核", "审批", "审签", "签发", "审定", "审阅", "审查", "批准", "办理", "初审", "复审", "复核",
    "核稿", "拟稿", "拟办", "批示", "签字", "签批", "研究", "决定", "提交", "提出", "填写", "填报",
    "盖章", "盖印", "登记", "受理", "汇总", "负责", "进行", "对", "将", "按", "根据", "通过", "在",
    "收到", "接收", "组织", "确定", "编制", "起草", "会签", "同意",
];

/// Who acts in a step, read from its text: the agent after 由 (由办公室…); else the subject
/// of its first phrase (办公室将…, 申请人提交…); else whom it is sent to for a decision
/// (报分管领导审批, 交至办公室负责人拟办, 经主要负责人审签); else whoever is written right
/// before a verb of acting (主要负责人审阅). A name is one `known` to the organisation, a
/// role (申请人, 分管领导, 承办科室, 局长办公会), or an outside body by its shape; a name
/// glued to another body's name (市政府办公室) stands for that body.
pub fn step_actor(text: &str, known: &dyn Fn(&str) -> bool, own: &OwnNames) -> Option<String> {
    let name_at = |p: usize| name_at(text, p, known, own);
    // 由X…
    for (i, _) in text.match_indices('由') {
        if let Some(n) = name_at(i + '由'.len_utf8()) {
            return Some(n);
        }
    }
    // The subject of a phrase: at the start of the text or of a phrase after ，；。
    let mut starts = vec![0];
    starts.extend(
        text.char_indices()
            .filter(|(_, c)| "，。；：,;:".contains(*c))
            .map(|(i, c)| i + c.len_utf8()),
    );
    if let Some(n) = starts.iter().take(2).find_map(|&p| {
        let n = name_at(p)?;
        let after = &text[p + n.len()..];
        ACTS.iter().any(|v| after.starts_with(v)).then_some(n)
    }) {
        return Some(n);
    }
    // 报X审批, 交至X, 经X审签, 送X.
    for lead in [
        "报请", "报送", "提交", "交由", "交至", "送至", "报", "交", "经", "送", "呈",
    ] {
        for (i, _) in text.match_indices(lead) {
            if let Some(n) = name_at(i + lead.len()) {
                return Some(n);
            }
        }
    }
    // X审阅, X签发: the longest name written right before a verb of acting.
    for v in ACTS.iter().filter(|v| v.chars().count() == 2) {
        for (i, _) in text.match_indices(v) {
            if let Some(n) = name_before(text, i, known, own) {
                return Some(n);
            }
        }
    }
    None
}

/// Does `before` end inside a title in 《》 (a form's or a document's name, not an actor)?
fn in_title(before: &str) -> bool {
    before.matches('《').count() > before.matches('》').count()
}

/// Can `n` be who acts: a known name, a role word, a unit by role (承办科室), or an outside
/// body by its shape?
fn is_actor(n: &str, known: &dyn Fn(&str) -> bool) -> bool {
    if known(n) || ROLE_WORDS.contains(&n) {
        return true;
    }
    let k = n.chars().count();
    let role_unit = (n.ends_with("科室") || n.ends_with("处室")) && k == 4;
    let by_shape = outside_bodies(n) == [(0, n.len())];
    (role_unit && !n.starts_with('各')) || by_shape
}

/// The longest actor's name starting at byte `p` of `text`, at most sixteen characters.
fn name_at(text: &str, p: usize, known: &dyn Fn(&str) -> bool, own: &OwnNames) -> Option<String> {
    if p > text.len()
        || in_title(&text[..p])
        || qualified_by_other(&text[..p], own) && !text[..p].ends_with('由')
    {
        return None;
    }
    let ends: Vec<usize> = text[p..]
        .char_indices()
        .take_while(|(_, c)| is_han(*c))
        .take(16)
        .map(|(i, c)| p + i + c.len_utf8())
        .collect();
    ends.iter()
        .rev()
        .map(|&e| &text[p..e])
        .find(|n| n.chars().count() >= 2 && is_actor(n, known))
        .map(str::to_string)
}

/// The longest actor's name ending at byte `end` of `text` that starts where a name may.
fn name_before(
    text: &str,
    end: usize,
    known: &dyn Fn(&str) -> bool,
    own: &OwnNames,
) -> Option<String> {
    let starts: Vec<usize> = text[..end]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_han(*c))
        .take(16)
        .map(|(i, _)| i)
        .collect();
    if in_title(&text[..end]) {
        return None;
    }
    // Shortest first is longest last: try the longest that stands on its own.
    starts
        .iter()
        .rev()
        .map(|&s| (s, &text[s..end]))
        .find(|(s, n)| {
            n.chars().count() >= 2
                && is_actor(n, known)
                && (ROLE_WORDS.contains(n) || !qualified_by_other(&text[..*s], own))
        })
        .map(|(_, n)| n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own() -> OwnNames {
        OwnNames::new(&["某市工业和信息化局", "市工信局"])
    }

    #[test]
    fn a_unit_after_another_body_is_not_ours() {
        let o = own();
        for before in [
            "市政府",
            "领导小组",
            "编委",
            "产业集群",
            "市财政局",
            "省厅",
            "县",
        ] {
            assert!(qualified_by_other(before, &o), "{before}");
        }
        for before in [
            "",
            "由",
            "报",
            "材料交",
            "，",
            "局",
            "本局",
            "市工信局",
            "某市工业和信息化局",
            "会同",
            "（一）",
            "用印找",
        ] {
            assert!(!qualified_by_other(before, &o), "{before}");
        }
    }

    #[test]
    fn an_outside_body_inside_a_longer_name_is_not_it() {
        assert!(body_in_longer_name("各区", "按照意见修改"));
        assert!(body_in_longer_name("以", "办公室文件印发"));
        assert!(!body_in_longer_name("上报", "审核"));
        assert!(!body_in_longer_name("山东", "关于"));
        assert!(!body_in_longer_name("某某市", "负责"));
    }

    #[test]
    fn outside_bodies_are_read_by_shape() {
        let t = "报市政府办公室审定，抄送省工业和信息化厅、区县人社局。";
        let found: Vec<&str> = outside_bodies(t).iter().map(|(s, e)| &t[*s..*e]).collect();
        assert_eq!(found, ["市政府办公室", "省工业和信息化厅", "区县人社局"]);
        assert!(outside_bodies("推进全市工业发展").is_empty());
    }

    #[test]
    fn who_acts_in_a_step() {
        let known = |n: &str| ["办公室", "财务科", "市财政局"].contains(&n);
        let o = own();
        let a = |t: &str| step_actor(t, &known, &o);
        assert_eq!(a("由主要负责人审签。").as_deref(), Some("主要负责人"));
        assert_eq!(a("用印科室到办公室盖印。").as_deref(), Some("办公室"));
        assert_eq!(a("拟稿后报分管领导审批。").as_deref(), Some("分管领导"));
        assert_eq!(a("申请人提交申请材料。").as_deref(), Some("申请人"));
        assert_eq!(a("经办人初审。").as_deref(), Some("经办人"));
        assert_eq!(a("办公室将定稿文件编号。").as_deref(), Some("办公室"));
        assert_eq!(a("承办科室对稿件进行核稿。").as_deref(), Some("承办科室"));
        assert_eq!(
            a("上行文需主要负责人审阅后签字。").as_deref(),
            Some("主要负责人")
        );
        assert_eq!(a("材料报市财政局审核。").as_deref(), Some("市财政局"));
        assert_eq!(a("提交局长办公会研究。").as_deref(), Some("局长办公会"));
        assert_eq!(a("填写表格后存档。"), None);
        assert_eq!(a("填写《市政府用印登记表》。"), None);
        assert_eq!(
            a("经市委组织部反馈同意后实施。").as_deref(),
            Some("市委组织部")
        );
        assert_eq!(
            a("经市政府同意后以市政府文件印发。").as_deref(),
            Some("市政府")
        );
        // Another body's office is that body, not ours.
        assert_ne!(a("报市政府办公室审定。").as_deref(), Some("办公室"));
    }
}
