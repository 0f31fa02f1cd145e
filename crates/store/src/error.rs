//! The store's one error type. Serialises as `{code, message}` for the app; the message is Dutch
//! and never contains personal data, so it can be shown and logged.

use meldcode_engine::Violation;
use serde::Serialize;
use std::fmt;

#[derive(Debug)]
pub enum StoreError {
    /// The engine refused the command; its rule and Dutch message pass through.
    Rule(Violation),
    /// No store in this folder yet.
    NotInitialised,
    AlreadyInitialised,
    UnknownUser,
    WrongPin {
        attempts_left_before_delay: u32,
    },
    /// Too many wrong PINs: wait until the delay has passed.
    LockedOut {
        seconds: u64,
    },
    /// The PIN or passphrase is too easy to guess; the reason says why.
    WeakPin(crate::pin_policy::WeakSecret),
    WrongRecoveryKey,
    /// The OS keyring cannot be reached, or its entry is gone.
    Keyring {
        missing_entry: bool,
        detail: String,
    },
    /// The vault failed its MAC, or an unauthenticated older format was put in its place.
    VaultChanged,
    /// The vault is older than the keyring says: a copy was put back.
    RolledBack {
        saved_at: chrono::DateTime<chrono::Utc>,
    },
    /// The file or an event was damaged or changed outside the app.
    Damaged {
        detail: String,
    },
    NotFound {
        what: &'static str,
    },
    NotAllowed {
        message: String,
    },
    Invalid {
        message: String,
    },
    /// The provisioning file is there but not in order; the message lists every problem.
    Provisioning {
        message: String,
    },
    Io(std::io::Error),
    Database(rusqlite::Error),
    /// This device is not enrolled at a school server.
    NotEnrolled,
    /// The school's server refused; its code says why.
    Server(meldcode_sync::SyncError),
    /// The school's server could not be reached.
    ServerUnreachable {
        detail: String,
    },
    /// An enrolled device out of contact with the school server for longer than the school's
    /// limit: it opens with the recovery key only (a coordinator's).
    ContactOverdue {
        last_contact: chrono::DateTime<chrono::Utc>,
        limit_days: u32,
    },
    /// A new device joined the school and is set up, but its user already has a PIN from her
    /// other devices and typed another: she unlocks with the one she has.
    JoinedUseOtherPin,
    /// A printed copy could not be made (the embedded fonts or the PDF writer failed).
    Pdf(meldcode_pdf::PdfError),
}

