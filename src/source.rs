//! Source files as read from disk: decoding to text and locating YAML nodes by path.
//!
//! Office files arrive as UTF-8, UTF-8 with a BOM, UTF-16 with a BOM or GBK/GB18030. [`decode`]
//! turns any of them into text and says which encoding it found. [`SpanMap`] records where each
//! node of a YAML document starts, keyed by its path (`division.internal.2.with.0`) with keys in
//! their canonical English form, so later stages can point at the exact line and column.

use crate::diagnostic::Pos;
use std::collections::HashMap;

/// The encoding a file was decoded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Gb18030,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Gb18030 => "GBK/GB18030",
        }
    }
}

/// Decode bytes to text. Returns `None` only when the bytes are neither valid UTF-8/UTF-16
/// nor plausible GB18030 (which decodes almost anything, so we also reject control bytes).
pub fn decode(bytes: &[u8]) -> Option<(String, Encoding)> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return std::str::from_utf8(rest)
            .ok()
            .map(|s| (s.to_string(), Encoding::Utf8Bom));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        let (text, had_errors) = encoding_rs::UTF_16LE.decode_without_bom_handling(&bytes[2..]);
        return (!had_errors).then(|| (text.into_owned(), Encoding::Utf16Le));
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        let (text, had_errors) = encoding_rs::UTF_16BE.decode_without_bom_handling(&bytes[2..]);
        return (!had_errors).then(|| (text.into_owned(), Encoding::Utf16Be));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Some((s.to_string(), Encoding::Utf8));
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    let plausible = !had_errors
        && !text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'));
    plausible.then(|| (text.into_owned(), Encoding::Gb18030))
}

/// 1-based line and column (in characters) of a byte offset.
pub fn pos_of_offset(text: &str, offset: usize) -> Pos {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    Pos {
        line,
        col,
        offset,
        len: 0,
    }
}

/// Byte offset of a 1-based line and column (in characters).
pub fn offset_of(text: &str, line: usize, col: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let in_line: usize = l
                .chars()
                .take(col.saturating_sub(1))
                .map(char::len_utf8)
                .sum();
            return offset + in_line;
        }
        offset += l.len();
    }
    text.len()
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Where each YAML node starts, keyed by its dotted path with canonical keys.
#[derive(Debug, Default, Clone)]
pub struct SpanMap {
    spans: HashMap<String, Pos>,
    keys: HashMap<String, Pos>,
}

impl SpanMap {
    /// Record the position of every node of `text`. `canon` maps a key as written (possibly
    /// a Chinese alias) to its canonical name. Errors are ignored here: the YAML parser proper
    /// reports them.
    pub fn build(text: &str, canon: impl Fn(&str) -> String) -> SpanMap {
        use saphyr_parser::{Event, Parser};
        enum Frame {
            Seq(usize),
            Map {
                key: Option<String>,
                expect_key: bool,
            },
        }
        let mut spans = HashMap::new();
        let mut keys = HashMap::new();
        let mut stack: Vec<Frame> = Vec::new();
        let mut path: Vec<String> = Vec::new();
        // Character index → byte offset, computed lazily as markers arrive in order.
        let mut char_to_byte = CharIndexer::new(text);

        for item in Parser::new_from_str(text) {
            let Ok((event, span)) = item else { break };
            let start = span.start;
            let offset = char_to_byte.byte_of(start.index());
            let end = char_to_byte.byte_of(span.end.index());
            let pos = Pos {
                line: start.line(),
                col: start.col() + 1,
                offset,
                len: end.saturating_sub(offset),
            };
            // Is this event a key of the enclosing map?
            let is_key = matches!(
                stack.last(),
                Some(Frame::Map {
                    expect_key: true,
                    ..
                })
            );
            if is_key {
                if let Event::Scalar(ref v, ..) = event {
                    if let Some(Frame::Map { key, expect_key }) = stack.last_mut() {
                        let k = canon(v);
                        let mut full = path.clone();
                        full.push(k.clone());
                        keys.entry(full.join(".")).or_insert(pos);
                        *key = Some(k);
                        *expect_key = false;
                    }
                    continue;
                }
            }
            let opens = matches!(event, Event::SequenceStart(..) | Event::MappingStart(..));
            let closes = matches!(event, Event::SequenceEnd | Event::MappingEnd);
            let is_node = opens || matches!(event, Event::Scalar(..) | Event::Alias(..));
            if closes {
                stack.pop();
                path.pop();
                advance(&mut stack);
                continue;
            }
            if !is_node {
                continue;
            }
            // A value: compute its path segment from the parent frame.
            let segment = match stack.last() {
                Some(Frame::Seq(i)) => Some(i.to_string()),
                Some(Frame::Map { key, .. }) => Some(key.clone().unwrap_or_default()),
                None => None,
            };
            let mut full = path.clone();
            if let Some(s) = &segment {
                full.push(s.clone());
            }
            spans.entry(full.join(".")).or_insert(pos);
            if opens {
                path.push(segment.unwrap_or_default());
                if path.len() == 1 && stack.is_empty() {
                    // The document root: no segment.
                    path.clear();
                }
                stack.push(match event {
                    Event::SequenceStart(..) => Frame::Seq(0),
                    _ => Frame::Map {
                        key: None,
                        expect_key: true,
                    },
                });
            } else {
                advance(&mut stack);
            }
        }

        fn advance(stack: &mut [Frame]) {
            match stack.last_mut() {
                Some(Frame::Seq(i)) => *i += 1,
                Some(Frame::Map { expect_key, .. }) => *expect_key = true,
                None => {}
            }
        }
        SpanMap { spans, keys }
    }

