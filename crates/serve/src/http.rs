//! Answering requests: files of the site from memory, `/api/search` from the tantivy index,
//! and the live-reload script with its long poll.
//!
//! Files are looked up by path in the in-memory site, never on disk, so no request can reach a
//! file outside it; paths with `..` (also percent-encoded), backslashes or NUL are refused
//! with 400 before any lookup. Everything here is a plain function of a [`Snapshot`]: the
//! sockets, limits and timeouts are in [`super::net`].

use super::state::Files;
use std::sync::Arc;
use zhize_core::diagnostic::Diagnostic;
use zhize_search::{Analyzer, Searcher};

/// Longest query `/api/search` accepts, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// Most hits `/api/search` returns.
pub const MAX_LIMIT: usize = 100;

/// What the server serves at one moment: the files of the last good build and the errors of
/// the last build, if it failed.
pub struct Snapshot {
    /// Goes up by one with every build, good or failed.
    pub version: u64,
    /// The pages and the theme's files of the last good build.
    pub pages: Arc<Files>,
    /// The static search files, made after the pages: until then, those of the build before.
    pub search: Arc<Files>,
    /// Output paths that changed in this version.
    pub changed: Vec<String>,
    /// Every page changed (or the client must reload whatever it shows).
    pub all: bool,
    /// Errors of the last build; empty when it succeeded.
    pub errors: Vec<Diagnostic>,
}

impl Snapshot {
    /// The file at output path `path`.
    pub fn get(&self, path: &str) -> Option<&Arc<[u8]>> {
        self.pages.get(path).or_else(|| self.search.get(path))
    }
}

/// The search index behind `/api/search`, with the analyser that wrote it.
pub struct Search {
    pub searcher: Searcher,
    pub analyzer: Analyzer,
}

/// Where the search index behind `/api/search` stands.
pub enum SearchIndex {
    /// Not made yet: the pages are served first.
    Building,
    Ready(Box<Search>),
    /// It could not be written or opened, and no earlier index is there to answer from:
    /// `error` says what failed (the path and the system's reason).
    Failed {
        error: String,
    },
}

/// An answer before it is sent.
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
    /// Extra headers.
    pub headers: Vec<(&'static str, String)>,
}

impl Reply {
    fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            content_type: content_type.to_string(),
            body: body.into(),
            headers: Vec::new(),
        }
    }

    fn text(status: u16, body: &str) -> Reply {
        Reply::new(status, "text/plain; charset=utf-8", body)
    }

    fn json(status: u16, value: &serde_json::Value) -> Reply {
        Reply::new(
            status,
            "application/json; charset=utf-8",
            value.to_string().into_bytes(),
        )
    }
}

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    /// A file of the site, by output path.
    File(String),
    /// A folder asked for without its trailing slash: send the browser to `location`.
    Redirect(String),
    NotFound,
    /// A path no site has: `..`, NUL, backslashes, bad percent-encoding.
    Bad,
}

