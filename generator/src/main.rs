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
        /// Refuse the document when any part of it cannot be generated, instead of leaving
        /// that part out with a warning.
        #[arg(long)]
        strict: bool,
        /// The runtime profile, whatever the configuration and the document say: `okta` (Okta's
        /// conventions) or `generic` (any other API's; auth from its security schemes).
        #[arg(long, value_parser = ["okta", "generic"])]
        profile: Option<String>,
        /// Whether a response may leave out a property its schema marks required, whatever the
        /// configuration says: `strict` (it fails the call) or `lenient` (the field is an
        /// `Option`, `None` when absent).
        #[arg(long)]
        responses: Option<okgen::Responses>,
        /// `per-tag`: a cargo feature per tag (each enables its operations and the types they
        /// reach), whatever the configuration says; `none`: no features.
        #[arg(long, value_parser = ["per-tag", "none"])]
        features: Option<String>,
    },
    /// Print the `[features]` table of the client the configuration generates with a feature per
    /// tag, for the Cargo.toml of a crate that generates it from its build script.
    Features {
        /// The codegen configuration file.
        #[arg(long, short)]
        config: PathBuf,
    },
    /// Decode every example of the selected operations into the generated types and validate it
    /// against its schema; print each mismatch; exit 1 if there is any.
    Check {
        /// The codegen configuration file.
        #[arg(long, short)]
        config: PathBuf,
    },
    /// Write the selected operations (overlay applied) and exactly the components they reach as
    /// a standalone OpenAPI document.
    Slice {
        /// The codegen configuration file.
        #[arg(long, short)]
        config: PathBuf,
        /// Where to write the document (YAML); standard output when absent.
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Runs a command; `Ok(false)` when it ran but found problems.
fn run(cli: Cli) -> okgen::Result<bool> {
    match cli.command {
        Command::Generate {
            config,
            out,
            print,
            strict,
            profile,
            responses,
            features,
        } => {
            let mut config = okgen::Config::from_file(&config)?;
            match features.as_deref() {
                Some("per-tag") => {
                    config.features(okgen::Features::PerTag);
                }
                Some("none") => {
                    config.features(okgen::Features::None);
                }
                _ => {}
            }
            if strict {
                config.strict(true);
            }
            match profile.as_deref() {
                Some("okta") => {
                    config.profile(okgen::Profile::Okta);
                }
                Some("generic") => {
                    config.profile(okgen::Profile::Generic);
                }
                _ => {}
            }
            if let Some(responses) = responses {
                config.responses(responses);
            }
            let generated = okgen::generate_source(&config)?;
            for warning in &generated.warnings {
                eprintln!("warning: {warning}");
            }
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
            Ok(true)
        }
        Command::Features { config } => {
            let mut config = okgen::Config::from_file(&config)?;
            config.features(okgen::Features::PerTag);
            let (api, _) = okgen::lower(&config)?;
            if let Some(table) = okgen::features_table(&api) {
                print!("{table}");
            }
            Ok(true)
        }
        Command::Check { config } => {
            let config = okgen::Config::from_file(&config)?;
            let report = okgen::check_examples(&config)?;
            for finding in &report.findings {
                println!("{finding}");
            }
            eprintln!(
                "checked {} examples of {} operations: {} problems",
                report.examples,
                report.operations,
                report.findings.len()
            );
            Ok(report.findings.is_empty())
        }
        Command::Slice { config, out } => {
            let config = okgen::Config::from_file(&config)?;
            let doc = config.load()?;
            let yaml = okgen::slice::slice_yaml(&doc, config.selection())?;
            match out {
                Some(path) => {
                    okgen::write_if_changed(&path, &yaml)?;
                    eprintln!("wrote the slice to {}", path.display());
                }
                None => print!("{yaml}"),
            }
            Ok(true)
        }
    }
}
