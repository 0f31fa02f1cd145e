//! The evaluation figures as a printed page for the director's evaluation: the same counts as
//! the screen, every small count already hidden by the engine, bars drawn for the shown ones.

use crate::dutch;
use crate::model::{Block, Doc, Style};
use chrono::{DateTime, Utc};
use meldcode_engine::figures::{Figure, Figures};

fn bars(figures: &[Figure]) -> Block {
    Block::Bars {
        rows: figures
            .iter()
            .map(|f| {
                (
                    f.code.label_nl().to_string(),
                    f.count.text(),
                    f.count.shown(),
                )
            })
            .collect(),
    }
}

/// The figures as a document, for `to_pdf`. No pupil is named anywhere in it.
pub fn figures_doc(figures: &Figures, school: &str, made_at: DateTime<Utc>, made_by: &str) -> Doc {
    let period = format!(
        "{} t/m {}",
        dutch::date(figures.period.from),
        dutch::date(figures.period.to)
    );
    let mut blocks = vec![
        Block::Title("Evaluatie van de meldcode".into()),
        Block::Field {
            label: "School".into(),
            text: school.into(),
            style: Style::Plain,
            indent: false,
        },
        Block::Field {
            label: "Periode".into(),
            text: period.clone(),
            style: Style::Plain,
            indent: false,
        },
        Block::Field {
            label: "Gemaakt".into(),
            text: format!("{} door {made_by}", dutch::moment(made_at)),
            style: Style::Plain,
            indent: false,
        },
        Block::Paragraph(
            "Aantallen onder de 5 staan er als \u{201c}< 5\u{201d}, zodat geen leerling herkenbaar is; een mediaan staat er alleen als er 5 of meer dossiers achter zitten."
                .into(),
        ),
        Block::Heading("Dossiers".into()),
        bars(&figures.cases),
        Block::Heading("Uitkomsten van de afgesloten dossiers".into()),
        bars(&figures.outcomes),
        Block::Heading("Meldingen, hulp en noodsituaties".into()),
        bars(&figures.steps),
        Block::Heading("Doorlooptijden".into()),
    ];
    for d in &figures.durations {
        let text = match d.median_days {
            Some(days) => format!("mediaan {days} dagen, over {} dossiers", d.cases.text()),
            None => format!("{} dossiers; te weinig voor een mediaan", d.cases.text()),
        };
        blocks.push(Block::Field {
            label: d.code.label_nl().into(),
            text,
            style: Style::Plain,
            indent: false,
        });
    }
    blocks.push(Block::Heading("Nu te laat".into()));
    blocks.push(Block::Bars {
        rows: vec![(
            meldcode_engine::figures::FigureCode::OverdueNow
                .label_nl()
                .to_string(),
            figures.overdue_now.text(),
            figures.overdue_now.shown(),
        )],
    });
    blocks.push(Block::Heading("Urgente routes".into()));
    blocks.push(bars(&figures.routes));
    Doc {
        title: format!("Evaluatie meldcode {period}"),
        blocks,
        footer: format!(
            "{school} · evaluatie van de meldcode · {period} · aantallen onder 5 staan als < 5"
        ),
        keywords: Vec::new(),
    }
}
