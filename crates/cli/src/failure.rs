//! How the CLI fails: a store error passes through as `{code, message}`; usage errors are ours.

use meldcode_store::{ErrorBody, StoreError};

pub struct Failure {
    pub body: ErrorBody,
    pub exit_code: u8,
}

impl Failure {
    pub fn usage(message: &str) -> Self {
        Self {
            body: ErrorBody {
                code: "usage".into(),
                message: message.into(),
            },
            exit_code: 2,
        }
    }

    pub fn input(message: String) -> Self {
        Self {
            body: ErrorBody {
                code: "invalid_input".into(),
                message,
            },
            exit_code: 1,
        }
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Self {
            body: ErrorBody::from(&e),
            exit_code: 1,
        }
    }
}
