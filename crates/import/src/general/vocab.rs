//! The vocabulary of duty documents, by job: what a table column holds, what a section
//! heading opens, which words end the name of an internal unit, of an organisation, of a
//! post. These are the words offices use everywhere (科室, 风险点, 实施依据, 内设机构 …),
//! not the words of any one document.

use super::text::nchars;
use Role::*;

/// What a table column holds, from its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    No,
    Dept,
    Unit,
    Post,
    PostCount,
    PostDuties,
    Duties,
    Category,
    Risk,
    RiskDesc,
    Level,
    Controls,
    Owner,
    Name,
    Sub,
    Code,
    Basis,
    Subject,
    Resp,
    Account,
    Limit,
    Fee,
    Notes,
    Lead,
    Help,
    Task,
}

/// Header words by the role of their column, most specific first.
#[rustfmt::skip]
const HEADER_WORDS: &[(&[&str], Role)] = &[
    (&["序号", "编号", "序"], Role::No),
    (&["事项编码", "编码", "权力编码"], Role::Code),
    (
        &[
            "牵头科室",
            "牵头单位",
            "牵头部门",
            "牵头处室",
            "牵头股室",
            "主办科室",
            "牵头",
        ],
        Lead,
    ),
    (
        &[
            "配合科室",
            "配合单位",
            "配合部门",
            "配合处室",
            "协办科室",
            "协办单位",
            "协助科室",
            "配合",
        ],
        Help,
    ),
    (
        &[
            "风险类别",
            "风险类型",
            "事项类别",
            "事项类型",
            "权力类型",
            "权力类别",
            "职权类型",
            "职权类别",
            "类别",
            "类型",
        ],
        Category,
    ),
    (&["风险等级", "等级", "风险级别"], Role::Level),
    (
        &["风险点", "廉政风险点", "风险点名称", "风险事项", "风险环节"],
        Risk,
    ),
    (
        &[
            "风险描述",
            "表现形式",
            "风险表现",
            "风险内容",
            "主要表现",
            "风险点描述",
            "具体表现",
        ],
        RiskDesc,
    ),
    (
        &["防控措施", "防控举措", "预防措施", "防范措施", "控制措施"],
        Controls,
    ),
    (
        &["责任人", "责任领导", "责任人员", "监督责任人", "直接责任人"],
        Owner,
    ),
    (&["岗位职责"], Role::PostDuties),
    (&["岗位人数", "人数", "配备人数", "编制数"], Role::PostCount),
    (&["岗位", "岗位名称", "风险岗位"], Role::Post),
    (
        &[
            "事项名称",
            "权力名称",
            "职权名称",
            "权责事项",
            "权力事项",
            "项目名称",
        ],
        Name,
    ),
    (&["工作事项", "工作任务", "任务", "重点工作"], Role::Task),
    (&["子项", "子项名称"], Role::Sub),
    (
        &["实施依据", "设定依据", "法律依据", "依据", "执法依据"],
        Basis,
    ),
    (
        &["实施主体", "法定主体", "行使主体", "责任主体"],
        Role::Subject,
    ),
    (&["责任事项"], Role::Resp),
    (
        &["追责情形", "问责情形", "追责事项", "责任追究"],
        Role::Account,
    ),
    (
        &[
            "办理时限",
            "时限",
            "承诺时限",
            "法定时限",
            "完成时限",
            "时间",
        ],
        Limit,
    ),
    (
        &["收费依据及标准", "收费标准", "收费情况", "收费", "是否收费"],
        Fee,
    ),
    (&["备注", "说明"], Role::Notes),
    (&["单位名称", "机构名称", "单位"], Role::Unit),
    (
        &[
            "科室",
            "股室",
            "处室",
            "单位或科室",
            "科室名称",
            "内设机构",
            "责任科室",
            "责任股室",
            "责任处室",
            "责任部门",
            "承办机构",
            "承办科室",
            "承办处室",
            "承办股室",
            "承办单位",
            "所在科室",
        ],
        Dept,
    ),
    (&["主要职责", "职责", "工作职责", "职能"], Role::Duties),
];

