//! Themes: the default theme embedded in the binary, a theme folder on disk, and the site's
//! own `templates/` and `static/` folders, which override theme files one by one. Read here,
//! with the rest of the site, so that rendering never touches the disk.

use include_dir::{include_dir, Dir};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use zhize_core::diagnostic::Diagnostic;

/// The default theme, compiled in so that a new site builds with nothing else installed.
pub static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../themes/default");

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
    /// The default theme alone (where the site's own could not be read).
    pub fn embedded() -> Theme {
        let mut theme = Theme::default();
        collect_embedded(&DEFAULT_THEME, &mut theme);
        theme
    }

    pub fn assemble(
        root: &Path,
        name: &str,
        templates_dir: Option<&Path>,
        static_dir: Option<&Path>,
        allow_outside: bool,
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
                (true, allow_outside),
                &mut errors,
            );
            overlay(
                &theme_dir.join("static"),
                root,
                &mut theme,
                (false, allow_outside),
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
            overlay(t, root, &mut theme, (true, allow_outside), &mut errors);
        }
        if let Some(s) = static_dir {
            overlay(s, root, &mut theme, (false, allow_outside), &mut errors);
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

/// Lay the files of `dir` over `theme`: as templates or as static files. Links leaving the
/// site are refused unless `allow_outside` (see [`super::walk_files`]).
fn overlay(
    dir: &Path,
    root: &Path,
    theme: &mut Theme,
    (templates, allow_outside): (bool, bool),
    errors: &mut Vec<Diagnostic>,
) {
    if !dir.is_dir() {
        return;
    }
    let mut diags = zhize_core::diagnostic::Diagnostics::default();
    let files = super::walk_files(dir, root, allow_outside, &mut diags, |name, _| {
        name.starts_with('.')
    });
    errors.extend(diags.0);
    for path in files {
        let rel = path
            .strip_prefix(dir)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        let shown = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        match std::fs::read(&path) {
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
