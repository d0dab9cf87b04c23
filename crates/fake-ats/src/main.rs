//! `fake-ats serve …`: prints one JSON line (ServeInfo) on stdout once listening, logs to stderr.

use std::net::SocketAddr;

use clap::{Parser, Subcommand, ValueEnum};
use fake_ats::{Config, FaultSpec};

#[derive(Parser)]
#[command(
    name = "fake-ats",
    about = "Faithful fake SmartRecruiters, Lever and Unberry servers"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum RateLimits {
    Vendor,
    Off,
}

#[derive(Subcommand)]
enum Command {
    /// Serve all three fake vendors until killed.
    Serve {
        #[arg(long, default_value = "127.0.0.1:0")]
        addr: SocketAddr,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Candidates per vendor.
        #[arg(long, default_value_t = 200)]
        candidates: usize,
        #[arg(long, default_value_t = 12)]
        jobs: usize,
        #[arg(long, default_value_t = 15)]
        users: usize,
        #[arg(long, value_enum, default_value = "vendor")]
        rate_limits: RateLimits,
        /// e.g. `latency=200ms,429burst=5,retry-after=1,5xx=3,reset=2,truncate=1` (see README).
        #[arg(long, default_value = "")]
        faults: String,
        /// Approve every OAuth authorize request at once.
        #[arg(long)]
        auto_consent: bool,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let Cli {
        command:
            Command::Serve {
                addr,
                seed,
                candidates,
                jobs,
                users,
                rate_limits,
                faults,
                auto_consent,
            },
    } = Cli::parse();
    let faults: FaultSpec = faults.parse()?;
    let config = Config {
        addr,
        seed,
        candidates,
        jobs,
        users,
        rate_limits: matches!(rate_limits, RateLimits::Vendor),
        faults,
        auto_consent,
    };
    let started = std::time::Instant::now();
    let fake = fake_ats::spawn(config).await?;
    tracing::info!(
        elapsed_ms = started.elapsed().as_millis() as u64,
        "data generated, serving"
    );
    println!("{}", serde_json::to_string(fake.info())?);
    use std::io::Write;
    std::io::stdout().flush()?;
    tokio::signal::ctrl_c().await?;
    fake.shutdown().await;
    Ok(())
}
