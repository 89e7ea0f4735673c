//! Any bytes through decoding, the position map and the YAML loader, for every file kind.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhize::load::parse_yaml_text;
use zhize::model::{canonical_key, DeptFile, DeptPart, OrgFile};
use zhize::source::{decode, SpanMap};

fuzz_target!(|data: &[u8]| {
    let Some((text, _)) = decode(data) else {
        return;
    };
    let spans = SpanMap::build(&text, |k| canonical_key(k).to_string());
    let _ = parse_yaml_text::<DeptFile>(&text, &spans);
    let _ = parse_yaml_text::<OrgFile>(&text, &spans);
    let _ = parse_yaml_text::<DeptPart>(&text, &spans);
    let _ = parse_yaml_text::<zhize::config::Config>(&text, &spans);
});
