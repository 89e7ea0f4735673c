//! A site built in parts: each organisation by `zhize build --org`, joined by `zhize merge`
//! into the same bytes a whole build writes; and its search documents exported for engines
//! beyond one machine (`zhize export search`).

use crate::common::*;
use std::collections::BTreeMap;
use std::path::Path;

/// Every file under `dir` (relative path → bytes).
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            (
                rel.to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn organisation_builds_merged_equal_the_whole_build_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let root = repo();
    let r = root.to_str().unwrap();
    let out = |name: &str| tmp.path().join(name).to_str().unwrap().to_string();
    let whole = out("whole");
    let o = zhize(&["build", "--root", r, "--output", &whole]);
    assert!(o.status.success(), "{}", stderr(&o));
    let site = zhize::check(&root);
    let mut parts = Vec::new();
    for org in &site.orgs {
        let part = out(&format!("part-{}", org.folder_name));
        let o = zhize(&[
            "build",
            "--root",
            r,
            "--org",
            &org.folder_name,
            "--output",
            &part,
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        // A part holds its organisation's folder and its search documents, nothing shared.
        let files = tree(Path::new(&part));
        assert!(!files.contains_key("index.html"));
        let shared = |f: &&String| {
            !f.starts_with(&format!("{}/", org.slug))
                && !f.starts_with(".zhize-part/")
                && f.as_str() != zhize::output::MARKER
        };
        assert_eq!(files.keys().find(shared), None);
        parts.push(part);
    }
    let merged = out("merged");
    let mut args = vec!["merge", "--root", r, "--output", &merged];
    args.extend(parts.iter().map(String::as_str));
    let o = zhize(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let (a, b) = (tree(Path::new(&whole)), tree(Path::new(&merged)));
    let only_whole: Vec<&String> = a.keys().filter(|k| !b.contains_key(*k)).collect();
    let only_merged: Vec<&String> = b.keys().filter(|k| !a.contains_key(*k)).collect();
    assert!(
        only_whole.is_empty() && only_merged.is_empty(),
        "only in the whole build: {only_whole:?}\nonly in the merge: {only_merged:?}"
    );
    let differ: Vec<&String> = a
        .iter()
        .filter(|(k, v)| b[*k] != **v)
        .map(|(k, _)| k)
        .collect();
    assert!(
        differ.is_empty(),
        "{} files differ, e.g. {:?}",
        differ.len(),
        &differ[..differ.len().min(5)]
    );
    assert!(a.len() > 500, "{} files", a.len());

    // An organisation whose part is missing is named, with the command that makes it; the
    // previous output stays.
    let mut args = vec!["merge", "--root", r, "--output", &merged];
    args.extend(parts[1..].iter().map(String::as_str));
    let o = zhize(&args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let first = &site.orgs[0].folder_name;
    assert!(
        err.contains(&format!("no part holds organisation `{first}`")),
        "{err}"
    );
    assert!(err.contains(&format!("zhize build --org {first}")), "{err}");
    assert_eq!(tree(Path::new(&merged)).len(), b.len());
    // An organisation the site does not have.
    let o = zhize(&[
        "build",
        "--root",
        r,
        "--org",
        "no-such-org",
        "--output",
        &out("x"),
    ]);
    assert!(
        stderr(&o).contains("there is no organisation `no-such-org`"),
        "{}",
        stderr(&o)
    );
}

/// `zhize export search` writes every search document of the demo, in the order and with the
/// fields `zhize search` indexes, for OpenSearch and Quickwit; an export is never overwritten
/// without --force.
#[test]
fn the_search_documents_are_exported_for_opensearch_and_quickwit() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("export");
    let root = repo();
    let export = |force: bool| {
        let mut args = vec![
            "export",
            "search",
            out.to_str().unwrap(),
            "--root",
            root.to_str().unwrap(),
        ];
        if force {
            args.push("--force");
        }
        zhize(&args)
    };
    let o = export(false);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("_bulk"), "{}", stdout(&o));
    let site = zhize::resolve_site(&root);
    let analyzer = zhize::search_docs::analyzer_for(&site);
    let docs = zhize::search_docs::documents(&site, &analyzer, zhize::search_docs::PageText::Whole);
    let read = |name: &str| std::fs::read_to_string(out.join(name)).unwrap();
    let lines: Vec<serde_json::Value> = read("documents.ndjson")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), docs.len());
    for (l, d) in lines.iter().zip(docs.iter()) {
        assert_eq!(
            (l["title"].as_str(), l["url"].as_str()),
            (Some(&*d.title), Some(&*d.url))
        );
        assert_eq!(l["body"].as_str(), Some(&*d.body));
    }
    let ids: std::collections::HashSet<&str> =
        lines.iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), docs.len(), "ids are not distinct");
    assert_eq!(
        read("opensearch-bulk.ndjson").lines().count(),
        2 * docs.len()
    );
    let _: serde_json::Value = serde_json::from_str(&read("opensearch-index.json")).unwrap();
    let _: serde_yaml::Value = serde_yaml::from_str(&read("quickwit-index.yaml")).unwrap();
    // Again: refused, naming the file and --force, nothing touched; with --force, replaced.
    std::fs::write(out.join("documents.ndjson"), "kept").unwrap();
    let o = export(false);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("documents.ndjson") && stderr(&o).contains("--force"),
        "{}",
        stderr(&o)
    );
    assert_eq!(read("documents.ndjson"), "kept");
    let o = export(true);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(read("documents.ndjson").lines().count(), docs.len());
}
