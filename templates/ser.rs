//! Helpers the generated models use when encoding: a model struct's `Serialize` (not derived;
//! the `model` module's `object!` expands to it, see the `de` module for why) is one map with
//! one call here per property.

use std::collections::BTreeMap;

use serde::ser::SerializeMap;
use serde::Serialize;

use super::nullable::Nullable;

/// Writes `name: value`, whatever the value (a required property, or a nullable one, whose
/// `None` is `null`).
#[allow(dead_code)]
pub(crate) fn entry<M: SerializeMap, T: Serialize + ?Sized>(
    map: &mut M,
    name: &'static str,
    value: &T,
) -> Result<(), M::Error> {
    map.serialize_entry(name, value)
}

/// Writes `name: value` unless the value is `None`: an optional property that is absent is not
/// sent.
#[allow(dead_code)]
pub(crate) fn optional<M: SerializeMap, T: Serialize>(
    map: &mut M,
    name: &'static str,
    value: &Option<T>,
) -> Result<(), M::Error> {
    match value {
        Some(value) => map.serialize_entry(name, value),
        None => Ok(()),
    }
}

/// Writes `name: value` unless the value is absent: [`Nullable::Null`] is sent as `null`.
#[allow(dead_code)]
pub(crate) fn unless_absent<M: SerializeMap, T: Serialize>(
    map: &mut M,
    name: &'static str,
    value: &Nullable<T>,
) -> Result<(), M::Error> {
    if value.is_absent() {
        Ok(())
    } else {
        map.serialize_entry(name, value)
    }
}

/// Writes every property of the map of properties the schema does not name.
#[allow(dead_code)]
pub(crate) fn unnamed<M: SerializeMap, V: Serialize>(
    map: &mut M,
    properties: &BTreeMap<String, V>,
) -> Result<(), M::Error> {
    properties
        .iter()
        .try_for_each(|(name, value)| map.serialize_entry(name, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A struct encoded as the generated ones are.
    struct Thing {
        name: String,
        nickname: Option<String>,
        manager: Option<String>,
        note: Nullable<String>,
        other: BTreeMap<String, serde_json::Value>,
    }

    impl Serialize for Thing {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut map = serializer.serialize_map(None)?;
            entry(&mut map, "name", &self.name)?;
            optional(&mut map, "nickname", &self.nickname)?;
            entry(&mut map, "manager", &self.manager)?;
            unless_absent(&mut map, "note", &self.note)?;
            unnamed(&mut map, &self.other)?;
            map.end()
        }
    }

    fn encoded(thing: &Thing) -> String {
        serde_json::to_string(thing).unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn absent_properties_are_left_out_and_null_is_sent() {
        let mut thing = Thing {
            name: "n".into(),
            nickname: None,
            manager: None,
            note: Nullable::Absent,
            other: BTreeMap::new(),
        };
        assert_eq!(encoded(&thing), r#"{"name":"n","manager":null}"#);
        thing.nickname = Some("k".into());
        thing.note = Nullable::Null;
        thing
            .other
            .insert("extra".into(), serde_json::json!({"kept": true}));
        assert_eq!(
            encoded(&thing),
            r#"{"name":"n","nickname":"k","manager":null,"note":null,"extra":{"kept":true}}"#
        );
        thing.note = Nullable::Value("v".into());
        thing.manager = Some("m".into());
        assert!(encoded(&thing).contains(r#""manager":"m","note":"v""#));
    }
}
