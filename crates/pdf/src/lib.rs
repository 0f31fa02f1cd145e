//! Printed copies: a case's dossier (full, or the parent's inspection copy with masks) and the
//! evaluation figures, as PDF. Pure: the store hands in the records and gets bytes back.

pub mod dossier;
mod dutch;
pub mod figures;
mod fonts;
pub mod labels;
mod layout;
pub mod model;
mod render;

use std::fmt;

/// Why a PDF could not be made. Neither can happen with the embedded fonts and valid pages;
/// they are errors rather than panics because a failed export must not take the app down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PdfError {
    Fonts,
    Render(String),
}

impl fmt::Display for PdfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PdfError::Fonts => write!(f, "the embedded fonts could not be read"),
            PdfError::Render(why) => write!(f, "the PDF could not be written: {why}"),
        }
    }
}

impl std::error::Error for PdfError {}

/// Lays out and writes `doc`.
pub fn to_pdf(doc: &model::Doc) -> Result<Vec<u8>, PdfError> {
    let fonts = fonts::Fonts::load().ok_or(PdfError::Fonts)?;
    let pages = layout::lay_out(&fonts, doc);
    render::render(&pages, &doc.title, &doc.keywords)
}
