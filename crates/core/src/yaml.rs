//! One pass over a YAML file: its value with canonical keys, and the position of every node.
//!
//! A content file used to be read three times: once for its limits (depth, aliases), once
//! for the positions of its nodes ([`SpanMap::build`]) and once by serde_yaml for its value,
//! whose keys were then rewritten. [`parse`] reads the parser's events once and makes all of
//! it. It handles what content files are made of (block and flow collections, scalars of
//! every style) and declines the rest, returning `None`, so
//! that the caller takes the slow path, whose errors and messages are serde_yaml's: a syntax
//! error, an anchor (`&name`) or alias (`*name`), a tag (`!!str`), a key that is itself a collection, a key given
//! twice (after Chinese keys are rewritten), a second document, a number too large for 64
//! bits, nesting deeper than [`MAX_YAML_DEPTH`]. On what both read, its value is the one
//! serde_yaml gives, with plain scalars typed by the same YAML 1.2 rules (tested against
//! serde_yaml on every YAML file of the repository, on generated scalars, and by the
//! `yaml_loader` fuzz target). The parser follows YAML 1.2, which allows a little that
//! serde_yaml's libyaml refuses (a plain scalar starting with `:` inside `{…}`, for one):
//! such a file loads as YAML 1.2 reads it rather than failing.

use crate::diagnostic::Pos;
use crate::source::{packed, path_key, CharIndexer, SpanMap, MAX_YAML_DEPTH};
use saphyr_parser::{Event, Parser, ScalarStyle};
use serde_yaml::{Mapping, Number, Value};

/// How a file's keys are rewritten.
pub trait Keys {
    /// The canonical name of `key` as written, for positions ([`SpanMap`] paths).
    fn canonical<'k>(&self, key: &'k str) -> &'k str;
    /// Is the mapping at `path` (canonical, dotted) data whose keys are kept as written?
    fn is_data(&self, path: &str) -> bool;
}

/// An open collection, with the path length to cut back to when it ends.
enum Frame {
    Seq(Vec<Value>, usize),
    /// The mapping, the key waiting for its value (`None`: a key comes next) with its
    /// segment of a path (its canonical spelling), and whether its keys are data.
    Map(Mapping, Option<(Value, String)>, bool, usize),
}

/// The value of `text` (null for an empty file) with its keys made canonical, and where each
/// node is; `None` when the file needs the slow path (see the module's documentation).
pub fn parse(text: &str, keys: &impl Keys) -> Option<(Value, SpanMap)> {
    // YAML allows only printable characters; the parser takes others, serde_yaml refuses them.
    if !text.chars().all(printable) {
        return None;
    }
    let mut spans = Vec::new();
    let mut key_spans = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    // The dotted path of the innermost open collection (the root's is empty).
    let mut path = String::new();
    let mut root: Option<Value> = None;
    let mut documents = 0;
    let mut chars = CharIndexer::new(text);
    for item in Parser::new_from_str(text) {
        let (event, span) = item.ok()?;
        let node_pos = |chars: &mut CharIndexer| {
            let offset = chars.byte_of(span.start.index());
            let end = chars.byte_of(span.end.index());
            packed(Pos {
                line: span.start.line(),
                col: span.start.col() + 1,
                offset,
                len: end.saturating_sub(offset),
            })
        };
        let (value, opens) = match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return None;
                }
                continue;
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => continue,
            Event::Alias(_) => return None,
            Event::SequenceEnd | Event::MappingEnd => {
                let (value, cut) = match stack.pop()? {
                    Frame::Seq(items, cut) => (Value::Sequence(items), cut),
                    Frame::Map(map, None, _, cut) => (Value::Mapping(map), cut),
                    Frame::Map(_, Some(_), ..) => return None,
                };
                path.truncate(cut);
                place(&mut stack, &mut root, value)?;
                continue;
            }
            Event::Scalar(_, _, _, Some(_))
            | Event::SequenceStart(_, Some(_))
            | Event::MappingStart(_, Some(_)) => return None,
            // An anchor: YAML 1.2 and libyaml end its name differently (`&a:` is the anchor
            // `a:` to one, `a` then `:` to the other), so anchored texts take the slow path.
            Event::Scalar(_, _, anchor, _)
            | Event::SequenceStart(anchor, _)
            | Event::MappingStart(anchor, _)
                if anchor != 0 =>
            {
                return None
            }
            Event::Scalar(v, style, ..) => {
                // A key of the mapping on top: its own position, and it waits for its value.
                let depth = stack.len();
                if let Some(Frame::Map(map, pending @ None, data, _)) = stack.last_mut() {
                    let canonical = keys.canonical(&v).to_string();
                    let at = join(&path, depth, &canonical);
                    key_spans.push((path_key(&at), node_pos(&mut chars)));
                    let key = match scalar(&v, style)? {
                        Value::String(s) if !*data => {
                            Value::String(keys.canonical(s.trim()).to_string())
                        }
                        other => other,
                    };
                    if map.contains_key(&key) {
                        return None;
                    }
                    *pending = Some((key, canonical));
                    continue;
                }
                (scalar(&v, style)?, false)
            }
            Event::SequenceStart(..) => (Value::Sequence(Vec::new()), true),
            Event::MappingStart(..) => (Value::Mapping(Mapping::new()), true),
        };
        // A node: its path is its parent's and its place in the parent.
        let cut = path.len();
        match stack.last() {
            Some(Frame::Seq(items, _)) => {
                push_segment(&mut path, stack.len(), &items.len().to_string())
            }
            Some(Frame::Map(_, Some((_, seg)), ..)) => push_segment(&mut path, stack.len(), seg),
            // A collection as a key.
            Some(Frame::Map(_, None, ..)) => return None,
            None => {}
        }
        spans.push((path_key(&path), node_pos(&mut chars)));
        if opens {
            if stack.len() >= MAX_YAML_DEPTH {
                return None;
            }
            stack.push(match value {
                Value::Sequence(_) => Frame::Seq(Vec::new(), cut),
                _ => Frame::Map(Mapping::new(), None, keys.is_data(&path), cut),
            });
        } else {
            path.truncate(cut);
            place(&mut stack, &mut root, value)?;
        }
    }
    if !stack.is_empty() {
        return None;
    }
    Some((
        root.unwrap_or(Value::Null),
        SpanMap::from_entries(spans, key_spans),
    ))
}

