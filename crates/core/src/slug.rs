//! Slugs for URLs: an explicit id, else the pinyin of the name (`办公室` → `bangongshi`).

use pinyin::ToPinyin;

/// Longest slug made from a name; longer names are cut (uniqueness is handled by the caller).
const MAX_SLUG: usize = 60;

/// A URL-safe slug of `name`: ASCII letters and digits kept (lower case), Chinese characters
/// spelled in pinyin without tones, everything else a single `-`.
pub fn slugify(name: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else if let Some(p) = c.to_pinyin() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            // ü is written v, as in pinyin input methods, to keep slugs ASCII.
            out.push_str(&p.plain().replace('ü', "v"));
        } else {
            dash = true;
        }
        if out.len() >= MAX_SLUG {
            break;
        }
    }
    out.truncate(MAX_SLUG);
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        "x".to_string()
    } else {
        out
    }
}

/// Is `id` usable as given in a URL path segment? (No separators, no dots at the start,
/// nothing that could leave the output directory.)
pub fn is_safe_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Hands out slugs unique within one scope, suffixing `-2`, `-3` … on collisions. Slugs
/// are compared without case: they become folder and file names, and on the case-insensitive
/// file systems of Windows and macOS `Ban` and `ban` would be one folder.
#[derive(Default)]
pub struct SlugScope {
    /// Lower-cased slug → the slug as claimed (`None` for a name reserved by zhize).
    used: std::collections::HashMap<String, Option<String>>,
}

/// Why an explicit id cannot be had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clash {
    /// zhize writes a file or folder of that name there.
    Reserved,
    /// Taken already, spelt as given (the same, or differing in case only).
    Taken(String),
}

impl Clash {
    /// The problem, for an error message: `what` id `id` ….
    pub fn message(&self, what: &str, id: &str, scope: &str) -> String {
        match self {
            Clash::Reserved => {
                format!("{what} id `{id}` is reserved: zhize writes its own file or folder of that name {scope}")
            }
            Clash::Taken(other) if other == id => format!("{what} id `{id}` is used twice {scope}"),
            Clash::Taken(other) => format!(
                "{what} id `{id}` differs only in case from `{other}` {scope}: on Windows and macOS their folders would be one"
            ),
        }
    }
}

impl SlugScope {
    pub fn with_reserved(reserved: &[&str]) -> Self {
        SlugScope {
            used: reserved.iter().map(|s| (s.to_lowercase(), None)).collect(),
        }
    }
    /// Reserve `slug` exactly, or say why it is taken.
    pub fn claim_or_clash(&mut self, slug: &str) -> Result<(), Clash> {
        match self.used.entry(slug.to_lowercase()) {
            std::collections::hash_map::Entry::Occupied(e) => Err(match e.get() {
                None => Clash::Reserved,
                Some(other) => Clash::Taken(other.clone()),
            }),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(Some(slug.to_string()));
                Ok(())
            }
        }
    }
    /// Reserve `slug` exactly; false if taken (in any case).
    pub fn claim(&mut self, slug: &str) -> bool {
        self.claim_or_clash(slug).is_ok()
    }
    /// `base`, or `base-2`, `base-3` … whichever is free.
    pub fn unique(&mut self, base: &str) -> String {
        if self.claim(base) {
            return base.to_string();
        }
        (2..)
            .map(|i| format!("{base}-{i}"))
            .find(|s| self.claim(s))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_spell_chinese_in_pinyin() {
        assert_eq!(slugify("办公室"), "bangongshi");
        assert_eq!(slugify("12345 政务服务热线"), "12345-zhengwufuwurexian");
        assert_eq!(slugify("“三重一大”事项"), "sanzhongyida-shixiang");
        assert_eq!(slugify("../../etc"), "etc");
        assert_eq!(slugify("《》"), "x");
        assert_eq!(slugify("绿色发展推进科"), "lvsefazhantuijinke");
        assert!(slugify("女律师").is_ascii());
    }

    #[test]
    fn ids_that_leave_the_output_are_unsafe() {
        assert!(is_safe_id("weihai-sthjj"));
        for bad in ["../x", "/etc", "a/b", "..", ".hidden", "a\0b", "", "a b"] {
            assert!(!is_safe_id(bad), "{bad}");
        }
    }

    #[test]
    fn scopes_make_slugs_unique() {
        let mut s = SlugScope::with_reserved(&["pages"]);
        assert_eq!(s.unique("pages"), "pages-2");
        assert_eq!(s.unique("a"), "a");
        assert_eq!(s.unique("a"), "a-2");
    }

    #[test]
    fn slugs_that_differ_in_case_only_clash() {
        let mut s = SlugScope::with_reserved(&["index.html", "pages"]);
        assert_eq!(s.claim_or_clash("Ban"), Ok(()));
        assert_eq!(s.claim_or_clash("ban"), Err(Clash::Taken("Ban".into())));
        assert_eq!(s.claim_or_clash("Index.HTML"), Err(Clash::Reserved));
        assert_eq!(s.unique("BAN"), "BAN-2");
        assert_eq!(s.unique("Pages"), "Pages-2");
        assert!(Clash::Taken("Ban".into())
            .message("department", "ban", "in this organisation")
            .contains("differs only in case from `Ban`"));
    }
}
