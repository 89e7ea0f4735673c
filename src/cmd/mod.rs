//! The commands, one file each: their arguments (clap) and how their results are shown. The
//! work itself is in the workspace's crates; what is here is printing and exit codes.

pub mod build;
pub mod check;
pub mod export;
pub mod fix;
pub mod import;
pub mod init;
pub mod merge;
pub mod new;
pub mod schema;
pub mod search;
pub mod serve;
pub mod stats;
pub mod xlsx;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use zhize::diagnostic::{Diagnostics, Lang};

/// How to show things: with colour and the source snippet, or plain lines; in which language.
#[derive(Debug, Clone, Copy)]
pub struct Ui {
    pub fancy: bool,
    /// `--lang` or ZHIZE_LANG; `None` follows the site (see [`Ui::for_site`]).
    pub lang: Option<Lang>,
}

impl Ui {
    /// This Ui for the site at `root`: messages in its language unless one was asked for.
    pub fn for_site(self, root: &Path) -> Ui {
        let lang = self
            .lang
            .unwrap_or_else(|| Lang::of_site(&zhize::load::load_config(root).language));
        Ui {
            lang: Some(lang),
            ..self
        }
    }

    /// The language of messages (Chinese when nothing says otherwise).
    pub fn lang(self) -> Lang {
        self.lang.unwrap_or_default()
    }
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

pub fn warnings_suffix(d: &Diagnostics, lang: Lang) -> String {
    match (d.warning_count(), lang) {
        (0, _) => String::new(),
        (1, Lang::En) => ", 1 warning".to_string(),
        (n, Lang::En) => format!(", {n} warnings"),
        (n, Lang::Zh) => format!("，{n} 个警告"),
    }
}

/// Print the problems, the same problem in several places once (with where else it is).
pub fn print_diagnostics(d: &Diagnostics, ui: Ui) {
    for (diag, others) in d.folded() {
        eprintln!("{}", diag.render(ui.fancy, ui.lang()));
        if let Some(more) = zhize::diagnostic::more_places(&others, ui.lang()) {
            eprintln!("{more}");
        }
    }
}

/// Print the problems and a summary line (`what` in English and Chinese); exit code 1.
pub fn fail(d: &Diagnostics, ui: Ui, what: (&str, &str)) -> ExitCode {
    print_diagnostics(d, ui);
    let n = d.error_count();
    match ui.lang() {
        Lang::En => eprintln!(
            "{}: {n} error{}{}",
            what.0,
            if n == 1 { "" } else { "s" },
            warnings_suffix(d, Lang::En)
        ),
        Lang::Zh => eprintln!("{}：{n} 个错误{}", what.1, warnings_suffix(d, Lang::Zh)),
    }
    ExitCode::FAILURE
}
