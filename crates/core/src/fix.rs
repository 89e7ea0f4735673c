//! Full-width punctuation where YAML needs ASCII, as Chinese input methods type it: the one
//! place for these rules, used by the loader to name the mistake and by `zhize fix` to mend
//! it. Each rule changes only the characters it names; everything else of a line (its text,
//! its line ending) stays byte for byte.
//!
//! - a key followed by a full-width colon (`名称：办公室` → `名称: 办公室`);
//! - indentation with the ideographic space U+3000 (two columns wide, so two spaces);
//! - a list of names in full-width brackets or separated by full-width commas, after a key
//!   whose value is names (`协作：【财务科，办公室】` → `协作: [财务科, 办公室]`). Duty texts are
//!   never split: a comma inside a sentence is the sentence's.

use crate::model::{canonical_key, KEY_ALIASES};

/// Keys whose value is a list of names, where `，`, `、` and `；` separate items.
const NAME_LIST_KEYS: &[&str] = &[
    "with", "parties", "covers", "forms", "aliases", "plaques", "owners",
];

/// One mended line and what was mended, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mend {
    /// The line as it should be (without its line ending).
    pub fixed: String,
    /// Byte offset in the line of the first change, and its length in bytes.
    pub at: usize,
    pub len: usize,
    /// What was wrong, in words (`full-width colon “：” after \`名称\``).
    pub what: String,
    /// The same in Chinese.
    pub what_zh: String,
}

/// The line (without its line ending) with its full-width structure mended, or `None` when
/// there is nothing to mend. Comment lines are left alone.
pub fn mend_line(line: &str) -> Option<Mend> {
    let indent = line.len() - line.trim_start_matches([' ', '\u{3000}']).len();
    let (lead, rest) = line.split_at(indent);
    if rest.starts_with('#') || rest.is_empty() {
        return None;
    }
    let mut first: Option<(usize, usize, String, String)> = None;
    let mut note = |at: usize, len: usize, what: String, what_zh: String| {
        if first.is_none() {
            first = Some((at, len, what, what_zh));
        }
    };
    let mut fixed = String::with_capacity(line.len());
    if let Some(b) = lead.find('\u{3000}') {
        note(
            b,
            '\u{3000}'.len_utf8(),
            "indentation with the full-width space U+3000".into(),
            "缩进里有全角空格（U+3000）".into(),
        );
        for c in lead.chars() {
            fixed.push_str(if c == '\u{3000}' { "  " } else { " " });
        }
    } else {
        fixed.push_str(lead);
    }
    let dash = if rest.starts_with("- ") { 2 } else { 0 };
    fixed.push_str(&rest[..dash]);
    let item = &rest[dash..];
    let Some((key, value)) = full_width_key(item) else {
        fixed.push_str(item);
        return first.map(|(at, len, what, what_zh)| Mend {
            fixed,
            at,
            len,
            what,
            what_zh,
        });
    };
    note(
        indent + dash + key.len(),
        '：'.len_utf8(),
        format!("full-width colon “：” after `{key}`"),
        format!("`{key}` 后面是全角冒号“：”"),
    );
    fixed.push_str(key);
    fixed.push(':');
    let value = value.trim_start_matches([' ', '\u{3000}']);
    if !value.is_empty() {
        fixed.push(' ');
        if NAME_LIST_KEYS.contains(&canonical_key(key)) {
            fixed.push_str(&name_list(value));
        } else {
            fixed.push_str(value);
        }
    }
    first.map(|(at, len, what, what_zh)| Mend {
        fixed,
        at,
        len,
        what,
        what_zh,
    })
}

/// `key：value` where the key is one of the content format's keys (English or a Chinese
/// alias) and no ASCII `: ` comes before the full-width colon: the key and the text after the
/// colon. A duty such as `负责本科室的工作：包括预算` keeps its colon.
fn full_width_key(item: &str) -> Option<(&str, &str)> {
    let k = item.find('：')?;
    let key = &item[..k];
    let known = KEY_ALIASES
        .iter()
        .any(|(canon, aliases)| *canon == key || aliases.contains(&key));
    let ascii_before = item.find(": ").is_some_and(|c| c < k);
    (known && !ascii_before).then(|| (key, &item[k + '：'.len_utf8()..]))
}

