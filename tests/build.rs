//! Generates a client from every fixture in `fixtures/constructs/` into `OUT_DIR/<name>.rs`;
//! `src/fixtures.rs` includes each as a module, so the serde tests run against real generated
//! types; `fixtures/responses/records.yaml` twice, with strict and with lenient responses.

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/constructs");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut fixtures: Vec<_> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
            .collect(),
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
    };
    fixtures.sort();
    for spec in fixtures {
        let Some(stem) = spec.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let mut config = okgen::Config::new(&spec);
        config.output_file(format!("{stem}.rs"));
        if let Err(e) = config.generate() {
            eprintln!("error: fixture {stem}: {e}");
            return ExitCode::FAILURE;
        }
    }
    // One document in both response modes (tests/tests/lenient_responses.rs).
    let records = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/responses/records.yaml");
    println!("cargo:rerun-if-changed={}", records.display());
    for responses in [okgen::Responses::Strict, okgen::Responses::Lenient] {
        let mut config = okgen::Config::new(&records);
        config
            .responses(responses)
            .output_file(format!("records_{responses}.rs"));
        if let Err(e) = config.generate() {
            eprintln!("error: fixture records ({responses}): {e}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
