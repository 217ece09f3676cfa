//! A ceiling on what a PDF's compressed streams may inflate to, checked before
//! the document is loaded.
//!
//! `lopdf` bounds each stream it inflates, but a file can hold thousands of
//! streams: a 64 MB file of small deflate bombs would still inflate to tens of
//! gigabytes a stream at a time. So every deflate stream of the file is inflated
//! here once, into a scratch buffer that is thrown away, and the total is
//! counted. A printed report page inflates to a few megabytes (its fonts).

use flate2::{Decompress, FlushDecompress, Status};

use super::unreadable;
use crate::page::NotAPage;

/// The total all of a file's deflate streams may inflate to.
pub(super) const MAX_INFLATED: u64 = 256 << 20;

/// Checks the file's streams against [`MAX_INFLATED`], and refuses filters no
/// browser writes whose output `lopdf` could only bound stream by stream.
pub(super) fn check(bytes: &[u8]) -> Result<(), NotAPage> {
    check_with(bytes, MAX_INFLATED)
}

fn check_with(bytes: &[u8], ceiling: u64) -> Result<(), NotAPage> {
    if contains(bytes, b"/LZWDecode") || contains(bytes, b"/RunLengthDecode") {
        return Err(unreadable(
            "with LZW or run-length compressed streams, which browsers do not write",
        ));
    }
    let mut total = 0u64;
    let mut scratch = vec![0u8; 64 << 10];
    for start in stream_starts(bytes) {
        total += inflated_len(&bytes[start..], &mut scratch, ceiling - total);
        if total >= ceiling {
            return Err(unreadable(&format!(
                "whose compressed streams inflate to more than {} MB (a compression bomb)",
                ceiling >> 20
            )));
        }
    }
    Ok(())
}

/// Where each stream's data begins: after the `stream` keyword and its end of line.
fn stream_starts(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    const KEYWORD: &[u8] = b"stream";
    let mut from = 0;
    std::iter::from_fn(move || loop {
        let at = from + find(&bytes[from..], KEYWORD)?;
        from = at + KEYWORD.len();
        // `endstream` ends one; it does not begin one.
        if at > 0 && bytes[at - 1] == b'd' {
            continue;
        }
        match &bytes[from..] {
            [b'\r', b'\n', ..] => return Some(from + 2),
            [b'\n', ..] | [b'\r', ..] => return Some(from + 1),
            _ => continue,
        }
    })
}

/// How many bytes the zlib stream at the start of `data` inflates to, counting
/// no further than `limit` (0 when it is not a zlib stream: an image, say).
fn inflated_len(data: &[u8], scratch: &mut [u8], limit: u64) -> u64 {
    let mut inflater = Decompress::new(true);
    loop {
        let (before_in, before_out) = (inflater.total_in(), inflater.total_out());
        let input = &data[(before_in as usize).min(data.len())..];
        let status = inflater.decompress(input, scratch, FlushDecompress::None);
        let produced = inflater.total_out() - before_out;
        let consumed = inflater.total_in() - before_in;
        match status {
            Ok(Status::StreamEnd) | Err(_) => return inflater.total_out(),
            Ok(_) if produced == 0 && consumed == 0 => return inflater.total_out(),
            Ok(_) if inflater.total_out() >= limit => return inflater.total_out(),
            Ok(_) => {}
        }
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    find(hay, needle).is_some()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::ZlibEncoder;
    use flate2::Compression;
    use std::io::Write;

    fn deflated(data: &[u8]) -> Vec<u8> {
        let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
        encoder.write_all(data).expect("writing to a Vec");
        encoder.finish().expect("writing to a Vec")
    }

    fn pdf_with_streams(streams: &[Vec<u8>]) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n".to_vec();
        for (i, s) in streams.iter().enumerate() {
            out.extend_from_slice(
                format!(
                    "{} 0 obj <</Filter /FlateDecode /Length {}>>\nstream\r\n",
                    i + 1,
                    s.len()
                )
                .as_bytes(),
            );
            out.extend_from_slice(s);
            out.extend_from_slice(b"\nendstream endobj\n");
        }
        out
    }

    #[test]
    fn counts_every_stream_and_stops_at_the_ceiling() {
        let one_mb = deflated(&vec![b'a'; 1 << 20]);
        let file = pdf_with_streams(&[one_mb.clone(), one_mb.clone(), one_mb]);
        assert!(check_with(&file, 4 << 20).is_ok());
        let err = check_with(&file, 3 << 20).err();
        assert!(
            matches!(&err, Some(NotAPage::Unreadable(r)) if r.contains("compression bomb")),
            "{err:?}"
        );
    }

    #[test]
    fn a_single_bomb_is_refused_without_inflating_it_all() {
        // 1 GB of zeros deflates to about 1 MB; counting stops at the ceiling.
        let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..1024 {
            encoder.write_all(&zeros).expect("writing to a Vec");
        }
        let bomb = encoder.finish().expect("writing to a Vec");
        assert!(check(&pdf_with_streams(&[bomb])).is_err());
    }

    #[test]
    fn streams_that_are_not_deflate_count_nothing() {
        let file = pdf_with_streams(&[b"\xff\xd8\xff\xe0 a jpeg".to_vec()]);
        assert!(check_with(&file, 1).is_ok());
        assert!(check(b"%PDF-1.7\n1 0 obj <</Filter /LZWDecode>>\nstream\n").is_err());
    }
}
