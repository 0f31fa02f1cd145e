//! Meldcode case engine: the five steps of the Dutch reporting code for domestic violence and
//! child abuse as a pure decider.
//!
//! `decide(state, context, command)` checks the protocol rules R0–R15 and returns events;
//! `CaseState::evolve` folds events into the state from which the step, the next actions, the
//! flags and who may see a case are derived. There is no I/O here: time, ids and randomness
//! come in as arguments so that every decision can be replayed.

pub mod access;
pub mod catalogue;
pub mod command;
pub mod decide;
pub mod envelope;
pub mod event;
pub mod figures;
pub mod flags;
pub mod hlc;
pub mod ids;
pub mod inzage;
pub mod next_actions;
pub mod people;
pub mod policy;
pub mod profile;
pub mod records;
pub mod reminders;
pub mod rule;
pub mod rules;
pub mod school_log;
pub mod signal;
pub mod state;
pub mod step;
pub mod summary;
pub mod urgent;
pub mod violation;
pub mod workdays;

#[cfg(any(test, feature = "testkit"))]
pub mod testkit;

pub use command::Command;
pub use decide::{decide, DecideContext};
pub use envelope::{Envelope, Recorder};
pub use event::EventPayload;
pub use ids::{CaseId, DeviceId, EventId, PupilId, UserId};
pub use people::{Actor, Role};
pub use rule::RuleId;
pub use state::CaseState;
pub use violation::Violation;
