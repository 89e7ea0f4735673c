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
    Big5,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Gb18030 => "GBK/GB18030",
            Encoding::Big5 => "Big5",
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
    if let Some(found) = utf16_without_bom(bytes) {
        return Some(found);
    }
    if mostly_utf8(bytes) {
        // UTF-8 with a few broken bytes: reading it as GB18030 would turn every Chinese
        // character into mojibake without a single error, so refuse it instead.
        return None;
    }
    if looks_like_big5(bytes) {
        let (text, had_errors) = encoding_rs::BIG5.decode_without_bom_handling(bytes);
        if !had_errors && plausible_text(&text) {
            return Some((text.into_owned(), Encoding::Big5));
        }
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    (!had_errors && plausible_text(&text)).then(|| (text.into_owned(), Encoding::Gb18030))
}

/// Big5 rather than GBK, from the bytes alone. Almost every character of simplified text is
/// in GB2312, whose two bytes both lie in 0xA1–0xFE; about half of the common Big5
/// characters end in a byte of 0x40–0x7E instead, which GBK reads as rare characters of its
/// extension (so Big5 read as GBK gives mojibake without a single error). Text in which
/// fewer than three pairs in four are GB2312-shaped is Big5 when it decodes as Big5.
fn looks_like_big5(bytes: &[u8]) -> bool {
    let (mut pairs, mut gb2312) = (0usize, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
            continue;
        }
        let Some(&t) = bytes.get(i + 1) else { break };
        pairs += 1;
        if (0xA1..=0xFE).contains(&b) && (0xA1..=0xFE).contains(&t) {
            gb2312 += 1;
        }
        i += 2;
    }
    pairs >= 4 && gb2312 * 4 < pairs * 3
}

/// No control characters other than line breaks and tabs.
fn plausible_text(text: &str) -> bool {
    !text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// UTF-16 saved without a byte-order mark: YAML is mostly ASCII (keys, `: `, line breaks),
/// whose UTF-16 units have a zero high byte, so zeros cluster on one side of each pair.
fn utf16_without_bom(bytes: &[u8]) -> Option<(String, Encoding)> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let pairs = bytes.len() / 2;
    let zeros_at = |side: usize| bytes.chunks_exact(2).filter(|p| p[side] == 0).count();
    let (even, odd) = (zeros_at(0), zeros_at(1));
    let (enc, encoding) = if odd * 5 >= pairs && even * 20 <= odd {
        (encoding_rs::UTF_16LE, Encoding::Utf16Le)
    } else if even * 5 >= pairs && odd * 20 <= even {
        (encoding_rs::UTF_16BE, Encoding::Utf16Be)
    } else {
        return None;
    };
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    (!had_errors && plausible_text(&text)).then(|| (text.into_owned(), encoding))
}

/// Invalid UTF-8 that is nonetheless mostly well-formed multi-byte UTF-8 (five good
/// characters or more for each damaged place): a UTF-8 file with damage, not GBK, whose
/// byte pairs seldom form valid UTF-8 and break it every character or two.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut good, mut bad) = (0usize, 0usize);
    for (i, chunk) in bytes.utf8_chunks().enumerate() {
        good += chunk.valid().chars().filter(|c| c.len_utf8() > 1).count();
        // Invalid bytes right after invalid bytes are the same damaged place.
        if !chunk.invalid().is_empty() && (i == 0 || !chunk.valid().is_empty()) {
            bad += 1;
        }
    }
    bad > 0 && good >= bad * 5
}

