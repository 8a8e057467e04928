//! Example conformance: every example of the selected operations (request bodies and responses,
//! every status) is decoded into the generated types, and validated against its schema.
//!
//! Decoding is simulated on the IR, following exactly the serde rules the emitted code uses
//! (`Option` for optional and nullable fields and, with lenient responses, for required fields
//! a response may leave out; fallback variants, kept or denied unknown
//! properties, the lenient timestamp), so the check runs without compiling anything. A test
//! holds the simulation to the real generated code.

use std::fmt;

use serde_json::Value;

use crate::examples::{Example, ExampleKind};
use crate::ir::{Additional, Api, TypeId, TypeKind, TypeRef};
use crate::load::Document;
use crate::pointer::join;
use crate::validate::{validate_as, Direction};

/// Which check found a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    /// The example does not decode into the generated type.
    Decode,
    /// The example does not validate against its schema.
    Schema,
}

/// One problem with one example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub operation_id: String,
    pub kind: ExampleKind,
    pub example: String,
    pub media_type: String,
    pub source: Source,
    /// JSON pointer into the example value.
    pub at: String,
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match &self.kind {
            ExampleKind::Request => "request".to_owned(),
            ExampleKind::Response(status) => format!("response {status}"),
        };
        let source = match self.source {
            Source::Decode => "decode",
            Source::Schema => "schema",
        };
        let at = if self.at.is_empty() {
            "(root)"
        } else {
            &self.at
        };
        write!(
            f,
            "{} {what} example {:?} ({}): {source}: {at}: {}",
            self.operation_id, self.example, self.media_type, self.message
        )
    }
}

/// Checks every example of the selected operations. `api` must be lowered from `doc` with the
/// same selection.
pub fn check(doc: &Document, api: &Api, examples: &[Example]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for example in examples {
        let finding = |source, at: String, message: String| Finding {
            operation_id: example.operation_id.clone(),
            kind: example.kind.clone(),
            example: example.name.clone(),
            media_type: example.media_type.clone(),
            source,
            at,
            message,
        };
        if let Some(ty) = example_type(api, example) {
            let mut errors = Vec::new();
            decode(api, &ty, &example.value, "", &mut errors, 0);
            findings.extend(
                errors
                    .into_iter()
                    .map(|(at, m)| finding(Source::Decode, at, m)),
            );
        }
        let direction = match example.kind {
            ExampleKind::Request => Direction::Request,
            ExampleKind::Response(_) => Direction::Response,
        };
        let schema = join(&example.pointer, "schema");
        if doc.raw.pointer(&schema).is_some() {
            for m in validate_as(doc, &schema, &example.value, direction) {
                findings.push(finding(Source::Schema, m.instance, m.message));
            }
        }
    }
    findings
}

/// The generated type an example must decode into (`None` for non-JSON bodies).
pub fn example_type(api: &Api, example: &Example) -> Option<TypeRef> {
    let op = api
        .operations
        .iter()
        .find(|o| o.operation_id == example.operation_id)?;
    // Examples of other media types (a PKCS#10 text next to the JSON form) are not JSON.
    if !crate::lower::is_json_media(&example.media_type) {
        return None;
    }
    // An example of a success media type the caller asks for by name (`.accept_star_json()`)
    // decodes into that alternative's type.
    if let ExampleKind::Response(_) = &example.kind {
        if let Some(alt) = op
            .alternatives
            .iter()
            .find(|a| a.media_type == example.media_type)
        {
            return match &alt.success {
                crate::ir::Success::Json(ty) => Some(ty.clone()),
                _ => None,
            };
        }
    }
    let ty = match &example.kind {
        ExampleKind::Request => op.body.as_ref().map(|b| b.ty.clone()),
        ExampleKind::Response(status) => op
            .responses
            .iter()
            .find(|r| &r.status == status)?
            .ty
            .clone(),
    }?;
    (ty != TypeRef::Bytes).then_some(ty)
}

