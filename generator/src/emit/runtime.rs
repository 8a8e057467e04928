//! The runtime every generated client carries: the crate in `templates/` (`okgen-runtime`),
//! compiled and unit-tested once there, and stamped into each client so that it stands alone.
//!
//! Stamping follows the crate's own layout: the items of `templates/lib.rs`, each `mod name;`
//! replaced by `pub mod name { … }` with the contents of `templates/name.rs`, less every item
//! marked `#[cfg(test)]` (the unit tests stay in the crate). The generated part sits beside those
//! modules, so `super::client::…` means the same in the crate and in a client.
//!
//! The runtime is stamped once per [`Profile`]: a `cfg` on `okgen_profile`
//! (`#[cfg(not(okgen_profile = "generic"))]` on what only Okta's profile has) is evaluated for
//! the profile and removed, and what it rules out is left out: items, impl items, enum variants,
//! fields, match arms, statements, fields of struct expressions and patterns. The crate itself is
//! compiled without `okgen_profile`, so it has both profiles' items.
//!
//! The sources are read with `include_str!` from outside the `okgen` package: `cargo package`
//! would need `templates/` copied into it (or these files moved under `generator/`) before okgen
//! could be published as a build-dependency.

use std::sync::OnceLock;

use syn::punctuated::Punctuated;
use syn::visit_mut::{self, VisitMut};
use syn::{Attribute, Expr, ImplItem, Item, Lit, Meta, Stmt, Token, TraitItem};

use crate::error::{Error, Result};
use crate::ir::Profile;

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
    ("builder", include_str!("../../../templates/builder.rs")),
    ("client", include_str!("../../../templates/client.rs")),
    ("config", include_str!("../../../templates/config.rs")),
    ("datetime", include_str!("../../../templates/datetime.rs")),
    ("de", include_str!("../../../templates/de.rs")),
    ("error", include_str!("../../../templates/error.rs")),
    ("form", include_str!("../../../templates/form.rs")),
    ("model", include_str!("../../../templates/model.rs")),
    ("multipart", include_str!("../../../templates/multipart.rs")),
    ("nullable", include_str!("../../../templates/nullable.rs")),
    ("operation", include_str!("../../../templates/operation.rs")),
    ("paging", include_str!("../../../templates/paging.rs")),
    (
        "private_key",
        include_str!("../../../templates/private_key.rs"),
    ),
    ("profile", include_str!("../../../templates/profile.rs")),
    ("ser", include_str!("../../../templates/ser.rs")),
];

/// The name of the `cfg` key that marks the items of one profile.
const PROFILE_KEY: &str = "okgen_profile";

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

/// The stamped runtime of `profile`, exactly as it ends every generated source of that profile
/// (a blank line and a comment first). The same for every client of the profile, so it is made
/// once.
pub(crate) fn source(profile: Profile) -> Result<&'static str> {
    static OKTA: OnceLock<std::result::Result<String, String>> = OnceLock::new();
    static GENERIC: OnceLock<std::result::Result<String, String>> = OnceLock::new();
    let cell = match profile {
        Profile::Okta => &OKTA,
        Profile::Generic => &GENERIC,
    };
    match cell.get_or_init(|| stamp(profile)) {
        Ok(source) => Ok(source),
        Err(message) => Err(Error::Internal {
            what: "the runtime (templates/)".into(),
            message: message.clone(),
        }),
    }
}

fn stamp(profile: Profile) -> std::result::Result<String, String> {
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
    let mut profiled = Profiled {
        profile,
        error: None,
    };
    profiled.visit_file_mut(&mut lib);
    if let Some(error) = profiled.error {
        return Err(format!("templates/: {error}"));
    }
    let mut left = Leftover(false);
    left.visit_file_mut(&mut lib);
    if left.0 {
        return Err(format!(
            "templates/: a cfg on `{PROFILE_KEY}` is left in a place the stamper does not evaluate (it does on items, impl items, variants, fields, match arms, statements and struct fields)"
        ));
    }
    let text = prettyplease::unparse(&lib);
    Ok(format!(
        "\n// The runtime: okgen's `templates/` crate (okgen-runtime), the same in every client of the `{profile}` profile.\n\n{text}"
    ))
}

