//! Markdown to HTML with pulldown-cmark: mention links, safe URLs, raw HTML dropped unless
//! allowed, and code blocks highlighted with syntect.

use crate::resolve::{Linker, Target};
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use std::sync::OnceLock;
use syntect::highlighting::ThemeSet;
use syntect::parsing::SyntaxSet;

/// What a Markdown text needs to link mentions: the linker, where each target's page is,
/// and the target whose own page this is (not linked to itself).
pub struct LinkCtx<'a> {
    pub linker: &'a Linker,
    /// Relative URL of a target's page from the page being rendered.
    pub href: &'a dyn Fn(Target) -> String,
    /// Mentions of these targets are left as text (the page itself).
    pub skip: &'a dyn Fn(Target) -> bool,
}

/// Syntax highlighting, loaded once per run (syntect's default sets are large).
pub struct Highlighter {
    syntaxes: SyntaxSet,
    theme: syntect::highlighting::Theme,
}

impl Highlighter {
    pub fn new(theme_name: &str) -> Highlighter {
        static THEMES: OnceLock<ThemeSet> = OnceLock::new();
        let themes = THEMES.get_or_init(ThemeSet::load_defaults);
        let theme = themes
            .themes
            .get(theme_name)
            .or_else(|| themes.themes.get("InspiredGitHub"))
            .cloned()
            .unwrap_or_default();
        Highlighter {
            syntaxes: SyntaxSet::load_defaults_newlines(),
            theme,
        }
    }

    /// Highlighted HTML for a code block, or `None` for an unknown language.
    fn highlight(&self, code: &str, lang: &str) -> Option<String> {
        let syntax = self.syntaxes.find_syntax_by_token(lang)?;
        syntect::html::highlighted_html_for_string(code, &self.syntaxes, syntax, &self.theme).ok()
    }
}

pub use zhize_core::escape::escape;

/// Is a link destination safe to emit? Relative URLs, anchors, http(s), mailto and tel only.
pub fn safe_url(url: &str) -> bool {
    let lower: String = url
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    match lower.split_once(':') {
        None => true,
        Some((scheme, _))
            if scheme.contains('/') || scheme.contains('?') || scheme.contains('#') =>
        {
            true
        }
        Some((scheme, _)) => matches!(scheme, "http" | "https" | "mailto" | "tel"),
    }
}

/// Does `url` name a file of the site itself (a relative or root-relative path)? Images must:
/// the site loads nothing from the internet. No scheme (`http:`, `data:` …), and not
/// protocol-relative (`//host/p.png`, which browsers also accept written with backslashes).
pub fn is_local_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    let mut start = cleaned.chars();
    let two: String = start.by_ref().take(2).collect();
    let protocol_relative = two.chars().all(|c| c == '/' || c == '\\') && two.len() == 2;
    let has_scheme = match cleaned.split_once(':') {
        None => false,
        Some((scheme, _)) => !scheme.contains(['/', '?', '#']),
    };
    !protocol_relative && !has_scheme
}

