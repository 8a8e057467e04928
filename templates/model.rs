//! The serde impls of the generated model structs, declared: for each struct, okgen writes one
//! call of `object!` listing its properties (the field, the JSON name and how the property
//! may be absent or `null`), and the macro expands to the struct's `Serialize` and
//! `Deserialize` (built on the helpers of the `ser` and `de` modules).
//!
//! Written out by the generator, the two impls were most of a big client's text (and of the
//! time it took to generate): the list of properties is what differs from struct to struct,
//! the rest is the same everywhere, so it is written once, here.
//!
//! The call sits in the generated `models` module, and the expansion names the runtime's
//! modules from there (`super::ser`, `super::de`), as the rest of the generated code does; the
//! standard library's items are spelled out in full, so that no model named like one of them
//! (`Result`, `Option`) can be taken for it.

/// The `Serialize` and `Deserialize` of a model struct:
///
/// ```text
/// object! {
///     Name {
///         field: "jsonName" kind,
///         …
///         ..unnamed_properties_field
///     }
/// }
/// ```
///
/// `kind` says how the property is written and read:
/// - `optional`: an `Option`, left out when `None`; `None` when absent;
/// - `nullable`: a [`Nullable`](super::nullable::Nullable), left out when absent, `null` when
///   `Null`; absent when absent;
/// - `null_if_none`: an `Option`, written as `null` when `None`; `None` when absent;
/// - `required`: always written; absent is an error (`missing field`), except for an `Option`
///   type, which is `None` then (as serde's derive reads it);
/// - `required_null`: an `Option`, always written (`None` as `null`); absent is an error.
///
/// `..field` names the map that keeps the properties the schema does not name; without it,
/// such a property fails decoding (`unknown field`).
// Only clients whose spec has a model struct use it.
#[allow(unused_macros)]
macro_rules! object {
    ($name:ident { $($field:ident: $json:literal $kind:ident),* $(,)? }) => {
        super::model::object!(@ser $name [$($field $json $kind)*] []);
        super::model::object!(@de $name [$($field $json $kind)*] []);
    };
    ($name:ident { $($field:ident: $json:literal $kind:ident,)* ..$extra:ident }) => {
        super::model::object!(@ser $name [$($field $json $kind)*] [$extra]);
        super::model::object!(@de $name [$($field $json $kind)*] [$extra]);
    };
    (@ser $name:ident [$($field:ident $json:literal $kind:ident)*] [$($extra:ident)?]) => {
        #[allow(deprecated)]
        impl ::serde::Serialize for $name {
            fn serialize<__S: ::serde::Serializer>(
                &self,
                serializer: __S,
            ) -> ::std::result::Result<__S::Ok, __S::Error> {
                // Not written to when the struct has no property.
                #[allow(unused_mut)]
                let mut map = ::serde::Serializer::serialize_map(
                    serializer,
                    ::std::option::Option::None,
                )?;
                $(super::model::object!(@write $kind map $json &self.$field);)*
                $(super::ser::unnamed(&mut map, &self.$extra)?;)?
                ::serde::ser::SerializeMap::end(map)
            }
        }
    };
    // Each step of `serialize` and `visit_map` returns its error by hand: `?` has the compiler
    // resolve `Try` and `From` for every property of every struct (without them, a big
    // client's `cargo check` holds a fifteenth less memory).
    (@write optional $map:ident $json:literal $value:expr) => {
        if let ::std::result::Result::Err(error) = super::ser::optional(&mut $map, $json, $value) {
            return ::std::result::Result::Err(error);
        }
    };
    (@write nullable $map:ident $json:literal $value:expr) => {
        if let ::std::result::Result::Err(error) = super::ser::unless_absent(&mut $map, $json, $value) {
            return ::std::result::Result::Err(error);
        }
    };
    (@write $kind:ident $map:ident $json:literal $value:expr) => {
        if let ::std::result::Result::Err(error) = super::ser::entry(&mut $map, $json, $value) {
            return ::std::result::Result::Err(error);
        }
    };
    (@de $name:ident [$($field:ident $json:literal $kind:ident)*] [$($extra:ident)?]) => {
        #[allow(deprecated)]
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> ::std::result::Result<Self, __D::Error> {
                // Not a name a model can have (they do not start with `_`).
                struct __Visitor;
                impl<'de> ::serde::de::Visitor<'de> for __Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(::std::concat!("struct ", ::std::stringify!($name)))
                    }
                    fn visit_map<__A: ::serde::de::MapAccess<'de>>(
                        self,
                        mut map: __A,
                    ) -> ::std::result::Result<$name, __A::Error> {
                        $(let mut $field = ::std::option::Option::None;)*
                        $(let mut $extra = ::std::collections::BTreeMap::new();)?
                        while let ::std::option::Option::Some(key) =
                            map.next_key::<super::de::Key<'de>>()?
                        {
                            super::model::object!(
                                @key key map [$($field $json)*] [$($extra)?]
                            );
                        }
                        ::std::result::Result::Ok($name {
                            $($field: super::model::object!(@read $kind $field $json),)*
                            $($extra,)?
                        })
                    }
                }
                deserializer.deserialize_map(__Visitor)
            }
        }
    };
    // One property of the object: a named one into its slot, another into the map of unnamed
    // ones (or an error, without one). Each is a `Result`, returned from in one place.
    (@key $key:ident $map:ident [] [$($extra:ident)?]) => {
        if let ::std::result::Result::Err(error) =
            super::model::object!(@other $key $map [$($extra)?] [])
        {
            return ::std::result::Result::Err(error);
        }
    };
    (@key $key:ident $map:ident [$($field:ident $json:literal)+] [$($extra:ident)?]) => {
        let step = match $key.as_str() {
            $($json => super::de::field(&mut $field, $json, &mut $map),)+
            _ => super::model::object!(@other $key $map [$($extra)?] [$($json)+]),
        };
        if let ::std::result::Result::Err(error) = step {
            return ::std::result::Result::Err(error);
        }
    };
    (@other $key:ident $map:ident [$extra:ident] [$($json:literal)*]) => {
        super::de::unnamed(&mut $extra, $key, &mut $map)
    };
    (@other $key:ident $map:ident [] [$($json:literal)*]) => {
        ::std::result::Result::<(), _>::Err(::serde::de::Error::unknown_field(
            $key.as_str(),
            &[$($json),*],
        ))
    };
    (@read required $slot:ident $json:literal) => {
        match super::de::required($slot, $json) {
            ::std::result::Result::Ok(value) => value,
            ::std::result::Result::Err(error) => return ::std::result::Result::Err(error),
        }
    };
    (@read required_null $slot:ident $json:literal) => {
        match super::de::present($slot, $json) {
            ::std::result::Result::Ok(value) => value,
            ::std::result::Result::Err(error) => return ::std::result::Result::Err(error),
        }
    };
    (@read $kind:ident $slot:ident $json:literal) => {
        $slot.unwrap_or_default()
    };
}

