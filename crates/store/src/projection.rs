//! The case list, kept in the same transaction as each append so that lists need no replay.

use crate::error::{Result, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use meldcode_engine::access::Audience;
use meldcode_engine::policy::CasePolicy;
use meldcode_engine::summary::{summarise, CaseSummary};
use meldcode_engine::{Actor, CaseState, UserId};
use rusqlite::{params, Connection};
use serde::Serialize;

pub fn upsert(
    tx: &Connection,
    state: &CaseState,
    policy: CasePolicy,
    now: DateTime<Utc>,
) -> Result<()> {
    let Some(summary) = summarise(state, policy, now) else {
        return Ok(());
    };
    tx.prepare_cached(
        "INSERT INTO cases (case_id, pupil_name, pupil_group, step, next_due, closed,
                            last_recorded_at, summary, audience)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (case_id) DO UPDATE SET
            pupil_name = excluded.pupil_name, pupil_group = excluded.pupil_group,
            step = excluded.step, next_due = excluded.next_due, closed = excluded.closed,
            last_recorded_at = excluded.last_recorded_at, summary = excluded.summary,
            audience = excluded.audience",
    )?
    .execute(params![
        summary.case_id.to_string(),
        summary.pupil_name,
        summary.group,
        summary.step.number(),
        summary.next_due.map(|d| d.to_string()),
        summary.outcome.is_some(),
        summary.last_recorded_at.unwrap_or(now).to_rfc3339(),
        json(&summary)?,
        json(&Audience::of(state))?,
    ])?;
    Ok(())
}

fn json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|_| StoreError::Invalid {
        message: "Overzicht kon niet worden bijgewerkt.".into(),
    })
}

/// One row of the case list as the app shows it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CaseListItem {
    #[serde(flatten)]
    pub summary: CaseSummary,
    pub overdue: bool,
}

/// The cases `viewer` may see, open ones with overdue actions first, then by due date, then the
/// most recently touched. `search` matches pupil name or group.
pub fn list(
    conn: &Connection,
    viewer: Actor,
    search: Option<&str>,
    today: NaiveDate,
) -> Result<Vec<CaseListItem>> {
    let pattern = search
        .map(|s| format!("%{}%", s.trim().replace(['%', '_'], "")))
        .unwrap_or_else(|| "%".into());
    let mut stmt = conn.prepare_cached(
        "SELECT summary, audience FROM cases
         WHERE pupil_name LIKE ?1 OR pupil_group LIKE ?1
         ORDER BY closed, next_due IS NULL, next_due, last_recorded_at DESC",
    )?;
    let rows = stmt.query_map(params![pattern], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (summary, audience) = row?;
        if !admits(&audience, viewer)? {
            continue;
        }
        let summary: CaseSummary = serde_json::from_str(&summary).map_err(|_| damaged())?;
        let overdue = summary.outcome.is_none() && summary.next_due.is_some_and(|d| d < today);
        out.push(CaseListItem { summary, overdue });
    }
    out.sort_by_key(|c| !c.overdue);
    Ok(out)
}

/// Whether `user` is the suspected employee in an open or closed staff case (R2). Read from the
/// case list's audience, without replaying any case.
pub fn suspected_in_staff_case(conn: &Connection, user: UserId) -> Result<bool> {
    let found: i64 = conn.query_row(
        "SELECT count(*) FROM cases WHERE json_extract(audience, '$.suspect') = ?1",
        params![user.to_string()],
        |r| r.get(0),
    )?;
    Ok(found > 0)
}

/// The ids of the cases `viewer` may see, read from the case list's audience.
pub fn visible_case_ids(conn: &Connection, viewer: Actor) -> Result<Vec<meldcode_engine::CaseId>> {
    let mut stmt = conn.prepare_cached("SELECT case_id, audience FROM cases ORDER BY case_id")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (id, audience) = row?;
        if admits(&audience, viewer)? {
            out.push(id.parse().map_err(|_| damaged())?);
        }
    }
    Ok(out)
}

fn damaged() -> StoreError {
    StoreError::Damaged {
        detail: "overzicht van dossiers".into(),
    }
}

/// Whether the case list's stored audience lets `viewer` see the case (R14, R2).
fn admits(audience: &str, viewer: Actor) -> Result<bool> {
    let audience: Audience = serde_json::from_str(audience).map_err(|_| damaged())?;
    Ok(audience.admits(viewer))
}
