//! `zhize init`: a new site that builds at once.

use super::Ui;
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Folder to create the site in (created if missing; must not hold a site).
    dir: PathBuf,
    /// The organisation's name, e.g. 某某县人力资源和社会保障局 (asked for on a terminal;
    /// without it the site is an example, 示例局).
    #[arg(long)]
    org: Option<String>,
}

pub fn run(args: Args, ui: Ui) -> ExitCode {
    let dir = args.dir;
    let org = args.org.or_else(ask_org);
    match zhize::init::init_site(&dir, org.as_deref()) {
        Ok(files) => {
            for f in files {
                crate::outln!("created {}", dir.join(f).display());
            }
            crate::outln!("now run: zhize build --root {}", dir.display());
            crate::outln!(
                "add a department: zhize new dept 科室名称 --root {}",
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(d) => {
            eprintln!("{}", d.render(ui.fancy, ui.lang()));
            ExitCode::FAILURE
        }
    }
}

/// The organisation's name, asked for when a person is at the terminal.
fn ask_org() -> Option<String> {
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return None;
    }
    eprint!("单位名称（如 某某市某某局；直接回车则建示例站点）：");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).ok()?;
    let name = line.trim().to_string();
    (!name.is_empty()).then_some(name)
}