/// Is `c` one of YAML's printable characters (tab, line breaks, and the rest of Unicode but
/// controls, surrogates and U+FFFE/U+FFFF)?
fn printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// `path` + `.` + `seg`, for a node `depth` collections deep (the root collection adds no
/// segment, so its children's paths have no leading dot).
fn join(path: &str, depth: usize, seg: &str) -> String {
    let mut p = path.to_string();
    push_segment(&mut p, depth, seg);
    p
}

fn push_segment(path: &mut String, depth: usize, seg: &str) {
    if depth >= 2 {
        path.push('.');
    }
    path.push_str(seg);
}

/// Put a finished node into the collection on top of `stack`, or make it the document.
fn place(stack: &mut [Frame], root: &mut Option<Value>, value: Value) -> Option<()> {
    match stack.last_mut() {
        Some(Frame::Seq(items, _)) => items.push(value),
        Some(Frame::Map(map, pending, ..)) => {
            map.insert(pending.take()?.0, value);
        }
        None => {
            if root.replace(value).is_some() {
                return None;
            }
        }
    }
    Some(())
}

/// A scalar's value: quoted and block scalars are strings; a plain one is typed by YAML 1.2's
/// core schema as serde_yaml reads it (null, booleans, integers in four bases, floats).
/// `None` for an integer past 64 bits, left to serde_yaml.
fn scalar(v: &str, style: ScalarStyle) -> Option<Value> {
    if style != ScalarStyle::Plain {
        return Some(Value::String(v.to_string()));
    }
    Some(match v {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        _ => match number(v) {
            Number_::Int(n) => Value::Number(n),
            Number_::TooLarge => return None,
            Number_::Float(f) => Value::Number(Number::from(f)),
            Number_::Not => Value::String(v.to_string()),
        },
    })
}

enum Number_ {
    Int(Number),
    TooLarge,
    Float(f64),
    Not,
}

/// Leading zeros followed by digits (`007`, `-012`): a string in YAML 1.2, not a number.
fn zero_padded(v: &str) -> bool {
    let d = v.strip_prefix(['-', '+']).unwrap_or(v);
    d.len() > 1 && d.starts_with('0') && d[1..].bytes().all(|b| b.is_ascii_digit())
}

