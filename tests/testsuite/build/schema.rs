//! The JSON Schema of the content format (`zhize schema`, derived from the model types):
//! every content file of the demonstration site, every file the importer makes of the
//! evaluation corpus, and a file written with Chinese keys validate against it; a wrong key
//! fails it, and fails `zhize check` at its line with the nearest valid key; the build
//! publishes it and `zhize init` maps it for editors.

use crate::common::*;
use std::path::{Path, PathBuf};
use zhize::schema::{schema_of, FileKind};

fn validator(kind: FileKind) -> jsonschema::Validator {
    jsonschema::validator_for(&schema_of(kind)).expect("the schema compiles")
}

/// A YAML text as JSON (map keys as strings, as the loader reads them).
fn to_json(yaml: &str) -> serde_json::Value {
    fn conv(v: serde_yaml::Value) -> serde_json::Value {
        use serde_yaml::Value as Y;
        match v {
            Y::Null => serde_json::Value::Null,
            Y::Bool(b) => b.into(),
            Y::Number(n) => serde_json::to_value(&n).unwrap(),
            Y::String(s) => s.into(),
            Y::Sequence(items) => items.into_iter().map(conv).collect(),
            Y::Mapping(m) => m
                .into_iter()
                .map(|(k, v)| {
                    let key = match k {
                        Y::String(s) => s,
                        other => serde_yaml::to_string(&other).unwrap().trim().to_string(),
                    };
                    (key, conv(v))
                })
                .collect::<serde_json::Map<_, _>>()
                .into(),
            Y::Tagged(t) => conv(t.value),
        }
    }
    conv(serde_yaml::from_str(yaml).unwrap())
}

/// The kind of a file under `content/` by where it is.
fn kind_of(rel: &Path) -> FileKind {
    match (
        rel.components().count(),
        rel.file_name().unwrap().to_str().unwrap(),
    ) {
        (_, "_org.yaml") => FileKind::Org,
        (2, _) => FileKind::Dept,
        _ => FileKind::Part,
    }
}

/// Problems of `text` (the file `name`) against the schema of `kind`.
fn problems(kind: FileKind, name: &str, text: &str) -> Vec<String> {
    let v = validator(kind);
    let value = to_json(text);
    v.iter_errors(&value)
        .map(|e| format!("{name}: {} at {}", e, e.instance_path()))
        .collect()
}

fn yaml_files(content: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(content)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    out.sort();
    out
}

