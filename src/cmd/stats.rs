//! `zhize stats`: counts of what a site holds, as a table or JSON.

use super::{fail, Ui};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Print JSON with English snake_case keys.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args, ui: Ui) -> ExitCode {
    let ui = ui.for_site(&args.root);
    let loaded = zhize::load::load_site(&args.root);
    if loaded.diagnostics.has_errors() {
        return fail(
            &loaded.diagnostics,
            ui,
            (
                "cannot count a site that does not load",
                "网站内容加载失败，无法统计",
            ),
        );
    }
    let stats = zhize::stats::count(&loaded);
    if args.json {
        match serde_json::to_string_pretty(&stats) {
            Ok(s) => crate::outln!("{s}"),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        for (_, label, n) in stats.rows() {
            crate::outln!("{label:<12}{n:>8}");
        }
    }
    ExitCode::SUCCESS
}
