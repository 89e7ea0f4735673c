//! Themes: the default theme embedded in the binary, a theme folder on disk, and the site's
//! own `templates/` and `static/` folders, which override theme files one by one.

use crate::diagnostic::Diagnostic;
use include_dir::{include_dir, Dir};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The default theme, compiled in so that a new site builds with nothing else installed.
pub static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Templates and static files after overrides are applied, keyed by path relative to their
/// folder (`base.html`, `style.css`). Values are file contents; `origin` says where each came
/// from, for error messages.
#[derive(Debug, Default, Clone)]
pub struct Theme {
    pub templates: BTreeMap<String, (String, PathBuf)>,
    pub statics: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// Assemble the theme: embedded default, then `themes/<name>/` under the site root, then
    /// the site's `templates/` and `static/`.
    pub fn assemble(
        root: &Path,
        name: &str,
        templates_dir: Option<&Path>,
        static_dir: Option<&Path>,
    ) -> Result<Theme, Vec<Diagnostic>> {
        let mut theme = Theme::default();
        let mut errors = Vec::new();
        collect_embedded(&DEFAULT_THEME, &mut theme);
        let theme_dir = root.join("themes").join(name);
        if theme_dir.is_dir() {
            overlay(
                &theme_dir.join("templates"),
                root,
                &mut theme,
                true,
                &mut errors,
            );
            overlay(
                &theme_dir.join("static"),
                root,
                &mut theme,
                false,
                &mut errors,
            );
        } else if name != "default" {
            errors.push(
                Diagnostic::error(format!(
                    "theme `{name}` not found at {}",
                    theme_dir.display()
                ))
                .in_file("zhize.yaml")
                .hint(
                    "set `theme: default`, or create the theme folder with templates/ and static/",
                ),
            );
        }
        if let Some(t) = templates_dir {
            overlay(t, root, &mut theme, true, &mut errors);
        }
        if let Some(s) = static_dir {
            overlay(s, root, &mut theme, false, &mut errors);
        }
        if errors.is_empty() {
            Ok(theme)
        } else {
            Err(errors)
        }
    }
}

fn collect_embedded(dir: &Dir<'static>, theme: &mut Theme) {
    for file in dir.files() {
        let path = file.path().to_string_lossy().replace('\\', "/");
        if let Some(rel) = path.strip_prefix("templates/") {
            let text = String::from_utf8_lossy(file.contents()).into_owned();
            theme.templates.insert(
                rel.to_string(),
                (
                    text,
                    PathBuf::from(format!("(default theme)/templates/{rel}")),
                ),
            );
        } else if let Some(rel) = path.strip_prefix("static/") {
            theme
                .statics
                .insert(rel.to_string(), file.contents().to_vec());
        }
    }
    for sub in dir.dirs() {
        collect_embedded(sub, theme);
    }
}

fn overlay(
    dir: &Path,
    root: &Path,
    theme: &mut Theme,
    templates: bool,
    errors: &mut Vec<Diagnostic>,
) {
    if !dir.is_dir() {
        return;
    }
    for entry in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .follow_links(true)
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                errors
                    .push(Diagnostic::error(format!("cannot read theme files: {e}")).in_file(dir));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        if rel.split('/').any(|s| s.starts_with('.')) {
            continue;
        }
        let shown = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .to_path_buf();
        match std::fs::read(entry.path()) {
            Ok(bytes) if templates => match String::from_utf8(bytes) {
                Ok(text) => {
                    theme.templates.insert(rel, (text, shown));
                }
                Err(_) => errors.push(
                    Diagnostic::error("template is not UTF-8 text")
                        .in_file(shown)
                        .hint("save templates as UTF-8"),
                ),
            },
            Ok(bytes) => {
                theme.statics.insert(rel, bytes);
            }
            Err(e) => errors.push(Diagnostic::error(format!("cannot read: {e}")).in_file(shown)),
        }
    }
}
