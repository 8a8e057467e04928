//! Turning JSON names into Rust identifiers: case conversion, keyword escaping, and making names
//! unique.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust keywords (strict and reserved, all editions).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// Keeps ASCII letters and digits, turning everything else into word breaks.
fn words(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// A `snake_case` identifier for a field, parameter or method; escaped when it is a keyword,
/// prefixed when it would start with a digit, never empty.
pub fn snake(s: &str) -> String {
    let mut out = words(s).to_snake_case();
    if out.is_empty() {
        out = "value".into();
    }
    if out.chars().all(|c| c.is_ascii_digit() || c == '_') {
        // A number alone (GitHub's `+1` and `-1` reactions) gets a word: `plus_1`, `minus_1`,
        // `n1`; `_1` is no name to read (and clippy says so).
        let sign = match s.trim_start().chars().next() {
            Some('+') => "plus_",
            Some('-') => "minus_",
            _ => "n",
        };
        out.insert_str(0, sign);
    } else if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    escape(out)
}

/// An `UpperCamelCase` identifier for a type or variant; never empty, never a keyword.
pub fn camel(s: &str) -> String {
    let mut out = words(s).to_upper_camel_case();
    if out.is_empty() {
        out = "Value".into();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    if out == "Self" {
        out.push('_');
    }
    out
}

fn escape(ident: String) -> String {
    if NOT_RAW.contains(&ident.as_str()) {
        format!("{ident}_")
    } else if KEYWORDS.contains(&ident.as_str()) {
        format!("r#{ident}")
    } else {
        ident
    }
}

/// Every name the generated code and its runtime define where a name from the document could
/// also go, by namespace: the one table lowering's [`Scope`]s start from, and the one the
/// compile test (`tests/tests/reserved_names.rs`) names a document after, name by name.
pub mod reserved {
    /// The `Client`'s methods: what the runtime defines (`templates/client.rs` and
    /// `templates/config.rs`, private ones included: an inherent method of the same name in the
    /// generated `impl Client` is a duplicate definition), and the methods of the traits it
    /// implements (an inherent `clone` would shadow `Clone::clone`). Operation methods go
    /// around these.
    pub const CLIENT: &[&str] = &[
        "attempt",
        "base_url",
        "builder",
        "clone",
        "clone_from",
        "execute_bytes",
        "execute_empty",
        "execute_json",
        "fmt",
        "http_client",
        "http_client_builder",
        "new",
        "options",
        "send",
        "send_with_retries",
        "url",
        "user_agent",
        "with_http_client",
        "with_options",
        "with_sleeper",
    ];

    /// A request builder's fields and methods besides its parameters (fields and setters share
    /// the parameter's name): its `client`, what the emitter defines on every builder or on some
    /// (`content_type` with a raw body, `send_page` and `into_stream` on a paged list), and the
    /// methods of the traits it implements (`Clone`, `Debug`, `IntoFuture`). Parameters, the body
    /// and the `accept_…` alternatives go around these.
    pub const BUILDER: &[&str] = &[
        "build_request",
        "client",
        "clone",
        "clone_from",
        "content_type",
        "fmt",
        "into_future",
        "into_stream",
        "send",
        "send_page",
        "send_with_metadata",
    ];

    /// The methods of the generic runtime's `Auth` (`templates/auth.rs`, private ones included)
    /// and of the traits it implements: the constructors made from a document's security
    /// schemes go around these.
    pub const AUTH: &[&str] = &[
        "authorization",
        "clone",
        "clone_from",
        "credentials",
        "eq",
        "fmt",
        "header_value",
        "invalidate",
        "ne",
    ];

    /// The field of a struct model that keeps the properties its schema does not name.
    pub const EXTRA_PROPERTIES: &str = "additional_properties";

    /// A struct model's fields besides its properties: properties go around these.
    pub const STRUCT_FIELDS: &[&str] = &[EXTRA_PROPERTIES];

    /// Associated items of enum and union models, which `Self::…` would confuse with a variant
    /// of the same name: variants go around these (an `UpperCamelCase` variant never takes
    /// them anyway).
    pub const VARIANTS: &[&str] = &["KNOWN_VALUES", "TAG"];

    /// Names the generated code defines that a document's names may take, because the code is
    /// written so that they cannot clash; the compile test keeps that true.
    /// - Methods of models (`new`, `as_str`, …): fields and methods do not share a namespace,
    ///   and variants are `UpperCamelCase`.
    /// - Associated types of trait impls (`FromStr::Err`, `IntoFuture::Output`): never written
    ///   `Self::Err` (ambiguous with a variant `Err`), always as the type itself.
    /// - Generic parameters (`S`, `D`): every model is named through its path
    ///   (`super::models::S`).
    /// - Local variables of generated function bodies (`request`, `path`, `value`, …):
    ///   parameters and fields are only ever reached as `self.<name>` or `body.<name>`, so no
    ///   binding can shadow one, and no item in scope has a `snake_case` name a `let` could
    ///   mistake for a constant.
    pub const UNRESERVED: &[&str] = &[
        // Model methods and constants.
        "as_i64",
        "as_str",
        "deserialize",
        "from",
        "from_str",
        "is_unknown",
        "serialize",
        // Associated types and generic parameters.
        "D",
        "Err",
        "Error",
        "IntoFuture",
        "Ok",
        "Output",
        "S",
        "Self",
        // Locals of generated function bodies.
        "body",
        "cursor",
        "decoded",
        "deserializer",
        "e",
        "f",
        "file",
        "form",
        "index",
        "item",
        "joined",
        "next_cursor",
        "other",
        "path",
        "request",
        "response",
        "serializer",
        "tag",
        "value",
    ];

    /// The methods clippy's `should_implement_trait` asks to be trait methods (`std::ops`,
    /// `cmp`, `hash`, …). A document's names may take them: a builder's setter `sub` is no
    /// `Sub::sub`, so a generated method of one of these names allows the lint.
    pub const TRAIT_METHODS: &[&str] = &[
        "add",
        "as_mut",
        "as_ref",
        "bitand",
        "bitor",
        "bitxor",
        "borrow",
        "borrow_mut",
        "cmp",
        "default",
        "deref",
        "deref_mut",
        "div",
        "drop",
        "eq",
        "from_iter",
        "from_str",
        "hash",
        "index",
        "index_mut",
        "into_iter",
        "mul",
        "neg",
        "next",
        "not",
        "rem",
        "shl",
        "shr",
        "sub",
    ];

    /// Every list above.
    pub const ALL: &[&[&str]] = &[
        CLIENT,
        BUILDER,
        AUTH,
        STRUCT_FIELDS,
        VARIANTS,
        UNRESERVED,
        TRAIT_METHODS,
    ];
}

/// Hands out names that are unique within one scope, by appending a number to repeats.
#[derive(Debug, Default)]
pub struct Scope {
    taken: BTreeSet<String>,
    /// For each numbered form (`id` of `id2`, `v1_` of `v1_2`), the smallest number not yet
    /// known to be taken: names are never given back, so every smaller number stays taken and
    /// claiming `n` repeats of one name costs `O(n log n)`, not `O(n²)`.
    next: BTreeMap<String, u64>,
}

impl Scope {
    /// A scope with some names already taken.
    pub fn with_taken<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        Scope {
            taken: names.into_iter().map(str::to_owned).collect(),
            next: BTreeMap::new(),
        }
    }

    /// `name` if free, else `name2`, `name3`, …
    pub fn claim(&mut self, name: &str) -> String {
        if self.taken.insert(name.to_owned()) {
            return name.to_owned();
        }
        let (base, raw) = match name.strip_prefix("r#") {
            Some(b) => (b, true),
            None => (name, false),
        };
        let base = base.trim_end_matches('_');
        let stem = if raw || base.ends_with(|c: char| c.is_ascii_digit()) {
            format!("{base}_")
        } else {
            base.to_owned()
        };
        let next = self.next.entry(stem.clone()).or_insert(2);
        loop {
            let candidate = format!("{stem}{next}");
            *next += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }

    /// Whether a name is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

/// A crude singular for naming array items (`discloseIdentifiers` → `discloseIdentifier`,
/// `entries` → `entry`).
pub fn singular(s: &str) -> Option<String> {
    if s.len() > 4 && s.ends_with("ies") {
        return Some(format!("{}y", &s[..s.len() - 3]));
    }
    singular_s(s).map(str::to_owned)
}

fn singular_s(s: &str) -> Option<&str> {
    let plain = !["ss", "us", "is"].iter().any(|end| s.ends_with(end));
    if s.len() > 3 && s.ends_with('s') && plain {
        Some(&s[..s.len() - 1])
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_escapes_keywords_and_odd_names() {
        assert_eq!(snake("errorCode"), "error_code");
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("_links"), "links");
        assert_eq!(snake("$ref"), "r#ref");
        assert_eq!(snake("2fa.enabled"), "_2fa_enabled");
        assert_eq!(snake("x-rate-limit"), "x_rate_limit");
        assert_eq!(snake("---"), "value");
        assert_eq!(snake("+1"), "plus_1");
        assert_eq!(snake("-1"), "minus_1");
        assert_eq!(snake("2024"), "n2024");
    }

    #[test]
    fn camel_case_for_types_and_variants() {
        assert_eq!(camel("security_key"), "SecurityKey");
        assert_eq!(camel("DELETE"), "Delete");
        assert_eq!(camel("application/json"), "ApplicationJson");
        assert_eq!(camel("123"), "V123");
        assert_eq!(camel("self"), "Self_");
        assert_eq!(camel(""), "Value");
    }

    #[test]
    fn scope_makes_names_unique() {
        let mut scope = Scope::with_taken(["additional_properties"]);
        assert_eq!(scope.claim("id"), "id");
        assert_eq!(scope.claim("id"), "id2");
        assert_eq!(scope.claim("id"), "id3");
        assert_eq!(
            scope.claim("additional_properties"),
            "additional_properties2"
        );
        assert_eq!(scope.claim("r#type"), "r#type");
        assert_eq!(scope.claim("r#type"), "type_2");
        assert_eq!(scope.claim("v1"), "v1");
        assert_eq!(scope.claim("v1"), "v1_2");
    }

    #[test]
    fn claiming_many_repeats_gives_distinct_names_in_the_same_order() {
        let mut scope = Scope::with_taken(["a3", "a_"]);
        let claimed: Vec<String> = (0..10_000).map(|_| scope.claim("a")).collect();
        let distinct: BTreeSet<&String> = claimed.iter().collect();
        assert_eq!(distinct.len(), 10_000);
        // Taken names are skipped, numbering continues where it left off.
        assert_eq!(&claimed[..4], ["a", "a2", "a4", "a5"]);
        assert_eq!(claimed[9_999], "a10001");
        // A name claimed outright in between is skipped too.
        assert_eq!(scope.claim("a10003"), "a10003");
        assert_eq!(scope.claim("a"), "a10002");
        assert_eq!(scope.claim("a"), "a10004");
        // `a_` and `a` share the numbered form `a2`, …
        assert_eq!(scope.claim("a_"), "a10005");
        // The keyword and digit forms keep their own numbering.
        assert_eq!(scope.claim("r#type"), "r#type");
        assert_eq!(scope.claim("r#type"), "type_2");
        assert_eq!(scope.claim("type_2"), "type_2_2");
    }

    #[test]
    fn singular_strips_plain_plurals_only() {
        assert_eq!(
            singular("discloseIdentifiers").as_deref(),
            Some("discloseIdentifier")
        );
        assert_eq!(singular("entries").as_deref(), Some("entry"));
        assert_eq!(singular("status"), None);
        assert_eq!(singular("address"), None);
        assert_eq!(singular("ids"), None);
    }
}