/// Evaluates `cfg`s on `okgen_profile` for one profile: what a false one marks is removed, a true
/// one is dropped, any other attribute is left as it is.
struct Profiled {
    profile: Profile,
    /// The first `cfg` the stamper cannot evaluate.
    error: Option<String>,
}

impl Profiled {
    /// Whether an element with `attrs` is kept for the profile; drops its profile `cfg`s.
    fn keep(&mut self, attrs: &mut Vec<Attribute>) -> bool {
        let mut keep = true;
        let mut error = None;
        attrs.retain(|attr| {
            let is_cfg = attr.path().is_ident("cfg");
            if !is_cfg {
                if attr.path().is_ident("cfg_attr") && mentions_profile(attr) {
                    error = Some(format!("`cfg_attr` on `{PROFILE_KEY}` is not supported"));
                }
                return true;
            }
            let evaluated = match &attr.meta {
                Meta::List(list) => syn::parse2::<Meta>(list.tokens.clone())
                    .map_err(|e| format!("cannot read a cfg: {e}"))
                    .and_then(|meta| evaluate(&meta, self.profile)),
                _ => Ok(None),
            };
            match evaluated {
                Ok(None) => true,
                Ok(Some(value)) => {
                    keep &= value;
                    false
                }
                Err(e) => {
                    error = Some(e);
                    true
                }
            }
        });
        if self.error.is_none() {
            self.error = error;
        }
        keep
    }

    fn keep_items(&mut self, items: &mut Vec<Item>) {
        items.retain_mut(|item| item_attrs_mut(item).is_none_or(|attrs| self.keep(attrs)));
    }
}

impl VisitMut for Profiled {
    fn visit_file_mut(&mut self, file: &mut syn::File) {
        self.keep_items(&mut file.items);
        visit_mut::visit_file_mut(self, file);
    }

    fn visit_item_mod_mut(&mut self, module: &mut syn::ItemMod) {
        if let Some((_, items)) = &mut module.content {
            self.keep_items(items);
        }
        visit_mut::visit_item_mod_mut(self, module);
    }

    fn visit_item_impl_mut(&mut self, imp: &mut syn::ItemImpl) {
        imp.items
            .retain_mut(|item| impl_item_attrs_mut(item).is_none_or(|attrs| self.keep(attrs)));
        visit_mut::visit_item_impl_mut(self, imp);
    }

    fn visit_item_trait_mut(&mut self, tr: &mut syn::ItemTrait) {
        tr.items
            .retain_mut(|item| trait_item_attrs_mut(item).is_none_or(|attrs| self.keep(attrs)));
        visit_mut::visit_item_trait_mut(self, tr);
    }

    fn visit_item_enum_mut(&mut self, e: &mut syn::ItemEnum) {
        e.variants = retain(std::mem::take(&mut e.variants), |v| self.keep(&mut v.attrs));
        visit_mut::visit_item_enum_mut(self, e);
    }

    fn visit_fields_named_mut(&mut self, fields: &mut syn::FieldsNamed) {
        fields.named = retain(std::mem::take(&mut fields.named), |f| {
            self.keep(&mut f.attrs)
        });
        visit_mut::visit_fields_named_mut(self, fields);
    }

    fn visit_fields_unnamed_mut(&mut self, fields: &mut syn::FieldsUnnamed) {
        fields.unnamed = retain(std::mem::take(&mut fields.unnamed), |f| {
            self.keep(&mut f.attrs)
        });
        visit_mut::visit_fields_unnamed_mut(self, fields);
    }

    fn visit_expr_match_mut(&mut self, m: &mut syn::ExprMatch) {
        m.arms.retain_mut(|arm| self.keep(&mut arm.attrs));
        visit_mut::visit_expr_match_mut(self, m);
    }

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        block
            .stmts
            .retain_mut(|stmt| stmt_attrs_mut(stmt).is_none_or(|attrs| self.keep(attrs)));
        visit_mut::visit_block_mut(self, block);
    }

    fn visit_expr_struct_mut(&mut self, e: &mut syn::ExprStruct) {
        e.fields = retain(std::mem::take(&mut e.fields), |f| self.keep(&mut f.attrs));
        visit_mut::visit_expr_struct_mut(self, e);
    }

    fn visit_pat_struct_mut(&mut self, p: &mut syn::PatStruct) {
        p.fields = retain(std::mem::take(&mut p.fields), |f| self.keep(&mut f.attrs));
        visit_mut::visit_pat_struct_mut(self, p);
    }
}

