//! Last-updated dates of content files, from the site's git history.
//!
//! A page shows the date of the last commit that changed its source file beside its
//! `reviewed:` date. The dates come from one `git log` over `content/`, run only when the
//! site lies in a git repository and `git` is installed; otherwise there are none, and the
//! page says nothing rather than guess (a file's modification time is the time it was
//! copied or checked out, not when its text changed).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Marks a commit's line in the log, before its date (a byte no path holds).
const COMMIT_MARK: char = '\u{1}';

/// The date (`YYYY-MM-DD`, committer's) of the last commit that changed each file under
/// `content`, keyed by the file's path relative to `content`. Empty when
/// `content` is not in a git repository or git cannot be run.
pub fn last_commit_dates(content: &Path) -> HashMap<PathBuf, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(content)
        // Paths as they are (no octal quoting of Chinese names), relative to `content`.
        .args([
            "-c",
            "core.quotePath=false",
            "log",
            "--relative",
            "--name-only",
        ])
        .arg(format!("--format={COMMIT_MARK}%cs"))
        .args(["--", "."])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output();
    match output {
        Ok(o) if o.status.success() => parse_log(&String::from_utf8_lossy(&o.stdout)),
        _ => HashMap::new(),
    }
}

/// Read `git log --name-only` output, newest commit first: each file's first appearance is
/// its last change.
fn parse_log(log: &str) -> HashMap<PathBuf, String> {
    let mut dates = HashMap::new();
    let mut date = "";
    for line in log.lines() {
        if let Some(d) = line.strip_prefix(COMMIT_MARK) {
            date = d.trim();
        } else if !line.is_empty() && !date.is_empty() {
            dates
                .entry(PathBuf::from(line))
                .or_insert_with(|| date.to_string());
        }
    }
    dates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_commit_of_each_file_gives_its_date() {
        let log =
            "\u{1}2024-05-02\n\na/办公室.yaml\n\n\u{1}2023-01-09\n\na/办公室.yaml\na/_org.yaml\n";
        let d = parse_log(log);
        assert_eq!(d[Path::new("a/办公室.yaml")], "2024-05-02");
        assert_eq!(d[Path::new("a/_org.yaml")], "2023-01-09");
        assert_eq!(d.len(), 2);
    }

    #[test]
    fn outside_a_repository_there_are_no_dates() {
        let dir = tempfile::tempdir().unwrap();
        assert!(last_commit_dates(dir.path()).is_empty());
    }
}
