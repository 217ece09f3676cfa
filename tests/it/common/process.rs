//! The binary in the background, for the tests that kill a run (SIGKILL),
//! race two runs or query during one; and the operating-system facts those
//! tests lean on: whether a process holds the writer lock (read from
//! `/proc/locks`, never by taking the lock ourselves, which would disturb the
//! run) and a size-limited tmpfs, where mounting is allowed.
//!
//! Every wait here polls with a timeout instead of sleeping a fixed time, so
//! a loaded machine makes a test slower, not wrong.

use std::ffi::OsStr;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::{Run, Sandbox};

/// How often a wait looks again.
const POLL: Duration = Duration::from_millis(2);
/// Longer than any run of the test corpora takes on a loaded debug build.
pub(crate) const PATIENCE: Duration = Duration::from_secs(120);

/// A run of the binary that the test has not waited for yet. Dropping it
/// kills the process, so a failing test leaves nothing running.
pub(crate) struct Background {
    child: Option<Child>,
    args: Vec<String>,
    stdout: PathBuf,
    stderr: PathBuf,
    started: Instant,
}

/// How [`Background::kill_after`] ended.
#[derive(Debug)]
pub(crate) enum Ending {
    /// The process was running and got SIGKILL.
    Killed { after: Duration },
    /// The process had already finished by itself.
    Finished(Run),
}

impl Sandbox {
    /// Starts the binary with these arguments; its output goes to files in
    /// the sandbox (a pipe nobody reads could stall it).
    pub(crate) fn spawn<I, S>(&self, args: I) -> Background
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        static SPAWNED: AtomicUsize = AtomicUsize::new(0);
        let n = SPAWNED.fetch_add(1, Ordering::Relaxed);
        let stdout = self.path().join(format!("background-{n}.stdout"));
        let stderr = self.path().join(format!("background-{n}.stderr"));
        let create = |path: &Path| {
            File::create(path).unwrap_or_else(|e| panic!("creating {}: {e}", path.display()))
        };
        let mut cmd: Command = self.command(args);
        cmd.stdin(Stdio::null())
            .stdout(create(&stdout))
            .stderr(create(&stderr));
        let args: Vec<String> = cmd
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        let child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start citeindex {}: {e}", args.join(" ")));
        Background {
            child: Some(child),
            args,
            stdout,
            stderr,
            started: Instant::now(),
        }
    }

    /// `citeindex index [CORPUS] --index <sandbox>/index EXTRA...` in the background.
    pub(crate) fn spawn_index(&self, corpus: Option<&Path>, extra: &[&str]) -> Background {
        self.spawn(self.index_args(corpus, extra))
    }

    /// Whether a process holds the flock on this sandbox's `writer.lock`.
    pub(crate) fn writer_lock_held_by(&self, pid: u32) -> bool {
        flock_held_by(&self.index_dir().join("writer.lock"), pid)
    }
}

impl Background {
    pub(crate) fn pid(&self) -> u32 {
        self.child.as_ref().map_or(0, Child::id)
    }

    /// Time since the process was started.
    pub(crate) fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// Whether the process is still running.
    pub(crate) fn running(&mut self) -> bool {
        match self.child.as_mut().map(Child::try_wait) {
            Some(Ok(None)) => true,
            Some(Ok(Some(_))) | None => false,
            Some(Err(e)) => panic!("cannot check on citeindex {}: {e}", self.args.join(" ")),
        }
    }

