//! `citeindex serve`: check the address, then hand over to the server.

use std::time::Duration;

use super::Outcome;
use crate::cli::ServeArgs;
use crate::serve::ServeOptions;

pub fn run(args: &ServeArgs) -> anyhow::Result<Outcome> {
    if !args.addr.ip().is_loopback() {
        if !args.allow_remote {
            anyhow::bail!(
                "{} can be reached from other machines; pass --allow-remote to serve there, \
                 or use 127.0.0.1",
                args.addr
            );
        }
        eprintln!(
            "warning: serving on {}: anyone who can reach this machine can search the index",
            args.addr
        );
        if args.allow_host.is_empty() && args.addr.ip().is_unspecified() {
            eprintln!(
                "note: other machines' requests name this one by an address or host name: \
                 allow each with --allow-host NAME (requests naming others get 403)"
            );
        }
    }
    if !(args.timeout.is_finite() && args.timeout > 0.0 && args.timeout <= 3600.0) {
        anyhow::bail!("--timeout must be between 0 and 3600 seconds");
    }
    crate::serve::run(ServeOptions {
        index_dir: args.location.index.clone(),
        addr: args.addr,
        watch: args.watch.clone(),
        timeout: Duration::from_secs_f64(args.timeout),
        allow_hosts: args.allow_host.clone(),
    })?;
    Ok(Outcome::Success)
}
