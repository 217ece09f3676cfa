//! What happens to one file the comparison with the manifest queued (new, or
//! changed in size or time): decided here without touching the index, and
//! carried out by the writer.
//!
//! The rules, in order: a name that is no saved page's is recorded as
//! skipped without being opened; a file that cannot be read now is dropped
//! and not recorded, so that the next run tries it again; a file whose bytes
//! hash as recorded only gets its record's size and time refreshed (unless
//! the parser changed); otherwise it is parsed, and is either a page, whose
//! documents replace the old ones, or junk, recorded as skipped.

use crate::crawl::FoundFile;
use crate::page::{self, Page};

use super::documents::FileRecord;

/// What the index holds for the file from an earlier run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Prior {
    /// The file was junk then.
    pub skipped: bool,
    /// Its recorded content hash, if any.
    pub fingerprint: Option<String>,
}

/// What to do with the file.
#[derive(Debug)]
pub(super) enum Verdict {
    /// Not a page: recorded as skipped, so that it is not read again until
    /// it changes. `report` is false for a file that was junk before too
    /// (the user heard about it then).
    Skip { reason: String, report: bool },
    /// Unreadable now (permission, vanished, too large): reported, its old
    /// documents dropped, nothing recorded.
    Drop { reason: String },
    /// The same bytes as recorded: only the record's size and time change.
    Refresh,
    /// A report page: its documents replace the file's old ones.
    Index(Box<Page>),
}

/// Which summary count a file adds to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SummaryCount {
    Added,
    Changed,
    Unchanged,
    Skipped,
}

impl Verdict {
    /// The summary count this verdict adds to, given what was there before.
    pub(super) fn tally(&self, prior: Option<&Prior>) -> SummaryCount {
        let was_page = prior.is_some_and(|p| !p.skipped);
        match self {
            Verdict::Skip { .. } | Verdict::Drop { .. } => SummaryCount::Skipped,
            Verdict::Refresh if was_page => SummaryCount::Unchanged,
            Verdict::Refresh => SummaryCount::Skipped,
            Verdict::Index(_) if was_page => SummaryCount::Changed,
            Verdict::Index(_) => SummaryCount::Added,
        }
    }
}

