//! Any text, as the numbered lines of a document, through the importer of every genre.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhize::import::document::{Document, Line};
use zhize::import::lines::Lines;
use zhize::import::{detect, parse, Genre};

fuzz_target!(|text: &str| {
    let doc = Document {
        name: "fuzz".into(),
        lines: text
            .lines()
            .enumerate()
            .map(|(i, t)| Line {
                no: i + 1,
                text: t.to_string(),
            })
            .collect(),
        encoding: "UTF-8",
    };
    let _ = detect(&doc);
    for genre in [
        Genre::DutyList,
        Genre::Breakdown,
        Genre::Notice,
        Genre::Articles,
    ] {
        let mut lines = Lines::new(&doc.lines);
        let imported = parse(&doc, genre, &mut lines);
        // What the importer makes must serialise (it is written as YAML).
        for d in &imported.depts {
            let _ = zhize::import::to_yaml(d);
        }
    }
});
