//! A field that may be absent, `null`, or a value: three states a response keeps and a request
//! can send (an `Option` would merge the first two, so an explicit `null` read from Okta would
//! be lost on decode → encode, and a request could not send `null` to clear a field).

/// The value of an optional field whose schema is `nullable`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Nullable<T> {
    /// Not in the JSON: not sent.
    #[default]
    Absent,
    /// `null` in the JSON (in a request: clear the field).
    Null,
    /// A value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the field was absent (and so is not sent).
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// Whether the field was `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if there is one (absent and `null` are both `None`).
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }

    /// The value, if there is one, by value.
    pub fn into_value(self) -> Option<T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }

    /// `Some` becomes a value, `None` becomes `null` (not absent: it is sent).
    pub fn from_option(value: Option<T>) -> Self {
        match value {
            Some(v) => Nullable::Value(v),
            None => Nullable::Null,
        }
    }
}

impl<T: std::ops::Deref> Nullable<T> {
    /// The value as its borrowed form (`&str` for a `String`), if there is one.
    pub fn as_deref(&self) -> Option<&T::Target> {
        self.value().map(|v| &**v)
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T: serde::Serialize> serde::Serialize for Nullable<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(v) => v.serialize(serializer),
            // An absent field is skipped by the struct (`skip_serializing_if`); alone it is null.
            Nullable::Null | Nullable::Absent => serializer.serialize_none(),
        }
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Nullable<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Called only for a field that is present (absent ones take the `Default`).
        Option::<T>::deserialize(deserializer).map(Nullable::from_option)
    }
}

#[cfg(test)]
mod tests {
    use super::Nullable;

    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Patch {
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        nickname: Nullable<String>,
    }

    #[test]
    fn absent_null_and_a_value_survive_decode_and_encode() {
        for text in [r#"{}"#, r#"{"nickname":null}"#, r#"{"nickname":"Ann"}"#] {
            let patch: Patch = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(serde_json::to_string(&patch).ok().as_deref(), Some(text));
        }
        let read: Patch =
            serde_json::from_str(r#"{"nickname":null}"#).unwrap_or_else(|e| panic!("{e}"));
        assert!(read.nickname.is_null() && read.nickname.value().is_none());
        let ann = Nullable::from("Ann".to_owned());
        assert_eq!(ann.as_deref(), Some("Ann"));
        assert_eq!(Nullable::<u8>::from_option(None), Nullable::Null);
    }
}
