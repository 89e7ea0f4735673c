//! `zhize fix`: the content's YAML files with full-width punctuation where YAML needs ASCII
//! (the rules of [`zhize_core::fix`]), found and mended. Like [`crate::init`], a tool beside
//! the pipeline: it reads the content files and, when asked, rewrites exactly the lines it
//! names, each file replaced atomically, everything else byte for byte.

use crate::load::walk_files;
use std::path::{Path, PathBuf};
use zhize_core::diagnostic::{Diagnostic, Diagnostics};
use zhize_core::fix::{mend_text, Mend};
use zhize_core::source::{decode, Encoding};

/// One file with lines to mend.
pub struct FileFix {
    pub path: PathBuf,
    /// The path relative to the site root, for messages.
    pub shown: String,
    /// The file's new text (UTF-8, its byte-order mark kept).
    pub fixed: Vec<u8>,
    /// (line number, the line as it was, the mend)
    pub lines: Vec<(usize, String, Mend)>,
}

/// Every YAML file under `root/content` with something to mend. Files that are not UTF-8
/// are reported, not rewritten (re-encoding would change every byte).
pub fn scan(root: &Path) -> (Vec<FileFix>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let content = root.join("content");
    if !content.is_dir() {
        diags.push(
            Diagnostic::error(format!("no content folder in {}", root.display()))
                .hint("run zhize fix in the site's folder, or give --root"),
        );
        return (Vec::new(), diags);
    }
    let files = walk_files(&content, root, false, &mut diags, |name, is_file| {
        name.starts_with('.') || (is_file && !(name.ends_with(".yaml") || name.ends_with(".yml")))
    });
    let mut out = Vec::new();
    for path in files {
        let shown = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .display()
            .to_string();
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                diags.push(Diagnostic::error(format!("cannot read it: {e}")).in_file(&shown));
                continue;
            }
        };
        let Some((text, enc)) = decode(&bytes) else {
            continue;
        };
        let Some((fixed, mends)) = mend_text(&text) else {
            continue;
        };
        let bom: &[u8] = match enc {
            Encoding::Utf8 => b"",
            Encoding::Utf8Bom => b"\xEF\xBB\xBF",
            other => {
                diags.push(
                    Diagnostic::warning(format!(
                        "{} line(s) to mend, but the file is {}: not rewritten",
                        mends.len(),
                        other.name()
                    ))
                    .in_file(&shown)
                    .hint("save it as UTF-8 in your editor, then run zhize fix again"),
                );
                continue;
            }
        };
        let old: Vec<&str> = text.lines().collect();
        let lines = mends
            .into_iter()
            .map(|(n, m)| (n, old.get(n - 1).copied().unwrap_or("").to_string(), m))
            .collect();
        let mut new = bom.to_vec();
        new.extend_from_slice(fixed.as_bytes());
        out.push(FileFix {
            path,
            shown,
            fixed: new,
            lines,
        });
    }
    (out, diags)
}

/// Replace the file with its mended text: written beside it, then renamed over it.
pub fn apply(f: &FileFix) -> Result<(), Diagnostic> {
    let dir = f.path.parent().unwrap_or(Path::new("."));
    let name = f.path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = dir.join(format!(".{name}.zhize-fix"));
    let fail = |e: std::io::Error| {
        Diagnostic::error(format!("cannot rewrite it: {e}"))
            .in_file(&f.shown)
            .hint("check that the file is writable; it was left as it was")
    };
    std::fs::write(&tmp, &f.fixed).map_err(fail)?;
    if let Ok(meta) = std::fs::metadata(&f.path) {
        let _ = std::fs::set_permissions(&tmp, meta.permissions());
    }
    std::fs::rename(&tmp, &f.path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })
}