/// Render `text` with mentions linked. `inline` drops a single wrapping paragraph, for short
/// fields such as a duty or a step.
pub fn render(
    text: &str,
    ctx: &LinkCtx<'_>,
    allow_html: bool,
    hl: &Highlighter,
    inline: bool,
) -> String {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_FOOTNOTES);
    opts.insert(Options::ENABLE_TASKLISTS);
    // With raw HTML allowed, the rendered text goes through the sanitiser; code blocks and
    // charts (built here, already escaped) wait outside it as placeholders. The placeholder
    // characters are taken out of the text so that content cannot forge one.
    let unforgeable;
    let text = if allow_html && text.contains([BLOCK_OPEN, BLOCK_CLOSE]) {
        unforgeable = text.replace([BLOCK_OPEN, BLOCK_CLOSE], "\u{FFFD}");
        unforgeable.as_str()
    } else {
        text
    };
    let mut blocks: Vec<String> = Vec::new();
    let parser = Parser::new_ext(text, opts);
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut link_depth = 0usize;
    let mut charts = 0usize;
    let mut code: Option<(String, String)> = None; // (lang, text) while inside a code block
    for ev in parser {
        if let Some((lang, buf)) = code.as_mut() {
            match ev {
                Event::Text(t) => buf.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let html = if zhize_flowchart::mermaid::is_flowchart_lang(lang) {
                        charts += 1;
                        flowchart_html(buf, charts)
                    } else {
                        hl.highlight(buf, lang)
                            .unwrap_or_else(|| format!("<pre><code>{}</code></pre>\n", escape(buf)))
                    };
                    if allow_html {
                        events.push(Event::Html(
                            format!("{BLOCK_OPEN}{}{BLOCK_CLOSE}", blocks.len()).into(),
                        ));
                        blocks.push(html);
                    } else {
                        events.push(Event::Html(html.into()));
                    }
                    code = None;
                }
                _ => {}
            }
            continue;
        }
        match ev {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(l) => {
                        l.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                link_depth += 1;
                let dest_url = if safe_url(&dest_url) {
                    dest_url
                } else {
                    CowStr::from("#")
                };
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::End(TagEnd::Link) => {
                link_depth = link_depth.saturating_sub(1);
                events.push(Event::End(TagEnd::Link));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                link_depth += 1;
                let dest_url = if is_local_url(&dest_url) {
                    dest_url
                } else {
                    // Images from the internet would not load offline; keep the alt text.
                    CowStr::from("")
                };
                events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::End(TagEnd::Image) => {
                link_depth = link_depth.saturating_sub(1);
                events.push(Event::End(TagEnd::Image));
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                if allow_html {
                    events.push(Event::Html(h));
                }
            }
            Event::Text(t) if link_depth == 0 => push_linked(&mut events, t, ctx),
            other => events.push(other),
        }
    }
    let mut html = String::with_capacity(text.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if allow_html {
        html = restore_blocks(&sanitise(&html), &blocks);
    }
    if inline {
        let trimmed = html.trim_end();
        if let Some(inner) = trimmed
            .strip_prefix("<p>")
            .and_then(|s| s.strip_suffix("</p>"))
        {
            if !inner.contains("<p>") {
                return inner.to_string();
            }
        }
    }
    html
}

/// Placeholder brackets (private-use characters) around the number of a code block while
/// the rest of a text is sanitised.
const BLOCK_OPEN: char = '\u{E000}';
const BLOCK_CLOSE: char = '\u{E001}';

/// Sanitise HTML that holds raw HTML from content (`allow_html: true`) with ammonia: only
/// harmless tags and attributes stay. `<script>` and `<style>` go with their content; `on*`
/// attributes, `style` (but table alignment), forms, frames and embeds go; URLs must be
/// relative or http(s), mailto or tel, so no `javascript:` or `data:` URL survives.
pub fn sanitise(html: &str) -> String {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER
        .get_or_init(|| {
            let mut b = ammonia::Builder::default();
            b.url_schemes(["http", "https", "mailto", "tel"].into())
                .link_rel(None)
                // Mentions and footnotes carry classes and ids.
                .add_generic_attributes(["class", "id"])
                .add_tags(["input"])
                .add_tag_attributes("input", ["type", "checked", "disabled"])
                .add_tag_attributes("th", ["style"])
                .add_tag_attributes("td", ["style"])
                .attribute_filter(|element, attribute, value| match (element, attribute) {
                    // Task list boxes only.
                    ("input", "type") => (value == "checkbox").then(|| value.into()),
                    // Images from the site itself only (nothing loads from the internet).
                    ("img", "src" | "srcset") => is_local_url(value).then(|| value.into()),
                    // pulldown-cmark's column alignment only.
                    (_, "style") => matches!(
                        value,
                        "text-align: left" | "text-align: center" | "text-align: right"
                    )
                    .then(|| value.into()),
                    _ => Some(value.into()),
                });
            b
        })
        .clean(html)
        .to_string()
}

/// Put the code blocks back in place of their placeholders.
fn restore_blocks(html: &str, blocks: &[String]) -> String {
    if blocks.is_empty() {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + blocks.iter().map(String::len).sum::<usize>());
    let mut rest = html;
    while let Some(i) = rest.find(BLOCK_OPEN) {
        out.push_str(&rest[..i]);
        let after = &rest[i + BLOCK_OPEN.len_utf8()..];
        let Some(j) = after.find(BLOCK_CLOSE) else {
            rest = after;
            continue;
        };
        if let Some(block) = after[..j].parse::<usize>().ok().and_then(|n| blocks.get(n)) {
            out.push_str(block);
        }
        rest = &after[j + BLOCK_CLOSE.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// A ```flowchart block drawn as SVG; a block with a syntax error is shown as code (the
/// error itself is reported by `resolve`, which fails the build).
fn flowchart_html(src: &str, n: usize) -> String {
    match zhize_flowchart::mermaid::parse(src, "流程图") {
        Ok(chart) => format!(
            "<figure class=\"chart\">{}</figure>\n",
            zhize_flowchart::render(&chart, &format!("md-chart-{n}"))
        ),
        Err(_) => format!(
            "<pre class=\"flowchart-error\"><code>{}</code></pre>\n",
            escape(src)
        ),
    }
}

fn push_linked<'a>(events: &mut Vec<Event<'a>>, text: CowStr<'a>, ctx: &LinkCtx<'_>) {
    let mentions = ctx.linker.find(&text);
    if mentions.is_empty() {
        events.push(Event::Text(text));
        return;
    }
    let mut last = 0;
    for m in mentions {
        if (ctx.skip)(m.target) {
            continue;
        }
        if m.start > last {
            events.push(Event::Text(CowStr::from(text[last..m.start].to_string())));
        }
        events.push(Event::InlineHtml(CowStr::from(format!(
            "<a class=\"mention\" href=\"{}\">{}</a>",
            escape(&(ctx.href)(m.target)),
            escape(&text[m.start..m.end])
        ))));
        last = m.end;
    }
    if last < text.len() {
        events.push(Event::Text(CowStr::from(text[last..].to_string())));
    }
}

/// Plain text of a Markdown string (for titles, snippets and search).
pub fn plain(text: &str) -> String {
    let mut out = String::new();
    for ev in Parser::new(text) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => out.push(' '),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// The plain text of the start of a Markdown string: [`plain`] of the whole text when it
/// has at most `chars` characters other than white space, else a text whose first `chars`
/// such characters, white space between them, are those of [`plain`]'s. A page's description
/// needs only its start, and reading a long page to the end for it cost a twentieth of a
/// large build.
pub fn plain_start(text: &str, chars: usize) -> String {
    // The text is cut at a blank line, where a block ends, after enough of it; a reference
    // definition (`[x]: …`, `[^x]: …`) after the cut could change what is before it, so
    // such texts are read whole.
    let mut want = chars.saturating_mul(8).max(256);
    while want < text.len() {
        let from = (0..=want)
            .rev()
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0);
        let Some(cut) = memchr::memmem::find(&text.as_bytes()[from..], b"\n\n").map(|i| from + i)
        else {
            break;
        };
        if memchr::memmem::find(&text.as_bytes()[cut..], b"]:").is_some() {
            break;
        }
        let start = plain(&text[..cut]);
        if start.chars().filter(|c| !c.is_whitespace()).count() > chars {
            return start;
        }
        want = want.saturating_mul(4);
    }
    plain(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The start is the whole text's plain text up to `chars` characters, words
        /// joined by one space.
        #[test]
        fn plain_start_agrees_with_plain(
            paras in proptest::collection::vec("(- |# |> |    |```\\n|\\| a \\| b \\|\\n)?[a-z印章 *_`\\[\\]:]{0,60}", 0..40),
            chars in 0usize..40,
        ) {
            let text = paras.join("\n\n");
            let words = |t: &str| -> String {
                let one: String = t.split_whitespace().collect::<Vec<_>>().join(" ");
                let mut n = 0;
                one.chars()
                    .take_while(|c| {
                        n += !c.is_whitespace() as usize;
                        n <= chars
                    })
                    .collect()
            };
            proptest::prop_assert_eq!(words(&plain_start(&text, chars)), words(&plain(&text)));
        }

        /// The first `chars` characters, white space included, are [`plain`]'s too: the
        /// static index keeps that many of a page.
        #[test]
        fn plain_start_begins_as_plain_does(
            paras in proptest::collection::vec("(- |# |> |    |```\\n|\\| a \\| b \\|\\n)?[a-z印章 *_`\\[\\]:]{0,60}", 0..40),
            chars in 0usize..40,
        ) {
            let text = paras.join("\n\n");
            let head = |t: &str| -> String { t.chars().take(chars).collect() };
            proptest::prop_assert_eq!(head(&plain_start(&text, chars)), head(&plain(&text)));
        }
    }

    #[test]
    fn dangerous_urls_are_refused() {
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\tscript:x",
            "data:text/html,x",
            "vbscript:x",
        ] {
            assert!(!safe_url(bad), "{bad}");
        }
        for good in [
            "../a/index.html",
            "#duty-1",
            "https://example.org",
            "mailto:a@b",
            "a/b:c",
        ] {
            assert!(safe_url(good), "{good}");
        }
    }

    #[test]
    fn images_come_from_the_site_only() {
        for away in [
            "//host/p.png",
            " //host/p.png",
            "\\\\host/p.png",
            "/\\host/p.png",
            "\\/host/p.png",
            "https://host/p.png",
            "HTTP://host/p.png",
            "data:image/png;base64,AA",
            "ftp://host/p.png",
        ] {
            assert!(!is_local_url(away), "{away}");
        }
        for local in [
            "p.png",
            "../static/p.png",
            "/static/p.png",
            "a/b:c.png",
            "#x",
        ] {
            assert!(is_local_url(local), "{local}");
        }
    }

    #[test]
    fn a_protocol_relative_image_is_not_emitted() {
        let linker = crate::resolve::Linker::default();
        let ctx = LinkCtx {
            linker: &linker,
            href: &|_| String::new(),
            skip: &|_| false,
        };
        let hl = Highlighter::new("InspiredGitHub");
        for allow_html in [false, true] {
            let html = render(
                "![x](//evil.example/p.png) <img src=\"//evil.example/q.png\">",
                &ctx,
                allow_html,
                &hl,
                false,
            );
            assert!(!html.contains("evil.example"), "{html}");
        }
    }
}