/// Decides what happens to `file`. `read` gives its bytes (or why it cannot
/// be read, worded for the user) and is called at most once. `reread`: the
/// index was filled by another parser, so equal bytes are no reason to trust
/// the old documents. The record is what the index is to store for the file.
pub(super) fn triage(
    file: &FoundFile,
    prior: Option<&Prior>,
    reread: bool,
    read: impl FnOnce() -> Result<Vec<u8>, String>,
) -> (Verdict, FileRecord) {
    let mut record = FileRecord {
        path: file.stored.clone(),
        size: file.size,
        mtime_ns: file.mtime_ns,
        fingerprint: String::new(),
    };
    let report = !prior.is_some_and(|p| p.skipped);
    if let Some(reason) = file.name_skip_reason() {
        return (Verdict::Skip { reason, report }, record);
    }
    let bytes = match read() {
        Ok(bytes) => bytes,
        Err(reason) => return (Verdict::Drop { reason }, record),
    };
    record.fingerprint = blake3::hash(&bytes).to_hex().to_string();
    let same = prior.is_some_and(|p| p.fingerprint.as_deref() == Some(&record.fingerprint));
    if same && !reread {
        return (Verdict::Refresh, record);
    }
    let verdict = match page::parse_bytes(&file.path, &bytes) {
        Ok(page) => Verdict::Index(Box::new(page)),
        Err(not_a_page) => Verdict::Skip {
            reason: not_a_page.to_string(),
            report,
        },
    };
    (verdict, record)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    const PAGE: &str =
        "2020\nDOI: 10.5555/TRIAGE.2020.7\n\nNight Shifts and the Timing of Sleep Spindles\n\n\
        Cited by 12 publications\n(1 citation statements)\n\
        “…Spindles moved later after night shifts (Abara et al., 2019).…”\n\
        Section: Resultssupporting\nconfidence: 91%\n";

    fn file(name: &str) -> FoundFile {
        FoundFile {
            path: PathBuf::from(name),
            stored: name.to_string(),
            size: 10,
            mtime_ns: 20,
            page_name: crate::crawl::has_page_extension(std::path::Path::new(name)),
        }
    }

    fn bytes(text: &str) -> impl FnOnce() -> Result<Vec<u8>, String> + '_ {
        move || Ok(text.as_bytes().to_vec())
    }

    fn hash(text: &str) -> Option<String> {
        Some(blake3::hash(text.as_bytes()).to_hex().to_string())
    }

    fn prior(skipped: bool, text: &str) -> Prior {
        Prior {
            skipped,
            fingerprint: hash(text),
        }
    }

    #[test]
    fn a_name_that_is_no_page_is_recorded_unread() {
        let (verdict, record) = triage(&file("notes.docx"), None, false, || {
            panic!("a .docx is not opened")
        });
        assert!(
            matches!(&verdict, Verdict::Skip { reason, report: true } if reason.contains(".docx"))
        );
        assert_eq!(record.fingerprint, "");
        assert_eq!(
            (record.path.as_str(), record.size, record.mtime_ns),
            ("notes.docx", 10, 20)
        );
    }

    #[test]
    fn an_unreadable_file_is_dropped_not_recorded() {
        let was = prior(false, PAGE);
        let (verdict, _) = triage(&file("a.txt"), Some(&was), false, || {
            Err("permission denied".to_string())
        });
        assert!(matches!(&verdict, Verdict::Drop { reason } if reason == "permission denied"));
        assert_eq!(verdict.tally(Some(&was)), SummaryCount::Skipped);
    }

    #[test]
    fn the_same_bytes_only_refresh_the_record_unless_the_parser_changed() {
        let was = prior(false, PAGE);
        let (verdict, record) = triage(&file("a.txt"), Some(&was), false, bytes(PAGE));
        assert!(matches!(verdict, Verdict::Refresh));
        assert_eq!(Some(record.fingerprint), hash(PAGE));
        assert_eq!(verdict.tally(Some(&was)), SummaryCount::Unchanged);

        let (verdict, _) = triage(&file("a.txt"), Some(&was), true, bytes(PAGE));
        assert!(matches!(verdict, Verdict::Index(_)));
        assert_eq!(verdict.tally(Some(&was)), SummaryCount::Changed);
    }

    #[test]
    fn junk_touched_but_unchanged_stays_skipped() {
        let was = prior(true, "junk");
        let (verdict, _) = triage(&file("a.txt"), Some(&was), false, bytes("junk"));
        assert!(matches!(verdict, Verdict::Refresh));
        assert_eq!(verdict.tally(Some(&was)), SummaryCount::Skipped);
    }

    #[test]
    fn junk_is_reported_once() {
        let (verdict, _) = triage(&file("a.txt"), None, false, bytes("a shopping list"));
        assert!(matches!(verdict, Verdict::Skip { report: true, .. }));

        let was = prior(true, "an older shopping list");
        let (verdict, _) = triage(&file("a.txt"), Some(&was), false, bytes("a shopping list"));
        assert!(matches!(verdict, Verdict::Skip { report: false, .. }));
        assert_eq!(verdict.tally(Some(&was)), SummaryCount::Skipped);

        let was = prior(false, PAGE);
        let (verdict, _) = triage(&file("a.txt"), Some(&was), false, bytes("a shopping list"));
        assert!(matches!(verdict, Verdict::Skip { report: true, .. }));
    }

    #[test]
    fn a_page_is_parsed_and_counted_by_what_was_there() {
        let (verdict, _) = triage(&file("a.txt"), None, false, bytes(PAGE));
        let Verdict::Index(page) = &verdict else {
            panic!("not indexed: {verdict:?}");
        };
        assert_eq!(page.doi.as_deref(), Some("10.5555/triage.2020.7"));
        assert_eq!(page.statements.len(), 1);
        assert_eq!(verdict.tally(None), SummaryCount::Added);
        // Junk before, a page now: new to the index's pages.
        assert_eq!(
            verdict.tally(Some(&prior(true, "junk"))),
            SummaryCount::Added
        );
        assert_eq!(
            verdict.tally(Some(&prior(false, "older"))),
            SummaryCount::Changed
        );
    }
}
