//! Query strings and `application/x-www-form-urlencoded` bodies: a value, taken as JSON, written
//! in one of the OpenAPI 3.0 styles (the "Style Examples" table of the specification).
//!
//! Names and values are percent-encoded except for RFC 3986 "unreserved" characters (a space is
//! `%20`, a comma in a value `%2C`); what a style adds (the `,` `|` and `%20` between items, the
//! brackets of `deepObject`) is written as is, so a server can tell a delimiter from data.

use std::fmt::Write as _;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use super::error::Error;

/// Characters left as they are: RFC 3986 "unreserved".
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// How a value is written; for `color` (`*` = `explode: true`):
///
/// | style | array | object |
/// | --- | --- | --- |
/// | `Form` | `color=blue,black` / `*` `color=blue&color=black` | `color=R,100,G,200` / `*` `R=100&G=200` |
/// | `SpaceDelimited` | `color=blue%20black` | `color=R%20100%20G%20200` |
/// | `PipeDelimited` | `color=blue\|black` | `color=R\|100\|G\|200` |
/// | `DeepObject` | `color[]=blue&color[]=black` | `color[R]=100&color[G]=200` |
///
/// A scalar is `color=blue` in every style; `null` is left out. `DeepObject` nests all the way
/// down (`items[0][price]=p`: arrays holding objects or arrays are indexed); the other styles
/// write a nested object or array as its JSON text. An exploded `SpaceDelimited` or
/// `PipeDelimited` value is written as an exploded `Form` one.
// Which styles a client uses depends on its spec.
#[allow(dead_code)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

impl Style {
    fn delimiter(self) -> &'static str {
        match self {
            Style::Form | Style::DeepObject => ",",
            Style::SpaceDelimited => "%20",
            Style::PipeDelimited => "|",
        }
    }
}

/// A JSON value whose objects keep their order (a struct's fields in declaration order,
/// whatever `serde_json`'s features).
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Node>),
    Object(Vec<(String, Node)>),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Node::Null, Node::Number))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(Node::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        Node::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries: Vec<(String, Node)> = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Node>()? {
            // JSON objects with a repeated key: the last one wins, as in serde_json.
            entries.retain(|(k, _)| k != &key);
            entries.push((key, value));
        }
        Ok(Node::Object(entries))
    }
}

impl Node {
    /// `value` as JSON, in order.
    fn of<T: serde::Serialize + ?Sized>(value: &T) -> Result<Node, serde_json::Error> {
        let text = serde_json::to_vec(value)?;
        serde_json::from_slice(&text)
    }

    fn is_container(&self) -> bool {
        matches!(self, Node::Array(_) | Node::Object(_))
    }

    /// The text sent for a value: a string as is, numbers and booleans as their JSON text, an
    /// array or object as its JSON text; `None` for `null`.
    fn text(&self) -> Option<String> {
        match self {
            Node::Null => None,
            Node::String(s) => Some(s.clone()),
            other => {
                let mut out = String::new();
                other.write_json(&mut out);
                Some(out)
            }
        }
    }

    fn write_json(&self, out: &mut String) {
        match self {
            Node::Null => out.push_str("null"),
            Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Node::Number(n) => {
                let _ = write!(out, "{n}");
            }
            Node::String(s) => out.push_str(&serde_json::Value::String(s.clone()).to_string()),
            Node::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_json(out);
                }
                out.push(']');
            }
            Node::Object(entries) => {
                out.push('{');
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&serde_json::Value::String(key.clone()).to_string());
                    out.push(':');
                    value.write_json(out);
                }
                out.push('}');
            }
        }
    }
}

fn encode(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).to_string()
}

/// The pairs of `value` named `name` in `style`, encoded.
fn pairs(out: &mut Vec<(String, String)>, name: &str, value: &Node, style: Style, explode: bool) {
    match value {
        Node::Null => {}
        _ if style == Style::DeepObject => nested(out, encode(name), value),
        Node::Array(items) => {
            let texts = items.iter().filter_map(Node::text);
            if explode {
                out.extend(texts.map(|t| (encode(name), encode(&t))));
            } else {
                let joined: Vec<String> = texts.map(|t| encode(&t)).collect();
                out.push((encode(name), joined.join(style.delimiter())));
            }
        }
        Node::Object(entries) => {
            let texts = entries
                .iter()
                .filter_map(|(key, value)| Some((key, value.text()?)));
            if explode {
                out.extend(texts.map(|(k, t)| (encode(k), encode(&t))));
            } else {
                let mut joined = Vec::new();
                for (key, text) in texts {
                    joined.push(encode(key));
                    joined.push(encode(&text));
                }
                out.push((encode(name), joined.join(style.delimiter())));
            }
        }
        scalar => {
            if let Some(text) = scalar.text() {
                out.push((encode(name), encode(&text)));
            }
        }
    }
}

/// Brackets all the way down, under the (encoded) name `key`: `key[prop]`, `key[]` for the
/// items of an array of scalars, `key[0]` for those of an array holding objects or arrays.
fn nested(out: &mut Vec<(String, String)>, key: String, value: &Node) {
    brackets(out, key, value, encode);
}

/// [`nested`] with names and values as they are (for multipart part names).
// Only clients whose spec has a multipart form in brackets call this.
#[allow(dead_code)]
pub(crate) fn nested_text<T: serde::Serialize + ?Sized>(
    name: &str,
    value: &T,
) -> Result<Vec<(String, String)>, serde_json::Error> {
    let node = Node::of(value)?;
    let mut out = Vec::new();
    brackets(&mut out, name.to_owned(), &node, |text| text.to_owned());
    Ok(out)
}