/// Finds a `cfg` or `cfg_attr` on `okgen_profile` that [`Profiled`] left.
struct Leftover(bool);

impl VisitMut for Leftover {
    fn visit_attribute_mut(&mut self, attr: &mut Attribute) {
        if (attr.path().is_ident("cfg") || attr.path().is_ident("cfg_attr"))
            && mentions_profile(attr)
        {
            self.0 = true;
        }
    }
}

/// The elements of `list` that `keep` keeps, in order.
fn retain<T, P: Default>(
    list: Punctuated<T, P>,
    mut keep: impl FnMut(&mut T) -> bool,
) -> Punctuated<T, P> {
    let mut out = Punctuated::new();
    for mut element in list {
        if keep(&mut element) {
            out.push(element);
        }
    }
    out
}

/// The value of a cfg predicate for `profile`: `None` when it is not about `okgen_profile`; an
/// error when it mixes `okgen_profile` with other keys, or names no profile.
fn evaluate(meta: &Meta, profile: Profile) -> std::result::Result<Option<bool>, String> {
    match meta {
        Meta::NameValue(nv) if nv.path.is_ident(PROFILE_KEY) => match &nv.value {
            Expr::Lit(syn::ExprLit {
                lit: Lit::Str(s), ..
            }) if matches!(s.value().as_str(), "okta" | "generic") => {
                Ok(Some(s.value() == profile.as_str()))
            }
            _ => Err(format!(
                "`{PROFILE_KEY}` is \"okta\" or \"generic\", not {}",
                quote::ToTokens::to_token_stream(&nv.value)
            )),
        },
        Meta::List(list) if list.path.is_ident("not") => {
            let inner = syn::parse2::<Meta>(list.tokens.clone())
                .map_err(|e| format!("cannot read a cfg: {e}"))?;
            Ok(evaluate(&inner, profile)?.map(|value| !value))
        }
        Meta::List(list) if list.path.is_ident("all") || list.path.is_ident("any") => {
            let parts = list
                .parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
                .map_err(|e| format!("cannot read a cfg: {e}"))?;
            let values = parts
                .iter()
                .map(|part| evaluate(part, profile))
                .collect::<std::result::Result<Vec<_>, _>>()?;
            if values.iter().all(Option::is_none) {
                return Ok(None);
            }
            let known: Vec<bool> = values.iter().filter_map(|v| *v).collect();
            if known.len() != values.len() {
                return Err(format!(
                    "a cfg mixes `{PROFILE_KEY}` with other keys, which the stamper cannot decide"
                ));
            }
            Ok(Some(if list.path.is_ident("all") {
                known.iter().all(|v| *v)
            } else {
                known.iter().any(|v| *v)
            }))
        }
        other => {
            if quote::ToTokens::to_token_stream(other)
                .to_string()
                .contains(PROFILE_KEY)
            {
                Err(format!(
                    "cannot evaluate the cfg `{}`",
                    quote::ToTokens::to_token_stream(other)
                ))
            } else {
                Ok(None)
            }
        }
    }
}

/// Whether an attribute's text names `okgen_profile`.
fn mentions_profile(attr: &Attribute) -> bool {
    quote::ToTokens::to_token_stream(attr)
        .to_string()
        .contains(PROFILE_KEY)
}

/// Whether the attributes include `#[cfg(test)]`.
fn is_test_only(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("cfg")
            && matches!(&attr.meta, Meta::List(list) if list.tokens.to_string() == "test")
    })
}

