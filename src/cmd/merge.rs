//! `zhize merge`: organisation builds (`zhize build --org`) joined into the whole site.

use super::{fail, print_diagnostics, warnings_suffix, Ui};
use std::path::PathBuf;
use std::process::ExitCode;
use zhize::diagnostic::Lang;

#[derive(clap::Args)]
pub struct Args {
    /// Site folder (the one holding content/ and zhize.yaml), the same content the parts were
    /// built from.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Output folder; replaced atomically. Defaults to <root>/public.
    #[arg(long)]
    output: Option<PathBuf>,
    /// The folders `zhize build --org ID --output FOLDER` wrote, one per organisation.
    #[arg(required = true)]
    parts: Vec<PathBuf>,
}

pub fn run(args: Args, ui: Ui) -> ExitCode {
    let ui = ui.for_site(&args.root);
    let output = args.output.unwrap_or_else(|| args.root.join("public"));
    match zhize::parts::merge(&args.root, &output, &args.parts, &|| {}) {
        Ok(report) => {
            print_diagnostics(&report.diagnostics, ui);
            let (parts, pages, files) = (args.parts.len(), report.pages, report.files);
            let (to, took) = (output.display(), report.elapsed);
            let warned = warnings_suffix(&report.diagnostics, ui.lang());
            match ui.lang() {
                Lang::En => crate::outln!(
                    "merged {parts} parts: {pages} pages ({files} files) into {to} in {took:.2?}{warned}"
                ),
                Lang::Zh => crate::outln!(
                    "已合并 {parts} 个部分：{pages} 个页面（{files} 个文件），写入 {to}，用时 {took:.2?}{warned}"
                ),
            }
            ExitCode::SUCCESS
        }
        Err(d) => fail(
            &d,
            ui,
            (
                "merge failed; the previous output was left as it was",
                "合并失败；原来的输出保持不变",
            ),
        ),
    }
}
