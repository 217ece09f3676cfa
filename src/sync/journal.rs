//! What a Quickwit index holds of the corpus, as far as `sync` knows it: an
//! append-only journal in the index folder, one line per fact, flushed to
//! disk before the step it describes is taken or after it is done.
//!
//! ```text
//! citeindex-sync 1 "statements" "statements:01M8T78TWB568RS4JBV5KKSV7C"
//! ? "a/paper.txt"                 about to be sent: Quickwit may hold any part of it
//! + 3f2a… 12 "a/paper.txt"        all 12 statements of this version are in Quickwit
//! - "a/paper.txt"                 its statements are deleted from Quickwit
//! ```
//!
//! A sync killed at any point leaves a journal whose last word on each file
//! is true or on the safe side (`?`), so the next sync converges: a file in
//! doubt is deleted from Quickwit and sent again. Paths are JSON strings, so
//! any file name fits on one line.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// What Quickwit holds of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Held {
    /// Every statement of the version with this fingerprint.
    Synced { fingerprint: String, documents: u64 },
    /// Some, all or none of its statements, of some version.
    InDoubt,
}

pub(crate) struct Journal {
    path: PathBuf,
    out: BufWriter<File>,
    /// Lines written since the journal was last rewritten from its state.
    lines: u64,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum JournalError {
    #[error("cannot write the sync journal {0}: {1}")]
    Write(PathBuf, std::io::Error),
    #[error("cannot read the sync journal {0}: {1}")]
    Read(PathBuf, std::io::Error),
    #[error("the sync journal {0} is damaged at line {1}; remove it, delete the Quickwit index and sync again")]
    Damaged(PathBuf, usize),
}

/// The journal's file for one Quickwit index.
pub(crate) fn journal_path(index_dir: &Path, index_id: &str) -> PathBuf {
    index_dir.join(format!("quickwit-sync-{index_id}.journal"))
}

/// The target line a journal was written for, and what it says each file holds.
pub(crate) type Recorded = (String, BTreeMap<String, Held>);

/// Reads a journal: the target it was written for and what it says each file
/// holds. `None` when there is none.
pub(crate) fn read(path: &Path) -> Result<Option<Recorded>, JournalError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(JournalError::Read(path.to_path_buf(), e)),
    };
    let damaged = |n| JournalError::Damaged(path.to_path_buf(), n);
    let mut held = BTreeMap::new();
    let mut target = None;
    // A line cut short by a crash mid-write was never acted on (each line
    // reaches the disk before its step is taken): it is left out.
    let whole = text.rfind('\n').map_or("", |end| &text[..end]);
    for (n, line) in whole.lines().enumerate() {
        if n == 0 {
            target = Some(
                line.strip_prefix("citeindex-sync 1 ")
                    .ok_or(damaged(1))?
                    .to_string(),
            );
            continue;
        }
        let (mark, rest) = line.split_once(' ').ok_or(damaged(n + 1))?;
        match mark {
            "?" => {
                held.insert(json_path(rest).ok_or(damaged(n + 1))?, Held::InDoubt);
            }
            "-" => {
                held.remove(&json_path(rest).ok_or(damaged(n + 1))?);
            }
            "+" => {
                let mut parts = rest.splitn(3, ' ');
                let (Some(fingerprint), Some(documents), Some(file)) =
                    (parts.next(), parts.next(), parts.next())
                else {
                    return Err(damaged(n + 1));
                };
                let documents = documents.parse().map_err(|_| damaged(n + 1))?;
                let file = json_path(file).ok_or(damaged(n + 1))?;
                held.insert(
                    file,
                    Held::Synced {
                        fingerprint: fingerprint.to_string(),
                        documents,
                    },
                );
            }
            _ => return Err(damaged(n + 1)),
        }
    }
    Ok(target.map(|t| (t, held)))
}

fn json_path(text: &str) -> Option<String> {
    serde_json::from_str(text).ok()
}

/// The header line naming the Quickwit index a journal is about: its id
/// and its uid, which tells one incarnation of the index from the next.
pub(crate) fn target_line(index_id: &str, index_uid: &str) -> String {
    two_strings(index_id, index_uid)
}

/// The header line of journals written before the uid was recorded: the
/// node's address and the index id.
pub(crate) fn address_line(url: &str, index_id: &str) -> String {
    two_strings(url, index_id)
}

/// `"a" "b"`, each a JSON string, so that any text fits on the line.
fn two_strings(a: &str, b: &str) -> String {
    format!(
        "{} {}",
        serde_json::Value::from(a),
        serde_json::Value::from(b)
    )
}

