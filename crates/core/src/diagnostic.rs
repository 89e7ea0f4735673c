//! Problems found in a user's site, with where they are and what to do about them.
//!
//! Every stage collects [`Diagnostic`]s instead of stopping at the first one, so a run reports
//! all of its problems together. A diagnostic names its file, line and column; rendering uses
//! miette so that a terminal shows the offending line with a caret under it.
//!
//! Messages are shown in the site's language ([`Lang`]): a diagnostic carries its English
//! text and, where it has one, its Chinese text; a message without Chinese is shown in English.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How bad a problem is: errors fail `build` and `check`, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// A position in a source file: 1-based line and column (in characters), and the byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
    #[serde(skip)]
    pub offset: usize,
    #[serde(skip)]
    pub len: usize,
}

/// The language messages are shown in: the site's (`language:` in zhize.yaml, Chinese by
/// default), or the one asked for with `--lang`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// The language of messages for a site whose pages are in `language` (`zh-CN`, `en` …):
    /// Chinese for a Chinese site, English otherwise.
    pub fn of_site(language: &str) -> Lang {
        if language.trim().to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// `zh`/`zh-CN`/`中文` or `en`/`english`, as given to `--lang`.
    pub fn parse(text: &str) -> Option<Lang> {
        match text.trim().to_ascii_lowercase().as_str() {
            "zh" | "中文" | "cn" | "chinese" => Some(Lang::Zh),
            t if t.starts_with("zh-") => Some(Lang::Zh),
            "en" | "english" => Some(Lang::En),
            t if t.starts_with("en-") => Some(Lang::En),
            _ => None,
        }
    }

    /// The English or the Chinese of a pair.
    pub fn pick<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// One problem: what is wrong, where, and a hint on what to do.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path as shown to the user (relative to the site root where possible).
    pub file: Option<PathBuf>,
    pub pos: Option<Pos>,
    pub message: String,
    pub hint: Option<String>,
    /// The message in Chinese, where it has been written (else the English is shown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_zh: Option<String>,
    /// The hint in Chinese, where it has been written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint_zh: Option<String>,
    /// The file's text, so the report can show the offending line.
    #[serde(skip)]
    pub source: Option<Arc<str>>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: None,
            pos: None,
            message: message.into(),
            hint: None,
            message_zh: None,
            hint_zh: None,
            source: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn in_file(mut self, file: impl AsRef<Path>) -> Self {
        self.file = Some(file.as_ref().to_path_buf());
        self
    }

    pub fn at(mut self, pos: Pos) -> Self {
        self.pos = Some(pos);
        self
    }

    pub fn at_opt(mut self, pos: Option<Pos>) -> Self {
        self.pos = pos;
        self
    }

    pub fn with_source(mut self, text: Arc<str>) -> Self {
        self.source = Some(text);
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The message in Chinese.
    pub fn zh(mut self, message: impl Into<String>) -> Self {
        self.message_zh = Some(message.into());
        self
    }

    /// The hint in Chinese.
    pub fn hint_zh(mut self, hint: impl Into<String>) -> Self {
        self.hint_zh = Some(hint.into());
        self
    }

    /// The message in `lang`, or in English where it has no Chinese.
    pub fn message_in(&self, lang: Lang) -> &str {
        match (lang, &self.message_zh) {
            (Lang::Zh, Some(zh)) => zh,
            _ => &self.message,
        }
    }

    /// The hint in `lang`: a Chinese message without a Chinese hint shows no English hint
    /// beside it only if it has none at all.
    pub fn hint_in(&self, lang: Lang) -> Option<&str> {
        match (lang, &self.hint_zh) {
            (Lang::Zh, Some(zh)) => Some(zh),
            _ => self.hint.as_deref(),
        }
    }

    /// The diagnostic as text in `lang` (what [`Display`](fmt::Display) shows in English).
    pub fn text(&self, lang: Lang) -> String {
        let level = match (self.severity, lang) {
            (Severity::Error, Lang::En) => "error",
            (Severity::Warning, Lang::En) => "warning",
            (Severity::Error, Lang::Zh) => "错误",
            (Severity::Warning, Lang::Zh) => "警告",
        };
        // Messages quote content: its control characters must not act on the terminal.
        let safe = crate::escape::terminal_safe;
        let loc = self.location();
        let colon = lang.pick(": ", "：");
        let mut out = if loc.is_empty() {
            format!("{level}{colon}{}", safe(self.message_in(lang)))
        } else {
            format!(
                "{level}{colon}{}: {}",
                safe(&loc),
                safe(self.message_in(lang))
            )
        };
        if let Some(h) = self.hint_in(lang) {
            out.push_str(&format!("\n  {}{}", lang.pick("hint: ", "提示："), safe(h)));
        }
        out
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col`, or as much of it as is known.
    pub fn location(&self) -> String {
        match (&self.file, self.pos) {
            (Some(f), Some(p)) => format!("{}:{}:{}", f.display(), p.line, p.col),
            (Some(f), None) => f.display().to_string(),
            (None, _) => String::new(),
        }
    }

    /// Render for a person: a miette report with the source line when colour is wanted,
    /// otherwise a plain, grep-friendly `error: file:line:col: message` block.
    pub fn render(&self, fancy: bool, lang: Lang) -> String {
        if fancy {
            if let (Some(src), Some(pos), Some(file)) = (&self.source, self.pos, &self.file) {
                let safe = crate::escape::terminal_safe_same_len(src);
                let report = miette::Report::new(MietteView {
                    diag: self.clone(),
                    lang,
                    src: miette::NamedSource::new(
                        crate::escape::terminal_safe(&file.display().to_string()),
                        safe.into_owned(),
                    ),
                    span: (pos.offset, pos.len.max(1)).into(),
                });
                return format!("{report:?}");
            }
        }
        self.text(lang)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

/// Adapter that lets miette draw a [`Diagnostic`] with its source snippet.
#[derive(Debug)]
struct MietteView {
    diag: Diagnostic,
    lang: Lang,
    src: miette::NamedSource<String>,
    span: miette::SourceSpan,
}

impl fmt::Display for MietteView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let safe = crate::escape::terminal_safe;
        write!(
            f,
            "{}: {}",
            safe(&self.diag.location()),
            safe(self.diag.message_in(self.lang))
        )
    }
}

impl std::error::Error for MietteView {}

impl miette::Diagnostic for MietteView {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diag.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.diag
            .hint_in(self.lang)
            .map(|h| Box::new(crate::escape::terminal_safe(h)) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.src)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(
            miette::LabeledSpan::new_with_span(
                Some(self.lang.pick("here", "这里").to_string()),
                self.span,
            ),
        )))
    }
}

/// The diagnostics of a run, kept in a stable order (file, line, column).
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }
    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }
    pub fn warning_count(&self) -> usize {
        self.0.len() - self.error_count()
    }
    /// Errors first, then warnings, each in file, line and column order: what stops the
    /// build comes before what merely could be better.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (
                std::cmp::Reverse(a.severity),
                &a.file,
                a.pos.map(|p| (p.line, p.col)),
                &a.message,
            )
                .cmp(&(
                    std::cmp::Reverse(b.severity),
                    &b.file,
                    b.pos.map(|p| (p.line, p.col)),
                    &b.message,
                ))
        });
        self.0
            .dedup_by(|a, b| a.location() == b.location() && a.message == b.message);
    }
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// The diagnostics with the same problem in several places folded into the first: each
    /// with the locations of the others (an unknown name written in ten files is one problem
    /// to fix, shown once with where else it is).
    pub fn folded(&self) -> Vec<(&Diagnostic, Vec<String>)> {
        let mut out: Vec<(&Diagnostic, Vec<String>)> = Vec::new();
        let mut first: std::collections::HashMap<(Severity, &str, Option<&str>), usize> =
            Default::default();
        for d in &self.0 {
            let key = (d.severity, d.message.as_str(), d.hint.as_deref());
            match first.get(&key) {
                Some(&i) if d.file.is_some() => out[i].1.push(d.location()),
                _ => {
                    first.insert(key, out.len());
                    out.push((d, Vec::new()));
                }
            }
        }
        out
    }
}

/// The line that follows a folded diagnostic: how many more places have the same problem,
/// and the first few of them.
pub fn more_places(others: &[String], lang: Lang) -> Option<String> {
    const SHOWN: usize = 5;
    if others.is_empty() {
        return None;
    }
    let safe = |s: &String| crate::escape::terminal_safe(s).into_owned();
    let mut list: Vec<String> = others.iter().take(SHOWN).map(safe).collect();
    if others.len() > SHOWN {
        list.push("…".to_string());
    }
    Some(match lang {
        Lang::En => format!(
            "  the same in {} more place(s): {}",
            others.len(),
            list.join(", ")
        ),
        Lang::Zh => format!("  同样的问题还有 {} 处：{}", others.len(), list.join("、")),
    })
}

/// Up to three known names closest to `wanted`, for "did you mean" hints.
pub fn nearest<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> = known
        .into_iter()
        .map(|k| {
            let mut s = strsim::normalized_levenshtein(wanted, k);
            // Chinese names share long runs: reward containment either way.
            if k.contains(wanted) || wanted.contains(k) {
                s += 0.5;
            }
            (s, k)
        })
        .filter(|(s, _)| *s > 0.3)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, k)| k).collect()
}

/// The Chinese of [`did_you_mean`]: "是不是要写“X”？", or `otherwise`.
pub fn did_you_mean_zh<'a>(
    wanted: &str,
    known: impl IntoIterator<Item = &'a str>,
    otherwise: &str,
) -> String {
    suggest(wanted, known, otherwise, |near| {
        format!("是不是要写“{}”？", near.join("”或“"))
    })
}

/// A "did you mean …" hint, or a generic one when nothing is close.
pub fn did_you_mean<'a>(
    wanted: &str,
    known: impl IntoIterator<Item = &'a str>,
    otherwise: &str,
) -> String {
    suggest(wanted, known, otherwise, |near| {
        format!("did you mean {}?", near.join("、"))
    })
}

/// The nearest known names in words (`say`), or `otherwise` when nothing is close.
fn suggest<'a>(
    wanted: &str,
    known: impl IntoIterator<Item = &'a str>,
    otherwise: &str,
    say: impl Fn(&[&str]) -> String,
) -> String {
    let near = nearest(wanted, known);
    if near.is_empty() {
        otherwise.to_string()
    } else {
        say(&near)
    }
}
