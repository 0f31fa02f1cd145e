//! `meldcode-server`: init | serve | device list | device revoke | backup | status.

use clap::{Parser, Subcommand};
use meldcode_engine::DeviceId;
use meldcode_server::http::{self, AppState};
use meldcode_server::storage::Storage;
use meldcode_server::{enrollment, now_ms, tls};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "meldcode-server",
    version,
    about = "The school server for Meldcode: relays end-to-end encrypted case logs between the school's devices."
)]
struct Cli {
    /// The server's folder: its certificate, its key and (by default) its SQLite database.
    #[arg(
        long,
        env = "MELDCODE_SERVER_DATA",
        default_value = "/var/lib/meldcode-server"
    )]
    data: PathBuf,
    /// A PostgreSQL database instead of the embedded SQLite, e.g. postgres://meldcode@db/meldcode
    #[arg(long, env = "DATABASE_URL")]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Make the server's identity and database and print the first enrollment code.
    Init {
        /// Host names and addresses the devices will use to reach the server.
        #[arg(long = "name", default_values_t = ["localhost".to_owned(), "127.0.0.1".to_owned()])]
        names: Vec<String>,
    },
    /// Serve devices over HTTPS.
    Serve {
        #[arg(long, default_value = "0.0.0.0:8443")]
        listen: String,
    },
    /// The enrolled devices.
    Device {
        #[command(subcommand)]
        command: DeviceCommand,
    },
    /// A consistent copy of the embedded database (for PostgreSQL use pg_dump).
    Backup { file: PathBuf },
    /// What the server holds, in counts.
    Status,
}

#[derive(Subcommand)]
enum DeviceCommand {
    List,
    /// Refuse a lost or stolen device from now on.
    Revoke {
        device_id: DeviceId,
    },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("MELDCODE_SERVER_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("meldcode-server: {message}");
            ExitCode::FAILURE
        }
    }
}

type Fallible = Result<(), String>;

fn open(cli: &Cli) -> Result<Storage, String> {
    Storage::open(&cli.data, cli.database_url.as_deref()).map_err(|e| e.to_string())
}

fn run(cli: Cli) -> Fallible {
    match &cli.command {
        Command::Init { names } => init(&cli, names),
        Command::Serve { listen } => serve(&cli, listen),
        Command::Device {
            command: DeviceCommand::List,
        } => device_list(&cli),
        Command::Device {
            command: DeviceCommand::Revoke { device_id },
        } => {
            let revoked = enrollment::revoke(&open(&cli)?, *device_id, now_ms())
                .map_err(|e| e.to_string())?;
            if revoked {
                tracing::info!(device = %device_id, "device revoked");
                println!("Device {device_id} is revoked: the server refuses it from now on.");
                Ok(())
            } else {
                Err(format!("no enrolled, unrevoked device {device_id}"))
            }
        }
        Command::Backup { file } => backup(&cli, file),
        Command::Status => {
            let storage = open(&cli)?;
            let counts = storage.read(|tx| tx.counts()).map_err(|e| e.to_string())?;
            println!("database: {}", storage.kind());
            println!("devices: {} ({} revoked)", counts.devices, counts.revoked);
            println!("events: {}", counts.events);
            println!("cases: {}", counts.cases);
            println!("forks kept as evidence: {}", counts.forks);
            println!("cases destroyed: {}", counts.destroyed);
            Ok(())
        }
    }
}

fn init(cli: &Cli, names: &[String]) -> Fallible {
    create_private_dir(&cli.data)?;
    let fingerprint = if cli.data.join(tls::CERT_FILE).exists() {
        tls::Identity::load(&cli.data)
            .map_err(|e| e.to_string())?
            .fingerprint()
    } else {
        tls::create(&cli.data, names).map_err(|e| e.to_string())?
    };
    let storage = open(cli)?;
    let code =
        enrollment::first_code(&storage, &fingerprint, now_ms()).map_err(|e| e.to_string())?;
    println!("Server certificate SHA-256: {fingerprint}");
    println!("Database: {}", storage.kind());
    println!("First enrollment code (valid 24 hours, once), for the coordinator's device:");
    println!("{}", code.text().as_str());
    Ok(())
}

fn create_private_dir(dir: &Path) -> Fallible {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| format!("making {}: {e}", dir.display()))
}

fn serve(cli: &Cli, listen: &str) -> Fallible {
    let identity = tls::Identity::load(&cli.data).map_err(|e| e.to_string())?;
    let fingerprint = identity.fingerprint();
    let config = identity.server_config().map_err(|e| e.to_string())?;
    let storage = open(cli)?;
    let kind = storage.kind();
    let state = AppState::new(storage).map_err(|e| e.to_string())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("starting the runtime: {e}"))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| format!("listening on {listen}: {e}"))?;
        let address = listener.local_addr().map_err(|e| e.to_string())?;
        tracing::info!(%address, database = kind, certificate = %fingerprint, "serving");
        // One line on stdout for scripts and tests that asked for port 0.
        println!("listening on {address}");
        http::serve(listener, config, state, shutdown_signal()).await;
        tracing::info!("stopped");
        Ok(())
    })
}

async fn shutdown_signal() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = async { match term.as_mut() { Some(t) => { t.recv().await; } None => std::future::pending().await } } => {}
    }
}

fn device_list(cli: &Cli) -> Fallible {
    let storage = open(cli)?;
    let (devices, directory) = storage
        .read(|tx| Ok((tx.devices()?, tx.directory()?)))
        .map_err(|e| e.to_string())?;
    if devices.is_empty() {
        println!("No devices enrolled.");
    }
    for d in devices {
        let state = match d.revoked_at {
            Some(t) => format!("revoked {}", when(t)),
            None => format!("last contact {}", d.last_seen.map_or("never".into(), when)),
        };
        let users = directory.users_on(d.device_id).len();
        println!(
            "{}  {}  enrolled {}  {}  users: {users}",
            d.device_id,
            if d.coordinator {
                "coordinator"
            } else {
                "staff      "
            },
            when(d.enrolled_at),
            state
        );
    }
    Ok(())
}

fn when(ms: u64) -> String {
    i64::try_from(ms)
        .ok()
        .and_then(chrono::DateTime::from_timestamp_millis)
        .map_or_else(
            || "?".into(),
            |t| t.format("%Y-%m-%d %H:%M UTC").to_string(),
        )
}

fn backup(cli: &Cli, file: &Path) -> Fallible {
    match open(cli)? {
        Storage::Sqlite(s) => {
            if file.exists() {
                return Err(format!("{} exists already", file.display()));
            }
            s.backup_to(file).map_err(|e| e.to_string())?;
            println!("Backup written to {}", file.display());
            Ok(())
        }
        Storage::Postgres(_) => {
            Err("the database is PostgreSQL: back it up with pg_dump (or your replication)".into())
        }
    }
}
