//! Any bytes as what a client sends on one connection to `zhize serve`: hyper's HTTP/1
//! parser with the server's limits and timeouts, the checks on framing and methods, and the
//! answering of requests over a tiny in-memory site, all through `zhize::serve::exchange`
//! (the server's own connection handling, on an in-memory stream).
//!
//! Nothing may panic or hang, what comes back is HTTP/1.1 responses, and never more of them
//! than the input has request lines (plus one for an error): no bytes are answered twice.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::Arc;

fn site() -> zhize::serve::state::Files {
    [
        ("index.html", "<!doctype html><html><body><p>首页</p></body></html>"),
        ("shiju/index.html", "<html><body>市局</body></html>"),
        ("shiju/bangongshi/index.html", "<html><body>办公室</body></html>"),
        ("404.html", "<html><body>找不到</body></html>"),
        ("static/style.css", "body{}"),
        ("search/meta.js", "var x=1;"),
    ]
    .into_iter()
    .map(|(p, b)| (p.to_string(), Arc::from(b.as_bytes())))
    .collect()
}

/// Status lines (HTTP/1.1, or 1.0 to a 1.0 client) at the start of the output or of a line.
fn responses(out: &[u8]) -> usize {
    let text = String::from_utf8_lossy(out);
    text.match_indices("HTTP/1.")
        .filter(|(i, _)| *i == 0 || text[..*i].ends_with('\n'))
        .count()
}

fuzz_target!(|data: &[u8]| {
    let out = zhize::serve::exchange(site(), data);
    let shown = || String::from_utf8_lossy(&out[..out.len().min(300)]).into_owned();
    assert!(
        out.is_empty() || out.starts_with(b"HTTP/1.1 ") || out.starts_with(b"HTTP/1.0 "),
        "not a response: {}",
        shown()
    );
    let requests = data.windows(7).filter(|w| w == b"HTTP/1.").count();
    assert!(
        responses(&out) <= requests + 1,
        "{} answers to {requests} request lines: {}",
        responses(&out),
        shown()
    );
});