fn brackets(
    out: &mut Vec<(String, String)>,
    key: String,
    value: &Node,
    encode: fn(&str) -> String,
) {
    match value {
        Node::Null => {}
        Node::Array(items) => {
            let indexed = items.iter().any(Node::is_container);
            for (index, item) in items.iter().enumerate() {
                let key = if indexed {
                    format!("{key}[{index}]")
                } else {
                    format!("{key}[]")
                };
                brackets(out, key, item, encode);
            }
        }
        Node::Object(entries) => {
            for (name, value) in entries {
                brackets(out, format!("{key}[{}]", encode(name)), value, encode);
            }
        }
        scalar => {
            if let Some(text) = scalar.text() {
                out.push((key, encode(&text)));
            }
        }
    }
}

/// `name=value&…`.
pub(crate) fn join(pairs: &[(String, String)]) -> String {
    let mut out = String::new();
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        out.push_str(value);
    }
    out
}

/// Adds the query parameter `name` with `value` to `out`, in `style`.
// Which helpers a client calls depends on its spec.
#[allow(dead_code)]
pub(crate) fn query<T: serde::Serialize + ?Sized, E>(
    out: &mut Vec<(String, String)>,
    operation: &'static str,
    name: &str,
    value: &T,
    style: Style,
    explode: bool,
) -> Result<(), Error<E>> {
    let node = Node::of(value).map_err(|e| Error::Request {
        operation,
        message: format!("parameter `{name}` cannot be encoded: {e}"),
    })?;
    pairs(out, name, &node, style, explode);
    Ok(())
}

/// An `application/x-www-form-urlencoded` body: each property of `value` (an object) in the
/// style `encodings` gives it, else scalars as `name=value`, arrays exploded
/// (`name=a&name=b`, OpenAPI's default) and objects in brackets (`name[key]=value`).
// Only clients whose spec has a form body call this.
#[allow(dead_code)]
pub(crate) fn body<T: serde::Serialize + ?Sized, E>(
    operation: &'static str,
    value: &T,
    encodings: &[(&str, Style, bool)],
) -> Result<String, Error<E>> {
    let fail = |message: String| Error::Request { operation, message };
    let node = Node::of(value).map_err(|e| fail(format!("cannot encode the form body: {e}")))?;
    let Node::Object(properties) = node else {
        return Err(fail("the form body is not an object".to_owned()));
    };
    let mut out = Vec::new();
    for (name, value) in &properties {
        match encodings.iter().find(|(n, _, _)| n == name) {
            Some((_, style, explode)) => pairs(&mut out, name, value, *style, *explode),
            None if matches!(value, Node::Object(_)) => nested(&mut out, encode(name), value),
            None => pairs(&mut out, name, value, Style::Form, true),
        }
    }
    Ok(join(&out))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The query for `color` = the JSON `value` (parsed in order).
    fn q(value: &str, style: Style, explode: bool) -> String {
        let Ok(node) = serde_json::from_str::<Node>(value) else {
            return format!("{value} is not JSON");
        };
        let mut out = Vec::new();
        pairs(&mut out, "color", &node, style, explode);
        join(&out)
    }

    const ARRAY: &str = r#"["blue","black","brown"]"#;
    const OBJECT: &str = r#"{"R":100,"G":200,"B":150}"#;

    #[test]
    fn the_specification_table() {
        assert_eq!(q(r#""blue""#, Style::Form, true), "color=blue");
        assert_eq!(q(r#""""#, Style::Form, false), "color=");
        assert_eq!(
            q(ARRAY, Style::Form, true),
            "color=blue&color=black&color=brown"
        );
        assert_eq!(q(ARRAY, Style::Form, false), "color=blue,black,brown");
        assert_eq!(
            q(ARRAY, Style::SpaceDelimited, false),
            "color=blue%20black%20brown"
        );
        assert_eq!(
            q(ARRAY, Style::PipeDelimited, false),
            "color=blue|black|brown"
        );
        assert_eq!(q(OBJECT, Style::Form, true), "R=100&G=200&B=150");
        assert_eq!(q(OBJECT, Style::Form, false), "color=R,100,G,200,B,150");
        assert_eq!(
            q(OBJECT, Style::SpaceDelimited, false),
            "color=R%20100%20G%20200%20B%20150"
        );
        assert_eq!(
            q(OBJECT, Style::PipeDelimited, false),
            "color=R|100|G|200|B|150"
        );
        assert_eq!(
            q(OBJECT, Style::DeepObject, true),
            "color[R]=100&color[G]=200&color[B]=150"
        );
    }

    #[test]
    fn delimiters_are_literal_and_data_is_encoded() {
        assert_eq!(
            q(r#"["a,b","c d"]"#, Style::Form, false),
            "color=a%2Cb,c%20d"
        );
        assert_eq!(
            q(r#"{"k[":"v&"}"#, Style::DeepObject, true),
            "color[k%5B]=v%26"
        );
        assert_eq!(q("null", Style::Form, true), "");
        assert_eq!(q("true", Style::Form, true), "color=true");
        assert_eq!(q("1.5", Style::Form, true), "color=1.5");
    }

    #[test]
    fn brackets_nest_all_the_way_down() {
        assert_eq!(
            q(r#"[{"price":"p","n":2}]"#, Style::DeepObject, true),
            "color[0][price]=p&color[0][n]=2"
        );
        assert_eq!(
            q(r#"{"a":{"b":[1,null,2]}}"#, Style::DeepObject, true),
            "color[a][b][]=1&color[a][b][]=2"
        );
        assert_eq!(
            q(r#"{"a":{"b":1},"c":null}"#, Style::Form, true),
            "a=%7B%22b%22%3A1%7D",
            "a nested object in form style is its JSON text"
        );
    }
}
