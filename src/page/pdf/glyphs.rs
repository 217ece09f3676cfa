//! Running a page's content streams to find where each glyph is drawn and what
//! text it stands for.
//!
//! Only the text operators and the transforms they depend on are followed
//! (ISO 32000-1, 9.4): `BT`/`ET`, `Tf`, `Td`/`TD`/`Tm`/`T*`, `Tj`/`TJ`/`'`/`"`,
//! `Tc`/`Tw`/`Tz`/`TL`/`Ts`, `cm`, `q`/`Q`, and `Do` into form XObjects. Paths,
//! colours and images are ignored. A glyph's text comes from its font's
//! ToUnicode map or encoding, its advance from the font's widths, which matter
//! here because the position of the next glyph depends on them; [`fonts`]
//! reads both.
//!
//! [`fonts`]: super::fonts

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};

use super::clip::{Path, Rect};
use super::fonts::Fonts;
use super::{deref, number, unreadable, MAX_STREAM_BYTES};
use crate::page::NotAPage;

/// One glyph as drawn, in the page's default user space (points, y upwards).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Glyph {
    pub x: f64,
    pub y: f64,
    /// The glyph's advance along the line.
    pub width: f64,
    /// The font size as drawn.
    pub size: f64,
    pub text: String,
}

/// The glyphs of one printed sheet, in the order they are drawn.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Sheet {
    pub glyphs: Vec<Glyph>,
}

/// Glyphs beyond this many in one document are a document no page prints.
const MAX_GLYPHS: usize = 2_000_000;
/// Glyphs beyond this many on one sheet (a dense printed page has 10,000).
const MAX_SHEET_GLYPHS: usize = 500_000;
/// How many graphics states may be saved (`q`) and not yet restored; the
/// specification's own implementation limit is 28.
const MAX_SAVED_STATES: usize = 1024;
/// How deep form XObjects may nest (`Do` inside a form).
const MAX_FORM_DEPTH: usize = 8;
/// The content streams of all pages together may inflate to this much.
const MAX_CONTENT_BYTES: usize = 128 << 20;

/// A 2D affine transform `[a b c d e f]`, as PDF writes them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Matrix(pub(super) [f64; 6]);

impl Matrix {
    const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    /// `self` then `other`: a point maps through `self` first.
    fn then(self, other: Matrix) -> Matrix {
        let [a1, b1, c1, d1, e1, f1] = self.0;
        let [a2, b2, c2, d2, e2, f2] = other.0;
        Matrix([
            a1 * a2 + b1 * c2,
            a1 * b2 + b1 * d2,
            c1 * a2 + d1 * c2,
            c1 * b2 + d1 * d2,
            e1 * a2 + f1 * c2 + e2,
            e1 * b2 + f1 * d2 + f2,
        ])
    }

    /// Where the point `(x, y)` goes.
    pub(super) fn apply(&self, x: f64, y: f64) -> (f64, f64) {
        let [a, b, c, d, e, f] = self.0;
        (a * x + c * y + e, b * x + d * y + f)
    }

    fn translate(tx: f64, ty: f64) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, tx, ty])
    }
}

#[derive(Clone, Copy)]
struct TextState {
    font: Option<ObjectId>,
    size: f64,
    char_spacing: f64,
    word_spacing: f64,
    scaling: f64,
    leading: f64,
    rise: f64,
}

impl TextState {
    /// The text state operators `Tc`, `Tw`, `Tz`, `TL` and `Ts`.
    fn set(&mut self, operator: &str, value: Option<&f64>) {
        let value = value.copied();
        match operator {
            "Tc" => self.char_spacing = value.unwrap_or(0.0),
            "Tw" => self.word_spacing = value.unwrap_or(0.0),
            "Tz" => self.scaling = value.unwrap_or(100.0) / 100.0,
            "TL" => self.leading = value.unwrap_or(0.0),
            "Ts" => self.rise = value.unwrap_or(0.0),
            _ => {}
        }
    }
}