/// How deep the simulation follows a value (a guard against pathological recursive types).
const MAX_DEPTH: usize = 256;

/// Simulates decoding `value` as `ty`, pushing (pointer, message) for each failure.
pub fn decode(
    api: &Api,
    ty: &TypeRef,
    value: &Value,
    at: &str,
    errors: &mut Vec<(String, String)>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let mut fail = |message: String| errors.push((at.to_owned(), message));
    match ty {
        TypeRef::String | TypeRef::Secret if !value.is_string() => {
            fail(format!("expected a string, found {}", kind(value)))
        }
        TypeRef::Bool if !value.is_boolean() => {
            fail(format!("expected a boolean, found {}", kind(value)))
        }
        TypeRef::I32 if value.as_i64().is_none_or(|n| i32::try_from(n).is_err()) => {
            fail(format!("expected a 32-bit integer, found {}", kind(value)))
        }
        TypeRef::I64 if !value.is_i64() => {
            fail(format!("expected a 64-bit integer, found {}", kind(value)))
        }
        TypeRef::F32 | TypeRef::F64 if !value.is_number() => {
            fail(format!("expected a number, found {}", kind(value)))
        }
        TypeRef::DateTime => match value.as_str() {
            Some(s) if is_lenient_date_time(s) => {}
            _ => fail(format!("expected a timestamp, found {}", kind(value))),
        },
        TypeRef::Date => match value.as_str() {
            Some(s) if is_date(s) => {}
            _ => fail(format!(
                "expected a date (YYYY-MM-DD), found {}",
                kind(value)
            )),
        },
        TypeRef::Vec(item) => match value.as_array() {
            Some(items) => {
                for (i, v) in items.iter().enumerate() {
                    decode(api, item, v, &join(at, &i.to_string()), errors, depth + 1);
                }
            }
            None => fail(format!("expected an array, found {}", kind(value))),
        },
        TypeRef::Map(item) => match value.as_object() {
            Some(map) => {
                for (k, v) in map {
                    decode(api, item, v, &join(at, k), errors, depth + 1);
                }
            }
            None => fail(format!("expected an object, found {}", kind(value))),
        },
        TypeRef::Boxed(inner) => decode(api, inner, value, at, errors, depth + 1),
        TypeRef::Option(_) if value.is_null() => {}
        TypeRef::Option(inner) => decode(api, inner, value, at, errors, depth + 1),
        TypeRef::Named(id) => decode_named(api, *id, value, at, errors, depth + 1),
        _ => {}
    }
}

fn decode_named(
    api: &Api,
    id: TypeId,
    value: &Value,
    at: &str,
    errors: &mut Vec<(String, String)>,
    depth: usize,
) {
    let Some(def) = api.types.def(id) else {
        return;
    };
    let name = &def.name;
    match &def.kind {
        TypeKind::Alias(target) | TypeKind::Newtype(target) => {
            decode(api, target, value, at, errors, depth)
        }
        TypeKind::StringEnum(_) if !value.is_string() => errors.push((
            at.to_owned(),
            format!("expected a string ({name}), found {}", kind(value)),
        )),
        TypeKind::IntEnum(_) if !value.is_i64() => errors.push((
            at.to_owned(),
            format!("expected an integer ({name}), found {}", kind(value)),
        )),
        TypeKind::StringEnum(_) | TypeKind::IntEnum(_) | TypeKind::UntaggedUnion(_) => {}
        TypeKind::TaggedUnion(u) => {
            let tag = value.get(&u.tag).and_then(Value::as_str);
            if let Some(variant) = u
                .variants
                .iter()
                .find(|v| tag.is_some_and(|t| v.tag_values.iter().any(|x| x == t)))
            {
                decode(api, &variant.ty, value, at, errors, depth);
            }
        }
        TypeKind::Struct(s) => {
            let Some(map) = value.as_object() else {
                errors.push((
                    at.to_owned(),
                    format!("expected an object ({name}), found {}", kind(value)),
                ));
                return;
            };
            for field in &s.fields {
                let field_at = join(at, &field.json_name);
                match map.get(&field.json_name) {
                    None if field.must_be_present() => errors.push((
                        at.to_owned(),
                        format!("missing required property `{}` ({name})", field.json_name),
                    )),
                    None => {}
                    Some(Value::Null) if field.optional() => {}
                    Some(v) => decode(api, &field.ty, v, &field_at, errors, depth),
                }
            }
            let known = |k: &String| s.fields.iter().any(|f| &f.json_name == k);
            match &s.additional {
                Additional::Keep { .. } => {}
                Additional::Typed { ty, .. } => {
                    for (k, v) in map.iter().filter(|(k, _)| !known(k)) {
                        decode(api, ty, v, &join(at, k), errors, depth);
                    }
                }
                Additional::Deny => {
                    for k in map.keys().filter(|k| !known(k)) {
                        errors.push((
                            at.to_owned(),
                            format!("unknown property `{k}` ({name} allows no others)"),
                        ));
                    }
                }
            }
        }
    }
}

