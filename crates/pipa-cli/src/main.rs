//! `pipa`: assess mobile apps against China's personal-information rules.
//!
//! The binary is thin: it parses arguments, calls the library crates and
//! renders what they return. Errors are one line naming the file and the
//! problem, with exit code 2.

mod inspect;
mod render;
mod timings;

use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[global_allocator]
static ALLOC: timings::CountingAlloc = timings::CountingAlloc;

/// pipa — App 个人信息保护合规评估 / personal-information compliance assessment for mobile apps.
#[derive(Parser)]
#[command(name = "pipa", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 查看安装包 / Show what an APK contains: manifest, components, permissions, signing, code.
    Inspect(InspectArgs),
}

/// Output formats.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    /// Human-readable summary (Chinese and English labels).
    Text,
    /// Machine-readable JSON (schema `pipa.inspect/1`).
    Json,
}

#[derive(clap::Args)]
struct InspectArgs {
    /// The APK file.
    apk: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Write the output to this file instead of standard output.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Print per-stage wall time and peak memory (to stderr for text; in the JSON otherwise).
    #[arg(long)]
    timings: bool,
    /// Threads for indexing dex files (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Inspect(args) => run_inspect(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "pipa: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run_inspect(args: InspectArgs) -> anyhow::Result<()> {
    if let Some(n) = args.threads {
        // Only fails if a pool exists already, which cannot happen this early.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global();
    }
    let (report, timings) = inspect::inspect(&args.apk)?;
    let text = match args.format {
        Format::Json => {
            let mut v = serde_json::to_value(&report)?;
            if args.timings
                && let Some(obj) = v.as_object_mut()
            {
                obj.insert("timings".into(), serde_json::to_value(&timings)?);
            }
            let mut s = serde_json::to_string_pretty(&v)?;
            s.push('\n');
            s
        }
        Format::Text => render::text(&report),
    };
    match &args.output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", path.display()))?,
        None => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (`| head`) is not an error worth reporting.
            let _ = out.write_all(text.as_bytes());
        }
    }
    if args.timings && args.format == Format::Text {
        let _ = write!(std::io::stderr(), "{}", timings.render());
    }
    Ok(())
}
