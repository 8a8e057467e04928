//! How mismatches describe what they found: a value's kind, a short preview of it, and the
//! summary of failed alternatives.

use serde_json::Value;

use super::{mismatch, Mismatch};

#[inline(never)]
pub(super) fn none_of(
    inst: &str,
    at: &str,
    keyword: &str,
    failures: &[(usize, Vec<Mismatch>)],
) -> Mismatch {
    mismatch(
        inst,
        at,
        format!(
            "matches none of the {} {keyword} schemas ({})",
            failures.len(),
            summary(failures)
        ),
    )
}

#[inline(never)]
pub(super) fn several(inst: &str, at: &str, matched: &[usize]) -> Mismatch {
    let which: Vec<String> = matched.iter().map(usize::to_string).collect();
    mismatch(
        inst,
        at,
        format!(
            "matches several oneOf schemas: {} (exactly one must match)",
            which.join(", ")
        ),
    )
}

pub(super) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// What a value is, for messages: `number 14085551235`, `array of 3 items`.
pub(super) fn describe(v: &Value) -> String {
    match v {
        Value::Array(items) => format!("array of {} items", items.len()),
        Value::Object(map) => format!("object with {} properties", map.len()),
        other => format!("{} {}", kind(other), preview(other)),
    }
}

pub(super) const PREVIEW: usize = 60;

/// The value as JSON, shortened.
pub(super) fn preview(v: &Value) -> String {
    let mut out = String::new();
    write_preview(v, &mut out);
    shorten(out)
}

/// Writes `v` as JSON, stopping early once well past [`PREVIEW`] (so that neither a huge nor a
/// deeply nested value is written out in full).
pub(super) fn write_preview(v: &Value, out: &mut String) {
    const BUDGET: usize = PREVIEW * 4;
    match v {
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if out.len() > BUDGET {
                    return;
                }
                if i > 0 {
                    out.push(',');
                }
                write_preview(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if out.len() > BUDGET {
                    return;
                }
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&preview_str(key));
                out.push(':');
                write_preview(item, out);
            }
            out.push('}');
        }
        Value::String(s) => out.push_str(&preview_str(s)),
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// A string as JSON, shortened.
pub(super) fn preview_str(s: &str) -> String {
    let head: String = s.chars().take(PREVIEW + 1).collect();
    shorten(Value::String(head).to_string())
}

pub(super) fn shorten(text: String) -> String {
    shorten_to(&text, PREVIEW)
}

pub(super) fn list(options: &[Value]) -> String {
    let shown: Vec<String> = options.iter().take(10).map(preview).collect();
    let more = options.len().saturating_sub(shown.len());
    if more == 0 {
        format!("[{}]", shown.join(", "))
    } else {
        format!("[{}, … ({more} more)]", shown.join(", "))
    }
}

/// The first mismatch of each failing member, for "matches none".
pub(super) fn summary(failures: &[(usize, Vec<Mismatch>)]) -> String {
    let parts: Vec<String> = failures
        .iter()
        .map(|(i, found)| match found.first() {
            Some(first) => {
                let at = if first.instance.is_empty() {
                    "(root)"
                } else {
                    &first.instance
                };
                let more = if found.len() > 1 {
                    format!(" (+{} more)", found.len() - 1)
                } else {
                    String::new()
                };
                let text = shorten_to(&format!("{at}: {}", first.message), 160);
                format!("{i}: {text}{more}")
            }
            None => format!("{i}: ?"),
        })
        .collect();
    parts.join("; ")
}

pub(super) fn shorten_to(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut short: String = text.chars().take(max).collect();
        short.push('…');
        short
    }
}
