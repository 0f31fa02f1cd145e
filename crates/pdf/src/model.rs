//! What a printed document holds, before it is laid out on pages: the dossier and the figures
//! are built as a list of blocks, and the layout turns blocks into pages.

/// How a field's text is set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    /// The child's own words: set apart, in italics, with a bar beside them.
    Words,
    /// A part left out of the inspection copy: the marker stands where the text was.
    Masked,
}

/// A mark on the body outline, numbered as in the record's list.
#[derive(Clone, Debug, PartialEq)]
pub struct BodyMark {
    pub back: bool,
    /// Per mille of the outline's width and height, as recorded.
    pub x_permille: u16,
    pub y_permille: u16,
    pub number: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    Title(String),
    Heading(String),
    /// A line of small grey text under a heading: who recorded, when.
    Byline(String),
    /// A labelled field; `indent` sets a correction beside the record it corrects.
    Field {
        label: String,
        text: String,
        style: Style,
        indent: bool,
    },
    /// A drawn signature: path data `M x y L x y …` in a 600 × 200 box.
    Signature {
        who: String,
        path: String,
    },
    /// The body outline, front and back, with its captions and the marks.
    BodyMap {
        marks: Vec<BodyMark>,
        front: String,
        back: String,
    },
    /// A bar chart of counts; `None` is a hidden small count, shown as its text only.
    Bars {
        rows: Vec<(String, String, Option<u32>)>,
    },
    /// A paragraph of plain text over the full width.
    Paragraph(String),
    Rule,
}

/// A document ready for layout: its blocks, the footer printed on every page, and the
/// document information that lets a copy be checked without reading its pages.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Doc {
    pub title: String,
    pub blocks: Vec<Block>,
    pub footer: String,
    pub keywords: Vec<String>,
}
