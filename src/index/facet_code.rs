//! A statement's facet values (section bucket, citation type, paper year)
//! packed into one number, the `facet_code` column.
//!
//! A facet count reads every match's values. From three columns that page
//! and skipped-file documents leave empty, each read first looked the
//! document's row up in the column's index of present values: that lookup
//! was half of a facet count at 1,000,000 pages (docs/benchmarks-history.md, "Issue 19,
//! fourth pass"). Every document carries this one column, pages and skipped
//! files with [`NONE`], so the column is dense and a document's row is its
//! id: one read a match, and one table slot for its section and type.
//!
//! The layout, low bits first: 4 bits of citation type, 4 of section bucket
//! (each 0 for none, else its place in `CitationType::ALL` or
//! `SectionBucket::ALL` plus one), then the year (0 for none). The codes are
//! written to the index, so those lists' order is part of the index format: a
//! bucket or type added at the end keeps old codes' meaning; one reordered or
//! removed needs `index::FORMAT_VERSION` bumped, so that indexes are rebuilt.
//! Each list has room for 15.

use crate::page::{CitationType, SectionBucket};

/// The code of a document with no facet values.
pub(crate) const NONE: u64 = 0;

/// The number of section-and-type slots, [`pair`]'s range.
pub(crate) const PAIRS: usize = 256;

const _: () = assert!(SectionBucket::ALL.len() < 16 && CitationType::ALL.len() < 16);

/// Years from this one up are packed as none: no parser yields them, and a
/// count's table of years would grow with them.
pub(crate) const YEAR_LIMIT: u16 = 10_000;

/// The code of a statement's values.
pub(crate) fn pack(
    section: Option<SectionBucket>,
    citation_type: Option<CitationType>,
    year: Option<u16>,
) -> u64 {
    let place = |found: Option<usize>| found.map_or(0, |i| i as u64 + 1);
    let section = place(section.and_then(|s| SectionBucket::ALL.iter().position(|&b| b == s)));
    let kind = place(citation_type.and_then(|t| CitationType::ALL.iter().position(|&c| c == t)));
    let year = year.filter(|&y| y < YEAR_LIMIT).map_or(0, u64::from);
    year << 8 | section << 4 | kind
}

/// The slot of a code's section and type together, below [`PAIRS`].
#[inline]
pub(crate) fn pair(code: u64) -> usize {
    (code & 0xff) as usize
}

/// A code's year, 0 for none.
#[inline]
pub(crate) fn year(code: u64) -> u64 {
    code >> 8
}

/// The section bucket of a [`pair`] slot, `None` when the statement has none
/// (or the slot is of no bucket this binary knows).
pub(crate) fn section_of(pair: usize) -> Option<SectionBucket> {
    (pair >> 4)
        .checked_sub(1)
        .and_then(|i| SectionBucket::ALL.get(i).copied())
}

/// The citation type of a [`pair`] slot, as [`section_of`].
pub(crate) fn type_of(pair: usize) -> Option<CitationType> {
    (pair & 0xf)
        .checked_sub(1)
        .and_then(|i| CitationType::ALL.get(i).copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_combination_comes_back_as_it_was_packed() {
        let sections = SectionBucket::ALL.iter().copied().map(Some).chain([None]);
        for section in sections {
            let types = CitationType::ALL.iter().copied().map(Some).chain([None]);
            for citation_type in types {
                for y in [None, Some(0), Some(1600), Some(2024), Some(YEAR_LIMIT - 1)] {
                    let code = pack(section, citation_type, y);
                    assert!(pair(code) < PAIRS);
                    assert_eq!(section_of(pair(code)), section);
                    assert_eq!(type_of(pair(code)), citation_type);
                    assert_eq!(year(code), y.map_or(0, u64::from));
                }
            }
        }
        // The codes written by builds so far: a change of these is a change
        // of the index format (see the module's docs).
        use CitationType::*;
        use SectionBucket::*;
        assert_eq!(
            pack(Some(Introduction), Some(Supporting), Some(2020)),
            2020 << 8 | 0x11
        );
        assert_eq!(pack(Some(Other), Some(Unclassified), None), 0x84);
        let sections = [Introduction, Background, Methods, Results, Discussion];
        let sections = sections.into_iter().chain([Conclusion, Limitations, Other]);
        for (place, section) in sections.enumerate() {
            assert_eq!(pack(Some(section), None, None), (place as u64 + 1) << 4);
        }
        for (place, kind) in [Supporting, Mentioning, Contrasting, Unclassified]
            .into_iter()
            .enumerate()
        {
            assert_eq!(pack(None, Some(kind), None), place as u64 + 1);
        }
        assert_eq!(pack(None, None, None), NONE);
        assert_eq!(pack(None, None, Some(YEAR_LIMIT)), NONE);
        assert_eq!(pack(None, None, Some(u16::MAX)), NONE);
    }
}
