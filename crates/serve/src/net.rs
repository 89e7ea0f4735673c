//! The HTTP layer of `zhize serve`: sockets, limits and timeouts around the request answering
//! of [`super::http`], on hyper (HTTP/1.1 only) and tokio. What keeps it standing:
//!
//! - **Bounded connections.** At most [`connection_limit`] connections are open at once,
//!   chosen from the open-file limit so that the process never runs out of handles. When one
//!   more comes in at the bound, the connection idle the longest (one with no request in
//!   progress: kept alive, silent, or still trickling its request head) is closed to make
//!   room. Only when every connection has a request in progress does the newcomer get 503
//!   with `Retry-After`, and it is closed.
//! - **Timeouts.** A request head must arrive whole within [`HEADER_TIMEOUT`] of the
//!   connection opening or of the last response (so this is the keep-alive idle timeout
//!   too); a response the client does not take for [`WRITE_TIMEOUT`] ends the connection.
//! - **Limits and framing.** A request head is at most [`MAX_HEAD`] bytes with at most
//!   [`MAX_HEADERS`] fields (431 beyond). hyper answers other HTTP versions and conflicting
//!   `Content-Length`s with 400; a `Transfer-Encoding` gets 400 here (GET and HEAD take no
//!   body). The connection is closed after each, so that bytes whose framing two readers
//!   could disagree on are never answered as more requests.
//! - **Accept errors** (out of file handles …) never end the server: it waits a moment and
//!   accepts again.
//! - Requests are answered on a small pool of threads ([`WORKERS`]); the live-reload long
//!   polls wait without holding one, at most [`MAX_WAITERS`] at once.

use super::http::{self, Reply};
use super::state::Files;
use super::{Shared, MAX_WAITERS};
use bytes::Bytes;
use hyper::body::{Frame, Incoming, SizeHint};
use hyper::server::conn::http1;
use hyper::{header, Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::sync::Notify;

/// Longest request head (request line and header fields), in bytes.
pub const MAX_HEAD: usize = 16 * 1024;
/// Most header fields in a request.
pub const MAX_HEADERS: usize = 64;
/// How long a request head may take to arrive, from the connection's opening or the last
/// response; also how long an idle kept-alive connection stays open.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a response may wait for the client to take it.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// Threads answering requests (reading files from memory, searching).
pub const WORKERS: usize = 8;
/// Most connections open at once, whatever the open-file limit.
pub const MAX_CONNECTIONS: usize = 1024;
/// Fewest, however low the open-file limit.
const MIN_CONNECTIONS: usize = 8;
/// File handles kept for the server's own use (the site's files while it rebuilds, the
/// search index, the watcher, connections being refused), at most half the limit.
const HANDLE_HEADROOM: u64 = 192;
/// Connections being told 503 at once; beyond that they are closed without a word.
const MAX_REFUSING: usize = 32;
/// How long Ctrl-C waits for requests in progress.
const GRACE: Duration = Duration::from_secs(5);

/// The process's soft limit on open files, if it has one.
pub fn open_file_limit() -> Option<u64> {
    #[cfg(target_os = "linux")]
    {
        rustix::process::getrlimit(rustix::process::Resource::Nofile).current
    }
    // Elsewhere, assume the lowest common default (macOS's).
    #[cfg(not(target_os = "linux"))]
    {
        Some(256)
    }
}

/// How many connections to keep open at once under the soft open-file limit `soft` (`None`:
/// unlimited): what the limit leaves after the server's own handles, at most
/// [`MAX_CONNECTIONS`].
pub fn connection_limit(soft: Option<u64>) -> usize {
    let Some(soft) = soft else {
        return MAX_CONNECTIONS;
    };
    let headroom = HANDLE_HEADROOM.min(soft / 2);
    let n = soft.saturating_sub(headroom);
    usize::try_from(n)
        .unwrap_or(MAX_CONNECTIONS)
        .clamp(MIN_CONNECTIONS, MAX_CONNECTIONS)
}

/// The settings of every connection.
fn http1() -> http1::Builder {
    let mut b = http1::Builder::new();
    b.timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .max_header_size(MAX_HEAD)
        // Also bounds the read buffer, so a huge header line costs no more than this.
        .max_buf_size(MAX_HEAD)
        .max_headers(MAX_HEADERS)
        // A client may stop sending and wait for its answers (RFC 9112, 9.6).
        .half_close(true)
        .keep_alive(true);
    b
}

/// Accept connections on `listener` and answer them until the server stops; then let the
/// requests in progress finish (for at most [`GRACE`]).
pub(super) async fn serve(listener: tokio::net::TcpListener, shared: Arc<Shared>, limit: usize) {
    let slots = Slots::new(limit);
    let refusing = Arc::new(AtomicUsize::new(0));
    let mut stop = shared.stopping.subscribe();
    let mut failures = AcceptFailures::default();
    loop {
        let accepted = tokio::select! {
            r = listener.accept() => r,
            _ = stop.wait_for(|s| *s) => break,
        };
        match accepted {
            Ok((stream, _)) => {
                let _ = stream.set_nodelay(true);
                match slots.admit() {
                    Some(slot) => {
                        tokio::spawn(connection(stream, shared.clone(), slot));
                    }
                    None => refuse(stream, &refusing),
                }
            }
            // The client gave up before we took its connection: nothing to do.
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::ConnectionAborted
                        | io::ErrorKind::ConnectionReset
                        | io::ErrorKind::Interrupted
                ) => {}
            // Out of file handles or memory (EMFILE, ENFILE, ENOBUFS …): the connections
            // waiting stay queued. Close the connection idle the longest to free a handle,
            // and try again in a moment.
            Err(e) => {
                failures.failed(&e);
                slots.evict_one();
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_millis(100)) => {}
                    _ = stop.wait_for(|s| *s) => break,
                }
            }
        }
    }
    // Stop listening at once: the port closes while the last requests finish.
    drop(listener);
    let deadline = tokio::time::Instant::now() + GRACE;
    loop {
        // Listen before looking, or a close in between would go unnoticed.
        let closed = slots.closed.notified();
        tokio::pin!(closed);
        closed.as_mut().enable();
        if slots.open() == 0 || tokio::time::timeout_at(deadline, closed).await.is_err() {
            break;
        }
    }
}

