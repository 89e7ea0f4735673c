//! Headings of a rendered Markdown page: each `<h2>` and `<h3>` gets an `id` made from its
//! text and a link to itself (the heading anchor), and the list of them is the page's table
//! of contents.

use super::context::TocEntry;
use super::markdown::escape;

/// Give the `<h2>`/`<h3>` headings of `html` (as the Markdown renderer writes them, without
/// attributes) an `id` and an anchor link; returns the new HTML and the headings.
pub fn anchor_headings(html: &str) -> (String, Vec<TocEntry>) {
    let mut out = String::with_capacity(html.len() + 256);
    let mut toc = Vec::new();
    let mut used = std::collections::HashSet::new();
    let mut rest = html;
    while let Some(i) = find_heading(rest) {
        let level = if rest[i..].starts_with("<h2>") { 2 } else { 3 };
        let close = if level == 2 { "</h2>" } else { "</h3>" };
        let inner_start = i + 4;
        let Some(len) = rest[inner_start..].find(close) else {
            break;
        };
        let inner = &rest[inner_start..inner_start + len];
        let text = strip_tags(inner);
        let anchor = unique(slug(&text), &mut used);
        out.push_str(&rest[..i]);
        out.push_str(&format!(
            "<h{level} id=\"{a}\">{inner}<a class=\"heading-anchor\" href=\"#{a}\" aria-label=\"本节链接：{t}\">#</a></h{level}>",
            a = escape(&anchor),
            t = escape(&text),
        ));
        toc.push(TocEntry {
            level,
            text,
            anchor,
        });
        rest = &rest[inner_start + len + close.len()..];
    }
    out.push_str(rest);
    (out, toc)
}

/// The first `<h2>` or `<h3>` opening tag in `s`: one pass over `<h`, not a search for
/// each tag from every heading to the end.
fn find_heading(s: &str) -> Option<usize> {
    memchr::memmem::find_iter(s.as_bytes(), b"<h")
        .find(|&i| matches!(s.as_bytes().get(i + 2..i + 4), Some(b"2>") | Some(b"3>")))
}

/// The text of some HTML, entities decoded as far as the renderer writes them.
fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .trim()
        .to_string()
}

/// An `id` from a heading's text: letters, digits and Chinese characters, other runs as `-`.
fn slug(text: &str) -> String {
    let mut s = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            s.extend(c.to_lowercase());
        } else if !s.is_empty() && !s.ends_with('-') {
            s.push('-');
        }
    }
    let s = s.trim_end_matches('-');
    if s.is_empty() {
        "section".to_string()
    } else {
        format!("h-{s}")
    }
}

/// `id`, or `id-2`, `id-3` … when it is taken.
fn unique(id: String, used: &mut std::collections::HashSet<String>) -> String {
    let mut candidate = id.clone();
    let mut n = 1;
    while !used.insert(candidate.clone()) {
        n += 1;
        candidate = format!("{id}-{n}");
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_are_found_in_order_past_other_tags() {
        assert_eq!(
            find_heading("<p>x</p><h4>y</h4><hr><h3>z</h3><h2>w</h2>"),
            Some(22)
        );
        assert_eq!(find_heading("<h2>a</h2>"), Some(0));
        assert_eq!(find_heading("<h1>a</h1><header>"), None);
        let (html, toc) = anchor_headings("<h3>甲</h3><p>x</p><h2>乙</h2>");
        assert_eq!(toc.len(), 2);
        assert!(html.starts_with("<h3 id="), "{html}");
    }
}
