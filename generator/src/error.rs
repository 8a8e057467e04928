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

/// How okgen treats a part of a document it cannot generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Leave that part out (an operation, a parameter) or keep its data as JSON (a schema),
    /// say so in a [`Warning`], and generate the rest.
    #[default]
    Lenient,
    /// Refuse: every warning is the error it describes.
    Strict,
}

/// Something okgen left out of, or changed in, the generated client, with where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub location: Location,
    pub message: String,
    pub hint: Option<String>,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}{}",
            self.location,
            self.message,
            hint_suffix(&self.hint)
        )
    }
}

impl Warning {
    /// The error this warning is in [`Mode::Strict`].
    pub fn into_error(self) -> Error {
        Error::Spec {
            location: Box::new(self.location),
            message: self.message,
            hint: self.hint,
        }
    }

    /// The warning an error becomes in [`Mode::Lenient`], when the part it is about is left
    /// out; `what` says what was left out (`the operation was left out`). Errors that are not
    /// about a place in a document keep their text and name no pointer.
    pub fn from_error(error: Error, what: &str) -> Warning {
        match error {
            Error::Spec {
                location,
                message,
                hint,
            } => Warning {
                location: *location,
                message: format!("{message}; {what}"),
                hint,
            },
            other => Warning {
                location: Location::file(""),
                message: format!("{other}; {what}"),
                hint: None,
            },
        }
    }
}

/// The warnings of one run, and the mode that decides whether a warning is an error.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    pub mode: Mode,
    pub warnings: Vec<Warning>,
}

impl Diagnostics {
    pub fn new(mode: Mode) -> Self {
        Diagnostics {
            mode,
            warnings: Vec::new(),
        }
    }

    /// Records a warning; in strict mode returns it as the error instead.
    pub fn warn(&mut self, warning: Warning) -> Result<()> {
        match self.mode {
            Mode::Strict => Err(warning.into_error()),
            Mode::Lenient => {
                self.warnings.push(warning);
                Ok(())
            }
        }
    }

    /// In lenient mode turns `error` into a warning (the part it is about is left out, as
    /// `what` says) and returns `Ok(None)`; in strict mode returns the error.
    pub fn recover<T>(&mut self, result: Result<T>, what: &str) -> Result<Option<T>> {
        match result {
            Ok(value) => Ok(Some(value)),
            Err(error) if self.mode == Mode::Lenient && error.is_about_input() => {
                self.warnings.push(Warning::from_error(error, what));
                Ok(None)
            }
            Err(error) => Err(error),
        }
    }
}

impl Error {
    /// Whether the error is about the document (and so can be a warning in lenient mode),
    /// rather than about files, configuration or the generator itself.
    pub fn is_about_input(&self) -> bool {
        matches!(self, Error::Spec { .. })
    }
}