/// Log accept errors at once, then at most once every ten seconds while they go on.
#[derive(Default)]
struct AcceptFailures {
    /// Since the last report.
    count: u64,
    reported: Option<Instant>,
}

impl AcceptFailures {
    fn failed(&mut self, e: &io::Error) {
        self.count += 1;
        if self
            .reported
            .is_none_or(|t| t.elapsed() >= Duration::from_secs(10))
        {
            eprintln!(
                "warning: cannot accept connections: {e} ({} time{} since the last report); \
                 closing idle connections and trying again",
                self.count,
                if self.count == 1 { "" } else { "s" }
            );
            self.reported = Some(Instant::now());
            self.count = 0;
        }
    }
}

/// Tell a connection over the bound that the server is busy, and close it. The answer is
/// written at once (a new connection's send buffer is empty); the request, if it comes, is
/// read and dropped for a moment before closing, or the client could get a reset instead of
/// the answer.
fn refuse(mut stream: tokio::net::TcpStream, refusing: &Arc<AtomicUsize>) {
    let busy = http::busy();
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: {}\r\nContent-Length: {}\r\n\
         Retry-After: 1\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        busy.content_type,
        busy.body.len()
    );
    let _ = stream.try_write(&[answer.as_bytes(), &busy.body].concat());
    if refusing.fetch_add(1, Ordering::SeqCst) >= MAX_REFUSING {
        refusing.fetch_sub(1, Ordering::SeqCst);
        return;
    }
    let refusing = refusing.clone();
    tokio::spawn(async move {
        let _ = tokio::time::timeout(Duration::from_secs(1), async {
            let _ = stream.shutdown().await;
            let mut sink = [0u8; 4096];
            while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
        })
        .await;
        refusing.fetch_sub(1, Ordering::SeqCst);
    });
}