impl StoreError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Rule(_) => "rule_violation",
            Self::NotInitialised => "not_initialised",
            Self::AlreadyInitialised => "already_initialised",
            Self::UnknownUser => "unknown_user",
            Self::WrongPin { .. } => "wrong_pin",
            Self::LockedOut { .. } => "locked_out",
            Self::WeakPin(_) => "weak_pin",
            Self::WrongRecoveryKey => "wrong_recovery_key",
            Self::Keyring {
                missing_entry: true,
                ..
            } => "keyring_entry_missing",
            Self::Keyring { .. } => "keyring_unavailable",
            Self::VaultChanged => "vault_changed",
            Self::RolledBack { .. } => "rolled_back",
            Self::Damaged { .. } => "damaged",
            Self::NotFound { .. } => "not_found",
            Self::NotAllowed { .. } => "not_allowed",
            Self::Invalid { .. } => "invalid",
            Self::Provisioning { .. } => "invalid_provisioning",
            Self::Io(_) => "io",
            Self::Database(_) => "database",
            Self::NotEnrolled => "not_enrolled",
            Self::Server(e) => server_code(e.code),
            Self::ServerUnreachable { .. } => "server_unreachable",
            Self::ContactOverdue { .. } => "contact_overdue",
            Self::JoinedUseOtherPin => "joined_use_other_pin",
            Self::Pdf(_) => "pdf_failed",
        }
    }

    pub fn message(&self) -> String {
        match self {
            Self::Rule(v) => format!("{} ({})", v.message, v.rule),
            Self::NotInitialised => "Er is op dit apparaat nog geen Meldcode-dossier ingericht.".into(),
            Self::AlreadyInitialised => "Meldcode is op dit apparaat al ingericht.".into(),
            Self::UnknownUser => "Deze gebruiker bestaat niet op dit apparaat.".into(),
            Self::WrongPin { attempts_left_before_delay } => format!(
                "Onjuiste pincode. Nog {attempts_left_before_delay} poging(en) voordat u moet wachten."
            ),
            Self::LockedOut { seconds } => format!(
                "Te vaak een onjuiste pincode. Probeer het over {seconds} seconden opnieuw."
            ),
            Self::WeakPin(reason) => reason.message_nl().into(),
            Self::WrongRecoveryKey => "De herstelsleutel klopt niet. Controleer hem met het papier uit de kluis.".into(),
            Self::Keyring { missing_entry: true, .. } => "De sleutel van dit apparaat ontbreekt in de sleutelbos van het besturingssysteem. Open het dossier met de herstelsleutel uit de kluis van de school.".into(),
            Self::Keyring { detail, .. } => format!("De sleutelbos van het besturingssysteem is niet bereikbaar ({detail}). Zonder sleutelbos opent Meldcode het dossier niet. Laat de ICT-beheerder de sleutelbos herstellen; is de sleutel van dit apparaat verloren, dan is de herstelsleutel uit de kluis nodig."),
            Self::VaultChanged => "Het sleutelbestand van dit apparaat is buiten de app gewijzigd. Alleen de intern begeleider kan het dossier nu openen, met de herstelsleutel uit de kluis; daarna stelt zij voor iedereen een nieuwe pincode in. Meld dit aan de directie.".into(),
            Self::RolledBack { saved_at } => format!(
                "Het sleutelbestand op dit apparaat is vervangen door een oudere versie (van {}). Wat daarna is vastgelegd, kan ontbreken. Alleen de intern begeleider kan het dossier nu openen, met de herstelsleutel uit de kluis. Meld dit aan de directie.",
                saved_at.with_timezone(&chrono::Local).format("%d-%m-%Y %H:%M")
            ),
            Self::Damaged { detail } => format!("Het dossierbestand is beschadigd of gewijzigd ({detail}). Zet een reservekopie terug en neem contact op met de ICT-beheerder."),
            Self::NotFound { what } => format!("{what} niet gevonden."),
            Self::NotAllowed { message }
            | Self::Invalid { message }
            | Self::Provisioning { message } => message.clone(),
            Self::Io(e) => format!("Het bestand kon niet worden gelezen of geschreven ({}).", e.kind()),
            Self::Database(e) => format!("Databasefout ({}).", database_code(e)),
            Self::NotEnrolled => "Dit apparaat is niet gekoppeld aan een schoolserver.".into(),
            Self::Server(e) => server_message(e),
            Self::ServerUnreachable { detail } => format!("De schoolserver is niet bereikbaar ({detail}). Wat u vastlegt, blijft bewaard op dit apparaat en gaat mee zodra er weer verbinding is."),
            Self::ContactOverdue { last_contact, limit_days } => format!(
                "Dit apparaat heeft sinds {} geen contact gehad met de schoolserver, langer dan de {limit_days} dagen die de school toestaat. Daarom opent het niet meer met een pincode: de intern begeleider geeft het vrij met de herstelsleutel uit de kluis. Zorg daarna dat het apparaat verbinding heeft met het schoolnetwerk.",
                last_contact.with_timezone(&chrono::Local).format("%d-%m-%Y")
            ),
            Self::JoinedUseOtherPin => "Dit apparaat is gekoppeld. U hebt al een pincode op een ander apparaat van school: die geldt ook hier. Ontgrendel met die pincode.".into(),
            Self::Pdf(_) => "De PDF kon niet worden gemaakt. Er is niets opgeslagen en niets vastgelegd; probeer het opnieuw.".into(),
        }
    }
}

fn server_code(code: meldcode_sync::ErrorCode) -> &'static str {
    use meldcode_sync::ErrorCode as C;
    match code {
        C::Malformed => "server_malformed",
        C::TooLarge => "server_too_large",
        C::Gap => "server_gap",
        C::BrokenHash => "server_broken_hash",
        C::Fork => "server_fork",
        C::WrongDevice => "server_wrong_device",
        C::RolledBack => "server_rolled_back",
        C::UnknownDevice => "server_unknown_device",
        C::Revoked => "server_revoked",
        C::UpdateRequired => "server_update_required",
        C::NotAllowed => "server_not_allowed",
        C::BadCode => "server_bad_code",
        C::RateLimited => "server_rate_limited",
        C::Internal => "server_internal",
    }
}

