//! The content model: plain data types for what a site's `content/` folder holds.
//!
//! These are the shapes people write in YAML: organisations (`_org.yaml`), departments (one
//! file each), and Markdown pages with front matter. Keys are English; every key also has a
//! Chinese alias (see [`KEY_ALIASES`]) so a file written entirely in Chinese loads too. Wherever
//! a plain string will do, a plain string is accepted (a duty, a division item, a risk point).
//! No I/O happens here.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Chinese (and other) aliases of every key, mapped to the canonical English key.
/// The loader rewrites keys through this table before deserialising, so this is the only
/// place that lists them.
pub const KEY_ALIASES: &[(&str, &[&str])] = &[
    ("id", &["标识"]),
    ("name", &["名称", "名字", "姓名"]),
    ("title", &["标题"]),
    ("aliases", &["别名", "又称"]),
    ("plaques", &["牌子", "挂牌"]),
    ("level", &["级别", "规格", "风险等级"]),
    ("summary", &["主要职责", "概述", "简介"]),
    ("duties", &["细化职责", "职责", "岗位职责"]),
    ("documents", &["文件", "三定"]),
    ("staffing", &["编制", "人员编制"]),
    ("division", &["职责分工", "分工"]),
    ("external", &["外部协作", "外部单位"]),
    ("internal", &["内部分工"]),
    ("general", &["其他分工"]),
    ("with", &["协作", "对象", "相关单位"]),
    ("parties", &["相关部门", "涉及部门"]),
    ("topic", &["事项", "主题"]),
    ("text", &["内容", "正文", "说明"]),
    ("posts", &["岗位", "岗位描述"]),
    ("rank", &["职级", "岗位类别"]),
    ("headcount", &["人数", "配备人数"]),
    ("covers", &["负责", "负责职责"]),
    ("risks", &["廉政风险", "廉政风险点及防控措施"]),
    ("points", &["风险点", "廉政风险点"]),
    ("controls", &["防控措施"]),
    (
        "category",
        &["类别", "风险类别", "事项类别", "权力类型", "职权类型"],
    ),
    ("procedures", &["工作流程", "流程"]),
    ("steps", &["步骤", "环节"]),
    ("label", &["标签", "环节名称"]),
    ("actor", &["责任主体", "承办", "办理人"]),
    ("limit", &["时限", "办理时限"]),
    ("forms", &["表单", "工作标准化文本", "标准化文本"]),
    ("branches", &["分支"]),
    ("when", &["条件"]),
    ("goto", &["转到", "退回到"]),
    ("parallel", &["会签", "并行"]),
    ("notes", &["备注", "注"]),
    ("rows", &["行", "表格"]),
    ("contacts", &["联系方式", "联系人"]),
    ("phone", &["电话", "联系电话"]),
    ("address", &["地址", "办公地址"]),
    ("email", &["邮箱", "电子邮箱"]),
    ("role", &["职务"]),
    (
        "department",
        &["部门", "科室", "处室", "承办机构", "承办科室", "承办处室"],
    ),
    ("reviewed", &["审核日期", "更新日期", "最后审核"]),
    ("date", &["日期"]),
    ("by", &["审核人"]),
    ("no", &["文号", "序号", "编号"]),
    ("issuer", &["发文机关"]),
    ("body", &["全文"]),
    ("group", &["分组", "类别分组"]),
    ("page", &["页码"]),
    ("people", &["人员"]),
    ("order", &["排序"]),
    ("former_ids", &["曾用标识"]),
    ("unparsed", &["未解析"]),
    ("line", &["行号"]),
    ("units", &["内设机构数"]),
    ("legal_bases", &["执法依据", "法定依据"]),
    ("powers", &["权责事项", "职权事项", "权责清单"]),
    ("code", &["事项编码", "编码"]),
    ("basis", &["实施依据", "设定依据", "依据"]),
    ("responsibilities", &["责任事项"]),
    ("accountability", &["追责情形", "问责情形"]),
    ("fee", &["收费", "收费标准", "收费依据及标准"]),
    ("owners", &["责任人", "责任领导"]),
];

/// The categories of power items (权力类型) every site knows; a site adds its own with
/// `power_categories:` in zhize.yaml. The 权责清单 view lists categories in this order.
pub const POWER_CATEGORIES: &[&str] = &[
    "行政许可",
    "行政处罚",
    "行政强制",
    "行政征收",
    "行政给付",
    "行政检查",
    "行政确认",
    "行政奖励",
    "行政裁决",
    "其他行政权力",
    "公共服务",
];

