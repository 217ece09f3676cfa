//! Bytes to text: byte-order marks, UTF-8, UTF-16 and the Windows-1252 of older
//! saves, with line endings made uniform.
//!
//! Decoding never fails: a byte that fits no encoding becomes U+FFFD and a
//! warning, so one bad byte never costs a page.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

/// Decoded text, with what decoding had to guess or repair.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The text with `\r\n` and lone `\r` turned into `\n` and any BOM removed.
    pub text: String,
    pub warnings: Vec<String>,
}

/// Decodes a saved page.
///
/// Order of evidence: a byte-order mark; UTF-16 recognisable by its zero bytes;
/// valid UTF-8; an HTML `charset` declaration; and last Windows-1252, which every
/// byte sequence decodes under. Mostly-UTF-8 text with a few broken bytes stays
/// UTF-8 (the broken bytes are replaced), because reading such a file as
/// Windows-1252 would garble every accented letter in it.
pub fn decode(bytes: &[u8]) -> Decoded {
    decode_declared(bytes, None)
}

/// Decodes bytes whose container names their encoding (an MHTML part's
/// `charset`, a web archive's `WebResourceTextEncodingName`): a label
/// `encoding_rs` knows is taken as it is, and anything else is decoded as
/// [`decode`] does, from the bytes.
pub(super) fn decode_declared(bytes: &[u8], label: Option<&str>) -> Decoded {
    let mut warnings = Vec::new();
    let declared = label.and_then(|l| Encoding::for_label(l.trim().as_bytes()));
    let (encoding, body) = match declared {
        Some(encoding) => (encoding, bytes),
        None => pick_encoding(bytes, &mut warnings),
    };
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    if had_errors {
        warnings.push(format!(
            "some bytes are not valid {}; they were replaced",
            encoding.name()
        ));
    }
    Decoded {
        text: normalize_newlines(text),
        warnings,
    }
}

fn pick_encoding<'a>(bytes: &'a [u8], warnings: &mut Vec<String>) -> (&'static Encoding, &'a [u8]) {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return (encoding, &bytes[bom_len..]);
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        return (encoding, bytes);
    }
    let valid_up_to = match std::str::from_utf8(bytes) {
        Ok(_) => return (UTF_8, bytes),
        Err(e) => e.valid_up_to(),
    };
    if let Some(encoding) = declared_charset(bytes) {
        return (encoding, bytes);
    }
    if mostly_utf8(bytes, valid_up_to) {
        return (UTF_8, bytes);
    }
    warnings.push("not UTF-8; read as Windows-1252".to_string());
    (WINDOWS_1252, bytes)
}

/// UTF-16 saved without a BOM shows as a zero byte in every other position for
/// mostly-ASCII text.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 8 {
        return None;
    }
    let pairs = sample.len() / 2;
    let zero_even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let zero_odd = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    if zero_odd * 10 >= pairs * 8 && zero_even * 10 < pairs {
        Some(UTF_16LE)
    } else if zero_even * 10 >= pairs * 8 && zero_odd * 10 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// The encoding an HTML page declares in its first kilobytes, if any, and if
/// it is one that can be read byte by byte (a declared UTF-16 on bytes without
/// a BOM is a lie a saved page often tells).
fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let at = head.find("charset=")? + "charset=".len();
    let label: String = head[at..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    let encoding = Encoding::for_label(label.as_bytes())?;
    (encoding.is_ascii_compatible() && encoding != UTF_8).then_some(encoding)
}

/// True when the non-ASCII bytes form far more valid UTF-8 sequences than broken ones.
fn mostly_utf8(bytes: &[u8], first_error: usize) -> bool {
    let (mut good, mut bad) = (0usize, 0usize);
    let mut rest = &bytes[first_error..];
    good += bytes[..first_error].iter().filter(|&&b| b >= 0xC0).count();
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                good += s.bytes().filter(|&b| b >= 0xC0).count();
                break;
            }
            Err(e) => {
                let valid = &rest[..e.valid_up_to()];
                good += valid.iter().filter(|&&b| b >= 0xC0).count();
                bad += 1;
                let skip = e.valid_up_to() + e.error_len().unwrap_or(rest.len() - e.valid_up_to());
                rest = &rest[skip.max(1).min(rest.len())..];
            }
        }
    }
    // Valid multi-byte sequences almost never occur in Windows-1252 text, so a
    // few of them outweigh the broken bytes around them.
    good >= 2 && good >= bad
}

fn normalize_newlines(text: Cow<'_, str>) -> String {
    if !text.contains('\r') {
        return text.into_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_bom_and_crlf() {
        let d = decode("\u{feff}2020\r\nDOI: 10.1/x\r\nline\rlast".as_bytes());
        assert_eq!(d.text, "2020\nDOI: 10.1/x\nline\nlast");
        assert!(d.warnings.is_empty());
    }

    #[test]
    fn utf16_le_and_be_with_bom() {
        let text = "Åström et al., 2019 “quoted”";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for unit in text.encode_utf16() {
            le.extend_from_slice(&unit.to_le_bytes());
            be.extend_from_slice(&unit.to_be_bytes());
        }
        assert_eq!(decode(&le).text, text);
        assert_eq!(decode(&be).text, text);
    }

    #[test]
    fn utf16_le_without_bom() {
        let bytes: Vec<u8> = "DOI: 10.5555/abc\nA title here\n"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        let d = decode(&bytes);
        assert!(d.text.starts_with("DOI: 10.5555/abc"));
    }

    #[test]
    fn windows_1252_when_not_utf8() {
        let bytes = b"M\xfcller & \xc5str\xf6m, 2019 \x93quoted\x94 \x85";
        let d = decode(bytes);
        assert_eq!(d.text, "Müller & Åström, 2019 “quoted” …");
        assert_eq!(d.warnings.len(), 1);
    }

    #[test]
    fn mostly_utf8_keeps_its_accents_around_one_bad_byte() {
        let mut bytes = "Åström, Nørgaard, García, Müller and Stępień "
            .as_bytes()
            .to_vec();
        bytes.push(0xFF);
        bytes.extend_from_slice("wrote “this”.".as_bytes());
        let d = decode(&bytes);
        assert!(d.text.starts_with("Åström, Nørgaard"));
        assert!(d.text.contains('\u{FFFD}'));
        assert!(d.text.ends_with("“this”."));
        assert_eq!(d.warnings.len(), 1);
    }

    #[test]
    fn declared_html_charset_is_honoured() {
        let bytes = b"<html><head><meta charset=\"windows-1252\"></head><p>caf\xe9</p>";
        assert!(decode(bytes).text.contains("café"));
        let latin9 = b"<meta http-equiv=Content-Type content='text/html; charset=iso-8859-15'>\xa4";
        assert!(decode(latin9).text.ends_with('€'));
    }
}
