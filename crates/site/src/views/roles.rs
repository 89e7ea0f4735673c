//! Reading roles out of the government's own words: who 牵头, who 主办, who 协办 or 配合, and
//! who is only 知会 (told, sent a copy, filed with).
//!
//! A text is split into sentences (at 。；) and phrases (at ，). The departments at the start
//! of a phrase are its subject (`装备产业科、产业政策科分别负责…`); a phrase without one
//! carries on the subject before it, and the first one falls back to the text's owner (the
//! department whose file holds it). The subject's role comes from the phrase's verb: 牵头 →
//! 牵头; 负责 → 牵头 for the owner, 主办 for another department; 配合 / 协助 / 参与 → 配合;
//! 协办 → 协办. A department named inside a phrase takes its role from the words before it:
//! 报 / 抄送 / 知会 / 告知 X → 知会; 配合 / 协助 X → X 牵头; 会同 / 与 X → 协办. The strongest
//! role wins when a department is named more than once. Every role keeps the phrase it was
//! read from, so a page can show why.

use super::names::DeptMention;

/// A role in a shared duty, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Role {
    /// 牵头: leads, answers for the result.
    Lead,
    /// 主办: does the main work.
    Main,
    /// 协办: works on it together with the lead.
    Assist,
    /// 配合: supports when asked.
    Support,
    /// 知会: is told or receives a copy (报…备案, 抄送).
    Inform,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Lead,
        Role::Main,
        Role::Assist,
        Role::Support,
        Role::Inform,
    ];

    /// The government's word for it.
    pub fn label(self) -> &'static str {
        match self {
            Role::Lead => "牵头",
            Role::Main => "主办",
            Role::Assist => "协办",
            Role::Support => "配合",
            Role::Inform => "知会",
        }
    }

    /// A CSS class and letter (RACI-like).
    pub fn class(self) -> &'static str {
        match self {
            Role::Lead => "lead",
            Role::Main => "main",
            Role::Assist => "assist",
            Role::Support => "support",
            Role::Inform => "inform",
        }
    }

    /// What the role means, for the legend.
    pub fn meaning(self) -> &'static str {
        match self {
            Role::Lead => "牵头负责，对结果负总责（文中“牵头”，或本科室“负责”）",
            Role::Main => "承担主要工作（流程步骤的办理者，或文中“负责”的其他科室）",
            Role::Assist => "共同办理（分工条目所列协作科室、会签、“会同”）",
            Role::Support => "按要求配合（文中“配合”“协助”“参与”）",
            Role::Inform => "知悉、备案或抄送（文中“报…备案”“抄送”“知会”）",
        }
    }
}

/// A role found in a text: whose, which, and the phrase it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub dept: usize,
    pub role: Role,
    pub why: String,
}

const INFORM_BEFORE: &[&str] = &[
    "抄送", "抄报", "知会", "告知", "通报", "报送", "报告", "报备", "报", "送",
];
const LEAD_BEFORE: &[&str] = &["配合", "协助", "支持", "服从"];
const ASSIST_BEFORE: &[&str] = &["会同", "协同", "联合", "与", "同"];
const SUPPORT_WORDS: &[&str] = &["配合", "协助", "参与", "协同"];
const MAIN_WORDS: &[&str] = &["负责", "主办", "承办", "具体", "做好", "办理", "组织"];
/// What may join departments at the start of a phrase: 大气环境科、水生态环境科和….
const JOINERS: &str = "、和与及，, ";

fn is_break(c: char, phrase: bool) -> bool {
    matches!(c, '。' | '；' | ';' | '！' | '？' | '\n') || (phrase && matches!(c, '，' | ','))
}

