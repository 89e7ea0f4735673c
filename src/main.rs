//! The `zhize` command line: arguments and exit codes. Each command lives in `cmd/`; the
//! work is in the workspace's crates (see `lib.rs`).

mod cmd;

use clap::{Parser, Subcommand};
use std::io::IsTerminal;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "zhize",
    version,
    about = "Turn duty lists (职责清单) into a searchable static site"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Language of messages: zh or en. Default: ZHIZE_LANG, else the site's `language:` in
    /// zhize.yaml (Chinese unless it says otherwise).
    #[arg(long, global = true, value_parser = parse_lang)]
    lang: Option<zhize::diagnostic::Lang>,
}

fn parse_lang(text: &str) -> Result<zhize::diagnostic::Lang, String> {
    zhize::diagnostic::Lang::parse(text).ok_or_else(|| "use zh (中文) or en (English)".to_string())
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (public/ by default).
    Build(cmd::build::Args),
    /// Load and resolve everything, write nothing; exit 1 on errors.
    Check(cmd::check::Args),
    /// Join organisation builds (`zhize build --org ID`) into the whole site, the same as a
    /// whole build writes.
    Merge(cmd::merge::Args),
    /// Count organisations, departments, duties, posts, procedures and more.
    Stats(cmd::stats::Args),
    /// Import Word (.docx), text or spreadsheet documents, or a duty-list workbook (zhize
    /// template xlsx), into content/ YAML.
    Import(cmd::import::Args),
    /// Who handles what: search departments, duties, posts, procedures, forms and pages.
    Search(cmd::search::Args),
    /// Serve the site for preview: rebuilt as you edit, pages reload by themselves, search at
    /// /api/search?q=….
    Serve(cmd::serve::Args),
    /// Create a new site in DIR that builds at once.
    Init(cmd::init::Args),
    /// Add an organisation or a department from a commented template.
    New(cmd::new::Args),
    /// Show, then mend, full-width punctuation where YAML needs ASCII (：, U+3000, 【】).
    Fix(cmd::fix::Args),
    /// Write an empty duty-list workbook to fill in and import (zhize template xlsx).
    Template(cmd::xlsx::TemplateArgs),
    /// Write the site's content into a duty-list workbook (zhize export xlsx), or its search
    /// documents for OpenSearch and Quickwit (zhize export search).
    Export(cmd::export::Args),
    /// Print the JSON Schema of the content files (keys and their Chinese aliases).
    Schema(cmd::schema::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = cli.lang.or_else(|| {
        std::env::var("ZHIZE_LANG")
            .ok()
            .and_then(|l| zhize::diagnostic::Lang::parse(&l))
    });
    let ui = cmd::Ui {
        fancy: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        lang,
    };
    match cli.command {
        Command::Build(a) => cmd::build::run(a, ui),
        Command::Check(a) => cmd::check::run(a, ui),
        Command::Merge(a) => cmd::merge::run(a, ui),
        Command::Stats(a) => cmd::stats::run(a, ui),
        Command::Import(a) => cmd::import::run(a, ui),
        Command::Search(a) => cmd::search::run(a, ui),
        Command::Serve(a) => cmd::serve::run(a, ui),
        Command::Init(a) => cmd::init::run(a, ui),
        Command::New(a) => cmd::new::run(a, ui),
        Command::Fix(a) => cmd::fix::run(a, ui),
        Command::Schema(a) => cmd::schema::run(a),
        Command::Template(a) => cmd::xlsx::template(a, ui),
        Command::Export(a) => cmd::export::run(a, ui),
    }
}
