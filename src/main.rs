//! The `citeindex` binary: parse arguments, run the command, report an error
//! with its causes, exit with the command's code.

use std::process::ExitCode;

use clap::Parser;

use citeindex::cli::Cli;
use citeindex::cmd::{self, Outcome};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cmd::run(cli) {
        Ok(outcome) => ExitCode::from(outcome as u8),
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(Outcome::Error as u8)
        }
    }
}

/// `citeindex query … | head` closing the pipe early is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
