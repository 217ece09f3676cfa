//! Sorting a free-form section heading into one of a few buckets, so that a user
//! can ask for "discussion" and get `4.2 General Discussion` and `Discussion and
//! Implications` alike. Only the heading's words decide; nothing is guessed
//! from the statement.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SectionBucket {
    Introduction,
    Background,
    Methods,
    Results,
    Discussion,
    Conclusion,
    Limitations,
    Other,
}

/// Keywords per bucket, most specific bucket first: `Strengths and Limitations
/// of the Discussion` is about limitations, `Results and Discussion` is a discussion.
const KEYWORDS: [(SectionBucket, &[&str]); 7] = [
    (
        SectionBucket::Limitations,
        &["limitation", "limitations", "shortcomings", "caveats"],
    ),
    (
        SectionBucket::Conclusion,
        &[
            "conclusion",
            "conclusions",
            "concluding",
            "summary",
            "outlook",
        ],
    ),
    (
        SectionBucket::Discussion,
        &["discussion", "implications", "interpretation"],
    ),
    (
        SectionBucket::Results,
        &["result", "results", "findings", "outcomes"],
    ),
    (
        SectionBucket::Methods,
        &[
            "method",
            "methods",
            "methodology",
            "materials",
            "procedure",
            "procedures",
            "participants",
            "measures",
            "measurement",
            "design",
            "analysis",
            "analyses",
            "protocol",
            "sample",
            "sampling",
            "experimental",
            "setting",
            "data",
        ],
    ),
    (
        SectionBucket::Background,
        &[
            "background",
            "literature",
            "related",
            "theory",
            "theoretical",
            "review",
            "framework",
        ],
    ),
    (
        SectionBucket::Introduction,
        &["introduction", "intro", "overview", "motivation"],
    ),
];

impl SectionBucket {
    /// In this order in the index (`index/facet_code.rs`): add at the end.
    pub const ALL: [SectionBucket; 8] = [
        SectionBucket::Introduction,
        SectionBucket::Background,
        SectionBucket::Methods,
        SectionBucket::Results,
        SectionBucket::Discussion,
        SectionBucket::Conclusion,
        SectionBucket::Limitations,
        SectionBucket::Other,
    ];

    /// The bucket a heading's words put it in; `Other` when no word says.
    pub fn of_heading(heading: &str) -> SectionBucket {
        let lower = heading.to_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        KEYWORDS
            .iter()
            .find(|(_, keys)| words.iter().any(|w| keys.contains(w)))
            .map_or(SectionBucket::Other, |(bucket, _)| *bucket)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SectionBucket::Introduction => "introduction",
            SectionBucket::Background => "background",
            SectionBucket::Methods => "methods",
            SectionBucket::Results => "results",
            SectionBucket::Discussion => "discussion",
            SectionBucket::Conclusion => "conclusion",
            SectionBucket::Limitations => "limitations",
            SectionBucket::Other => "other",
        }
    }
}

impl fmt::Display for SectionBucket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SectionBucket {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        SectionBucket::ALL
            .into_iter()
            .find(|b| b.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or(())
    }
}

#[cfg(test)]
mod tests {
    use super::SectionBucket::{self, *};

    #[test]
    fn headings_land_in_their_buckets() {
        let cases = [
            ("Introduction", Introduction),
            ("1. Introduction", Introduction),
            ("Background", Background),
            ("Literature Review", Background),
            ("Materials and Methods", Methods),
            ("2.3 Participants", Methods),
            ("Statistical Analysis", Methods),
            ("Results", Results),
            ("Results and Discussion", Discussion),
            ("4.2 General Discussion", Discussion),
            ("Conclusions", Conclusion),
            ("Strengths and Limitations", Limitations),
            ("Limitations", Limitations),
            (
                "Gq As a Relevant Instrument For Pd Research And Treatment Mo...",
                Other,
            ),
            ("", Other),
        ];
        for (heading, bucket) in cases {
            assert_eq!(SectionBucket::of_heading(heading), bucket, "{heading}");
        }
    }

    #[test]
    fn parses_bucket_names() {
        assert_eq!("Discussion".parse::<SectionBucket>(), Ok(Discussion));
        assert!("nonsense".parse::<SectionBucket>().is_err());
    }
}
