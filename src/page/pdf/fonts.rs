//! A PDF font as the content-stream interpreter needs it: the text each
//! character code stands for (ToUnicode map or encoding, through `lopdf`) and
//! its width, loaded once per document.
//!
//! Apart from [`glyphs`](super::glyphs) because fonts are dictionaries to read,
//! with their own kinds (simple, Type 3, composite CID fonts) and their own
//! limits, while the interpreter only asks a font two questions: what a code
//! says and how far it moves the pen. It must never run a content stream.

use std::collections::HashMap;

use lopdf::Encoding;
use lopdf::{Dictionary, Document, Object, ObjectId};

use super::{deref, number, MAX_STREAM_BYTES};

/// What a font gives: each code's text and width.
pub(super) struct Font<'a> {
    encoding: Option<Encoding<'a>>,
    /// Bytes per character code: 2 for the Identity-H fonts browsers embed.
    pub(super) code_len: usize,
    widths: HashMap<u32, f64>,
    default_width: f64,
    /// Text space units per glyph space unit (1/1000, or a Type 3 font's matrix).
    scale: f64,
}

impl Font<'_> {
    pub(super) fn width(&self, code: u32) -> f64 {
        self.widths
            .get(&code)
            .copied()
            .unwrap_or(self.default_width)
            * self.scale
    }

    pub(super) fn text(&self, code_bytes: &[u8]) -> String {
        let decoded = self
            .encoding
            .as_ref()
            .and_then(|e| e.bytes_to_string(code_bytes).ok());
        match decoded {
            Some(text) => text.replace('\0', ""),
            // A font with no usable encoding: its codes are most likely ASCII.
            None if self.code_len == 1 => code_bytes.iter().map(|&b| b as char).collect(),
            None => "\u{fffd}".to_string(),
        }
    }
}

/// The fonts of one document, each loaded the first time a page shows text in it.
pub(super) struct Fonts<'a> {
    doc: &'a Document,
    loaded: HashMap<ObjectId, Font<'a>>,
}