/// Map a request path (without query) to the output path of a file for which `exists` holds.
pub fn lookup(raw_path: &str, exists: &dyn Fn(&str) -> bool) -> Lookup {
    let Ok(decoded) = percent_encoding::percent_decode_str(raw_path).decode_utf8() else {
        return Lookup::Bad;
    };
    let Some(rest) = decoded.strip_prefix('/') else {
        return Lookup::Bad;
    };
    if rest.contains(['\0', '\\']) || rest.split('/').any(|s| s == ".." || s == ".") {
        return Lookup::Bad;
    }
    let mut path: String = rest
        .split('/')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("/");
    if rest.is_empty() || rest.ends_with('/') {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    if exists(&path) {
        return Lookup::File(path);
    }
    if exists(&format!("{path}/index.html")) {
        // Built from the tidied path, not the raw one: `//host` would send the browser to
        // another host (a protocol-relative URL). Exactly one leading slash, always.
        return Lookup::Redirect(format!("/{}/", encode_path(&path)));
    }
    Lookup::NotFound
}

/// Percent-encode a site path for a `Location` header: its slashes stay, and everything a
/// URL path cannot hold as is (controls, space, `%`, `?`, `#`, non-ASCII …) is encoded.
fn encode_path(path: &str) -> String {
    use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
    const SEGMENT: &AsciiSet = &CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'%')
        .add(b'<')
        .add(b'>')
        .add(b'?')
        .add(b'`')
        .add(b'{')
        .add(b'}')
        .add(b'\\')
        .add(b'^')
        .add(b'|');
    path.split('/')
        .map(|s| utf8_percent_encode(s, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// Answer a GET (or HEAD) request for `url` (path and query).
pub fn answer(url: &str, snapshot: &Snapshot, search: &SearchIndex) -> Reply {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    match path {
        "/api/search" => return api_search(query, search),
        "/__zhize/live.js" => {
            return Reply::new(
                200,
                "text/javascript; charset=utf-8",
                include_str!("live.js"),
            )
        }
        _ => {}
    }
    match lookup(path, &|p| snapshot.get(p).is_some()) {
        Lookup::File(p) => {
            let Some(bytes) = snapshot.get(&p) else {
                return not_found(snapshot);
            };
            let mut r = Reply::new(200, &content_type(&p), bytes.to_vec());
            if p.ends_with(".html") {
                r.body = with_live_script(bytes, snapshot.version, &p);
            }
            r
        }
        Lookup::Redirect(to) => {
            let mut r = Reply::text(301, &format!("moved to {to}\n"));
            r.headers.push(("Location", to));
            r
        }
        Lookup::Bad => Reply::text(
            400,
            "bad request: this path cannot name a file of the site\n",
        ),
        Lookup::NotFound => not_found(snapshot),
    }
}

/// The site's own 404 page, or (before a first good build) a page that shows the errors.
fn not_found(snapshot: &Snapshot) -> Reply {
    let page = snapshot.get("404.html").map(|b| b.to_vec());
    let body = page.unwrap_or_else(|| {
        b"<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>zhize</title><body><p>The site has not been built yet.</p></body></html>".to_vec()
    });
    Reply::new(
        404,
        "text/html; charset=utf-8",
        with_live_script(&body, snapshot.version, "404.html"),
    )
}

/// `/api/search?q=…&limit=…`: the hits `zhize search --json` prints.
fn api_search(query: &str, search: &SearchIndex) -> Reply {
    let mut q = None;
    let mut limit = 10;
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        match &*k {
            "q" => q = Some(v.into_owned()),
            "limit" => match v.parse::<usize>() {
                Ok(n) => limit = n.clamp(1, MAX_LIMIT),
                Err(_) => {
                    return Reply::json(
                        400,
                        &serde_json::json!({"error": "limit must be a whole number"}),
                    )
                }
            },
            _ => {}
        }
    }
    let Some(q) = q else {
        return Reply::json(
            400,
            &serde_json::json!({"error": "add ?q= with what to look for, e.g. ?q=印章"}),
        );
    };
    if q.chars().count() > MAX_QUERY_CHARS {
        return Reply::json(
            400,
            &serde_json::json!({"error": format!("the query is longer than {MAX_QUERY_CHARS} characters")}),
        );
    }
    let s = match search {
        SearchIndex::Ready(s) => s,
        SearchIndex::Building => {
            let mut r = Reply::json(
                503,
                &serde_json::json!({"error": "the search index is being built; try again in a moment"}),
            );
            r.headers.push(("Retry-After", "1".into()));
            return r;
        }
        // No Retry-After: trying again does not help until the cause is fixed.
        SearchIndex::Failed { error } => {
            return Reply::json(
                503,
                &serde_json::json!({"error": error, "hint": SEARCH_FAILED_HINT}),
            )
        }
    };
    match s.searcher.search(&s.analyzer, &q, limit) {
        Ok(hits) => Reply::new(
            200,
            "application/json; charset=utf-8",
            serde_json::to_vec(&hits).unwrap_or_default(),
        ),
        Err(e) => Reply::json(
            500,
            &serde_json::json!({"error": format!("search failed: {e}")}),
        ),
    }
}

/// The answer to `/__zhize/wait?since=N` once the server has something newer than `since`
/// (or has waited long enough).
pub fn wait_answer(snapshot: &Snapshot, since: u64) -> Reply {
    // A client more than one version behind cannot know what else changed: reload.
    let behind = snapshot.version > since.saturating_add(1);
    let errors: Vec<&Diagnostic> = snapshot.errors.iter().collect();
    Reply::json(
        200,
        &serde_json::json!({
            "version": snapshot.version,
            "all": snapshot.all || behind,
            "changed": if snapshot.version > since { &snapshot.changed[..] } else { &[] },
            "errors": errors,
        }),
    )
}

/// `since` from the query of a wait request.
pub fn since_of(query: &str) -> u64 {
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "since")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0)
}

