//! `zhize build`: the site into its output folder, with a progress spinner on a terminal.

use super::{fail, print_diagnostics, warnings_suffix, Ui};
use std::path::PathBuf;
use std::process::ExitCode;
use zhize::diagnostic::Lang;

#[derive(clap::Args)]
pub struct Args {
    /// Site folder (the one holding content/ and zhize.yaml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Output folder; replaced atomically. Defaults to <root>/public.
    #[arg(long)]
    output: Option<PathBuf>,
    /// Also make the search index of `zhize search` and `zhize serve` (.zhize/index/), after
    /// the site is written; without it, those commands make it when they first need it.
    #[arg(long)]
    index: bool,
    /// Build one organisation only (its folder name or id), for `zhize merge`: its pages and
    /// search documents, into --output (default <root>/parts/ID).
    #[arg(long, value_name = "ID")]
    org: Option<String>,
}

pub fn run(args: Args, ui: Ui) -> ExitCode {
    let Args {
        root,
        output,
        index,
        org,
    } = args;
    let ui = ui.for_site(&root);
    let output = output.unwrap_or_else(|| match &org {
        Some(id) => root.join("parts").join(id),
        None => root.join("public"),
    });
    let bar = progress_bar(ui.fancy);
    let tick = || {
        if let Some(b) = &bar {
            b.inc(1);
        }
    };
    if let Some(b) = &bar {
        b.set_message("rendering");
    } else {
        match ui.lang() {
            Lang::En => eprintln!("building {} into {}", root.display(), output.display()),
            Lang::Zh => eprintln!("正在构建 {}，写入 {}", root.display(), output.display()),
        }
    }
    let result = match &org {
        Some(id) => zhize::parts::build_org(&root, &output, id, &tick),
        None => zhize::build_with(&root, &output, &tick, index),
    };
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    match result {
        Ok(report) => {
            print_diagnostics(&report.diagnostics, ui);
            let (pages, files, to, took) =
                (report.pages, report.files, output.display(), report.elapsed);
            let warned = warnings_suffix(&report.diagnostics, ui.lang());
            match ui.lang() {
                Lang::En => crate::outln!(
                    "built {pages} pages ({files} files) into {to} in {took:.2?}{warned}"
                ),
                Lang::Zh => crate::outln!(
                    "已构建 {pages} 个页面（{files} 个文件），写入 {to}，用时 {took:.2?}{warned}"
                ),
            }
            ExitCode::SUCCESS
        }
        Err(diags) => fail(
            &diags,
            ui,
            (
                "build failed; the previous output was left as it was",
                "构建失败；原来的输出保持不变",
            ),
        ),
    }
}

fn progress_bar(fancy: bool) -> Option<indicatif::ProgressBar> {
    if !fancy {
        return None;
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg} {pos} pages {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(100));
    Some(bar)
}
