//! The okgen command line: the same pipeline as the build-script API.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "okgen",
    version,
    about = "Generate a typed async Rust client from an OpenAPI 3.0 document"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate the client and write it as a standalone crate (or one source file).
    Generate {
        /// The codegen configuration file (YAML: spec, select, output).
        #[arg(long, short)]
        config: PathBuf,
        /// Directory to write a standalone crate into (Cargo.toml + src/lib.rs).
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// Print the generated source to standard output.
        #[arg(long)]
        print: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> okgen::Result<()> {
    match cli.command {
        Command::Generate { config, out, print } => {
            let config = okgen::Config::from_file(&config)?;
            let generated = okgen::generate_source(&config)?;
            if print {
                print!("{}", generated.source);
            }
            if let Some(out) = &out {
                okgen::write_standalone_crate(out, &generated)?;
            }
            eprintln!("{}", okgen::report::summary(&generated.api));
            if let Some(out) = &out {
                eprintln!("wrote a standalone crate to {}", out.display());
            }
            Ok(())
        }
    }
}
