//! The built site in real headless Chromium, over http and from file://: type a question into
//! the search box and see the department that handles it. Chromium is driven through the
//! DevTools protocol. Where Chromium is missing the tests say so and pass, unless
//! ZHIZE_BROWSER_TESTS=required (as in CI).

mod common;
use common::*;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A static file server for `dir` on a free loopback port, for the life of the test.
fn serve(dir: PathBuf) -> String {
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
struct Browser {
    child: Child,
    ws: tungstenite::WebSocket<std::net::TcpStream>,
    session: String,
    next: u64,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn launch(exe: &Path) -> Browser {
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
            .set_read_timeout(Some(Duration::from_secs(30)))
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

    fn page(&mut self, method: &str, params: Value) -> Value {
        let s = self.session.clone();
        self.call(Some(&s), method, params)
    }

    fn eval(&mut self, js: &str) -> Value {
        let r = self.page(
            "Runtime.evaluate",
            json!({"expression": js, "returnByValue": true}),
        );
        r["result"]["value"].clone()
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
        let read = "Array.from(document.querySelectorAll('#zhize-results .search-hit')).map(li => [li.querySelector('a').textContent, (li.querySelector('.search-who')||{}).textContent || ''])";
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
