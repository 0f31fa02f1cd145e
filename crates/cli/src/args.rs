//! The command line, as clap sees it.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "meldcode",
    version,
    about = "Meldcode for the school's IT person: set up, manage users, inspect and verify the encrypted store.",
    after_help = "The PIN is read from MELDCODE_PIN or asked for (never on the command line)."
)]
pub struct Cli {
    /// Folder with the encrypted store (default: the app's data folder).
    #[arg(long, global = true, env = "MELDCODE_DATA_DIR")]
    pub data_dir: Option<PathBuf>,

    /// Who is acting: user id or full name.
    #[arg(long, global = true, env = "MELDCODE_USER")]
    pub user: Option<String>,

    /// Machine-readable output.
    #[arg(long, global = true)]
    pub json: bool,

    #[command(subcommand)]
    pub command: Cmd,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Set up a new store: school profile and first coordinator. Prints the recovery key once.
    Init {
        /// Full name of the first coordinator (intern begeleider).
        #[arg(long)]
        name: String,
        /// School profile JSON (default: the built-in CBS Het Mozaïek profile).
        #[arg(long)]
        profile: Option<PathBuf>,
    },
    /// Manage users (coordinator or director, except `list`); asks for your PIN again.
    User {
        /// Prove it with the recovery key from the school's safe instead of your PIN (a
        /// coordinator needs it for director and board accounts); from MELDCODE_RECOVERY_KEY or
        /// a prompt.
        #[arg(long)]
        with_recovery_key: bool,
        #[command(subcommand)]
        command: UserCmd,
    },
    /// Who added, removed or reset which account, and when (director and board).
    SchoolLog,
    /// List and show cases.
    #[command(subcommand)]
    Case(CaseCmd),
    /// Apply engine commands as JSON (the same JSON the app sends), from a file or stdin.
    Apply {
        /// File with one request or an array of requests; `-` or absent reads stdin.
        file: Option<PathBuf>,
    },
    /// The record's alarms (missing or changed events, an older copy put back); printed on
    /// every command until the coordinator or the director acknowledges them.
    Alarms {
        #[arg(long)]
        acknowledge: bool,
    },
    /// Check every hash chain and every page of the database; with --against or --code, check a
    /// printed dossier copy against the store too.
    Verify {
        /// A dossier PDF made by `export --pdf` or the app.
        #[arg(long)]
        against: Option<PathBuf>,
        /// The control code printed on every page of a copy (e.g. 3FA9-1C2B-77D0).
        #[arg(long, conflicts_with = "against")]
        code: Option<String>,
    },
    /// One case's full record as JSON, or as a printed dossier (PDF) with --pdf (coordinator or
    /// director). Every PDF copy is put on record in the case's log.
    Export {
        case: String,
        /// Write the dossier as PDF to this file.
        #[arg(long)]
        pdf: Option<PathBuf>,
        /// The parent's inspection copy (AVG inzage): every part the code lets the school leave
        /// out (work notes, third parties) is masked and marked. The app lets you choose.
        #[arg(long, requires = "pdf")]
        inzage: bool,
        /// For whom the copy is (default with --inzage: parent).
        #[arg(long = "for", value_enum, requires = "pdf")]
        recipient: Option<RecipientArg>,
        /// Who exactly, e.g. the next school's name (required with --for other).
        #[arg(long, requires = "pdf")]
        note: Option<String>,
    },
    /// The evaluation figures over a period (coordinator and director): counts below 5 show as
    /// "< 5". JSON, or a CSV file for a spreadsheet with --csv, or a PDF with --pdf.
    Figures {
        /// First day, YYYY-MM-DD.
        #[arg(long)]
        from: chrono::NaiveDate,
        /// Last day, YYYY-MM-DD (included).
        #[arg(long)]
        to: chrono::NaiveDate,
        /// Write the figures as CSV (semicolons) to this file instead.
        #[arg(long)]
        csv: Option<PathBuf>,
        /// Write the figures as a printed page (PDF) to this file instead.
        #[arg(long, conflicts_with = "csv")]
        pdf: Option<PathBuf>,
    },
    /// Write a consistent encrypted copy of the store into DEST (an empty or new folder).
    Backup { dest: PathBuf },
    /// Open with the recovery key from the school's safe and set a new PIN (coordinator).
    Recover,
    /// Release a device that was out of contact with the school server for longer than the
    /// school profile allows, with the recovery key (MELDCODE_RECOVERY_KEY or a prompt); its
    /// users' PINs open it again.
    Release,
    /// Link this device to the school's server. In an existing store (the coordinator's first
    /// device, with the code `meldcode-server init` printed) it enrolls the store; in an empty
    /// folder it sets up a new device from a code the coordinator made, asking the PIN for the
    /// user the code is for (MELDCODE_NEW_PIN). The code comes from MELDCODE_ENROLL_CODE or a
    /// prompt, never the command line.
    Enroll {
        /// https://host:port of the school's server.
        #[arg(long)]
        server: String,
    },
    /// Sync with the school's server: once, or on and on (`--watch`, woken by the server).
    Sync {
        #[arg(long)]
        watch: bool,
        #[command(subcommand)]
        command: Option<SyncCmd>,
    },
    /// The school's enrolled devices with their users and last contact (coordinator).
    Devices,
    /// A one-time code (valid 15 minutes) to enroll a new device for USER (coordinator).
    EnrollmentCode {
        /// The user the new device is for: id or full name.
        for_user: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum SyncCmd {
    /// Last sync, events waiting to be sent, the server's chain heads.
    Status,
}

#[derive(Debug, Subcommand)]
pub enum UserCmd {
    /// Add a user; their first PIN comes from MELDCODE_NEW_PIN or a prompt.
    Add {
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
    },
    List,
    /// Remove a user's access (their records stay).
    Remove {
        user: String,
    },
    /// Set a new PIN for a user (from MELDCODE_NEW_PIN or a prompt).
    ResetPin {
        user: String,
    },
    /// Change your own PIN (the new one from MELDCODE_NEW_PIN or a prompt).
    ChangePin,
    /// Let a colleague work on another enrolled device too (`meldcode devices` lists their
    /// ids); her PIN opens it once it has had a round while someone was signed in on it.
    Assign {
        user: String,
        #[arg(long)]
        device: String,
    },
    /// Take a colleague off an enrolled device: it gets none of her new cases and takes her
    /// envelope out when it hears of it.
    Unassign {
        user: String,
        #[arg(long)]
        device: String,
    },
    /// Give a user another role.
    SetRole {
        user: String,
        #[arg(long, value_enum)]
        role: RoleArg,
    },
}

#[derive(Debug, Subcommand)]
pub enum CaseCmd {
    /// The cases you may see; overdue first.
    List {
        /// Part of a pupil's name or group.
        #[arg(long)]
        search: Option<String>,
    },
    /// A case's timeline and next actions.
    Show { case: String },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum RecipientArg {
    VeiligThuis,
    Inspectie,
    Transfer,
    Parent,
    Other,
}

impl From<RecipientArg> for meldcode_engine::records::ExportRecipient {
    fn from(r: RecipientArg) -> Self {
        match r {
            RecipientArg::VeiligThuis => Self::VeiligThuis,
            RecipientArg::Inspectie => Self::Inspectie,
            RecipientArg::Transfer => Self::Transfer,
            RecipientArg::Parent => Self::Parent,
            RecipientArg::Other => Self::Other,
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum RoleArg {
    Teacher,
    Coordinator,
    Director,
    Board,
}

impl From<RoleArg> for meldcode_engine::Role {
    fn from(r: RoleArg) -> Self {
        match r {
            RoleArg::Teacher => Self::Teacher,
            RoleArg::Coordinator => Self::Coordinator,
            RoleArg::Director => Self::Director,
            RoleArg::Board => Self::Board,
        }
    }
}
