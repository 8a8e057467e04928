//! The runtime every generated client carries: the crate in `templates/` (`okgen-runtime`),
//! compiled and unit-tested once there, and stamped into each client so that it stands alone.
//!
//! Stamping follows the crate's own layout: the items of `templates/lib.rs`, each `mod name;`
//! replaced by `pub mod name { … }` with the contents of `templates/name.rs`, less every item
//! marked `#[cfg(test)]` (the unit tests stay in the crate). The generated part sits beside those
//! modules, so `super::client::…` means the same in the crate and in a client.
//!
//! The sources are read with `include_str!` from outside the `okgen` package: `cargo package`
//! would need `templates/` copied into it (or these files moved under `generator/`) before okgen
//! could be published as a build-dependency.

use std::sync::OnceLock;

use syn::{Attribute, Item, Meta};

use crate::error::{Error, Result};

/// The runtime's manifest: its `[dependencies]` table is the one list of the runtime's
/// dependencies ([`DEPENDENCIES`]).
const MANIFEST: &str = include_str!("../../../templates/Cargo.toml");

/// The crate root: the module declarations and the re-exports, in output order.
const LIB: &str = include_str!("../../../templates/lib.rs");

/// The type alias of `templates/lib.rs` that a generated client defines itself: the call error
/// `Error<E = …>`, whose default body type is the client's own (`Api::error`, spelled by
/// [`super::emit`]). The stamped runtime leaves the crate's alias out.
pub(crate) const CLIENT_DEFINED_ALIAS: &str = "Error";

/// Each module `templates/lib.rs` declares, with its source.
pub(crate) const MODULES: &[(&str, &str)] = &[
    ("auth", include_str!("../../../templates/auth.rs")),
    ("client", include_str!("../../../templates/client.rs")),
    ("config", include_str!("../../../templates/config.rs")),
    ("datetime", include_str!("../../../templates/datetime.rs")),
    ("de", include_str!("../../../templates/de.rs")),
    ("error", include_str!("../../../templates/error.rs")),
    ("form", include_str!("../../../templates/form.rs")),
    ("multipart", include_str!("../../../templates/multipart.rs")),
    ("nullable", include_str!("../../../templates/nullable.rs")),
    ("paging", include_str!("../../../templates/paging.rs")),
];

/// The body of the runtime manifest's `[dependencies]` table, as `Cargo.toml` lines: what the
/// stamped runtime (and the generated part) needs.
pub(crate) const DEPENDENCIES: &str = table_body(MANIFEST, "[dependencies]");

/// The lines of `manifest` after the line `header`, up to the next line that starts a table
/// (`[`) or the end. Evaluated at compile time: a manifest without the table does not build.
const fn table_body<'a>(manifest: &'a str, header: &str) -> &'a str {
    let text = manifest.as_bytes();
    let mut start: Option<usize> = None;
    let mut line = 0;
    while line < text.len() {
        let mut end = line;
        while end < text.len() && text[end] != b'\n' {
            end += 1;
        }
        match start {
            None if is_line(text, line, end, header.as_bytes()) => {
                start = Some(if end < text.len() { end + 1 } else { end });
            }
            Some(from) if text[line] == b'[' => return slice(text, from, line),
            _ => {}
        }
        line = end + 1;
    }
    match start {
        Some(from) => slice(text, from, text.len()),
        None => panic!("templates/Cargo.toml has no [dependencies] table"),
    }
}

/// Whether `text[from..to]`, less a trailing `\r`, is `expected`.
const fn is_line(text: &[u8], from: usize, to: usize, expected: &[u8]) -> bool {
    let to = if to > from && text[to - 1] == b'\r' {
        to - 1
    } else {
        to
    };
    if to - from != expected.len() {
        return false;
    }
    let mut i = 0;
    while i < expected.len() {
        if text[from + i] != expected[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// `text[from..to]` as text (cut at line starts, so always UTF-8).
const fn slice(text: &[u8], from: usize, to: usize) -> &str {
    let (_, rest) = text.split_at(from);
    let (body, _) = rest.split_at(to - from);
    match std::str::from_utf8(body) {
        Ok(body) => body,
        Err(_) => panic!("templates/Cargo.toml is not UTF-8"),
    }
}

/// The stamped runtime, exactly as it ends every generated source (a blank line and a comment
/// first). The same for every client, so it is made once.
pub(crate) fn source() -> Result<&'static str> {
    static SOURCE: OnceLock<std::result::Result<String, String>> = OnceLock::new();
    match SOURCE.get_or_init(stamp) {
        Ok(source) => Ok(source),
        Err(message) => Err(Error::Internal {
            what: "the runtime (templates/)".into(),
            message: message.clone(),
        }),
    }
}

fn stamp() -> std::result::Result<String, String> {
    let mut lib = syn::parse_file(LIB).map_err(|e| format!("templates/lib.rs: {e}"))?;
    let mut items = Vec::new();
    let mut left_out = false;
    for item in std::mem::take(&mut lib.items) {
        if is_test_only(attrs(&item)) {
            continue;
        }
        if matches!(&item, Item::Type(alias) if alias.ident == CLIENT_DEFINED_ALIAS) {
            left_out = true;
            continue;
        }
        match item {
            Item::Mod(mut module) if module.content.is_none() => {
                let name = module.ident.to_string();
                let source = MODULES
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, source)| *source)
                    .ok_or_else(|| {
                        format!("templates/lib.rs declares `mod {name}`, which okgen does not stamp (add it to MODULES)")
                    })?;
                let file =
                    syn::parse_file(source).map_err(|e| format!("templates/{name}.rs: {e}"))?;
                // The file's inner attributes (its `//!` documentation) become the module's.
                module.attrs.extend(file.attrs);
                let body = file
                    .items
                    .into_iter()
                    .filter(|item| !is_test_only(attrs(item)))
                    .collect();
                module.content = Some((syn::token::Brace::default(), body));
                module.semi = None;
                items.push(Item::Mod(module));
            }
            other => items.push(other),
        }
    }
    if !left_out {
        return Err(format!(
            "templates/lib.rs has no `pub type {CLIENT_DEFINED_ALIAS}<…>`, which every generated client defines itself"
        ));
    }
    // Only the items: the crate's inner attributes (its documentation) are not the client's.
    lib.attrs.clear();
    lib.items = items;
    Ok(format!(
        "\n// The runtime: okgen's `templates/` crate (okgen-runtime), the same in every client.\n\n{}",
        prettyplease::unparse(&lib)
    ))
}

