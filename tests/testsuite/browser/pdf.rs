//! Just enough of PDF to check what Chromium printed: the pages in order and each page's
//! content stream, inflated. Chromium (Skia) writes plain objects (no object streams) and
//! Flate-compressed content, so a scan for `N 0 obj … endobj` finds them all. Text itself
//! is glyph ids, not characters, so the tests count drawing and text operators per page.

use std::collections::HashMap;
use std::io::Read;

/// A PDF's objects by number: the dictionary text and the raw stream bytes, if any.
struct Objects<'a> {
    map: HashMap<u32, (&'a [u8], Option<&'a [u8]>)>,
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

impl<'a> Objects<'a> {
    fn parse(pdf: &'a [u8]) -> Objects<'a> {
        let mut map = HashMap::new();
        let mut at = 0;
        while let Some(i) = find(pdf, b" 0 obj", at) {
            // The object number is the digits before " 0 obj".
            let mut s = i;
            while s > 0 && pdf[s - 1].is_ascii_digit() {
                s -= 1;
            }
            let num: u32 = std::str::from_utf8(&pdf[s..i])
                .ok()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            let body_start = i + b" 0 obj".len();
            let Some(end) = find(pdf, b"endobj", body_start) else {
                break;
            };
            let body = &pdf[body_start..end];
            let (dict, stream) = match find(body, b"stream", 0) {
                Some(k) if !body[..k].ends_with(b"end") => {
                    let mut st = k + b"stream".len();
                    while st < body.len() && (body[st] == b'\r' || body[st] == b'\n') {
                        st += 1;
                    }
                    let se = find(body, b"endstream", st).unwrap_or(body.len());
                    (&body[..k], Some(&body[st..se]))
                }
                _ => (body, None),
            };
            map.insert(num, (dict, stream));
            at = end;
        }
        Objects { map }
    }

    fn dict(&self, n: u32) -> &'a [u8] {
        self.map.get(&n).map(|(d, _)| *d).unwrap_or(b"")
    }

    /// The stream of object `n`, inflated when it is Flate-compressed.
    fn stream(&self, n: u32) -> Vec<u8> {
        let Some((dict, Some(raw))) = self.map.get(&n) else {
            return Vec::new();
        };
        if find(dict, b"FlateDecode", 0).is_some() {
            let mut out = Vec::new();
            let _ = flate2::read::ZlibDecoder::new(*raw).read_to_end(&mut out);
            out
        } else {
            raw.to_vec()
        }
    }
}

/// The object numbers referred to (`N 0 R`) after `key` in `dict`: one, or an array's.
fn refs_after(dict: &[u8], key: &[u8]) -> Vec<u32> {
    let Some(k) = find(dict, key, 0) else {
        return Vec::new();
    };
    let rest = &dict[k + key.len()..];
    let text = String::from_utf8_lossy(rest);
    let text = text.trim_start();
    let span = if text.starts_with('[') {
        &text[1..text.find(']').unwrap_or(text.len())]
    } else {
        // One reference: "N 0 R".
        let end = text.find('R').map(|e| e + 1).unwrap_or(text.len());
        &text[..end]
    };
    let words: Vec<&str> = span.split_whitespace().collect();
    words
        .windows(3)
        .filter(|w| w[2] == "R")
        .filter_map(|w| w[0].parse().ok())
        .collect()
}

/// The content of each page of `pdf`, in page order.
pub fn pages(pdf: &[u8]) -> Vec<Vec<u8>> {
    let objs = Objects::parse(pdf);
    let root = objs
        .map
        .iter()
        .find(|(_, (d, _))| find(d, b"/Type /Catalog", 0).is_some())
        .map(|(n, _)| *n)
        .expect("a catalog");
    let mut out = Vec::new();
    let mut stack: Vec<u32> = refs_after(objs.dict(root), b"/Pages");
    stack.reverse();
    while let Some(n) = stack.pop() {
        let d = objs.dict(n);
        if find(d, b"/Kids", 0).is_some() {
            let mut kids = refs_after(d, b"/Kids");
            kids.reverse();
            stack.extend(kids);
        } else {
            let mut content = Vec::new();
            for c in refs_after(d, b"/Contents") {
                content.extend(objs.stream(c));
                content.push(b'\n');
            }
            out.push(content);
        }
    }
    out
}

/// How many times the operator `op` (a whole token) occurs in a content stream.
pub fn count_op(content: &[u8], op: &str) -> usize {
    String::from_utf8_lossy(content)
        .split(|c: char| c.is_whitespace() || c == ']' || c == '>' || c == ')')
        .filter(|t| *t == op)
        .count()
}

/// The hex strings `<…>` of `s`, each as bytes.
fn hex_strings(s: &str) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find('<') {
        let after = &rest[i + 1..];
        if let Some(dict) = after.strip_prefix('<') {
            rest = dict;
            continue;
        }
        let Some(j) = after.find('>') else { break };
        let hex: String = after[..j]
            .chars()
            .filter(|c| c.is_ascii_hexdigit())
            .collect();
        out.push(
            (0..hex.len() / 2)
                .filter_map(|k| u8::from_str_radix(&hex[2 * k..2 * k + 2], 16).ok())
                .collect(),
        );
        rest = &after[j + 1..];
    }
    out
}

