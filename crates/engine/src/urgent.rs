//! Suspicions that change the route at once (R8): the parent conversation may raise the danger.

use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UrgentKind {
    /// Suspected (planned) female genital mutilation.
    FemaleGenitalMutilation,
    /// Suspected honour-related violence.
    HonourRelatedViolence,
}

impl UrgentKind {
    pub fn label_nl(self) -> &'static str {
        match self {
            Self::FemaleGenitalMutilation => "vermoeden van vrouwelijke genitale verminking",
            Self::HonourRelatedViolence => "vermoeden van eergerelateerd geweld",
        }
    }
}
