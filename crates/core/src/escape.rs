//! Escaping text for HTML and SVG: the one place that turns content into markup-safe text.

/// Escape `&`, `<`, `>`, `"` and `'`, for element content and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Text from content made safe to print on a terminal: control characters (ESC, BEL, a
/// carriage return …) and the invisible direction marks that can reorder a line (U+202E …)
/// are shown as `\u{…}` escapes instead of acting on the terminal. Newlines and tabs stay.
pub fn terminal_safe(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_terminal_hazard) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_terminal_hazard(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// As [`terminal_safe`], keeping the length in bytes of every character (for source text
/// whose byte offsets mark a span): each hazard becomes a visible character as long as it.
pub fn terminal_safe_same_len(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_terminal_hazard) {
        return std::borrow::Cow::Borrowed(s);
    }
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.char_indices() {
        // A carriage return ending a line (CRLF) is harmless.
        if !is_terminal_hazard(c) || (c == '\r' && bytes.get(i + 1) == Some(&b'\n')) {
            out.push(c);
            continue;
        }
        out.push(match c.len_utf8() {
            1 => '?',
            2 => '¤',
            _ => '\u{FFFD}',
        });
        for _ in 3..c.len_utf8() {
            out.push('?');
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Characters that act on a terminal rather than show: C0 and C1 controls but newline and
/// tab, DEL, and the bidirectional formatting characters.
fn is_terminal_hazard(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        assert_eq!(terminal_safe("科\u{1b}[2J室\u{7}"), "科\\u{1b}[2J室\\u{7}");
        assert_eq!(terminal_safe("a\u{202e}b\nc\td"), "a\\u{202e}b\nc\td");
        assert!(matches!(
            terminal_safe("办公室"),
            std::borrow::Cow::Borrowed(_)
        ));
        let s = "a\u{1b}b\u{202e}c\u{85}d\r\ne\rf";
        let t = terminal_safe_same_len(s);
        assert_eq!(t.len(), s.len());
        assert_eq!(t, "a?b\u{FFFD}c¤d\r\ne?f");
    }
}