/// Where the next glyph goes: the text matrix, and the start of its line
/// (the text line matrix), which the line-moving operators start from.
#[derive(Clone, Copy)]
struct TextPosition {
    tm: Matrix,
    line: Matrix,
}

impl TextPosition {
    const START: TextPosition = TextPosition {
        tm: Matrix::IDENTITY,
        line: Matrix::IDENTITY,
    };

    /// The positioning operators `Td`, `TD`, `Tm` and `T*`.
    fn apply(&mut self, operator: &str, nums: &[f64], text: &mut TextState) {
        let line = match (operator, nums) {
            ("Td", &[tx, ty]) => Matrix::translate(tx, ty).then(self.line),
            ("TD", &[tx, ty]) => {
                text.leading = -ty;
                Matrix::translate(tx, ty).then(self.line)
            }
            ("Tm", nums) => match matrix(nums) {
                Some(m) => m,
                None => return,
            },
            ("T*", _) => Matrix::translate(0.0, -text.leading).then(self.line),
            _ => return,
        };
        self.line = line;
        self.tm = line;
    }
}

#[derive(Clone, Copy)]
struct Graphics {
    ctm: Matrix,
    text: TextState,
    /// What the clipping path lets show.
    clip: Rect,
}

/// Reads pages of one document, keeping the fonts it has loaded.
pub(super) struct Reader<'a> {
    doc: &'a Document,
    fonts: Fonts<'a>,
    glyph_count: usize,
    content_bytes: usize,
}

impl<'a> Reader<'a> {
    pub(super) fn new(doc: &'a Document) -> Reader<'a> {
        Reader {
            doc,
            fonts: Fonts::new(doc),
            glyph_count: 0,
            content_bytes: 0,
        }
    }

    /// The glyphs of one page.
    pub(super) fn page(&mut self, page: ObjectId) -> Result<Sheet, NotAPage> {
        let content = self
            .doc
            .get_page_content_with_limit(page, MAX_STREAM_BYTES)
            .map_err(|e| unreadable(&format!("whose page content cannot be read ({e})")))?;
        let resources = self.page_resources(page);
        let mut sheet = Sheet::default();
        let graphics = Graphics {
            ctm: Matrix::IDENTITY,
            text: TextState {
                font: None,
                size: 0.0,
                char_spacing: 0.0,
                word_spacing: 0.0,
                scaling: 1.0,
                leading: 0.0,
                rise: 0.0,
            },
            clip: Rect::EVERYWHERE,
        };
        let mut forms = Vec::new();
        self.run(&content, &resources, graphics, &mut sheet, &mut forms)?;
        Ok(sheet)
    }

    /// The resource dictionaries that apply to a page, nearest first.
    fn page_resources(&self, page: ObjectId) -> Vec<&'a Dictionary> {
        let Ok((inline, ids)) = self.doc.get_page_resources(page) else {
            return Vec::new();
        };
        inline
            .into_iter()
            .chain(
                ids.into_iter()
                    .filter_map(|id| self.doc.get_dictionary(id).ok()),
            )
            .collect()
    }

