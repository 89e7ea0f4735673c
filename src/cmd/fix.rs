//! `zhize fix`: show, then mend, full-width punctuation where YAML needs ASCII in the
//! content's files (`名称：办公室` → `名称: 办公室`, U+3000 indentation, name lists in 【】).

use super::{print_diagnostics, Ui};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Rewrite without asking (otherwise asked on a terminal; elsewhere only shown).
    #[arg(long)]
    yes: bool,
}

pub fn run(args: Args, ui: Ui) -> ExitCode {
    let ui = ui.for_site(&args.root);
    let (fixes, diags) = zhize::fix::scan(&args.root);
    print_diagnostics(&diags, ui);
    if diags.has_errors() {
        return ExitCode::FAILURE;
    }
    if fixes.is_empty() {
        crate::outln!("nothing to mend: no full-width punctuation where YAML needs ASCII");
        return ExitCode::SUCCESS;
    }
    let safe = zhize::escape::terminal_safe;
    let mut count = 0;
    for f in &fixes {
        for (n, old, m) in &f.lines {
            count += 1;
            crate::outln!("{}:{n}: {}", safe(&f.shown), safe(&m.what));
            crate::outln!("  - {}", safe(old));
            crate::outln!("  + {}", safe(&m.fixed));
        }
    }
    let go = args.yes || ask(count, fixes.len());
    if !go {
        crate::outln!("nothing changed; run `zhize fix --yes` to mend these {count} line(s)");
        return ExitCode::SUCCESS;
    }
    let mut failed = false;
    for f in &fixes {
        if let Err(d) = zhize::fix::apply(f) {
            eprintln!("{}", d.render(ui.fancy, ui.lang()));
            failed = true;
        }
    }
    if failed {
        return ExitCode::FAILURE;
    }
    crate::outln!("mended {count} line(s) in {} file(s)", fixes.len());
    ExitCode::SUCCESS
}

/// Asks on a terminal; elsewhere nothing is rewritten without --yes.
fn ask(lines: usize, files: usize) -> bool {
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return false;
    }
    eprint!("mend these {lines} line(s) in {files} file(s)? [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    if std::io::stdin().lock().read_line(&mut answer).is_err() {
        return false;
    }
    matches!(answer.trim(), "y" | "Y" | "yes" | "是")
}
