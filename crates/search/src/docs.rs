//! What search finds: one document per department, duty, post, procedure, step, form,
//! contact, outside body and page, each with the department that handles it. The site
//! crate makes them from a resolved site (`zhize_site::search_docs`).

/// The kinds of hit, with their labels.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Department,
    Duty,
    Post,
    Procedure,
    Step,
    Form,
    Contact,
    External,
    Page,
    /// A power item (权责事项).
    Power,
}

impl Kind {
    pub const ALL: [Kind; 10] = [
        Kind::Department,
        Kind::Duty,
        Kind::Post,
        Kind::Procedure,
        Kind::Step,
        Kind::Form,
        Kind::Contact,
        Kind::External,
        Kind::Page,
        Kind::Power,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Kind::Department => "department",
            Kind::Duty => "duty",
            Kind::Post => "post",
            Kind::Procedure => "procedure",
            Kind::Step => "step",
            Kind::Form => "form",
            Kind::Contact => "contact",
            Kind::External => "external",
            Kind::Page => "page",
            Kind::Power => "power",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Kind::Department => "科室",
            Kind::Duty => "职责",
            Kind::Post => "岗位",
            Kind::Procedure => "工作流程",
            Kind::Step => "流程步骤",
            Kind::Form => "表单",
            Kind::Contact => "联系人",
            Kind::External => "外部单位",
            Kind::Page => "页面",
            Kind::Power => "权责事项",
        }
    }
    pub fn from_name(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == s)
    }
}

/// One searchable thing.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SearchDoc {
    pub kind: Kind,
    pub title: String,
    /// Path from the site root, with an anchor where the thing is part of a page.
    pub url: String,
    pub org: String,
    /// The department that handles it (empty for pages and outside bodies).
    pub department: String,
    pub post: String,
    /// Aliases, plaques and pinyin keys of the name.
    pub aliases: String,
    pub body: String,
    /// Named by its source without its content (a procedure whose document gives only its
    /// title, no steps): it ranks below complete things ([`crate::rank::INCOMPLETE_WEIGHT`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub incomplete: bool,
}

impl SearchDoc {
    /// A copy with an empty body.
    pub fn clone_without_body(&self) -> SearchDoc {
        SearchDoc {
            kind: self.kind,
            title: self.title.clone(),
            url: self.url.clone(),
            org: self.org.clone(),
            department: self.department.clone(),
            post: self.post.clone(),
            aliases: self.aliases.clone(),
            body: String::new(),
            incomplete: self.incomplete,
        }
    }
}
