//! Helpers the generated models use when decoding: the pieces of a struct's `Deserialize`, and
//! the ranking of an untagged union's variants.
//!
//! A model struct's `Deserialize` is not derived: the `model` module's `object!` expands to one
//! `visit_map` that matches each key against the property names and puts every other property
//! in the struct's map of unnamed properties directly. serde's derive, with that map as a
//! `#[serde(flatten)]` field, would first buffer every value of the object, and makes the
//! compiler check a field enum and a dozen visitor methods per struct (most of a big client's
//! `cargo check`).

use std::borrow::Cow;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::Value;

/// A key of a JSON object: borrowed from the input when it can be, owned when the input is
/// read as it goes or the key has escapes.
// Only clients whose spec has a model struct use this.
#[allow(dead_code)]
pub(crate) struct Key<'de>(Cow<'de, str>);

#[allow(dead_code)]
impl Key<'_> {
    /// The key.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// The key, owned (for the map of unnamed properties).
    pub(crate) fn into_owned(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a property name")
            }

            fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(key)))
            }

            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key.to_owned())))
            }

            fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key)))
            }
        }

        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Reads the value of the property `name` into `slot`; a second one for the same property is
/// an error (`duplicate field`), as with serde's derive.
// Only clients whose spec has a model struct use this.
#[allow(dead_code)]
pub(crate) fn field<'de, T, A>(
    slot: &mut Option<T>,
    name: &'static str,
    map: &mut A,
) -> Result<(), A::Error>
where
    T: Deserialize<'de>,
    A: MapAccess<'de>,
{
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Reads the value of a property the schema does not name into `unnamed`, the struct's map
/// of them.
// Only clients whose spec has a model struct that keeps unnamed properties use this.
#[allow(dead_code)]
pub(crate) fn unnamed<'de, V, A>(
    unnamed: &mut std::collections::BTreeMap<String, V>,
    key: Key<'de>,
    map: &mut A,
) -> Result<(), A::Error>
where
    V: Deserialize<'de>,
    A: MapAccess<'de>,
{
    let value = map.next_value()?;
    unnamed.insert(key.into_owned(), value);
    Ok(())
}

/// The value of the required property `name`; when it is absent, what serde's derive makes of
/// it: an `Option` is `None`, any other type is an error (`missing field`).
// Only clients whose spec has a model struct use this.
#[allow(dead_code)]
pub(crate) fn required<'de, T, E>(slot: Option<T>, name: &'static str) -> Result<T, E>
where
    T: Deserialize<'de>,
    E: de::Error,
{
    match slot {
        Some(value) => Ok(value),
        None => T::deserialize(Missing(name, PhantomData)),
    }
}

/// The value of the property `name`, which must be there (even if its type is an `Option`: a
/// required property that may be `null`).
// Only clients whose spec has a model struct use this.
#[allow(dead_code)]
pub(crate) fn present<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| de::Error::missing_field(name))
}

/// An absent property, decoded: `None` for an `Option`, a `missing field` error for the rest.
struct Missing<E>(&'static str, PhantomData<E>);

impl<'de, E: de::Error> Deserializer<'de> for Missing<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, E> {
        Err(de::Error::missing_field(self.0))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

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

    // The struct helpers (`Key`, `field`, `unnamed`, `required`, `present`) are tested through the
    // `object!` macro that calls them (the `model` module's tests).

    #[test]
    fn variants_naming_more_keys_come_first_ties_keep_their_order() {
        let value = serde_json::json!({"kid": "k", "use": "enc", "x": 1});
        let fields: &[&[&str]] = &[&["kid"], &["kid", "use"], &[], &["kid"]];
        assert_eq!(rank_variants(&value, fields), [1, 0, 3, 2]);
        assert_eq!(rank_variants(&Value::from("text"), fields), [0, 1, 2, 3]);
    }
}
