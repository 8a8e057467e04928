//! The checks of the keywords that look at one value alone (`type`, `format`, string, number and
//! array bounds, `enum`), and the comparisons of JSON numbers and values they need.

use std::cmp::Ordering;
use std::collections::HashMap;

use serde_json::{Map, Number, Value};

use super::message::{describe, preview, preview_str};
use super::{mismatch, Mismatch};
use crate::pointer::join;

/// `minItems`, `maxItems`, `uniqueItems`.
pub(super) fn check_array(
    schema: &str,
    map: &Map<String, Value>,
    items: &[Value],
    inst: &str,
    out: &mut Vec<Mismatch>,
) {
    let len = items.len() as u64;
    count_bounds(
        schema,
        map,
        inst,
        len,
        ("minItems", "maxItems"),
        "items",
        out,
    );
    if map.get("uniqueItems") == Some(&Value::Bool(true)) {
        let mut first: HashMap<String, usize> = HashMap::new();
        for (i, item) in items.iter().enumerate() {
            let mut key = String::new();
            canonical(item, &mut key);
            if let Some(&j) = first.get(&key) {
                out.push(mismatch(
                    &join(inst, &i.to_string()),
                    &join(schema, "uniqueItems"),
                    format!("item {i} equals item {j}, but uniqueItems requires distinct items"),
                ));
            } else {
                first.insert(key, i);
            }
        }
    }
}

pub(super) fn check_type(
    schema: &str,
    map: &Map<String, Value>,
    value: &Value,
    inst: &str,
    out: &mut Vec<Mismatch>,
) {
    let Some(declared) = map.get("type") else {
        return;
    };
    let at = join(schema, "type");
    let Some(name) = declared.as_str() else {
        out.push(mismatch(
            inst,
            &at,
            "`type` must be a string in OpenAPI 3.0",
        ));
        return;
    };
    let ok = match name {
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => matches!(value, Value::Number(n) if is_integral(n)),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        other => {
            out.push(mismatch(
                inst,
                &at,
                format!("unknown type {other:?} (OpenAPI 3.0 has string, number, integer, boolean, array and object)"),
            ));
            return;
        }
    };
    if ok {
        return;
    }
    let message = match value {
        Value::Null => format!("expected {name}, found null (the schema is not `nullable: true`)"),
        Value::Number(_) if name == "integer" => {
            format!(
                "expected integer, found number {} with a fractional part",
                preview(value)
            )
        }
        _ => format!("expected {name}, found {}", describe(value)),
    };
    out.push(mismatch(inst, &at, message));
}

pub(super) fn check_format(
    schema: &str,
    map: &Map<String, Value>,
    value: &Value,
    inst: &str,
    out: &mut Vec<Mismatch>,
) {
    let Some(format) = map.get("format").and_then(Value::as_str) else {
        return;
    };
    let problem = match (format, value) {
        ("date-time", Value::String(s)) => check_date_time(s).err(),
        ("date", Value::String(s)) => check_date(s).err(),
        ("int32", Value::Number(n)) => check_int(n, "int32", i32::MIN.into(), i32::MAX.into()),
        ("int64", Value::Number(n)) => check_int(n, "int64", i64::MIN.into(), i64::MAX.into()),
        _ => None,
    };
    if let Some(message) = problem {
        out.push(mismatch(inst, &join(schema, "format"), message));
    }
}

/// `min…`/`max…` bounds on a count of `what` (properties, items, characters).
pub(super) fn count_bounds(
    schema: &str,
    map: &Map<String, Value>,
    inst: &str,
    len: u64,
    (min_keyword, max_keyword): (&str, &str),
    what: &str,
    out: &mut Vec<Mismatch>,
) {
    if let Some(min) = count(map.get(min_keyword)) {
        if len < min {
            out.push(mismatch(
                inst,
                &join(schema, min_keyword),
                format!("{len} {what}, fewer than {min_keyword} {min}"),
            ));
        }
    }
    if let Some(max) = count(map.get(max_keyword)) {
        if len > max {
            out.push(mismatch(
                inst,
                &join(schema, max_keyword),
                format!("{len} {what}, more than {max_keyword} {max}"),
            ));
        }
    }
}

