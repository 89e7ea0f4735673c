//! Bad input, hostile input, interrupted builds: nothing lost, nobody in.
//!
//! - Every case in `tests/bad/` fails (or loads, for other encodings) with the messages its
//!   `expect` file lists, naming the file and line, without a panic, in bounded time and
//!   memory, and writes nothing.
//! - Content full of `<script>`, `on*=` and `javascript:` builds into HTML where none of it is
//!   active, with raw HTML dropped and with it allowed (then sanitised).
//! - A build killed at any moment leaves the output folder a complete build.

use crate::common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn write(site: &Path, rel: &str, text: &str) {
    let p = site.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

// ---------------------------------------------------------------------------------------
// The corpus of bad inputs
// ---------------------------------------------------------------------------------------

/// What a case's `expect` file asks: the exit code (`exit N`, default 1) and lines that
/// stderr must contain. `#` lines are comments.
struct Expect {
    exit: i32,
    lines: Vec<String>,
}

fn read_expect(case: &Path) -> Expect {
    let text = std::fs::read_to_string(case.join("expect"))
        .unwrap_or_else(|e| panic!("{}: {e}", case.display()));
    let mut exit = 1;
    let mut lines = Vec::new();
    for l in text.lines() {
        let l = l.trim_end();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        match l.strip_prefix("exit ") {
            Some(n) => exit = n.trim().parse().expect("exit code"),
            None => lines.push(l.to_string()),
        }
    }
    assert!(
        !lines.is_empty(),
        "{}: expect lists no message",
        case.display()
    );
    Expect { exit, lines }
}

/// Run `zhize` with an address-space limit (bounded memory: an alias bomb that expands must
/// fail, not swap) and a wall-clock limit.
fn zhize_bounded(args: &[&str], limit: Duration) -> Output {
    // 4 GB of address space: a debug build needs a few hundred MB; the 10 KB alias file of
    // tests/bad/alias-expansion took over 20 GB before the pre-scan.
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg("ulimit -v 4194304 2>/dev/null; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_zhize"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("ZHIZE_LANG", "en")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let out = cmd.output().expect("run zhize");
    assert!(
        start.elapsed() < limit,
        "zhize {args:?} took {:?}",
        start.elapsed()
    );
    out
}

/// Set up a case's site: the `mini` fixture, the case's `site/` files over it, and what the
/// cases that cannot be committed need. Returns the arguments to run.
fn prepare(name: &str, case: &Path, site: &Path) -> Vec<String> {
    copy_tree(&repo().join("tests/fixtures/mini"), site);
    if case.join("site").is_dir() {
        copy_tree(&case.join("site"), site);
    }
    let root = site.to_str().unwrap().to_string();
    let mut args = vec!["build".to_string(), "--root".to_string(), root];
    match name {
        // 100 MB, sparse where the file system allows: never committed.
        "huge-file" => {
            let f = std::fs::File::create(site.join("content/shiju/caiwu.yaml")).unwrap();
            f.set_len(100 * 1024 * 1024).unwrap();
        }
        // A folder that links to its parent: walking it would never end.
        "symlink-loop" => {
            std::os::unix::fs::symlink("..", site.join("content/shiju/bangongshi/back")).unwrap();
        }
        "output-is-content" => {
            args.push("--output".into());
            args.push(site.join("content").to_str().unwrap().into());
        }
        _ => assert!(
            case.join("site").is_dir(),
            "{}: a case needs a site/ folder or set-up code in tests/hardening.rs",
            case.display()
        ),
    }
    args
}

#[test]
fn every_bad_input_is_reported_with_its_file_and_line() {
    let dir = repo().join("tests/bad");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 15, "the corpus is incomplete: {cases:?}");
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let expect = read_expect(case);
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        std::fs::create_dir_all(&site).unwrap();
        let args = prepare(&name, case, &site);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = zhize_bounded(&args, Duration::from_secs(60));
        let err = format!("{}{}", stderr(&o), stdout(&o));
        let mut problems = Vec::new();
        if o.status.code() != Some(expect.exit) {
            problems.push(format!(
                "exit {:?}, expected {}",
                o.status.code(),
                expect.exit
            ));
        }
        if err.contains("panicked") {
            problems.push("panicked".into());
        }
        for l in &expect.lines {
            if !err.contains(l.as_str()) {
                problems.push(format!("missing {l:?}"));
            }
        }
        if expect.exit != 0 && site.join("public").exists() {
            problems.push("a failed build wrote public/".into());
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{name}: {}\n--- stderr:\n{err}",
                problems.join("; ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

// ---------------------------------------------------------------------------------------
// HTML safety
// ---------------------------------------------------------------------------------------

/// Text that would run script if it reached the page unescaped.
const EVIL: &str = r#"X<script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)" onclick="alert(1)">j</a><svg onload=alert(1)>"#;

/// Markdown that tries every way of making a `javascript:` link, plus raw HTML.
const EVIL_MD: &str = r#"Text [link](javascript:alert(1)) and [spaced](  JaVaScRiPt:alert(1)) and
![img](javascript:alert(1)) and <javascript:alert(1)> and [ref][r] and [ref2] and
[entity](java&#x73;cript:alert(1)) <span onmouseover="alert(1)" style="color:red">hover</span>
<script>alert(1)</script>
<img src="x" onerror="alert(1)">
<a href="javascript:alert(1)">raw</a> <a href="data:text/html,<script>alert(1)</script>">data</a>
<iframe src="javascript:alert(1)"></iframe><form action="javascript:alert(1)"><button formaction="javascript:alert(1)">b</button></form>
<svg><a xlink:href="javascript:alert(1)"><text>x</text></a><animate onbegin="alert(1)"/></svg>
<style>body{background:url(javascript:alert(1))}</style><object data="javascript:alert(1)"></object>
<input type="image" src="javascript:alert(1)"><base href="javascript:alert(1)//">

- [ ] task <b onclick="alert(1)">bold</b>

| a | b |
|:-:|--:|
| <i onclick="alert(1)">x</i> | y |

```html
<script>alert("in a code block")</script>
```

```flowchart
flowchart TD
  A["<script>alert(1)</script>"] -->|"<img src=x onerror=alert(1)>"| B{"javascript:alert(1)"}
```

[r]: javascript:alert(1)
[ref2]: javascript:alert(1) "title"
"#;

/// YAML block scalar of `text`, indented by `n` spaces.
fn block(text: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    let mut s = String::from("|\n");
    for l in text.lines() {
        s.push_str(&pad);
        s.push_str(l);
        s.push('\n');
    }
    s
}

/// A site with the hostile strings in every field there is.
fn hostile_site(root: &Path, allow_html: bool) {
    let e = |p: &str| format!("'{p}{EVIL}'");
    let md = |n| block(EVIL_MD, n);
    write(
        root,
        "zhize.yaml",
        &format!(
            "title: {}\ndescription: {}\nallow_html: {allow_html}\n",
            e("站点"),
            e("描述")
        ),
    );
    write(
        root,
        "content/org/_org.yaml",
        &format!(
            "name: {}\naliases: [{}]\nplaques: [{}]\nlevel: {}\nsummary: {}duties:\n  - {}documents:\n  - {{no: {}, title: {}, issuer: {}, date: {}}}\nstaffing:\n  {}: {}\ndivision:\n  - parties: [{}]\n    topic: {}\n    text: {}external:\n  - name: {}\n    aliases: [{}]\n    summary: {}  - name: 市财政局\npeople:\n  - {{name: {}, role: {}, department: {}, phone: 'javascript:alert(1)'}}\ncontacts:\n  - {{name: {}, role: {}, phone: 'javascript:alert(1)', email: 'javascript:alert(1)', address: {}}}\nreviewed: {{date: {}, by: {}}}\n",
            e("机构"), e("机构别名"), e("牌子"), e("级别"), md(2), md(4),
            e("文号"), e("文件"), e("机关"), e("日期"),
            e("编制"), e("数"),
            e("外部"), e("事项"), md(6),
            e("外部"), e("外部别名"), md(6),
            e("人"), e("职务"), e("部门"),
            e("联系人"), e("职务"), e("地址"),
            e("日期"), e("审核人"),
        ),
    );
    write(
        root,
        "content/org/dept.yaml",
        &format!(
            "name: {}\naliases: [{}]\nplaques: [{}]\nsummary: {}duties:\n  - {}  - {{group: {}, no: {}, text: {}}}\nposts:\n  - name: {}\n    rank: {}\n    headcount: 1\n    covers: [1]\n    summary: {}    duties:\n      - {}    contacts:\n      - {{name: {}, phone: 'javascript:alert(1)', email: '\"><script>alert(1)</script>'}}\ndivision:\n  internal:\n    - with: [{}]\n      topic: {}\n      text: {}risks:\n  points:\n    - {{category: {}, level: {}, text: {}}}\n  controls:\n    - {}procedures:\n  - name: {}\n    aliases: [{}]\n    summary: {}    steps:\n      - label: {}\n        actor: {}\n        text: {}        limit: {}\n        forms: [{}]\n        parallel: [{}]\n        branches:\n          - {{when: {}, goto: {}, label: {}}}\n      - {{label: '2', text: {}}}\n    notes:\n      - {}    forms: [{}]\n    contacts:\n      - {{name: {}, phone: 'tel:javascript:alert(1)'}}\nforms:\n  - name: {}\n    aliases: [{}]\n    summary: {}    rows:\n      - [{}, {}]\n      - ['javascript:alert(1)', '<a href=javascript:alert(1)>x</a>']\n    notes:\n      - {}contacts:\n  - {{name: {}, role: {}, phone: '\" onclick=\"alert(1)', email: 'javascript:alert(1)', address: {}, department: {}}}\nreviewed: {}\n",
            e("科室"), e("科室别名"), e("科室牌子"), md(2), md(4), e("分组"), e("号"), e("职责"),
            e("岗位"), e("类别"), md(6), md(8), e("联系人"),
            e("外部"), e("主题"), md(8),
            e("风险类别"), e("等级"), e("风险"), md(6),
            e("流程"), e("流程别名"), md(6),
            e("环节"), e("承办"), md(10), e("时限"), e("表单"), e("会签"),
            e("条件"), e("环节"), e("退回"), e("内容"),
            md(8), e("表"),
            e("流程联系人"),
            e("表"), e("表别名"), md(6), e("格"), e("格二"), md(8),
            e("科室联系人"), e("职务"), e("地址"), e("部门"), e("审核"),
        ),
    );
    write(
        root,
        "content/pages/evil.md",
        &format!(
            "---\ntitle: {}\nsummary: {}\ndate: {}\nreviewed: {{date: {}, by: {}}}\naliases: [{}]\n---\n{EVIL_MD}",
            e("标题"), e("摘要"), e("日期"), e("日期"), e("人"), e("别名"),
        ),
    );
    write(
        root,
        "content/org/page.md",
        &format!("# {EVIL}\n\n报送市财政局。\n\n{EVIL_MD}"),
    );
}

/// What the HTML tokeniser saw: every start tag with its attributes (entities decoded).
/// Elements seen: tag name and attributes.
type Seen = Vec<(String, Vec<(String, String)>)>;
#[derive(Default)]
struct Tags(std::cell::RefCell<Seen>);

impl html5ever::tokenizer::TokenSink for Tags {
    type Handle = ();
    fn process_token(
        &self,
        token: html5ever::tokenizer::Token,
        _line: u64,
    ) -> html5ever::tokenizer::TokenSinkResult<()> {
        use html5ever::tokenizer::{TagKind, Token, TokenSinkResult};
        if let Token::TagToken(tag) = token {
            if tag.kind == TagKind::StartTag {
                let attrs = tag
                    .attrs
                    .iter()
                    .map(|a| {
                        let name = match &a.name.prefix {
                            Some(p) => format!("{}:{}", p, a.name.local),
                            None => a.name.local.to_string(),
                        };
                        (name, a.value.to_string())
                    })
                    .collect();
                self.0.borrow_mut().push((tag.name.to_string(), attrs));
            }
        }
        TokenSinkResult::Continue
    }
}

fn start_tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    use html5ever::tokenizer::{BufferQueue, Tokenizer, TokenizerOpts};
    let tok = Tokenizer::new(Tags::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(html.into());
    let _ = tok.feed(&input);
    tok.end();
    tok.sink.0.take()
}

/// A URL as a browser reads its scheme: without whitespace and control characters.
fn scheme_of(url: &str) -> String {
    let s: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    s.split_once(':')
        .filter(|(scheme, _)| !scheme.contains(['/', '?', '#']))
        .map(|(scheme, _)| scheme.to_string())
        .unwrap_or_default()
}

/// Everything active in one page: script elements, `on*` attributes, script URLs, and
/// elements that load or submit elsewhere.
fn active_content(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (name, attrs) in start_tags(html) {
        let theme_script = name == "script"
            && attrs
                .iter()
                .any(|(a, v)| a == "src" && !v.contains(':') && v.contains("static/"));
        if name == "script" && !theme_script {
            found.push(format!("<script> element {attrs:?}"));
        }
        if matches!(
            name.as_str(),
            "iframe" | "object" | "embed" | "base" | "frame"
        ) {
            found.push(format!("<{name}> element"));
        }
        for (a, v) in &attrs {
            if a.to_ascii_lowercase().starts_with("on") {
                found.push(format!("<{name} {a}={v:?}>"));
            }
            let url_attr = matches!(
                a.as_str(),
                "href" | "src" | "action" | "formaction" | "xlink:href" | "data" | "poster"
            );
            if url_attr && matches!(scheme_of(v).as_str(), "javascript" | "vbscript" | "data") {
                found.push(format!("<{name} {a}={v:?}>"));
            }
        }
    }
    found
}

#[test]
fn the_checker_itself_finds_active_content() {
    let bad = r#"<p>a</p><SCRIPT>x</SCRIPT><img src=x OnError=y><a href=" java&#x09;script:x">l</a><svg><a xlink:href="javascript:x"></a></svg>"#;
    assert_eq!(active_content(bad).len(), 4, "{:?}", active_content(bad));
    assert!(active_content(
        r#"<a href="tel:javascript:x">t</a><script src="../static/s.js"></script>"#
    )
    .is_empty());
}

#[test]
fn no_content_becomes_active_html() {
    for allow_html in [false, true] {
        let dir = tempfile::Builder::new()
            .prefix(&format!("hostile-{allow_html}-"))
            .disable_cleanup(std::env::var_os("ZHIZE_KEEP").is_some())
            .tempdir()
            .unwrap();
        hostile_site(dir.path(), allow_html);
        let out = dir.path().join("public");
        let o = zhize(&[
            "build",
            "--root",
            dir.path().to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ]);
        assert!(
            o.status.success(),
            "allow_html {allow_html}: {}",
            stderr(&o)
        );
        let mut problems = Vec::new();
        let mut pages = 0;
        let mut escaped_seen = false;
        for f in read_output(&out) {
            if !(f.path.ends_with(".html") || f.path.ends_with(".svg")) {
                continue;
            }
            pages += 1;
            let html = String::from_utf8_lossy(&f.bytes);
            escaped_seen |= html.contains("&lt;script&gt;alert(1)&lt;/script&gt;");
            for p in active_content(&html) {
                problems.push(format!("{}: {p}", f.path));
            }
        }
        assert!(pages >= 8, "allow_html {allow_html}: only {pages} pages");
        // What zhize makes itself survives the sanitiser: code blocks, charts, mentions.
        let page = std::fs::read_to_string(out.join("org/pages/page.html")).unwrap();
        for made in ["<pre", "<svg", "class=\"mention\"", "type=\"checkbox\""] {
            assert!(
                page.contains(made),
                "allow_html {allow_html}: no {made} in:\n{page}"
            );
        }
        assert!(
            escaped_seen,
            "allow_html {allow_html}: the hostile text should show, escaped"
        );
        assert!(
            problems.is_empty(),
            "allow_html {allow_html}: active content in the output:\n{}",
            problems.join("\n")
        );
    }
}

#[test]
fn hostile_ids_fail_the_build_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    hostile_site(dir.path(), false);
    let dept = dir.path().join("content/org/dept.yaml");
    let text = std::fs::read_to_string(&dept).unwrap();
    std::fs::write(&dept, format!("id: '{EVIL}'\n{text}")).unwrap();
    write(
        dir.path(),
        "content/pages/evil2.md",
        "---\nid: 'javascript:alert(1)'\ntitle: t\n---\nx\n",
    );
    let o = zhize(&["build", "--root", dir.path().to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("content/org/dept.yaml:1:5: id `X<script>alert(1)</script>"),
        "{err}"
    );
    assert!(
        err.contains(
            "content/pages/evil2.md:2:5: id `javascript:alert(1)` cannot be used in a URL"
        ),
        "{err}"
    );
    assert!(!dir.path().join("public").exists());
}

// ---------------------------------------------------------------------------------------
// Interrupted builds
// ---------------------------------------------------------------------------------------

/// A site of `n` departments, big enough that a debug build takes a moment. `version`
/// changes every page.
fn big_site(root: &Path, n: usize, version: &str) {
    write(root, "zhize.yaml", &format!("title: 第{version}版\n"));
    write(
        root,
        "content/big/_org.yaml",
        &format!("name: 大局{version}\nexternal:\n  - name: 外单位\n"),
    );
    for i in 0..n {
        let mut y =
            format!("id: d{i}\nname: 第{i}科\nsummary: 第{version}版的第{i}科。\nduties:\n");
        for j in 0..8 {
            y.push_str(&format!(
                "  - 负责第{j}项工作，与第{}科衔接。\n",
                (i + 1) % n
            ));
        }
        y.push_str(
            "posts:\n  - {name: 科长岗, covers: [1, 2]}\n  - {name: 科员岗, covers: [3-8]}\n",
        );
        y.push_str("procedures:\n  - name: 办文流程\n    steps:\n      - {label: 拟稿, actor: 科员岗, text: 拟稿。}\n      - {label: 审核, actor: 科长岗, text: 审核。, branches: [{when: 退回, goto: 拟稿}]}\n");
        write(root, &format!("content/big/d{i}.yaml"), &y);
    }
}

type Snapshot = BTreeMap<String, Vec<u8>>;

fn snapshot(dir: &Path) -> Snapshot {
    read_output(dir)
        .into_iter()
        .map(|f| (f.path, f.bytes))
        .collect()
}

/// Staging and old folders that builds leave beside `out` when killed.
fn leftovers(out: &Path) -> Vec<String> {
    let name = out.file_name().unwrap().to_string_lossy().into_owned();
    std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&format!(".{name}.zhize-")) && !n.ends_with(".zhize-lock"))
        .collect()
}

/// A small random number from the clock and std's hasher seeds (no rand crate here).
fn random_below(n: u64) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos(),
    );
    h.finish() % n.max(1)
}

fn build_into(root: &Path, out: &Path) -> Duration {
    let start = Instant::now();
    let o = zhize(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    start.elapsed()
}

/// Departments of the interrupted site: about 330 pages and 6 MB, a debug build of about a
/// second. Every page lists every department, so the output grows with the square: 300 take
/// six seconds a build and twenty kills would take minutes.
const DEPTS: usize = 80;

#[test]
fn a_killed_build_leaves_the_previous_site_intact() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let out = dir.path().join("public");
    // The complete output of each version, built once elsewhere.
    let mut complete = Vec::new();
    let mut took = Duration::ZERO;
    for v in ["一", "二"] {
        big_site(&site, DEPTS, v);
        let elsewhere = dir.path().join(format!("complete-{v}"));
        took = took.max(build_into(&site, &elsewhere));
        complete.push(snapshot(&elsewhere));
    }
    assert_ne!(complete[0], complete[1]);
    build_into(&site, &out); // version 二 is in place
    let mut current = 1;
    assert_eq!(snapshot(&out), complete[current]);
    let budget = took.as_millis() as u64 + 50;
    let (mut old_kept, mut new_in) = (0, 0);
    let start = Instant::now();
    for i in 0..20 {
        let next = 1 - current;
        big_site(&site, DEPTS, ["一", "二"][next]);
        let mut child = Command::new(env!("CARGO_BIN_EXE_zhize"))
            .args(["build", "--root", site.to_str().unwrap(), "--output"])
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(random_below(budget)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let now = snapshot(&out);
        if now == complete[current] {
            old_kept += 1;
        } else if now == complete[next] {
            new_in += 1;
            current = next;
        } else {
            panic!(
                "iteration {i}: {} holds neither the previous build nor the new one ({} files)",
                out.display(),
                now.len()
            );
        }
    }
    eprintln!(
        "20 killed builds in {:?}: {old_kept} left the previous site, {new_in} had swapped in the new one",
        start.elapsed()
    );
    // The next build succeeds and removes every staging folder a killed build left,
    // including one planted here, but nothing else.
    std::fs::create_dir_all(dir.path().join(".public.zhize-tmp-4294967295/x")).unwrap();
    std::fs::create_dir_all(dir.path().join(".public.zhize-tmp-mine")).unwrap();
    big_site(&site, DEPTS, "一");
    build_into(&site, &out);
    assert_eq!(snapshot(&out), complete[0]);
    assert_eq!(leftovers(&out), vec![".public.zhize-tmp-mine".to_string()]);
}

#[test]
fn the_sanitiser_keeps_markdown_and_drops_script() {
    use zhize::render::markdown::sanitise;
    let kept = r##"<p><a class="mention" href="../a/index.html">a</a> <a href="https://x.org" title="t">x</a> <a href="mailto:a@b">m</a></p><table><thead><tr><th style="text-align: center">h</th></tr></thead></table><ul><li><input disabled="" type="checkbox" checked=""> t</li></ul><sup class="footnote-reference"><a href="#1">1</a></sup><div class="footnote-definition" id="1">n</div>"##;
    assert_eq!(sanitise(kept), kept);
    let cleaned = sanitise(
        r#"<p onclick="x">a<script>alert(1)</script><a href="javascript:alert(1)">j</a><img src="data:image/png;base64,AA" onerror="x"><th style="background:url(javascript:x)">s</th><input type="image" src="x"><iframe src="x"></iframe><style>p{}</style></p>"#,
    );
    assert_eq!(cleaned, r#"<p>a<a>j</a><img>s<input></p>"#);
}

// ---------------------------------------------------------------------------------------
// Second round: what an attack review found
// ---------------------------------------------------------------------------------------

/// Run `zhize` and kill it after `limit`: `None` when it had to be killed.
fn zhize_within(args: &[&str], limit: Duration) -> Option<Output> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhize"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("ZHIZE_LANG", "en")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run zhize");
    let start = Instant::now();
    while start.elapsed() < limit {
        if child.try_wait().unwrap().is_some() {
            return Some(child.wait_with_output().unwrap());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    None
}

fn build_root(root: &Path) -> Output {
    zhize(&["build", "--root", root.to_str().unwrap()])
}

#[test]
fn symlinks_out_of_the_site_are_refused_not_published() {
    let site = mini_site();
    let root = site.path();
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "secret.txt", "root:x:0:0:secret");
    write(
        outside.path(),
        "leak.md",
        "---\ntitle: 外部\n---\nroot:x:0:0:secret\n",
    );
    std::os::unix::fs::symlink(
        outside.path().join("leak.md"),
        root.join("content/pages/leak.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), root.join("content/pages/elsewhere")).unwrap();
    // A link to the file system root: walking it would read the whole machine.
    std::os::unix::fs::symlink("/", root.join("content/shiju/everything")).unwrap();
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        root.join("static/passwd"),
    )
    .unwrap();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("leak.md"),
        root.join("templates/x.html"),
    )
    .unwrap();
    // A link that stays inside the site is fine.
    std::os::unix::fs::symlink("guide.md", root.join("content/pages/guide-again.md")).unwrap();
    let o = zhize_within(
        &["build", "--root", root.to_str().unwrap()],
        Duration::from_secs(120),
    )
    .expect("the build ends: it does not walk the whole file system");
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    for link in [
        "content/pages/leak.md",
        "content/pages/elsewhere",
        "content/shiju/everything",
    ] {
        assert!(
            err.contains(&format!("{link}: symbolic link leads outside the site")),
            "{link}: {err}"
        );
    }
    assert!(!err.contains("guide-again"), "{err}");
    assert!(!root.join("public").exists());
    // The theme's files are read once the content loads.
    for link in [
        "content/shiju/everything",
        "content/pages/elsewhere",
        "content/pages/leak.md",
    ] {
        std::fs::remove_file(root.join(link)).unwrap();
    }
    let o = build_root(root);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    for link in ["static/passwd", "templates/x.html"] {
        assert!(
            err.contains(&format!("{link}: symbolic link leads outside the site")),
            "{link}: {err}"
        );
    }
    assert!(!root.join("public").exists());
    // Allowed explicitly, the outside files are published.
    let cfg = std::fs::read_to_string(root.join("zhize.yaml")).unwrap();
    std::fs::write(
        root.join("zhize.yaml"),
        format!("{cfg}\nallow_outside_links: true\n"),
    )
    .unwrap();
    let o = build_root(root);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(root.join("public/static/passwd").is_file());
}

#[test]
fn ids_that_collide_with_generated_files_or_in_case_fail_check_at_their_line() {
    let site = mini_site();
    let root = site.path();
    let org = std::fs::read_to_string(root.join("content/shiju/_org.yaml")).unwrap();
    std::fs::write(
        root.join("content/shiju/_org.yaml"),
        format!("id: sitemap.xml\n{org}"),
    )
    .unwrap();
    write(
        root,
        "content/other/_org.yaml",
        "id: Index.html\nname: 另一局\n",
    );
    write(root, "content/other/a.yaml", "id: Ban\nname: 甲科\n");
    write(root, "content/other/b.yaml", "id: ban\nname: 乙科\n");
    write(root, "content/other/c.yaml", "id: views\nname: 丙科\n");
    let o = zhize(&["check", "--root", root.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    for expected in [
        "content/shiju/_org.yaml:1:5: organisation id `sitemap.xml` is reserved",
        "content/other/_org.yaml:1:5: organisation id `Index.html` is reserved",
        "content/other/b.yaml:1:5: department id `ban` differs only in case from `Ban`",
        "content/other/c.yaml:1:5: department id `views` is reserved",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
}

#[test]
fn control_characters_of_content_are_shown_escaped_in_messages() {
    let site = mini_site();
    let root = site.path();
    // YAML refuses raw control characters, but writes them as escapes in double quotes.
    write(
        root,
        "content/shiju/evil.yaml",
        "name: 甲科\u{202e}\nduties: [负责。]\ndivision:\n  internal:\n    - {with: [\"文\\e[2J\\a秘\\u202e\"], text: 协作。}\n",
    );
    write(
        root,
        "content/pages/evil.md",
        "---\ntitle: 页\n---\n见[别处](nowhere\u{1b}.html)。\n",
    );
    let o = zhize(&["build", "--root", root.to_str().unwrap()]);
    let err = stderr(&o);
    assert!(
        err.contains("文\\u{1b}[2J"),
        "the error quotes the name: {err}"
    );
    assert!(!err.contains('\u{1b}'), "{err:?}");
    assert!(!err.contains('\u{7}'), "{err:?}");
    assert!(!err.contains('\u{202e}'), "{err:?}");
    assert!(err.contains("\\u{1b}"), "{err}");
}

#[test]
fn a_duplicate_key_is_reported_where_it_is_repeated() {
    let site = mini_site();
    let root = site.path();
    write(
        root,
        "content/shiju/caiwu.yaml",
        "名称: 财务审计科\n主要职责: 负责财务。\n细化职责:\n  - 负责预算。\n主要职责: 又写了一遍。\n",
    );
    let o = zhize(&["check", "--root", root.to_str().unwrap()]);
    let err = stderr(&o);
    assert!(
        err.contains("content/shiju/caiwu.yaml:5:1: key `主要职责` is given twice"),
        "{err}"
    );
}

#[test]
fn a_long_page_full_of_mentions_builds_in_linear_time() {
    let site = mini_site();
    let root = site.path();
    // 2 MB of text naming a department every few characters: the context of each mention
    // used to copy the whole text before and after it (16 s for 880 KB; hours for this).
    let line = "办公室和财务审计科共同负责本项工作，报局长审定。\n";
    let body = line.repeat(2 * 1024 * 1024 / line.len());
    write(
        root,
        "content/shiju/long.md",
        &format!("---\ntitle: 长文\n---\n{body}"),
    );
    let o = zhize_within(
        &["check", "--root", root.to_str().unwrap()],
        Duration::from_secs(240),
    )
    .expect("check of a 2 MB page ends within minutes");
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn a_matrix_of_thousands_of_duties_and_posts_is_bounded_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "zhize.yaml", "title: t\n");
    write(root, "content/o/_org.yaml", "name: 大局\n");
    write(root, "content/o/b.yaml", "name: 乙科\nduties: [负责乙。]\n");
    let mut y = String::from("name: 甲科\nduties:\n");
    for i in 0..600 {
        y.push_str(&format!("  - 与乙科共同负责第{i}项。\n"));
    }
    y.push_str("posts:\n");
    for j in 0..200 {
        y.push_str(&format!("  - {{name: 岗{j}, covers: [1-600]}}\n"));
    }
    write(root, "content/o/a.yaml", &y);
    // Run under a memory limit: unbounded, the matrix page alone took gigabytes.
    let o = zhize_bounded(
        &["build", "--root", root.to_str().unwrap()],
        Duration::from_secs(600),
    );
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains(
            "content/o/a.yaml: the responsibility matrix leaves out the 200 posts of 甲科"
        ),
        "{err}"
    );
    let matrix = std::fs::read_to_string(root.join("public/o/views/matrix.html"))
        .or_else(|_| std::fs::read_to_string(root.join("public/o/matrix.html")))
        .unwrap();
    assert!(matrix.len() < 4 * 1024 * 1024, "{} bytes", matrix.len());
    assert!(matrix.contains("岗位列和各岗位的职责从略"));
    let dept = std::fs::read_to_string(root.join("public/o/a/index.html")).unwrap();
    assert!(dept.contains("1–600"), "covers shown as a range");
    assert!(dept.contains("另有 188 个岗位"));
}

#[test]
fn a_template_that_loops_for_ever_fails_with_its_name() {
    let site = mini_site();
    let root = site.path();
    let cfg = std::fs::read_to_string(root.join("zhize.yaml")).unwrap();
    std::fs::write(
        root.join("zhize.yaml"),
        format!("{cfg}\nrender_timeout: 2\n"),
    )
    .unwrap();
    for (body, what) in [
        (
            "{% for i in range(end=100000) %}{% for j in range(end=100000) %}x{% endfor %}{% endfor %}",
            "writes",
        ),
        (
            "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}",
            "silent",
        ),
    ] {
        write(root, "templates/404.html", body);
        let o = zhize_within(&["build", "--root", root.to_str().unwrap()], Duration::from_secs(120))
            .unwrap_or_else(|| panic!("{what}: the build did not stop"));
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{what}: {err}");
        assert!(
            err.contains("rendering 404.html with template 404.html did not finish within"),
            "{what}: {err}"
        );
    }
    // The stopped build left the old output (none) alone; the next good build cleans up.
    std::fs::remove_file(root.join("templates/404.html")).unwrap();
    let o = build_root(root);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(leftovers(&root.join("public"))
        .iter()
        .all(|n| n.ends_with(".zhize-lock")));
}

#[test]
fn killed_index_writers_leave_nothing_for_ever() {
    let site = mini_site();
    let root = site.path();
    // What killed writers of this and earlier versions left.
    for stale in [
        ".zhize/.index.zhize-tmp-4294967",
        ".zhize/.index-tmp-123-456",
        ".zhize/.index-old-123-456",
    ] {
        std::fs::create_dir_all(root.join(stale).join("seg")).unwrap();
    }
    let o = zhize(&["search", "--root", root.to_str().unwrap(), "印章"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let left: Vec<String> = std::fs::read_dir(root.join(".zhize"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".zhize-lock"))
        .collect();
    assert_eq!(left, ["index"], "{left:?}");
}

#[test]
fn an_output_inside_static_is_refused() {
    let site = mini_site();
    let root = site.path();
    std::fs::create_dir_all(root.join("static")).unwrap();
    let out = root.join("static/site");
    let o = zhize(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("it is inside static/, which zhize reads"),
        "{err}"
    );
    assert!(!out.exists());
}

#[test]
fn the_importer_never_writes_a_page_that_build_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("长文.txt");
    let para = "第一条　为规范机关公文处理工作，提高办文效率，制定本办法。\n";
    std::fs::write(
        &doc,
        format!(
            "关于公文处理的办法\n{}",
            para.repeat(20 * 1024 * 1024 / para.len())
        ),
    )
    .unwrap();
    let content = dir.path().join("site/content");
    let o = zhize(&[
        "import",
        doc.to_str().unwrap(),
        "--output",
        content.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut pages = 0;
    for e in walkdir::WalkDir::new(&content) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            assert!(
                e.metadata().unwrap().len() <= zhize::load::MAX_FILE_BYTES,
                "{} is {} bytes",
                e.path().display(),
                e.metadata().unwrap().len()
            );
            pages += e.path().extension().is_some_and(|x| x == "md") as usize;
        }
    }
    assert!(pages >= 2, "{pages}");
    write(&dir.path().join("site"), "zhize.yaml", "title: t\n");
    let o = zhize(&["check", "--root", dir.path().join("site").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
}