/// What to tell a user about a refusal from the server, in Dutch (the server speaks English).
fn server_message(e: &meldcode_sync::SyncError) -> String {
    use meldcode_sync::ErrorCode as C;
    match e.code {
        C::RolledBack | C::Fork => "De schoolserver kent van dit apparaat meer of andere vastleggingen dan het zelf heeft: dit apparaat is teruggezet of gewijzigd. Meld dit aan de intern begeleider en de directie.".into(),
        C::Revoked => "Dit apparaat is bij de schoolserver ingetrokken.".into(),
        C::UnknownDevice => "Dit apparaat is niet bekend bij de schoolserver. Koppel het opnieuw met een code van de intern begeleider.".into(),
        C::UpdateRequired => "Deze versie van Meldcode past niet bij de schoolserver. Werk de app (of de server) bij.".into(),
        C::BadCode => "Deze koppelcode klopt niet, is al gebruikt of is verlopen. Vraag de intern begeleider om een nieuwe.".into(),
        C::RateLimited => "Te veel onjuiste koppelcodes. Probeer het over een kwartier opnieuw.".into(),
        C::NotAllowed => "De schoolserver staat dit niet toe vanaf dit apparaat.".into(),
        C::Internal => "De schoolserver had een storing; er is niets verloren. Probeer het later opnieuw.".into(),
        C::Malformed | C::TooLarge | C::Gap | C::BrokenHash | C::WrongDevice => format!("De schoolserver weigerde de gegevens ({}). Meld dit aan de ICT-beheerder.", server_code(e.code)),
    }
}

/// SQLite's error code without the message, which may quote data.
fn database_code(e: &rusqlite::Error) -> String {
    match e {
        rusqlite::Error::SqliteFailure(f, _) => format!("{:?}", f.code),
        other => format!("{:?}", std::mem::discriminant(other)),
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for StoreError {}

impl From<Violation> for StoreError {
    fn from(v: Violation) -> Self {
        Self::Rule(v)
    }
}

impl From<meldcode_pdf::PdfError> for StoreError {
    fn from(e: meldcode_pdf::PdfError) -> Self {
        Self::Pdf(e)
    }
}

impl From<std::io::Error> for StoreError {
    fn from(e: std::io::Error) -> Self {
        Self::Io(e)
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode::{DatabaseCorrupt, NotADatabase};
        match &e {
            rusqlite::Error::SqliteFailure(f, _)
                if matches!(f.code, NotADatabase | DatabaseCorrupt) =>
            {
                Self::Damaged {
                    detail: "database".into(),
                }
            }
            _ => Self::Database(e),
        }
    }
}

impl From<rusqlite_migration::Error> for StoreError {
    fn from(e: rusqlite_migration::Error) -> Self {
        match e {
            rusqlite_migration::Error::RusqliteError { err, .. } => err.into(),
            other => Self::Invalid {
                message: format!(
                    "Het dossier kon niet worden bijgewerkt naar deze versie ({other})."
                ),
            },
        }
    }
}

impl From<keyring_core::Error> for StoreError {
    fn from(e: keyring_core::Error) -> Self {
        match e {
            keyring_core::Error::NoEntry => Self::Keyring {
                missing_entry: true,
                detail: "geen sleutel".into(),
            },
            other => Self::Keyring {
                missing_entry: false,
                detail: other.to_string(),
            },
        }
    }
}

/// What crosses into the app and the CLI's `--json`.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
}

impl From<&StoreError> for ErrorBody {
    fn from(e: &StoreError) -> Self {
        Self {
            code: e.code().to_owned(),
            message: e.message(),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl From<StoreError> for ErrorBody {
    fn from(e: StoreError) -> Self {
        Self::from(&e)
    }
}

/// A school profile that does not validate: every problem, one per line, in Dutch.
impl From<meldcode_engine::profile::ProfileError> for ErrorBody {
    fn from(e: meldcode_engine::profile::ProfileError) -> Self {
        Self {
            code: e.code().to_owned(),
            message: e.to_string(),
        }
    }
}