/// Add the live-reload script before `</body>` (or at the end).
fn with_live_script(html: &[u8], version: u64, path: &str) -> Vec<u8> {
    let tag = format!(
        "<script src=\"/__zhize/live.js\" data-version=\"{version}\" data-path=\"{}\"></script>",
        zhize_core::escape::escape(path)
    );
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The Content-Type of an output file, with the charset for text.
fn content_type(path: &str) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let text = mime.type_() == mime_guess::mime::TEXT
        || matches!(mime.subtype().as_str(), "javascript" | "json" | "xml")
        || mime.suffix().is_some_and(|s| s == "xml");
    if text && mime.get_param("charset").is_none() {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

/// What to do when the search index cannot be written.
pub const SEARCH_FAILED_HINT: &str = "the search index lives in .zhize/index in the site folder: make sure that folder can be written (and that .zhize is a folder, not a file), then save any file of the site or restart zhize serve; the pages are served without it";

/// A request whose framing this server does not take (a `Transfer-Encoding`: GET and HEAD
/// need no body, and together with `Content-Length` it is how requests are smuggled past a
/// proxy). The connection is closed after it.
pub fn bad_framing() -> Reply {
    let mut r = Reply::text(
        400,
        "bad request: request bodies (Transfer-Encoding) are not accepted\n",
    );
    r.headers.push(("Connection", "close".into()));
    r
}

/// A reply shared by all request threads when the server is too busy.
pub fn busy() -> Reply {
    let mut r = Reply::text(503, "the server is busy; try again in a moment\n");
    r.headers.push(("Retry-After", "1".into()));
    r
}

/// Something went wrong on the server's side while answering (a bug: it says so on stderr).
pub fn internal_error() -> Reply {
    Reply::text(500, "the server failed to answer this request\n")
}

/// Methods other than GET and HEAD.
pub fn method_not_allowed() -> Reply {
    let mut r = Reply::text(405, "only GET and HEAD are served\n");
    r.headers.push(("Allow", "GET, HEAD".into()));
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn files() -> Files {
        ["index.html", "a/index.html", "a/b.html", "static/s.css"]
            .into_iter()
            .map(|p| (p.to_string(), Arc::from(&b"x"[..])))
            .collect()
    }

    #[test]
    fn paths_map_to_files_and_nothing_else() {
        let f = files();
        let has = |p: &str| f.contains_key(p);
        assert_eq!(lookup("/", &has), Lookup::File("index.html".into()));
        assert_eq!(lookup("/a/", &has), Lookup::File("a/index.html".into()));
        assert_eq!(lookup("/a", &has), Lookup::Redirect("/a/".into()));
        assert_eq!(lookup("/a/b.html", &has), Lookup::File("a/b.html".into()));
        assert_eq!(lookup("/%61/b.html", &has), Lookup::File("a/b.html".into()));
        assert_eq!(lookup("/a//b.html", &has), Lookup::File("a/b.html".into()));
        assert_eq!(lookup("/nope.html", &has), Lookup::NotFound);
        for bad in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/a/%2e%2e/b.html",
            "/a\\..\\b.html",
            "/a%5c..%5cb.html",
            "/a/b.html%00",
            "/./index.html",
            "/%ff.html",
            "relative.html",
        ] {
            assert_eq!(lookup(bad, &has), Lookup::Bad, "{bad}");
        }
        // An absolute path is a path inside the site, which has no such file.
        assert_eq!(lookup("//etc/passwd", &has), Lookup::NotFound);
    }

    fn snapshot() -> Snapshot {
        Snapshot {
            version: 1,
            pages: Arc::new(files()),
            search: Default::default(),
            changed: Vec::new(),
            all: true,
            errors: Vec::new(),
        }
    }

    /// A folder asked for with extra leading slashes is redirected on this host: `//a` must
    /// not answer `Location: //a/`, which a browser reads as the host `a`.
    #[test]
    fn redirects_stay_on_this_host() {
        let f = files();
        let has = |p: &str| f.contains_key(p);
        for raw in ["/a", "//a", "///a", "/%2Fa", "/%2F%2Fa", "//%2f/a"] {
            assert_eq!(lookup(raw, &has), Lookup::Redirect("/a/".into()), "{raw}");
        }
        let r = answer("//a?x=1", &snapshot(), &SearchIndex::Building);
        assert_eq!(r.status, 301);
        assert_eq!(r.headers, vec![("Location", "/a/".to_string())]);
        // Names that are not plain ASCII are encoded.
        let odd = |p: &str| p == "办 公#/index.html";
        assert_eq!(
            lookup("//%E5%8A%9E%20%E5%85%AC%23", &odd),
            Lookup::Redirect("/%E5%8A%9E%20%E5%85%AC%23/".into())
        );
    }

    /// When the index could not be written, the search API says why instead of "being
    /// built".
    #[test]
    fn a_failed_index_says_what_failed() {
        let error = "cannot write the search index at /s/.zhize/index: File exists (os error 17)";
        let r = answer(
            "/api/search?q=x",
            &snapshot(),
            &SearchIndex::Failed {
                error: error.into(),
            },
        );
        assert_eq!(r.status, 503);
        let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(v["error"], error);
        assert!(v["hint"].as_str().unwrap().contains(".zhize"));
        let building = answer("/api/search?q=x", &snapshot(), &SearchIndex::Building);
        assert!(String::from_utf8_lossy(&building.body).contains("being built"));
    }

    #[test]
    fn content_types_carry_charsets_for_text() {
        assert_eq!(content_type("a.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("s.css"), "text/css; charset=utf-8");
        assert!(content_type("s.js").ends_with("javascript; charset=utf-8"));
        assert_eq!(content_type("x.svg"), "image/svg+xml; charset=utf-8");
        assert_eq!(content_type("x.png"), "image/png");
        assert_eq!(content_type("x.unknown"), "application/octet-stream");
    }

    #[test]
    fn the_live_script_goes_before_the_body_ends() {
        let out = with_live_script(b"<html><body><p>x</p></body></html>", 3, "a\"b.html");
        let s = String::from_utf8(out).unwrap();
        assert!(s.contains("data-version=\"3\" data-path=\"a&quot;b.html\"></script></body>"));
    }
}
