//! What the YAML parser and the deserialiser say, retold for the person who wrote the file, in
//! English and Chinese: keys named as they were typed (`电话`, not `phone`), places counted
//! from 1 (`岗位 › 第1项 › 职责`, not `posts.0.duties`), the kind of value that was expected
//! and the one that was found in plain words, and the fix ("put it in quotes").
//!
//! serde and serde_yaml describe problems in their own English; the wording is read here, and
//! whatever is not recognised is passed on as it is rather than guessed at.

use zhize_core::diagnostic::{nearest, Diagnostic, Pos};
use zhize_core::model::{canonical_key, KEY_ALIASES};
use zhize_core::source::{offset_of, SpanMap};

/// A problem in both languages, and whether it is about the key itself (shown at the key).
struct Told {
    en: String,
    zh: String,
    hint_en: Option<String>,
    hint_zh: Option<String>,
    about_key: bool,
}

impl Told {
    fn new(en: impl Into<String>, zh: impl Into<String>) -> Self {
        Told {
            en: en.into(),
            zh: zh.into(),
            hint_en: None,
            hint_zh: None,
            about_key: false,
        }
    }

    fn hint(mut self, en: impl Into<String>, zh: impl Into<String>) -> Self {
        self.hint_en = Some(en.into());
        self.hint_zh = Some(zh.into());
        self
    }

    fn diagnostic(self, pos: Option<Pos>) -> Diagnostic {
        let mut d = Diagnostic::error(self.en).zh(self.zh).at_opt(pos);
        if let (Some(en), Some(zh)) = (self.hint_en, self.hint_zh) {
            d = d.hint(en).hint_zh(zh);
        }
        d
    }
}

/// The first Chinese name of a canonical key (`posts` → `岗位`), or the key itself.
fn zh_key(key: &str) -> &str {
    KEY_ALIASES
        .iter()
        .find(|(k, _)| *k == key)
        .and_then(|(_, a)| a.first().copied())
        .unwrap_or(key)
}

/// A path such as `posts.0.duties` as a person counts: `posts › item 1 › duties` and
/// `岗位 › 第1项 › 职责`, each key as the file has it (`typed` of the path up to it) where
/// known.
fn path_words(path: &str, typed: impl Fn(&str) -> Option<String>) -> (String, String) {
    let (mut en, mut zh) = (Vec::new(), Vec::new());
    let segs: Vec<&str> = path.split('.').filter(|s| !s.is_empty()).collect();
    for (n, seg) in segs.iter().enumerate() {
        match seg.parse::<usize>() {
            Ok(i) => {
                en.push(format!("item {}", i + 1));
                zh.push(format!("第{}项", i + 1));
            }
            Err(_) => {
                let as_typed = typed(&segs[..=n].join("."));
                en.push(as_typed.clone().unwrap_or_else(|| seg.to_string()));
                zh.push(as_typed.unwrap_or_else(|| zh_key(seg).to_string()));
            }
        }
    }
    (en.join(" › "), zh.join(" › "))
}

