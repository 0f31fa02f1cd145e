//! Lays blocks out on A4 pages: greedy line breaking with the fonts' advances, page breaks
//! between lines, and a footer with the page number on every page. The result is a list of
//! drawing operations per page, so that "page n of m" is known before anything is drawn.

use crate::fonts::{Face, Fonts};
use crate::model::{Block, BodyMark, Doc, Style};

pub const PAGE_W: f32 = 595.28;
pub const PAGE_H: f32 = 841.89;
const LEFT: f32 = 50.0;
const RIGHT: f32 = PAGE_W - 50.0;
const TOP: f32 = 56.0;
const BOTTOM: f32 = PAGE_H - 70.0;
const LABEL_W: f32 = 130.0;
const GAP: f32 = 10.0;
const INDENT: f32 = 18.0;

pub type Rgb = (u8, u8, u8);
pub const BLACK: Rgb = (0, 0, 0);
pub const GREY: Rgb = (90, 90, 90);
const LIGHT: Rgb = (225, 225, 225);
const ACCENT: Rgb = (0, 82, 147);
const RED: Rgb = (176, 0, 32);

#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    /// Text with its baseline at `y`.
    Text {
        x: f32,
        y: f32,
        face: Face,
        size: f32,
        color: Rgb,
        text: String,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: Rgb,
    },
    /// Strokes of connected points (a signature, an outline, a rule).
    Lines {
        strokes: Vec<Vec<(f32, f32)>>,
        width: f32,
        color: Rgb,
        closed: bool,
    },
    Circle {
        cx: f32,
        cy: f32,
        r: f32,
        color: Rgb,
        filled: bool,
    },
}

/// Breaks `text` into lines no wider than `width`: at spaces where it can, inside a word only
/// when the word alone is too wide. Line breaks in the text are kept.
pub fn wrap(fonts: &Fonts, face: Face, size: f32, text: &str, width: f32) -> Vec<String> {
    let m = fonts.metrics(face);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if m.width(&candidate, size) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            for c in word.chars() {
                line.push(c);
                if m.width(&line, size) > width && line.chars().count() > 1 {
                    line.pop();
                    lines.push(std::mem::take(&mut line));
                    line.push(c);
                }
            }
        }
        lines.push(line);
    }
    lines
}

