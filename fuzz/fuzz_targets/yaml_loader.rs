//! Any bytes through decoding, the position map and the YAML loader, for every file kind;
//! and the one-pass reader against serde_yaml and the position map: where both read a
//! text, the same value, and the same positions as the map.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhize::load::parse_yaml_text;
use zhize::model::{canonical_key, DeptFile, DeptPart, OrgFile};
use zhize::source::{decode, SpanMap};

/// Keys as written: the comparison is of the reading, not of the rewriting.
struct AsWritten;

impl zhize::yaml::Keys for AsWritten {
    fn canonical<'k>(&self, key: &'k str) -> &'k str {
        key
    }
    fn is_data(&self, _: &str) -> bool {
        false
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((text, _)) = decode(data) else {
        return;
    };
    let spans = SpanMap::build(&text, |k| canonical_key(k).to_string());
    let _ = parse_yaml_text::<DeptFile>(&text, &spans);
    let _ = parse_yaml_text::<OrgFile>(&text, &spans);
    let _ = parse_yaml_text::<DeptPart>(&text, &spans);
    let _ = parse_yaml_text::<zhize::config::Config>(&text, &spans);
    if let Some((value, fast_spans)) = zhize::yaml::parse(&text, &AsWritten) {
        // YAML 1.2 allows a little that serde_yaml's parser (libyaml) refuses, such as a plain
        // scalar starting with `:` inside `{…}`; where both read a text, they agree.
        if let Ok(slow) = serde_yaml::from_str::<serde_yaml::Value>(&text) {
            // NaN is the one value unequal to itself.
            if !format!("{value:?}").contains("NaN") {
                assert_eq!(value, slow);
            }
        }
        assert_eq!(fast_spans, SpanMap::build(&text, |k| k.to_string()));
    }
});