/// A kind of value as serde names it (`integer \`5\``, `a sequence`, `struct Step` …) in
/// words: English and Chinese.
fn kind_words(kind: &str) -> (String, String) {
    let kind = kind.trim();
    let quoted = kind
        .split_once('`')
        .and_then(|(_, r)| r.rsplit_once('`'))
        .map(|(v, _)| v.to_string())
        .or_else(|| {
            kind.split_once('"')
                .and_then(|(_, r)| r.rsplit_once('"'))
                .map(|(v, _)| v.to_string())
        });
    let value = quoted.clone().unwrap_or_default();
    let word = kind.split([' ', '`', '"']).next().unwrap_or("");
    match word {
        "integer" | "floating" => (format!("the number {value}"), format!("数字 {value}")),
        "boolean" => (format!("yes/no ({value})"), format!("是/否值 {value}")),
        "string" if quoted.is_some() => (format!("the text “{value}”"), format!("文字“{value}”")),
        "string" => ("a text".into(), "文字".into()),
        "sequence" => ("a list".into(), "列表".into()),
        "map" => ("a map of `key: value` lines".into(), "键值对".into()),
        "unit" | "null" => ("nothing (an empty value)".into(), "空值".into()),
        "a" | "an" => match kind.trim_start_matches("an ").trim_start_matches("a ") {
            "sequence" => (
                "a list (one `- ` item a line)".into(),
                "列表（每项一行，以 `- ` 开头）".into(),
            ),
            "string" | "borrowed string" => ("a text".into(), "一段文字".into()),
            "map" => (
                "a map (`key: value` lines)".into(),
                "键值对（每行一个 `键: 值`）".into(),
            ),
            "boolean" => (
                "yes or no (true/false)".into(),
                "是或否（true/false）".into(),
            ),
            "number" | "integer" => ("a number".into(), "数字".into()),
            other => (other.to_string(), other.to_string()),
        },
        "struct" => (
            "a map (`key: value` lines)".into(),
            "键值对（每行一个 `键: 值`）".into(),
        ),
        w if w.starts_with('u') || w.starts_with('i') || w.starts_with('f') => {
            ("a number".into(), "数字".into())
        }
        _ => (kind.to_string(), kind.to_string()),
    }
}

/// A value of the wrong kind, an unknown key or a missing one, at `path` (`posts.1.headcount`).
/// `text` is the YAML as parsed, starting `shift` bytes into its file (front matter), for the
/// key as it was typed.
pub(super) fn type_error(
    inner: &str,
    path: &str,
    spans: &SpanMap,
    text: &str,
    shift: usize,
) -> Diagnostic {
    let typed_at = |path: &str| {
        let p = spans.get_key(path)?;
        let key = text.get(p.offset.checked_sub(shift)?..p.offset - shift + p.len)?;
        Some(key.trim_matches(['"', '\'']).to_string()).filter(|k| !k.is_empty())
    };
    let key_pos = spans.get_key(path);
    let told = tell_type_error(inner, typed_at(path).as_deref());
    if told.about_key {
        return told.diagnostic(key_pos);
    }
    let pos = spans.get(path);
    if path.is_empty() {
        return told.diagnostic(pos);
    }
    let (en, zh) = path_words(path, typed_at);
    Told {
        en: format!("{} (at {en})", told.en),
        zh: format!("{}（位置：{zh}）", told.zh),
        ..told
    }
    .diagnostic(pos)
}

/// serde's wording retold (see the module comment). `typed` is the key as the file has it.
fn tell_type_error(msg: &str, typed: Option<&str>) -> Told {
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        return unknown_key(rest, typed);
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let key = rest.split('`').next().unwrap_or("");
        let zh = zh_key(key);
        return Told::new(
            format!("the key `{key}` ({zh}) is missing"),
            format!("缺少“{zh}”（{key}）"),
        )
        .hint(
            format!("add a `{zh}:` line here"),
            format!("在这里加一行 `{zh}: …`"),
        );
    }
    if let Some(rest) = msg.strip_prefix("data did not match any variant of untagged enum ") {
        return wrong_shape(rest.trim());
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        return wrong_kind(rest, msg);
    }
    Told::new(msg, msg)
}

