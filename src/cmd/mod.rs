//! One module per subcommand: each turns parsed arguments into calls on the
//! library and decides the exit code. Errors travel up to `main` as `anyhow`
//! errors with their context; only `main` prints them.

pub mod check;
pub mod docs;
pub mod export;
pub mod index;
pub mod papers;
pub mod parse;
mod progress;
pub mod query;
pub mod serve;
pub mod stats;
pub mod sync;

use std::io::IsTerminal;

use crate::cli::{Cli, ColorChoice, Command};

/// How a run ended, as the process reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Results found, or the work done.
    Success = 0,
    /// A query that matched nothing.
    NoResults = 1,
    /// Bad input, a bad query, or a failure.
    Error = 2,
}

pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Index(args) => index::run(&args),
        Command::Query(args) => query::run(&args),
        Command::Papers(args) => papers::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Stats(args) => stats::run(&args),
        Command::Export(args) => export::run(&args),
        Command::Sync(args) => sync::run(&args),
        Command::QuickwitQuery(args) => sync::quickwit_query(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Completions(args) => docs::completions(&args),
        Command::Man(args) => docs::man(&args),
        Command::Parse(args) => parse::run(&args),
    }
}

/// Whether to colour stdout: `--color`, then `NO_COLOR`, then whether stdout is a terminal.
pub fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}