struct Layout<'a> {
    fonts: &'a Fonts,
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl Layout<'_> {
    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// Starts a new page unless `h` more points fit on this one.
    fn ensure(&mut self, h: f32) {
        if self.pages.is_empty() || (self.y + h > BOTTOM && self.y > TOP) {
            self.new_page();
        }
    }

    fn text(&mut self, x: f32, face: Face, size: f32, color: Rgb, text: &str) {
        let y = self.y;
        self.ops().push(Op::Text {
            x,
            y,
            face,
            size,
            color,
            text: text.to_string(),
        });
    }

    fn lines_full_width(&mut self, face: Face, size: f32, color: Rgb, text: &str, lead: f32) {
        for line in wrap(self.fonts, face, size, text, RIGHT - LEFT) {
            self.ensure(lead);
            self.y += lead;
            self.text(LEFT, face, size, color, &line);
        }
    }

    fn field(&mut self, label: &str, text: &str, style: Style, indent: bool) {
        let shift = if indent { INDENT } else { 0.0 };
        let label_x = LEFT + shift;
        let text_x = LEFT + LABEL_W + GAP + shift;
        let (face, size, color) = match style {
            Style::Plain => (Face::Regular, 10.0, BLACK),
            Style::Words => (Face::Italic, 10.5, BLACK),
            Style::Masked => (Face::Italic, 9.5, GREY),
        };
        let labels = wrap(self.fonts, Face::Bold, 8.5, label, LABEL_W - shift);
        let texts = wrap(self.fonts, face, size, text, RIGHT - text_x - 6.0);
        let lead = 13.5;
        let rows = labels.len().max(texts.len());
        // Keep a short field on one page; a long one may break between its lines.
        self.ensure(lead * rows.min(4) as f32 + 4.0);
        self.y += 3.0;
        for i in 0..rows {
            self.ensure(lead);
            let top = self.y;
            self.y += lead;
            if let Some(l) = labels.get(i) {
                self.text(label_x, Face::Bold, 8.5, GREY, l);
            }
            if let Some(t) = texts.get(i) {
                match style {
                    Style::Words => self.ops().push(Op::Rect {
                        x: text_x - 8.0,
                        y: top + 2.0,
                        w: 2.5,
                        h: lead,
                        color: ACCENT,
                    }),
                    Style::Masked => self.ops().push(Op::Rect {
                        x: text_x - 3.0,
                        y: top + 2.0,
                        w: RIGHT - text_x + 3.0,
                        h: lead,
                        color: LIGHT,
                    }),
                    Style::Plain => {}
                }
                self.text(text_x, face, size, color, t);
            }
            if indent {
                self.ops().push(Op::Rect {
                    x: LEFT + 4.0,
                    y: top + 2.0,
                    w: 1.5,
                    h: lead,
                    color: GREY,
                });
            }
        }
    }

    fn signature(&mut self, who: &str, path: &str) {
        let (w, h) = (180.0, 60.0);
        self.ensure(h + 30.0);
        self.y += 6.0;
        let x0 = LEFT + LABEL_W + GAP;
        let y0 = self.y;
        let scale = w / 600.0;
        let strokes: Vec<Vec<(f32, f32)>> = parse_path(path)
            .into_iter()
            .map(|s| {
                s.into_iter()
                    .map(|(x, y)| {
                        (
                            x0 + x.clamp(0.0, 600.0) * scale,
                            y0 + y.clamp(0.0, 200.0) * scale,
                        )
                    })
                    .collect()
            })
            .collect();
        let ops = self.ops();
        ops.push(Op::Lines {
            strokes: vec![vec![(x0, y0), (x0 + w, y0), (x0 + w, y0 + h), (x0, y0 + h)]],
            width: 0.5,
            color: LIGHT,
            closed: true,
        });
        ops.push(Op::Lines {
            strokes,
            width: 1.2,
            color: BLACK,
            closed: false,
        });
        self.y += h + 12.0;
        self.text(x0, Face::Regular, 8.5, GREY, who);
        self.y += 4.0;
    }

    fn body_map(&mut self, marks: &[BodyMark], front: &str, back: &str) {
        let scale = 0.6;
        let (w, h) = (100.0 * scale, 220.0 * scale);
        self.ensure(h + 30.0);
        self.y += 8.0;
        let y0 = self.y;
        for (i, (is_back, caption)) in [(false, front), (true, back)].into_iter().enumerate() {
            let x0 = LEFT + LABEL_W + GAP + i as f32 * (w + 40.0);
            let at = |x: f32, y: f32| (x0 + x * scale, y0 + y * scale);
            let outline: Vec<(f32, f32)> = OUTLINE.iter().map(|&(x, y)| at(x, y)).collect();
            let (hx, hy) = at(50.0, 18.0);
            let ops = self.ops();
            ops.push(Op::Circle {
                cx: hx,
                cy: hy,
                r: 14.0 * scale,
                color: BLACK,
                filled: false,
            });
            ops.push(Op::Lines {
                strokes: vec![outline],
                width: 0.8,
                color: BLACK,
                closed: true,
            });
            for m in marks.iter().filter(|m| m.back == is_back) {
                let (cx, cy) = at(
                    f32::from(m.x_permille.min(1000)) / 10.0,
                    f32::from(m.y_permille.min(1000)) / 1000.0 * 220.0,
                );
                ops.push(Op::Circle {
                    cx,
                    cy,
                    r: 2.5,
                    color: RED,
                    filled: true,
                });
                ops.push(Op::Text {
                    x: cx + 4.0,
                    y: cy + 3.0,
                    face: Face::Bold,
                    size: 7.5,
                    color: RED,
                    text: m.number.to_string(),
                });
            }
            ops.push(Op::Text {
                x: x0,
                y: y0 + h + 12.0,
                face: Face::Regular,
                size: 8.5,
                color: GREY,
                text: caption.to_string(),
            });
        }
        self.y += h + 18.0;
    }

    fn bars(&mut self, rows: &[(String, String, Option<u32>)]) {
        let max = rows.iter().filter_map(|r| r.2).max().unwrap_or(0).max(1);
        let bar_x = LEFT + LABEL_W + GAP + 50.0;
        let bar_w = RIGHT - bar_x;
        for (label, value, count) in rows {
            self.field(label, value, Style::Plain, false);
            if let Some(n) = count {
                let w = bar_w * (*n as f32) / (max as f32);
                let y = self.y - 10.0;
                self.ops().push(Op::Rect {
                    x: bar_x,
                    y,
                    w: w.max(1.0),
                    h: 8.0,
                    color: ACCENT,
                });
            }
        }
    }
}

/// The body outline of the app's body map (`BodyMap.svelte`), in its 100 × 220 box; the head
/// is a circle at (50, 18) with radius 14.
const OUTLINE: [(f32, f32); 15] = [
    (30.0, 36.0),
    (70.0, 36.0),
    (82.0, 96.0),
    (74.0, 98.0),
    (66.0, 58.0),
    (66.0, 118.0),
    (72.0, 196.0),
    (58.0, 196.0),
    (52.0, 126.0),
    (46.0, 196.0),
    (32.0, 196.0),
    (38.0, 118.0),
    (38.0, 58.0),
    (30.0, 98.0),
    (22.0, 96.0),
];

