//! `zhize serve`: the site served from memory while it is edited, and search answered by the
//! server.
//!
//! Three kinds of thread share one [`Snapshot`] behind a lock:
//! - the **builder** watches the site folder, brings the site up to date after each edit
//!   ([`state::update`], rendering only the pages the edit affects) and swaps in a new snapshot;
//!   then remakes the search files and the tantivy index, which follow the pages;
//! - a fixed pool of **workers** answers requests ([`http::answer`]); when the queue is full
//!   the server says 503 instead of queueing without bound;
//! - **waiters** hold the live-reload long polls, at most [`MAX_WAITERS`] at once.
//!
//! Ctrl-C stops accepting, lets the workers finish what they hold, wakes the waiters and
//! returns.

pub mod changes;
pub mod http;
pub mod state;

use crate::diagnostic::{Diagnostic, Diagnostics};
use http::{Reply, Search, Snapshot};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::Duration;

/// Port used when none is given.
pub const DEFAULT_PORT: u16 = 1111;
/// Threads answering requests.
const WORKERS: usize = 8;
/// Requests waiting for a worker before the server answers 503.
const QUEUE: usize = 256;
/// Live-reload long polls held at once.
pub const MAX_WAITERS: usize = 64;
/// How long a long poll waits for news.
const WAIT: Duration = Duration::from_secs(20);

/// How to serve.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 lets the system choose a free port.
    pub port: u16,
    /// Watch the site and rebuild on change.
    pub watch: bool,
}

/// What every thread of the server shares.
struct Shared {
    snapshot: RwLock<Arc<Snapshot>>,
    search: RwLock<Option<Arc<Search>>>,
    /// Signalled when the snapshot changes or the server stops.
    news: (Mutex<u64>, Condvar),
    stopping: AtomicBool,
    waiters: AtomicUsize,
}

impl Shared {
    fn current(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn publish(&self, snapshot: Snapshot) {
        let version = snapshot.version;
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(snapshot);
        let (lock, cvar) = &self.news;
        *lock.lock().unwrap_or_else(|e| e.into_inner()) = version;
        cvar.notify_all();
    }

    /// Block until the version passes `since`, the server stops or `WAIT` passes.
    fn wait(&self, since: u64) -> Arc<Snapshot> {
        let (lock, cvar) = &self.news;
        let guard = lock.lock().unwrap_or_else(|e| e.into_inner());
        let _unused = cvar
            .wait_timeout_while(guard, WAIT, |v| {
                *v <= since && !self.stopping.load(Ordering::SeqCst)
            })
            .unwrap_or_else(|e| e.into_inner());
        self.current()
    }
}

/// Build the site, serve it, and (with `watch`) rebuild on change, until Ctrl-C.
/// `on_ready` is told the address once the server listens.
pub fn run(opts: &Options, on_ready: impl FnOnce(SocketAddr)) -> Result<(), Diagnostics> {
    let addr = SocketAddr::new(opts.bind, opts.port);
    let server = tiny_http::Server::http(addr).map_err(|e| {
        let hint = if opts.port == 0 {
            "check that the address belongs to this machine".to_string()
        } else {
            format!("another program may use port {}; choose another with --port, or --port 0 for any free one", opts.port)
        };
        Diagnostics(vec![
            Diagnostic::error(format!("cannot listen on {addr}: {e}")).hint(hint)
        ])
    })?;
    let server = Arc::new(server);
    let root = opts.root.clone();

    let (first, built) = match state::full(&root) {
        Ok((built, outcome)) => {
            log_outcome(&outcome, "built");
            (
                Snapshot {
                    version: 1,
                    pages: built.files.clone(),
                    search: Default::default(),
                    changed: outcome.changed,
                    all: true,
                    errors: Vec::new(),
                },
                Some(built),
            )
        }
        Err(d) => {
            log_errors(&d);
            (
                Snapshot {
                    version: 1,
                    pages: Default::default(),
                    search: Default::default(),
                    changed: Vec::new(),
                    all: true,
                    errors: errors_of(&d),
                },
                None,
            )
        }
    };
    let shared = Arc::new(Shared {
        snapshot: RwLock::new(Arc::new(first)),
        search: RwLock::new(None),
        news: (Mutex::new(1), Condvar::new()),
        stopping: AtomicBool::new(false),
        waiters: AtomicUsize::new(0),
    });

    {
        let (server, shared) = (server.clone(), shared.clone());
        // Ctrl-C (and SIGTERM): stop accepting; the loop below then winds down.
        let handler = ctrlc::set_handler(move || {
            shared.stopping.store(true, Ordering::SeqCst);
            shared.news.1.notify_all();
            server.unblock();
        });
        if let Err(e) = handler {
            eprintln!("warning: Ctrl-C will not stop the server gracefully: {e}");
        }
    }

    let builder = {
        let shared = shared.clone();
        let watch = opts.watch;
        std::thread::spawn(move || builder(&root, built, &shared, watch))
    };

    let local = server
        .server_addr()
        .to_ip()
        .unwrap_or(SocketAddr::new(opts.bind, opts.port));
    on_ready(local);

    let (tx, rx) = std::sync::mpsc::sync_channel::<tiny_http::Request>(QUEUE);
    let rx = Arc::new(Mutex::new(rx));
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (rx, shared) = (rx.clone(), shared.clone());
            std::thread::spawn(move || loop {
                let next = rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                match next {
                    Ok(req) => respond(req, &shared),
                    Err(_) => break,
                }
            })
        })
        .collect();

    for req in server.incoming_requests() {
        if shared.stopping.load(Ordering::SeqCst) {
            break;
        }
        if req.url().starts_with("/__zhize/wait") {
            if shared.waiters.fetch_add(1, Ordering::SeqCst) >= MAX_WAITERS {
                shared.waiters.fetch_sub(1, Ordering::SeqCst);
                send(req, http::busy());
                continue;
            }
            let shared = shared.clone();
            std::thread::spawn(move || {
                let since = http::since_of(req.url().split_once('?').map_or("", |q| q.1));
                let snapshot = shared.wait(since);
                send(req, http::wait_answer(&snapshot, since));
                shared.waiters.fetch_sub(1, Ordering::SeqCst);
            });
            continue;
        }
        if let Err(std::sync::mpsc::TrySendError::Full(req)) = tx.try_send(req) {
            send(req, http::busy());
        }
    }
    shared.stopping.store(true, Ordering::SeqCst);
    shared.news.1.notify_all();
    drop(tx);
    for w in workers {
        let _ = w.join();
    }
    // The builder may be in the middle of a build; it notices `stopping` after it.
    drop(builder);
    eprintln!("stopped");
    Ok(())
}

