//! A single-file web page (MHTML, `.mhtml`/`.mht`, as Chrome and Edge save with
//! "Webpage, Single File") reduced to the HTML of the page itself.
//!
//! MHTML is a MIME `multipart/related` message: the page's HTML is one part,
//! its styles, images and frames the others. The MIME work (boundaries,
//! quoted-printable with soft line breaks, base64, header folding, charsets) is
//! done by `mail-parser`, which mail servers run on hostile mail every day; this
//! module only picks the part that is the page. It never looks at the other
//! parts' contents.

use mail_parser::decoders::base64::base64_decode;
use mail_parser::decoders::quoted_printable::quoted_printable_decode;
use mail_parser::{HeaderName, MessageParser, MessagePart, MimeHeaders, PartType};

use super::decode::decode_declared;
use super::NotAPage;

/// True when the bytes begin as an MHTML file does: MIME headers, one of
/// them a `multipart/related` content type, before the first blank line.
/// Cheap for the pages it is not: it runs on every file.
pub(super) fn looks_like_mhtml(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    // An HTML page or a text page's year line is no header line.
    let first = head.iter().position(|b| !b.is_ascii_whitespace());
    if first.is_none_or(|at| !head[at].is_ascii_alphabetic()) {
        return false;
    }
    let end = head
        .windows(2)
        .position(|w| w == b"\n\n" || w == b"\n\r")
        .unwrap_or(head.len());
    let headers = &head[..end];
    contains_ignore_case(headers, b"mime-version:")
        && contains_ignore_case(headers, b"multipart/related")
}

