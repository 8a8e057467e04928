//! Generates the client from `spec/` at build time. Cargo reruns this only when an input the
//! generator read changes (it prints `cargo:rerun-if-changed` for each).

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let config_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/codegen.yaml");
    println!("cargo:rerun-if-changed={}", config_path.display());
    match okgen::Config::from_file(&config_path).and_then(|config| config.generate()) {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: okgen could not generate the client:\n{e}");
            ExitCode::FAILURE
        }
    }
}