/// Answer one request.
fn respond(req: tiny_http::Request, shared: &Shared) {
    let reply = match req.method() {
        tiny_http::Method::Get | tiny_http::Method::Head => {
            let snapshot = shared.current();
            let search = shared
                .search
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .clone();
            http::answer(req.url(), &snapshot, search.as_deref())
        }
        _ => http::method_not_allowed(),
    };
    send(req, reply);
}

fn send(req: tiny_http::Request, reply: Reply) {
    let mut headers = vec![
        ("Content-Type", reply.content_type),
        ("Cache-Control", "no-cache".to_string()),
        ("X-Content-Type-Options", "nosniff".to_string()),
    ];
    headers.extend(reply.headers);
    let mut response = tiny_http::Response::from_data(reply.body).with_status_code(reply.status);
    for (k, v) in headers {
        if let Ok(h) = tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()) {
            response.add_header(h);
        }
    }
    // The client may have gone away; nothing to do about it.
    let _ = req.respond(response);
}

/// The builder thread: make the search files, then rebuild on every change until stopped.
fn builder(root: &Path, mut built: Option<state::Built>, shared: &Shared, watch: bool) {
    if let Some(b) = &built {
        refresh_search(root, b, shared);
    }
    if !watch {
        return;
    }
    let mut stamps = Stamps::of(root);
    // Events name absolute paths: compare them with the absolute root.
    let abs = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let (tx, rx) = std::sync::mpsc::channel();
    let mut debouncer = match notify_debouncer_mini::new_debouncer(Duration::from_millis(30), tx) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("warning: cannot watch the site for changes: {e}; restart to see edits");
            return;
        }
    };
    for (dir, mode) in watched(&abs) {
        if let Err(e) = debouncer.watcher().watch(&dir, mode) {
            eprintln!("warning: cannot watch {}: {e}", dir.display());
        }
    }
    while !shared.stopping.load(Ordering::SeqCst) {
        let events = match rx.recv_timeout(Duration::from_millis(250)) {
            Ok(Ok(events)) => events,
            Ok(Err(e)) => {
                eprintln!("warning: watching: {e}");
                continue;
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => continue,
            Err(_) => break,
        };
        let paths: Vec<PathBuf> = events.into_iter().map(|e| e.path).collect();
        let Some(mut theme_changed) = classify(&abs, &paths) else {
            continue;
        };
        // Watchers also report files being opened and read (the loader's own reads among
        // them) and editors' temporary files: rebuild only when a file really changed.
        let now = Stamps::of(root);
        if now == stamps {
            continue;
        }
        theme_changed |= now.theme != stamps.theme;
        stamps = now;
        let result = match &built {
            Some(prev) => state::update(prev, root, theme_changed),
            None => state::full(root),
        };
        let version = shared.current().version + 1;
        match result {
            Ok((next, outcome)) => {
                log_outcome(&outcome, "rebuilt");
                shared.publish(Snapshot {
                    version,
                    pages: next.files.clone(),
                    // The search files of the last build stay until the new ones are made.
                    search: shared.current().search.clone(),
                    changed: outcome.changed,
                    all: outcome.all,
                    errors: Vec::new(),
                });
                refresh_search(root, &next, shared);
                built = Some(next);
            }
            Err(d) => {
                log_errors(&d);
                let current = shared.current();
                shared.publish(Snapshot {
                    version,
                    pages: current.pages.clone(),
                    search: current.search.clone(),
                    changed: Vec::new(),
                    all: false,
                    errors: errors_of(&d),
                });
            }
        }
    }
}

