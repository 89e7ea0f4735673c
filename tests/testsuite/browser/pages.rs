//! The built site in real headless Chromium, over http and from file://: type a question into
//! the search box and see the department that handles it. Chromium is driven through the
//! DevTools protocol. Where Chromium is missing the tests say so and pass, unless
//! ZHIZE_BROWSER_TESTS=required (as in CI).

use crate::common::*;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A static file server for `dir` on a free loopback port, for the life of the test.
pub(super) fn serve(dir: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = dir.clone();
            std::thread::spawn(move || {
                let mut stream = stream;
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    return;
                }
                let path = line
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or("/")
                    .split(['?', '#'])
                    .next()
                    .unwrap_or("/")
                    .to_string();
                let rel = percent_decode(path.trim_start_matches('/'));
                let mut file = dir.join(&rel);
                if rel.is_empty() || file.is_dir() {
                    file = file.join("index.html");
                }
                let ok = !rel.split('/').any(|s| s == "..") && file.is_file();
                let (status, body) = if ok {
                    ("200 OK", std::fs::read(&file).unwrap_or_default())
                } else {
                    ("404 Not Found", b"not found".to_vec())
                };
                let ctype = match file.extension().and_then(|e| e.to_str()) {
                    Some("html") => "text/html; charset=utf-8",
                    Some("js") => "text/javascript; charset=utf-8",
                    Some("css") => "text/css; charset=utf-8",
                    _ => "application/octet-stream",
                };
                let _ = write!(stream, "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
                let _ = stream.write_all(&body);
            });
        }
    });
    format!("http://{addr}/")
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Headless Chromium with a DevTools connection to one page.
pub(super) struct Browser {
    child: Child,
    ws: tungstenite::WebSocket<std::net::TcpStream>,
    session: String,
    next: u64,
    _profile: tempfile::TempDir,
}

