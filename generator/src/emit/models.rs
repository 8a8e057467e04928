//! Model types: structs and forward-compatible string enums.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_attrs, ident, type_tokens};
use crate::ir::{Additional, Api, Field, StringEnum, Struct, TypeDef, TypeKind, TypeRef};

pub(super) fn emit_models(api: &Api) -> TokenStream {
    let items = api.types.values().map(emit_type);
    quote!(#(#items)*)
}

fn emit_type(def: &TypeDef) -> TokenStream {
    let docs = doc_attrs(def.doc.as_deref());
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Alias(target) => {
            let target = type_tokens(target);
            quote! {
                #docs
                pub type #name = #target;
            }
        }
        TypeKind::Struct(s) => emit_struct(&docs, &name, s),
        TypeKind::StringEnum(e) => emit_enum(&docs, &name, e),
    }
}

/// The field's Rust type: `Option`-wrapped when it may be absent or null.
fn field_type(field: &Field) -> TokenStream {
    let ty = type_tokens(&field.ty);
    if field.optional() {
        quote!(::std::option::Option<#ty>)
    } else {
        ty
    }
}

fn emit_struct(docs: &TokenStream, name: &proc_macro2::Ident, s: &Struct) -> TokenStream {
    let fields = s.fields.iter().map(|f| {
        let docs = doc_attrs(f.doc.as_deref());
        let field = ident(&f.name);
        let json = &f.json_name;
        let ty = field_type(f);
        let serde = if f.required {
            // Required: always sent, `null` included when nullable.
            quote!(#[serde(rename = #json)])
        } else {
            quote!(#[serde(rename = #json, default, skip_serializing_if = "::std::option::Option::is_none")])
        };
        let deprecated = f.deprecated.then(|| quote!(#[deprecated]));
        quote! {
            #docs
            #serde
            #deprecated
            pub #field: #ty,
        }
    });
    let (extra, deny) = match &s.additional {
        Additional::Keep { field } => (Some((field, quote!(::serde_json::Value))), false),
        Additional::Typed { field, ty } => (Some((field, type_tokens(ty))), false),
        Additional::Deny => (None, true),
    };
    let extra_field = extra.as_ref().map(|(field, value)| {
        let field = ident(field);
        quote! {
            /// Properties the schema does not name, kept as received so that nothing is lost.
            #[serde(flatten)]
            pub #field: ::std::collections::BTreeMap<::std::string::String, #value>,
        }
    });
    let deny = deny.then(|| quote!(#[serde(deny_unknown_fields)]));

    let required: Vec<&Field> = s.fields.iter().filter(|f| f.required).collect();
    let derive_default = required
        .is_empty()
        .then(|| quote!(::std::default::Default,));
    let constructor = (!required.is_empty()).then(|| {
        let args = required.iter().map(|f| {
            let field = ident(&f.name);
            if f.ty == TypeRef::String && !f.optional() {
                quote!(#field: impl ::std::convert::Into<::std::string::String>)
            } else {
                let ty = field_type(f);
                quote!(#field: #ty)
            }
        });
        let inits = s.fields.iter().map(|f| {
            let field = ident(&f.name);
            if !f.required {
                quote!(#field: ::std::option::Option::None)
            } else if f.ty == TypeRef::String && !f.optional() {
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
        quote! {
            impl #name {
                /// A value with the required fields set and every optional field empty.
                #allow_deprecated
                pub fn new(#(#args),*) -> Self {
                    Self { #(#inits,)* #extra_init }
                }
            }
        }
    });
    quote! {
        #docs
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, #derive_default ::serde::Serialize, ::serde::Deserialize)]
        #deny
        pub struct #name {
            #(#fields)*
            #extra_field
        }
        #constructor
    }
}

fn emit_enum(docs: &TokenStream, name: &proc_macro2::Ident, e: &StringEnum) -> TokenStream {
    let fallback = ident(&e.fallback);
    let variants = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let doc = format!(" `{}`", v.value);
        quote! {
            #[doc = #doc]
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
    let known = e.variants.iter().map(|v| &v.value);
    quote! {
        #docs
        ///
        /// Values this client does not know decode to the fallback variant instead of failing.
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash, ::std::cmp::PartialOrd, ::std::cmp::Ord)]
        pub enum #name {
            #(#variants)*
            /// A value this client does not know (yet), kept as received.
            #fallback(::std::string::String),
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
                match value {
                    #(#from_str)*
                    other => Self::#fallback(::std::borrow::ToOwned::to_owned(other)),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for #name {
            fn from(value: ::std::string::String) -> Self {
                match value.as_str() {
                    #(#from_str2)*
                    _ => Self::#fallback(value),
                }
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                <::std::string::String as ::serde::Deserialize<'de>>::deserialize(deserializer).map(Self::from)
            }
        }
    }
}
