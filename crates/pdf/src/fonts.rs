//! The embedded fonts and their glyph advances, for line breaking.

use krilla::text::Font;
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::{FontRef, MetadataProvider};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Face {
    Regular,
    Bold,
    Italic,
}

impl Face {
    fn bytes(self) -> &'static [u8] {
        match self {
            Face::Regular => dejavu::sans::regular(),
            Face::Bold => dejavu::sans::bold(),
            Face::Italic => dejavu::sans::oblique(),
        }
    }
}

/// One face: the font for krilla and its advances at size 1, for measuring.
pub struct Metrics {
    font: FontRef<'static>,
    glyphs: GlyphMetrics<'static>,
}

impl Metrics {
    pub fn new(face: Face) -> Option<Self> {
        let font = FontRef::new(face.bytes()).ok()?;
        let glyphs = font.glyph_metrics(Size::new(1.0), LocationRef::default());
        Some(Self { font, glyphs })
    }

    /// The width of `text` at `size` points, without kerning (kerning only narrows a line).
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let charmap = self.font.charmap();
        text.chars()
            .map(|c| {
                let glyph = charmap.map(c).unwrap_or_default();
                self.glyphs.advance_width(glyph).unwrap_or(0.0)
            })
            .sum::<f32>()
            * size
    }
}

pub struct Fonts {
    pub regular: Metrics,
    pub bold: Metrics,
    pub italic: Metrics,
}

impl Fonts {
    pub fn load() -> Option<Self> {
        Some(Self {
            regular: Metrics::new(Face::Regular)?,
            bold: Metrics::new(Face::Bold)?,
            italic: Metrics::new(Face::Italic)?,
        })
    }

    pub fn metrics(&self, face: Face) -> &Metrics {
        match face {
            Face::Regular => &self.regular,
            Face::Bold => &self.bold,
            Face::Italic => &self.italic,
        }
    }
}

/// The krilla font for a face; `None` only if the embedded file were broken.
pub fn krilla_font(face: Face) -> Option<Font> {
    Font::new(face.bytes().into(), 0)
}