/// Why [`decode`] refused `bytes`, for the error message: where the first bad byte is (with
/// its line), and which encoding it looked like.
pub fn undecodable_reason(bytes: &[u8]) -> String {
    let utf16 = |body: &[u8], enc: &'static encoding_rs::Encoding, name: &str| {
        let (text, _) = enc.decode_without_bom_handling(body);
        let bad = text.find('\u{FFFD}').unwrap_or(text.len());
        let line = text[..bad].matches('\n').count() + 1;
        format!("the file starts with a {name} byte-order mark but is not valid {name}: broken text at line {line}")
    };
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return utf16(&bytes[2..], encoding_rs::UTF_16LE, "UTF-16LE");
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return utf16(&bytes[2..], encoding_rs::UTF_16BE, "UTF-16BE");
    }
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let bad = std::str::from_utf8(body)
        .err()
        .map(|e| e.valid_up_to())
        .unwrap_or(0);
    let before = String::from_utf8_lossy(&body[..bad]);
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    let byte = bad + (bytes.len() - body.len());
    if mostly_utf8(body) || body.len() < bytes.len() {
        format!("not valid text: the file is UTF-8 but has invalid bytes at line {line}, column {col} (byte {byte})")
    } else {
        format!(
            "not valid text: invalid UTF-8 at byte {byte} (line {line}), and not GBK or UTF-16 either"
        )
    }
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

/// Deepest nesting of lists and maps a YAML file may have. Real files nest about eight
/// levels (procedures → steps → branches); serde_yaml itself stops at 128.
pub const MAX_YAML_DEPTH: usize = 64;

/// Files larger than this are refused: duty lists are small, and a huge file is a mistake.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Most nodes that aliases (`*name`) may add to a YAML file when expanded. serde_yaml caps
/// the number of alias jumps but not their size: a 40 KB file that repeats one big anchor
/// 20,000 times expands to hundreds of millions of nodes and tens of gigabytes.
pub const MAX_ALIAS_NODES: u64 = 100_000;

/// A YAML text that is too deep or expands too far, found before parsing it for real.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlLimit {
    pub message: String,
    pub pos: Pos,
}

/// Refuse YAML that nests deeper than [`MAX_YAML_DEPTH`] or whose aliases expand to more
/// than [`MAX_ALIAS_NODES`] nodes ("billion laughs"). One pass over the parser's events,
/// with memory bounded by the nesting limit and the number of anchors; syntax errors are
/// left to the real parser.
pub fn check_yaml_limits(text: &str) -> Result<(), YamlLimit> {
    use saphyr_parser::{Event, Parser};
    // Open collections: (anchor id, nodes inside so far, counting expansions).
    let mut stack: Vec<(usize, u64)> = Vec::new();
    let mut sizes: HashMap<usize, u64> = HashMap::new();
    let mut expanded: u64 = 0;
    let at = |mark: saphyr_parser::Marker| {
        let (line, col) = (mark.line(), mark.col() + 1);
        Pos {
            line,
            col,
            offset: offset_of(text, line, col),
            len: 1,
        }
    };
    for item in Parser::new_from_str(text) {
        let (event, span) = match item {
            Ok(found) => found,
            // The scanner has a nesting limit of its own, met before the events reach ours.
            Err(e) if e.info().contains("recursion limit") => {
                return Err(YamlLimit {
                    message: format!("the YAML nests more than {MAX_YAML_DEPTH} levels deep"),
                    pos: at(*e.marker()),
                })
            }
            Err(_) => break,
        };
        let add = |stack: &mut Vec<(usize, u64)>, n: u64| {
            if let Some(top) = stack.last_mut() {
                top.1 = top.1.saturating_add(n);
            }
        };
        match event {
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if stack.len() >= MAX_YAML_DEPTH {
                    return Err(YamlLimit {
                        message: format!("the YAML nests more than {MAX_YAML_DEPTH} levels deep"),
                        pos: at(span.start),
                    });
                }
                stack.push((anchor, 1));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((anchor, n)) = stack.pop() {
                    if anchor != 0 {
                        sizes.insert(anchor, n);
                    }
                    add(&mut stack, n);
                }
            }
            Event::Scalar(_, _, anchor, _) => {
                if anchor != 0 {
                    sizes.insert(anchor, 1);
                }
                add(&mut stack, 1);
            }
            Event::Alias(anchor) => {
                // An alias to an anchor still open (`&a [*a]`) is an error for the parser.
                let n = sizes.get(&anchor).copied().unwrap_or(1);
                expanded = expanded.saturating_add(n);
                if expanded > MAX_ALIAS_NODES {
                    return Err(YamlLimit {
                        message: format!(
                            "the YAML's aliases (`*name`) expand to more than {MAX_ALIAS_NODES} nodes"
                        ),
                        pos: at(span.start),
                    });
                }
                add(&mut stack, n);
            }
            _ => {}
        }
    }
    Ok(())
}