    /// Polls until `condition` holds (true) or the process ends (false).
    #[track_caller]
    pub(crate) fn wait_until(&mut self, what: &str, mut condition: impl FnMut() -> bool) -> bool {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if condition() {
                return true;
            }
            if !self.running() {
                // It may have happened just before the end.
                return condition();
            }
            assert!(
                Instant::now() < deadline,
                "still waiting for {what} after {PATIENCE:?}: citeindex {}",
                self.args.join(" ")
            );
            std::thread::sleep(POLL);
        }
    }

    /// Polls until the process holds the index's writer lock; false when it
    /// ended first.
    #[track_caller]
    pub(crate) fn wait_for_writer_lock(&mut self, sandbox: &Sandbox) -> bool {
        let pid = self.pid();
        self.wait_until("the writer lock", || sandbox.writer_lock_held_by(pid))
    }

    /// Sends SIGKILL once `delay` has passed since the start, unless the
    /// process finished before.
    #[track_caller]
    pub(crate) fn kill_after(mut self, delay: Duration) -> Ending {
        let deadline = self.started + delay;
        while Instant::now() < deadline && self.running() {
            std::thread::sleep(POLL.min(deadline.saturating_duration_since(Instant::now())));
        }
        self.kill_now()
    }

    /// Sends SIGKILL now, unless the process finished before.
    #[track_caller]
    pub(crate) fn kill_now(mut self) -> Ending {
        let after = self.elapsed();
        let Some(mut child) = self.child.take() else {
            unreachable!("a Background always has its child until it is consumed")
        };
        // Killing a process that already exited (but was not reaped) is fine.
        let _ = child.kill();
        let status = child
            .wait()
            .unwrap_or_else(|e| panic!("waiting for citeindex {}: {e}", self.args.join(" ")));
        if killed_by_sigkill(status) {
            Ending::Killed { after }
        } else {
            Ending::Finished(self.collect(status))
        }
    }

    /// Waits for the process to end by itself.
    #[track_caller]
    pub(crate) fn finish(mut self) -> Run {
        let deadline = Instant::now() + PATIENCE;
        while self.running() {
            assert!(
                Instant::now() < deadline,
                "citeindex {} still runs after {PATIENCE:?}",
                self.args.join(" ")
            );
            std::thread::sleep(POLL);
        }
        let Some(mut child) = self.child.take() else {
            unreachable!("a Background always has its child until it is consumed")
        };
        let status = child
            .wait()
            .unwrap_or_else(|e| panic!("waiting for citeindex {}: {e}", self.args.join(" ")));
        self.collect(status)
    }

    #[track_caller]
    fn collect(&self, status: ExitStatus) -> Run {
        let read = |path: &Path| {
            String::from_utf8_lossy(
                &std::fs::read(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display())),
            )
            .into_owned()
        };
        let run = Run {
            code: status.code(),
            stdout: read(&self.stdout),
            stderr: read(&self.stderr),
            args: self.args.clone(),
        };
        // As in `run_command`: no run may panic.
        assert!(
            !run.stderr.contains("panicked at"),
            "the binary panicked\n{}",
            run.describe()
        );
        assert!(run.code.is_some(), "killed by a signal\n{}", run.describe());
        run
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn killed_by_sigkill(status: ExitStatus) -> bool {
    use std::os::unix::process::ExitStatusExt;
    status.signal() == Some(9)
}

/// Whether `pid` holds an flock on `path`, from `/proc/locks`
/// (`1: FLOCK  ADVISORY  WRITE 4711 fe:00:1234567 0 EOF`; waiters have `->`).
pub(crate) fn flock_held_by(path: &Path, pid: u32) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(inode) = std::fs::metadata(path).map(|m| m.ino()) else {
        return false;
    };
    let locks = std::fs::read_to_string("/proc/locks").unwrap_or_default();
    locks.lines().any(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        fields.get(1) == Some(&"FLOCK")
            && fields.get(4) == Some(&pid.to_string().as_str())
            && fields
                .get(5)
                .and_then(|dev_ino| dev_ino.rsplit(':').next())
                .and_then(|ino| ino.parse::<u64>().ok())
                == Some(inode)
    })
}

/// A tmpfs mounted for one test and unmounted when dropped. Mounting needs
/// privileges a test machine may not grant: then [`Tmpfs::mount`] says why
/// and the test that wanted it skips itself.
pub(crate) struct Tmpfs {
    dir: PathBuf,
}

impl Tmpfs {
    /// Mounts a tmpfs of `size` (`256k`, `64m`) on `dir`, creating `dir`.
    pub(crate) fn mount(dir: &Path, size: &str) -> Result<Tmpfs, String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
        let output = Command::new("mount")
            .args(["-t", "tmpfs", "-o"])
            .arg(format!("size={size}"))
            .arg("tmpfs")
            .arg(dir)
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if !output.status.success() {
            return Err(format!(
                "mount failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        Ok(Tmpfs {
            dir: dir.to_path_buf(),
        })
    }

    /// Mounts a tmpfs or fails the test: these tests run as root on the
    /// project's machines (CI too), where mounting works, and a test that
    /// quietly skipped itself would claim a check it never made.
    #[track_caller]
    pub(crate) fn mount_or_skip(dir: &Path, size: &str, test: &str) -> Option<Tmpfs> {
        match Tmpfs::mount(dir, size) {
            Ok(tmpfs) => Some(tmpfs),
            Err(why) => {
                panic!("{test}: a tmpfs cannot be mounted here ({why}); run the tests as root")
            }
        }
    }

    /// `mount -o remount,OPTIONS` (`ro`, `size=64m`).
    #[track_caller]
    pub(crate) fn remount(&self, options: &str) {
        let status = Command::new("mount")
            .arg("-o")
            .arg(format!("remount,{options}"))
            .arg(&self.dir)
            .status()
            .unwrap_or_else(|e| panic!("cannot run mount: {e}"));
        assert!(
            status.success(),
            "remounting {} with {options} failed",
            self.dir.display()
        );
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let unmounted = Command::new("umount")
            .arg(&self.dir)
            .status()
            .is_ok_and(|s| s.success());
        if !unmounted {
            // Something still has a file open: detach it now, free it later.
            let _ = Command::new("umount").arg("-l").arg(&self.dir).status();
        }
    }
}