/// `invalid type: X, expected Y`.
fn wrong_kind(rest: &str, msg: &str) -> Told {
    let Some((found, expected)) = rest.split_once(", expected ") else {
        return Told::new(msg, msg);
    };
    let (found_en, found_zh) = kind_words(found);
    let (want_en, want_zh) = kind_words(expected);
    let told = Told::new(
        format!("expected {want_en} here, found {found_en}"),
        format!("这里应当是{want_zh}，写的却是{found_zh}"),
    );
    let number = found.starts_with("integer") || found.starts_with("floating");
    let wants_text = expected.contains("string");
    if number && wants_text {
        let digits = found.split('`').nth(1).unwrap_or("");
        return told.hint(
            format!("YAML reads digits as a number: put this text in quotes, e.g. \"{digits}\""),
            format!("YAML 把纯数字读成数字：给它加上引号，写成 \"{digits}\""),
        );
    }
    if wants_text {
        return told.hint(
            "write one text here; put it in quotes when it contains `[`, `{`, `: ` or starts with `-`",
            "这里只写一段文字；文字里有 `[`、`{`、`: ` 或以 `-` 开头时，给整段加上引号",
        );
    }
    if expected.contains("sequence") {
        return told.hint(
            "write each item on a line of its own, as `- item`, indented under its key",
            "把每一项单独写一行，写成 `- 内容`，并缩进在它的键下面",
        );
    }
    told.hint(
        "check the shape against docs/format.md: a list is written with `- ` items, a map with `key: value` lines",
        "对照 docs/format.md 检查这一项的写法：列表每项以 `- ` 开头，键值对每行一个 `键: 值`",
    )
}

/// `data did not match any variant of untagged enum X`: an entry that is neither the short
/// nor the long form of what belongs here.
fn wrong_shape(what: &str) -> Told {
    let k = zh_key;
    let (en, zh) = match what {
        "Duty" => (
            "a duty is a text, or a map with `text` (and optionally `id`, `no`, `group`, `page`)".to_string(),
            format!("一条职责写成一段文字，或写成带“{}”的键值对", k("text")),
        ),
        "DivisionItem" => (
            "a division item is a text, or a map with `with`, `topic` and `text`".to_string(),
            format!(
                "一条分工写成一段文字，或写成带“{}”“{}”“{}”的键值对",
                k("with"),
                k("topic"),
                k("text")
            ),
        ),
        "DivisionForm" => (
            "`division` is a list of items, or a map with the lists `external`, `internal` and `general`; each item a text, or a map with `with`, `topic` and `text`".to_string(),
            format!(
                "“{}”写成一条条分工的列表，每条是一段文字，或带“{}”“{}”“{}”的键值对",
                k("division"),
                k("with"),
                k("topic"),
                k("text")
            ),
        ),
        "RiskPoint" => (
            "a risk point is a text, or a map with `text` and optionally `category`, `level`, `controls`, `owners`".to_string(),
            format!("一个风险点写成一段文字，或写成带“{}”的键值对", k("text")),
        ),
        "Reviewed" => (
            "`reviewed` is a date such as 2020-07-01, or a map with `date` and `by`".to_string(),
            format!("“{}”写成日期，如 2020-07-01", k("reviewed")),
        ),
        "Scalar" | "TextOrNumber" => ("expected a number or a text".to_string(), "这里应当是数字或文字".to_string()),
        _ => (
            "check the shape of this entry against docs/format.md".to_string(),
            "对照 docs/format.md 检查这一项的写法".to_string(),
        ),
    };
    Told::new(
        format!("this entry has the wrong shape for a {what}"),
        "这一项的写法不对",
    )
    .hint(en, zh)
}

