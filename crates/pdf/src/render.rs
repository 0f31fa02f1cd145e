//! Draws laid-out pages with krilla: embedded, subset DejaVu fonts and vector drawings.

use crate::fonts::{krilla_font, Face};
use crate::layout::{Op, Rgb, PAGE_H, PAGE_W};
use crate::PdfError;
use krilla::color::rgb;
use krilla::geom::{Path, PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use krilla::Document;

fn color(c: Rgb) -> rgb::Color {
    rgb::Color::new(c.0, c.1, c.2)
}

fn fill(c: Rgb) -> Fill {
    Fill {
        paint: color(c).into(),
        ..Fill::default()
    }
}

/// A circle from four Bézier quarters.
fn circle(cx: f32, cy: f32, r: f32) -> Option<Path> {
    const K: f32 = 0.552_284_8;
    let k = K * r;
    let mut pb = PathBuilder::new();
    pb.move_to(cx + r, cy);
    pb.cubic_to(cx + r, cy + k, cx + k, cy + r, cx, cy + r);
    pb.cubic_to(cx - k, cy + r, cx - r, cy + k, cx - r, cy);
    pb.cubic_to(cx - r, cy - k, cx - k, cy - r, cx, cy - r);
    pb.cubic_to(cx + k, cy - r, cx + r, cy - k, cx + r, cy);
    pb.close();
    pb.finish()
}

struct Faces {
    regular: Font,
    bold: Font,
    italic: Font,
}

impl Faces {
    fn get(&self, face: Face) -> Font {
        match face {
            Face::Regular => self.regular.clone(),
            Face::Bold => self.bold.clone(),
            Face::Italic => self.italic.clone(),
        }
    }
}

fn draw(surface: &mut Surface<'_>, faces: &Faces, op: &Op) {
    match op {
        Op::Text {
            x,
            y,
            face,
            size,
            color: c,
            text,
        } => {
            surface.set_stroke(None);
            surface.set_fill(Some(fill(*c)));
            surface.draw_text(
                Point::from_xy(*x, *y),
                faces.get(*face),
                *size,
                text,
                false,
                TextDirection::Auto,
            );
        }
        Op::Rect {
            x,
            y,
            w,
            h,
            color: c,
        } => {
            let mut pb = PathBuilder::new();
            if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                pb.push_rect(rect);
            }
            if let Some(path) = pb.finish() {
                surface.set_stroke(None);
                surface.set_fill(Some(fill(*c)));
                surface.draw_path(&path);
            }
        }
        Op::Lines {
            strokes,
            width,
            color: c,
            closed,
        } => {
            let mut pb = PathBuilder::new();
            for stroke in strokes {
                let mut points = stroke.iter();
                if let Some(&(x, y)) = points.next() {
                    pb.move_to(x, y);
                    // A tap without a stroke still leaves a dot.
                    if stroke.len() == 1 {
                        pb.line_to(x + 0.1, y);
                    }
                }
                for &(x, y) in points {
                    pb.line_to(x, y);
                }
                if *closed {
                    pb.close();
                }
            }
            if let Some(path) = pb.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    paint: color(*c).into(),
                    width: *width,
                    line_cap: krilla::paint::LineCap::Round,
                    line_join: krilla::paint::LineJoin::Round,
                    ..Stroke::default()
                }));
                surface.draw_path(&path);
            }
        }
        Op::Circle {
            cx,
            cy,
            r,
            color: c,
            filled,
        } => {
            if let Some(path) = circle(*cx, *cy, *r) {
                if *filled {
                    surface.set_stroke(None);
                    surface.set_fill(Some(fill(*c)));
                } else {
                    surface.set_fill(None);
                    surface.set_stroke(Some(Stroke {
                        paint: color(*c).into(),
                        width: 0.8,
                        ..Stroke::default()
                    }));
                }
                surface.draw_path(&path);
            }
        }
    }
}

pub fn render(pages: &[Vec<Op>], title: &str, keywords: &[String]) -> Result<Vec<u8>, PdfError> {
    let font = |face| krilla_font(face).ok_or(PdfError::Fonts);
    let faces = Faces {
        regular: font(Face::Regular)?,
        bold: font(Face::Bold)?,
        italic: font(Face::Italic)?,
    };
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(title.to_string())
            .keywords(keywords.to_vec())
            .creator("Meldcode".to_string())
            .language("nl".to_string()),
    );
    let settings = PageSettings::from_wh(PAGE_W, PAGE_H).ok_or(PdfError::Fonts)?;
    for ops in pages {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        for op in ops {
            draw(&mut surface, &faces, op);
        }
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| PdfError::Render(format!("{e:?}")))
}
