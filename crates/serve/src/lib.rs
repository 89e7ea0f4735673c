//! `zhize serve`: the site served from memory while it is edited, and search answered by the
//! server.
//!
//! Three parts share one [`Snapshot`] behind a lock:
//! - the **builder** thread watches the site folder, brings the site up to date after each
//!   edit ([`state::update`], rendering only the pages the edit affects) and swaps in a new
//!   snapshot; then remakes the search files and the tantivy index, which follow the pages;
//! - the **HTTP layer** ([`net`], on hyper and tokio) takes connections within a bound set by
//!   the open-file limit, with limits and timeouts, and answers requests
//!   ([`http::answer`]) on a small pool of threads;
//! - **long polls** for live reload wait for news without holding a thread, at most
//!   [`MAX_WAITERS`] at once.
//!
//! Ctrl-C (or SIGTERM) stops accepting, lets the requests in progress finish, wakes the
//! long polls and returns.

pub mod changes;
pub mod http;
pub mod net;
pub mod state;

use http::{Search, SearchIndex, Snapshot};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tokio::sync::watch;
use zhize_core::diagnostic::{Diagnostic, Diagnostics};

pub use net::exchange;

/// Port used when none is given.
pub const DEFAULT_PORT: u16 = 1111;
/// Live-reload long polls held at once.
pub const MAX_WAITERS: usize = 64;
/// How long a long poll waits for news.
const WAIT: Duration = Duration::from_secs(20);
/// Connections waiting to be accepted (the kernel may cap it lower).
const BACKLOG: u32 = 1024;

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

/// What the builder and the request handling share.
struct Shared {
    snapshot: RwLock<Arc<Snapshot>>,
    search: RwLock<Arc<SearchIndex>>,
    /// The version of the snapshot, told to the long polls when it changes.
    news: watch::Sender<u64>,
    /// Set once, when the server is to stop.
    stopping: watch::Sender<bool>,
    waiters: AtomicUsize,
    /// How long a long poll waits for news.
    wait: Duration,
}

impl Shared {
    fn new(first: Snapshot, wait: Duration) -> Shared {
        Shared {
            news: watch::Sender::new(first.version),
            snapshot: RwLock::new(Arc::new(first)),
            search: RwLock::new(Arc::new(SearchIndex::Building)),
            stopping: watch::Sender::new(false),
            waiters: AtomicUsize::new(0),
            wait,
        }
    }

    fn current(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn search_index(&self) -> Arc<SearchIndex> {
        self.search
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn set_search_index(&self, index: SearchIndex) {
        *self.search.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(index);
    }

    fn publish(&self, snapshot: Snapshot) {
        let version = snapshot.version;
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(snapshot);
        self.news.send_replace(version);
    }

    fn stop(&self) {
        self.stopping.send_replace(true);
    }

    fn stopping(&self) -> bool {
        *self.stopping.borrow()
    }

    /// Wait until the version passes `since`, the server stops or `wait` passes.
    async fn wait(&self, since: u64) -> Arc<Snapshot> {
        let mut news = self.news.subscribe();
        let mut stopping = self.stopping.subscribe();
        let _ = tokio::time::timeout(self.wait, async {
            tokio::select! {
                _ = news.wait_for(|v| *v > since) => {}
                _ = stopping.wait_for(|s| *s) => {}
            }
        })
        .await;
        self.current()
    }
}

/// Build the site, serve it, and (with `watch`) rebuild on change, until Ctrl-C.
/// `on_ready` is told the address once the server listens.
pub fn run(opts: &Options, on_ready: impl FnOnce(SocketAddr)) -> Result<(), Diagnostics> {
    let fail = |what: String, hint: String| Diagnostics(vec![Diagnostic::error(what).hint(hint)]);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(net::WORKERS)
        .thread_name("zhize-serve")
        .enable_all()
        .build()
        .map_err(|e| {
            fail(
                format!("cannot start the server: {e}"),
                "the system is short of threads or memory".into(),
            )
        })?;
    // The listener and the signal handlers belong to the runtime.
    let _context = runtime.enter();
    let addr = SocketAddr::new(opts.bind, opts.port);
    let listener = listen(addr)
        .map_err(|e| fail(format!("cannot listen on {addr}: {e}"), bind_hint(&e, addr)))?;
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
    let shared = Arc::new(Shared::new(first, WAIT));
    let signals = Signals::install();

    let builder = {
        let shared = shared.clone();
        let watch = opts.watch;
        std::thread::spawn(move || builder(&root, built, &shared, watch))
    };

    let local = listener.local_addr().unwrap_or(addr);
    let files = net::open_file_limit();
    let limit = net::connection_limit(files);
    eprintln!(
        "at most {limit} connections at once (open-file limit {}); past that, the longest idle \
         one is closed, or 503 when all are busy",
        files.map_or("none".to_string(), |n| n.to_string())
    );
    on_ready(local);

    runtime.block_on(async {
        let stopper = shared.clone();
        tokio::spawn(async move {
            signals.wait().await;
            stopper.stop();
        });
        net::serve(listener, shared.clone(), limit).await;
    });
    shared.stop();
    drop(_context);
    // Searches in progress on the worker threads are short; do not wait for more.
    runtime.shutdown_timeout(Duration::from_secs(1));
    // The builder may be in the middle of a build; it notices `stopping` after it.
    drop(builder);
    eprintln!("stopped");
    Ok(())
}

/// A listening socket on `addr`, with room for a burst of connections to wait.
fn listen(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    // A restart can take the port at once (as std's listener does on Unix).
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(BACKLOG)
}

/// What to do when the server cannot listen on `addr`.
fn bind_hint(e: &std::io::Error, addr: SocketAddr) -> String {
    match e.kind() {
        std::io::ErrorKind::AddrNotAvailable => format!(
            "{} does not belong to this machine; use 127.0.0.1 (the default), or an address of \
             this machine with --bind (0.0.0.0 for all of them)",
            addr.ip()
        ),
        std::io::ErrorKind::AddrInUse => format!(
            "another program uses port {} there; choose another with --port, or --port 0 for \
             any free one",
            addr.port()
        ),
        std::io::ErrorKind::PermissionDenied if addr.port() != 0 && addr.port() < 1024 => format!(
            "ports below 1024 need administrator privileges; use a higher one, e.g. --port {DEFAULT_PORT}"
        ),
        std::io::ErrorKind::PermissionDenied => {
            "the system does not allow this program to listen there".to_string()
        }
        _ => "check --bind and --port".to_string(),
    }
}

/// Ctrl-C and (on Unix) SIGTERM.
struct Signals {
    #[cfg(unix)]
    streams: Option<(tokio::signal::unix::Signal, tokio::signal::unix::Signal)>,
}

impl Signals {
    /// Take over the signals now, so that one that comes before the server runs stops it
    /// gracefully too. Needs the runtime's context.
    fn install() -> Signals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let streams = match (
                signal(SignalKind::interrupt()),
                signal(SignalKind::terminate()),
            ) {
                (Ok(int), Ok(term)) => Some((int, term)),
                (Err(e), _) | (_, Err(e)) => {
                    eprintln!("warning: Ctrl-C will not stop the server gracefully: {e}");
                    None
                }
            };
            Signals { streams }
        }
        #[cfg(not(unix))]
        Signals {}
    }

