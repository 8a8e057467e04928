//! Helpers the generated unions use when decoding.

use serde_json::Value;

/// The order in which to try the variants of an untagged union on `value`: variants whose
/// known properties name more of the value's keys first, ties in declaration order. `fields`
/// lists each variant's known property names (empty for non-object variants).
// Only clients whose spec has an untagged union call this.
#[allow(dead_code)]
pub(crate) fn rank_variants(value: &Value, fields: &[&[&str]]) -> Vec<usize> {
    let keys: Vec<&str> = match value {
        Value::Object(map) => map.keys().map(String::as_str).collect(),
        _ => Vec::new(),
    };
    let mut order: Vec<(usize, usize)> = fields
        .iter()
        .enumerate()
        .map(|(index, known)| (keys.iter().filter(|k| known.contains(k)).count(), index))
        .collect();
    order.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    order.into_iter().map(|(_, index)| index).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_naming_more_keys_come_first_ties_keep_their_order() {
        let value = serde_json::json!({"kid": "k", "use": "enc", "x": 1});
        let fields: &[&[&str]] = &[&["kid"], &["kid", "use"], &[], &["kid"]];
        assert_eq!(rank_variants(&value, fields), [1, 0, 3, 2]);
        assert_eq!(rank_variants(&Value::from("text"), fields), [0, 1, 2, 3]);
    }
}