/// The role of a header cell (`风险等级（高中低）` → Level).
pub fn header_role(cell: &str) -> Option<Role> {
    let c: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
    let c = c.trim_matches(['*', '"']);
    if c.is_empty() || nchars(c) > 14 {
        return None;
    }
    let table = HEADER_WORDS;
    for (words, role) in table {
        if words.contains(&c) {
            return Some(*role);
        }
    }
    // `风险等级（高中低）`, `岗位名称及人数`: a known word first.
    for (words, role) in table {
        if words.iter().any(|w| nchars(w) >= 2 && c.starts_with(w)) {
            return Some(*role);
        }
    }
    None
}

/// What a section heading opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sec {
    /// The organisation's own 主要职责.
    OrgDuties,
    /// 职能转变: counted nowhere, kept as text.
    Reform,
    Units,
    Staffing,
    Division,
    Risks,
    Procs,
    Powers,
    Posts,
    /// A department's own duties (股室职责, 具体职责).
    DeptDuties,
    /// A department's summary (职责概述).
    Summary,
    /// A notice or explanation: a page of its own.
    Page,
    /// Table of contents, history, closing articles: text only.
    Other,
}

/// The section a heading opens, from its words (simplified script, numbering removed).
pub fn section_of(heading: &str) -> Option<Sec> {
    let h: String = heading.chars().filter(|c| !c.is_whitespace()).collect();
    let h = h.trim_end_matches(['。', '：', ':']);
    if h.is_empty() || nchars(h) > 30 {
        return None;
    }
    let has = |w: &str| h.contains(w);
    Some(
        if has("说明") && !has("职责") || has("通知") && !has("通知书") {
            Sec::Page
        } else if has("职能转变") {
            Sec::Reform
        } else if has("职责概述") || has("概述") || has("简介") {
            Sec::Summary
        } else if has("岗位") && !has("风险") && !has("廉政") {
            Sec::Posts
        } else if has("廉政") || has("风险") {
            Sec::Risks
        } else if has("权责") || has("权力") || has("职权") {
            Sec::Powers
        } else if has("流程") || has("办事指南") || has("服务指南") || has("办理指南")
        {
            Sec::Procs
        } else if has("分工") || has("其他事项") {
            Sec::Division
        } else if has("编制") && !has("内设机构") {
            Sec::Staffing
        } else if has("内设机构") || has("机构设置") || has("内设科室") || has("科室设置")
        {
            Sec::Units
        } else if has("具体职责")
            || has("细化职责")
            || has("股室职责")
            || has("科室职责")
            || has("处室职责")
            || h == "职责"
        {
            Sec::DeptDuties
        } else if has("主要职责") || has("部门职责") || has("机构职能") || has("职能职责")
        {
            Sec::OrgDuties
        } else if has("目录") || has("沿革") || has("附则") || has("附件") {
            Sec::Other
        } else {
            return None;
        },
    )
}

/// Words that end the name of an internal unit (办公室, 财务科, 法规股, 执法大队 …).
const UNIT_END: &[&str] = &[
    "室",
    "科",
    "股",
    "处",
    "中心",
    "站",
    "所",
    "大队",
    "中队",
    "支队",
    "队",
    "组",
    "委员会",
    "党委",
    "党组",
    "党支部",
    "总支",
    "部",
    "馆",
    "办",
    "分局",
];

/// Words no unit name starts with (a verb, a preposition, a collective).
const NOT_UNIT_START: &[&str] = &[
    "与", "和", "及", "关于", "负责", "承担", "根据", "按照", "各", "本科", "本股", "本处", "本室",
    "有关", "相关", "其他", "我", "所属", "下属", "内设", "以上", "以下", "上述", "完成", "协助",
    "配合", "会同", "牵头", "为", "即",
];

