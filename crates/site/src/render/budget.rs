//! A budget for rendering one page, so that a theme template that loops for ever (nested
//! loops over large ranges) cannot hang a build.
//!
//! Two guards, because tera has no step counter of its own:
//! - [`Budgeted`], the writer a page is rendered into, fails the render once the page has
//!   taken longer than its time budget or grown past [`MAX_PAGE_BYTES`]: a loop that writes
//!   something stops there with an error naming the page and the template;
//! - [`Watchdog`] notices a page that has been rendering for longer than twice the budget
//!   without writing (a loop that writes nothing never reaches the writer): the run cannot go
//!   on, so it reports the page and template and ends the process with exit code 1.

use std::collections::HashMap;
use std::io::Write;
use std::sync::mpsc::{channel, RecvTimeoutError};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use zhize_core::diagnostic::Diagnostic;

/// Most bytes one page may have: far above any real page (a department of 2,000 duties is
/// about 2 MB), low enough that a runaway template fails before it fills the memory.
pub const MAX_PAGE_BYTES: usize = 256 * 1024 * 1024;

/// The writer of one page, failing once the page is over its budget of time or size.
pub struct Budgeted<'a> {
    out: &'a mut Vec<u8>,
    started: Instant,
    budget: Duration,
    /// Writes since the clock was last read: tera writes a page in thousands of small
    /// pieces, and reading the clock at each was a tenth of a large build's time.
    writes: u32,
    /// Why the writer refused to go on (tera's error does not carry it).
    pub exceeded: Option<Exceeded>,
}

/// How many writes go by between two readings of the clock: a runaway loop writes millions.
const WRITES_PER_CLOCK: u32 = 256;

impl<'a> Budgeted<'a> {
    /// A writer into `out`, whose time starts now.
    pub fn new(out: &'a mut Vec<u8>, budget: Duration) -> Self {
        Budgeted {
            out,
            started: Instant::now(),
            budget,
            writes: 0,
            exceeded: None,
        }
    }
}

/// Which budget a page went over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exceeded {
    Time,
    Size,
}

impl Write for Budgeted<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.out.len() + buf.len() > MAX_PAGE_BYTES {
            self.exceeded = Some(Exceeded::Size);
            return Err(std::io::Error::other("the page is too large"));
        }
        self.writes += 1;
        if self.writes >= WRITES_PER_CLOCK {
            self.writes = 0;
            if self.started.elapsed() > self.budget {
                self.exceeded = Some(Exceeded::Time);
                return Err(std::io::Error::other("the page took too long"));
            }
        }
        self.out.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Pages being rendered, by thread: (path, template, start).
#[derive(Default)]
pub struct Watchdog {
    busy: Mutex<HashMap<std::thread::ThreadId, (String, String, Instant)>>,
}

/// Removes its page from the watchdog's list when the render ends.
pub struct Watched<'a>(&'a Watchdog);

impl Drop for Watched<'_> {
    fn drop(&mut self) {
        if let Ok(mut busy) = self.0.busy.lock() {
            busy.remove(&std::thread::current().id());
        }
    }
}

impl Watchdog {
    /// Note that this thread renders `path` with `template` from now on.
    pub fn enter(&self, path: &str, template: &str) -> Watched<'_> {
        if let Ok(mut busy) = self.busy.lock() {
            busy.insert(
                std::thread::current().id(),
                (path.to_string(), template.to_string(), Instant::now()),
            );
        }
        Watched(self)
    }

    /// The page that has rendered for longer than `limit`, if any, as an error.
    pub fn overdue(&self, limit: Duration) -> Option<Diagnostic> {
        let busy = self.busy.lock().ok()?;
        let (path, template, _) = busy.values().find(|(_, _, t)| t.elapsed() > limit)?;
        Some(stuck(path, template, limit))
    }

    /// Run `work` while a thread checks, every quarter of a second, that no page has
    /// rendered for longer than `limit`; if one has, it is reported and the process ends.
    /// The thread ends as soon as `work` does (it waits on a channel that `work`'s end
    /// closes, not in a sleep, which held every build up to a quarter of a second).
    pub fn guard<T>(&self, limit: Duration, work: impl FnOnce() -> T) -> T {
        let (finished, wait) = channel::<()>();
        std::thread::scope(|scope| {
            scope.spawn(move || {
                while let Err(RecvTimeoutError::Timeout) =
                    wait.recv_timeout(Duration::from_millis(250))
                {
                    if let Some(d) = self.overdue(limit) {
                        eprintln!("{d}");
                        eprintln!("error: the run was stopped: a page could not be rendered");
                        std::process::exit(1);
                    }
                }
            });
            let out = work();
            drop(finished);
            out
        })
    }
}

/// The error for a page that grew past [`MAX_PAGE_BYTES`].
pub fn too_large(path: &str, template: &str) -> Diagnostic {
    Diagnostic::error(format!(
        "rendering {path} with template {template} made more than {} MB",
        MAX_PAGE_BYTES / (1024 * 1024)
    ))
    .hint("the template may loop for ever, or repeat a large part of the page; fix it")
}

/// The error for a page whose template did not finish within its budget.
pub fn stuck(path: &str, template: &str, limit: Duration) -> Diagnostic {
    Diagnostic::error(format!(
        "rendering {path} with template {template} did not finish within {} s",
        limit.as_secs()
    ))
    .hint("the template may loop for ever (nested loops over large ranges, a macro that calls itself): fix it; if the page is simply very large, raise `render_timeout` in zhize.yaml")
}
