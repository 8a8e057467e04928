//! The one error type of the generator. Every variant names where the problem is (a file, and
//! inside a document a JSON pointer, plus a line when one is known) and what to do about it.

use std::fmt;
use std::path::PathBuf;

/// A place in an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file the problem is in.
    pub file: PathBuf,
    /// A JSON pointer (RFC 6901) into the document, when the problem is inside it.
    pub pointer: Option<String>,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
}

impl Location {
    /// A whole file.
    pub fn file(file: impl Into<PathBuf>) -> Self {
        Location {
            file: file.into(),
            pointer: None,
            line: None,
            column: None,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        if let Some(pointer) = &self.pointer {
            write!(f, " at #{pointer}")?;
        }
        Ok(())
    }
}

/// Everything that can go wrong while generating.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An input file could not be read.
    #[error("{path}: cannot read file: {source}", path = .path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// An output file could not be written.
    #[error("{path}: cannot write file: {source}", path = .path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file is not valid YAML or JSON.
    #[error("{location}: not valid {format}: {message}")]
    Syntax {
        location: Box<Location>,
        format: &'static str,
        message: String,
    },
    /// The document is YAML/JSON but not a valid OpenAPI 3.0 document, or uses something the
    /// generator does not support.
    #[error("{location}: {message}{hint}", hint = hint_suffix(.hint))]
    Spec {
        location: Box<Location>,
        message: String,
        hint: Option<String>,
    },
    /// The codegen configuration is invalid.
    #[error("{location}: invalid configuration: {message}")]
    Config {
        location: Box<Location>,
        message: String,
    },
    /// The environment of a build script is missing something (for example `OUT_DIR`).
    #[error("{0}")]
    Environment(String),
    /// Emitted code did not parse as Rust. This is a bug in the generator, never in the input.
    #[error("internal error: generated code for {what} does not parse ({message}); please report this with the spec that caused it")]
    Internal { what: String, message: String },
}

fn hint_suffix(hint: &Option<String>) -> String {
    match hint {
        Some(h) => format!("\n  hint: {h}"),
        None => String::new(),
    }
}

/// Result alias used throughout the generator.
pub type Result<T, E = Error> = std::result::Result<T, E>;
