//! Nothing is lost: every character of every input — the five seeds and every document of
//! the evaluation corpus — is in what `zhize import` writes: in a field of the YAML or a
//! page (whole, or cut into cells, a label and its text, clauses; numbering becomes the
//! order of a list), in `unparsed`, or, for headings that became sections and page
//! furniture, listed as written in the import report. No exemption for short lines.

use crate::common::{repo, seed};
use std::path::{Path, PathBuf};
use zhize::import::document::read_document;
use zhize::import::{import_file, landed, ImportOptions};

fn check(path: &Path) -> Vec<String> {
    let opts = ImportOptions {
        output: PathBuf::from("unused"),
        org: Some("x".into()),
        dry_run: true,
        force: false,
        reading: None,
    };
    let doc = read_document(path).unwrap();
    let r = import_file(path, &opts).unwrap();
    let mut written = String::new();
    for (p, text) in &r.files {
        if p.extension().is_some_and(|e| e == "yaml") {
            landed::yaml_text(text, &mut written);
        } else {
            // Pages, and the report file with its lists of structure and furniture.
            written.push_str(text);
            written.push('\n');
        }
    }
    let all: Vec<usize> = (0..doc.lines.len()).collect();
    landed::not_landed(&doc.lines, &all, &written)
        .into_iter()
        .map(|i| {
            format!(
                "{}:{}: {}",
                path.display(),
                doc.lines[i].no,
                doc.lines[i].text
            )
        })
        .collect()
}

#[test]
fn every_line_of_every_seed_and_corpus_document_is_in_the_output() {
    let mut docs: Vec<PathBuf> = ["000", "001", "002", "003", "004"]
        .iter()
        .map(|s| seed(s))
        .collect();
    // ZHIZE_CORPUS_PARTS=dev limits the corpus to dev/ while heuristics are being written.
    let parts = std::env::var("ZHIZE_CORPUS_PARTS").unwrap_or_else(|_| "dev,holdout".into());
    for part in parts.split(',') {
        docs.extend(super::corpus::documents(part).into_iter().map(|(d, _)| d));
    }
    let _ = repo();
    let lost: Vec<String> = docs.iter().flat_map(|d| check(d)).collect();
    assert!(
        lost.is_empty(),
        "{} lines lost:\n{}",
        lost.len(),
        lost.join("\n")
    );
}