fn kind(value: &Value) -> String {
    let shown = value.to_string();
    let shown = if shown.chars().count() > 40 {
        format!("{}…", shown.chars().take(40).collect::<String>())
    } else {
        shown
    };
    match value {
        Value::Null => "null".into(),
        Value::Bool(_) => format!("boolean {shown}"),
        Value::Number(_) => format!("number {shown}"),
        Value::String(_) => format!("string {shown}"),
        Value::Array(a) => format!("an array of {} items", a.len()),
        Value::Object(_) => "an object".into(),
    }
}

/// `YYYY-MM-DD` with a valid calendar day.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u32>().ok());
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// What the runtime's `DateTime` accepts: RFC 3339, or the same without an offset.
fn is_lenient_date_time(s: &str) -> bool {
    let Some((date, time)) = s.split_once(['T', 't']) else {
        return false;
    };
    if !is_date(date) {
        return false;
    }
    let (clock, offset) = match time.find(['Z', 'z', '+', '-']) {
        Some(i) => (&time[..i], &time[i..]),
        None => (time, ""),
    };
    let offset_ok = offset.is_empty()
        || offset.eq_ignore_ascii_case("z")
        || (offset.len() == 6
            && offset.as_bytes()[3] == b':'
            && offset[1..3].parse::<u32>().is_ok_and(|h| h < 24)
            && offset[4..6].parse::<u32>().is_ok_and(|m| m < 60));
    let (hms, fraction) = match clock.split_once('.') {
        Some((hms, f)) => (hms, Some(f)),
        None => (clock, None),
    };
    let parts: Vec<&str> = hms.split(':').collect();
    let fields_ok = parts.len() == 3
        && parts
            .iter()
            .all(|p| p.len() == 2 && p.bytes().all(|c| c.is_ascii_digit()))
        && parts[0].parse::<u32>().is_ok_and(|h| h < 24)
        && parts[1].parse::<u32>().is_ok_and(|m| m < 60)
        && parts[2].parse::<u32>().is_ok_and(|s| s < 61);
    let fraction_ok =
        fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|c| c.is_ascii_digit()));
    offset_ok && fields_ok && fraction_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_accepted_as_the_runtime_accepts_them() {
        for ok in [
            "2025-05-28T19:21:14Z",
            "2025-05-28T19:21:14.000Z",
            "2025-05-28T19:21:14+02:00",
            "2025-05-28T19:21:14",
        ] {
            assert!(is_lenient_date_time(ok), "{ok}");
        }
        for bad in [
            "createdDate",
            "2025-05-28",
            "2024-12-09 14:17:22.0",
            "2025-02-30T00:00:00Z",
            "2025-05-28T25:00:00Z",
        ] {
            assert!(!is_lenient_date_time(bad), "{bad}");
        }
    }

    #[test]
    fn dates_are_calendar_dates() {
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2025-02-29"));
        assert!(!is_date("2025-13-01"));
    }
}
