//! `zhize check`: load, resolve and render everything in memory, write nothing.

use super::{fail, print_diagnostics, warnings_suffix, Ui};
use std::path::PathBuf;
use std::process::ExitCode;
use zhize::diagnostic::Lang;

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
    let (orgs, pages) = (site.orgs.len(), zhize::page_count(&site));
    let warned = warnings_suffix(&all, ui.lang());
    match ui.lang() {
        Lang::En => crate::outln!("ok: {orgs} organisations, {pages} pages{warned}"),
        Lang::Zh => crate::outln!("检查通过：{orgs} 个单位，{pages} 个页面{warned}"),
    }
    ExitCode::SUCCESS
}