/// The levels of an integrity risk, highest first (风险等级).
pub const RISK_LEVELS: &[&str] = &["高", "中", "低"];

/// The canonical form of a key as written in a file.
pub fn canonical_key(key: &str) -> &str {
    for (canon, aliases) in KEY_ALIASES {
        if *canon == key || aliases.contains(&key) {
            return canon;
        }
    }
    key
}

/// `_org.yaml`: an organisation (a bureau, an office) and what applies to all of it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct OrgFile {
    /// Slug used in URLs; defaults to the folder name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// 加挂…牌子: other names the body acts under.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub plaques: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// 主要职责 of the whole organisation (Markdown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The organisation's own duty list (三定 第三条).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub duties: Vec<Duty>,
    /// 三定规定 and later notices.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<Document>,
    /// 编制 and 领导职数: ordered pairs such as `行政编制: 43`, `局长: 1`.
    #[serde(skip_serializing_if = "Pairs::is_empty")]
    pub staffing: Pairs,
    /// The number of internal units the 三定 text states (`设N个内设机构`); it may differ
    /// from the number of department files (units listed outside the count).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub units: Option<u32>,
    /// Laws and regulations the organisation acts under (执法依据).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub legal_bases: Vec<String>,
    /// 权责事项 that name no department of the organisation (or name it by `department`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub powers: Vec<Power>,
    /// Procedures of the organisation as a whole (办事指南 that name no department).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub procedures: Vec<Procedure>,
    /// 有关职责分工 between this body and other bodies.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub division: Vec<DivisionItem>,
    /// Bodies outside the organisation that its text names.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub external: Vec<ExternalBody>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub people: Vec<Person>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<Contact>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reviewed: Option<Reviewed>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<i64>,
    /// Lines of an imported document that no field took, with their line numbers, so that
    /// nothing is lost; people move them into fields by hand.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unparsed: Vec<Unparsed>,
}

/// A line of an imported source that the importer could not place.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Unparsed {
    pub line: usize,
    pub text: String,
}

/// One department file: `content/<org>/<dept>.yaml`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct DeptFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub plaques: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub former_ids: Vec<String>,
    /// 主要职责 (Markdown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// 细化职责, numbered 1… in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub duties: Vec<Duty>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub posts: Vec<Post>,
    #[serde(skip_serializing_if = "Division::is_empty")]
    pub division: Division,
    #[serde(skip_serializing_if = "Risks::is_empty")]
    pub risks: Risks,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub procedures: Vec<Procedure>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub forms: Vec<Form>,
    /// 权责事项 this department carries out.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub powers: Vec<Power>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<Contact>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reviewed: Option<Reviewed>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<i64>,
    /// Lines of an imported document, within this department's part, that no field took.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unparsed: Vec<Unparsed>,
}

/// A power item (权责事项) of a 权责清单: what the body may or must do, on which legal
/// basis, who carries it out, and what brings accountability.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Power {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// 序号 as printed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no: Option<String>,
    pub name: String,
    /// 事项编码.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// 行政许可, 行政处罚 … 公共服务.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// 实施依据: laws with their articles, one per entry.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub basis: Vec<String>,
    /// 承办机构: the department that carries it out (in `_org.yaml`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// 责任事项: the duties that come with it, often stages (受理 → 审查 → 决定 → 送达).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub responsibilities: Vec<String>,
    /// 责任事项 written as steps (受理, 审查, 决定 …, each with who and a time limit), drawn
    /// as a flowchart like a procedure's.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
    /// 追责情形: the cases that bring accountability.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub accountability: Vec<String>,
    /// 办理时限.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<String>,
    /// 收费依据及标准.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fee: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Extra parts of a department kept in `content/<org>/<dept>/*.yaml` (long procedures, forms).
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct DeptPart {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub posts: Vec<Post>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub procedures: Vec<Procedure>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub forms: Vec<Form>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<Contact>,
}

/// A document such as a 三定规定.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Document {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no: Option<String>,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

/// A duty: a plain string, or a map when it needs an id, a group or the printed number.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Duty {
    Text(String),
    Full(DutyFull),
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct DutyFull {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The number printed in the source, when cross-references use it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    pub text: String,
    /// Page of the source document (003's `详见 N 页`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<Scalar>,
}

