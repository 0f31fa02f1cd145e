//! Checking the log.

use super::Store;
use crate::error::Result;
use crate::log::{self, VerifyReport};

impl Store {
    pub fn verify(&self) -> Result<VerifyReport> {
        log::verify(&self.conn)
    }
}