/// Is `s` the name of an internal unit (a department), as a list or table would give it?
pub fn is_unit_name(s: &str) -> bool {
    let s = s.trim();
    let n = nchars(s);
    (3..=20).contains(&n)
        && UNIT_END.iter().any(|e| s.ends_with(e))
        && !NOT_UNIT_START.iter().any(|w| s.starts_with(w))
        && !s.contains([
            '，', '。', '；', '：', ':', ',', ';', '“', '”', '《', '》', '、', ' ', '\t',
        ])
        && !s.chars().any(|c| c.is_ascii_digit())
        && !s.ends_with("工作组")
}

/// Place words a full name may add in front of a short one (`青屿市` + `东港区滨河街道办事处`).
pub fn is_place_prefix(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    if chars.is_empty() || chars.len() > 12 {
        return false;
    }
    // One or more `XX市`, `XX区`, `XX县`, `XX省` …, each of 2 to 6 characters.
    let mut k = 0;
    while k < chars.len() {
        let Some(e) =
            (k + 1..chars.len().min(k + 6)).find(|&e| "省市县区州盟旗".contains(chars[e]))
        else {
            return false;
        };
        k = e + 1;
    }
    true
}

/// Words that end the name of an organisation.
pub const ORG_END: &[&str] = &[
    "人民政府",
    "办事处",
    "委员会",
    "局",
    "委",
    "办公室",
    "办",
    "厅",
    "中心",
    "室",
    "院",
    "站",
    "所",
    "馆",
    "大队",
    "支队",
    "政府",
];

/// Words after an organisation's name in a title, saying what the document holds.
const TITLE_WORDS: &[&str] = &[
    "内设机构",
    "内设科室",
    "内设",
    "机构职能",
    "职能配置",
    "主要职责",
    "机构设置",
    "科室职责",
    "股室职责",
    "处室职责",
    "科室",
    "股室",
    "处室",
    "机关",
    "岗位",
    "廉政",
    "权责",
    "权力",
    "行政权力",
    "职权",
    "政务服务",
    "服务事项",
    "办理流程",
    "工作流程",
    "办事",
    "与",
    "职责",
    "履职",
    "清单",
    "重点工作",
    "部门职责",
    "风险",
    "关于",
    "责任",
    "事项",
];

/// The organisation a title names: the words before what the document holds, when they
/// end as an organisation's name does.
pub fn org_in_title(title: &str) -> Option<String> {
    let t: String = title.chars().filter(|c| !c.is_whitespace()).collect();
    let mut cuts: Vec<usize> = TITLE_WORDS
        .iter()
        .flat_map(|w| t.match_indices(w).map(|(p, _)| p))
        .collect();
    cuts.sort_unstable();
    for p in cuts {
        let mut name = &t[..p];
        // `…委员会2024年重点工作`: a year between name and content.
        let trimmed = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == '年' || c == '度');
        if trimmed.len() < name.len() && trimmed.len() + 3 <= name.len() {
            name = trimmed;
        }
        if nchars(name) >= 4
            && ORG_END.iter().any(|e| name.ends_with(e))
            && !name.contains(['《', '，', '。', '、', '（', '('])
        {
            return Some(name.to_string());
        }
    }
    None
}

/// Categories of power items (权责清单), as headings and cell values give them.
pub fn is_power_category(s: &str) -> bool {
    let s = s.trim();
    (s.starts_with("行政") && nchars(s) <= 8 && !s.contains(['，', '。']))
        || ["其他行政权力", "公共服务", "其他权力", "其他职权"].contains(&s)
}

/// Words of a post's name (科长, 办公室主任, 财务岗, 疫情监测员 …).
pub fn is_post_name(s: &str) -> bool {
    const END: &[&str] = &[
        "岗", "岗位", "长", "主任", "员", "会计", "出纳", "书记", "干事", "专员", "文书", "助理",
        "师", "管理", "统计",
    ];
    let s = s.trim();
    (2..=16).contains(&nchars(s))
        && END.iter().any(|e| s.ends_with(e))
        && !s.contains(['，', '。', '；', '、'])
}