/// The first key given twice in one mapping of a YAML text, with the position of its second
/// occurrence (the parser reports such a file at its start).
pub fn find_duplicate_key(text: &str) -> Option<(String, Pos)> {
    use saphyr_parser::{Event, Parser};
    /// An open collection: a mapping with its keys so far and whether a key comes next.
    enum Frame {
        Map(std::collections::HashSet<String>, bool),
        Seq,
    }
    // A node ended in the collection on top of `stack`: in a mapping, keys and values alternate.
    fn node_done(stack: &mut [Frame]) {
        if let Some(Frame::Map(_, key_next)) = stack.last_mut() {
            *key_next = !*key_next;
        }
    }
    let mut stack: Vec<Frame> = Vec::new();
    for item in Parser::new_from_str(text) {
        let Ok((event, span)) = item else { break };
        match event {
            Event::MappingStart(..) => stack.push(Frame::Map(Default::default(), true)),
            Event::SequenceStart(..) => stack.push(Frame::Seq),
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
                node_done(&mut stack);
            }
            Event::Scalar(value, ..) => {
                if let Some(Frame::Map(keys, true)) = stack.last_mut() {
                    if !keys.insert(value.to_string()) {
                        let (line, col) = (span.start.line(), span.start.col() + 1);
                        let pos = Pos {
                            line,
                            col,
                            offset: offset_of(text, line, col),
                            len: value.len().max(1),
                        };
                        return Some((value.to_string(), pos));
                    }
                }
                node_done(&mut stack);
            }
            Event::Alias(_) => node_done(&mut stack),
            _ => {}
        }
    }
    None
}

/// Where each YAML node starts, keyed by its dotted path with canonical keys.
///
/// Every node of every file has an entry, so entries are kept small: a 64-bit hash of the
/// path (two paths of one file sharing a hash is a one in 2^64 chance per pair) and the
/// position as four `u32`s, in a sorted vector.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SpanMap {
    spans: Vec<(u64, [u32; 4])>,
    keys: Vec<(u64, [u32; 4])>,
}

/// A path's key in a [`SpanMap`].
pub(crate) fn path_key(path: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    // SipHash with fixed keys: the same in every run.
    let mut h = std::hash::DefaultHasher::new();
    path.hash(&mut h);
    h.finish()
}

pub(crate) fn packed(p: Pos) -> [u32; 4] {
    let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
    [n(p.line), n(p.col), n(p.offset), n(p.len)]
}

fn unpacked(p: [u32; 4]) -> Pos {
    Pos {
        line: p[0] as usize,
        col: p[1] as usize,
        offset: p[2] as usize,
        len: p[3] as usize,
    }
}

/// Sort by key, keeping the first position recorded for each.
fn sorted(mut v: Vec<(u64, [u32; 4])>) -> Vec<(u64, [u32; 4])> {
    v.sort_by_key(|e| e.0);
    v.dedup_by_key(|e| e.0);
    v.shrink_to_fit();
    v
}

fn find(v: &[(u64, [u32; 4])], path: &str) -> Option<Pos> {
    let k = path_key(path);
    v.binary_search_by_key(&k, |e| e.0)
        .ok()
        .map(|i| unpacked(v[i].1))
}

impl SpanMap {
    /// A map of positions recorded in any order (see [`crate::yaml::parse`]).
    pub(crate) fn from_entries(spans: Vec<(u64, [u32; 4])>, keys: Vec<(u64, [u32; 4])>) -> SpanMap {
        SpanMap {
            spans: sorted(spans),
            keys: sorted(keys),
        }
    }

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
        let mut spans = Vec::new();
        let mut keys = Vec::new();
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
                        keys.push((path_key(&full.join(".")), packed(pos)));
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
            if opens && stack.len() >= MAX_YAML_DEPTH {
                // Too deep to be a real file ([`check_yaml_limits`] refuses it); stop before
                // the per-node path copies grow quadratic.
                break;
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
            spans.push((path_key(&full.join(".")), packed(pos)));
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
        SpanMap {
            spans: sorted(spans),
            keys: sorted(keys),
        }
    }