impl Duty {
    pub fn text(&self) -> &str {
        match self {
            Duty::Text(t) => t,
            Duty::Full(f) => &f.text,
        }
    }
    pub fn id(&self) -> Option<&str> {
        match self {
            Duty::Text(_) => None,
            Duty::Full(f) => f.id.as_deref(),
        }
    }
    pub fn group(&self) -> Option<&str> {
        match self {
            Duty::Text(_) => None,
            Duty::Full(f) => f.group.as_deref(),
        }
    }
    pub fn no(&self) -> Option<&str> {
        match self {
            Duty::Text(_) => None,
            Duty::Full(f) => f.no.as_deref(),
        }
    }
}

/// A string or a number, kept as written (`covers: [1, 2, duban]`, `page: 27`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Scalar {
    Int(i64),
    Text(String),
}

impl std::fmt::Display for Scalar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Scalar::Int(i) => write!(f, "{i}"),
            Scalar::Text(t) => f.write_str(t),
        }
    }
}

/// A post (岗位) and the duties it covers.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Post {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// 正职 / 副职 / 业务岗位 …
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headcount: Option<u32>,
    /// Which of the department's detailed duties it handles: numbers (1-based) or duty ids.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub covers: Vec<Scalar>,
    /// What the post itself does (岗位职责).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub duties: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<Contact>,
}

/// How `division:` may be written: the three lists, or one list of unsplit items.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum DivisionForm {
    List(Vec<DivisionItem>),
    Split(DivisionSplit),
}

/// The three lists of [`Division`] as written.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct DivisionSplit {
    pub external: Vec<DivisionItem>,
    pub internal: Vec<DivisionItem>,
    pub general: Vec<DivisionItem>,
}

impl From<DivisionForm> for Division {
    fn from(form: DivisionForm) -> Division {
        match form {
            DivisionForm::List(general) => Division {
                general,
                ..Division::default()
            },
            DivisionForm::Split(s) => Division {
                external: s.external,
                internal: s.internal,
                general: s.general,
            },
        }
    }
}

/// 职责分工: external (with other bodies), internal (with other departments), or unsplit.
/// A plain list under `division:` (what a clerk writes first) is read as unsplit items.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default, from = "DivisionForm")]
pub struct Division {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub external: Vec<DivisionItem>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub internal: Vec<DivisionItem>,
    /// Items the source does not split into external and internal.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub general: Vec<DivisionItem>,
}

/// One division item: a plain text, or who it is with, a topic and the text.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum DivisionItem {
    Text(String),
    Full(DivisionFull),
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct DivisionFull {
    /// Departments or outside bodies the item is with.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "one_or_many"
    )]
    #[schemars(with = "OneOrMany")]
    pub with: Vec<String>,
    /// Same as `with`, the word used in organisation-level division.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "one_or_many"
    )]
    #[schemars(with = "OneOrMany")]
    pub parties: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    pub text: String,
}

impl Division {
    pub fn is_empty(&self) -> bool {
        self.external.is_empty() && self.internal.is_empty() && self.general.is_empty()
    }
}

impl Risks {
    pub fn is_empty(&self) -> bool {
        self.points.is_empty() && self.controls.is_empty()
    }
}

impl Pairs {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl DivisionItem {
    pub fn text(&self) -> &str {
        match self {
            DivisionItem::Text(t) => t,
            DivisionItem::Full(f) => &f.text,
        }
    }
    pub fn topic(&self) -> Option<&str> {
        match self {
            DivisionItem::Text(_) => None,
            DivisionItem::Full(f) => f.topic.as_deref(),
        }
    }
    /// The names the item is with (`with` and `parties` together).
    pub fn with(&self) -> Vec<&str> {
        match self {
            DivisionItem::Text(_) => Vec::new(),
            DivisionItem::Full(f) => f
                .with
                .iter()
                .chain(&f.parties)
                .map(String::as_str)
                .collect(),
        }
    }
    /// Path segment of the `with` entry `i`, for locating it in the file.
    pub fn with_key(&self, i: usize) -> String {
        match self {
            DivisionItem::Full(f) if i >= f.with.len() => format!("parties.{}", i - f.with.len()),
            _ => format!("with.{i}"),
        }
    }
}

/// 廉政风险点及防控措施.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Risks {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub points: Vec<RiskPoint>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RiskPoint {
    Text(String),
    Full(RiskFull),
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RiskFull {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// 高 / 中 / 低.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    pub text: String,
    /// This risk's own control measures (the department's `controls` hold unlinked ones).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<String>,
    /// People or posts responsible (责任人, 责任领导).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub owners: Vec<String>,
}

impl RiskPoint {
    pub fn text(&self) -> &str {
        match self {
            RiskPoint::Text(t) => t,
            RiskPoint::Full(f) => &f.text,
        }
    }
    pub fn category(&self) -> Option<&str> {
        match self {
            RiskPoint::Text(_) => None,
            RiskPoint::Full(f) => f.category.as_deref(),
        }
    }
    pub fn level(&self) -> Option<&str> {
        match self {
            RiskPoint::Text(_) => None,
            RiskPoint::Full(f) => f.level.as_deref(),
        }
    }
}

/// A procedure (工作流程) with its steps.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Procedure {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Text before the first step (Markdown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
    /// Text after the last step, notes (Markdown).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Forms the procedure as a whole uses.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub forms: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<Contact>,
}