    /// Position of the key of the node at `path` (for errors about the key itself).
    pub fn get_key(&self, path: &str) -> Option<Pos> {
        self.keys.get(path).copied().or_else(|| self.get(path))
    }

    /// Position of the node at `path`, or of its nearest recorded ancestor.
    pub fn get(&self, path: &str) -> Option<Pos> {
        let mut p = path;
        loop {
            if let Some(pos) = self.spans.get(p) {
                return Some(*pos);
            }
            match p.rfind('.') {
                Some(i) => p = &p[..i],
                None => return self.spans.get("").copied(),
            }
        }
    }

    /// Shift every position by a number of lines and bytes (for front matter inside a page).
    pub fn shifted(mut self, lines: usize, bytes: usize) -> SpanMap {
        for pos in self.spans.values_mut().chain(self.keys.values_mut()) {
            pos.line += lines;
            pos.offset += bytes;
        }
        self
    }
}

/// Converts increasing character indices to byte offsets in one forward pass.
struct CharIndexer<'a> {
    text: &'a str,
    chars: usize,
    bytes: usize,
}

impl<'a> CharIndexer<'a> {
    fn new(text: &'a str) -> Self {
        CharIndexer {
            text,
            chars: 0,
            bytes: 0,
        }
    }
    fn byte_of(&mut self, char_index: usize) -> usize {
        if char_index < self.chars {
            // Markers can go backwards (an end before the next start); recount from 0.
            self.chars = 0;
            self.bytes = 0;
        }
        for c in self.text[self.bytes..].chars() {
            if self.chars >= char_index {
                break;
            }
            self.chars += 1;
            self.bytes += c.len_utf8();
        }
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_encodings_offices_use() {
        let text = "名称: 办公室\n";
        assert_eq!(decode(text.as_bytes()).unwrap().1, Encoding::Utf8);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(decode(&bom).unwrap(), (text.to_string(), Encoding::Utf8Bom));
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        assert_eq!(decode(&gbk).unwrap(), (text.to_string(), Encoding::Gb18030));
        let mut u16 = vec![0xFF, 0xFE];
        for unit in text.encode_utf16() {
            u16.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode(&u16).unwrap(), (text.to_string(), Encoding::Utf16Le));
    }

    #[test]
    fn span_map_finds_nested_nodes_with_canonical_keys() {
        let text = "名称: 办公室\ndivision:\n  internal:\n    - with: [财务审计科, 政工科]\n      text: 衔接\n";
        let map = SpanMap::build(text, |k| {
            if k == "名称" {
                "name".into()
            } else {
                k.into()
            }
        });
        assert_eq!(map.get("name").unwrap().line, 1);
        let p = map.get("division.internal.0.with.1").unwrap();
        assert_eq!((p.line, p.col), (4, 21));
        assert_eq!(&text[p.offset..p.offset + p.len], "政工科");
        assert_eq!(map.get("division.internal.0.text").unwrap().line, 5);
        // Unknown deeper paths fall back to the nearest ancestor.
        assert_eq!(map.get("division.internal.0.text.9").unwrap().line, 5);
    }

    #[test]
    fn offsets_and_positions_round_trip() {
        let text = "a: 1\n名称: 办公室\n";
        let off = offset_of(text, 2, 5);
        assert_eq!(&text[off..], "办公室\n");
        let p = pos_of_offset(text, off);
        assert_eq!((p.line, p.col), (2, 5));
    }
}
