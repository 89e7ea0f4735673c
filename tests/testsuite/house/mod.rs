//! The house keeps its shape: crates depend downwards only, the site crate's stages use only
//! earlier stages, and no function outside the tests is longer than two screens.

use crate::common::repo;
use std::collections::BTreeMap;

/// Each workspace crate and the zhize crates it may depend on: the architecture.
const CRATES: &[(&str, &[&str])] = &[
    ("core", &[]),
    ("import", &["core"]),
    ("flowchart", &["core"]),
    ("search", &["core"]),
    ("site", &["core", "flowchart", "search"]),
    ("serve", &["core", "search", "site"]),
];

/// The zhize crates a Cargo.toml's `[dependencies]` (not dev-dependencies) name.
fn zhize_deps(manifest: &str) -> Vec<String> {
    let mut section = "";
    let mut deps = Vec::new();
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            section = line;
            continue;
        }
        let is_deps = section == "[dependencies]" || section.ends_with(".dependencies]");
        if let (true, Some(name)) = (is_deps, line.strip_prefix("zhize-")) {
            deps.push(name.split([' ', '=', '.']).next().unwrap_or("").to_string());
        }
    }
    deps
}

#[test]
fn crates_depend_downwards_only() {
    let mut seen = Vec::new();
    for entry in std::fs::read_dir(repo().join("crates")).unwrap() {
        let dir = entry.unwrap().path();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        let allowed = CRATES
            .iter()
            .find(|(c, _)| *c == name)
            .unwrap_or_else(|| panic!("crates/{name} is not in the architecture table"))
            .1;
        for dep in zhize_deps(&manifest) {
            assert!(
                allowed.contains(&dep.as_str()),
                "zhize-{name} depends on zhize-{dep}, which the architecture does not allow"
            );
        }
        seen.push(name);
    }
    assert_eq!(seen.len(), CRATES.len(), "{seen:?}");
}

/// The site crate's modules in pipeline order: each may use only those before it.
const SITE_STAGES: &[&str] = &[
    "load",
    "resolve",
    "chart",
    "views",
    "output",
    "render",
    "search_docs",
    "stats",
    "init",
];

#[test]
fn site_stages_use_only_earlier_stages() {
    let src = repo().join("crates/site/src");
    for (i, stage) in SITE_STAGES.iter().enumerate() {
        let file = src.join(format!("{stage}.rs"));
        let files: Vec<std::path::PathBuf> = if file.is_file() {
            vec![file]
        } else {
            walkdir::WalkDir::new(src.join(stage))
                .into_iter()
                .map(|e| e.unwrap().into_path())
                .filter(|p| p.extension().is_some_and(|x| x == "rs"))
                .collect()
        };
        assert!(!files.is_empty(), "no module {stage}");
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            for later in &SITE_STAGES[i + 1..] {
                assert!(
                    !text.contains(&format!("crate::{later}")),
                    "{} ({stage}) uses the later stage {later}",
                    f.display()
                );
            }
        }
    }
}

/// Lines of each function outside tests: (file, name, first line) → lines.
fn function_lengths() -> BTreeMap<(String, String, usize), usize> {
    let mut out = BTreeMap::new();
    let roots = [repo().join("crates"), repo().join("src")];
    for root in roots {
        for e in walkdir::WalkDir::new(&root) {
            let p = e.unwrap().into_path();
            if p.extension().is_none_or(|x| x != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            let rel = p.strip_prefix(repo()).unwrap().display().to_string();
            for (name, start, len) in functions(&text) {
                out.insert((rel.clone(), name, start), len);
            }
        }
    }
    out
}

/// The functions of a Rust file before its `#[cfg(test)]` module: name, first line, length
/// in lines. Braces in strings, characters and comments are skipped.
fn functions(text: &str) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut open: Vec<(String, usize, usize)> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("#[cfg(test)]") {
            break;
        }
        let code = strip_literals(line);
        let words: Vec<&str> = code
            .split(|c: char| !c.is_alphanumeric() && c != '_')
            .collect();
        if let Some(k) = words.iter().position(|w| *w == "fn") {
            if let Some(name) = words[k + 1..].iter().find(|w| !w.is_empty()) {
                open.push((name.to_string(), n + 1, depth));
            }
        }
        for c in code.chars() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth = depth.saturating_sub(1);
                    if open.last().is_some_and(|f| f.2 == depth) {
                        let (name, start, _) = open.pop().unwrap();
                        out.push((name, start, n + 2 - start));
                    }
                }
                // A declaration without a body (`fn f();` in a trait).
                ';' if open.last().is_some_and(|f| f.2 == depth && f.1 == n + 1) => {
                    open.pop();
                }
                _ => {}
            }
        }
    }
    out
}

/// A line of code without its comment, string and character literals.
fn strip_literals(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => break,
            '"' => {
                while let Some(d) = chars.next() {
                    match d {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
            }
            '\'' => {
                // A character literal ('{', '\n') or a lifetime ('a).
                let rest: String = chars.clone().take(3).collect();
                if rest.starts_with('\\') || rest.chars().nth(1) == Some('\'') {
                    while let Some(d) = chars.next() {
                        if d == '\\' {
                            chars.next();
                        } else if d == '\'' {
                            break;
                        }
                    }
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Longest function allowed outside tests: about two screens.
const MAX_FUNCTION_LINES: usize = 150;

/// Functions still to be split, shrinking to none.
const TO_SPLIT: &[&str] = &["documents"];

#[test]
fn no_function_is_longer_than_two_screens() {
    let long: Vec<String> = function_lengths()
        .into_iter()
        .filter(|((_, name, _), len)| {
            *len > MAX_FUNCTION_LINES && !TO_SPLIT.contains(&name.as_str())
        })
        .map(|((file, name, start), len)| format!("{file}:{start} {name}: {len} lines"))
        .collect();
    assert!(
        long.is_empty(),
        "split these functions:\n{}",
        long.join("\n")
    );
}

#[test]
fn the_function_scanner_measures_what_it_should() {
    let text = "fn a() {\n    let s = \"}\";\n    let c = '{';\n}\n\npub fn b<'x>(x: &'x str) -> &'x str {\n    // }\n    x\n}\n";
    let f = functions(text);
    assert_eq!(f, vec![("a".to_string(), 1, 4), ("b".to_string(), 6, 4)]);
}
