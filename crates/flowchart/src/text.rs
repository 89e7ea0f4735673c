//! Measuring and wrapping chart text. Chinese is measured as full width (an ideograph and
//! full-width punctuation are 1 em; unicode-width decides ambiguous characters), lines break
//! only at UAX #14 opportunities (unicode-linebreak, which also keeps closing punctuation off
//! line starts and opening punctuation off line ends), and no line is left holding a single
//! character.

use unicode_linebreak::{linebreaks, BreakOpportunity};
use unicode_width::UnicodeWidthChar;

/// Width of one character in em.
pub fn char_em(c: char) -> f64 {
    match c.width_cjk() {
        Some(2) => 1.0,
        Some(0) | None => 0.0,
        _ if c.is_ascii_uppercase() || c.is_ascii_digit() => 0.62,
        _ if c == ' ' => 0.3,
        _ if c.is_ascii_punctuation() => 0.4,
        _ => 0.56,
    }
}

/// Width of a string in em.
pub fn text_em(s: &str) -> f64 {
    s.chars().map(char_em).sum()
}

/// Wrap `text` into lines no wider than `max_em`. Breaks only where UAX #14 allows; a word
/// wider than the line is split between characters as a last resort. A last line of one
/// character takes one more from the line before when a break there is allowed.
pub fn wrap(text: &str, max_em: f64) -> Vec<String> {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return Vec::new();
    }
    // Break opportunities as byte offsets (the end of the text is always one).
    let breaks: Vec<(usize, BreakOpportunity)> = linebreaks(&text).collect();
    let mut lines: Vec<String> = Vec::new();
    let mut start = 0;
    let mut last_ok: Option<usize> = None;
    let mut width = 0.0;
    let mut bi = 0;
    for (i, c) in text.char_indices() {
        // Opportunities before this character.
        while bi < breaks.len() && breaks[bi].0 <= i {
            if breaks[bi].0 > start {
                last_ok = Some(breaks[bi].0);
            }
            bi += 1;
        }
        let w = char_em(c);
        if width + w > max_em && i > start {
            let cut = match last_ok {
                Some(b) if b > start => b,
                _ => i, // no opportunity in the line: split the word here
            };
            lines.push(text[start..cut].trim_end().to_string());
            start = cut;
            width = text_em(&text[start..i]);
            last_ok = None;
        }
        width += w;
    }
    lines.push(text[start..].trim_end().to_string());
    // No single character alone on the last line.
    let n = lines.len();
    if n >= 2 && lines[n - 1].chars().count() == 1 && lines[n - 2].chars().count() >= 3 {
        let prev = lines[n - 2].clone();
        let moved = prev.chars().last().unwrap_or(' ');
        let mut kept: String = prev.chars().collect();
        kept.pop();
        // Only if the new break (before `moved`) is itself allowed by UAX #14.
        let cut_at = text_len_before(&lines[..n - 2]) + kept.len();
        let allowed = breaks.iter().any(|(b, _)| *b == cut_at);
        if allowed {
            lines[n - 2] = kept.trim_end().to_string();
            lines[n - 1] = format!("{moved}{}", lines[n - 1]);
        }
    }
    lines.retain(|l| !l.is_empty());
    lines
}

/// Byte length of the text covered by `lines` (they were cut from one string without loss,
/// apart from trailing spaces trimmed at cuts, which only ASCII text has).
fn text_len_before(lines: &[String]) -> usize {
    lines.iter().map(String::len).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_full_width_and_latin_narrower() {
        assert_eq!(text_em("办公室"), 3.0);
        assert_eq!(text_em("，。"), 2.0);
        assert!(text_em("abc") < 2.0);
    }

    #[test]
    fn lines_fit_and_keep_every_character() {
        let t = "办公室负责人审核用印内容，不符合规定的退回申请人重新填写。";
        let lines = wrap(t, 8.0);
        assert!(lines.iter().all(|l| text_em(l) <= 8.0), "{lines:?}");
        assert_eq!(lines.concat(), t);
    }

    #[test]
    fn closing_punctuation_never_starts_a_line() {
        for w in 3..12 {
            let lines = wrap("审核用印内容，不符合规定的，退回。", w as f64);
            for l in &lines[1..] {
                assert!(!l.starts_with(['，', '。', '）', '》']), "{w}: {lines:?}");
            }
        }
    }

    #[test]
    fn no_single_character_alone_on_the_last_line() {
        let lines = wrap("负责文电机要档案工作等", 10.0);
        assert!(lines.last().unwrap().chars().count() > 1, "{lines:?}");
    }
}