/// Serve one connection until it closes, is closed to make room, or the server stops.
async fn connection<I>(io: I, shared: Arc<Shared>, guard: SlotGuard)
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let slot = guard.slot.clone();
    let service = {
        let (shared, slot) = (shared.clone(), slot.clone());
        hyper::service::service_fn(move |req| {
            let shared = shared.clone();
            // Marks the connection busy until hyper is done with the response.
            let active = Active::new(slot.clone());
            async move {
                let reply = respond(req, shared).await;
                Ok::<_, Infallible>(to_response(reply, active))
            }
        })
    };
    let io = TokioIo::new(WriteDeadline::new(io, WRITE_TIMEOUT));
    let conn = http1().serve_connection(io, service);
    tokio::pin!(conn);
    let mut stop = shared.stopping.subscribe();
    let mut closing = false;
    loop {
        tokio::select! {
            // Errors are the client's (a bad request, already answered; a timeout; a reset).
            _ = conn.as_mut() => break,
            _ = slot.evict.notified(), if !closing => {
                if slot.active.load(Ordering::SeqCst) == 0 {
                    break;
                }
                // A request came in meanwhile: answer it, then close.
                conn.as_mut().graceful_shutdown();
                closing = true;
            }
            _ = stop.wait_for(|s| *s), if !closing => {
                if slot.active.load(Ordering::SeqCst) == 0 {
                    break;
                }
                conn.as_mut().graceful_shutdown();
                closing = true;
            }
        }
    }
    drop(guard);
}

/// Answer one request (hyper has parsed its head).
async fn respond(req: Request<Incoming>, shared: Arc<Shared>) -> Reply {
    if req.headers().contains_key(header::TRANSFER_ENCODING) {
        return http::bad_framing();
    }
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return http::method_not_allowed();
    }
    let url = req
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_string();
    drop(req);
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    if path == "/__zhize/wait" {
        let Some(_waiter) = Waiter::enter(&shared) else {
            return http::busy();
        };
        let since = http::since_of(query);
        let snapshot = shared.wait(since).await;
        return http::wait_answer(&snapshot, since);
    }
    let snapshot = shared.current();
    let search = shared.search_index();
    tokio::task::spawn_blocking(move || http::answer(&url, &snapshot, &search))
        .await
        // It panicked (and said so on stderr): the server goes on.
        .unwrap_or_else(|_| http::internal_error())
}

/// A place among the live-reload long polls, given back when the poll ends however it ends.
struct Waiter(Arc<Shared>);

impl Waiter {
    fn enter(shared: &Arc<Shared>) -> Option<Waiter> {
        if shared.waiters.fetch_add(1, Ordering::SeqCst) >= MAX_WAITERS {
            shared.waiters.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        Some(Waiter(shared.clone()))
    }
}

impl Drop for Waiter {
    fn drop(&mut self) {
        self.0.waiters.fetch_sub(1, Ordering::SeqCst);
    }
}

fn to_response(reply: Reply, active: Active) -> Response<Body> {
    let mut builder = Response::builder()
        .status(reply.status)
        .header(header::CONTENT_TYPE, reply.content_type)
        .header(header::CACHE_CONTROL, "no-cache")
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    for (k, v) in reply.headers {
        builder = builder.header(k, v);
    }
    builder
        .body(Body::new(reply.body, Some(active)))
        .unwrap_or_else(|_| {
            let mut r = Response::new(Body::new(Vec::new(), None));
            *r.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            r
        })
}

/// A response body, sent in one piece. It holds the connection's [`Active`] mark until hyper
/// drops it, having sent it (or not, for HEAD).
pub struct Body {
    data: Option<Bytes>,
    _active: Option<Active>,
}

impl Body {
    fn new(data: Vec<u8>, active: Option<Active>) -> Body {
        Body {
            data: (!data.is_empty()).then(|| Bytes::from(data)),
            _active: active,
        }
    }
}

impl hyper::body::Body for Body {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Poll::Ready(self.get_mut().data.take().map(|d| Ok(Frame::data(d))))
    }

    fn is_end_stream(&self) -> bool {
        self.data.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.data.as_ref().map_or(0, |d| d.len() as u64))
    }
}