fn contains_ignore_case(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

/// The HTML of the page an MHTML file holds: the `text/html` part whose
/// `Content-Location` is the snapshot's (`Snapshot-Content-Location`, or the
/// root's `Content-Location`), else the first `text/html` part. Transfer
/// encoding and charset are undone; the warnings are decoding's.
pub(super) fn main_html(bytes: &[u8]) -> Result<(String, Vec<String>), NotAPage> {
    let message = MessageParser::default().parse(bytes).ok_or_else(|| {
        NotAPage::Unreadable("an MHTML file whose MIME structure cannot be read".into())
    })?;
    let root = message.root_part();
    let is_multipart = root
        .content_type()
        .is_some_and(|ct| ct.ctype().eq_ignore_ascii_case("multipart"));
    if !is_multipart {
        return Err(NotAPage::Unreadable(
            "an MHTML file that is not a multipart/related message".into(),
        ));
    }
    let snapshot = message
        .header_raw(HeaderName::Other("Snapshot-Content-Location".into()))
        .or_else(|| root.content_location())
        .map(|l| l.trim().to_string());

    let mut first_html: Option<&MessagePart> = None;
    for part in message.parts.iter().skip(1) {
        if !matches!(part.body, PartType::Html(_)) {
            continue;
        }
        let location = part.content_location().map(str::trim);
        if snapshot.is_some() && location == snapshot.as_deref() {
            return Ok(part_text(bytes, part));
        }
        first_html.get_or_insert(part);
    }
    first_html
        .map(|part| part_text(bytes, part))
        .ok_or_else(|| NotAPage::Unreadable("an MHTML file with no HTML part".into()))
}

/// A part's text. `mail-parser` reads a part with no charset parameter as
/// UTF-8, but Chrome writes a page in the encoding it came in and names it only
/// in the page's own `<meta charset>`. So the body's transfer encoding is
/// undone here with `mail-parser`'s decoders, and the bytes decoded as any
/// saved page is: the named charset, else a BOM, UTF-8, the `<meta>`, 1252.
fn part_text(bytes: &[u8], part: &MessagePart) -> (String, Vec<String>) {
    let raw = bytes
        .get(part.offset_body as usize..part.offset_end as usize)
        .unwrap_or_default();
    let body = match part.encoding {
        mail_parser::Encoding::QuotedPrintable => quoted_printable_decode(raw),
        mail_parser::Encoding::Base64 => base64_decode(raw),
        mail_parser::Encoding::None => Some(raw.to_vec()),
    };
    let Some(body) = body else {
        // Undecodable transfer encoding: what mail-parser made of it.
        let text = part.text_contents().unwrap_or_default().to_string();
        return (
            text,
            vec!["the page's part of the MHTML file is damaged".into()],
        );
    };
    let decoded = decode_declared(
        &body,
        part.content_type().and_then(|ct| ct.attribute("charset")),
    );
    (decoded.text, decoded.warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOUNDARY: &str = "----MultipartBoundary--x1y2z3----";

    fn mhtml(parts: &[(&str, &str, &str, &str)]) -> Vec<u8> {
        let mut out = format!(
            "From: <Saved by Blink>\r\nSnapshot-Content-Location: http://scite.test/reports/a\r\n\
             Subject: A page\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\
             \ttype=\"text/html\";\r\n\tboundary=\"{BOUNDARY}\"\r\n\r\n\r\n"
        );
        for (ctype, encoding, location, body) in parts {
            out.push_str(&format!(
                "--{BOUNDARY}\r\nContent-Type: {ctype}\r\nContent-Transfer-Encoding: {encoding}\r\n\
                 Content-Location: {location}\r\n\r\n{body}\r\n"
            ));
        }
        out.push_str(&format!("--{BOUNDARY}--\r\n"));
        out.into_bytes()
    }

    #[test]
    fn quoted_printable_with_soft_breaks_is_undone() -> Result<(), NotAPage> {
        let body = "<p class=3D\"x\">Sleep spindles cluster in the slow oscilla=\r\ntion =E2=80=9C=E2=80=A6</p>";
        let bytes = mhtml(&[(
            "text/html",
            "quoted-printable",
            "http://scite.test/reports/a",
            body,
        )]);
        assert!(looks_like_mhtml(&bytes));
        let (html, _) = main_html(&bytes)?;
        assert_eq!(
            html.trim(),
            "<p class=\"x\">Sleep spindles cluster in the slow oscillation “…</p>"
        );
        Ok(())
    }

    #[test]
    fn the_snapshot_part_wins_over_an_earlier_frame() -> Result<(), NotAPage> {
        // base64 of "<p>the page</p>"
        let bytes = mhtml(&[
            (
                "text/css",
                "quoted-printable",
                "http://scite.test/a.css",
                "p{}",
            ),
            (
                "text/html",
                "quoted-printable",
                "http://ads.test/frame",
                "<p>a frame</p>",
            ),
            (
                "text/html",
                "base64",
                "http://scite.test/reports/a",
                "PHA+dGhlIHBhZ2U8L3A+",
            ),
        ]);
        assert_eq!(main_html(&bytes)?.0.trim(), "<p>the page</p>");
        Ok(())
    }

    #[test]
    fn without_a_matching_location_the_first_html_part() -> Result<(), NotAPage> {
        let bytes = mhtml(&[
            (
                "image/png",
                "base64",
                "http://scite.test/i.png",
                "iVBORw0KGgo=",
            ),
            (
                "text/html",
                "quoted-printable",
                "http://elsewhere.test/",
                "<p>first</p>",
            ),
            (
                "text/html",
                "quoted-printable",
                "http://elsewhere.test/2",
                "<p>second</p>",
            ),
        ]);
        assert_eq!(main_html(&bytes)?.0.trim(), "<p>first</p>");
        Ok(())
    }

    #[test]
    fn a_declared_charset_is_decoded() -> Result<(), NotAPage> {
        let bytes = mhtml(&[(
            "text/html; charset=windows-1252",
            "quoted-printable",
            "http://scite.test/reports/a",
            "<p>St=E4nicke</p>",
        )]);
        assert_eq!(main_html(&bytes)?.0.trim(), "<p>Stänicke</p>");
        Ok(())
    }

    #[test]
    fn a_page_in_windows_1252_named_only_in_its_meta_is_decoded() -> Result<(), NotAPage> {
        // As Chrome saves such a page: no charset parameter on the part.
        let bytes = mhtml(&[(
            "text/html",
            "quoted-printable",
            "http://scite.test/reports/a",
            "<meta http-equiv=3D\"Content-Type\" content=3D\"text/html; charset=3Dwindows-1252\">=\r\n<p>=93=85St=E4nicke=85=94</p>",
        )]);
        let (html, _) = main_html(&bytes)?;
        assert!(html.contains("<p>“…Stänicke…”</p>"), "{html}");
        Ok(())
    }

    #[test]
    fn no_html_part_is_a_reason() {
        let bytes = mhtml(&[(
            "text/css",
            "quoted-printable",
            "http://scite.test/a.css",
            "p{}",
        )]);
        assert!(
            matches!(main_html(&bytes), Err(NotAPage::Unreadable(r)) if r.contains("no HTML part"))
        );
        assert!(!looks_like_mhtml(b"2020\nDOI: 10.1/x\n"));
    }
}
