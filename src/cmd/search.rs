//! `zhize search`: who handles what, from the site's tantivy index (built when missing or
//! stale).

use super::{print_diagnostics, Ui};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Print hits as JSON (kind, title, url, org, department, snippet, score).
    #[arg(long)]
    json: bool,
    /// Most hits to show.
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Also print how the question was read: the organisations it names and, per term, the
    /// words that may match it (the thesaurus's official terms with their weight).
    #[arg(long)]
    explain: bool,
    /// What to look for, e.g. 谁负责印章 or yinzhang.
    #[arg(required = true)]
    query: Vec<String>,
}

pub fn run(args: Args, ui: Ui) -> ExitCode {
    let query = args.query.join(" ");
    let root = &args.root;
    let opened = zhize::search_docs::open_fresh(root, || {
        let site = zhize::resolve_site(root);
        if site.diagnostics.has_errors() {
            print_diagnostics(&site.diagnostics, ui);
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
    if args.explain {
        explain(&analyzer.query(&query));
    }
    let hits = match searcher.search(&analyzer, &query, args.limit.min(1000)) {
        Ok(h) => h,
        Err(e) => {
            eprintln!("error: search failed: {e}");
            return ExitCode::FAILURE;
        }
    };
    if args.json {
        match serde_json::to_string_pretty(&hits) {
            Ok(s) => crate::outln!("{s}"),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else if hits.is_empty() {
        crate::outln!("没有找到“{query}”。试试更短的词，或换一个说法。");
    } else {
        let bold = std::io::stdout().is_terminal();
        for h in &hits {
            let kind = zhize::search::Kind::from_name(h.kind).map_or(h.kind, |k| k.label());
            let who = if h.department.is_empty() {
                h.org.clone()
            } else {
                format!("{} · {}", h.org, h.department)
            };
            // Titles and snippets come from content: no control characters through.
            let safe = zhize::escape::terminal_safe;
            crate::outln!("[{kind}] {}  —  {}", safe(&h.title), safe(&who));
            crate::outln!("    {}", highlight(&h.snippet, &h.marks, bold));
            crate::outln!("    {}", safe(&h.url));
        }
    }
    ExitCode::SUCCESS
}

/// How a question was read, one line per term: `词 | 正式用语 ×0.7 | …`.
fn explain(q: &zhize::search::analyzer::Query) {
    let safe = zhize::escape::terminal_safe;
    if !q.orgs.is_empty() {
        crate::outln!("单位: {}", safe(&q.orgs.join("、")));
    }
    for term in &q.terms {
        let alts: Vec<String> = term
            .iter()
            .map(|a| {
                let words = a.tokens.join("+");
                if a.weight < 1.0 {
                    format!("{words} ×{}", a.weight)
                } else {
                    words
                }
            })
            .collect();
        crate::outln!("词: {}", safe(&alts.join(" | ")));
    }
    crate::outln!("");
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
        // The snippet comes from content: its control characters are shown, not obeyed.
        out.push_str(&zhize::escape::terminal_safe(c.encode_utf8(&mut [0; 4])));
        if marks.iter().any(|m| m.1 == i + 1) {
            out.push_str(close);
        }
    }
    out
}
