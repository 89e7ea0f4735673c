//! `zhize check`: load, resolve and render everything in memory, write nothing.

use super::{fail, print_diagnostics, warnings_suffix, Ui};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

pub fn run(args: Args, ui: Ui) -> ExitCode {
    let ui = ui.for_site(&args.root);
    let site = zhize::resolve_site(&args.root);
    if site.diagnostics.has_errors() {
        return fail(&site.diagnostics, ui, ("check failed", "检查未通过"));
    }
    // Every page is rendered and dropped: the link check keeps what it needs.
    #[allow(clippy::result_large_err)] // the sink never fails
    let render = zhize::render_with(&site, &|| {}, &|_| Ok(()));
    let diags = match render {
        Ok((_, d)) => d,
        Err(d) => return fail(&d, ui, ("check failed", "检查未通过")),
    };
    let mut all = site.diagnostics.clone();
    all.extend(diags.0);
    all.sort();
    print_diagnostics(&all, ui);
    crate::outln!(
        "ok: {} organisations, {} pages{}",
        site.orgs.len(),
        zhize::page_count(&site),
        warnings_suffix(&all, ui.lang())
    );
    ExitCode::SUCCESS
}
