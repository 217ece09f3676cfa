//! A report page printed to PDF by a browser ("Print… Save as PDF"), read back
//! as the lines a copied text page would have.
//!
//! The PDF itself (cross-references, object streams, filters, fonts' ToUnicode
//! maps) is read by `lopdf`, pure Rust and maintained. What `lopdf` does not do,
//! and this module does, is put the page's glyphs back in reading order:
//! [`glyphs`] runs the content streams and places each glyph where the page
//! draws it, with the text and width [`fonts`] reads from its font, [`lines`]
//! groups glyphs into lines and words, drops the header and footer the
//! browser printed on every sheet, and joins lines a hyphen broke.
//!
//! A PDF is the one saved form whose reader could be made to work without
//! bound, so every cost here has a ceiling: [`budget`] inflates each compressed
//! stream once, up to a total, before `lopdf` sees the file; page, glyph and
//! nesting counts are capped; and a document that goes past any of them is not
//! a page, with the reason.

mod budget;
mod clip;
mod fonts;
mod glyphs;
mod lines;

use lopdf::{Document, LoadOptions, Object};

use super::NotAPage;

/// What a printed PDF gives the parser.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct PdfText {
    /// The text lines, in reading order, without the browser's header and footer.
    pub lines: Vec<String>,
    /// The document title the browser recorded (the page's `<title>`).
    pub title: Option<String>,
    /// The page's address, from the printed header or footer.
    pub url: Option<String>,
}

/// The most any one stream may inflate to while the document is loaded.
const MAX_STREAM_BYTES: usize = 16 << 20;
/// A report page prints on a few sheets; a thousand is something else.
const MAX_PAGES: usize = 1_000;

/// True when the bytes are a PDF file, as browsers write them: the header
/// first. (Readers also accept junk before it; a text page that mentions
/// `%PDF-` near its top must not become an unreadable PDF.)
pub(super) fn looks_like_pdf(bytes: &[u8]) -> bool {
    bytes.starts_with(b"%PDF-")
}

/// Reads the text of a printed page.
pub(super) fn text(bytes: &[u8]) -> Result<PdfText, NotAPage> {
    budget::check(bytes)?;
    let options = LoadOptions {
        max_decompressed_size: Some(MAX_STREAM_BYTES),
        ..LoadOptions::default()
    };
    let doc = Document::load_mem_with_options(bytes, options)
        .map_err(|e| unreadable(&format!("that cannot be read ({e})")))?;
    if doc.is_encrypted() {
        return Err(unreadable("that is encrypted"));
    }
    let pages: Vec<_> = doc.page_iter().take(MAX_PAGES + 1).collect();
    if pages.len() > MAX_PAGES {
        return Err(unreadable(&format!("of more than {MAX_PAGES} pages")));
    }
    let title = info_title(&doc);
    let mut reader = glyphs::Reader::new(&doc);
    // Sheet by sheet: only one sheet's glyphs are held at a time.
    let mut text = lines::Assembler::new(title.as_deref());
    let mut any_glyph = false;
    for page in pages {
        let sheet = reader.page(page)?;
        any_glyph |= !sheet.glyphs.is_empty();
        text.add(sheet);
    }
    if !any_glyph {
        return Err(NotAPage::NoText);
    }
    let (lines, url) = text.finish();
    Ok(PdfText { lines, title, url })
}

fn unreadable(what: &str) -> NotAPage {
    NotAPage::Unreadable(format!("a PDF {what}"))
}

/// The object a reference points to, or the object itself when it is none.
fn deref<'a>(doc: &'a Document, object: &'a Object) -> Option<&'a Object> {
    doc.dereference(object).ok().map(|(_, o)| o)
}

/// A number operand or dictionary value; an infinite or NaN one is none.
fn number(object: &Object) -> Option<f64> {
    match object {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(*r as f64),
        _ => None,
    }
    .filter(|n| n.is_finite())
}

/// The `/Title` of the document information, which browsers set to the page's title.
fn info_title(doc: &Document) -> Option<String> {
    let info = doc.trailer.get(b"Info").ok()?;
    let (_, info) = doc.dereference(info).ok()?;
    let title = info.as_dict().ok()?.get(b"Title").ok()?;
    let (_, title) = doc.dereference(title).ok()?;
    let text = lopdf::decode_text_string(title).ok()?;
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_the_header() {
        assert!(looks_like_pdf(b"%PDF-1.4\n"));
        assert!(!looks_like_pdf(b"notes: save as %PDF-1.7 next time"));
        assert!(!looks_like_pdf(b"2020\nDOI: 10.1/x"));
    }

    #[test]
    fn garbage_after_the_header_is_a_reason() {
        let err = text(b"%PDF-1.7\nthis is no pdf at all").err();
        assert!(matches!(err, Some(NotAPage::Unreadable(_))), "{err:?}");
    }
}
