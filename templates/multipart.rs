//! `multipart/form-data` bodies (RFC 7578), built in memory so that a retry sends the same
//! bytes: file parts with a file name and a `Content-Type`, text parts, and JSON parts for
//! objects and arrays.

use std::fmt;

use super::error::Error;

/// A file sent as one part of a `multipart/form-data` body: its bytes, and optionally the file
/// name and `Content-Type` to send with it (the operation's default type when unset, usually
/// `application/octet-stream`).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct FilePart {
    /// The file's content.
    pub bytes: Vec<u8>,
    /// The `filename` sent in the part's `Content-Disposition`.
    pub file_name: Option<String>,
    /// The part's `Content-Type`.
    pub content_type: Option<String>,
}

impl FilePart {
    /// A file with these bytes, no file name and the default `Content-Type`.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        FilePart {
            bytes: bytes.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// Sends `file_name` as the part's `filename`.
    pub fn file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// Sends `content_type` as the part's `Content-Type` (`image/png`).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Not the content: it may be large, binary or private.
        f.debug_struct("FilePart")
            .field("bytes", &format_args!("{} bytes", self.bytes.len()))
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

/// One part, ready to write.
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    body: Vec<u8>,
}

/// A `multipart/form-data` body being built.
// Only clients whose spec has a multipart form call this.
#[allow(dead_code)]
pub(crate) struct Multipart {
    operation: &'static str,
    parts: Vec<Part>,
}

// Only clients whose spec has a multipart form call these.
#[allow(dead_code)]
impl Multipart {
    pub(crate) fn new(operation: &'static str) -> Self {
        Multipart {
            operation,
            parts: Vec::new(),
        }
    }

    /// Adds a file part named `name`; `default_content_type` when the file names none.
    pub(crate) fn file(&mut self, name: &str, file: &FilePart, default_content_type: &str) {
        self.parts.push(Part {
            name: name.to_owned(),
            file_name: file.file_name.clone(),
            content_type: Some(
                file.content_type
                    .clone()
                    .unwrap_or_else(|| default_content_type.to_owned()),
            ),
            body: file.bytes.clone(),
        });
    }

    /// Adds a part named `name` holding `value`: a string as its text, a number or boolean as
    /// its JSON text, an object or array as JSON (`Content-Type: application/json`); nothing
    /// for `null`.
    pub(crate) fn value<T: serde::Serialize + ?Sized, E>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), Error<E>> {
        let json = serde_json::to_vec(value).map_err(|e| Error::Request {
            operation: self.operation,
            message: format!("part `{name}` cannot be encoded: {e}"),
        })?;
        let (body, content_type) = match json.first() {
            Some(b'n') => return Ok(()),
            Some(b'"') => match serde_json::from_slice::<String>(&json) {
                Ok(text) => (text.into_bytes(), None),
                Err(e) => {
                    return Err(Error::Request {
                        operation: self.operation,
                        message: format!("part `{name}` cannot be encoded: {e}"),
                    })
                }
            },
            Some(b'{' | b'[') => (json, Some("application/json".to_owned())),
            _ => (json, None),
        };
        self.parts.push(Part {
            name: name.to_owned(),
            file_name: None,
            content_type,
            body,
        });
        Ok(())
    }

    /// Adds `value` as one text part per leaf, named in brackets as Stripe expects
    /// (`name[key]`, `name[]` per item of a list, `name[0][key]`); nothing for `null`.
    pub(crate) fn deep_object<T: serde::Serialize + ?Sized, E>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), Error<E>> {
        let pairs = super::form::nested_text(name, value).map_err(|e| Error::Request {
            operation: self.operation,
            message: format!("part `{name}` cannot be encoded: {e}"),
        })?;
        for (name, text) in pairs {
            self.parts.push(Part {
                name,
                file_name: None,
                content_type: None,
                body: text.into_bytes(),
            });
        }
        Ok(())
    }

    /// The body and its `Content-Type` (with the boundary).
    pub(crate) fn finish(self) -> (Vec<u8>, String) {
        let boundary = boundary(&self.parts);
        let mut out = Vec::new();
        for part in &self.parts {
            out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let mut disposition = format!(
                "Content-Disposition: form-data; name=\"{}\"",
                quoted(&part.name)
            );
            if let Some(file_name) = &part.file_name {
                disposition.push_str(&format!("; filename=\"{}\"", quoted(file_name)));
            }
            out.extend_from_slice(disposition.as_bytes());
            out.extend_from_slice(b"\r\n");
            if let Some(content_type) = &part.content_type {
                // A line break would end the header: they are dropped.
                let content_type: String = content_type
                    .chars()
                    .filter(|c| *c != '\r' && *c != '\n')
                    .collect();
                out.extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
            }
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(&part.body);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        (out, format!("multipart/form-data; boundary={boundary}"))
    }
}

/// A name or file name inside quotes, escaped as browsers do (WHATWG HTML): `"` as `%22`, CR
/// as `%0D`, LF as `%0A`.
fn quoted(text: &str) -> String {
    text.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A random boundary that no part contains.
fn boundary(parts: &[Part]) -> String {
    let mut candidate = random_boundary();
    // 128 random bits: a clash is practically impossible, but cheap to rule out.
    for _ in 0..16 {
        let needle = candidate.as_bytes();
        let clashes = parts
            .iter()
            .any(|p| p.body.windows(needle.len()).any(|w| w == needle));
        if !clashes {
            break;
        }
        candidate = random_boundary();
    }
    candidate
}

fn random_boundary() -> String {
    use std::hash::BuildHasher;
    let random =
        || std::collections::hash_map::RandomState::new().hash_one(std::time::Instant::now());
    format!("okgen-{:016x}{:016x}", random(), random())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_written_with_their_headers() {
        let mut form = Multipart::new("op");
        form.file(
            "file",
            &FilePart::new(b"PNG".to_vec()).file_name("a \"b\".png"),
            "application/octet-stream",
        );
        assert!(form.value::<_, ()>("note", "hi").is_ok());
        assert!(form.value::<_, ()>("n", &3).is_ok());
        assert!(form.value::<_, ()>("gone", &Option::<u8>::None).is_ok());
        let (body, content_type) = form.finish();
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap_or_default()
            .to_owned();
        assert!(boundary.starts_with("okgen-"), "{content_type}");
        let expected = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a %22b%22.png\"\r\nContent-Type: application/octet-stream\r\n\r\nPNG\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"n\"\r\n\r\n3\r\n\
             --{b}--\r\n",
            b = boundary
        );
        assert_eq!(String::from_utf8_lossy(&body), expected);
    }

    #[test]
    fn debug_shows_no_content() {
        let file = FilePart::new(b"secret".to_vec());
        assert!(!format!("{file:?}").contains("secret"));
    }
}
