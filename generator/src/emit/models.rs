//! Model types: structs and forward-compatible string enums.

use proc_macro2::TokenStream;
use quote::quote;

use super::{code, doc_attrs, ident, sanitize, type_tokens};
use crate::ir::{
    Additional, Api, Argument, Field, IntEnum, StringEnum, Struct, TaggedUnion, TypeDef, TypeKind,
    Types, UntaggedUnion,
};

/// Every model type, in order (the emitter's reference, whole-file path), the calls of
/// `object!` among them as tokens.
#[cfg(test)]
pub(super) fn emit_models(api: &Api) -> TokenStream {
    let items = api.types.iter().map(|def| {
        let call: TokenStream = object_call(def)
            .and_then(|text| text.parse().ok())
            .unwrap_or_default();
        let call = super::with_cfg(call, &model_cfg(api, def));
        let items = emit_model(api, def);
        quote!(#items #call)
    });
    quote!(#(#items)*)
}

/// The items of one model type, behind its features' `cfg` when the client has them; a
/// struct's serde impls are not among them ([`object_call`]).
pub(super) fn emit_model(api: &Api, def: &TypeDef) -> TokenStream {
    super::with_cfg(emit_type(api, def), &model_cfg(api, def))
}

/// The `#[cfg(…)]` of the items of the model `def`: nothing without per-tag features.
pub(super) fn model_cfg(api: &Api, def: &TypeDef) -> TokenStream {
    match &api.tag_features {
        Some(tf) => super::feature_cfg(api, tf.of_type(def.id)),
        None => TokenStream::new(),
    }
}

fn emit_type(api: &Api, def: &TypeDef) -> TokenStream {
    let mut docs = doc_attrs(def.doc.as_deref().map(sanitize).as_deref());
    // Enums and unions add their own paragraph after the schema's description.
    let adds_docs = !matches!(
        def.kind,
        TypeKind::Struct(_) | TypeKind::Alias(_) | TypeKind::Newtype(_)
    );
    if def.doc.is_some() && adds_docs {
        docs.extend(quote!(#[doc = ""]));
    }
    if def.deprecated {
        docs.extend(quote!(#[deprecated]));
    }
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Alias(target) => {
            let target = type_tokens(&api.types, target);
            quote! {
                #docs
                pub type #name = #target;
            }
        }
        TypeKind::Newtype(target) => {
            let target = type_tokens(&api.types, target);
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #target);
            }
        }
        TypeKind::Struct(s) => emit_struct(&api.types, &docs, &name, s),
        TypeKind::StringEnum(e) => emit_enum(&super::Std::of(&api.types), &docs, &name, e),
        TypeKind::IntEnum(e) => emit_int_enum(&super::Std::of(&api.types), &docs, &name, e),
        TypeKind::TaggedUnion(u) => emit_tagged(&api.types, &docs, &name, u),
        TypeKind::UntaggedUnion(u) => emit_untagged(api, &docs, &name, u),
    }
}

/// Serialize for a union: each variant serializes its value as is.
fn union_serialize(
    spelled: &super::Std,
    name: &proc_macro2::Ident,
    variants: &[proc_macro2::Ident],
) -> TokenStream {
    let super::Std { result, .. } = spelled;
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                match self {
                    #(Self::#variants(value) => ::serde::Serialize::serialize(value, serializer),)*
                }
            }
        }
    }
}

fn emit_tagged(
    types: &Types,
    docs: &TokenStream,
    name: &proc_macro2::Ident,
    u: &TaggedUnion,
) -> TokenStream {
    let super::Std {
        result, ok, some, ..
    } = super::Std::of(types);
    let tag = &u.tag;
    let fallback = ident(&u.fallback);
    let variants = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let ty = type_tokens(types, &v.ty);
        let values: Vec<String> = v.tag_values.iter().map(|t| code(t)).collect();
        let docs = doc_attrs(Some(&format!("{} is {}.", code(tag), values.join(" or "))));
        quote! {
            #docs
            #variant(#ty),
        }
    });
    let arms = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let variant_name = &v.name;
        let values = &v.tag_values;
        quote! {
            #some(#(#values)|*) => ::serde_path_to_error::deserialize(value)
                .map(Self::#variant)
                .map_err(|e| ::serde::de::Error::custom(::std::format_args!(
                    "{} (at `{}` of the `{}` variant)", e.inner(), e.path(), #variant_name
                ))),
        }
    });
    let mut all: Vec<proc_macro2::Ident> = u.variants.iter().map(|v| ident(&v.name)).collect();
    all.push(fallback.clone());
    let serialize = union_serialize(&super::Std::of(types), name, &all);
    let fallback_doc = doc_attrs(Some(&format!(
        "A {} this client does not know, or none: the JSON as received.",
        code(tag)
    )));
    let chosen_doc = doc_attrs(Some(&format!(
        "The variant is chosen by the {} property.",
        code(tag)
    )));
    quote! {
        #docs
        #chosen_doc
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
            #fallback_doc
            #fallback(::serde_json::Value),
        }

        impl #name {
            /// The property whose value chooses the variant.
            pub const TAG: &'static str = #tag;
        }

        #serialize

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize<'de>>::deserialize(deserializer)?;
                let tag = value
                    .get(#tag)
                    .and_then(::serde_json::Value::as_str)
                    .map(::std::borrow::ToOwned::to_owned);
                match tag.as_deref() {
                    #(#arms)*
                    _ => #ok(Self::#fallback(value)),
                }
            }
        }
    }
}