impl Journal {
    /// Starts the journal afresh from `held` (a compacted copy of what it
    /// said), written beside it and renamed over it.
    pub(crate) fn rewrite(
        path: &Path,
        target: &str,
        held: &BTreeMap<String, Held>,
    ) -> Result<Journal, JournalError> {
        let err = |e| JournalError::Write(path.to_path_buf(), e);
        let fresh = path.with_extension("journal.tmp");
        {
            let mut out = BufWriter::new(File::create(&fresh).map_err(err)?);
            writeln!(out, "citeindex-sync 1 {target}").map_err(err)?;
            for (file, state) in held {
                writeln!(out, "{}", line(file, state)).map_err(err)?;
            }
            let file = out.into_inner().map_err(|e| err(e.into_error()))?;
            file.sync_all().map_err(err)?;
        }
        std::fs::rename(&fresh, path).map_err(err)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::index::store::sync_folder(dir).map_err(err)?;
        }
        let out = OpenOptions::new().append(true).open(path).map_err(err)?;
        Ok(Journal {
            path: path.to_path_buf(),
            out: BufWriter::new(out),
            lines: 0,
        })
    }

    /// Records that `file` now holds `state` (or nothing, for `None`); kept
    /// in the buffer until [`Journal::flush`].
    pub(crate) fn note(&mut self, file: &str, state: Option<&Held>) -> Result<(), JournalError> {
        let text = match state {
            Some(state) => line(file, state),
            None => format!("- {}", serde_json::Value::from(file)),
        };
        self.lines += 1;
        writeln!(self.out, "{text}").map_err(|e| JournalError::Write(self.path.clone(), e))
    }

    /// Writes what was noted through to the disk.
    pub(crate) fn flush(&mut self) -> Result<(), JournalError> {
        let err = |e| JournalError::Write(self.path.clone(), e);
        self.out.flush().map_err(err)?;
        self.out.get_ref().sync_data().map_err(err)
    }

    pub(crate) fn lines_written(&self) -> u64 {
        self.lines
    }
}

fn line(file: &str, state: &Held) -> String {
    let file = serde_json::Value::from(file);
    match state {
        Held::InDoubt => format!("? {file}"),
        Held::Synced {
            fingerprint,
            documents,
        } => format!("+ {fingerprint} {documents} {file}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_word_on_each_file_wins_and_odd_names_survive() {
        let dir = tempfile::tempdir().unwrap();
        let path = journal_path(dir.path(), "s");
        let target = target_line("s", "s:01M8T78TWB568RS4JBV5KKSV7C");
        let mut journal = Journal::rewrite(&path, &target, &BTreeMap::new()).unwrap();
        let odd = "a \"quoted\" name\nwith a newline.txt";
        let synced = Held::Synced {
            fingerprint: "ab".into(),
            documents: 3,
        };
        journal.note("a.txt", Some(&Held::InDoubt)).unwrap();
        journal.note(odd, Some(&Held::InDoubt)).unwrap();
        journal.note("a.txt", Some(&synced)).unwrap();
        journal.note("gone.txt", Some(&synced)).unwrap();
        journal.note("gone.txt", None).unwrap();
        journal.flush().unwrap();

        let (read_target, held) = read(&path).unwrap().unwrap();
        assert_eq!(read_target, target);
        assert_eq!(held.len(), 2);
        assert_eq!(held["a.txt"], synced);
        assert_eq!(held[odd], Held::InDoubt);

        // Rewritten, it says the same in fewer lines.
        Journal::rewrite(&path, &target, &held).unwrap();
        assert_eq!(read(&path).unwrap().unwrap().1, held);
        assert_eq!(std::fs::read_to_string(&path).unwrap().lines().count(), 3);
    }

    #[test]
    fn a_damaged_line_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j");
        std::fs::write(
            &path,
            "citeindex-sync 1 \"u\" \"i\"\n+ ab notanumber \"a\"\n",
        )
        .unwrap();
        let e = read(&path).unwrap_err().to_string();
        assert!(e.contains("line 2"), "{e}");
        assert!(read(&dir.path().join("none")).unwrap().is_none());

        // A last line without its newline was cut short and never acted on.
        std::fs::write(&path, "citeindex-sync 1 \"u\" \"i\"\n? \"a\"\n+ ab 3 \"a").unwrap();
        assert_eq!(read(&path).unwrap().unwrap().1["a"], Held::InDoubt);
    }
}