impl Browser {
    pub(super) fn launch(exe: &Path) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let mut child = Command::new(exe)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--allow-file-access-from-files",
                "--remote-debugging-port=0",
                "--window-size=1280,900",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start chromium");
        let mut err = BufReader::new(child.stderr.take().unwrap());
        let mut url = String::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            let mut line = String::new();
            if err.read_line(&mut line).unwrap_or(0) == 0 {
                break;
            }
            if let Some(i) = line.find("ws://") {
                url = line[i..].trim().to_string();
                break;
            }
        }
        assert!(
            !url.is_empty(),
            "Chromium did not print its DevTools address"
        );
        // Keep draining stderr so Chromium never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut sink = Vec::new();
            let _ = err.read_to_end(&mut sink);
        });
        let hostport = url
            .trim_start_matches("ws://")
            .split('/')
            .next()
            .unwrap()
            .to_string();
        let stream = std::net::TcpStream::connect(&hostport).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(300)))
            .unwrap();
        let (ws, _) = tungstenite::client(url.as_str(), stream).expect("DevTools websocket");
        let mut b = Browser {
            child,
            ws,
            session: String::new(),
            next: 0,
            _profile: profile,
        };
        let target = b.call(None, "Target.createTarget", json!({"url": "about:blank"}));
        let id = target["targetId"].as_str().unwrap().to_string();
        let attached = b.call(
            None,
            "Target.attachToTarget",
            json!({"targetId": id, "flatten": true}),
        );
        b.session = attached["sessionId"].as_str().unwrap().to_string();
        b
    }

    fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = self.next;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        self.ws
            .send(tungstenite::Message::text(msg.to_string()))
            .unwrap();
        loop {
            let m = self.ws.read().expect("DevTools message");
            if let tungstenite::Message::Text(t) = m {
                let v: Value = serde_json::from_str(&t).unwrap();
                if v["id"] == json!(id) {
                    assert!(v.get("error").is_none(), "{method}: {v}");
                    return v["result"].clone();
                }
            }
        }
    }

    pub(super) fn page(&mut self, method: &str, params: Value) -> Value {
        let s = self.session.clone();
        self.call(Some(&s), method, params)
    }

    pub(super) fn eval(&mut self, js: &str) -> Value {
        let r = self.page(
            "Runtime.evaluate",
            json!({"expression": js, "returnByValue": true}),
        );
        r["result"]["value"].clone()
    }

    /// Open `url` and wait until it has loaded.
    pub(super) fn goto(&mut self, url: &str) {
        self.page("Page.navigate", json!({"url": url}));
        let want = url.split('#').next().unwrap_or(url).to_string();
        let deadline = Instant::now() + Duration::from_secs(30);
        let check = format!(
            "document.readyState === 'complete' && decodeURI(location.href.split('#')[0]) === decodeURI({})",
            json!(want)
        );
        while self.eval(&check) != json!(true) {
            assert!(Instant::now() < deadline, "{url} did not load");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The viewport's size, as a phone (`mobile`) or a desktop.
    pub(super) fn viewport(&mut self, width: u32, height: u32) {
        self.page(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600}),
        );
    }

    /// The media type (`screen`, `print`) and the system's colour scheme.
    pub(super) fn media(&mut self, media: &str, dark: bool) {
        self.page(
            "Emulation.setEmulatedMedia",
            json!({"media": media, "features": [{"name": "prefers-color-scheme", "value": if dark { "dark" } else { "light" }}]}),
        );
    }

    /// Evaluate `js`, waiting for the promise it returns.
    pub(super) fn eval_async(&mut self, js: &str) -> Value {
        let r = self.page(
            "Runtime.evaluate",
            json!({"expression": js, "returnByValue": true, "awaitPromise": true, "timeout": 120000}),
        );
        r["result"]["value"].clone()
    }

    /// The page printed to PDF as the browser's print dialog would (the page's own @page
    /// size and margins, no browser header or footer).
    pub(super) fn pdf(&mut self) -> Vec<u8> {
        let r = self.page(
            "Page.printToPDF",
            json!({"preferCSSPageSize": true, "printBackground": true, "displayHeaderFooter": false}),
        );
        base64(r["data"].as_str().expect("PDF data"))
    }

    /// A PNG of the viewport (or of the whole page when `full`).
    pub(super) fn screenshot(&mut self, full: bool) -> Vec<u8> {
        let r = self.page(
            "Page.captureScreenshot",
            json!({"format": "png", "captureBeyondViewport": full}),
        );
        base64(r["data"].as_str().expect("PNG data"))
    }

    /// Open `url`, type `query` into the search box, and return the hits shown.
    fn search(&mut self, url: &str, query: &str) -> Vec<(String, String)> {
        self.page("Page.navigate", json!({"url": url}));
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.eval("document.readyState === 'complete' && !!document.getElementById('zhize-q') && !document.getElementById('zhize-search').hidden") != json!(true) {
            assert!(Instant::now() < deadline, "the search box did not appear on {url}");
            std::thread::sleep(Duration::from_millis(50));
        }
        // "/" focuses the box, as for a person.
        self.page(
            "Input.dispatchKeyEvent",
            json!({"type": "keyDown", "key": "/", "text": "/"}),
        );
        self.page(
            "Input.dispatchKeyEvent",
            json!({"type": "keyUp", "key": "/"}),
        );
        assert_eq!(
            self.eval("document.activeElement && document.activeElement.id"),
            json!("zhize-q"),
            "/ focuses the search box"
        );
        self.page("Input.insertText", json!({"text": query}));
        let read = "Array.from(document.querySelectorAll('#zhize-results .search-hit')).map(li => [li.querySelector('a').textContent, li.dataset.who || ''])";
        loop {
            let v = self.eval(read);
            if v.as_array().is_some_and(|a| !a.is_empty()) {
                return v
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| {
                        (
                            p[0].as_str().unwrap().to_string(),
                            p[1].as_str().unwrap().to_string(),
                        )
                    })
                    .collect();
            }
            assert!(Instant::now() < deadline, "no results for {query} on {url}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Browser {
    /// Press and release a key (with the codes Chromium needs to act on it, as for a person).
    fn key(&mut self, key: &str) {
        let (code, vk, text) = match key {
            "ArrowDown" => ("ArrowDown", 40, ""),
            "ArrowUp" => ("ArrowUp", 38, ""),
            "Enter" => ("Enter", 13, "\r"),
            "Escape" => ("Escape", 27, ""),
            other => panic!("no key code for {other}"),
        };
        let mut down =
            json!({"type": "keyDown", "key": key, "code": code, "windowsVirtualKeyCode": vk});
        if !text.is_empty() {
            down["text"] = json!(text);
        }
        self.page("Input.dispatchKeyEvent", down);
        self.page(
            "Input.dispatchKeyEvent",
            json!({"type": "keyUp", "key": key, "code": code, "windowsVirtualKeyCode": vk}),
        );
    }

    /// Wait until `js` is true, or fail with `what`.
    fn wait_for(&mut self, js: &str, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.eval(js) != json!(true) {
            assert!(Instant::now() < deadline, "{what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Decode standard base64 (what DevTools sends binary data as).
pub(super) fn base64(s: &str) -> Vec<u8> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for v in s.bytes().filter_map(val) {
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn typing_a_question_shows_who_handles_it_over_http_and_from_file() {
    let Some(exe) = find_chromium("the browser tests") else {
        return;
    };
    let out = build_demo();
    let public = out.path().join("public");
    let http = serve(public.clone());
    let file = format!("file://{}/", public.display());
    let mut browser = Browser::launch(&exe);
    for base in [http.as_str(), file.as_str()] {
        // From a page deep in the site, so relative paths to the index are exercised.
        let url = format!("{base}weihai-sthjj/bangongshi/index.html");
        let hits = browser.search(&url, "谁负责印章");
        assert!(
            hits.iter().take(5).any(|(_, who)| who.contains("办公室")),
            "{base}: {hits:?}"
        );
        let hits = browser.search(&format!("{base}index.html"), "職稱評審");
        assert!(
            hits.iter()
                .take(5)
                .any(|(title, who)| title.contains("职称") || who.contains("政工科")),
            "{base}: {hits:?}"
        );
        // Snippets mark the match with <mark>, built as elements, never from HTML strings.
        assert_eq!(
            browser.eval("document.querySelectorAll('#zhize-results mark').length > 0"),
            json!(true)
        );
    }
}

/// Five everyday questions, typed as a newcomer would, over http and from file://: the first
/// hit is the department that handles it, the matched words are marked, the arrow keys walk
/// the hits and Enter opens one, Esc closes, and `?q=` both records and restores a search.
#[test]
fn everyday_questions_in_the_browser_keys_and_shared_addresses() {
    let Some(exe) = find_chromium("the browser tests") else {
        return;
    };
    let out = build_demo();
    let public = out.path().join("public");
    let http = serve(public.clone());
    let file = format!("file://{}/", public.display());
    let mut browser = Browser::launch(&exe);
    // (question, the department and organisation of the first hit)
    let questions = [
        ("硒鼓空了，找谁要个新的？", "办公室 · 威海市工业和信息化局"),
        (
            "过了年就满六十，到点回家找谁办？",
            "政工科 · 威海市生态环境局",
        ),
        ("手台老串频，找谁？", "工业互联网科 · 威海市工业和信息化局"),
        (
            "村头那条又黑又臭的沟谁来治？",
            "土壤与固体废物管理科 · 威海市生态环境局",
        ),
        (
            "有企业把局里告了，谁去出庭？",
            "综合科 · 威海市工业和信息化局",
        ),
    ];
    for base in [http.as_str(), file.as_str()] {
        for (q, who) in questions {
            let hits = browser.search(&format!("{base}weihai-gxj/index.html"), q);
            assert_eq!(hits[0].1, who, "{base}: {q}: {hits:?}");
            assert_eq!(
                browser.eval(
                    "document.querySelectorAll('#zhize-results .search-hit mark').length > 0"
                ),
                json!(true),
                "{base}: {q}: no matched words marked"
            );
        }
        // The address holds the question.
        let (q, who) = questions[0];
        browser.search(&format!("{base}index.html"), q);
        browser.wait_for(
            &format!(
                "new URL(location.href).searchParams.get('q') === {}",
                json!(q)
            ),
            &format!("{base}: the address does not hold ?q="),
        );
        // Arrow keys: down to the first and second hit, up again to the box.
        let active_href = "document.activeElement && document.activeElement.getAttribute('href')";
        let links = "Array.from(document.querySelectorAll('#zhize-results .search-hit a')).map(a => a.getAttribute('href'))";
        let hrefs = browser.eval(links);
        assert!(hrefs.as_array().is_some_and(|a| a.len() >= 2), "{hrefs}");
        browser.key("ArrowDown");
        assert_eq!(browser.eval(active_href), hrefs[0], "{base}: ArrowDown");
        browser.key("ArrowDown");
        assert_eq!(
            browser.eval(active_href),
            hrefs[1],
            "{base}: ArrowDown twice"
        );
        browser.key("ArrowUp");
        browser.key("ArrowUp");
        assert_eq!(
            browser.eval("document.activeElement.id"),
            json!("zhize-q"),
            "{base}: ArrowUp back to the box"
        );
        // Esc closes the results and empties the box.
        browser.key("Escape");
        assert_eq!(
            browser.eval("document.getElementById('zhize-results').hidden && document.getElementById('zhize-q').value === ''"),
            json!(true),
            "{base}: Esc"
        );
        // A shared address shows the same results without typing.
        let shared = format!(
            "{base}index.html?q={}",
            percent_encoding::utf8_percent_encode(q, percent_encoding::NON_ALPHANUMERIC)
        );
        browser.page("Page.navigate", json!({"url": shared}));
        browser.wait_for(
            "document.querySelectorAll('#zhize-results .search-hit').length > 0",
            &format!("{base}: ?q= shows no results"),
        );
        assert_eq!(
            browser.eval("document.querySelector('#zhize-results .search-hit').dataset.who"),
            json!(who)
        );
        // Enter on a hit opens it.
        browser.eval("document.getElementById('zhize-q').focus()");
        browser.key("ArrowDown");
        let target = browser.eval(active_href);
        let target = target
            .as_str()
            .unwrap()
            .split('#')
            .next()
            .unwrap()
            .to_string();
        browser.key("Enter");
        browser.wait_for(
            &format!("location.pathname.endsWith({})", json!(target)),
            &format!("{base}: Enter did not open {target}"),
        );
    }
}