/// Reads our own signature path data (`M x y L x y …`, see `ui/src/lib/signature.ts`) into
/// strokes. Anything else yields no strokes: a stored value is drawn, never interpreted.
pub fn parse_path(path: &str) -> Vec<Vec<(f32, f32)>> {
    let mut strokes: Vec<Vec<(f32, f32)>> = Vec::new();
    let mut tokens = path.split_whitespace().peekable();
    while let Some(token) = tokens.next() {
        let (command, first) = token.split_at(token.chars().next().map_or(0, char::len_utf8));
        let x: Option<f32> = if first.is_empty() {
            tokens.next().and_then(|t| t.parse().ok())
        } else {
            first.parse().ok()
        };
        let y: Option<f32> = tokens.next().and_then(|t| t.parse().ok());
        let (Some(x), Some(y)) = (x, y) else {
            return Vec::new();
        };
        if !(x.is_finite() && y.is_finite()) {
            return Vec::new();
        }
        match command {
            "M" => strokes.push(vec![(x, y)]),
            "L" => match strokes.last_mut() {
                Some(s) => s.push((x, y)),
                None => return Vec::new(),
            },
            _ => return Vec::new(),
        }
    }
    strokes
}

/// The pages of `doc`, each a list of drawing operations, footer included.
pub fn lay_out(fonts: &Fonts, doc: &Doc) -> Vec<Vec<Op>> {
    let mut l = Layout {
        fonts,
        pages: Vec::new(),
        y: TOP,
    };
    for block in &doc.blocks {
        match block {
            Block::Title(t) => l.lines_full_width(Face::Bold, 17.0, BLACK, t, 22.0),
            Block::Heading(t) => {
                l.ensure(60.0);
                l.y += 10.0;
                l.lines_full_width(Face::Bold, 11.5, ACCENT, t, 15.0);
            }
            Block::Byline(t) => l.lines_full_width(Face::Regular, 8.5, GREY, t, 12.0),
            Block::Field {
                label,
                text,
                style,
                indent,
            } => l.field(label, text, *style, *indent),
            Block::Signature { who, path } => l.signature(who, path),
            Block::BodyMap { marks, front, back } => l.body_map(marks, front, back),
            Block::Bars { rows } => l.bars(rows),
            Block::Paragraph(t) => {
                l.y += 4.0;
                l.lines_full_width(Face::Regular, 10.0, BLACK, t, 14.0);
            }
            Block::Rule => {
                l.ensure(12.0);
                l.y += 8.0;
                let y = l.y;
                l.ops().push(Op::Lines {
                    strokes: vec![vec![(LEFT, y), (RIGHT, y)]],
                    width: 0.5,
                    color: LIGHT,
                    closed: false,
                });
            }
        }
    }
    if l.pages.is_empty() {
        l.new_page();
    }
    let total = l.pages.len();
    let footer = wrap(fonts, Face::Regular, 7.5, &doc.footer, RIGHT - LEFT - 80.0);
    for (n, page) in l.pages.iter_mut().enumerate() {
        let mut y = BOTTOM + 22.0;
        page.push(Op::Lines {
            strokes: vec![vec![(LEFT, BOTTOM + 10.0), (RIGHT, BOTTOM + 10.0)]],
            width: 0.5,
            color: LIGHT,
            closed: false,
        });
        for line in &footer {
            page.push(Op::Text {
                x: LEFT,
                y,
                face: Face::Regular,
                size: 7.5,
                color: GREY,
                text: line.clone(),
            });
            y += 10.0;
        }
        let number = format!("{} / {}", n + 1, total);
        let w = fonts.regular.width(&number, 7.5);
        page.push(Op::Text {
            x: RIGHT - w,
            y: BOTTOM + 22.0,
            face: Face::Regular,
            size: 7.5,
            color: GREY,
            text: number,
        });
    }
    l.pages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_lines_within_the_width_and_every_word() {
        let fonts = Fonts::load().expect("fonts");
        let text = "Blauwe plek op de linker bovenarm, ongeveer drie centimeter, geelgroen van kleur.\nTweede alinea met eenheelergwoordzonderspatiesdatnietpastopééndraaiendestrook";
        let lines = wrap(&fonts, Face::Regular, 10.0, text, 120.0);
        assert!(lines.len() > 4);
        for line in &lines {
            assert!(fonts.regular.width(line, 10.0) <= 120.0, "{line}");
        }
        assert_eq!(
            lines.concat().replace(' ', ""),
            text.replace([' ', '\n'], "")
        );
    }

    #[test]
    fn only_our_own_signature_path_data_is_drawn() {
        assert_eq!(
            parse_path("M10 20 L30 40 L50 60 M1 2 L3 4"),
            vec![
                vec![(10.0, 20.0), (30.0, 40.0), (50.0, 60.0)],
                vec![(1.0, 2.0), (3.0, 4.0)]
            ]
        );
        assert!(parse_path("<script>").is_empty());
        assert!(parse_path("L1 2").is_empty());
        assert!(parse_path("M1 NaN").is_empty());
    }
}
