//! What a user may read: the case list, one case as the case screen shows it, an export.

use super::user_rows::load_any_user;
use super::Store;
use crate::error::{Result, StoreError};
use crate::log;
use crate::projection::{self, CaseListItem};
use chrono::{DateTime, Utc};
use meldcode_engine::envelope::Envelope;
use meldcode_engine::next_actions::{next_actions, NextAction};
use meldcode_engine::people::User;
use meldcode_engine::rules::r14_roles::permitted_commands;
use meldcode_engine::state::TimelineEntry;
use meldcode_engine::summary::{summarise, CaseSummary};
use meldcode_engine::{CaseId, CaseState, RuleId, UserId};
use serde::Serialize;

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Serialize)]
pub struct CaseView {
    pub summary: CaseSummary,
    pub next_actions: Vec<NextAction>,
    pub timeline: Vec<TimelineEntry>,
    pub events: Vec<Envelope>,
    /// The commands this user may give on the case (R2, R14): the app shows only these.
    pub permitted: Vec<String>,
    /// Everyone who recorded in the case, also users removed since, for the timeline's "who".
    pub people: Vec<User>,
    /// The text of each rule behind the next actions.
    pub rules: Vec<RuleText>,
    /// Records made apart on two devices (R11), resolved or not; the case screen shows an open
    /// one side by side.
    pub conflicts: Vec<meldcode_engine::rules::r11_offline_conflict::Conflict>,
}

/// A protocol rule as the case screen shows it behind a next action.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleText {
    pub id: RuleId,
    pub title: String,
    pub text: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct CaseExport {
    pub exported_at: DateTime<Utc>,
    pub exported_by: UserId,
    pub school: String,
    pub summary: CaseSummary,
    pub events: Vec<Envelope>,
}

impl Store {
    pub fn list_cases(&self, search: Option<&str>) -> Result<Vec<CaseListItem>> {
        projection::list(
            &self.conn,
            self.user.actor(),
            search,
            Utc::now().date_naive(),
        )
    }

    /// A case's events, if this user may see it; an invisible case is "not found", so that its
    /// existence is not revealed either (R2).
    pub(super) fn visible_case(&self, case_id: CaseId) -> Result<(CaseState, Vec<Envelope>)> {
        let events = log::case_events(&self.conn, case_id, &self.known_devices)?;
        let state = CaseState::replay(&events);
        if state.case_id.is_none() || !meldcode_engine::access::can_see(&state, self.user.actor()) {
            return Err(StoreError::NotFound { what: "Dossier" });
        }
        Ok((state, events))
    }

    pub fn case_view(&self, case_id: CaseId) -> Result<CaseView> {
        let (state, events) = self.visible_case(case_id)?;
        let now = Utc::now();
        let policy = self.profile.policy();
        let summary =
            summarise(&state, policy, now).ok_or(StoreError::NotFound { what: "Dossier" })?;
        let actions = next_actions(&state, policy, now);
        let mut rule_ids: Vec<RuleId> = actions.iter().map(|a| a.rule).collect();
        rule_ids.sort();
        rule_ids.dedup();
        let people = self.people(
            events
                .iter()
                .map(|e| e.author)
                .chain(state.involved.iter().copied()),
        )?;
        Ok(CaseView {
            summary,
            next_actions: actions,
            timeline: state.timeline.clone(),
            permitted: permitted_commands(&state, self.user.actor())
                .into_iter()
                .map(str::to_owned)
                .collect(),
            people,
            rules: rule_ids
                .into_iter()
                .map(|id| RuleText {
                    id,
                    title: id.title_nl().to_owned(),
                    text: id.text_nl().to_owned(),
                })
                .collect(),
            conflicts: state.conflicts.clone(),
            events,
        })
    }

    /// The users named by `ids`, each once, also users removed since (for "who recorded").
    pub(super) fn people(&self, ids: impl IntoIterator<Item = UserId>) -> Result<Vec<User>> {
        let mut ids: Vec<UserId> = ids.into_iter().collect();
        ids.sort();
        ids.dedup();
        let mut people = Vec::new();
        for id in ids {
            if let Some(user) = load_any_user(&self.conn, id)? {
                people.push(user);
            }
        }
        Ok(people)
    }

    pub fn case_state(&self, case_id: CaseId) -> Result<CaseState> {
        Ok(self.visible_case(case_id)?.0)
    }

    pub fn export_case(&self, case_id: CaseId) -> Result<CaseExport> {
        let view = self.case_view(case_id)?;
        Ok(CaseExport {
            exported_at: Utc::now(),
            exported_by: self.user.id,
            school: self.profile.school_name.clone(),
            summary: view.summary,
            events: view.events,
        })
    }
}