#[test]
fn the_demo_content_validates_against_the_schema() {
    let content = repo().join("content");
    let files = yaml_files(&content);
    assert!(files.len() > 20, "the demo has its content files");
    let mut bad = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(&content).unwrap();
        let text = std::fs::read_to_string(f).unwrap();
        bad.extend(problems(kind_of(rel), &rel.display().to_string(), &text));
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn the_files_imported_from_the_corpus_validate_against_the_schema() {
    let mut bad = Vec::new();
    let mut files = 0;
    for part in ["dev", "holdout"] {
        for (doc, _) in crate::import::corpus::documents(part) {
            let opts = zhize::import::ImportOptions {
                output: PathBuf::from("content"),
                org: None,
                dry_run: true,
                force: false,
                reading: None,
            };
            let r = zhize::import::import_file(&doc, &opts).unwrap_or_else(|e| {
                panic!(
                    "{}: {}",
                    doc.display(),
                    e.render(false, zhize::diagnostic::Lang::En)
                )
            });
            for (path, text) in &r.files {
                if path.extension().is_none_or(|e| e != "yaml") {
                    continue;
                }
                files += 1;
                let kind = if path.file_name().is_some_and(|n| n == "_org.yaml") {
                    FileKind::Org
                } else {
                    FileKind::Dept
                };
                let name = format!("{} → {}", doc.display(), path.display());
                bad.extend(problems(kind, &name, text));
            }
        }
    }
    assert!(files > 50, "the corpus gives its files ({files})");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn chinese_keys_validate_and_a_wrong_key_fails_the_schema_and_check() {
    // The lists fixture writes its organisation with Chinese keys (权责事项, 承办机构 …).
    let fixture = repo().join("tests/fixtures/lists");
    let org = std::fs::read_to_string(fixture.join("content/demo-ju/_org.yaml")).unwrap();
    assert!(org.contains("权责事项:") && org.contains("实施依据:"));
    assert_eq!(
        problems(FileKind::Org, "_org.yaml", &org),
        Vec::<String>::new()
    );
    let dept = std::fs::read_to_string(fixture.join("content/demo-ju/shenpike.yaml")).unwrap();
    assert_eq!(
        problems(FileKind::Dept, "shenpike.yaml", &dept),
        Vec::<String>::new()
    );

    let wrong = dept.replace("    basis: [", "    basiss: [");
    assert_ne!(wrong, dept);
    let found = problems(FileKind::Dept, "shenpike.yaml", &wrong);
    assert!(
        found.iter().any(|p| p.contains("basiss")),
        "the schema refuses the wrong key: {found:?}"
    );
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture, dir.path());
    std::fs::write(dir.path().join("content/demo-ju/shenpike.yaml"), &wrong).unwrap();
    let o = zhize(&["check", "--root", dir.path().to_str().unwrap()]);
    assert!(!o.status.success());
    let err = stderr(&o);
    let line = wrong.lines().position(|l| l.contains("basiss")).unwrap() + 1;
    assert!(
        err.contains(&format!("shenpike.yaml:{line}:")),
        "check names the file and line {line}:\n{err}"
    );
    assert!(err.contains("basis"), "and the nearest valid key:\n{err}");
}

#[test]
fn zhize_schema_prints_it_and_the_build_and_init_publish_it() {
    let o = zhize(&["schema"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let printed: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let power = &printed["$defs"]["Power"]["properties"];
    for key in ["name", "basis", "实施依据", "承办机构", "追责情形", "steps"] {
        assert!(power.get(key).is_some(), "the power item has {key}");
    }
    assert_eq!(printed, zhize::schema::schema());
    let o = zhize(&["schema", "--kind", "nope"]);
    assert!(!o.status.success() && stderr(&o).contains("org, dept, part or config"));

    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let fixture = repo().join("tests/fixtures/lists");
    let o = zhize(&[
        "build",
        "--root",
        fixture.to_str().unwrap(),
        "--output",
        public.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(public.join("schema.json")).unwrap())
            .unwrap();
    assert_eq!(written, printed);
    // The open data is described by it.
    let org = std::fs::read_to_string(public.join("data/demo-ju.json")).unwrap();
    let dept = std::fs::read_to_string(public.join("data/demo-ju/shenpike.json")).unwrap();
    assert_eq!(
        problems(FileKind::Org, "demo-ju.json", &org),
        Vec::<String>::new()
    );
    assert_eq!(
        problems(FileKind::Dept, "shenpike.json", &dept),
        Vec::<String>::new()
    );

    let site = tempfile::tempdir().unwrap();
    let dir = site.path().join("new");
    let o = zhize(&["init", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let settings: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join(".vscode/settings.json")).unwrap())
            .unwrap();
    let map = settings["yaml.schemas"].as_object().unwrap();
    assert_eq!(
        map["./.vscode/zhize-org.schema.json"][0],
        "content/*/_org.yaml"
    );
    for file in map.keys() {
        let schema: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(file)).unwrap()).unwrap();
        jsonschema::validator_for(&schema).expect("a schema that compiles");
    }
    // The new site's own files validate against the schemas init mapped them to.
    let org = std::fs::read_to_string(dir.join("content/example/_org.yaml")).unwrap();
    assert_eq!(
        problems(FileKind::Org, "_org.yaml", &org),
        Vec::<String>::new()
    );
    let office = std::fs::read_to_string(dir.join("content/example/bangongshi.yaml")).unwrap();
    assert_eq!(
        problems(FileKind::Dept, "bangongshi.yaml", &office),
        Vec::<String>::new()
    );
}