pub(super) fn check_string(
    schema: &str,
    map: &Map<String, Value>,
    s: &str,
    inst: &str,
    out: &mut Vec<Mismatch>,
) {
    let len = s.chars().count() as u64;
    count_bounds(
        schema,
        map,
        inst,
        len,
        ("minLength", "maxLength"),
        "characters",
        out,
    );
    // `pattern` is deliberately not checked: there is no regular expression engine here.
}

pub(super) fn check_number(
    schema: &str,
    map: &Map<String, Value>,
    n: &Number,
    inst: &str,
    out: &mut Vec<Mismatch>,
) {
    let v = num(n);
    if let Some(Value::Number(min)) = map.get("minimum") {
        let exclusive = map.get("exclusiveMinimum") == Some(&Value::Bool(true));
        match cmp_num(v, num(min)) {
            Some(Ordering::Less) => out.push(mismatch(
                inst,
                &join(schema, "minimum"),
                format!("{n} is less than the minimum {min}"),
            )),
            Some(Ordering::Equal) if exclusive => out.push(mismatch(
                inst,
                &join(schema, "exclusiveMinimum"),
                format!("{n} is not greater than the exclusive minimum {min}"),
            )),
            _ => {}
        }
    }
    if let Some(Value::Number(max)) = map.get("maximum") {
        let exclusive = map.get("exclusiveMaximum") == Some(&Value::Bool(true));
        match cmp_num(v, num(max)) {
            Some(Ordering::Greater) => out.push(mismatch(
                inst,
                &join(schema, "maximum"),
                format!("{n} is greater than the maximum {max}"),
            )),
            Some(Ordering::Equal) if exclusive => out.push(mismatch(
                inst,
                &join(schema, "exclusiveMaximum"),
                format!("{n} is not less than the exclusive maximum {max}"),
            )),
            _ => {}
        }
    }
    if let Some(Value::Number(divisor)) = map.get("multipleOf") {
        let ok = match (v, num(divisor)) {
            // Not a valid multipleOf (it must be > 0): ignored.
            (_, Num::Int(d)) if d <= 0 => true,
            (Num::Int(a), Num::Int(d)) => a % d == 0,
            (a, d) => {
                let d = d.as_f64();
                if d.is_nan() || d <= 0.0 {
                    true
                } else {
                    let q = a.as_f64() / d;
                    !q.is_finite() || (q - q.round()).abs() <= q.abs().max(1.0) * f64::EPSILON * 8.0
                }
            }
        };
        if !ok {
            out.push(mismatch(
                inst,
                &join(schema, "multipleOf"),
                format!("{n} is not a multiple of {divisor}"),
            ));
        }
    }
}

/// RFC 3339 `date-time`: `YYYY-MM-DDThh:mm:ss[.frac](Z|±hh:mm)`, `T` and `Z` in either case.
pub(super) fn check_date_time(s: &str) -> Result<(), String> {
    let fail = |why: &str| {
        Err(format!(
            "{} is not an RFC 3339 date-time (format: date-time): {why}",
            preview_str(s)
        ))
    };
    let b = s.as_bytes();
    let Some(date) = b.get(..10) else {
        return fail("expected YYYY-MM-DDThh:mm:ss followed by `Z` or `±hh:mm`");
    };
    if let Err(why) = parse_date(date) {
        return fail(why);
    }
    match b.get(10) {
        Some(b'T' | b't') => {}
        Some(_) => return fail("expected `T` between the date and the time"),
        None => return fail("the time is missing"),
    }
    let rest = b.get(11..).unwrap_or_default();
    let [h1, h2, b':', m1, m2, b':', s1, s2, tail @ ..] = rest else {
        return fail("expected the time as hh:mm:ss");
    };
    match (two(*h1, *h2), two(*m1, *m2), two(*s1, *s2)) {
        (Some(h), Some(m), Some(sec)) if h <= 23 && m <= 59 && sec <= 60 => {}
        (Some(_), Some(_), Some(_)) => return fail("the time is out of range"),
        _ => return fail("expected the time as hh:mm:ss"),
    }
    let mut offset = tail;
    if let [b'.', fraction @ ..] = offset {
        let digits = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return fail("expected digits after the decimal point");
        }
        offset = fraction.get(digits..).unwrap_or_default();
    }
    match offset {
        [] => Err(format!(
            "{} lacks a UTC offset: an RFC 3339 date-time (format: date-time) must end in `Z` or `±hh:mm` (okgen's runtime accepts this form leniently; the schema does not)",
            preview_str(s)
        )),
        [b'Z' | b'z'] => Ok(()),
        [b'+' | b'-', h1, h2, b':', m1, m2] => match (two(*h1, *h2), two(*m1, *m2)) {
            (Some(h), Some(m)) if h <= 23 && m <= 59 => Ok(()),
            _ => fail("the UTC offset is out of range"),
        },
        _ => fail("the UTC offset must be `Z` or `±hh:mm`"),
    }
}

