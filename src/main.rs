//! The `zhize` command line: argument parsing and exit codes only; the work is in the library.

use clap::{Parser, Subcommand};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use zhize::diagnostic::Diagnostics;

#[derive(Parser)]
#[command(
    name = "zhize",
    version,
    about = "Turn duty lists (职责清单) into a searchable static site"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (public/ by default).
    Build {
        /// Site folder (the one holding content/ and zhize.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder; replaced atomically. Defaults to <root>/public.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Load and resolve everything, write nothing; exit 1 on errors.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Count organisations, departments, duties, posts, procedures and more.
    Stats {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Print JSON with English snake_case keys.
        #[arg(long)]
        json: bool,
    },
    /// Import Word (.docx) or text documents into content/ YAML.
    Import {
        /// Documents to import (.txt in UTF-8, GBK or UTF-16; .docx).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Content folder to write into.
        #[arg(long)]
        output: PathBuf,
        /// Folder id of the organisation (ASCII), or its name when the document lacks one;
        /// default folder: pinyin of the name.
        #[arg(long)]
        org: Option<String>,
        /// Show what would be written, and the report; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Overwrite files that already exist.
        #[arg(long)]
        force: bool,
    },
    /// Who handles what: search departments, duties, posts, procedures, forms and pages.
    Search {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Print hits as JSON (kind, title, url, org, department, snippet, score).
        #[arg(long)]
        json: bool,
        /// Most hits to show.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// What to look for, e.g. 谁负责印章 or yinzhang.
        #[arg(required = true)]
        query: Vec<String>,
    },
    /// Serve the site for preview: rebuilt as you edit, pages reload by themselves, search at
    /// /api/search?q=….
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port to listen on (0: any free port).
        #[arg(long, default_value_t = zhize::serve::DEFAULT_PORT)]
        port: u16,
        /// Address to listen on. The default serves this machine only; 0.0.0.0 opens the
        /// site (and its search) to the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Serve what is there now; do not watch for changes.
        #[arg(long)]
        no_watch: bool,
    },
    /// Create a new site in DIR that builds at once.
    Init {
        /// Folder to create the site in (created if missing; must not hold a site).
        dir: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let fancy = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    match cli.command {
        Command::Build { root, output } => {
            let output = output.unwrap_or_else(|| root.join("public"));
            let bar = progress_bar(fancy);
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
            let result = zhize::build(&root, &output, &tick);
            if let Some(b) = &bar {
                b.finish_and_clear();
            }
            match result {
                Ok(report) => {
                    print_diagnostics(&report.diagnostics, fancy);
                    println!(
                        "built {} pages ({} files) into {} in {:.2?}{}",
                        report.pages,
                        report.files,
                        output.display(),
                        report.elapsed,
                        warnings_suffix(&report.diagnostics)
                    );
                    ExitCode::SUCCESS
                }
                Err(diags) => fail(
                    &diags,
                    fancy,
                    "build failed; the previous output was left as it was",
                ),
            }
        }
        Command::Check { root } => {
            let site = zhize::resolve_site(&root);
            if site.diagnostics.has_errors() {
                return fail(&site.diagnostics, fancy, "check failed");
            }
            // Every page is rendered and dropped: the link check keeps what it needs.
            #[allow(clippy::result_large_err)] // the sink never fails
            let render = zhize::render_with(&site, &|| {}, &|_| Ok(()));
            let diags = match render {
                Ok((_, d)) => d,
                Err(d) => return fail(&d, fancy, "check failed"),
            };
            let mut all = site.diagnostics.clone();
            all.extend(diags.0);
            all.sort();
            print_diagnostics(&all, fancy);
            println!(
                "ok: {} organisations, {} pages{}",
                site.orgs.len(),
                zhize::page_count(&site),
                warnings_suffix(&all)
            );
            ExitCode::SUCCESS
        }
        Command::Stats { root, json } => {
            let loaded = zhize::load::load_site(&root);
            if loaded.diagnostics.has_errors() {
                return fail(
                    &loaded.diagnostics,
                    fancy,
                    "cannot count a site that does not load",
                );
            }
            let stats = zhize::stats::count(&loaded);
            if json {
                match serde_json::to_string_pretty(&stats) {
                    Ok(s) => println!("{s}"),
                    Err(e) => {
                        eprintln!("error: {e}");
                        return ExitCode::FAILURE;
                    }
                }
            } else {
                for (_, label, n) in stats.rows() {
                    println!("{label:<12}{n:>8}");
                }
            }
            ExitCode::SUCCESS
        }
        Command::Import {
            files,
            output,
            org,
            dry_run,
            force,
        } => {
            let opts = zhize::import::ImportOptions {
                output: output.clone(),
                org,
                dry_run,
                force,
            };
            match zhize::import::import(&files, &opts) {
                Ok(reports) => {
                    for r in &reports {
                        print!("{}", r.render());
                        for (rel, _) in &r.files {
                            let verb = if dry_run { "would write" } else { "wrote" };
                            println!("{verb} {}", output.join(rel).display());
                        }
                    }
                    ExitCode::SUCCESS
                }
                Err(d) => fail(&d, fancy, "import failed; nothing was overwritten"),
            }
        }
        Command::Search {
            root,
            json,
            limit,
            query,
        } => {
            let query = query.join(" ");
            let opened = zhize::search::open_fresh(&root, || {
                let site = zhize::resolve_site(&root);
                if site.diagnostics.has_errors() {
                    print_diagnostics(&site.diagnostics, fancy);
                    return Err("the site has errors; fix them to search it".to_string());
                }
                Ok(site)
            });
            let (searcher, analyzer) = match opened {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let hits = match searcher.search(&analyzer, &query, limit.min(1000)) {
                Ok(h) => h,
                Err(e) => {
                    eprintln!("error: search failed: {e}");
                    return ExitCode::FAILURE;
                }
            };
            if json {
                match serde_json::to_string_pretty(&hits) {
                    Ok(s) => println!("{s}"),
                    Err(e) => {
                        eprintln!("error: {e}");
                        return ExitCode::FAILURE;
                    }
                }
            } else if hits.is_empty() {
                println!("没有找到“{query}”。试试更短的词，或换一个说法。");
            } else {
                let bold = std::io::stdout().is_terminal();
                for h in &hits {
                    let kind = zhize::search::Kind::from_name(h.kind).map_or(h.kind, |k| k.label());
                    let who = if h.department.is_empty() {
                        h.org.clone()
                    } else {
                        format!("{} · {}", h.org, h.department)
                    };
                    println!("[{kind}] {}  —  {who}", h.title);
                    println!("    {}", highlight(&h.snippet, &h.marks, bold));
                    println!("    {}", h.url);
                }
            }
            ExitCode::SUCCESS
        }
        Command::Serve {
            root,
            port,
            bind,
            no_watch,
        } => {
            let opts = zhize::serve::Options {
                root,
                bind,
                port,
                watch: !no_watch,
            };
            let ready = |addr: std::net::SocketAddr| {
                println!(
                    "serving {} at http://{addr}/ (Ctrl-C stops)",
                    opts.root.display()
                );
                if !addr.ip().is_loopback() {
                    eprintln!("note: listening on {addr}: other machines can reach this site");
                }
            };
            match zhize::serve::run(&opts, ready) {
                Ok(()) => ExitCode::SUCCESS,
                Err(d) => fail(&d, fancy, "cannot serve"),
            }
        }
        Command::Init { dir } => match zhize::init::init_site(&dir) {
            Ok(files) => {
                for f in files {
                    println!("created {}", dir.join(f).display());
                }
                println!("now run: zhize build --root {}", dir.display());
                ExitCode::SUCCESS
            }
            Err(d) => {
                eprintln!("{}", d.render(fancy));
                ExitCode::FAILURE
            }
        },
    }
}

/// The snippet with its matches in bold on a terminal, in 【】 otherwise.
fn highlight(snippet: &str, marks: &[(usize, usize)], bold: bool) -> String {
    let (open, close) = if bold {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("【", "】")
    };
    let mut out = String::new();
    for (i, c) in snippet.chars().enumerate() {
        if marks.iter().any(|m| m.0 == i) {
            out.push_str(open);
        }
        out.push(c);
        if marks.iter().any(|m| m.1 == i + 1) {
            out.push_str(close);
        }
    }
    out
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

fn warnings_suffix(d: &Diagnostics) -> String {
    match d.warning_count() {
        0 => String::new(),
        1 => ", 1 warning".to_string(),
        n => format!(", {n} warnings"),
    }
}

fn print_diagnostics(d: &Diagnostics, fancy: bool) {
    for diag in d.iter() {
        eprintln!("{}", diag.render(fancy));
    }
}

fn fail(d: &Diagnostics, fancy: bool, what: &str) -> ExitCode {
    print_diagnostics(d, fancy);
    eprintln!(
        "{what}: {} error{}{}",
        d.error_count(),
        if d.error_count() == 1 { "" } else { "s" },
        warnings_suffix(d)
    );
    ExitCode::FAILURE
}