/// `unknown field \`x\`, expected one of \`a\`, \`b\``: the key named as typed, a near key
/// in the same script when there is one, else every key allowed here with all its names.
fn unknown_key(rest: &str, typed: Option<&str>) -> Told {
    let field = rest.split('`').next().unwrap_or("");
    let typed = typed.filter(|t| !t.is_empty()).unwrap_or(field);
    let expected: Vec<&str> = rest
        .split("expected one of ")
        .nth(1)
        .or_else(|| rest.split("expected ").nth(1))
        .unwrap_or("")
        .split(", ")
        .map(|s| s.trim_matches('`'))
        .filter(|s| !s.is_empty())
        .collect();
    fn names(k: &str) -> Vec<&str> {
        let mut v = vec![k];
        if let Some((_, a)) = KEY_ALIASES.iter().find(|(c, _)| *c == k) {
            v.extend(a.iter().copied());
        }
        v
    }
    // Compare like with like: a Chinese key with Chinese names, an English one with English.
    let chinese = !typed.is_ascii();
    let candidates: Vec<&str> = expected
        .iter()
        .flat_map(|k| names(k))
        .filter(|n| n.is_ascii() != chinese)
        .collect();
    let near = nearest(typed, candidates.iter().copied());
    let told = Told {
        about_key: true,
        ..Told::new(
            format!("unknown key `{typed}`"),
            format!("不认识的键“{typed}”"),
        )
    };
    if !near.is_empty() {
        return told.hint(
            format!("did you mean {}?", near.join(", ")),
            format!("是不是要写“{}”？", near.join("”或“")),
        );
    }
    let allowed_en: Vec<String> = expected.iter().map(|k| names(k).join("/")).collect();
    let allowed_zh: Vec<String> = expected
        .iter()
        .map(|k| {
            let n = names(k);
            if n.len() > 1 {
                format!("{}（{k}）", n[1..].join("/"))
            } else {
                k.to_string()
            }
        })
        .collect();
    // A key of the format that does not belong at this level: most often an indentation slip.
    let elsewhere = canonical_key(typed) != typed || KEY_ALIASES.iter().any(|(k, _)| *k == typed);
    let (lead_en, lead_zh) = if elsewhere {
        (
            format!("`{typed}` is a key, but not at this level: check its indentation. "),
            format!("“{typed}”是别处的键，不能写在这一层：检查它的缩进。"),
        )
    } else {
        Default::default()
    };
    told.hint(
        format!("{lead_en}keys allowed here: {}", allowed_en.join(", ")),
        format!("{lead_zh}这里可以写的键：{}", allowed_zh.join("、")),
    )
}

/// A file that is not valid YAML: a key given twice, full-width punctuation where YAML needs
/// ASCII, tabs, or what the parser says, retold.
pub(super) fn yaml_error(text: &str, e: &serde_yaml::Error) -> Diagnostic {
    if e.to_string().contains("duplicate entry with key") {
        if let Some((key, pos)) = zhize_core::source::find_duplicate_key(text) {
            return Told::new(
                format!("key `{key}` is given twice in the same place"),
                format!("键“{key}”在同一处写了两次"),
            )
            .hint(
                "keep one of the two: the second would silently replace the first",
                "删去其中一个：后一个会悄悄盖掉前一个",
            )
            .diagnostic(Some(pos));
        }
    }
    if let Some((pos, mend)) = full_width_in_structure(text, e.location().map(|l| l.line())) {
        let fixed = mend.fixed.trim_end();
        return Told::new(
            format!("{}: YAML needs ASCII punctuation here", mend.what),
            format!("{}：YAML 在这里要用半角（英文）标点", mend.what_zh),
        )
        .hint(
            format!(
                "write `{fixed}` (`zhize fix` mends every such line, after showing the change)"
            ),
            format!("改成 `{fixed}`（`zhize fix` 会先列出改动，再改好所有这样的行）"),
        )
        .diagnostic(Some(pos));
    }
    let raw = strip_location(&e.to_string());
    let (en, zh) = parser_words(&raw);
    let pos = e.location().map(|loc| Pos {
        line: loc.line(),
        col: loc.column(),
        offset: offset_of(text, loc.line(), loc.column()),
        len: 1,
    });
    let told = Told::new(
        format!("invalid YAML: {en}"),
        format!("YAML 格式有误：{zh}"),
    );
    if let Some(loc) = e.location() {
        let line_text = text.lines().nth(loc.line().saturating_sub(1)).unwrap_or("");
        let prev = text.lines().nth(loc.line().saturating_sub(2)).unwrap_or("");
        if line_text.contains('\t') || prev.starts_with('\t') {
            return Told::new(
                format!("a tab character in the indentation ({en})"),
                "缩进里有 Tab 字符",
            )
            .hint(
                "YAML indents with spaces, never tabs: replace the tab characters with spaces",
                "YAML 只能用空格缩进，不能用 Tab：把 Tab 换成空格",
            )
            .diagnostic(pos);
        }
    }
    if raw.contains("recursion limit") || raw.contains("repetition limit") {
        return told
            .hint(
                "the file nests too deeply or repeats aliases too often; write the data out plainly",
                "文件嵌套太深或别名重复太多：把内容直接写出来",
            )
            .diagnostic(pos);
    }
    told.hint(
        "check the indentation and that every `key: value` has a space after the colon; quote values that contain `: ` or start with `[`, `{`, `*`, `&` or `#`",
        "检查缩进，以及每个 `键: 值` 的冒号后面有没有空格；值里有 `: `，或以 `[`、`{`、`*`、`&`、`#` 开头时，给它加上引号",
    )
    .diagnostic(pos)
}

