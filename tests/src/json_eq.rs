//! Equality of JSON values as JSON defines it, for round-trip tests: numbers compare by numeric
//! value (`1` equals `1.0`) and object members in any order; everything else must be the same
//! (`null` is not an absent member, arrays keep their order, strings compare exactly).
//!
//! The whole-document test also writes this file, as text, into the program it generates, so
//! it depends on `serde_json` alone.

use serde_json::{Number, Value};

/// The JSON pointer of the first place where `expected` and `actual` differ (`""` is the root),
/// or `None` when they are equal as JSON values.
pub fn json_difference(expected: &Value, actual: &Value) -> Option<String> {
    match (expected, actual) {
        (Value::Number(a), Value::Number(b)) => (!same_number(a, b)).then(String::new),
        (Value::Array(a), Value::Array(b)) => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (a, b))| json_difference(a, b).map(|at| format!("/{i}{at}")))
            .or_else(|| (a.len() != b.len()).then(|| format!("/{}", a.len().min(b.len())))),
        (Value::Object(a), Value::Object(b)) => {
            let key = |k: &str| format!("/{}", k.replace('~', "~0").replace('/', "~1"));
            a.iter()
                .find_map(|(k, a)| match b.get(k) {
                    Some(b) => json_difference(a, b).map(|at| key(k) + &at),
                    None => Some(key(k)),
                })
                .or_else(|| b.keys().find(|k| !a.contains_key(*k)).map(|k| key(k)))
        }
        (a, b) => (a != b).then(String::new),
    }
}

/// Whether two JSON numbers have the same value: integers exactly, an integer and a float when
/// the float is that integer, floats as `f64`.
fn same_number(a: &Number, b: &Number) -> bool {
    let int = |n: &Number| n.as_i64().map(i128::from).or(n.as_u64().map(i128::from));
    match (int(a), int(b), a.as_f64(), b.as_f64()) {
        (Some(a), Some(b), _, _) => a == b,
        (Some(i), None, _, Some(f)) | (None, Some(i), Some(f), _) => {
            f.is_finite() && f.fract() == 0.0 && f.abs() < 1e38 && f as i128 == i
        }
        (None, None, Some(a), Some(b)) => a == b,
        _ => false,
    }
}
