//! The `citeindex` binary: parse arguments, run the command, report an error
//! with its causes, exit with the command's code.

use std::process::ExitCode;
use std::sync::Mutex;

use clap::Parser;

use citeindex::cli::{Cli, Command};
use citeindex::cmd::{self, Outcome};
use citeindex::heap::Heap;

/// The system's allocator, switched to mimalloc for a build (see `heap`).
#[global_allocator]
static HEAP: Heap = Heap::new();

/// Where a panic's message waits to be reported as an error.
static PANIC: Mutex<Option<String>> = Mutex::new(None);

fn main() -> ExitCode {
    let cli = Cli::parse();
    if matches!(cli.command, Command::Index(_)) {
        HEAP.use_mimalloc();
    }
    // A panic (tantivy's, on a damaged index file) becomes an error message and
    // exit code 2, not a backtrace: recorded by the hook, reported below.
    std::panic::set_hook(Box::new(|info| {
        if let Ok(mut slot) = PANIC.lock() {
            let payload = info.payload();
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let place = info.location().map(|l| l.to_string()).unwrap_or_default();
            slot.get_or_insert_with(|| format!("{message} ({place})"));
        }
    }));
    match std::panic::catch_unwind(|| cmd::run(cli)) {
        Ok(Ok(outcome)) => ExitCode::from(outcome as u8),
        Ok(Err(err)) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Ok(Err(err)) => {
            eprintln!("error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(Outcome::Error as u8)
        }
        Err(_) => {
            let what = PANIC
                .lock()
                .ok()
                .and_then(|mut p| p.take())
                .unwrap_or_default();
            eprintln!("error: citeindex stopped on an internal failure: {what}");
            eprintln!("  if it happened reading the index, a file of it may be damaged: 'citeindex index --full' rebuilds it");
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