/// A plain scalar read as a number, as serde_yaml reads it: an optional sign, then `0x`,
/// `0o`, `0b` or decimal digits (not zero-padded), else a finite float or `.inf` / `.nan`.
fn number(v: &str) -> Number_ {
    let first = v.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.')) {
        return Number_::Not;
    }
    let (negative, digits) = match v.as_bytes()[0] {
        b'+' => (false, &v[1..]),
        b'-' => (true, &v[1..]),
        _ => (false, v),
    };
    let based = [("0x", 16), ("0o", 8), ("0b", 2)]
        .into_iter()
        .find_map(|(p, radix)| digits.strip_prefix(p).map(|rest| (rest, radix)));
    // A second sign is never a number (`+-1`, `0x-1`).
    let signed_again = |s: &str| s.starts_with(['+', '-']);
    let int = match based {
        Some((rest, _)) if signed_again(rest) => None,
        Some((rest, radix)) => Some((rest, radix)),
        None if signed_again(digits) || zero_padded(v) => None,
        None => Some((digits, 10)),
    };
    if let Some((rest, radix)) = int {
        if let Ok(n) = u128::from_str_radix(rest, radix) {
            return match (negative, u64::try_from(n), i64::try_from(n)) {
                (false, Ok(u), _) => Number_::Int(Number::from(u)),
                (true, _, Ok(i)) => Number_::Int(Number::from(-i)),
                (true, _, Err(_)) if n == 1u128 << 63 => Number_::Int(Number::from(i64::MIN)),
                _ => Number_::TooLarge,
            };
        }
        if radix != 10 {
            // `0x` with something else after it: serde_yaml tries it as a float too, and
            // Rust reads no float starting `0x`.
            return Number_::Not;
        }
    }
    if zero_padded(v) || signed_again(digits) {
        return Number_::Not;
    }
    match digits {
        ".inf" | ".Inf" | ".INF" => {
            return Number_::Float(if negative {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            })
        }
        ".nan" | ".NaN" | ".NAN" if first == b'.' => return Number_::Float(f64::NAN),
        _ => {}
    }
    match digits.parse::<f64>() {
        Ok(f) if f.is_finite() => Number_::Float(if negative { -f } else { f }),
        _ => Number_::Not,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    struct Plain;
    impl Keys for Plain {
        fn canonical<'k>(&self, key: &'k str) -> &'k str {
            match key {
                "名称" => "name",
                k => k,
            }
        }
        fn is_data(&self, path: &str) -> bool {
            path == "staffing"
        }
    }

    fn same_as_serde_yaml(text: &str) {
        let (ours, spans) = parse(text, &Plain).expect("the fast path takes this text");
        let theirs: Value = serde_yaml::from_str(text).unwrap();
        assert_eq!(ours, theirs, "{text}");
        let built = SpanMap::build(text, |k| Plain.canonical(k).to_string());
        assert_eq!(spans, built, "{text}");
    }

    #[test]
    fn values_and_positions_are_serde_yamls_and_span_maps() {
        same_as_serde_yaml("");
        same_as_serde_yaml("name: 办公室\nduties:\n  - 负责文电\n  - {a: 1, b: [x, 'y', \"z\"]}\nn: 007\nm: -0x1F\nf: 1.5e3\nb: True\nz: ~\ne:\nlit: |\n  多行\n  文本\n");
        same_as_serde_yaml("- 1\n- - 2\n  - 3\n- k: v\n  k2: [ ]\n");
        same_as_serde_yaml("'': 1\nq: {'': {'': 2}}\n");
    }

    #[test]
    fn keys_are_canonical_except_in_data_maps() {
        let (v, spans) = parse("名称: 甲\nstaffing:\n  名称: 3\n", &Plain).unwrap();
        assert_eq!(v["name"], Value::String("甲".into()));
        assert_eq!(v["staffing"]["名称"], Value::Number(3.into()));
        assert_eq!(spans.get("name").unwrap().line, 1);
        assert_eq!(spans.get_key("staffing.name").unwrap().line, 3);
    }

    #[test]
    fn what_the_fast_path_leaves_to_serde_yaml() {
        for text in [
            "a: *x\n",
            "&a x: &b [1, 2]\n",
            // Found by the yaml_loader fuzz target: libyaml reads the anchor `a` and a key,
            // YAML 1.2 the anchor `a:`.
            "{k: v,&a: b}\n",
            "a: !!str 1\n",
            "? [a]\n: 1\n",
            "名称: 1\nname: 2\n",
            "a: 1\na: 2\n",
            "a: 1\n---\nb: 2\n",
            "a: 99999999999999999999\n",
            "a: [1\n",
            "a: b: c\n",
            "a: b\u{1}\n",
            "a: \u{fffe}\n",
        ] {
            assert!(parse(text, &Plain).is_none(), "{text}");
        }
        let deep = "[".repeat(MAX_YAML_DEPTH + 1) + &"]".repeat(MAX_YAML_DEPTH + 1);
        assert!(parse(&deep, &Plain).is_none());
    }

    proptest! {
        /// Any plain scalar made of the characters that numbers, nulls and booleans are made
        /// of is typed as serde_yaml types it.
        #[test]
        fn plain_scalars_are_typed_as_serde_yaml_types_them(
            s in "[-+.0-9xobeEaAfFinINtTrRuUlLsSn_~]{1,8}|[-+]{0,2}(0[xob])?[-+]?[0-9a-f]{0,21}(\\.[0-9]{0,3})?([eE][-+]?[0-9]{1,3})?"
        ) {
            let text = format!("k: {s}\n");
            if let (Ok(theirs), Some((ours, _))) =
                (serde_yaml::from_str::<Value>(&text), parse(&text, &Plain))
            {
                // NaN is never equal to itself.
                let nan = |v: &Value| v["k"].as_f64().is_some_and(f64::is_nan);
                prop_assert!(ours == theirs || (nan(&ours) && nan(&theirs)), "{s}: {ours:?} / {theirs:?}");
            }
        }
    }
}