/// The attributes of an item, to change.
fn item_attrs_mut(item: &mut Item) -> Option<&mut Vec<Attribute>> {
    Some(match item {
        Item::Const(i) => &mut i.attrs,
        Item::Enum(i) => &mut i.attrs,
        Item::ExternCrate(i) => &mut i.attrs,
        Item::Fn(i) => &mut i.attrs,
        Item::ForeignMod(i) => &mut i.attrs,
        Item::Impl(i) => &mut i.attrs,
        Item::Macro(i) => &mut i.attrs,
        Item::Mod(i) => &mut i.attrs,
        Item::Static(i) => &mut i.attrs,
        Item::Struct(i) => &mut i.attrs,
        Item::Trait(i) => &mut i.attrs,
        Item::TraitAlias(i) => &mut i.attrs,
        Item::Type(i) => &mut i.attrs,
        Item::Union(i) => &mut i.attrs,
        Item::Use(i) => &mut i.attrs,
        _ => return None,
    })
}

fn impl_item_attrs_mut(item: &mut ImplItem) -> Option<&mut Vec<Attribute>> {
    Some(match item {
        ImplItem::Const(i) => &mut i.attrs,
        ImplItem::Fn(i) => &mut i.attrs,
        ImplItem::Type(i) => &mut i.attrs,
        ImplItem::Macro(i) => &mut i.attrs,
        _ => return None,
    })
}

fn trait_item_attrs_mut(item: &mut TraitItem) -> Option<&mut Vec<Attribute>> {
    Some(match item {
        TraitItem::Const(i) => &mut i.attrs,
        TraitItem::Fn(i) => &mut i.attrs,
        TraitItem::Type(i) => &mut i.attrs,
        TraitItem::Macro(i) => &mut i.attrs,
        _ => return None,
    })
}

