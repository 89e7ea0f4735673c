//! `zhize serve`: the site served from memory for preview, with search at /api/search.

use super::{fail, Ui};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
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
}

pub fn run(args: Args, ui: Ui) -> ExitCode {
    let ui = ui.for_site(&args.root);
    let opts = zhize::serve::Options {
        root: args.root,
        bind: args.bind,
        port: args.port,
        watch: !args.no_watch,
    };
    let ready = |addr: std::net::SocketAddr| {
        crate::outln!(
            "serving {} at http://{addr}/ (Ctrl-C stops)",
            opts.root.display()
        );
        if !addr.ip().is_loopback() {
            eprintln!("note: listening on {addr}: other machines can reach this site");
        }
    };
    match zhize::serve::run(&opts, ready) {
        Ok(()) => ExitCode::SUCCESS,
        Err(d) => fail(&d, ui, ("cannot serve", "无法启动预览服务")),
    }
}
