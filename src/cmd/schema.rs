//! `zhize schema`: the JSON Schema of the content format, for editors and validators.

use std::process::ExitCode;
use zhize::schema::{self, FileKind};

#[derive(clap::Args)]
pub struct Args {
    /// One kind of file only: org (_org.yaml), dept (a department), part (a department's
    /// sub-folder file) or config (zhize.yaml); by default, any content file.
    #[arg(long)]
    kind: Option<String>,
}

pub fn run(args: Args) -> ExitCode {
    let value = match args.kind.as_deref() {
        None => schema::schema(),
        Some(k) => match FileKind::from_name(k) {
            Some(kind) => schema::schema_of(kind),
            None => {
                eprintln!("error: unknown kind `{k}`\n  hint: use org, dept, part or config");
                return ExitCode::from(2);
            }
        },
    };
    match serde_json::to_string_pretty(&value) {
        Ok(s) => {
            crate::outln!("{s}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
