//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Run the zhize binary with `args`, its messages in English (the tests that read Chinese
/// messages pass `--lang zh`, which wins over ZHIZE_LANG).
pub fn zhize(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhize"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("ZHIZE_LANG", "en")
        .output()
        .expect("run zhize")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Copy a folder tree (fixtures into a temporary site).
pub fn copy_tree(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        if rel.starts_with("public") {
            continue;
        }
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// A temporary site holding a copy of the `mini` fixture.
pub fn mini_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("tests/fixtures/mini"), dir.path());
    dir
}

/// Every file under `dir` as output files (paths relative, with `/`).
pub fn read_output(dir: &Path) -> Vec<zhize::render::OutputFile> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| zhize::render::OutputFile {
            path: e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/"),
            bytes: std::fs::read(e.path()).unwrap(),
        })
        .collect()
}

/// A seed document by its number (`"003"`) or full stem: from `$ZHIZE_SEEDS` when set, else the copies in
/// `tests/seeds/` (the real documents of the shared seeds folder, kept with the tests so that
/// a clone alone runs them).
pub fn seed(number: &str) -> PathBuf {
    let dir = std::env::var_os("ZHIZE_SEEDS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("tests/seeds"));
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            name.strip_prefix(number)
                .is_some_and(|rest| rest.starts_with(['_', '.']))
        })
        .unwrap_or_else(|| panic!("seed {number} not found in {}", dir.display()))
}

/// Build the demonstration site (the repository's content) into a temporary folder's
/// `public/`.
pub fn build_demo() -> tempfile::TempDir {
    build_site(&repo())
}

/// Build the site at `root` into `public/` of a temporary folder.
pub fn build_site(root: &std::path::Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let o = zhize(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        public.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
    out
}

/// Substrings of 2 to 4 Chinese characters of the site's duties, each with the URL of its
/// duty: every 4th duty, from every 11th character.
pub fn duty_substrings(site: &zhize::resolve::Site) -> Vec<(String, String)> {
    let mut probes = Vec::new();
    for (oi, org) in site.orgs.iter().enumerate() {
        for (di, d) in org.depts.iter().enumerate() {
            for (i, duty) in d.raw.duties.iter().enumerate().step_by(4) {
                let url = format!(
                    "{}#{}",
                    site.url(zhize::resolve::Target::Dept(oi, di)),
                    d.duty_anchors[i]
                );
                let chars: Vec<char> = duty.text().chars().collect();
                for start in (0..chars.len()).step_by(11) {
                    for len in 2..=4 {
                        let Some(sub) = chars.get(start..start + len) else {
                            continue;
                        };
                        if sub.iter().all(|c| zhize::search::analyzer::is_cjk(*c)) {
                            probes.push((sub.iter().collect(), url.clone()));
                        }
                    }
                }
            }
        }
    }
    probes
}

/// Headless Chromium for the browser tests: `$ZHIZE_CHROMIUM`, or Debian's `chromium` (or a
/// Chrome) where it usually lives. Without one, `what` is skipped with a note, unless
/// `ZHIZE_BROWSER_TESTS=required` (as in CI), where a missing browser fails.
pub fn find_chromium(what: &str) -> Option<PathBuf> {
    let found = std::env::var_os("ZHIZE_CHROMIUM")
        .map(PathBuf::from)
        .or_else(|| {
            [
                "/usr/bin/chromium",
                "/usr/bin/chromium-browser",
                "/usr/bin/google-chrome",
            ]
            .into_iter()
            .map(PathBuf::from)
            .find(|p| p.exists())
        });
    if found.is_none() {
        missing(
            "Chromium",
            what,
            "install Debian's chromium, or set ZHIZE_CHROMIUM",
        );
    }
    found
}

/// Run `tests/js/<script>` in node with `args` and read what it prints as JSON.
pub fn node_json(node: &str, script: &str, args: &[&std::path::Path]) -> serde_json::Value {
    let run = std::process::Command::new(node)
        .arg(repo().join("tests/js").join(script))
        .args(args)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_slice(&run.stdout).unwrap()
}

/// Node.js for the tests that run the site's search.js, or `None` (see [`missing`]).
pub fn find_node(what: &str) -> Option<&'static str> {
    let ok = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        missing("node", what, "install Debian's nodejs");
    }
    ok.then_some("node")
}

/// A tool the browser tests need is missing: skip `what` with a note, unless
/// `ZHIZE_BROWSER_TESTS=required` (as in CI), where the test fails.
fn missing(tool: &str, what: &str, hint: &str) {
    assert!(
        std::env::var("ZHIZE_BROWSER_TESTS").as_deref() != Ok("required"),
        "ZHIZE_BROWSER_TESTS=required but {tool} is not installed: {hint}"
    );
    eprintln!("{tool} not found: skipping {what} ({hint})");
}

/// The index of the demonstration organisation whose slug is `slug` (the browser tests pick
/// their pages from it).
pub fn demo_org(site: &zhize::resolve::Site, slug: &str) -> usize {
    site.orgs
        .iter()
        .position(|o| o.slug == slug)
        .unwrap_or_else(|| panic!("{slug} in content/"))
}
