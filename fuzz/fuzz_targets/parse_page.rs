//! Bytes → page, read both as a text save and as an HTML save: must never
//! panic, hang or blow up on any input.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = citeindex::page::parse_bytes(Path::new("page.txt"), data);
    let _ = citeindex::page::parse_bytes(Path::new("page.html"), data);
});
