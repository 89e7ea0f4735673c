//! The commands, one file each: their arguments (clap) and how their results are shown. The
//! work itself is in the workspace's crates; what is here is printing and exit codes.

pub mod build;
pub mod check;
pub mod fix;
pub mod import;
pub mod init;
pub mod new;
pub mod schema;
pub mod search;
pub mod serve;
pub mod stats;
pub mod xlsx;

use std::io::Write;
use std::process::ExitCode;
use zhize::diagnostic::Diagnostics;

/// How to show things: with colour and the source snippet, or plain lines.
#[derive(Debug, Clone, Copy)]
pub struct Ui {
    pub fancy: bool,
}

/// Print a line on standard output. A reader that has gone away (`zhize search … | head
/// -n 1`) ends the command quietly, with success: what it wanted, it has.
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::cmd::out(format_args!($($arg)*))
    };
}

/// Write one line to standard output (see [`outln!`]).
pub fn out(line: std::fmt::Arguments<'_>) {
    let mut stdout = std::io::stdout().lock();
    let written = stdout
        .write_fmt(line)
        .and_then(|()| stdout.write_all(b"\n"))
        .and_then(|()| stdout.flush());
    if let Err(e) = written {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: cannot write the output: {e}");
        std::process::exit(1);
    }
}

pub fn warnings_suffix(d: &Diagnostics) -> String {
    match d.warning_count() {
        0 => String::new(),
        1 => ", 1 warning".to_string(),
        n => format!(", {n} warnings"),
    }
}

pub fn print_diagnostics(d: &Diagnostics, ui: Ui) {
    for diag in d.iter() {
        eprintln!("{}", diag.render(ui.fancy));
    }
}

/// Print the problems and a summary line; exit code 1.
pub fn fail(d: &Diagnostics, ui: Ui, what: &str) -> ExitCode {
    print_diagnostics(d, ui);
    eprintln!(
        "{what}: {} error{}{}",
        d.error_count(),
        if d.error_count() == 1 { "" } else { "s" },
        warnings_suffix(d)
    );
    ExitCode::FAILURE
}
