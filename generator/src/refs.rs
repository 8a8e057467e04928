//! Following local `$ref`s into `components`, with errors that name where the `$ref` is.

use openapiv3::ReferenceOr;

use crate::error::{Error, Result};
use crate::load::Document;
use crate::pointer;

/// An error at a JSON pointer of `doc`.
pub(crate) fn spec_error(
    doc: &Document,
    at: &str,
    message: impl Into<String>,
    hint: Option<&str>,
) -> Error {
    // A problem in a node an overlay changed names the action (the likelier cause).
    let hint = match (hint, crate::overlay::note(&doc.overlay_changes, at)) {
        (Some(h), Some(note)) => Some(format!("{h}; {note}")),
        (h, note) => note.or(h.map(str::to_owned)),
    };
    Error::Spec {
        location: Box::new(doc.at(at)),
        message: message.into(),
        hint,
    }
}

/// The component name a local `$ref` (found at `at`) names, checking it points into
/// `components/<kind>`.
pub(crate) fn component_name(
    doc: &Document,
    reference: &str,
    at: &str,
    kind: &str,
) -> Result<String> {
    let ref_at = pointer::join(at, "$ref");
    let Some(local) = reference.strip_prefix('#') else {
        return Err(spec_error(
            doc,
            &ref_at,
            format!("external $ref {reference:?} is not supported"),
            Some("bundle the referenced file into one document first (e.g. `redocly bundle`)"),
        ));
    };
    let prefix = format!("/components/{kind}/");
    match local.strip_prefix(&prefix) {
        Some(name) if !name.is_empty() && !name.contains('/') => Ok(pointer::unescape(name)),
        _ => Err(spec_error(
            doc,
            &ref_at,
            format!("$ref {reference:?} must point at an entry of `components/{kind}` here"),
            None,
        )),
    }
}

/// Follows `$ref`s (including chains of them) to an item of `components/<kind>`. Returns the
/// item and its JSON pointer.
pub(crate) fn follow<'a, T>(
    doc: &Document,
    item: &'a ReferenceOr<T>,
    at: &str,
    kind: &str,
    map: &'a indexmap::IndexMap<String, ReferenceOr<T>>,
) -> Result<(&'a T, String)> {
    let mut current = item;
    let mut here = at.to_owned();
    for _ in 0..64 {
        match current {
            ReferenceOr::Item(t) => return Ok((t, here)),
            ReferenceOr::Reference { reference } => {
                let name = component_name(doc, reference, &here, kind)?;
                match map.get(&name) {
                    Some(next) => {
                        current = next;
                        here = pointer::join(&format!("/components/{kind}"), &name);
                    }
                    None => {
                        return Err(spec_error(
                            doc,
                            &pointer::join(&here, "$ref"),
                            format!("$ref {reference:?} points at nothing: there is no `components/{kind}/{name}`"),
                            Some("fix the reference, or add the missing component"),
                        ))
                    }
                }
            }
        }
    }
    Err(spec_error(
        doc,
        at,
        "$ref chain is longer than 64 links (a cycle of references?)",
        None,
    ))
}