/// `full-date` of RFC 3339: `YYYY-MM-DD`.
pub(super) fn check_date(s: &str) -> Result<(), String> {
    let result = if s.len() == 10 {
        parse_date(s.as_bytes())
    } else {
        Err("expected YYYY-MM-DD")
    };
    result.map_err(|why| format!("{} is not a date (format: date): {why}", preview_str(s)))
}

pub(super) fn parse_date(b: &[u8]) -> Result<(), &'static str> {
    let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = b else {
        return Err("expected YYYY-MM-DD");
    };
    let (Some(hi), Some(lo), Some(month), Some(day)) =
        (two(*y1, *y2), two(*y3, *y4), two(*m1, *m2), two(*d1, *d2))
    else {
        return Err("expected YYYY-MM-DD");
    };
    let year = hi * 100 + lo;
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err("the month is out of range"),
    };
    if day == 0 || day > days {
        return Err("the day is out of range for the month");
    }
    Ok(())
}

pub(super) fn two(a: u8, b: u8) -> Option<u32> {
    if a.is_ascii_digit() && b.is_ascii_digit() {
        Some(u32::from(a - b'0') * 10 + u32::from(b - b'0'))
    } else {
        None
    }
}

pub(super) fn check_int(n: &Number, format: &str, lo: i128, hi: i128) -> Option<String> {
    match num(n) {
        Num::Int(i) if (lo..=hi).contains(&i) => None,
        Num::Int(_) => Some(format!(
            "{n} is out of range for format {format} ({lo}..={hi})"
        )),
        Num::Float(_) => Some(format!("{n} is not an integer (format {format})")),
    }
}

/// A JSON number, exact when it is an integer.
#[derive(Debug, Clone, Copy)]
pub(super) enum Num {
    Int(i128),
    Float(f64),
}

impl Num {
    fn as_f64(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float(f) => f,
        }
    }
}

pub(super) fn num(n: &Number) -> Num {
    if let Some(i) = n.as_i64() {
        Num::Int(i.into())
    } else if let Some(u) = n.as_u64() {
        Num::Int(u.into())
    } else {
        let f = n.as_f64().unwrap_or(f64::NAN);
        if f.fract() == 0.0 && f.abs() < 1e38 {
            Num::Int(f as i128)
        } else {
            Num::Float(f)
        }
    }
}

pub(super) fn is_integral(n: &Number) -> bool {
    match num(n) {
        Num::Int(_) => true,
        Num::Float(f) => f.is_finite() && f.fract() == 0.0,
    }
}

pub(super) fn cmp_num(a: Num, b: Num) -> Option<Ordering> {
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => Some(x.cmp(&y)),
        _ => a.as_f64().partial_cmp(&b.as_f64()),
    }
}

/// A non-negative integer keyword (`minLength`, `maxItems`, ...).
pub(super) fn count(v: Option<&Value>) -> Option<u64> {
    let Some(Value::Number(n)) = v else {
        return None;
    };
    match num(n) {
        Num::Int(i) => u64::try_from(i).ok(),
        Num::Float(_) => None,
    }
}

/// JSON equality: numbers by value (`1` equals `1.0`), objects regardless of key order.
pub(super) fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => cmp_num(num(x), num(y)) == Some(Ordering::Equal),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_eq(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

/// A text equal for values that are [`json_eq`], for finding duplicates in one pass.
pub(super) fn canonical(v: &Value, out: &mut String) {
    match v {
        Value::Number(n) => match num(n) {
            Num::Int(i) => out.push_str(&i.to_string()),
            Num::Float(f) => out.push_str(&format!("{f:?}")),
        },
        Value::Array(items) => {
            out.push('[');
            for item in items {
                canonical(item, out);
                out.push(',');
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (k, v) in entries {
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                canonical(v, out);
                out.push(',');
            }
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}