// Only clients whose spec has a model struct use it.
#[allow(unused_imports)]
pub(crate) use object;

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::{json, Value};

    // The modules the macro names from the module it is called in (`super::…`), as at the root
    // of a generated client.
    use crate::{de, model, ser};

    mod models {
        use std::collections::BTreeMap;

        use serde_json::Value;

        use crate::nullable::Nullable;

        /// Every kind of property, and the unnamed ones kept.
        #[derive(Debug, PartialEq)]
        pub struct Thing {
            pub id: String,
            pub note: Option<String>,
            pub size: Option<i64>,
            pub tag: Option<String>,
            pub manager: Option<String>,
            pub r#type: Nullable<String>,
            // Named as the macro's own variables: they do not meet.
            pub map: Option<i64>,
            pub key: Option<i64>,
            pub value: Option<i64>,
            pub error: Option<i64>,
            pub other: BTreeMap<String, Value>,
        }

        super::model::object! {
            Thing {
                id: "id" required,
                note: "note" required,
                size: "size" optional,
                tag: "tag" required_null,
                manager: "manager" null_if_none,
                r#type: "type" nullable,
                map: "map" optional,
                key: "key" optional,
                value: "value" optional,
                error: "error" required,
                ..other
            }
        }

        /// No unnamed property allowed.
        #[derive(Debug, PartialEq)]
        pub struct Closed {
            pub id: Option<String>,
        }

        super::model::object! {
            Closed {
                id: "id" optional,
            }
        }

        /// No named property: everything is kept.
        #[derive(Debug, PartialEq)]
        pub struct Bag {
            pub all: BTreeMap<String, Value>,
        }

        super::model::object! {
            Bag {
                ..all
            }
        }

        /// Nothing at all.
        #[derive(Debug, PartialEq)]
        pub struct Empty {}

        super::model::object! {
            Empty {}
        }
    }

    use models::{Bag, Closed, Empty, Thing};

    fn decode<T: for<'de> serde::Deserialize<'de>>(value: Value) -> Result<T, String> {
        serde_json::from_value(value).map_err(|e| e.to_string())
    }

    fn thing() -> Thing {
        Thing {
            id: "a".into(),
            note: None,
            size: None,
            tag: None,
            manager: None,
            r#type: crate::nullable::Nullable::Absent,
            map: None,
            key: None,
            value: None,
            error: None,
            other: BTreeMap::new(),
        }
    }

    #[test]
    fn a_struct_reads_its_properties_and_keeps_the_others() {
        let text = r#"{"id":"a","tag":null,"x":[1],"size":3,"n\u0061me":"b","type":null,"map":2,"error":5}"#;
        let thing: Thing = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}"));
        // A required `Option` that is absent is `None`, as serde's derive reads it.
        assert_eq!(thing.note, None);
        assert_eq!(thing.size, Some(3));
        assert_eq!(thing.tag, None);
        assert_eq!(thing.r#type, crate::nullable::Nullable::Null);
        assert_eq!((thing.map, thing.key), (Some(2), None));
        assert_eq!((thing.value, thing.error), (None, Some(5)));
        let other: Vec<(&str, String)> = thing
            .other
            .iter()
            .map(|(k, v)| (k.as_str(), v.to_string()))
            .collect();
        assert_eq!(
            other,
            [("name", "\"b\"".to_owned()), ("x", "[1]".to_owned())]
        );
        // From a reader too (keys are not borrowed then).
        let read: Thing = serde_json::from_reader(&br#"{"id":"a","tag":"t"}"#[..])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read.tag.as_deref(), Some("t"));
        assert_eq!(read.r#type, crate::nullable::Nullable::Absent);
    }

    #[test]
    fn a_struct_refuses_what_serde_derive_refuses() {
        let error = |value: Value| match decode::<Thing>(value.clone()) {
            Ok(thing) => panic!("{value} decoded: {thing:?}"),
            Err(e) => e,
        };
        assert!(error(json!({"tag": null})).starts_with("missing field `id`"));
        // Required and nullable: `null` is fine, absent is not.
        assert!(error(json!({"id": "a"})).starts_with("missing field `tag`"));
        assert!(error(json!({"id": 1, "tag": null})).starts_with("invalid type: integer `1`"));
        assert!(error(json!([1])).contains("expected struct Thing"));
        assert!(error(json!(null)).contains("expected struct Thing"));
        let duplicate = serde_json::from_str::<Thing>(r#"{"id":"a","tag":null,"id":"b"}"#);
        assert!(
            duplicate
                .map_err(|e| e.to_string())
                .is_err_and(|e| e.starts_with("duplicate field `id`")),
            "a repeated property is refused"
        );
    }

    #[test]
    fn without_a_map_for_them_unnamed_properties_are_refused() {
        assert_eq!(
            decode::<Closed>(json!({"id": "a"})),
            Ok(Closed {
                id: Some("a".into())
            })
        );
        let refused = |value: Value, decode: fn(Value) -> Option<String>| {
            decode(value.clone()).unwrap_or_else(|| panic!("{value} decoded"))
        };
        let closed = refused(json!({"id": "a", "other": 1}), |v| {
            decode::<Closed>(v).err()
        });
        assert!(
            closed.starts_with("unknown field `other`, expected `id`"),
            "{closed}"
        );
        let empty = refused(json!({"other": 1}), |v| decode::<Empty>(v).err());
        assert!(empty.starts_with("unknown field `other`"), "{empty}");
        assert_eq!(decode::<Empty>(json!({})), Ok(Empty {}));
        assert_eq!(serde_json::to_value(Empty {}).ok(), Some(json!({})));
    }

    #[test]
    fn a_struct_without_named_properties_keeps_every_one() {
        let value = json!({"a": 1, "b": [true]});
        let bag: Bag = decode(value.clone()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(bag.all.len(), 2);
        assert_eq!(serde_json::to_value(&bag).ok(), Some(value));
    }

    #[test]
    fn a_failure_inside_a_struct_names_its_path() {
        let text = r#"{"id":"a","tag":null,"size":"big"}"#;
        let mut de = serde_json::Deserializer::from_str(text);
        match serde_path_to_error::deserialize::<_, Thing>(&mut de) {
            Ok(thing) => panic!("decoded: {thing:?}"),
            Err(e) => assert_eq!(e.path().to_string(), "size"),
        }
    }

    #[test]
    fn each_kind_is_written_as_its_schema_allows() {
        let mut thing = thing();
        // Required ones always, `null_if_none` as `null`; absent optional and nullable ones not.
        assert_eq!(
            serde_json::to_value(&thing).ok(),
            Some(json!({"id": "a", "note": null, "tag": null, "manager": null, "error": null}))
        );
        thing.size = Some(2);
        thing.r#type = crate::nullable::Nullable::Null;
        thing.key = Some(1);
        thing.value = Some(7);
        thing.other.insert("extra".into(), json!({"kept": true}));
        let text = serde_json::to_string(&thing).unwrap_or_else(|e| e.to_string());
        assert_eq!(
            text,
            r#"{"id":"a","note":null,"size":2,"tag":null,"manager":null,"type":null,"key":1,"value":7,"error":null,"extra":{"kept":true}}"#
        );
        // What is written reads back as the same value.
        assert_eq!(serde_json::from_str::<Thing>(&text).ok(), Some(thing));
    }
}
