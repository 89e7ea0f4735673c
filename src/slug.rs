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

/// Hands out slugs unique within one scope, suffixing `-2`, `-3` … on collisions.
#[derive(Default)]
pub struct SlugScope {
    used: std::collections::HashSet<String>,
}

impl SlugScope {
    pub fn with_reserved(reserved: &[&str]) -> Self {
        SlugScope {
            used: reserved.iter().map(|s| s.to_string()).collect(),
        }
    }
    /// Reserve `slug` exactly; false if taken.
    pub fn claim(&mut self, slug: &str) -> bool {
        self.used.insert(slug.to_string())
    }
    /// `base`, or `base-2`, `base-3` … whichever is free.
    pub fn unique(&mut self, base: &str) -> String {
        if self.used.insert(base.to_string()) {
            return base.to_string();
        }
        (2..)
            .map(|i| format!("{base}-{i}"))
            .find(|s| self.used.insert(s.clone()))
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
}
