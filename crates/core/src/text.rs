//! Character classes and text similarity: one definition each, for every crate.

/// A Chinese character (CJK Unified Ideographs, extension A, the compatibility ideographs
/// and the supplementary-plane extensions), as opposed to punctuation, Latin or digits.
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// A character of Chinese typesetting: a Chinese character, CJK punctuation (`、。「」`) or a
/// full-width form (`，：（）１`), around which spaces carry no meaning.
pub fn is_cjk_text(c: char) -> bool {
    is_han(c) || ('\u{3000}'..='\u{303f}').contains(&c) || ('\u{ff00}'..='\u{ffef}').contains(&c)
}

/// Similarity of two short texts, 0 to 1: the Sørensen–Dice coefficient of their character
/// bigrams (each bigram matched once), which suits Chinese titles whose words are not
/// separated. Not strsim's `sorensen_dice`: it divides by lengths in bytes, so for Chinese
/// (three bytes a character) its figures are about a third of the true ones.
pub fn similarity(a: &str, b: &str) -> f64 {
    let bigrams = |s: &str| -> Vec<(char, char)> {
        let c: Vec<char> = s.chars().collect();
        c.windows(2).map(|w| (w[0], w[1])).collect()
    };
    let (x, y) = (bigrams(a), bigrams(b));
    if x.is_empty() || y.is_empty() {
        return if a == b { 1.0 } else { 0.0 };
    }
    let mut left: std::collections::HashMap<(char, char), usize> = Default::default();
    for p in &y {
        *left.entry(*p).or_default() += 1;
    }
    let mut common = 0;
    for p in &x {
        if let Some(n) = left.get_mut(p).filter(|n| **n > 0) {
            *n -= 1;
            common += 1;
        }
    }
    2.0 * common as f64 / (x.len() + y.len()) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_characters_and_chinese_typesetting() {
        for c in ['办', '㐀', '豈', '𠀀'] {
            assert!(is_han(c), "{c}");
        }
        for c in ['，', '。', 'a', '1', ' '] {
            assert!(!is_han(c), "{c}");
        }
        assert!(is_cjk_text('，') && is_cjk_text('、') && is_cjk_text('办'));
        assert!(!is_cjk_text('a'));
        assert!(similarity("公文处理流程", "公文处理工作流程") > 0.6);
        assert_eq!(similarity("印章", "印章"), 1.0);
    }
}
