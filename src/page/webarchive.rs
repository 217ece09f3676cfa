//! A Safari web archive (`.webarchive`) reduced to the HTML of the page.
//!
//! A web archive is a property list (binary, as Safari writes it, or XML):
//! `WebMainResource` holds the page, its `WebResourceData` the bytes in the
//! encoding `WebResourceTextEncodingName` names; `WebSubresources` (images,
//! styles) and `WebSubframeArchives` are never read. The `plist` crate does the
//! format; this module only walks to the page and decodes it.

use std::io::Cursor;

use plist::Value;

use super::decode::decode_declared;
use super::NotAPage;

/// The magic bytes of a binary property list.
const BINARY_PLIST: &[u8] = b"bplist00";

/// True when the bytes are a binary property list (a web archive saved
/// under another name is still read as one).
pub(super) fn looks_like_webarchive(bytes: &[u8]) -> bool {
    bytes.starts_with(BINARY_PLIST)
}

/// The HTML of the archived page, decoded, with the warnings decoding raised.
pub(super) fn main_html(bytes: &[u8]) -> Result<(String, Vec<String>), NotAPage> {
    let unreadable = |what: &str| NotAPage::Unreadable(format!("a web archive {what}"));
    let archive = Value::from_reader(Cursor::new(bytes))
        .map_err(|e| unreadable(&format!("that cannot be read ({e})")))?;
    let main = archive
        .as_dictionary()
        .and_then(|d| d.get("WebMainResource"))
        .and_then(Value::as_dictionary)
        .ok_or_else(|| unreadable("with no WebMainResource"))?;
    let data = main
        .get("WebResourceData")
        .and_then(Value::as_data)
        .ok_or_else(|| unreadable("whose main resource holds no data"))?;
    let mime = main
        .get("WebResourceMIMEType")
        .and_then(Value::as_string)
        .unwrap_or("text/html");
    if !mime.to_ascii_lowercase().contains("html") {
        return Err(unreadable(&format!("of a {mime} resource, not a web page")));
    }
    let label = main
        .get("WebResourceTextEncodingName")
        .and_then(Value::as_string);
    let decoded = decode_declared(data, label);
    Ok((decoded.text, decoded.warnings))
}

#[cfg(test)]
mod tests {
    use super::*;
    use plist::Dictionary;

    fn archive(data: &[u8], encoding: Option<&str>) -> Vec<u8> {
        let mut main = Dictionary::new();
        main.insert("WebResourceData".into(), Value::Data(data.to_vec()));
        main.insert(
            "WebResourceMIMEType".into(),
            Value::String("text/html".into()),
        );
        main.insert(
            "WebResourceURL".into(),
            Value::String("https://scite.test/reports/x".into()),
        );
        if let Some(name) = encoding {
            main.insert(
                "WebResourceTextEncodingName".into(),
                Value::String(name.into()),
            );
        }
        let mut root = Dictionary::new();
        root.insert("WebMainResource".into(), Value::Dictionary(main));
        root.insert("WebSubresources".into(), Value::Array(vec![]));
        let mut out = Vec::new();
        Value::Dictionary(root)
            .to_writer_binary(&mut out)
            .expect("writing to a Vec");
        out
    }

    #[test]
    fn reads_the_main_resource_in_its_named_encoding() -> Result<(), NotAPage> {
        let bytes = archive(b"<p>St\xe4nicke</p>", Some("ISO-8859-1"));
        assert!(looks_like_webarchive(&bytes));
        let (html, warnings) = main_html(&bytes)?;
        assert_eq!(html, "<p>Stänicke</p>");
        assert!(warnings.is_empty());
        let bytes = archive("<p>Åström</p>".as_bytes(), Some("UTF-8"));
        assert_eq!(main_html(&bytes)?.0, "<p>Åström</p>");
        let bytes = archive("<p>Åström</p>".as_bytes(), None);
        assert_eq!(main_html(&bytes)?.0, "<p>Åström</p>");
        Ok(())
    }

    #[test]
    fn what_is_not_an_archive_is_a_reason() {
        assert!(matches!(
            main_html(b"bplist00\x00\x01garbage"),
            Err(NotAPage::Unreadable(_))
        ));
        let mut root = Dictionary::new();
        root.insert("Other".into(), Value::Boolean(true));
        let mut out = Vec::new();
        Value::Dictionary(root)
            .to_writer_binary(&mut out)
            .expect("writing to a Vec");
        assert!(
            matches!(main_html(&out), Err(NotAPage::Unreadable(r)) if r.contains("WebMainResource"))
        );
    }
}
