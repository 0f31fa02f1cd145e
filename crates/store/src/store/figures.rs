//! The evaluation figures over the cases this user may see, and their CSV.

use super::Store;
use crate::error::{Result, StoreError};
use crate::log;
use crate::projection;
use chrono::{NaiveDate, Utc};
use meldcode_engine::figures::{may_see_figures, Figures, Period};
use meldcode_engine::CaseState;

impl Store {
    pub fn evaluation_figures(&self, from: NaiveDate, to: NaiveDate) -> Result<Figures> {
        if !may_see_figures(self.user.role) {
            return Err(StoreError::NotAllowed {
                message:
                    "De cijfers over de meldcode zijn voor de directie en de aandachtsfunctionaris."
                        .into(),
            });
        }
        let period = Period::new(from, to).ok_or_else(|| StoreError::Invalid {
            message: "De periode eindigt voordat ze begint: kies een einddatum na de begindatum."
                .into(),
        })?;
        let mut cases = Vec::new();
        for case_id in projection::visible_case_ids(&self.conn, self.user.actor())? {
            let events = log::case_events(&self.conn, case_id, &self.known_devices)?;
            cases.push(CaseState::replay(&events));
        }
        Ok(Figures::of(
            &cases,
            period,
            self.profile.policy(),
            Utc::now(),
        ))
    }
}

impl Store {
    /// The figures as a printed page (PDF), made by this user now.
    pub fn figures_pdf(&self, figures: &Figures) -> Result<Vec<u8>> {
        let doc = meldcode_pdf::figures::figures_doc(
            figures,
            &self.profile.school_name,
            Utc::now(),
            &self.user.full_name,
        );
        Ok(meldcode_pdf::to_pdf(&doc)?)
    }
}

/// Semicolons, as a Dutch spreadsheet expects them; every count is already suppressed.
pub fn figures_csv(figures: &Figures) -> Result<String> {
    let failed = || StoreError::Invalid {
        message: "De cijfers konden niet als CSV worden gemaakt.".into(),
    };
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    let period = format!("{} t/m {}", figures.period.from, figures.period.to);
    let mut rows = vec![
        [
            "Cijfer".to_owned(),
            "Aantal dossiers".into(),
            "Mediaan in dagen".into(),
        ],
        ["Periode".to_owned(), period, String::new()],
    ];
    rows.extend(figures.rows().into_iter().map(|(label, count, median)| {
        [
            label.to_owned(),
            count,
            median.map(|d| d.to_string()).unwrap_or_default(),
        ]
    }));
    for row in rows {
        w.write_record(&row).map_err(|_| failed())?;
    }
    let bytes = w.into_inner().map_err(|_| failed())?;
    String::from_utf8(bytes).map_err(|_| failed())
}