/// The YAML parser's commonest complaints in plain words (the original kept in English).
fn parser_words(raw: &str) -> (String, String) {
    const KNOWN: &[(&str, &str)] = &[
        (
            "could not find expected ':'",
            "缺少冒号 `:`（键和值之间要有半角冒号和空格）",
        ),
        (
            "did not find expected key",
            "这里应当是一个 `键:`，缩进是否和上下行对齐？",
        ),
        (
            "mapping values are not allowed in this context",
            "这里不能再出现 `键: 值`：上一个值里是否有 `: `？有就给那个值加上引号",
        ),
        (
            "did not find expected '-' indicator",
            "列表项缺少开头的 `- `，或缩进没有对齐",
        ),
        (
            "found character that cannot start any token",
            "这个字符不能出现在这里：给这个值加上引号",
        ),
        (
            "found unexpected end of stream",
            "文件意外结束：引号或括号没有配对",
        ),
        ("did not find expected node content", "这里缺少内容"),
        (
            "found undefined alias",
            "用到了没有定义的别名（`*` 开头）：以 `*` 开头的文字要加引号",
        ),
        (
            "invalid leading UTF-8 octet",
            "文件里有无法识别的字符：请另存为 UTF-8",
        ),
    ];
    for (en, zh) in KNOWN {
        if raw.contains(en) {
            return (raw.to_string(), format!("{zh}（{raw}）"));
        }
    }
    (raw.to_string(), raw.to_string())
}

/// The first line, up to the one YAML stopped at, whose structure is written with full-width
/// punctuation, as Chinese input methods type it (the rules of [`zhize_core::fix`]): its
/// position and the mend.
fn full_width_in_structure(
    text: &str,
    upto: Option<usize>,
) -> Option<(Pos, zhize_core::fix::Mend)> {
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let n = i + 1;
        if upto.is_some_and(|u| n > u) {
            break;
        }
        let body = line.trim_end_matches(['\n', '\r']);
        if let Some(m) = zhize_core::fix::mend_line(body) {
            let pos = Pos {
                line: n,
                col: body[..m.at].chars().count() + 1,
                offset: offset + m.at,
                len: m.len,
            };
            return Some((pos, m));
        }
        offset += line.len();
    }
    None
}

fn strip_location(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_count_from_one_in_both_languages() {
        let (en, zh) = path_words("forms.0.rows.3.1", |_| None);
        assert_eq!(en, "forms › item 1 › rows › item 4 › item 2");
        assert_eq!(
            zh,
            "表单 › 第1项 › rows › 第4项 › 第2项".replace("rows", zh_key("rows"))
        );
        let typed = |p: &str| (p == "posts.0.duties").then(|| "职责".to_string());
        assert_eq!(path_words("posts.0.duties", typed).1, "岗位 › 第1项 › 职责");
    }

    #[test]
    fn kinds_are_named_in_words() {
        assert_eq!(kind_words("integer `5`").1, "数字 5");
        assert_eq!(kind_words("a sequence").0, "a list (one `- ` item a line)");
        assert_eq!(kind_words("struct Step").1, "键值对（每行一个 `键: 值`）");
        assert_eq!(kind_words("string \"a b\"").1, "文字“a b”");
    }
}