fn emit_untagged(
    api: &Api,
    docs: &TokenStream,
    name: &proc_macro2::Ident,
    u: &UntaggedUnion,
) -> TokenStream {
    let super::Std { result, ok, .. } = super::Std::of(&api.types);
    let fallback = ident(&u.fallback);
    let variants = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let ty = type_tokens(&api.types, &v.ty);
        quote!(#variant(#ty),)
    });
    let fields = u.variants.iter().map(|v| {
        let names = &v.known_fields;
        quote!(&[#(#names),*])
    });
    let arms = u.variants.iter().enumerate().map(|(index, v)| {
        let variant = ident(&v.name);
        quote! {
            #index => {
                if let #ok(decoded) = ::serde_json::from_value(value.clone()) {
                    return #ok(Self::#variant(decoded));
                }
            }
        }
    });
    let mut all: Vec<proc_macro2::Ident> = u.variants.iter().map(|v| ident(&v.name)).collect();
    all.push(fallback.clone());
    let serialize = union_serialize(&super::Std::of(&api.types), name, &all);
    quote! {
        #docs
        /// Decoding tries the variants that name the most of the value's properties first; a
        /// value no variant accepts is kept as JSON in the fallback variant.
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
            /// A value no variant accepts, as received.
            #fallback(::serde_json::Value),
        }

        #serialize

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                const FIELDS: &[&[&str]] = &[#(#fields),*];
                let value = <::serde_json::Value as ::serde::Deserialize<'de>>::deserialize(deserializer)?;
                for index in super::de::rank_variants(&value, FIELDS) {
                    match index {
                        #(#arms)*
                        _ => {}
                    }
                }
                #ok(Self::#fallback(value))
            }
        }
    }
}

fn emit_int_enum(
    spelled: &super::Std,
    docs: &TokenStream,
    name: &proc_macro2::Ident,
    e: &IntEnum,
) -> TokenStream {
    let super::Std { result, .. } = spelled;
    let fallback = ident(&e.fallback);
    let variants = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let docs = doc_attrs(Some(&code(&v.value.to_string())));
        quote! {
            #docs
            #variant,
        }
    });
    let to_int = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = v.value;
        quote!(Self::#variant => #value,)
    });
    let from_int = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = v.value;
        quote!(#value => Self::#variant,)
    });
    // Without a known value every value is the fallback: no `match` of one arm.
    let from_value = if e.variants.is_empty() {
        quote!(Self::#fallback(value))
    } else {
        quote! {
            match value {
                #(#from_int)*
                other => Self::#fallback(other),
            }
        }
    };
    quote! {
        #docs
        /// Values this client does not know decode to the fallback variant instead of failing.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#variants)*
            /// A value this client does not know (yet), kept as received.
            #fallback(i64),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_i64(&self) -> i64 {
                match self {
                    #(#to_int)*
                    Self::#fallback(value) => *value,
                }
            }

            /// Whether this is a value the client does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::#fallback(_))
            }
        }

        impl ::std::convert::From<i64> for #name {
            fn from(value: i64) -> Self {
                #from_value
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.as_i64(), f)
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::num::ParseIntError;

            // The type itself, not `Self::Err`: that would be ambiguous with a variant `Err`.
            fn from_str(value: &str) -> #result<Self, ::std::num::ParseIntError> {
                value.trim().parse::<i64>().map(Self::from)
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                serializer.serialize_i64(self.as_i64())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                <i64 as ::serde::Deserialize<'de>>::deserialize(deserializer).map(Self::from)
            }
        }
    }
}

