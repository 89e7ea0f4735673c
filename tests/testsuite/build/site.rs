//! Building whole sites: the demonstration content, the fixture, a new site from `init`.

use crate::common::*;

/// `zhize build` of `root` into `<a new temporary folder>/public`.
fn build_into_temp(root: &std::path::Path) -> (tempfile::TempDir, std::process::Output) {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let o = zhize(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        public.to_str().unwrap(),
    ]);
    (out, o)
}

/// Build `root` into a temporary folder and check every internal link of the output.
fn build_and_link_check(root: &std::path::Path) -> tempfile::TempDir {
    let (out, o) = build_into_temp(root);
    let public = out.path().join("public");
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
    assert!(
        stdout(&o).contains("built "),
        "no summary line: {}",
        stdout(&o)
    );
    let files = read_output(&public);
    let broken = zhize::output::check_links(&files);
    assert!(
        broken.is_empty(),
        "broken links:\n{}",
        broken
            .iter()
            .map(|b| b.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
    out
}

#[test]
fn the_demonstration_content_builds_with_every_link_resolving() {
    let out = build_and_link_check(&repo());
    let public = out.path().join("public");
    // The demonstration holds at least these departments of 威海市生态环境局.
    let home = std::fs::read_to_string(public.join("index.html")).unwrap();
    for dept in ["办公室", "政工科", "财务审计科"] {
        assert!(home.contains(dept), "home page lacks {dept}");
    }
    for page in [
        "404.html",
        "contacts.html",
        "static/style.css",
        "static/site.js",
        "static/favicon.svg",
        "static/early.js",
    ] {
        assert!(public.join(page).exists(), "{page} missing");
    }
    // Nothing is loaded from the internet: no absolute http(s) URLs in src/href of assets.
    for f in read_output(&public) {
        if f.path.ends_with(".html") {
            let html = String::from_utf8_lossy(&f.bytes);
            assert!(
                !html.contains("src=\"http"),
                "{} loads from the internet",
                f.path
            );
            assert!(
                !html.contains("<link rel=\"stylesheet\" href=\"http"),
                "{}",
                f.path
            );
            assert!(
                !html.contains("href=\"/"),
                "{} has a root-absolute link",
                f.path
            );
        }
    }
}

#[test]
fn the_fixture_builds_and_links_resolve() {
    let site = mini_site();
    build_and_link_check(site.path());
}

#[test]
fn a_new_site_from_init_builds_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("new-site");
    let o = zhize(&["init", site.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    build_and_link_check(&site);
    // init never overwrites an existing site.
    let again = zhize(&["init", site.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(stderr(&again).contains("already holds a site"));
}

#[test]
fn check_writes_nothing_and_succeeds_on_good_content() {
    let site = mini_site();
    let o = zhize(&["check", "--root", site.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!site.path().join("public").exists());
}

#[test]
fn stats_counts_every_kind_in_json() {
    let site = mini_site();
    let o = zhize(&["stats", "--root", site.path().to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let expect = [
        ("organisations", 1),
        ("departments", 2),
        ("main_duties", 3),
        ("detailed_duties", 6),
        ("posts", 2),
        ("division_external", 1),
        ("division_internal", 2),
        ("risk_points", 1),
        ("controls", 1),
        ("procedures", 3),
        ("steps", 8),
        ("forms", 1),
        ("contacts", 1),
        ("pages", 1),
    ];
    for (k, n) in expect {
        assert_eq!(v[k], n, "{k}");
    }
    let plain = zhize(&["stats", "--root", site.path().to_str().unwrap()]);
    assert!(stdout(&plain).contains("细化职责"));
}

#[test]
fn a_failed_build_leaves_the_previous_output_intact() {
    let site = mini_site();
    let public = site.path().join("public");
    let ok = zhize(&["build", "--root", site.path().to_str().unwrap()]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    let before = std::fs::read(public.join("index.html")).unwrap();
    std::fs::write(
        site.path().join("content/shiju/caiwu.yaml"),
        "名称: [unclosed\n",
    )
    .unwrap();
    let bad = zhize(&["build", "--root", site.path().to_str().unwrap()]);
    assert!(!bad.status.success());
    assert_eq!(std::fs::read(public.join("index.html")).unwrap(), before);
}

#[test]
fn output_folders_that_hold_sources_are_refused() {
    let site = mini_site();
    let root = site.path().to_str().unwrap();
    for out in [root.to_string(), format!("{root}/content"), "/".to_string()] {
        let o = zhize(&["build", "--root", root, "--output", &out]);
        assert!(!o.status.success(), "accepted {out}");
        assert!(
            stderr(&o).contains("refusing to write the site"),
            "{}",
            stderr(&o)
        );
    }
    assert!(site.path().join("content/shiju/_org.yaml").exists());
}

#[test]
fn a_folder_of_someone_elses_files_is_never_replaced() {
    let site = mini_site();
    let other = site.path().join("mine");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("notes.txt"), "keep me").unwrap();
    let o = zhize(&[
        "build",
        "--root",
        site.path().to_str().unwrap(),
        "--output",
        other.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert_eq!(
        std::fs::read_to_string(other.join("notes.txt")).unwrap(),
        "keep me"
    );
}

/// The index of `zhize search` is rewritten when the content changes, and kept as it is when
/// a build reads the very same files again.
#[cfg(unix)]
#[test]
fn a_build_of_unchanged_content_keeps_the_search_index() {
    use std::os::unix::fs::MetadataExt;
    let site = mini_site();
    let root = site.path().to_str().unwrap();
    let index = site.path().join(".zhize/index");
    let build = || {
        let o = zhize(&["build", "--index", "--root", root]);
        assert!(o.status.success(), "{}", stderr(&o));
        std::fs::metadata(&index).unwrap().ino()
    };
    // A plain build makes the site only; `zhize search` and `serve` make the index.
    let o = zhize(&["build", "--root", root]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!index.exists(), "a plain build wrote the search index");
    let first = build();
    assert_eq!(build(), first, "unchanged content: the same index");
    let page = site.path().join("content/pages/guide.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, format!("{text}\n新增一段关于档案移交的说明。\n")).unwrap();
    assert_ne!(build(), first, "changed content: a new index");
    let o = zhize(&["search", "--root", root, "--json", "档案移交"]);
    assert!(stdout(&o).contains("guide"), "{}", stdout(&o));
}

/// A link written in the content that points nowhere is named by the build (file, link and
/// why), though pages are written and dropped as they are rendered.
#[test]
fn a_build_names_the_broken_links_of_the_content() {
    let site = mini_site();
    let root = site.path();
    std::fs::write(
        root.join("content/pages/links.md"),
        "---\ntitle: 链接\nid: links\n---\n\n[甲](missing.html) [乙](#nowhere) [丙](links.html) [丁](/abs.html)\n",
    )
    .unwrap();
    let (_out, o) = build_into_temp(root);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    for expected in [
        "pages/links.html: link to missing.html (pages/missing.html) does not exist",
        "pages/links.html: link to #nowhere has no anchor #nowhere in pages/links.html",
        "pages/links.html: link to /abs.html is not relative",
    ] {
        assert!(err.contains(expected), "{expected} not in:\n{err}");
    }
    assert!(!err.contains("link to links.html"), "{err}");
    // `zhize check` renders and drops every page, and names the same links.
    let o = zhize(&["check", "--root", root.to_str().unwrap()]);
    let all = format!("{}{}", stdout(&o), stderr(&o));
    assert!(
        all.contains("pages/links.html: link to missing.html (pages/missing.html) does not exist"),
        "{all}"
    );
}