/// The open connections: how many, and which could be closed to make room for another.
pub(super) struct Slots {
    limit: usize,
    epoch: Instant,
    inner: Mutex<SlotsInner>,
    /// Told whenever a connection closes.
    closed: Notify,
}

struct SlotsInner {
    next: u64,
    open: HashMap<u64, Arc<Slot>>,
    /// Of those, how many were told to close to make room and have not yet.
    evicted: usize,
}

/// One open connection.
struct Slot {
    id: u64,
    epoch: Instant,
    /// Requests in progress.
    active: AtomicUsize,
    /// When its last request ended (or it opened), in milliseconds since `epoch`.
    idle_since: AtomicU64,
    evicted: AtomicBool,
    /// Told when the connection is to close to make room.
    evict: Notify,
}

impl Slot {
    fn touch(&self) {
        let ms = self.epoch.elapsed().as_millis();
        self.idle_since
            .store(u64::try_from(ms).unwrap_or(u64::MAX), Ordering::SeqCst);
    }
}

impl Slots {
    fn new(limit: usize) -> Arc<Slots> {
        Arc::new(Slots {
            limit,
            epoch: Instant::now(),
            inner: Mutex::new(SlotsInner {
                next: 0,
                open: HashMap::new(),
                evicted: 0,
            }),
            closed: Notify::new(),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, SlotsInner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn open(&self) -> usize {
        self.lock().open.len()
    }

    /// A place for a new connection: free, or made by closing the connection idle the
    /// longest; `None` when every connection has a request in progress.
    fn admit(self: &Arc<Self>) -> Option<SlotGuard> {
        let mut inner = self.lock();
        if inner.open.len() - inner.evicted >= self.limit && !Self::evict(&mut inner) {
            return None;
        }
        let id = inner.next;
        inner.next += 1;
        let slot = Arc::new(Slot {
            id,
            epoch: self.epoch,
            active: AtomicUsize::new(0),
            idle_since: AtomicU64::new(0),
            evicted: AtomicBool::new(false),
            evict: Notify::new(),
        });
        slot.touch();
        inner.open.insert(id, slot.clone());
        Some(SlotGuard {
            slots: self.clone(),
            slot,
        })
    }

    /// Close the connection idle the longest, if any is.
    fn evict_one(&self) {
        Self::evict(&mut self.lock());
    }

    /// Tell the connection idle the longest to close; false when all are busy.
    fn evict(inner: &mut SlotsInner) -> bool {
        let victim = inner
            .open
            .values()
            .filter(|s| s.active.load(Ordering::SeqCst) == 0 && !s.evicted.load(Ordering::SeqCst))
            .min_by_key(|s| (s.idle_since.load(Ordering::SeqCst), s.id));
        let Some(victim) = victim else {
            return false;
        };
        victim.evicted.store(true, Ordering::SeqCst);
        victim.evict.notify_one();
        inner.evicted += 1;
        true
    }
}

/// A connection's place, given back when the connection ends.
struct SlotGuard {
    slots: Arc<Slots>,
    slot: Arc<Slot>,
}

impl Drop for SlotGuard {
    fn drop(&mut self) {
        let mut inner = self.slots.lock();
        if inner.open.remove(&self.slot.id).is_some() && self.slot.evicted.load(Ordering::SeqCst) {
            inner.evicted -= 1;
        }
        drop(inner);
        self.slots.closed.notify_waiters();
    }
}

/// A request in progress on a connection.
struct Active(Arc<Slot>);

impl Active {
    fn new(slot: Arc<Slot>) -> Active {
        slot.active.fetch_add(1, Ordering::SeqCst);
        Active(slot)
    }
}

impl Drop for Active {
    fn drop(&mut self) {
        self.0.touch();
        self.0.active.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A stream whose writes fail with `TimedOut` once one has waited `limit` for the peer to
/// take data: hyper has no write timeout of its own.
struct WriteDeadline<I> {
    inner: I,
    limit: Duration,
    timer: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl<I> WriteDeadline<I> {
    fn new(inner: I, limit: Duration) -> Self {
        WriteDeadline {
            inner,
            limit,
            timer: None,
        }
    }

    /// After a write-side poll: clear the timer on progress, start it (or see it expire) on
    /// waiting.
    fn watch<T>(&mut self, cx: &mut Context<'_>, poll: Poll<io::Result<T>>) -> Poll<io::Result<T>> {
        if poll.is_ready() {
            self.timer = None;
            return poll;
        }
        let limit = self.limit;
        let timer = self
            .timer
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client took no data for too long",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<I: AsyncRead + Unpin> AsyncRead for WriteDeadline<I> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl<I: AsyncWrite + Unpin> AsyncWrite for WriteDeadline<I> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_write(cx, buf);
        this.watch(cx, poll)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        this.watch(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_flush(cx);
        this.watch(cx, poll)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_shutdown(cx);
        this.watch(cx, poll)
    }
}

/// One client connection, in memory: `input` is everything the client sends before it stops
/// sending; the result is everything the server sent back until it closed the connection.
/// The bytes go through the very connection handling and request answering of `zhize serve`
/// (limits, timeouts, hyper's parser, the service), over a site of `pages` with no search
/// index; live-reload long polls answer at once. For the `http_request` fuzz target
/// (fuzz/fuzz_targets/http_request.rs) and for tests.
pub fn exchange(pages: Files, input: &[u8]) -> Vec<u8> {
    thread_local! {
        static RUNTIME: Option<tokio::runtime::Runtime> = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .max_blocking_threads(WORKERS)
            .build()
            .ok();
    }
    let shared = Arc::new(Shared::new(
        super::Snapshot {
            version: 1,
            pages: Arc::new(pages),
            search: Default::default(),
            changed: Vec::new(),
            all: true,
            errors: Vec::new(),
        },
        Duration::ZERO,
    ));
    RUNTIME.with(|rt| {
        let Some(rt) = rt else {
            return Vec::new();
        };
        rt.block_on(async {
            let (client, server) = tokio::io::duplex(64 * 1024);
            let Some(slot) = Slots::new(1).admit() else {
                return Vec::new();
            };
            let served = tokio::spawn(connection(server, shared, slot));
            let (mut reader, mut writer) = tokio::io::split(client);
            let send = async {
                // The server may close before taking it all: that is its answer.
                let _ = writer.write_all(input).await;
                let _ = writer.shutdown().await;
            };
            let mut out = Vec::new();
            let receive = reader.read_to_end(&mut out);
            // Far longer than any answer takes; only a hang would reach it.
            let _ = tokio::time::timeout(Duration::from_secs(60), async {
                let _ = tokio::join!(send, receive);
            })
            .await;
            served.abort();
            out
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Files {
        [
            ("index.html", "<html><body>home</body></html>"),
            ("a/index.html", "<html><body>a</body></html>"),
            ("404.html", "<html><body>none</body></html>"),
        ]
        .into_iter()
        .map(|(p, b)| (p.to_string(), Arc::from(b.as_bytes())))
        .collect()
    }

    /// The status lines of every response in `out`.
    fn statuses(out: &[u8]) -> Vec<u16> {
        let text = String::from_utf8_lossy(out);
        text.match_indices("HTTP/1.1 ")
            .filter_map(|(i, _)| text[i + 9..].get(..3)?.parse().ok())
            .collect()
    }

    fn ask(input: &str) -> (Vec<u16>, String) {
        let out = exchange(site(), input.as_bytes());
        (statuses(&out), String::from_utf8_lossy(&out).into_owned())
    }

    #[test]
    fn pipelined_requests_are_answered_in_turn() {
        let (s, text) = ask(
            "GET / HTTP/1.1\r\nHost: x\r\n\r\nHEAD /a/ HTTP/1.1\r\nHost: x\r\n\r\nGET /none HTTP/1.1\r\nHost: x\r\n\r\n",
        );
        assert_eq!(s, [200, 200, 404], "{text}");
        assert!(text.contains("home"));
        // HEAD: the length of the body, without the body.
        assert!(!text.contains("<body>a</body>"), "{text}");
        let (s, text) = ask("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
        assert_eq!(s, [405], "{text}");
        let (s, text) = ask("GET //a HTTP/1.1\r\nHost: x\r\n\r\n");
        assert_eq!(s, [301], "{text}");
        assert!(
            text.to_ascii_lowercase().contains("location: /a/\r\n"),
            "{text}"
        );
        let (s, _) = ask("GET /__zhize/wait?since=0 HTTP/1.1\r\nHost: x\r\n\r\n");
        assert_eq!(s, [200]);
    }

    /// Other HTTP versions, oversized heads and ambiguous framing get one answer and the
    /// connection closes: what follows on the connection is never taken as a request.
    #[test]
    fn bad_requests_get_one_answer_and_the_connection_closes() {
        let next = "GET /a/ HTTP/1.1\r\nHost: x\r\n\r\n";
        for (input, status) in [
            (format!("GET / HTTP/2.0\r\nHost: x\r\n\r\n{next}"), 400),
            (format!("GET / HTTP/3.0\r\nHost: x\r\n\r\n{next}"), 400),
            (
                format!("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 30\r\n\r\n{next}"),
                400,
            ),
            (
                format!("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 30\r\nContent-Length: 0\r\n\r\n{next}"),
                400,
            ),
            (
                format!("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n{next}"),
                400,
            ),
            (
                format!("GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n{next}"),
                400,
            ),
            (
                format!("GET / HTTP/1.1\r\nHost: x\r\nX: {}\r\n\r\n{next}", "a".repeat(MAX_HEAD)),
                431,
            ),
            (
                format!(
                    "GET / HTTP/1.1\r\nHost: x\r\n{}\r\n{next}",
                    "X: y\r\n".repeat(MAX_HEADERS + 1)
                ),
                431,
            ),
        ] {
            let (s, text) = ask(&input);
            assert_eq!(s, [status], "{}: {text}", &input[..input.len().min(80)]);
        }
        // The h2 preface is not HTTP/1: closed without a word.
        let (s, _) = ask(&format!("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n{next}"));
        assert!(s.is_empty(), "{s:?}");
    }

    #[test]
    fn the_connection_bound_follows_the_open_file_limit() {
        assert_eq!(connection_limit(Some(1024)), 1024 - 192);
        assert_eq!(connection_limit(Some(64)), 32);
        assert_eq!(connection_limit(Some(10)), MIN_CONNECTIONS);
        assert_eq!(connection_limit(Some(1 << 20)), MAX_CONNECTIONS);
        assert_eq!(connection_limit(None), MAX_CONNECTIONS);
    }

    /// At the bound, the connection idle the longest makes room; with every connection
    /// busy, there is none.
    #[test]
    fn a_full_house_closes_the_longest_idle_connection() {
        let slots = Slots::new(2);
        let a = slots.admit().unwrap();
        std::thread::sleep(Duration::from_millis(5));
        let b = slots.admit().unwrap();
        let busy_b = Active::new(b.slot.clone());
        let c = slots.admit().expect("a makes room");
        assert!(a.slot.evicted.load(Ordering::SeqCst));
        assert!(!b.slot.evicted.load(Ordering::SeqCst));
        let busy_c = Active::new(c.slot.clone());
        assert!(slots.admit().is_none(), "b and c are busy");
        drop(a);
        assert!(slots.admit().is_none(), "still b and c");
        drop(busy_c);
        let d = slots.admit().expect("c is idle now");
        assert!(c.slot.evicted.load(Ordering::SeqCst));
        drop((busy_b, b, c, d));
        assert_eq!(slots.open(), 0);
        assert_eq!(slots.lock().evicted, 0);
    }

    /// A client that takes no data makes the write fail after the limit.
    #[test]
    fn writes_give_up_on_a_client_that_takes_nothing() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let (_client, server) = tokio::io::duplex(1024);
            let mut w = WriteDeadline::new(server, Duration::from_millis(50));
            let started = Instant::now();
            let r = tokio::time::timeout(Duration::from_secs(30), async {
                loop {
                    w.write_all(&[0u8; 4096]).await?;
                }
                #[allow(unreachable_code)]
                Ok::<(), io::Error>(())
            })
            .await
            .expect("the write gave up");
            assert_eq!(r.unwrap_err().kind(), io::ErrorKind::TimedOut);
            assert!(started.elapsed() >= Duration::from_millis(50));
        });
    }
}
