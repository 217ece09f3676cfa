//! Bytes → page, read as every saved form: a text save, an HTML save, and
//! (by their first bytes, whatever the name) MHTML, a web archive and a
//! printed PDF. Must never panic, hang or blow up on any input.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = citeindex::page::parse_bytes(Path::new("page.txt"), data);
    let _ = citeindex::page::parse_bytes(Path::new("page.html"), data);
    // A multipart body with the MIME headers Chrome writes in front, so that
    // mutations of the parts reach the MHTML reader without having to find
    // the header first.
    let mut mhtml = b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"B\"\r\n\r\n".to_vec();
    mhtml.extend_from_slice(data);
    let _ = citeindex::page::parse_bytes(Path::new("page.mhtml"), &mhtml);
});
