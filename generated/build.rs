//! Generates the client at build time. Cargo reruns this only when an input the generator read
//! changes (it prints `cargo:rerun-if-changed` for each) or `OKGEN_CONFIG` changes.
//!
//! The configuration is `spec/codegen.yaml` (our document), or the file `OKGEN_CONFIG` names
//! (relative to the repository root), e.g. `spec/codegen-official.yaml` for Okta's published
//! document with our overlay.

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    println!("cargo:rerun-if-env-changed=OKGEN_CONFIG");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let config_path = match std::env::var_os("OKGEN_CONFIG") {
        Some(path) => root.join(path),
        None => root.join("spec/codegen.yaml"),
    };
    println!("cargo:rerun-if-changed={}", config_path.display());
    match okgen::Config::from_file(&config_path).and_then(|config| config.generate()) {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: okgen could not generate the client:\n{e}");
            ExitCode::FAILURE
        }
    }
}
