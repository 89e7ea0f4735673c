//! Any text through the front-matter splitter and the page metadata parser.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhize::load::{parse_yaml_text, split_front_matter};
use zhize::model::{canonical_key, PageMeta};
use zhize::source::SpanMap;

fuzz_target!(|text: &str| {
    if let Some((fm, fm_line, fm_offset, body, body_line)) = split_front_matter(text) {
        assert!(fm_line >= 1 && body_line >= fm_line);
        assert!(fm_offset + fm.len() <= text.len());
        assert!(text.ends_with(body));
        let spans =
            SpanMap::build(fm, |k| canonical_key(k).to_string()).shifted(fm_line - 1, fm_offset);
        let _ = parse_yaml_text::<PageMeta>(fm, &spans);
    }
});