    /// Position of the key of the node at `path` (for errors about the key itself).
    pub fn get_key(&self, path: &str) -> Option<Pos> {
        find(&self.keys, path).or_else(|| self.get(path))
    }

    /// Position of the node at `path`, or of its nearest recorded ancestor.
    pub fn get(&self, path: &str) -> Option<Pos> {
        let mut p = path;
        loop {
            if let Some(pos) = find(&self.spans, p) {
                return Some(pos);
            }
            match p.rfind('.') {
                Some(i) => p = &p[..i],
                None => return find(&self.spans, ""),
            }
        }
    }

    /// Shift every position by a number of lines and bytes (for front matter inside a page).
    pub fn shifted(mut self, lines: usize, bytes: usize) -> SpanMap {
        let (lines, bytes) = (lines as u32, bytes as u32);
        for (_, pos) in self.spans.iter_mut().chain(self.keys.iter_mut()) {
            pos[0] = pos[0].saturating_add(lines);
            pos[2] = pos[2].saturating_add(bytes);
        }
        self
    }
}

/// Converts character indices to byte offsets, walking forward (or back, when an event's
/// end lies past the next one's start) from the last one asked.
pub(crate) struct CharIndexer<'a> {
    text: &'a str,
    chars: usize,
    bytes: usize,
}

impl<'a> CharIndexer<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        CharIndexer {
            text,
            chars: 0,
            bytes: 0,
        }
    }

    pub(crate) fn byte_of(&mut self, char_index: usize) -> usize {
        while self.chars > char_index {
            let c = self.text[..self.bytes].chars().next_back().unwrap_or('\0');
            self.chars -= 1;
            self.bytes -= c.len_utf8().min(self.bytes);
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
    fn big5_is_told_from_gbk() {
        let trad = "辦公室。負責機關日常運轉，承擔文電、會務、機要、檔案和政務公開工作。\n";
        let (big5, _, _) = encoding_rs::BIG5.encode(trad);
        assert_eq!(decode(&big5).unwrap(), (trad.to_string(), Encoding::Big5));
        let simp = "办公室。负责机关日常运转，承担文电、会务、机要、档案和政务公开工作。\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(simp);
        assert_eq!(decode(&gbk).unwrap(), (simp.to_string(), Encoding::Gb18030));
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
    fn other_encodings_are_found_and_damaged_utf8_is_not_read_as_gbk() {
        let text = "name: 财务审计科\nduties:\n  - 负责预决算编制。\n";
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode(&be).unwrap(), (text.to_string(), Encoding::Utf16Be));
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decode(&le).unwrap(), (text.to_string(), Encoding::Utf16Le));
        let mut damaged = text.as_bytes().to_vec();
        damaged.insert(damaged.len() - 5, 0xFF);
        assert!(decode(&damaged).is_none());
        assert!(undecodable_reason(&damaged).contains("UTF-8 but has invalid bytes at line 3"));
    }

    #[test]
    fn alias_bombs_and_deep_nesting_are_refused_early() {
        assert!(check_yaml_limits("a: &a [1, 2]\nb: [*a, *a]\nc: {d: [[1]]}\n").is_ok());
        let big = format!(
            "a: &a [{}]\nb: [{}]\n",
            ["1"; 1000].join(","),
            ["*a"; 1000].join(",")
        );
        let e = check_yaml_limits(&big).unwrap_err();
        assert!(e.message.contains("aliases"), "{e:?}");
        assert_eq!(e.pos.line, 2);
        for deep in [
            format!("a: {}{}", "[".repeat(100), "]".repeat(100)),
            format!("a: {}1{}", "{b: ".repeat(100), "}".repeat(100)),
            (0..100).map(|i| format!("{}- \n", " ".repeat(i))).collect(),
        ] {
            let e = check_yaml_limits(&deep).unwrap_err();
            assert!(e.message.contains("nests more than 64"), "{e:?}");
        }
        // An alias inside its own anchor is left to the parser's error.
        assert!(check_yaml_limits("a: &x [*x]\n").is_ok());
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