/// The attributes of a statement (of its expression, for an expression statement), for the
/// kinds of statement the runtime marks.
fn stmt_attrs_mut(stmt: &mut Stmt) -> Option<&mut Vec<Attribute>> {
    Some(match stmt {
        Stmt::Local(local) => &mut local.attrs,
        Stmt::Item(item) => return item_attrs_mut(item),
        Stmt::Macro(mac) => &mut mac.attrs,
        Stmt::Expr(expr, _) => match expr {
            Expr::Assign(e) => &mut e.attrs,
            Expr::Block(e) => &mut e.attrs,
            Expr::Call(e) => &mut e.attrs,
            Expr::ForLoop(e) => &mut e.attrs,
            Expr::If(e) => &mut e.attrs,
            Expr::Macro(e) => &mut e.attrs,
            Expr::Match(e) => &mut e.attrs,
            Expr::MethodCall(e) => &mut e.attrs,
            Expr::Return(e) => &mut e.attrs,
            Expr::Unary(e) => &mut e.attrs,
            _ => return None,
        },
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
    fn every_module_of_the_profile_is_stamped_once_and_no_test_is() {
        for profile in [Profile::Okta, Profile::Generic] {
            let source = source(profile).expect("the runtime stamps");
            for (name, _) in MODULES {
                // Okta's settings files and private keys are Okta's only.
                let okta_only = matches!(*name, "config" | "private_key");
                let expected = usize::from(profile == Profile::Okta || !okta_only);
                assert_eq!(
                    source.matches(&format!("\npub mod {name} {{\n")).count(),
                    expected,
                    "{profile}: module {name}"
                );
            }
            assert!(!source.contains("cfg(test)"));
            assert!(!source.contains("#[test]"));
            assert!(!source.contains(&format!("cfg(not({PROFILE_KEY}")));
            assert!(source.contains("pub use client::{"));
        }
    }

    #[test]
    fn each_profile_gets_its_own_items() {
        let okta = source(Profile::Okta).expect("okta stamps");
        let generic = source(Profile::Generic).expect("generic stamps");
        assert!(okta.contains("pub const PROFILE: Profile = Profile::Okta;"));
        assert!(generic.contains("pub const PROFILE: Profile = Profile::Generic;"));
        for okta_only in [
            "ApiToken(Secret)",
            "(\"SSWS\", s)",
            "PathBuf::from(\"okta.yaml\")",
            "OKTA_CLIENT_TOKEN",
            "pub fn api_token",
            "PrivateKey(PrivateKeyAuth)",
        ] {
            assert!(okta.contains(okta_only), "okta: {okta_only}");
            assert!(!generic.contains(okta_only), "generic: {okta_only}");
        }
        for generic_only in ["pub struct ApiKey", "Basic {", "fn with_query_credential"] {
            assert!(generic.contains(generic_only), "generic: {generic_only}");
            assert!(!okta.contains(generic_only), "okta: {generic_only}");
        }
    }

    fn stamped(profile: Profile, text: &str) -> std::result::Result<String, String> {
        let mut file = syn::parse_file(text).map_err(|e| e.to_string())?;
        let mut profiled = Profiled {
            profile,
            error: None,
        };
        profiled.visit_file_mut(&mut file);
        match profiled.error {
            Some(error) => Err(error),
            None => Ok(prettyplease::unparse(&file)),
        }
    }

    #[test]
    fn profile_cfgs_are_evaluated_everywhere_the_runtime_marks_them() {
        let text = r#"
            #[cfg(not(okgen_profile = "generic"))] fn okta_fn() {}
            #[cfg(not(okgen_profile = "okta"))] fn generic_fn() {}
            #[cfg(okgen_profile = "generic")] const ONLY_GENERIC: u8 = 1;
            #[cfg(all(not(okgen_profile = "okta"), any(okgen_profile = "generic")))] fn both_ways() {}
            #[cfg(test)] fn untouched() {}
            enum E { Shared, #[cfg(not(okgen_profile = "generic"))] OktaVariant }
            struct S { shared: u8, #[cfg(not(okgen_profile = "okta"))] generic_field: u8 }
            impl S {
                #[cfg(not(okgen_profile = "generic"))] fn okta_method(&self) {}
                fn f(&self, e: E) -> u8 {
                    #[cfg(not(okgen_profile = "okta"))]
                    let generic_local = 1;
                    #[cfg(not(okgen_profile = "generic"))]
                    if true { return 2; }
                    let _ = S { shared: 0, #[cfg(not(okgen_profile = "okta"))] generic_field: 0 };
                    match e { #[cfg(not(okgen_profile = "generic"))] E::OktaVariant => 3, _ => 4 }
                }
            }
        "#;
        let okta = stamped(Profile::Okta, text).expect("okta");
        let generic = stamped(Profile::Generic, text).expect("generic");
        for (source, kept, dropped) in [
            (
                &okta,
                &["okta_fn", "OktaVariant", "okta_method", "return 2"][..],
                &[
                    "generic_fn",
                    "ONLY_GENERIC",
                    "both_ways",
                    "generic_field",
                    "generic_local",
                ][..],
            ),
            (
                &generic,
                &[
                    "generic_fn",
                    "ONLY_GENERIC",
                    "both_ways",
                    "generic_field",
                    "generic_local",
                ][..],
                &["okta_fn", "OktaVariant", "okta_method", "return 2"][..],
            ),
        ] {
            for name in kept {
                assert!(source.contains(name), "{name} kept:\n{source}");
            }
            for name in dropped {
                assert!(!source.contains(name), "{name} dropped:\n{source}");
            }
            assert!(!source.contains(PROFILE_KEY), "{source}");
            assert!(
                source.contains("#[cfg(test)]"),
                "other cfgs stay:\n{source}"
            );
        }
    }

    #[test]
    fn profile_cfgs_the_stamper_cannot_decide_are_errors() {
        for text in [
            r#"#[cfg(all(test, okgen_profile = "okta"))] fn mixed() {}"#,
            r#"#[cfg(okgen_profile = "azure")] fn unknown() {}"#,
            r#"#[cfg_attr(okgen_profile = "okta", derive(Debug))] struct S;"#,
        ] {
            assert!(stamped(Profile::Okta, text).is_err(), "{text}");
        }
    }

    #[test]
    fn the_runtime_error_alias_is_left_out_of_every_profile() {
        for profile in [Profile::Okta, Profile::Generic] {
            let source = source(profile).expect("the runtime stamps");
            // The client's own alias takes its place (`emit`).
            assert!(!source.contains("pub type Error"), "{source}");
            assert!(!source.contains("DecodeError, Error}"), "{source}");
        }
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