    /// Runs one content stream. `forms` holds the form XObjects being run, to
    /// refuse one that draws itself.
    fn run(
        &mut self,
        content: &[u8],
        resources: &[&'a Dictionary],
        mut gs: Graphics,
        sheet: &mut Sheet,
        forms: &mut Vec<ObjectId>,
    ) -> Result<(), NotAPage> {
        self.content_bytes += content.len();
        if self.content_bytes > MAX_CONTENT_BYTES {
            return Err(unreadable("whose pages draw more than 128 MB of content"));
        }
        let mut stack: Vec<Graphics> = Vec::new();
        let mut pos = TextPosition::START;
        let mut path = Path::default();
        // One operation at a time: a stream of millions of operators is
        // never held as a list.
        for op in Content::decode_iter(content) {
            let op = op.map_err(|e| {
                unreadable(&format!("with a content stream that cannot be read ({e})"))
            })?;
            let nums: Vec<f64> = op.operands.iter().filter_map(number).collect();
            match op.operator.as_str() {
                "q" if stack.len() >= MAX_SAVED_STATES => {
                    return Err(unreadable("that saves graphics states too deep"));
                }
                "q" => stack.push(gs),
                "Q" => gs = stack.pop().unwrap_or(gs),
                "cm" => {
                    if let Some(m) = matrix(&nums) {
                        gs.ctm = m.then(gs.ctm);
                    }
                }
                "BT" => pos = TextPosition::START,
                "Tf" => {
                    let name = op.operands.first().and_then(|o| o.as_name().ok());
                    gs.text.font = name.and_then(|n| self.fonts.id(resources, n));
                    if let Some(size) = op.operands.get(1).and_then(number) {
                        gs.text.size = size;
                    }
                }
                "Tc" | "Tw" | "Tz" | "TL" | "Ts" => gs.text.set(&op.operator, nums.first()),
                "Td" | "TD" | "Tm" | "T*" => pos.apply(&op.operator, &nums, &mut gs.text),
                "Tj" | "'" | "\"" | "TJ" => self.show_text(&op, &nums, &mut gs, &mut pos, sheet)?,
                "re" | "m" | "l" | "c" | "v" | "y" | "W" | "W*" | "n" | "f" | "F" | "f*" | "S"
                | "s" | "B" | "B*" | "b" | "b*" => {
                    path.apply(&op.operator, &nums, &gs.ctm, &mut gs.clip)
                }
                "Do" => {
                    let Some(name) = op.operands.first().and_then(|o| o.as_name().ok()) else {
                        continue;
                    };
                    self.form(name, resources, gs, sheet, forms)?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The text-showing operators: `Tj`, `TJ` (with its kerning numbers), and
    /// `'` and `"`, which move to the next line first.
    fn show_text(
        &mut self,
        op: &lopdf::content::Operation,
        nums: &[f64],
        gs: &mut Graphics,
        pos: &mut TextPosition,
        sheet: &mut Sheet,
    ) -> Result<(), NotAPage> {
        if op.operator == "\"" {
            if let [aw, ac, ..] = nums[..] {
                gs.text.word_spacing = aw;
                gs.text.char_spacing = ac;
            }
        }
        if op.operator == "'" || op.operator == "\"" {
            pos.apply("T*", &[], &mut gs.text);
        }
        let Some(font) = gs.text.font else {
            return Ok(());
        };
        self.fonts.load(font);
        for operand in &op.operands {
            match operand {
                Object::String(bytes, _) => self.show(bytes, font, gs, &mut pos.tm, sheet)?,
                Object::Array(items) => {
                    for item in items {
                        if let Object::String(bytes, _) = item {
                            self.show(bytes, font, gs, &mut pos.tm, sheet)?;
                        } else if let Some(adjust) = number(item) {
                            let tx = -adjust / 1000.0 * gs.text.size * gs.text.scaling;
                            pos.tm = Matrix::translate(tx, 0.0).then(pos.tm);
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Draws the glyphs of one string, moving the text matrix past each.
    fn show(
        &mut self,
        bytes: &[u8],
        font_id: ObjectId,
        gs: &Graphics,
        tm: &mut Matrix,
        sheet: &mut Sheet,
    ) -> Result<(), NotAPage> {
        let Some(font) = self.fonts.get(&font_id) else {
            return Ok(());
        };
        let t = gs.text;
        for code_bytes in bytes.chunks(font.code_len) {
            let code = code_bytes.iter().fold(0u32, |acc, &b| acc << 8 | b as u32);
            let advance = font.width(code);
            let render = Matrix([t.size * t.scaling, 0.0, 0.0, t.size, 0.0, t.rise])
                .then(*tm)
                .then(gs.ctm);
            let [a, b, c, d, e, f] = render.0;
            let text = font.text(code_bytes);
            // A word space is added to the single-byte code 32 only (9.3.3).
            let word = if font.code_len == 1 && code == 32 {
                t.word_spacing
            } else {
                0.0
            };
            let tx = (advance * t.size + t.char_spacing + word) * t.scaling;
            *tm = Matrix::translate(tx, 0.0).then(*tm);
            if !gs.clip.contains(e, f) {
                continue;
            }
            sheet.glyphs.push(Glyph {
                x: e,
                y: f,
                // The advance in user space: the text space advance through the
                // render matrix's horizontal scale.
                width: advance * a.hypot(b),
                size: c.hypot(d),
                text,
            });
            self.glyph_count += 1;
            if self.glyph_count > MAX_GLYPHS || sheet.glyphs.len() > MAX_SHEET_GLYPHS {
                return Err(unreadable("that draws more glyphs than any printed page"));
            }
        }
        Ok(())
    }

    /// Runs a form XObject named in the resources; images and unknown names draw no text.
    fn form(
        &mut self,
        name: &[u8],
        resources: &[&'a Dictionary],
        gs: Graphics,
        sheet: &mut Sheet,
        forms: &mut Vec<ObjectId>,
    ) -> Result<(), NotAPage> {
        let doc = self.doc;
        let Some((id, stream)) = resources.iter().find_map(|r| {
            let xobjects = deref(doc, r.get(b"XObject").ok()?)?.as_dict().ok()?;
            let reference = xobjects.get(name).ok()?.as_reference().ok()?;
            let stream = doc.get_object(reference).ok()?.as_stream().ok()?;
            Some((reference, stream))
        }) else {
            return Ok(());
        };
        let is_form = stream
            .dict
            .get(b"Subtype")
            .and_then(|s| s.as_name())
            .is_ok_and(|s| s == b"Form");
        if !is_form {
            return Ok(());
        }
        if forms.contains(&id) {
            return Err(unreadable(
                "with a form that draws itself (a reference loop)",
            ));
        }
        if forms.len() >= MAX_FORM_DEPTH {
            return Err(unreadable("with forms nested too deep"));
        }
        let content = stream
            .decompressed_content_with_limit(MAX_STREAM_BYTES)
            .or_else(|_| {
                if stream.dict.has(b"Filter") {
                    Err(())
                } else {
                    Ok(stream.content.clone())
                }
            })
            .map_err(|()| unreadable("with a form whose content cannot be read"))?;
        let mut inner = gs;
        if let Some(m) = stream
            .dict
            .get(b"Matrix")
            .ok()
            .and_then(|m| m.as_array().ok())
            .and_then(|a| matrix(&a.iter().filter_map(number).collect::<Vec<_>>()))
        {
            inner.ctm = m.then(gs.ctm);
        }
        let own = stream
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|r| deref(doc, r))
            .and_then(|r| r.as_dict().ok());
        let mut scope: Vec<&'a Dictionary> = own.into_iter().collect();
        scope.extend_from_slice(resources);
        forms.push(id);
        let result = self.run(&content, &scope, inner, sheet, forms);
        forms.pop();
        result
    }
}

fn matrix(n: &[f64]) -> Option<Matrix> {
    match n {
        [a, b, c, d, e, f] => Some(Matrix([*a, *b, *c, *d, *e, *f])),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrices_compose_in_pdf_order() {
        let scale = Matrix([2.0, 0.0, 0.0, 2.0, 0.0, 0.0]);
        let shift = Matrix::translate(10.0, 5.0);
        // Scale then shift: the origin lands at (10, 5).
        assert_eq!(scale.then(shift).0[4..], [10.0, 5.0]);
        // Shift then scale: at (20, 10).
        assert_eq!(shift.then(scale).0[4..], [20.0, 10.0]);
    }
}
