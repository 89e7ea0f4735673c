//! `zhize build`: the site into its output folder, with a progress spinner on a terminal.

use super::{fail, print_diagnostics, warnings_suffix, Ui};
use std::path::PathBuf;
use std::process::ExitCode;

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
}

pub fn run(args: Args, ui: Ui) -> ExitCode {
    let Args {
        root,
        output,
        index,
    } = args;
    let ui = ui.for_site(&root);
    let output = output.unwrap_or_else(|| root.join("public"));
    let bar = progress_bar(ui.fancy);
    let tick = || {
        if let Some(b) = &bar {
            b.inc(1);
        }
    };
    if let Some(b) = &bar {
        b.set_message("rendering");
    } else {
        eprintln!("building {} into {}", root.display(), output.display());
    }
    let result = zhize::build_with(&root, &output, &tick, index);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    match result {
        Ok(report) => {
            print_diagnostics(&report.diagnostics, ui);
            crate::outln!(
                "built {} pages ({} files) into {} in {:.2?}{}",
                report.pages,
                report.files,
                output.display(),
                report.elapsed,
                warnings_suffix(&report.diagnostics, ui.lang())
            );
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
