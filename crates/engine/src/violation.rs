//! A refused command: which rule refused it and why, in Dutch a teacher understands.

use crate::rule::RuleId;
use serde::{Deserialize, Serialize};
use std::fmt;

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    pub rule: RuleId,
    /// A stable machine-readable code (for tests and translations), e.g. `source_required`.
    pub code: String,
    /// Dutch, addressed to the person who tried.
    pub message: String,
}

impl Violation {
    pub fn new(rule: RuleId, code: &str, message: impl Into<String>) -> Self {
        Self {
            rule,
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.rule, self.code, self.message)
    }
}

impl std::error::Error for Violation {}

/// Refuses blank required text; most free-text fields in the dossier are required facts.
pub(crate) fn require_text(
    value: &str,
    rule: RuleId,
    code: &str,
    message: &str,
) -> Result<(), Violation> {
    if value.trim().is_empty() {
        Err(Violation::new(rule, code, message))
    } else {
        Ok(())
    }
}