impl<'a> Fonts<'a> {
    pub(super) fn new(doc: &'a Document) -> Fonts<'a> {
        Fonts {
            doc,
            loaded: HashMap::new(),
        }
    }

    /// The font a resource name stands for.
    pub(super) fn id(&self, resources: &[&'a Dictionary], name: &[u8]) -> Option<ObjectId> {
        resources.iter().find_map(|r| {
            let fonts = deref(self.doc, r.get(b"Font").ok()?)?.as_dict().ok()?;
            fonts.get(name).ok()?.as_reference().ok()
        })
    }

    pub(super) fn load(&mut self, id: ObjectId) {
        if self.loaded.contains_key(&id) {
            return;
        }
        if let Ok(dict) = self.doc.get_dictionary(id) {
            let font = read_font(self.doc, dict);
            self.loaded.insert(id, font);
        }
    }

    /// A font [`load`](Self::load) has read; `None` when it could not be.
    pub(super) fn get(&self, id: &ObjectId) -> Option<&Font<'a>> {
        self.loaded.get(id)
    }
}

/// A font's encoding and widths. A simple font's ToUnicode map is preferred to
/// its `/Encoding`, which names glyphs rather than text.
fn read_font<'a>(doc: &'a Document, dict: &'a Dictionary) -> Font<'a> {
    let subtype = dict
        .get(b"Subtype")
        .and_then(|s| s.as_name())
        .unwrap_or(b"");
    let composite = subtype == b"Type0";
    let encoding = if !composite && dict.has(b"ToUnicode") && dict.has(b"Encoding") {
        to_unicode_only(doc, dict).or_else(|| {
            dict.get_font_encoding_with_limit(doc, MAX_STREAM_BYTES)
                .ok()
        })
    } else {
        dict.get_font_encoding_with_limit(doc, MAX_STREAM_BYTES)
            .ok()
    };
    if composite {
        let descendant = dict
            .get(b"DescendantFonts")
            .ok()
            .and_then(|d| deref(doc, d))
            .and_then(|d| d.as_array().ok())
            .and_then(|a| a.first())
            .and_then(|d| deref(doc, d))
            .and_then(|d| d.as_dict().ok());
        let (widths, default_width) =
            descendant.map_or((HashMap::new(), 1000.0), |d| cid_widths(doc, d));
        return Font {
            encoding,
            code_len: 2,
            widths,
            default_width,
            scale: 0.001,
        };
    }
    let first = dict.get(b"FirstChar").ok().and_then(number).unwrap_or(0.0) as u32;
    let widths: HashMap<u32, f64> = dict
        .get(b"Widths")
        .ok()
        .and_then(|w| deref(doc, w))
        .and_then(|w| w.as_array().ok())
        .map(|a| {
            a.iter()
                .take(256)
                .enumerate()
                .filter_map(|(i, w)| Some((first + i as u32, number(deref(doc, w)?)?)))
                .collect()
        })
        .unwrap_or_default();
    let scale = if subtype == b"Type3" {
        dict.get(b"FontMatrix")
            .ok()
            .and_then(|m| m.as_array().ok())
            .and_then(|m| m.first())
            .and_then(number)
            .unwrap_or(0.001)
    } else {
        0.001
    };
    Font {
        encoding,
        code_len: 1,
        widths,
        default_width: 0.0,
        scale,
    }
}

/// A simple font's ToUnicode map alone, without the `/Encoding` that `lopdf`
/// would otherwise take first.
fn to_unicode_only<'a>(doc: &Document, dict: &Dictionary) -> Option<Encoding<'a>> {
    let mut plain = Dictionary::new();
    for key in [&b"Type"[..], b"Subtype", b"ToUnicode"] {
        plain.set(key, dict.get(key).ok()?.clone());
    }
    match plain.get_font_encoding_with_limit(doc, MAX_STREAM_BYTES) {
        // The map is owned: it outlives the dictionary it was read through.
        Ok(Encoding::UnicodeMapEncoding(map)) => Some(Encoding::UnicodeMapEncoding(map)),
        _ => None,
    }
}

/// A CID font's `/W` array (`c [w1 w2 …]` and `c_first c_last w` entries) and `/DW`.
fn cid_widths(doc: &Document, cid_font: &Dictionary) -> (HashMap<u32, f64>, f64) {
    let default = cid_font.get(b"DW").ok().and_then(number).unwrap_or(1000.0);
    let mut widths = HashMap::new();
    let Some(w) = cid_font
        .get(b"W")
        .ok()
        .and_then(|w| deref(doc, w))
        .and_then(|w| w.as_array().ok())
    else {
        return (widths, default);
    };
    // A CID is two bytes, so no font has more than 65,536 widths; entries
    // that overlap are not allowed to make the work more than that, twice.
    const MAX_CID: u32 = 0xFFFF;
    let mut budget = 2 * (MAX_CID as usize + 1);
    let mut i = 0;
    while i < w.len() && budget > 0 {
        let Some(first) = number(&w[i]).filter(|f| *f >= 0.0 && *f <= MAX_CID as f64) else {
            break;
        };
        let first = first as u32;
        match w.get(i + 1).and_then(|o| deref(doc, o)) {
            Some(Object::Array(list)) => {
                let room = (MAX_CID - first) as usize + 1;
                for (k, width) in list.iter().take(room.min(budget)).enumerate() {
                    if let Some(width) = number(width) {
                        widths.insert(first + k as u32, width);
                    }
                }
                budget = budget.saturating_sub(list.len().min(room));
                i += 2;
            }
            Some(last) => {
                let (Some(last), Some(width)) = (number(last), w.get(i + 2).and_then(number))
                else {
                    break;
                };
                let last = (last.max(0.0) as u32).min(MAX_CID);
                for cid in (first..=last).take(budget) {
                    widths.insert(cid, width);
                }
                budget = budget.saturating_sub((last.saturating_sub(first) + 1) as usize);
                i += 3;
            }
            None => break,
        }
    }
    (widths, default)
}
