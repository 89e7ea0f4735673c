//! `zhize serve` as an editor and an intranet meet it: a real server process on a free
//! loopback port, spoken to over TCP. Pages and the search API, an edit that shows, a broken
//! file that shows its error while the last good site stays up, paths that try to leave the
//! site, the limits, and Ctrl-C.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `zhize serve`, stopped when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    log: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Server {
    /// A server on the site at `root`, once its search API answers.
    fn start(root: &Path) -> Server {
        let server = Server::spawn(root, None);
        // The search index follows the pages: wait for it.
        server.until(Duration::from_secs(120), "the search API", || {
            server.get("/api/search?q=x").status == 200
        });
        server
    }

    /// A server on the site at `root`, as soon as it listens; with `files`, under that limit
    /// of open files (the shell's `ulimit -n`).
    fn spawn(root: &Path, files: Option<u32>) -> Server {
        let bin = env!("CARGO_BIN_EXE_zhize");
        let mut command = match files {
            Some(n) => {
                let mut c = Command::new("sh");
                c.arg("-c")
                    .arg(format!("ulimit -n {n} && exec \"$0\" \"$@\""))
                    .arg(bin);
                c
            }
            None => Command::new(bin),
        };
        let mut child = command
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .env("NO_COLOR", "1")
            .env("ZHIZE_LANG", "en")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start zhize serve");
        // Keep the log for failure messages.
        let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let mut err = child.stderr.take().unwrap();
        let sink = log.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|s| s.split('/').next())
            .unwrap_or_else(|| panic!("no address in {line:?}; log:\n{}", log.lock().unwrap()))
            .parse()
            .unwrap();
        Server { child, addr, log }
    }

    fn get(&self, path: &str) -> Reply {
        self.request(&format!("GET {path} HTTP/1.1\r\n"))
    }

    /// Send a request line (and anything after it) as is: no client tidies the path.
    fn request(&self, head: &str) -> Reply {
        let mut s = TcpStream::connect(self.addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        write!(s, "{head}Host: {}\r\nConnection: close\r\n\r\n", self.addr).unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        Reply::parse(&raw)
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    fn until(&self, limit: Duration, what: &str, mut ok: impl FnMut() -> bool) {
        let start = Instant::now();
        while !ok() {
            assert!(
                start.elapsed() < limit,
                "{what} did not come within {limit:?}; server log:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The server's live-reload state after `since`.
    fn wait(&self, since: u64) -> serde_json::Value {
        let r = self.get(&format!("/__zhize/wait?since={since}"));
        assert_eq!(r.status, 200);
        serde_json::from_slice(&r.body).unwrap()
    }

    fn version(&self) -> u64 {
        self.wait(0)["version"].as_u64().unwrap()
    }

    /// Write `bytes` on a new connection as they are (up to the first error: the server may
    /// close first), then read until the server closes it or 30 seconds pass.
    fn raw(&self, bytes: &[u8]) -> Raw {
        let mut s = TcpStream::connect(self.addr).expect("connect");
        s.set_write_timeout(Some(Duration::from_secs(30))).unwrap();
        for chunk in bytes.chunks(64 * 1024) {
            if s.write_all(chunk).is_err() {
                break;
            }
        }
        Raw::read(&mut s, Duration::from_secs(30))
    }

    /// Open a connection and send `head` (nothing if empty), without waiting for an answer.
    fn open(&self, head: &str) -> TcpStream {
        let mut s = TcpStream::connect(self.addr).expect("connect");
        s.write_all(head.as_bytes()).unwrap();
        s
    }

    /// How many connections the server holds at most, from its log.
    fn limit(&self) -> usize {
        let mut n = None;
        self.until(Duration::from_secs(30), "the connection limit", || {
            n = self
                .log()
                .split("at most ")
                .nth(1)
                .and_then(|s| s.split(' ').next())
                .and_then(|s| s.parse().ok());
            n.is_some()
        });
        n.unwrap()
    }

    /// The server's resident memory, in kB.
    #[cfg(target_os = "linux")]
    fn rss_kb(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    }

    /// How many files (sockets among them) the server has open.
    #[cfg(target_os = "linux")]
    fn handles(&self) -> usize {
        std::fs::read_dir(format!("/proc/{}/fd", self.child.id()))
            .unwrap()
            .count()
    }

    /// Until the search index is made or has failed.
    fn search_settled(&self) {
        self.until(Duration::from_secs(120), "the search index", || {
            let r = self.get("/api/search?q=x");
            r.status == 200 || (r.status == 503 && !r.text().contains("being built"))
        });
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Reply {
    status: u16,
    headers: String,
    body: Vec<u8>,
}

impl Reply {
    fn parse(raw: &[u8]) -> Reply {
        let end = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or(raw.len());
        let head = String::from_utf8_lossy(&raw[..end]).into_owned();
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        Reply {
            status,
            headers: head.to_ascii_lowercase(),
            body: raw.get(end + 4..).unwrap_or_default().to_vec(),
        }
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }
}

/// What the server sent on one connection, and whether it closed it.
struct Raw {
    out: Vec<u8>,
    closed: bool,
}

impl Raw {
    /// Read from `s` until the server closes it (or resets it), or `limit` passes.
    fn read(s: &mut TcpStream, limit: Duration) -> Raw {
        s.set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let start = Instant::now();
        let mut out = Vec::new();
        let mut buf = [0u8; 64 * 1024];
        loop {
            match s.read(&mut buf) {
                Ok(0) => return Raw { out, closed: true },
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    if start.elapsed() > limit {
                        return Raw { out, closed: false };
                    }
                }
                Err(_) => return Raw { out, closed: true },
            }
        }
    }

    /// How many responses: status lines at the start or after a line end.
    fn responses(&self) -> usize {
        let text = String::from_utf8_lossy(&self.out);
        text.match_indices("HTTP/1.1 ")
            .filter(|(i, _)| *i == 0 || text[..*i].ends_with('\n'))
            .count()
    }

    fn reply(&self) -> Reply {
        Reply::parse(&self.out)
    }
}

fn encode(q: &str) -> String {
    q.bytes().map(|b| format!("%{b:02X}")).collect()
}

/// The pages, the search API and the live reload of a site being edited.
#[test]
fn serves_pages_search_and_edits() {
    let site = crate::common::mini_site();
    let server = Server::start(site.path());
    assert_eq!(
        server.addr.ip().to_string(),
        "127.0.0.1",
        "loopback by default"
    );

    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert!(home
        .headers
        .contains("content-type: text/html; charset=utf-8"));
    assert!(
        home.text().contains("/__zhize/live.js"),
        "live reload script"
    );
    let css = server.get("/static/style.css");
    assert_eq!(css.status, 200);
    assert!(css.headers.contains("content-type: text/css"));
    let folder = server.get("/shiju");
    assert_eq!(folder.status, 301);
    assert!(folder.headers.contains("location: /shiju/"));
    assert_eq!(server.get("/shiju/").status, 200);
    let missing = server.get("/shiju/nothing.html");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("<html"), "the site's 404 page");

    // Nothing changes while nobody edits: the server's own reads do not make it rebuild.
    let idle = server.version();
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(
        server.version(),
        idle,
        "rebuilt with no edit: {}",
        server.log()
    );

    // The search API gives the hits `zhize search --json` prints.
    for q in ["谁负责印章", "yinzhang", "采购资金支付", "財務審計"] {
        let api = server.get(&format!("/api/search?q={}&limit=5", encode(q)));
        assert_eq!(api.status, 200, "{q}");
        assert!(api.headers.contains("application/json"));
        let root = site.path().to_str().unwrap();
        let cli = crate::common::zhize(&["search", "--root", root, "--json", "--limit", "5", q]);
        assert!(cli.status.success(), "{}", crate::common::stderr(&cli));
        let cli: serde_json::Value = serde_json::from_slice(&cli.stdout).unwrap();
        assert_eq!(api.json(), cli, "{q}");
        assert!(!cli.as_array().unwrap().is_empty(), "{q} finds something");
    }

    // An edit: the page changes, the long poll names it, and pages it does not touch stay.
    let dept = "/shiju/bangongshi/index.html";
    let page = server.get(dept);
    assert_eq!(page.status, 200, "{}", server.log());
    assert!(!page.text().contains("负责保密工作"));
    let before = server.version();
    let file = site.path().join("content/shiju/bangongshi.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = text.replace(
        "负责文电、机要和档案工作。",
        "负责文电、机要、档案和保密工作。",
    );
    assert_ne!(text, edited);
    std::fs::write(&file, &edited).unwrap();
    server.until(Duration::from_secs(30), "the edited page", || {
        server
            .get(dept)
            .text()
            .contains("负责文电、机要、档案和保密工作")
    });
    let news = server.wait(before);
    assert!(news["version"].as_u64().unwrap() > before);
    assert_eq!(news["errors"], serde_json::json!([]));
    assert!(
        server.log().contains("rebuilt"),
        "a rebuild is logged: {}",
        server.log()
    );

    // A broken file: the error reaches the browser with file and line; the last good site
    // is still served.
    let before = server.version();
    std::fs::write(&file, format!("{edited}\nduties: [unclosed\n")).unwrap();
    let mut errors = serde_json::Value::Null;
    server.until(Duration::from_secs(30), "the build error", || {
        let s = server.wait(before);
        errors = s["errors"].clone();
        errors.as_array().is_some_and(|e| !e.is_empty())
    });
    let e = &errors[0];
    assert!(
        e["file"].as_str().unwrap().ends_with("bangongshi.yaml"),
        "{e}"
    );
    assert!(e["pos"]["line"].as_u64().unwrap() > 0, "{e}");
    assert!(!e["message"].as_str().unwrap().is_empty());
    let still = server.get(dept);
    assert_eq!(still.status, 200);
    assert!(still.text().contains("负责文电、机要、档案和保密工作"));
    // Fixed: the errors go away.
    let before = server.version();
    std::fs::write(&file, &text).unwrap();
    server.until(Duration::from_secs(30), "the fixed build", || {
        let s = server.wait(before);
        s["version"].as_u64().unwrap() > before && s["errors"] == serde_json::json!([])
    });
    server.until(Duration::from_secs(30), "the restored page", || {
        server.get(dept).text().contains("负责文电、机要和档案工作")
    });
}

/// Requests that try to leave the site, or ask too much, get 400/404/405 and nothing else.
#[test]
fn refuses_paths_out_of_the_site_and_oversized_requests() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.txt");
    std::fs::write(&secret, "TOP-SECRET-TEXT").unwrap();
    let site = crate::common::mini_site();
    std::fs::write(site.path().join("secret.txt"), "TOP-SECRET-TEXT").unwrap();
    // Symlinks that lead out, in the places a server might look.
    #[cfg(unix)]
    {
        std::fs::create_dir_all(site.path().join("public")).unwrap();
        std::os::unix::fs::symlink(&secret, site.path().join("public/leak.txt")).unwrap();
        std::os::unix::fs::symlink(outside.path(), site.path().join("public/out")).unwrap();
    }
    let server = Server::start(site.path());
    let secret_path = secret.to_str().unwrap();
    for path in [
        "/../secret.txt".to_string(),
        "/../../../../../../etc/passwd".to_string(),
        "/%2e%2e/secret.txt".to_string(),
        "/%2E%2E%2Fsecret.txt".to_string(),
        "/static/..%2f..%2fsecret.txt".to_string(),
        "/static/%2e%2e/%2e%2e/secret.txt".to_string(),
        "/..\\secret.txt".to_string(),
        "/%5c..%5csecret.txt".to_string(),
        "/secret.txt%00.html".to_string(),
        format!("/{secret_path}"),
        format!("/{}", encode(secret_path)),
        "/secret.txt".to_string(),
        "/zhize.yaml".to_string(),
        "/content/shiju/caiwu.yaml".to_string(),
        "/leak.txt".to_string(),
        "/out/secret.txt".to_string(),
        "/public/leak.txt".to_string(),
    ] {
        let r = server.get(&path);
        assert!(
            r.status == 400 || r.status == 404,
            "{path}: status {}",
            r.status
        );
        assert!(!r.text().contains("TOP-SECRET-TEXT"), "{path} leaked");
        assert!(!r.text().contains("名称: 财务审计科"), "{path} leaked");
    }

    // A folder asked for with more slashes is redirected on this host: `Location: //shiju/`
    // would send the browser to a host named shiju.
    for path in ["//shiju", "///shiju", "/%2Fshiju"] {
        let r = server.get(path);
        assert_eq!(r.status, 301, "{path}");
        assert!(
            r.headers.contains("\r\nlocation: /shiju/\r\n")
                || r.headers.ends_with("\r\nlocation: /shiju/"),
            "{path}: {}",
            r.headers
        );
    }

    let long = "印".repeat(500);
    assert_eq!(
        server
            .get(&format!("/api/search?q={}", encode(&long)))
            .status,
        400
    );
    assert_eq!(server.get("/api/search?q=x&limit=lots").status, 400);
    assert_eq!(server.get("/api/search").status, 400);
    let many = server.get(&format!("/api/search?q={}&limit=100000", encode("负责")));
    assert_eq!(many.status, 200);
    assert!(many.json().as_array().unwrap().len() <= 100);
    let post = server.request("POST /api/search?q=x HTTP/1.1\r\nContent-Length: 0\r\n");
    assert_eq!(post.status, 405);
    assert!(post.headers.contains("allow: get, head"));
}

/// Other HTTP versions, oversized heads and ambiguous framing get at most one answer, and
/// the connection closes: what follows on it is never taken as another request (request
/// smuggling), and nothing is held open or grows.
#[cfg(target_os = "linux")]
#[test]
fn protocol_errors_get_one_answer_and_the_connection_closes() {
    let site = crate::common::mini_site();
    let server = Server::start(site.path());
    // 33 bytes: a reader that takes `Content-Length: 33` sees it as the body.
    let next = "GET /shiju/ HTTP/1.1\r\nHost: x\r\n\r\n";
    assert_eq!(next.len(), 33);
    // For comparison: two requests on one connection get two answers.
    let two = server.raw(
        "GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            .as_bytes(),
    );
    assert_eq!(two.responses(), 2);
    for (what, head) in [
        ("HTTP/2.0", "GET / HTTP/2.0\r\nHost: x\r\n\r\n"),
        ("HTTP/3.0", "GET / HTTP/3.0\r\nHost: x\r\n\r\n"),
        ("the HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
        (
            "two lengths",
            "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 33\r\n\r\n",
        ),
        (
            "two lengths, the other way",
            "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 33\r\nContent-Length: 0\r\n\r\n",
        ),
        (
            "a length and chunks",
            "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        ),
        (
            "chunks and a length",
            "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n",
        ),
        (
            "too many header fields",
            &format!("GET / HTTP/1.1\r\nHost: x\r\n{}\r\n", "X-A: b\r\n".repeat(200)),
        ),
    ] {
        let r = server.raw(format!("{head}{next}").as_bytes());
        let text = String::from_utf8_lossy(&r.out);
        assert!(r.closed, "{what}: the connection stays open; got {text}");
        assert!(r.responses() <= 1, "{what}: {} answers: {text}", r.responses());
        if what != "the HTTP/2 preface" {
            let status = r.reply().status;
            assert!(
                matches!(status, 400 | 431 | 505),
                "{what}: status {status}: {text}"
            );
        }
    }

    // HTTP/2 request lines on 50 connections left open by the client: each is closed by the
    // server, and no handle stays behind.
    let before = server.handles();
    let mut h2: Vec<TcpStream> = (0..50)
        .map(|_| server.open("GET /api/search?q=x HTTP/2.0\r\nHost: x\r\n\r\n"))
        .collect();
    for s in &mut h2 {
        assert!(
            Raw::read(s, Duration::from_secs(30)).closed,
            "an HTTP/2 line is held"
        );
    }
    drop(h2);
    server.until(Duration::from_secs(30), "the handles given back", || {
        server.handles() <= before + 2
    });

    // A header line of 64 MB: refused after the first few kB, with no growth to speak of.
    let _ = server.get("/");
    let rss = server.rss_kb();
    let mut big = b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: ".to_vec();
    big.resize(64 << 20, b'a');
    let r = server.raw(&big);
    assert!(r.closed, "a huge header is held");
    assert!(
        r.out.is_empty() || r.reply().status == 431,
        "{}",
        String::from_utf8_lossy(&r.out)
    );
    let grown = server.rss_kb().saturating_sub(rss);
    assert!(grown < 16 * 1024, "the server grew by {grown} kB");

    // HEAD: the headers of GET, no body.
    let head = server.request("HEAD / HTTP/1.1\r\n");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert!(
        head.headers.contains("content-length: "),
        "{}",
        head.headers
    );
    assert_eq!(server.get("/").status, 200, "still serving");
}

/// A connection that sends nothing, one that trickles its request head a byte at a time
/// (slowloris) and one idle after its answer are all closed by the server, while others are
/// answered all along.
#[test]
fn silent_slow_and_idle_connections_are_closed() {
    let site = crate::common::mini_site();
    let server = Server::start(site.path());
    let mut silent = server.open("");
    let mut idle = server.open("GET /shiju/ HTTP/1.1\r\nHost: x\r\n\r\n");
    let addr = server.addr;
    let slow = std::thread::spawn(move || {
        let mut s = TcpStream::connect(addr).unwrap();
        let start = Instant::now();
        let head = format!("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: {}", "a".repeat(1000));
        for b in head.bytes() {
            if s.write_all(&[b]).is_err() {
                return Some(start.elapsed());
            }
            if start.elapsed() > Duration::from_secs(60) {
                return None;
            }
            std::thread::sleep(Duration::from_millis(500));
        }
        None
    });
    let start = Instant::now();
    let mut answered = 0;
    while !slow.is_finished() && start.elapsed() < Duration::from_secs(60) {
        assert_eq!(server.get("/").status, 200, "{}", server.log());
        answered += 1;
        std::thread::sleep(Duration::from_millis(500));
    }
    let took = slow.join().unwrap();
    assert!(
        took.is_some_and(|t| t < Duration::from_secs(40)),
        "a slow request head is held: {took:?}"
    );
    assert!(answered > 3);
    let silent = Raw::read(&mut silent, Duration::from_secs(30));
    assert!(
        silent.closed && silent.out.is_empty(),
        "a silent connection is held"
    );
    let idle = Raw::read(&mut idle, Duration::from_secs(30));
    assert!(idle.closed, "an idle connection is held");
    assert_eq!(idle.responses(), 1);
}

/// With more connections than it holds, the server closes the longest idle ones to make room
/// and answers the newcomer; when all of them are busy, the newcomer gets 503 with
/// Retry-After.
#[cfg(target_os = "linux")]
#[test]
fn a_full_server_makes_room_or_says_503() {
    let site = crate::common::mini_site();
    // 64 open files: a bound of 32 connections.
    let server = Server::spawn(site.path(), Some(64));
    let limit = server.limit();
    assert!(limit < 64, "{}", server.log());
    server.search_settled();
    let silent: Vec<TcpStream> = (0..limit + 8).map(|_| server.open("")).collect();
    assert_eq!(server.get("/").status, 200, "{}", server.log());
    drop(silent);

    // Long polls that wait for a version that will not come keep every connection busy.
    let poll = "GET /__zhize/wait?since=999 HTTP/1.1\r\nHost: x\r\n\r\n";
    let mut polls: Vec<TcpStream> = (0..limit).map(|_| server.open(poll)).collect();
    let mut busy = None;
    for _ in 0..20 {
        std::thread::sleep(Duration::from_millis(500));
        let r = server.get("/");
        if r.status == 503 {
            busy = Some(r);
            break;
        }
        // The server took one of the polls for idle (its request was not read yet) and
        // closed it: open those again.
        for p in &mut polls {
            p.set_nonblocking(true).unwrap();
            let mut b = [0u8; 1];
            if matches!(p.read(&mut b), Ok(0)) {
                *p = server.open(poll);
            } else {
                p.set_nonblocking(false).unwrap();
            }
        }
    }
    let busy = busy.unwrap_or_else(|| panic!("never 503; log:\n{}", server.log()));
    assert!(busy.headers.contains("retry-after: 1"), "{}", busy.headers);
    assert!(
        busy.headers
            .contains(&format!("content-length: {}", busy.body.len())),
        "{}",
        busy.headers
    );
    assert!(busy.text().contains("busy"), "{}", busy.text());
    drop(polls);
}

/// Out of file handles (the limit lowered under a running server), accepting fails: the
/// server says so, makes room and goes on answering.
#[cfg(target_os = "linux")]
#[test]
fn running_out_of_file_handles_does_not_stop_the_server() {
    use rustix::process::{prlimit, Pid, Resource, Rlimit};
    let site = crate::common::mini_site();
    let mut server = Server::start(site.path());
    let pid = Pid::from_raw(server.child.id() as i32).unwrap();
    let files = server.handles() as u64 + 4;
    prlimit(
        Some(pid),
        Resource::Nofile,
        Rlimit {
            current: Some(files),
            maximum: Some(files),
        },
    )
    .unwrap();
    let held: Vec<TcpStream> = (0..30).map(|_| server.open("")).collect();
    server.until(Duration::from_secs(30), "an accept error", || {
        server.log().contains("cannot accept connections")
    });
    assert_eq!(server.get("/").status, 200, "{}", server.log());
    drop(held);
    assert_eq!(server.get("/").status, 200, "{}", server.log());
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "{}",
        server.log()
    );
}

/// Addresses the server cannot listen on get the hint that fits.
#[test]
fn listening_errors_say_what_to_do() {
    let site = crate::common::mini_site();
    let root = site.path().to_str().unwrap();
    // TEST-NET-1: no machine has it.
    let out = crate::common::zhize(&[
        "serve",
        "--root",
        root,
        "--bind",
        "192.0.2.1",
        "--port",
        "0",
    ]);
    let err = crate::common::stderr(&out);
    assert!(!out.status.success());
    assert!(err.contains("192.0.2.1"), "{err}");
    assert!(err.contains("does not belong to this machine"), "{err}");
    assert!(!err.contains("another program"), "{err}");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = crate::common::zhize(&["serve", "--root", root, "--port", &port]);
    let err = crate::common::stderr(&out);
    assert!(!out.status.success());
    assert!(err.contains("another program uses port"), "{err}");
}

/// When the search index cannot be written, the search API says what failed, the log says
/// it once, and the pages are served.
#[test]
fn an_index_that_cannot_be_written_says_why() {
    let site = crate::common::mini_site();
    // `.zhize` is a file: no folder can be made in it (whoever runs the test, root too).
    let _ = std::fs::remove_dir_all(site.path().join(".zhize"));
    std::fs::write(site.path().join(".zhize"), "not a folder").unwrap();
    let server = Server::spawn(site.path(), None);
    server.until(Duration::from_secs(120), "the failure in the log", || {
        server.log().contains("search index")
    });
    let r = server.get("/api/search?q=x");
    assert_eq!(r.status, 503);
    let v = r.json();
    let error = v["error"].as_str().unwrap();
    assert!(error.contains(".zhize"), "{v}");
    assert!(error.contains("os error"), "{v}");
    assert!(v["hint"].as_str().unwrap().contains("writ"), "{v}");
    assert_eq!(server.get("/").status, 200);
    assert_eq!(
        server
            .log()
            .matches("cannot write the search index")
            .count(),
        1,
        "{}",
        server.log()
    );
}

/// Ctrl-C stops the server: it exits cleanly and the port closes.
#[cfg(unix)]
#[test]
fn stops_gracefully_on_ctrl_c() {
    let site = crate::common::mini_site();
    let mut server = Server::start(site.path());
    // A long poll in flight must not hold the server up.
    let addr = server.addr;
    let poll = std::thread::spawn(move || {
        let mut s = TcpStream::connect(addr).unwrap();
        write!(
            s,
            "GET /__zhize/wait?since=999 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
    });
    std::thread::sleep(Duration::from_millis(200));
    let pid = server.child.id().to_string();
    assert!(Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap()
        .success());
    let start = Instant::now();
    let status = loop {
        if let Some(s) = server.child.try_wait().unwrap() {
            break s;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "still running after Ctrl-C; log:\n{}",
            server.log()
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit: {status:?}; log:\n{}", server.log());
    poll.join().unwrap();
    assert!(TcpStream::connect(addr).is_err(), "the port is closed");
}

/// Rendering only the pages an edit affects gives the same site as rendering everything:
/// edits to a duty that other departments mention, to a division of work that names another
/// department, to a procedure's step, to a Markdown page, and a rename.
#[test]
fn incremental_rebuilds_equal_full_builds() {
    use zhize::serve::state;
    let site = tempfile::tempdir().unwrap();
    crate::common::copy_tree(
        &crate::common::repo().join("tests/fixtures/mini"),
        site.path(),
    );
    let root = site.path();
    let (mut built, _) = state::full(root).expect("the fixture builds");
    let edits: [(&str, &str, &str, bool); 7] = [
        (
            "content/shiju/bangongshi.yaml",
            "负责印章管理",
            "负责印章和介绍信管理",
            false,
        ),
        (
            "content/shiju/caiwu.yaml",
            "与办公室衔接采购资金支付",
            "与办公室核对采购资金支付",
            false,
        ),
        (
            "content/shiju/caiwu.yaml",
            "审核票据。",
            "审核票据和合同。",
            false,
        ),
        (
            "content/pages/guide.md",
            "办公室",
            "办公室（含档案室）",
            false,
        ),
        (
            "content/pages/guide.md",
            "报销找财务审计科",
            "报销找财务审计科，审计找财审处",
            false,
        ),
        // A new alias: text elsewhere that says 财审处 now links to the department.
        (
            "content/shiju/caiwu.yaml",
            "别名: [财审科]",
            "别名: [财审科, 财审处]",
            false,
        ),
        (
            "content/shiju/caiwu.yaml",
            "名称: 财务审计科\n别名: [财审科, 财审处]",
            "名称: 财务科\n别名: [财审科, 财审处, 财务审计科]",
            true,
        ),
    ];
    for (file, from, to, renames) in edits {
        let path = root.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} has {from}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        let (next, outcome) = state::update(&built, root, false).expect("rebuilds");
        let (full, _) = state::full(root).expect("builds");
        assert_eq!(outcome.all, renames, "{file}: {from} → {to}");
        assert!(!outcome.changed.is_empty(), "{file}: something changed");
        same_files(&full, &next, &format!("{file}: {from} → {to}"));
        built = next;
    }
}

/// On the demonstration content (three organisations and site-wide pages), each kind of edit
/// resolves again only what it can change, and the site, its warnings and its backlinks are
/// those of a full build: a duty, a page that names a department, a new alias, a renamed
/// department, a new and then a deleted file, a new organisation that moves the others and its
/// removal, a renamed organisation, and zhize.yaml.
#[test]
fn incremental_resolves_equal_full_resolves() {
    use zhize::resolve::ResolveStats;
    use zhize::serve::state;
    let site = tempfile::tempdir().unwrap();
    crate::common::copy_tree(
        &crate::common::repo().join("content"),
        &site.path().join("content"),
    );
    let root = site.path();
    let (mut built, _) = state::full(root).expect("the demo builds");
    let pages = built.site.pages.len();
    let replace = |file: &str, from: &str, to: &str| {
        let path = root.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} has {from}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    type Edit<'a> = (&'a str, Box<dyn Fn() + 'a>, Option<ResolveStats>);
    let edits: Vec<Edit> = vec![
        (
            "a duty",
            Box::new(|| {
                replace(
                    "content/weihai-gxj/xinfangke.yaml",
                    "做好当前所分包",
                    "做好当前所联系分包",
                )
            }),
            // One organisation resolved and searched; no automaton built, no page searched.
            Some(ResolveStats {
                orgs_resolved: 1,
                linkers_built: 0,
                orgs_searched: 1,
                pages_searched: 0,
            }),
        ),
        (
            "a new duty (the home page counts them)",
            Box::new(|| {
                replace(
                    "content/weihai-gxj/xinfangke.yaml",
                    "duties:\n",
                    "duties:\n- 负责来访接待室的日常管理。\n",
                )
            }),
            None,
        ),
        (
            "a page that names a department",
            Box::new(|| replace("content/pages/about.md", "本站把", "本站（信访科协助）把")),
            Some(ResolveStats {
                orgs_resolved: 0,
                linkers_built: 0,
                orgs_searched: 0,
                pages_searched: 1,
            }),
        ),
        (
            "a new alias",
            Box::new(|| {
                replace(
                    "content/weihai-gxj/xinfangke.yaml",
                    "name: 信访科\n",
                    "name: 信访科\naliases: [来访接待科]\n",
                )
            }),
            None,
        ),
        (
            "text that names the new alias",
            Box::new(|| replace("content/pages/about.md", "另有", "另有（来访接待科）")),
            None,
        ),
        (
            "a renamed department",
            Box::new(|| {
                replace(
                    "content/weihai-gxj/xinfangke.yaml",
                    // The old name stays an alias: a division item names it.
                    "name: 信访科\naliases: [来访接待科]\n",
                    "name: 信访维稳科\naliases: [来访接待科, 信访科]\n",
                )
            }),
            None,
        ),
        (
            "a new department",
            Box::new(|| {
                std::fs::write(
                    root.join("content/weihai-gxj/ceshike.yaml"),
                    "name: 测试科\nduties:\n- 配合信访维稳科做好接待工作。\n",
                )
                .unwrap()
            }),
            None,
        ),
        (
            "a deleted department",
            Box::new(|| {
                std::fs::remove_file(root.join("content/weihai-gxj/ceshike.yaml")).unwrap()
            }),
            None,
        ),
        (
            // Sorted first, so every other organisation moves up one place.
            "a new organisation",
            Box::new(|| {
                std::fs::create_dir_all(root.join("content/aaa-ceshi")).unwrap();
                std::fs::write(root.join("content/aaa-ceshi/_org.yaml"), "name: 测试局\n").unwrap();
                std::fs::write(
                    root.join("content/aaa-ceshi/zonghe.yaml"),
                    "name: 综合科\nduties:\n- 负责机关日常运转。\n",
                )
                .unwrap();
            }),
            None,
        ),
        (
            "a deleted organisation (the others move back)",
            Box::new(|| std::fs::remove_dir_all(root.join("content/aaa-ceshi")).unwrap()),
            None,
        ),
        (
            "a renamed organisation",
            Box::new(|| {
                replace(
                    "content/weihai-gxj/_org.yaml",
                    "name: 威海市工业和信息化局",
                    "name: 威海市工业和信息化局（试）",
                )
            }),
            None,
        ),
        (
            "zhize.yaml",
            Box::new(|| std::fs::write(root.join("zhize.yaml"), "title: 演示站点\n").unwrap()),
            Some(ResolveStats {
                orgs_resolved: 3,
                linkers_built: 4,
                orgs_searched: 3,
                pages_searched: pages,
            }),
        ),
    ];
    for (what, edit, stats) in edits {
        edit();
        let (next, outcome) = state::update(&built, root, false).expect(what);
        let (full, _) = state::full(root).expect(what);
        if let Some(stats) = stats {
            assert_eq!(outcome.resolved, stats, "{what}");
            // The matrix and boundary report are made again for the organisations resolved
            // again, and kept for the others.
            assert_eq!(outcome.analysed, stats.orgs_resolved, "{what}");
        }
        assert!(!outcome.changed.is_empty(), "{what}: something changed");
        same_files(&full, &next, what);
        assert_eq!(
            format!("{:?}", full.warnings()),
            format!("{:?}", next.warnings()),
            "{what}: the same warnings"
        );
        assert!(
            full.site.backlinks == next.site.backlinks,
            "{what}: the same backlinks"
        );
        built = next;
    }
}

fn same_files(full: &zhize::serve::state::Built, next: &zhize::serve::state::Built, what: &str) {
    let mut paths: Vec<&String> = full.files.keys().collect();
    paths.sort();
    let mut got: Vec<&String> = next.files.keys().collect();
    got.sort();
    assert_eq!(paths, got, "{what}: the same files");
    for p in paths {
        assert!(
            full.files[p] == next.files[p],
            "{what}: {p} differs from a full build"
        );
    }
}

/// On the demonstration content, an edit to one department's duties renders a small part of
/// the site, and the result is the full build's.
#[test]
fn an_edit_renders_only_what_depends_on_it() {
    use zhize::serve::state;
    let site = tempfile::tempdir().unwrap();
    crate::common::copy_tree(
        &crate::common::repo().join("content"),
        &site.path().join("content"),
    );
    let root = site.path();
    let (built, first) = state::full(root).expect("the demo builds");
    let path = root.join("content/weihai-sthjj/bangongshi.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let from = "负责维稳、综治、值班、扶贫等工作。";
    assert!(text.contains(from));
    std::fs::write(
        &path,
        text.replacen(from, "负责维稳、综治、值班等工作。", 1),
    )
    .unwrap();
    let (next, outcome) = state::update(&built, root, false).expect("rebuilds");
    assert!(!outcome.all);
    assert!(
        outcome.rendered * 4 < first.rendered,
        "{} of {} pages rendered",
        outcome.rendered,
        first.rendered
    );
    assert!(outcome
        .changed
        .contains(&"weihai-sthjj/bangongshi/index.html".to_string()));
    let (full, _) = state::full(root).expect("builds");
    same_files(&full, &next, "an edit to 办公室's duties");
}

/// A second load reuses the files that did not change (the same text, not read again) and
/// reads the one that did.
#[test]
fn a_second_load_reuses_unchanged_files() {
    let site = crate::common::mini_site();
    let root = site.path();
    let mut first = zhize::load::load_site_cached(root, Default::default());
    let cache = std::mem::take(&mut first.cache);
    let edited = root.join("content/shiju/caiwu.yaml");
    let text = std::fs::read_to_string(&edited).unwrap();
    std::fs::write(&edited, text.replace("负责预决算编制。", "负责预算编制。")).unwrap();
    let second = zhize::load::load_site_cached(root, cache);
    assert!(!second.diagnostics.has_errors());
    let text_of = |l: &zhize::load::Loaded, name: &str| {
        l.sources
            .files
            .iter()
            .find(|f| f.path.ends_with(name))
            .map(|f| f.text.clone())
            .unwrap()
    };
    for name in ["bangongshi.yaml", "_org.yaml", "guide.md"] {
        assert!(
            std::sync::Arc::ptr_eq(&text_of(&first, name), &text_of(&second, name)),
            "{name} reused"
        );
    }
    assert!(text_of(&second, "caiwu.yaml").contains("负责预算编制"));
    let dept = |l: &zhize::load::Loaded| {
        l.orgs[0]
            .depts
            .iter()
            .find(|d| d.stem == "caiwu")
            .map(|d| d.dept.duties[0].text().to_string())
            .unwrap()
    };
    assert_eq!(dept(&second), "负责预算编制。");
    assert_eq!(dept(&first), "负责预决算编制。");
}