/// Whether the attributes include `#[cfg(test)]`.
fn is_test_only(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("cfg")
            && matches!(&attr.meta, Meta::List(list) if list.tokens.to_string() == "test")
    })
}

/// The attributes of an item.
fn attrs(item: &Item) -> &[Attribute] {
    match item {
        Item::Const(i) => &i.attrs,
        Item::Enum(i) => &i.attrs,
        Item::ExternCrate(i) => &i.attrs,
        Item::Fn(i) => &i.attrs,
        Item::ForeignMod(i) => &i.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Macro(i) => &i.attrs,
        Item::Mod(i) => &i.attrs,
        Item::Static(i) => &i.attrs,
        Item::Struct(i) => &i.attrs,
        Item::Trait(i) => &i.attrs,
        Item::TraitAlias(i) => &i.attrs,
        Item::Type(i) => &i.attrs,
        Item::Union(i) => &i.attrs,
        Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used)]

    use super::*;

    #[test]
    fn the_dependencies_are_the_manifests_table_and_nothing_else() {
        assert!(DEPENDENCIES.ends_with('\n'));
        let lines: Vec<&str> = DEPENDENCIES.lines().filter(|l| !l.is_empty()).collect();
        assert!(lines.len() >= 10, "{DEPENDENCIES}");
        for line in &lines {
            assert!(
                line.split_once(" = ").is_some_and(|(name, _)| name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')),
                "not a `name = spec` line: {line:?}"
            );
        }
        assert!(lines.iter().any(|l| l.starts_with("reqwest = ")));
        assert!(!DEPENDENCIES.contains("workspace"), "{DEPENDENCIES}");
    }

    #[test]
    fn a_table_ends_at_the_next_header_or_the_end() {
        let manifest =
            "[package]\nname = \"x\"\n\n[dependencies]\na = \"1\"\nb = \"2\"\n\n[lints]\nc = 1\n";
        assert_eq!(
            table_body(manifest, "[dependencies]"),
            "a = \"1\"\nb = \"2\"\n\n"
        );
        assert_eq!(table_body(manifest, "[lints]"), "c = 1\n");
        assert_eq!(
            table_body("[dependencies]\r\na = \"1\"\r\n", "[dependencies]"),
            "a = \"1\"\r\n"
        );
        assert_eq!(table_body("[dependencies]", "[dependencies]"), "");
        // A line that only starts like the header is not the header.
        assert_eq!(
            table_body(
                "[dependencies.x]\nv = 1\n[dependencies]\nb = 2\n",
                "[dependencies]"
            ),
            "b = 2\n"
        );
    }

    #[test]
    fn every_module_is_stamped_once_and_no_test_is() {
        let source = source().expect("the runtime stamps");
        for (name, _) in MODULES {
            assert_eq!(
                source.matches(&format!("\npub mod {name} {{\n")).count(),
                1,
                "module {name}"
            );
        }
        assert!(!source.contains("cfg(test)"));
        assert!(!source.contains("#[test]"));
        assert!(source.contains("pub use client::{"));
        // The client's own alias takes its place (`emit`).
        assert!(!source.contains("pub type Error"), "{source}");
        assert!(!source.contains("DecodeError, Error}"), "{source}");
    }

    #[test]
    fn test_only_items_are_recognized() {
        let file = syn::parse_file(
            "#[cfg(test)] mod tests {} #[cfg(not(test))] fn kept() {} #[cfg(test)] fn helper() {} mod m {}",
        )
        .expect("parses");
        let kept: Vec<bool> = file.items.iter().map(|i| is_test_only(attrs(i))).collect();
        assert_eq!(kept, [true, false, true, false]);
    }
}