/// A font's ToUnicode map: glyph id → text (`bfchar` and `bfrange` entries).
fn to_unicode(cmap: &str) -> HashMap<u32, String> {
    let num = |b: &[u8]| b.iter().fold(0u32, |a, x| (a << 8) | *x as u32);
    let text = |b: &[u8]| {
        let units: Vec<u16> = b
            .chunks(2)
            .map(|c| ((c[0] as u16) << 8) | *c.get(1).unwrap_or(&0) as u16)
            .collect();
        String::from_utf16_lossy(&units)
    };
    let mut map = HashMap::new();
    for block in cmap.split("beginbfchar").skip(1) {
        let block = block.split("endbfchar").next().unwrap_or("");
        for pair in hex_strings(block).chunks(2) {
            if let [from, to] = pair {
                map.insert(num(from), text(to));
            }
        }
    }
    for block in cmap.split("beginbfrange").skip(1) {
        let block = block.split("endbfrange").next().unwrap_or("");
        for triple in hex_strings(block).chunks(3) {
            if let [lo, hi, start] = triple {
                let first = text(start).chars().next().map(|c| c as u32).unwrap_or(0);
                for (k, g) in (num(lo)..=num(hi)).enumerate() {
                    if let Some(c) = char::from_u32(first + k as u32) {
                        map.insert(g, c.to_string());
                    }
                }
            }
        }
    }
    map
}

/// The text each page of `pdf` shows, in drawing order (by the fonts' ToUnicode maps; glyphs
/// without one are left out), with no spaces.
pub fn page_texts(pdf: &[u8]) -> Vec<String> {
    let objs = Objects::parse(pdf);
    let root = objs
        .map
        .iter()
        .find(|(_, (d, _))| find(d, b"/Type /Catalog", 0).is_some())
        .map(|(n, _)| *n)
        .expect("a catalog");
    let mut leaves = Vec::new();
    let mut stack: Vec<u32> = refs_after(objs.dict(root), b"/Pages");
    while let Some(n) = stack.pop() {
        let d = objs.dict(n);
        if find(d, b"/Kids", 0).is_some() {
            let mut kids = refs_after(d, b"/Kids");
            kids.reverse();
            stack.extend(kids);
        } else {
            leaves.push(n);
        }
    }
    leaves
        .into_iter()
        .map(|n| {
            let d = objs.dict(n);
            let res_ref = refs_after(d, b"/Resources");
            let res = match res_ref.first() {
                Some(r) if !String::from_utf8_lossy(d).contains("/Resources <<") => objs.dict(*r),
                _ => d,
            };
            let res = String::from_utf8_lossy(res);
            // /Font << /F1 12 0 R … >>
            let mut fonts: HashMap<String, HashMap<u32, String>> = HashMap::new();
            if let Some(i) = res.find("/Font") {
                let block = &res[i + 5..];
                let block = &block[..block.find(">>").unwrap_or(block.len())];
                let words: Vec<&str> = block.split_whitespace().collect();
                for w in words.windows(4) {
                    if let (Some(name), Ok(obj), "R") =
                        (w[0].strip_prefix('/'), w[1].parse::<u32>(), w[3])
                    {
                        let name = name.trim_start_matches("<<").to_string();
                        let map = refs_after(objs.dict(obj), b"/ToUnicode")
                            .first()
                            .map(|t| to_unicode(&String::from_utf8_lossy(&objs.stream(*t))))
                            .unwrap_or_default();
                        fonts.insert(name, map);
                    }
                }
            }
            let mut content = Vec::new();
            for c in refs_after(d, b"/Contents") {
                content.extend(objs.stream(c));
            }
            let content = String::from_utf8_lossy(&content);
            let mut out = String::new();
            let mut font: Option<&HashMap<u32, String>> = None;
            let mut last = 0;
            let tokens: Vec<(usize, &str)> = content
                .match_indices('T')
                .filter(|(i, _)| matches!(content.as_bytes().get(i + 1), Some(b'f' | b'j' | b'J')))
                .collect();
            for (i, _) in tokens {
                let op = &content[i..i + 2];
                let before = &content[last..i];
                last = i + 2;
                match op {
                    "Tf" => {
                        let name = before.split_whitespace().rev().nth(1).unwrap_or("");
                        font = fonts.get(name.trim_start_matches('/'));
                    }
                    _ => {
                        let operand = match op {
                            "TJ" => before.rsplit('[').next().unwrap_or(""),
                            _ => &before[before.rfind('<').unwrap_or(before.len())..],
                        };
                        for s in hex_strings(operand) {
                            for g in s.chunks(2) {
                                let id = g.iter().fold(0u32, |a, x| (a << 8) | *x as u32);
                                if let Some(t) = font.and_then(|f| f.get(&id)) {
                                    out.push_str(t);
                                }
                            }
                        }
                    }
                }
            }
            out.retain(|c| !c.is_whitespace());
            out
        })
        .collect()
}
