//! Replacing folders atomically, and locking them against other writers: what the build's
//! output folder and the search index share; and writing one file that is never replaced
//! without leave ([`write_file`]), for the files commands write.
//!
//! A writer takes the folder's advisory lock ([`lock_beside`]), removes staging folders that
//! killed writers left ([`remove_stale_staging`]: holding the lock, no live writer has one),
//! fills a fresh staging folder ([`staging_path`]) and swaps it in ([`replace_dir`]).

use crate::diagnostic::Diagnostic;
use std::path::{Path, PathBuf};

/// Write `bytes` to the file `path` (making its folder), through a temporary file beside it so
/// that an interrupted write leaves no half file; an existing file is replaced only when
/// `force` is true.
pub fn write_file(path: &Path, bytes: &[u8], force: bool) -> Result<(), Diagnostic> {
    if path.exists() && !force {
        return Err(Diagnostic::error("file exists; not overwritten")
            .in_file(path)
            .hint("pass --force to overwrite it, or give another file name"));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            Diagnostic::error(format!("cannot create the folder: {e}")).in_file(dir)
        })?;
    }
    let tmp = path.with_extension("zhize-tmp");
    std::fs::write(&tmp, bytes)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| Diagnostic::error(format!("cannot write: {e}")).in_file(path))
}

/// Replace `out` by `staging`. On Linux the two folders trade places in one atomic
/// `renameat2(RENAME_EXCHANGE)`, so `out` is always a complete site, the old or the new; the
/// old one, now at the staging path, is then removed (a build killed before that leaves it
/// for the next build's [`remove_stale_staging`]). A first build renames staging into place,
/// which is atomic too. Elsewhere, or on file systems without the exchange, the old folder is
/// moved aside first, which leaves a moment without `out`.
pub fn swap_in(staging: &Path, out: &Path, parent: &Path, name: &str) -> Result<(), Diagnostic> {
    if !out.exists() {
        return std::fs::rename(staging, out)
            .map_err(|e| io_error(out, "cannot move the new site into place", e));
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        match renameat_with(CWD, staging, CWD, out, RenameFlags::EXCHANGE) {
            Ok(()) => {
                let _ = std::fs::remove_dir_all(staging);
                return Ok(());
            }
            // Not supported here (old kernel, some network or FUSE file systems): fall back.
            Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS) => {}
            Err(e) => {
                return Err(io_error(
                    out,
                    "cannot move the new site into place",
                    e.into(),
                ))
            }
        }
    }
    swap_by_moving_aside(staging, out, parent, name)
}

/// The portable swap: move `out` aside, move `staging` in, remove the old folder.
fn swap_by_moving_aside(
    staging: &Path,
    out: &Path,
    parent: &Path,
    name: &str,
) -> Result<(), Diagnostic> {
    let old = parent.join(format!(".{name}.zhize-old-{}", std::process::id()));
    let had_old = out.exists();
    if had_old {
        std::fs::rename(out, &old).map_err(|e| io_error(out, "cannot move aside", e))?;
    }
    if let Err(e) = std::fs::rename(staging, out) {
        if had_old {
            let _ = std::fs::rename(&old, out);
        }
        return Err(io_error(out, "cannot move the new site into place", e));
    }
    if had_old {
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(())
}

/// Lock the folder `name` in `parent` against other writers (advisory, with the file
/// `.NAME.zhize-lock` beside it): waits for the lock when `wait`, else returns `None` when
/// another process or thread holds it. The lock lasts as long as the returned file is open.
pub fn lock_beside(
    parent: &Path,
    name: &str,
    wait: bool,
) -> Result<Option<std::fs::File>, Diagnostic> {
    let path = parent.join(format!(".{name}.zhize-lock"));
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| io_error(&path, "cannot create the lock file", e))?;
    if wait {
        file.lock()
            .map_err(|e| io_error(&path, "cannot lock the folder with", e))?;
        return Ok(Some(file));
    }
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(io_error(&path, "cannot lock the folder with", e))
        }
    }
}

/// The staging folder in `parent` for a new version of the folder `name` (replaced with
/// [`replace_dir`], by the holder of its [`lock_beside`] lock).
pub fn staging_path(parent: &Path, name: &str) -> PathBuf {
    parent.join(format!(".{name}.zhize-tmp-{}", std::process::id()))
}

/// Replace the folder `out` by `staging` as atomically as the file system allows (see
/// [`swap_in`]); the old folder is removed.
pub fn replace_dir(staging: &Path, out: &Path) -> Result<(), Diagnostic> {
    let parent = out.parent().map(Path::to_path_buf).unwrap_or_default();
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    swap_in(staging, out, &parent, &name)
}

/// Remove staging folders left by builds that were killed (ours by name, and never `out`).
/// Called only by the holder of the output's lock: no live build has a staging folder then.
pub fn remove_stale_staging(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefixes = [format!(".{name}.zhize-tmp-"), format!(".{name}.zhize-old-")];
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        let is_ours = prefixes
            .iter()
            .any(|p| n.starts_with(p.as_str()) && n[p.len()..].chars().all(|c| c.is_ascii_digit()));
        if is_ours && e.path().is_dir() {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// An error about a file or folder, with a hint that fits what went wrong.
pub fn io_error(p: &Path, what: &str, e: std::io::Error) -> Diagnostic {
    use std::io::ErrorKind;
    let hint = match e.kind() {
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => {
            "check that you may write to this folder (its permissions, or a read-only disk)"
        }
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => "free some disk space and build again",
        ErrorKind::NotFound => {
            "a folder disappeared while the site was written: another program may be changing \
             or cleaning this folder; build again when it has finished"
        }
        ErrorKind::NotADirectory | ErrorKind::IsADirectory => {
            "a file stands where a folder should be (or the other way round): move it away"
        }
        _ => "check the folder's permissions and free disk space",
    };
    Diagnostic::error(format!("{what} {}: {e}", p.display())).hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(dir: &Path, name: &str, index: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::create_dir_all(&p).unwrap();
        std::fs::write(p.join("index.html"), index).unwrap();
        p
    }

    /// The exchange is what keeps the output folder in place during a swap: check that the
    /// temporary folder's file system supports it, so the fallback is not taken unnoticed.
    #[cfg(target_os = "linux")]
    #[test]
    fn the_atomic_exchange_works_here() {
        let dir = tempfile::tempdir().unwrap();
        let out = folder(dir.path(), "public", "one");
        let staging = folder(dir.path(), "staging", "two");
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        renameat_with(CWD, &staging, CWD, &out, RenameFlags::EXCHANGE).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "two"
        );
        assert_eq!(
            std::fs::read_to_string(staging.join("index.html")).unwrap(),
            "one"
        );
        swap_in(&staging, &out, dir.path(), "public").unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "one"
        );
        assert!(!staging.exists());
    }

    #[test]
    fn a_held_lock_is_reported_and_released_on_close() {
        let dir = tempfile::tempdir().unwrap();
        let held = lock_beside(dir.path(), "public", false).unwrap();
        assert!(held.is_some());
        assert!(lock_beside(dir.path(), "public", false).unwrap().is_none());
        drop(held);
        assert!(lock_beside(dir.path(), "public", false).unwrap().is_some());
    }
}