/// Roles of the departments named in `text` (`mentions`, from [`super::names::Finder`]),
/// with `owner` the department whose text it is. The owner gets a role only from the text;
/// callers decide its default.
pub fn roles_in(text: &str, mentions: &[DeptMention], owner: Option<usize>) -> Vec<Found> {
    let mut found: Vec<Found> = Vec::new();
    let mut give = |dept: usize, role: Role, why: &str| {
        let why = why.trim().to_string();
        match found.iter_mut().find(|f| f.dept == dept) {
            Some(f) if role < f.role => {
                f.role = role;
                f.why = why;
            }
            Some(_) => {}
            None => found.push(Found { dept, role, why }),
        }
    };
    // Sentences, then phrases.
    let bounds = |start: usize, end: usize, phrase: bool| -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut s = start;
        for (i, c) in text[start..end].char_indices() {
            if is_break(c, phrase) {
                out.push((s, start + i));
                s = start + i + c.len_utf8();
            }
        }
        out.push((s, end));
        out
    };
    for (ss, se) in bounds(0, text.len(), false) {
        let sentence = &text[ss..se];
        let mut subject: Vec<usize> = owner.into_iter().collect();
        for (ps, pe) in bounds(ss, se, true) {
            let phrase = &text[ps..pe];
            let why = if sentence.chars().count() <= 80 {
                sentence
            } else {
                phrase
            };
            let inside: Vec<&DeptMention> = mentions
                .iter()
                .filter(|m| m.start >= ps && m.end <= pe)
                .collect();
            // The subject: departments at the start of the phrase.
            let mut subj = Vec::new();
            let mut at = ps;
            let lead_in = ["由", "并", "另", "同时", "其中"];
            for l in lead_in {
                if text[at..pe].starts_with(l) {
                    at += l.len();
                }
            }
            let mut last_subject_end = at;
            for m in &inside {
                let gap = &text[at..m.start];
                if gap.chars().all(|c| JOINERS.contains(c)) {
                    subj.push(m.dept);
                    at = m.end;
                    last_subject_end = m.end;
                } else {
                    break;
                }
            }
            if !subj.is_empty() {
                subject = subj.clone();
            }
            // The verb right after the subject decides its role.
            let rest = &text[last_subject_end..pe];
            let head: String = rest.chars().take(8).collect();
            let subject_role = if head.contains("牵头") {
                Some(Role::Lead)
            } else if SUPPORT_WORDS.iter().any(|w| head.starts_with(w))
                || (!subj.is_empty() && SUPPORT_WORDS.iter().any(|w| head.contains(w)))
            {
                Some(Role::Support)
            } else if head.contains("协办") {
                Some(Role::Assist)
            } else if MAIN_WORDS.iter().any(|w| head.starts_with(w)) || !subj.is_empty() {
                // A named subject does the work even without a verb we know.
                Some(Role::Main)
            } else {
                None
            };
            if let Some(r) = subject_role {
                for &d in &subject {
                    let r = match r {
                        Role::Main if head.contains("负责") && Some(d) == owner => Role::Lead,
                        r => r,
                    };
                    give(d, r, why);
                }
            }
            // Departments named later in the phrase.
            for m in inside.iter().filter(|m| !subj.contains(&m.dept)) {
                let before = &text[ps..m.start];
                let after: String = text[m.end..pe].chars().take(6).collect();
                let role = if INFORM_BEFORE.iter().any(|w| before.ends_with(w))
                    || after.starts_with("备案")
                {
                    Role::Inform
                } else if LEAD_BEFORE.iter().any(|w| before.ends_with(w)) || after.contains("牵头")
                {
                    Role::Lead
                } else if SUPPORT_WORDS.iter().any(|w| after.starts_with(w)) {
                    Role::Support
                } else if after.starts_with("负责") {
                    Role::Main
                } else if ASSIST_BEFORE.iter().any(|w| before.ends_with(w)) {
                    Role::Assist
                } else {
                    Role::Support
                };
                give(m.dept, role, why);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Mentions of the given names (department = index in `names`).
    fn mentions(text: &str, names: &[&str]) -> Vec<DeptMention> {
        let mut out = Vec::new();
        for (d, n) in names.iter().enumerate() {
            for (i, _) in text.match_indices(n) {
                out.push(DeptMention {
                    start: i,
                    end: i + n.len(),
                    dept: d,
                });
            }
        }
        out.sort_by_key(|m| m.start);
        out
    }

    fn role_of(found: &[Found], d: usize) -> Option<Role> {
        found.iter().find(|f| f.dept == d).map(|f| f.role)
    }

    #[test]
    fn subjects_and_verbs() {
        let names = ["规划与技术改造科", "装备产业科"];
        let t = "产业集群培育工作。规划与技术改造科负责牵头开展产业集群发展推进工作；装备产业科牵头负责先进装备产业集群发展推进工作。";
        let f = roles_in(t, &mentions(t, &names), Some(1));
        assert_eq!(role_of(&f, 0), Some(Role::Lead));
        assert_eq!(role_of(&f, 1), Some(Role::Lead));
    }

    #[test]
    fn reporting_is_inform_and_other_departments_doing_work_is_main() {
        let names = ["产业政策科", "装备产业科"];
        let t =
            "产业政策科负责政策总体制定，装备产业科负责智能制造相关政策制定并报产业政策科汇总。";
        let f = roles_in(t, &mentions(t, &names), Some(1));
        assert_eq!(role_of(&f, 0), Some(Role::Main));
        assert_eq!(role_of(&f, 1), Some(Role::Lead));
    }

    #[test]
    fn subjectless_text_belongs_to_the_owner() {
        let names = ["办公室", "财务审计科"];
        let t = "配合办公室做好固定资产清查。";
        let f = roles_in(t, &mentions(t, &names), Some(1));
        assert_eq!(role_of(&f, 1), Some(Role::Support));
        assert_eq!(role_of(&f, 0), Some(Role::Lead));
        let t = "材料报办公室备案。";
        let f = roles_in(t, &mentions(t, &names), Some(1));
        assert_eq!(role_of(&f, 0), Some(Role::Inform));
    }

    #[test]
    fn several_subjects_share_the_verb() {
        let names = ["大气环境科", "水生态环境科", "财务审计科"];
        let t =
            "大气环境科、水生态环境科分别负责专项资金项目库的建设；财务审计科负责对接财政部门。";
        let f = roles_in(t, &mentions(t, &names), Some(2));
        assert_eq!(role_of(&f, 0), Some(Role::Main));
        assert_eq!(role_of(&f, 1), Some(Role::Main));
        assert_eq!(role_of(&f, 2), Some(Role::Lead));
    }
}
