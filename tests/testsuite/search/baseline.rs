//! The plain bigram grep of `scripts/grep-baseline.py`, in Rust, so that every figure the
//! tests print has its baseline beside it: each department YAML file is scored by how many
//! distinct bigrams (and ASCII words) of the question, question words cut out, occur in its
//! raw text; a tie group straddling rank k counts at its expected value.

use std::path::Path;

/// Question words and fillers cut out before the bigrams are taken, longest first (the
/// script's list).
#[rustfmt::skip]
const QUESTION_WORDS: &[&str] = &[
    "请问一下", "想问一下", "问一下", "请问", "想问", "我想问", "咨询一下", "咨询",
    "打听一下", "麻烦问下", "麻烦问一下", "有谁知道", "谁知道",
    "应该找哪个部门", "应该找哪个科室", "应该找谁", "该找哪个部门", "该找哪个科室",
    "该找谁", "找哪个部门", "找哪个科室", "找哪个处室", "找哪个科", "找哪个处",
    "找哪个单位", "哪个部门", "哪个科室", "哪个处室", "哪个单位", "哪个科", "哪个处",
    "哪一个", "哪个", "哪些", "哪家", "找谁办", "找谁问", "找谁", "问谁", "归谁管",
    "谁负责", "谁来管", "谁来办", "谁来", "谁管", "谁办", "由谁", "是谁", "谁",
    "怎么办理", "怎么申请", "怎么弄", "怎么办", "怎么样", "怎么", "咋办", "咋弄", "咋",
    "如何办理", "如何", "在哪里", "在哪儿", "在哪", "去哪里", "去哪儿", "去哪", "哪里",
    "哪儿", "什么时候", "什么", "啥", "多少", "有没有", "能不能", "可不可以", "可以吗",
    "需要", "吗", "呢", "吧", "啊", "呀", "嘛",
];

/// Full-width ASCII folded to ASCII, lower case (the part of NFKC these texts need).
fn fold(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// Distinct bigrams and ASCII words of a question.
fn terms(q: &str) -> Vec<String> {
    let mut words: Vec<&str> = QUESTION_WORDS.to_vec();
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    let mut t = fold(q);
    // Leftmost, longest first at each place, as the script's regular expression.
    let mut out = String::new();
    let mut rest = t.as_str();
    while let Some(c) = rest.chars().next() {
        if let Some(w) = words.iter().find(|w| rest.starts_with(**w)) {
            out.push(' ');
            rest = &rest[w.len()..];
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    t = out;
    let mut terms: Vec<String> = Vec::new();
    let chars: Vec<char> = t.chars().collect();
    for w in chars.windows(2) {
        if is_cjk(w[0]) && is_cjk(w[1]) {
            terms.push(w.iter().collect());
        }
    }
    for word in t.split(|c: char| !c.is_ascii_alphanumeric()) {
        if !word.is_empty() {
            terms.push(word.to_string());
        }
    }
    let mut seen = std::collections::HashSet::new();
    terms.retain(|x| seen.insert(x.clone()));
    terms
}

pub struct Dept {
    pub org: String,
    pub name: String,
    text: String,
}

/// Every department file of a site's content (not `_org.yaml`), in path order.
pub fn departments(root: &Path) -> Vec<Dept> {
    let content = root.join("content");
    let mut orgs: Vec<_> = std::fs::read_dir(&content)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    orgs.sort();
    let mut out = Vec::new();
    for org in orgs {
        let mut files: Vec<_> = std::fs::read_dir(&org)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        files.sort();
        for f in files {
            let name = f.file_name().unwrap().to_string_lossy().to_string();
            if !(name.ends_with(".yaml") || name.ends_with(".yml")) || name.starts_with('_') {
                continue;
            }
            let raw = std::fs::read_to_string(&f).unwrap();
            let Some(dept) = raw.lines().find_map(|l| {
                let l = l.trim_end();
                l.strip_prefix("name:")
                    .or_else(|| l.strip_prefix("名称:"))
                    .map(|v| v.trim().trim_matches(['\'', '"']).to_string())
            }) else {
                continue;
            };
            out.push(Dept {
                org: org.file_name().unwrap().to_string_lossy().to_string(),
                name: dept,
                text: fold(&raw),
            });
        }
    }
    out
}

fn choose(n: usize, r: usize) -> f64 {
    if r > n {
        return 0.0;
    }
    (0..r).fold(1.0, |acc, i| acc * (n - i) as f64 / (i + 1) as f64)
}

/// The chance that a wanted department is among the grep's first `k`.
pub fn hit_at(depts: &[Dept], q: &str, wanted: &dyn Fn(&Dept) -> bool, k: usize) -> f64 {
    let terms = terms(q);
    let mut scored: Vec<(usize, usize)> = depts
        .iter()
        .enumerate()
        .map(|(i, d)| {
            (
                terms.iter().filter(|t| d.text.contains(t.as_str())).count(),
                i,
            )
        })
        .filter(|(s, _)| *s > 0)
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut pos = 0;
    let mut i = 0;
    while i < scored.len() && pos < k {
        let j = (i..scored.len())
            .find(|&j| scored[j].0 != scored[i].0)
            .unwrap_or(scored.len());
        let m = j - i;
        let h = scored[i..j]
            .iter()
            .filter(|(_, d)| wanted(&depts[*d]))
            .count();
        let slots = m.min(k - pos);
        if h > 0 {
            return 1.0 - choose(m - h, slots) / choose(m, slots);
        }
        pos += m;
        i = j;
    }
    0.0
}