/// One step of a procedure.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Step {
    /// Short name of the step (拟稿, 核稿); branches refer to it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Who does it: a post, a department, a role (分管领导) or an outside body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Time limit (2个工作日).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub forms: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub branches: Vec<Branch>,
    /// Actors who act in parallel (会签).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parallel: Vec<String>,
}

/// A decision exit of a step: when the condition holds, go to another step.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Branch {
    pub when: String,
    /// Label (or 1-based number) of the step to go to; empty means the procedure ends.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub goto: Option<Scalar>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// A standard form (标准化文本) as a table.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Form {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Table rows; the first row is the header when it is a header-style form.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<Vec<String>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// One name, or a list of names.
#[derive(JsonSchema)]
#[schemars(untagged)]
#[allow(dead_code)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// A list of names that may also be written as one name (`with: 财务科` for
/// `with: [财务科]`), as a clerk naming one department writes it.
fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    struct Names;
    impl<'de> serde::de::Visitor<'de> for Names {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a name or a list of names")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(vec![v.to_string()])
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            let mut names = Vec::new();
            while let Some(n) = seq.next_element::<String>()? {
                names.push(n);
            }
            Ok(names)
        }
    }
    d.deserialize_any(Names)
}

/// A text, or a whole number read as its digits (a telephone number written without quotes).
#[derive(JsonSchema)]
#[schemars(untagged)]
#[allow(dead_code)]
enum TextOrNumber {
    Text(String),
    Whole(u64),
}

/// An optional text, taking a whole number (`5200002`) as its digits: a clerk need not know
/// that YAML reads digits as a number. Numbers with a fraction or a sign are still refused.
fn text_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    struct Text;
    impl<'de> serde::de::Visitor<'de> for Text {
        type Value = Option<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a text such as a telephone number")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(Text)
        }
    }
    d.deserialize_any(Text)
}

/// A contact point.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Contact {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// A number written without quotes (`phone: 5200002`) is read as its digits.
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "text_or_number"
    )]
    #[schemars(with = "Option<TextOrNumber>")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
}

/// A person named in the content (002's 责任人).
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Person {
    pub name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// A number written without quotes (`phone: 5200002`) is read as its digits.
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "text_or_number"
    )]
    #[schemars(with = "Option<TextOrNumber>")]
    pub phone: Option<String>,
}

/// A body outside the organisation (a bureau, a provincial department).
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ExternalBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

/// When a list was last checked: a date, or a date and who checked it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Reviewed {
    Date(String),
    Full { date: String, by: Option<String> },
}

impl Reviewed {
    pub fn date(&self) -> &str {
        match self {
            Reviewed::Date(d) => d,
            Reviewed::Full { date, .. } => date,
        }
    }
    pub fn by(&self) -> Option<&str> {
        match self {
            Reviewed::Date(_) => None,
            Reviewed::Full { by, .. } => by.as_deref(),
        }
    }
}

/// Ordered key/value pairs written as a YAML map (`行政编制: 43`).
#[derive(Debug, Clone, Default)]
pub struct Pairs(pub Vec<(String, String)>);

impl JsonSchema for Pairs {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Pairs".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Ordered pairs written as a map: an item and its value (行政编制: 43).",
            "type": "object",
            "additionalProperties": {"type": ["string", "number", "boolean", "null"]}
        })
    }
}

impl Serialize for Pairs {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Pairs {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = serde_yaml::Mapping::deserialize(d)?;
        Ok(Pairs(
            map.into_iter()
                .map(|(k, v)| (scalar_text(&k), scalar_text(&v)))
                .collect(),
        ))
    }
}

fn scalar_text(v: &serde_yaml::Value) -> String {
    match v {
        serde_yaml::Value::String(s) => s.clone(),
        serde_yaml::Value::Number(n) => n.to_string(),
        serde_yaml::Value::Bool(b) => b.to_string(),
        serde_yaml::Value::Null => String::new(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

/// Front matter of a Markdown page.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PageMeta {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub title: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reviewed: Option<Reviewed>,
    /// Position in page lists; lower first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<i64>,
}
