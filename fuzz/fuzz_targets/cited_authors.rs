//! A statement string → cited authors: every author found must be a non-empty
//! name that occurs in the statement.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    for cited in citeindex::page::cited_authors(text) {
        assert!(!cited.author.is_empty());
        for word in cited.author.split(' ') {
            assert!(text.contains(word), "{word:?} is not in the statement");
        }
    }
});
