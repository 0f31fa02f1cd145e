//! Protocol versions: the server says which it speaks and which it still accepts, and a device
//! that is too old is told to update rather than misunderstood.

use crate::error::{ErrorCode, Result, SyncError};

/// The protocol this build speaks.
pub const PROTOCOL: u16 = 1;
/// The oldest protocol this build's server still accepts.
pub const OLDEST_ACCEPTED: u16 = 1;

/// The header devices send with every request.
pub const HEADER: &str = "meldcode-protocol";

pub fn check_client(version: u16) -> Result<()> {
    if version < OLDEST_ACCEPTED {
        return Err(SyncError::new(
            ErrorCode::UpdateRequired,
            format!("protocol {version} is no longer accepted; update the app (server accepts {OLDEST_ACCEPTED} to {PROTOCOL})"),
        ));
    }
    if version > PROTOCOL {
        return Err(SyncError::new(
            ErrorCode::UpdateRequired,
            format!("protocol {version} is newer than this server's {PROTOCOL}; update the server"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_old_and_too_new_are_told_to_update() {
        assert!(check_client(PROTOCOL).is_ok());
        assert_eq!(
            check_client(0).map_err(|e| e.code),
            Err(ErrorCode::UpdateRequired)
        );
        assert_eq!(
            check_client(PROTOCOL + 1).map_err(|e| e.code),
            Err(ErrorCode::UpdateRequired)
        );
    }
}