/// The field's Rust type: `Option`-wrapped when it may be absent or null.
fn field_type(types: &Types, field: &Field) -> TokenStream {
    let ty = type_tokens(types, &field.ty);
    if field.three_state() {
        quote!(super::Nullable<#ty>)
    } else if field.optional() {
        super::option_of(types, ty)
    } else {
        ty
    }
}

fn emit_struct(
    types: &Types,
    docs: &TokenStream,
    name: &proc_macro2::Ident,
    s: &Struct,
) -> TokenStream {
    let super::Std {
        some, none, string, ..
    } = super::Std::of(types);
    let fields = s.fields.iter().map(|f| {
        let doc = match (&f.doc, &f.default) {
            (doc, Some(default)) => Some(format!(
                "{}Default: {}.",
                doc.as_deref()
                    .map(|d| format!("{}\n\n", sanitize(d).trim_end()))
                    .unwrap_or_default(),
                code(&default.to_string())
            )),
            (doc, None) => doc.as_deref().map(sanitize),
        };
        let docs = doc_attrs(doc.as_deref());
        let field = ident(&f.name);
        let ty = field_type(types, f);
        let deprecated = f.deprecated.then(|| quote!(#[deprecated]));
        quote! {
            #docs
            #deprecated
            pub #field: #ty,
        }
    });
    let extra = match &s.additional {
        Additional::Keep { field } => Some((field, quote!(::serde_json::Value))),
        Additional::Typed { field, ty } => Some((field, type_tokens(types, ty))),
        Additional::Deny => None,
    };
    let extra_field = extra.as_ref().map(|(field, value)| {
        let field = ident(field);
        quote! {
            /// Properties the schema does not name, kept as received so that nothing is lost.
            pub #field: ::std::collections::BTreeMap<#string, #value>,
        }
    });

    let required: Vec<&Field> = s.fields.iter().filter(|f| f.required).collect();
    let derive_default = required.is_empty().then(|| quote!(, Default));
    let constructor = (!required.is_empty()).then(|| {
        let args = required.iter().map(|f| {
            let field = ident(&f.name);
            // A required field that may be absent is still taken as its value.
            let ty = if f.may_be_absent && !f.nullable {
                type_tokens(types, &f.ty)
            } else {
                field_type(types, f)
            };
            match f.argument {
                Argument::Into => quote!(#field: impl ::std::convert::Into<#ty>),
                _ => quote!(#field: #ty),
            }
        });
        let inits = s.fields.iter().map(|f| {
            let field = ident(&f.name);
            if f.three_state() {
                quote!(#field: super::Nullable::Absent)
            } else if !f.required {
                quote!(#field: #none)
            } else if f.may_be_absent && !f.nullable && f.argument == Argument::Into {
                quote!(#field: #some(#field.into()))
            } else if f.may_be_absent && !f.nullable {
                quote!(#field: #some(#field))
            } else if f.argument == Argument::Into {
                quote!(#field: #field.into())
            } else {
                quote!(#field)
            }
        });
        let extra_init = extra.as_ref().map(|(field, _)| {
            let field = ident(field);
            quote!(#field: ::std::collections::BTreeMap::new(),)
        });
        let allow_deprecated = s
            .fields
            .iter()
            .any(|f| f.deprecated)
            .then(|| quote!(#[allow(deprecated)]));
        // Every required field is an argument, however many the schema has.
        let allow_many = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        // A schema named `new` is a type `New`: its constructor is still `new`.
        let self_named = (name == "New").then(|| quote!(#[allow(clippy::self_named_constructors)]));
        quote! {
            impl #name {
                /// A value with the required fields set and every optional field empty.
                #allow_deprecated
                #allow_many
                #self_named
                pub fn new(#(#args),*) -> Self {
                    Self { #(#inits,)* #extra_init }
                }
            }
        }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq #derive_default)]
        pub struct #name {
            #(#fields)*
            #extra_field
        }
        #constructor
    }
}

/// The call of the runtime's `object!` (templates/model.rs) that declares the `Serialize` and
/// `Deserialize` of the struct `def`: one line per property (the field, the JSON name and how it
/// may be absent or `null`) and the map of unnamed properties. Written as text at the depth of
/// the items of `models`, one property per line: prettyplease would flow a macro's tokens into
/// a paragraph. `None` for a type that is not a struct.
pub(super) fn object_call(def: &TypeDef) -> Option<String> {
    use std::fmt::Write as _;
    let TypeKind::Struct(s) = &def.kind else {
        return None;
    };
    let mut out = format!("    super::model::object! {{\n        {}", ident(&def.name));
    let extra = match &s.additional {
        Additional::Keep { field } | Additional::Typed { field, .. } => Some(ident(field)),
        Additional::Deny => None,
    };
    if s.fields.is_empty() && extra.is_none() {
        out.push_str(" {}\n");
    } else {
        out.push_str(" {\n");
        for f in &s.fields {
            let json = proc_macro2::Literal::string(&f.json_name);
            // Writing to a `String` does not fail.
            let _ = writeln!(out, "            {}: {json} {},", ident(&f.name), kind(f));
        }
        if let Some(extra) = extra {
            let _ = writeln!(out, "            ..{extra}");
        }
        out.push_str("        }\n");
    }
    out.push_str("    }\n");
    Some(out)
}

/// How `object!` writes and reads the property `f` (see the macro's documentation).
fn kind(f: &Field) -> &'static str {
    if f.three_state() {
        // `Nullable`: absent is not sent, `null` is.
        "nullable"
    } else if f.must_be_present() && f.nullable {
        "required_null"
    } else if f.must_be_present() {
        "required"
    } else if f.nullable {
        // An `Option` whose `None` is sent as `null`.
        "null_if_none"
    } else {
        "optional"
    }
}

fn emit_enum(
    spelled: &super::Std,
    docs: &TokenStream,
    name: &proc_macro2::Ident,
    e: &StringEnum,
) -> TokenStream {
    let super::Std {
        result, ok, string, ..
    } = spelled;
    let fallback = ident(&e.fallback);
    let variants = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let doc = if v.value.is_empty() {
            "The empty string.".to_owned()
        } else {
            code(&v.value)
        };
        let docs = doc_attrs(Some(&doc));
        quote! {
            #docs
            #variant,
        }
    });
    let to_str = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = &v.value;
        quote!(Self::#variant => #value,)
    });
    let from_str = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = &v.value;
        quote!(#value => Self::#variant,)
    });
    let from_str2 = from_str.clone();
    // Without a known value (`enum: [null]`) every value is the fallback: no `match` of one arm.
    let (from_borrowed, from_owned) = if e.variants.is_empty() {
        (
            quote!(Self::#fallback(::std::borrow::ToOwned::to_owned(value))),
            quote!(Self::#fallback(value)),
        )
    } else {
        (
            quote! {
                match value {
                    #(#from_str)*
                    other => Self::#fallback(::std::borrow::ToOwned::to_owned(other)),
                }
            },
            quote! {
                match value.as_str() {
                    #(#from_str2)*
                    _ => Self::#fallback(value),
                }
            },
        )
    };
    let known = e.variants.iter().map(|v| &v.value);
    quote! {
        #docs
        /// Values this client does not know decode to the fallback variant instead of failing.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#variants)*
            /// A value this client does not know (yet), kept as received.
            #fallback(#string),
        }

        impl #name {
            /// The values known when this client was generated.
            pub const KNOWN_VALUES: &'static [&'static str] = &[#(#known),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    Self::#fallback(value) => value.as_str(),
                }
            }

            /// Whether this is a value the client does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::#fallback(_))
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                #from_borrowed
            }
        }

        impl ::std::convert::From<#string> for #name {
            fn from(value: #string) -> Self {
                #from_owned
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            // The type itself, not `Self::Err`: that would be ambiguous with a variant `Err`.
            fn from_str(value: &str) -> #result<Self, ::std::convert::Infallible> {
                #ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                <#string as ::serde::Deserialize<'de>>::deserialize(deserializer).map(Self::from)
            }
        }
    }
}