    /// Until one comes.
    async fn wait(self) {
        #[cfg(unix)]
        match self.streams {
            Some((mut int, mut term)) => {
                tokio::select! {
                    _ = int.recv() => {}
                    _ = term.recv() => {}
                }
            }
            None => std::future::pending().await,
        }
        #[cfg(not(unix))]
        if tokio::signal::ctrl_c().await.is_err() {
            eprintln!("warning: Ctrl-C will not stop the server gracefully");
            std::future::pending::<()>().await;
        }
    }
}

/// The builder thread: make the search files, then rebuild on every change until stopped.
fn builder(root: &Path, mut built: Option<state::Built>, shared: &Shared, watch: bool) {
    let mut search_error = None;
    if let Some(b) = &built {
        refresh_search(root, b, shared, &mut search_error);
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
    while !shared.stopping() {
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
                refresh_search(root, &next, shared, &mut search_error);
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

/// Make the static search files and the tantivy index, and serve them. When the index
/// cannot be written, the search API says why (or answers from the last index, if there is
/// one), and the log says so once for each new reason (`last_error`).
fn refresh_search(
    root: &Path,
    built: &state::Built,
    shared: &Shared,
    last_error: &mut Option<String>,
) {
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
    let dir = zhize_search::index::index_dir(root);
    let opened = written
        .map_err(|e| format!("cannot write the search index at {}: {e}", dir.display()))
        .and_then(|()| {
            zhize_search::Searcher::open(&dir)
                .map_err(|e| format!("cannot open the search index at {}: {e}", dir.display()))
        });
    match opened {
        Ok(searcher) => {
            let analyzer = zhize_site::search_docs::analyzer_for(&built.site);
            shared.set_search_index(SearchIndex::Ready(Box::new(Search { searcher, analyzer })));
            if last_error.take().is_some() {
                eprintln!("the search index is written again");
            }
        }
        Err(error) => {
            let stale = matches!(*shared.search_index(), SearchIndex::Ready(_));
            if !stale {
                shared.set_search_index(SearchIndex::Failed {
                    error: error.clone(),
                });
            }
            // After the API says it, so that whoever reads the log finds it there too.
            if last_error.as_ref() != Some(&error) {
                eprintln!(
                    "warning: {error}; /api/search {} (hint: {})",
                    if stale {
                        "answers from the index of an earlier build"
                    } else {
                        "answers 503 with this error"
                    },
                    http::SEARCH_FAILED_HINT
                );
            }
            *last_error = Some(error);
        }
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
        use zhize_search::index::fingerprint_of;
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
    d.iter()
        .filter(|d| zhize_site::is_error(d))
        .cloned()
        .collect()
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
    for e in d.iter().filter(|d| zhize_site::is_error(d)) {
        eprintln!("error: {}", state::describe(e));
    }
    eprintln!(
        "the build failed; still serving the last good site (the errors show in the browser)"
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Error, ErrorKind};

    /// Each reason a listen fails gets its own hint, not "port in use" for all.
    #[test]
    fn bind_errors_get_the_hint_that_fits() {
        let at = |a: &str| a.parse::<SocketAddr>().unwrap();
        let hint = |kind, a| bind_hint(&Error::from(kind), at(a));
        let foreign = hint(ErrorKind::AddrNotAvailable, "192.0.2.1:1111");
        assert!(
            foreign.contains("192.0.2.1 does not belong to this machine"),
            "{foreign}"
        );
        assert!(!foreign.contains("another program"), "{foreign}");
        let taken = hint(ErrorKind::AddrInUse, "127.0.0.1:1111");
        assert!(taken.contains("another program uses port 1111"), "{taken}");
        let low = hint(ErrorKind::PermissionDenied, "0.0.0.0:80");
        assert!(low.contains("below 1024"), "{low}");
        let high = hint(ErrorKind::PermissionDenied, "0.0.0.0:8080");
        assert!(!high.contains("below 1024"), "{high}");
    }
}