/// A list of names written with full-width brackets or separators, in YAML's flow syntax.
fn name_list(value: &str) -> String {
    let v = value.trim_end();
    let inner = v
        .strip_prefix(['【', '[', '［'])
        .and_then(|x| x.strip_suffix(['】', ']', '］']));
    let Some(inner) = inner else {
        // Not bracketed: a single name, unless full-width separators make it several.
        if v.contains(['，', '、', '；']) && !v.starts_with(['"', '\'']) {
            return format!("[{}]", join_names(v));
        }
        return value.to_string();
    };
    format!("[{}]", join_names(inner))
}

fn join_names(inner: &str) -> String {
    inner
        .split(['，', '、', '；', ','])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A whole text mended line by line, line endings kept: the new text and, per changed line,
/// its number (1-based) and mend. `None` when nothing changes.
pub fn mend_text(text: &str) -> Option<(String, Vec<(usize, Mend)>)> {
    let mut out = String::with_capacity(text.len());
    let mut mends = Vec::new();
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let body = line.trim_end_matches(['\n', '\r']);
        match mend_line(body) {
            Some(m) => {
                out.push_str(&m.fixed);
                out.push_str(&line[body.len()..]);
                mends.push((i + 1, m));
            }
            None => out.push_str(line),
        }
    }
    (!mends.is_empty()).then_some((out, mends))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(line: &str) -> Option<String> {
        mend_line(line).map(|m| m.fixed)
    }

    #[test]
    fn a_full_width_colon_after_a_key() {
        assert_eq!(fixed("名称：办公室").as_deref(), Some("名称: 办公室"));
        assert_eq!(fixed("  - 姓名：王某").as_deref(), Some("  - 姓名: 王某"));
        assert_eq!(fixed("职责：").as_deref(), Some("职责:"));
        let m = mend_line("名称：办公室").unwrap();
        assert_eq!((m.at, m.len), ("名称".len(), 3));
        assert!(m.what.contains("`名称`"), "{}", m.what);
        // A colon inside a text that already has its key is the text's.
        assert_eq!(fixed("text: 说明：见附件"), None);
        assert_eq!(fixed("  - 负责本科室的工作：包括预算"), None);
    }

    #[test]
    fn ideographic_space_in_the_indentation() {
        assert_eq!(
            fixed("\u{3000}\u{3000}- 负责预决算").as_deref(),
            Some("    - 负责预决算")
        );
        // Inside a text it is the text's.
        assert_eq!(fixed("  - 负责\u{3000}预决算"), None);
    }

    #[test]
    fn lists_of_names_in_full_width_brackets_and_commas() {
        assert_eq!(
            fixed("    协作：【财务科，办公室】").as_deref(),
            Some("    协作: [财务科, 办公室]")
        );
        assert_eq!(
            fixed("with：财务科、办公室").as_deref(),
            Some("with: [财务科, 办公室]")
        );
        // A duty is a sentence: its commas stay.
        assert_eq!(
            fixed("主要职责：负责预算，审核支出。").as_deref(),
            Some("主要职责: 负责预算，审核支出。")
        );
    }

    #[test]
    fn clean_text_is_untouched_and_line_endings_are_kept() {
        let clean = "名称: 办公室\r\n职责:\r\n  - 负责文电：收发。\r\n# 注释：不改\n";
        assert_eq!(mend_text(clean), None);
        let (out, mends) = mend_text("名称：办公室\r\n职责:\r\n").unwrap();
        assert_eq!(out, "名称: 办公室\r\n职责:\r\n");
        assert_eq!(mends.len(), 1);
        assert_eq!(mends[0].0, 1);
    }
}
