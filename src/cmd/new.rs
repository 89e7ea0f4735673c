//! `zhize new org|dept NAME`: a new organisation or department from a commented template in
//! Chinese keys, which loads as it is and is filled in by uncommenting examples.

use super::Ui;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(clap::Subcommand)]
enum What {
    /// A new organisation: content/<id>/_org.yaml.
    Org {
        /// Its name, e.g. 某某县人力资源和社会保障局.
        name: String,
        /// Its folder (default: the name's pinyin).
        #[arg(long)]
        id: Option<String>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// A new department: content/<org>/<id>.yaml.
    Dept {
        /// Its name, e.g. 财务科.
        name: String,
        /// The organisation's folder (needed when the site has more than one).
        #[arg(long)]
        org: Option<String>,
        /// Its file name without .yaml (default: the name's pinyin).
        #[arg(long)]
        id: Option<String>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

pub fn run(args: Args, ui: Ui) -> ExitCode {
    let made = match &args.what {
        What::Org { name, id, root } => zhize::init::new_org(root, name, id.as_deref()),
        What::Dept {
            name,
            org,
            id,
            root,
        } => zhize::init::new_dept(root, name, org.as_deref(), id.as_deref()),
    };
    match made {
        Ok(c) => {
            crate::outln!("created {}", c.path.display());
            crate::outln!("fill it in (lines starting with # are examples), then run: zhize check");
            ExitCode::SUCCESS
        }
        Err(d) => {
            eprintln!("{}", d.render(ui.fancy, ui.lang()));
            ExitCode::FAILURE
        }
    }
}