/// Make the static search files and the tantivy index, and serve them.
fn refresh_search(root: &Path, built: &state::Built, shared: &Shared) {
    let (files, written) = state::search_files(root, &built.site);
    let current = shared.current();
    let mut search = state::Files::with_capacity(files.len());
    let mut changed = Vec::new();
    for f in files {
        if current.search.get(&f.path).is_none_or(|b| **b != *f.bytes) {
            changed.push(f.path.clone());
        }
        let (p, b) = state::into_entry(f);
        search.insert(p, b);
    }
    if !changed.is_empty() {
        shared.publish(Snapshot {
            version: current.version + 1,
            pages: current.pages.clone(),
            search: Arc::new(search),
            changed,
            all: false,
            errors: current.errors.clone(),
        });
    }
    let opened = written
        .and_then(|()| crate::search::Searcher::open(&crate::search::index::index_dir(root)));
    match opened {
        Ok(searcher) => {
            let analyzer = crate::search::Analyzer::new(&built.site.config.synonyms);
            *shared.search.write().unwrap_or_else(|e| e.into_inner()) =
                Some(Arc::new(Search { searcher, analyzer }));
        }
        Err(e) => eprintln!("warning: the search index was not written: {e}"),
    }
}

/// Fingerprints (paths, sizes, modification times) of what a build reads.
#[derive(PartialEq, Eq)]
struct Stamps {
    content: String,
    theme: String,
}

impl Stamps {
    fn of(root: &Path) -> Stamps {
        use crate::search::index::fingerprint_of;
        Stamps {
            content: fingerprint_of(root, &["content", "zhize.yaml"]),
            theme: fingerprint_of(root, &["themes", "templates", "static"]),
        }
    }
}

/// What to watch: the content, the theme, templates and static folders, and zhize.yaml.
fn watched(root: &Path) -> Vec<(PathBuf, notify_debouncer_mini::notify::RecursiveMode)> {
    use notify_debouncer_mini::notify::RecursiveMode;
    let mut out = vec![(root.to_path_buf(), RecursiveMode::NonRecursive)];
    for dir in ["content", "themes", "templates", "static"] {
        let p = root.join(dir);
        if p.is_dir() {
            out.push((p, RecursiveMode::Recursive));
        }
    }
    out
}

/// Whether changed `paths` matter: `None` when none does, else whether the theme (templates,
/// static files, or zhize.yaml, which names the theme) changed.
fn classify(root: &Path, paths: &[PathBuf]) -> Option<bool> {
    let mut content = false;
    let mut theme = false;
    for p in paths {
        let rel = p.strip_prefix(root).unwrap_or(p);
        let first = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .unwrap_or_default();
        match first.as_str() {
            "content" => content = true,
            "themes" | "templates" | "static" | "zhize.yaml" => theme = true,
            _ => {}
        }
    }
    (content || theme).then_some(theme)
}

fn errors_of(d: &Diagnostics) -> Vec<Diagnostic> {
    d.iter().filter(|d| crate::is_error(d)).cloned().collect()
}

fn log_outcome(o: &state::Outcome, what: &str) {
    eprintln!(
        "{what}: {} page{} rendered, {} file{} changed, in {:.1} ms{}",
        o.rendered,
        if o.rendered == 1 { "" } else { "s" },
        o.changed.len(),
        if o.changed.len() == 1 { "" } else { "s" },
        o.elapsed.as_secs_f64() * 1000.0,
        match o.warnings {
            0 => String::new(),
            n => format!(" ({n} warnings; `zhize check` lists them)"),
        }
    );
}

fn log_errors(d: &Diagnostics) {
    for e in d.iter().filter(|d| crate::is_error(d)) {
        eprintln!("error: {}", state::describe(e));
    }
    eprintln!(
        "the build failed; still serving the last good site (the errors show in the browser)"
    );
}
