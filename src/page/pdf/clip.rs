//! The clipping region, as far as reading text needs it: the box around it.
//!
//! A printer that breaks a page into sheets may draw a line that straddles
//! the break on both sheets, each clipped to its own sheet's area (WebKit
//! does). What is clipped away is not shown, so a glyph whose origin falls
//! outside the clip is not read: of a straddling line, each sheet keeps only
//! what it shows of it, and its baseline is shown on one. The clip is kept as
//! a box (the bounding box of each clipping path, intersected): never smaller
//! than the true region, so no glyph that shows is lost.

use super::glyphs::Matrix;

/// An axis-aligned box in the page's default user space.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Rect {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Rect {
    /// No clip: the whole plane.
    pub(super) const EVERYWHERE: Rect = Rect {
        x0: f64::NEG_INFINITY,
        y0: f64::NEG_INFINITY,
        x1: f64::INFINITY,
        y1: f64::INFINITY,
    };

    fn around(x: f64, y: f64) -> Rect {
        Rect {
            x0: x,
            y0: y,
            x1: x,
            y1: y,
        }
    }

    fn take(&mut self, x: f64, y: f64) {
        self.x0 = self.x0.min(x);
        self.y0 = self.y0.min(y);
        self.x1 = self.x1.max(x);
        self.y1 = self.y1.max(y);
    }

    fn intersect(self, other: Rect) -> Rect {
        Rect {
            x0: self.x0.max(other.x0),
            y0: self.y0.max(other.y0),
            x1: self.x1.min(other.x1),
            y1: self.y1.min(other.y1),
        }
    }

    /// Whether a point shows, with half a point to spare for rounding.
    pub(super) fn contains(&self, x: f64, y: f64) -> bool {
        const SLACK: f64 = 0.5;
        x >= self.x0 - SLACK && x <= self.x1 + SLACK && y >= self.y0 - SLACK && y <= self.y1 + SLACK
    }
}

/// The path under construction, as the box around its points, and whether
/// it is to become the clip when it is painted (`W` or `W*` before `n`).
#[derive(Debug, Default)]
pub(super) struct Path {
    bounds: Option<Rect>,
    clips: bool,
}

impl Path {
    /// Takes one path operator: construction (`m`, `l`, `c`, `v`, `y`, `re`),
    /// clipping (`W`, `W*`) and painting, which ends the path and narrows
    /// `clip` when the path clips. Other operators are left alone.
    pub(super) fn apply(&mut self, operator: &str, nums: &[f64], ctm: &Matrix, clip: &mut Rect) {
        match (operator, nums) {
            ("re", &[x, y, w, h]) => {
                for (px, py) in [(x, y), (x + w, y), (x, y + h), (x + w, y + h)] {
                    self.point(ctm, px, py);
                }
            }
            ("m" | "l" | "c" | "v" | "y", nums) => {
                for pair in nums.chunks_exact(2) {
                    self.point(ctm, pair[0], pair[1]);
                }
            }
            ("W" | "W*", _) => self.clips = true,
            ("n" | "f" | "F" | "f*" | "S" | "s" | "B" | "B*" | "b" | "b*", _) => {
                if let (true, Some(bounds)) = (self.clips, self.bounds) {
                    *clip = clip.intersect(bounds);
                }
                *self = Path::default();
            }
            _ => {}
        }
    }

    fn point(&mut self, ctm: &Matrix, x: f64, y: f64) {
        let (x, y) = ctm.apply(x, y);
        match &mut self.bounds {
            Some(bounds) => bounds.take(x, y),
            None => self.bounds = Some(Rect::around(x, y)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clipping_rectangle_narrows_the_clip_through_the_ctm() {
        // Flipped as WebKit's sheets are: y down from the top of a 420 pt sheet.
        let ctm = Matrix([1.0, 0.0, 0.0, -1.0, 0.0, 420.0]);
        let mut clip = Rect::EVERYWHERE;
        let mut path = Path::default();
        path.apply("re", &[18.0, 18.0, 260.0, 360.0], &ctm, &mut clip);
        path.apply("W*", &[], &ctm, &mut clip);
        assert_eq!(clip, Rect::EVERYWHERE, "not before the path is ended");
        path.apply("n", &[], &ctm, &mut clip);
        assert!(clip.contains(100.0, 300.0));
        assert!(!clip.contains(100.0, 40.0), "below the sheet's area");
        assert!(!clip.contains(300.0, 300.0));
        // A path that does not clip leaves it as it is.
        path.apply("re", &[0.0, 0.0, 1.0, 1.0], &ctm, &mut clip);
        path.apply("f", &[], &ctm, &mut clip);
        assert!(clip.contains(100.0, 300.0));
    }
}
