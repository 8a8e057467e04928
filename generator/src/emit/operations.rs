//! Operations: a request builder per operation, and the `Client` method that starts it.

use proc_macro2::TokenStream;
use quote::quote;

use super::{
    code, doc_attrs, doc_values, feature_cfg, ident, operation_cfg, sanitize, type_tokens, with_cfg,
};
use crate::ir::{
    Alternative, Api, Argument, BodyEncoding, MultipartForm, Operation, Param, ParamLocation,
    PartKind, PathPart, Style, Success, TypeRef, Types,
};

/// Every request builder, then the `Client`'s methods (the emitter's reference, whole-file
/// path).
#[cfg(test)]
pub(super) fn emit_operations(api: &Api) -> TokenStream {
    let builders = api.operations.iter().enumerate().map(|(i, op)| {
        let items = emit_builder_items(api, i, op);
        let call: TokenStream = builder_call(&api.types, op).parse().unwrap_or_default();
        let call = with_cfg(call, &operation_cfg(api, i));
        quote!(#items #call)
    });
    let methods = api.operations.iter().enumerate().map(|(i, op)| {
        let (docs, method) = emit_method(api, i, op);
        quote!(#(#[doc = #docs])* #method)
    });
    quote! {
        #(#builders)*

        impl super::Client {
            #(#methods)*
        }
    }
}

/// The request builder of the operation `index` (its struct and impls, and those of its
/// alternative media types), behind its features' `cfg`.
pub(super) fn emit_builder_items(api: &Api, index: usize, op: &Operation) -> TokenStream {
    with_cfg(emit_builder(&api.types, op), &operation_cfg(api, index))
}

/// The `Client` method that starts the operation `index`, behind its features' `cfg`: the
/// values of its doc comment ([`doc_values`](super::doc_values), which go first), and the rest.
/// The doc comment is most of a method's text: the item-by-item path writes it as text.
pub(super) fn emit_method(api: &Api, index: usize, op: &Operation) -> (Vec<String>, TokenStream) {
    let cfg = operation_cfg(api, index);
    let (docs, method) = emit_client_method(&api.types, op);
    (docs, quote!(#cfg #method))
}

/// With a feature per tag: the `tags` module, a handle per tag with its operations, and the
/// `Client` methods that return them (each behind its tag's feature). Nothing otherwise.
pub(super) fn emit_tags(api: &Api) -> TokenStream {
    let Some(tf) = &api.tag_features else {
        return TokenStream::new();
    };
    let mut handles = Vec::new();
    let mut accessors = Vec::new();
    for (index, feature) in tf.features.iter().enumerate() {
        let cfg = feature_cfg(api, &[index]);
        let handle = ident(&feature.handle);
        let accessor = ident(&feature.accessor);
        let what = match &feature.tag {
            Some(tag) => format!("tagged {}", code(tag)),
            None => "without a tag".to_owned(),
        };
        let handle_doc = doc_attrs(Some(&format!(
            "The operations {what} (feature {}): the same calls as the `Client`'s methods of the same names. Made by [`Client::{}`](super::Client::{}); it owns a clone of the client.",
            code(&feature.name),
            feature.accessor.trim_start_matches("r#"),
            feature.accessor.trim_start_matches("r#"),
        )));
        let accessor_doc = doc_attrs(Some(&format!(
            "The operations {what}, grouped (feature {}).",
            code(&feature.name)
        )));
        let methods = feature.operations.iter().filter_map(|&i| {
            let op = api.operations.get(i)?;
            Some(emit_handle_method(&api.types, op))
        });
        handles.push(quote! {
            #cfg
            #handle_doc
            #[derive(Clone, Debug)]
            pub struct #handle {
                pub(super) client: super::Client,
            }

            #cfg
            impl #handle {
                #(#methods)*
            }
        });
        let trait_like = trait_like(&feature.accessor);
        accessors.push(quote! {
            #cfg
            #accessor_doc
            #trait_like
            pub fn #accessor(&self) -> tags::#handle {
                tags::#handle { client: ::std::clone::Clone::clone(self) }
            }
        });
    }
    quote! {
        /// The operations grouped per tag: a handle per tag, each behind the tag's cargo feature.
        pub mod tags {
            #![allow(deprecated)]
            #(#handles)*
        }

        impl Client {
            #(#accessors)*
        }
    }
}

/// A handle's method: the `Client`'s method of the same name.
fn emit_handle_method(types: &Types, op: &Operation) -> TokenStream {
    let name = ident(&op.name);
    let builder = ident(&op.builder);
    let (args, names) = required_args(types, op);
    let plain = op.name.trim_start_matches("r#");
    let summary = op
        .summary
        .as_deref()
        .map(|s| format!("{}\n\n", sanitize(s.trim()).trim_end()))
        .unwrap_or_default();
    let docs = doc_attrs(Some(&format!(
        "{summary}{} (operation {}): see [`Client::{plain}`](super::Client::{plain}).",
        code(&format!("{} {}", op.method.as_str(), op.path)),
        code(&op.operation_id)
    )));
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let allow_many = (args.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let trait_like = trait_like(&op.name);
    quote! {
        #docs
        #deprecated
        #allow_many
        #trait_like
        pub fn #name(&self, #(#args),*) -> super::operations::#builder {
            self.client.#name(#(#names),*)
        }
    }
}

/// The arguments of an operation's `Client` method (its required parameters, then a required
/// body), and their names.
fn required_args(types: &Types, op: &Operation) -> (Vec<TokenStream>, Vec<proc_macro2::Ident>) {
    let mut args = Vec::new();
    let mut names = Vec::new();
    for p in op.params.iter().filter(|p| p.required) {
        let field = ident(&p.name);
        let arg = arg_type(types, p.argument, &p.ty);
        args.push(quote!(#field: #arg));
        names.push(field);
    }
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        let field = ident(&body.name);
        let arg = arg_type(types, body.argument, &body.ty);
        args.push(quote!(#field: #arg));
        names.push(field);
    }
    (args, names)
}

/// The doc text shared by the client method and the builder.
fn operation_doc(types: &Types, op: &Operation) -> String {
    let mut doc = String::new();
    // Each text of the document is sanitized on its own (a fence it leaves open is closed before
    // what follows), and the whole once more by `doc_attrs`.
    if let Some(summary) = &op.summary {
        doc.push_str(sanitize(summary.trim()).trim_end());
        doc.push_str("\n\n");
    }
    if let Some(description) = &op.description {
        if op.summary.as_deref().map(str::trim) != Some(description.trim()) {
            doc.push_str(sanitize(description.trim()).trim_end());
            doc.push_str("\n\n");
        }
    }
    doc.push_str(&format!(
        "{} (operation {})\n",
        code(&format!("{} {}", op.method.as_str(), op.path)),
        code(&op.operation_id)
    ));
    if !op.security.is_empty() {
        doc.push_str("\n# Authorization\n\nAny one of:\n");
        for s in &op.security {
            if s.scopes.is_empty() {
                doc.push_str(&format!("- {}\n", code(&s.scheme)));
            } else {
                let scopes: Vec<String> = s.scopes.iter().map(|s| code(s)).collect();
                doc.push_str(&format!(
                    "- {} with scopes {}\n",
                    code(&s.scheme),
                    scopes.join(", ")
                ));
            }
        }
    }
    if !op.responses.is_empty() {
        doc.push_str("\n# Responses\n\n");
        for r in &op.responses {
            let description = sanitize(r.description.lines().next().unwrap_or("").trim());
            let description = description.trim();
            // A status code or range the loader parsed (`200`, `4XX`, `default`): not free text.
            let status = &r.status;
            match &r.ty {
                Some(ty) => doc.push_str(&format!(
                    "- {status}: {description} ({})\n",
                    type_doc(types, ty)
                )),
                None => doc.push_str(&format!("- {status}: {description}\n")),
            }
        }
    }
    doc
}

/// A short human spelling of a type for docs, with links to models.
fn type_doc(types: &Types, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(id) => {
            let n = types.name(*id);
            format!("[`{n}`](super::models::{n})")
        }
        TypeRef::Vec(inner) => format!("array of {}", type_doc(types, inner)),
        TypeRef::Map(inner) => format!("map of {}", type_doc(types, inner)),
        TypeRef::Boxed(inner) => type_doc(types, inner),
        TypeRef::Option(inner) => format!("{} or null", type_doc(types, inner)),
        TypeRef::Value => "JSON".into(),
        other => format!("`{}`", type_tokens(types, other)),
    }
}

/// The type of an argument taken as `argument` says (decided while lowering).
fn arg_type(types: &Types, argument: Argument, ty: &TypeRef) -> TokenStream {
    match (argument, ty) {
        (Argument::Into, ty) => {
            let ty = type_tokens(types, ty);
            quote!(impl ::std::convert::Into<#ty>)
        }
        (Argument::Items, TypeRef::Vec(inner)) => {
            let inner = type_tokens(types, inner);
            quote!(impl ::std::iter::IntoIterator<Item = #inner>)
        }
        (_, ty) => type_tokens(types, ty),
    }
}

/// The stored value of an argument `name` taken as `argument` says.
fn convert(name: &proc_macro2::Ident, argument: Argument, ty: &TypeRef) -> TokenStream {
    match (argument, ty) {
        (Argument::Into, _) => quote!(#name.into()),
        (Argument::Items, TypeRef::Vec(_)) => quote!(#name.into_iter().collect()),
        _ => quote!(#name),
    }
}

/// The initializer of the builder field `name` from the argument of the same name.
fn init(name: &proc_macro2::Ident, argument: Argument, ty: &TypeRef) -> TokenStream {
    match (argument, ty) {
        (Argument::Into, _) | (Argument::Items, TypeRef::Vec(_)) => {
            let value = convert(name, argument, ty);
            quote!(#name: #value)
        }
        _ => quote!(#name),
    }
}

fn success_type(types: &Types, success: &Success) -> TokenStream {
    match success {
        Success::Json(ty) => type_tokens(types, ty),
        Success::Empty => quote!(()),
        Success::Bytes { .. } => quote!(::std::vec::Vec<u8>),
    }
}

/// The runtime's reading of a response of this kind (`client::Output`).
fn output(types: &Types, success: &Success) -> TokenStream {
    match success {
        Success::Json(ty) => {
            let ty = type_tokens(types, ty);
            quote!(super::client::Json<#ty>)
        }
        Success::Empty => quote!(super::client::Empty),
        Success::Bytes { .. } => quote!(super::client::Bytes),
    }
}

/// The runtime's spelling of a style.
fn style_tokens(style: Style) -> TokenStream {
    match style {
        Style::Simple | Style::Form => quote!(super::form::Style::Form),
        Style::SpaceDelimited => quote!(super::form::Style::SpaceDelimited),
        Style::PipeDelimited => quote!(super::form::Style::PipeDelimited),
        Style::DeepObject => quote!(super::form::Style::DeepObject),
    }
}

/// The struct of every multipart form body, for the `models` module.
#[cfg(test)]
pub(super) fn emit_forms(api: &Api) -> TokenStream {
    let forms = api
        .operations
        .iter()
        .enumerate()
        .filter_map(|(i, op)| emit_form_items(api, i, op));
    quote!(#(#forms)*)
}

/// The struct of the operation `index`'s multipart form body, behind its features' `cfg`; `None`
/// when its body is not a multipart form.
pub(super) fn emit_form_items(api: &Api, index: usize, op: &Operation) -> Option<TokenStream> {
    let body = op.body.as_ref()?;
    match &body.encoding {
        BodyEncoding::Multipart(form) => Some(with_cfg(
            emit_form(&api.types, op, form),
            &operation_cfg(api, index),
        )),
        _ => None,
    }
}

fn emit_form(types: &Types, op: &Operation, form: &MultipartForm) -> TokenStream {
    let super::Std { option, none, .. } = super::Std::of(types);
    let name = ident(&form.name);
    let head = format!(
        "The `multipart/form-data` body of [`Client::{op_name}`](super::Client::{op_name}): one part per field.",
        op_name = op.name.trim_start_matches("r#")
    );
    let doc = match &form.doc {
        Some(d) => format!("{}\n\n{head}", d.trim()),
        None => head,
    };
    let docs = doc_attrs(Some(&doc));
    let mut fields = Vec::new();
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for part in &form.parts {
        let field = ident(&part.name);
        let ty = match &part.kind {
            PartKind::File => quote!(super::FilePart),
            PartKind::Files => quote!(::std::vec::Vec<super::FilePart>),
            PartKind::Value(ty) => type_tokens(types, ty),
            PartKind::Values(ty) => {
                let ty = type_tokens(types, ty);
                quote!(::std::vec::Vec<#ty>)
            }
        };
        let list = matches!(part.kind, PartKind::Files | PartKind::Values(_));
        let field_ty = if part.required || list {
            ty.clone()
        } else {
            quote!(#option<#ty>)
        };
        let what = match &part.kind {
            PartKind::File => format!("The file part `{}`.", part.wire_name),
            PartKind::Files => format!("The file parts `{}`, one per file.", part.wire_name),
            PartKind::Value(_) => format!("The part `{}`.", part.wire_name),
            PartKind::Values(_) => format!("The parts `{}`, one per item.", part.wire_name),
        };
        let field_doc = match &part.doc {
            Some(d) => format!("{what}\n\n{}", d.trim()),
            None => what,
        };
        let field_docs = doc_attrs(Some(&field_doc));
        fields.push(quote! {
            #field_docs
            pub #field: #field_ty,
        });
        if part.required {
            let arg = match part.argument {
                Argument::Into => quote!(impl ::std::convert::Into<#ty>),
                _ => ty.clone(),
            };
            args.push(quote!(#field: #arg));
            inits.push(match part.argument {
                Argument::Into => quote!(#field: #field.into()),
                _ => quote!(#field),
            });
        } else if list {
            inits.push(quote!(#field: ::std::vec::Vec::new()));
        } else {
            inits.push(quote!(#field: #none));
        }
    }
    let allow_many = (args.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let derive_default = args.is_empty().then(|| quote!(, Default));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq #derive_default)]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            /// A form with the required parts set and every optional one empty.
            #allow_many
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits,)* }
            }
        }
    }
}

/// Statements adding the parts of the form in `body` to `form`.
fn multipart_parts(spelled: &super::Std, form: &MultipartForm) -> Vec<TokenStream> {
    let super::Std { some, .. } = spelled;
    form.parts
        .iter()
        .map(|part| {
            let field = ident(&part.name);
            let wire = &part.wire_name;
            let content_type = &part.content_type;
            let add = if part.deep_object {
                quote!(deep_object)
            } else {
                quote!(value)
            };
            match (&part.kind, part.required) {
                (PartKind::File, true) => {
                    quote!(form.file(#wire, &body.#field, #content_type);)
                }
                (PartKind::File, false) => quote! {
                    if let #some(file) = &body.#field {
                        form.file(#wire, file, #content_type);
                    }
                },
                (PartKind::Files, _) => quote! {
                    for file in &body.#field {
                        form.file(#wire, file, #content_type);
                    }
                },
                (PartKind::Value(_), true) => quote!(form.#add(#wire, &body.#field)?;),
                (PartKind::Value(_), false) => quote! {
                    if let #some(value) = &body.#field {
                        form.#add(#wire, value)?;
                    }
                },
                // In brackets, the list is one value (`expand[]` per item).
                (PartKind::Values(_), _) if part.deep_object => {
                    quote!(form.deep_object(#wire, &body.#field)?;)
                }
                (PartKind::Values(_), _) => quote! {
                    for value in &body.#field {
                        form.value(#wire, value)?;
                    }
                },
            }
        })
        .collect()
}

fn emit_builder(types: &Types, op: &Operation) -> TokenStream {
    let super::Std {
        option,
        result,
        ok,
        some,
        string,
        ..
    } = super::Std::of(types);
    let docs = doc_attrs(Some(&format!(
        "Request builder for [`Client::{name}`](super::Client::{name}): set optional parameters, then `.await` it (or call [`send`](Self::send)).",
        name = op.name.trim_start_matches("r#")
    )));
    let builder = ident(&op.builder);
    let operation_id = &op.operation_id;
    let error = type_tokens(types, &op.error);

    let mut fields = Vec::new();
    let mut setters = Vec::new();
    for p in &op.params {
        let name = ident(&p.name);
        let ty = type_tokens(types, &p.ty);
        if p.required {
            fields.push(quote!(#name: #ty,));
        } else {
            fields.push(quote!(#name: #option<#ty>,));
            let arg = arg_type(types, p.argument, &p.ty);
            let value = convert(&name, p.argument, &p.ty);
            let docs = doc_attrs(param_doc(p).as_deref());
            let deprecated = p.deprecated.then(|| quote!(#[deprecated]));
            let trait_like = trait_like(&p.name);
            setters.push(quote! {
                #docs
                #deprecated
                #trait_like
                pub fn #name(mut self, #name: #arg) -> Self {
                    self.#name = #some(#value);
                    self
                }
            });
        }
    }
    if let Some(body) = &op.body {
        let name = ident(&body.name);
        let ty = type_tokens(types, &body.ty);
        if body.required {
            fields.push(quote!(#name: #ty,));
        } else {
            fields.push(quote!(#name: #option<#ty>,));
            let body_doc = body.doc.as_deref().map(sanitize);
            let docs = doc_attrs(Some(body_doc.as_deref().unwrap_or("The request body.")));
            let arg = arg_type(types, body.argument, &body.ty);
            let value = convert(&name, body.argument, &body.ty);
            setters.push(quote! {
                #docs
                pub fn #name(mut self, #name: #arg) -> Self {
                    self.#name = #some(#value);
                    self
                }
            });
        }
        if body.encoding == BodyEncoding::Raw {
            let default = &body.media_type;
            fields.push(quote!(content_type: #option<#string>,));
            let docs = doc_attrs(Some(&format!(
                "The body's `Content-Type` (default {}); for `multipart/form-data` include the boundary.",
                code(default)
            )));
            setters.push(quote! {
                #docs
                pub fn content_type(mut self, content_type: impl ::std::convert::Into<#string>) -> Self {
                    self.content_type = #some(content_type.into());
                    self
                }
            });
        }
    }

    // The path: literal pieces and encoded parameter values, concatenated, from the parts
    // lowering parsed (the template is never parsed here).
    let mut pieces = Vec::new();
    for part in &op.path_parts {
        match part {
            PathPart::Literal(literal) => pieces.push(quote!(#literal)),
            PathPart::Param(index) => match op.params.get(*index) {
                Some(p) if p.location == ParamLocation::Path => {
                    let name = ident(&p.name);
                    let wire = &p.wire_name;
                    pieces.push(
                        quote!(&super::client::path_segment(#operation_id, #wire, &self.#name)?),
                    );
                }
                // Lowering never makes such a part; the generated code says so rather than
                // sending a request to the wrong path.
                _ => {
                    let message = format!(
                        "okgen internal error: the path of operation `{}` names parameter {index}, which is not a path parameter; please report this with the spec",
                        op.operation_id
                    );
                    pieces.push(quote!(::core::compile_error!(#message)));
                }
            },
        }
    }
    if pieces.is_empty() {
        pieces.push(quote!(""));
    }

    let mut build = Vec::new();
    for p in &op.params {
        let name = ident(&p.name);
        let wire = &p.wire_name;
        // `value` is a reference to the parameter's value.
        let push = match p.location {
            ParamLocation::Path => continue,
            ParamLocation::Query => {
                let style = style_tokens(p.style);
                let explode = p.explode;
                quote!(super::form::query(&mut request.query, #operation_id, #wire, value, #style, #explode)?;)
            }
            ParamLocation::Header => {
                let wire_lit = wire.to_ascii_lowercase();
                let encode =
                    |v: TokenStream| quote!(super::client::param_value(#operation_id, #wire, #v)?);
                match &p.ty {
                    TypeRef::Vec(_) => {
                        let item = encode(quote!(item));
                        quote! {
                            let mut joined = ::std::vec::Vec::new();
                            for item in value {
                                joined.push(#item);
                            }
                            request.headers.push((#wire_lit, joined.join(",")));
                        }
                    }
                    _ => {
                        let value = encode(quote!(value));
                        quote!(request.headers.push((#wire_lit, #value));)
                    }
                }
            }
        };
        if p.required {
            build.push(quote! {
                {
                    let value = &self.#name;
                    #push
                }
            });
        } else {
            build.push(quote! {
                if let #some(value) = &self.#name {
                    #push
                }
            });
        }
    }
    if let Some(body) = &op.body {
        let name = ident(&body.name);
        let media_type = &body.media_type;
        let attach = match &body.encoding {
            BodyEncoding::Raw => quote! {
                let content_type = self.content_type.clone().unwrap_or_else(|| #string::from(#media_type));
                request = request.raw(::std::clone::Clone::clone(body), content_type);
            },
            BodyEncoding::Json => quote!(request = request.json(body, #media_type)?;),
            BodyEncoding::Form { properties } => {
                let entries = properties.iter().map(|e| {
                    let name = &e.name;
                    let style = style_tokens(e.style);
                    let explode = e.explode;
                    quote!((#name, #style, #explode))
                });
                quote!(request = request.form(body, #media_type, &[#(#entries),*])?;)
            }
            BodyEncoding::Multipart(form) => {
                let parts = multipart_parts(&super::Std::of(types), form);
                quote! {
                    let mut form = super::multipart::Multipart::new(#operation_id);
                    #(#parts)*
                    request = request.multipart(form);
                }
            }
        };
        if body.required {
            build.push(quote! {
                {
                    let body = &self.#name;
                    #attach
                }
            });
        } else {
            build.push(quote! {
                if let #some(body) = &self.#name {
                    #attach
                }
            });
        }
    }
    // `Request::new` asks for JSON.
    if op.accept != "application/json" {
        let accept = &op.accept;
        build.push(quote!(request.accept = #accept;));
    }
    if op.anonymous {
        build.push(quote!(request.credentials = false;));
    }
    let method = ident(op.method.as_str());
    let output = output(types, &op.success);
    let mutable = (!build.is_empty()).then(|| quote!(mut));
    let path_expr = match pieces.as_slice() {
        [single] => quote!(::std::string::ToString::to_string(#single)),
        _ => quote!([#(#pieces),*].concat()),
    };
    let (alt_methods, alternatives): (Vec<_>, Vec<_>) = op
        .alternatives
        .iter()
        .map(|alt| emit_alternative(types, op, alt))
        .unzip();
    let path_template = &op.path;
    let paging = op.pagination.as_ref().map(|p| {
        let item = type_tokens(types, &p.item);
        let cursor = ident(&p.cursor);
        let cursor_wire = &p.cursor_wire;
        let stream_doc = doc_attrs(Some(&format!(
            "Every item across pages, fetched lazily page by page (the next page's cursor comes from the `Link: rel=\"next\"` header). Set [`{name}`](Self::{name}) first to resume from a saved cursor.",
            name = p.cursor.trim_start_matches("r#")
        )));
        quote! {
            impl #builder {
                /// Sends the request for one page: its items, and the cursor of the next page.
                pub fn send_page(self) -> super::client::Pending<super::Page<#item>, #error> {
                    super::paging::send_page_boxed(self, #cursor_wire)
                }

                #stream_doc
                pub fn into_stream(self) -> impl ::futures_util::Stream<Item = #result<#item, super::Error<#error>>> + ::std::marker::Send + 'static {
                    super::paging::items(self, Self::send_page, |request: Self, cursor: #string| request.#cursor(cursor))
                }
            }
        }
    });

    // Its `Debug`, `send`, `send_with_metadata` and `IntoFuture` are the runtime's
    // `request_builder!` ([`builder_call`]).
    let inherent = (!setters.is_empty() || !alt_methods.is_empty()).then(|| {
        quote! {
            impl #builder {
                #(#setters)*

                #(#alt_methods)*
            }
        }
    });
    quote! {
        #docs
        #[must_use = "a request does nothing until it is sent with `.await` or `.send()`"]
        #[derive(Clone)]
        pub struct #builder {
            client: super::Client,
            #(#fields)*
        }

        #inherent

        impl super::client::Call for #builder {
            type Output = #output;
            type Error = #error;

            fn client(&self) -> &super::Client {
                &self.client
            }

            fn build_request(&self) -> #result<super::client::Request, super::Error<#error>> {
                let path = #path_expr;
                let #mutable request = super::client::Request::new(#operation_id, ::reqwest::Method::#method, #path_template, path);
                #(#build)*
                #ok(request)
            }
        }

        #paging

        #(#alternatives)*
    }
}

/// The call of the runtime's `request_builder!` (`templates/operation.rs`) that declares the
/// `Debug`, `send`, `send_with_metadata` and `IntoFuture` of the operation's request builder:
/// its names, its types, the rest of `send`'s documentation and the parameters `Debug` shows.
/// Written as text at the depth of the items of `operations`, an entry per line: prettyplease
/// would flow a macro's tokens into a paragraph.
pub(super) fn builder_call(types: &Types, op: &Operation) -> String {
    use std::fmt::Write as _;
    let literal = |text: &str| proc_macro2::Literal::string(text).to_string();
    // The operation's documentation is the `Client` method's; `send` names it.
    let method_doc = op.name.trim_start_matches("r#");
    let send = doc_values(Some(&format!(
        "{} (operation {}): [`Client::{method_doc}`](super::Client::{method_doc}) documents its authorization and responses.",
        code(&format!("{} {}", op.method.as_str(), op.path)),
        code(&op.operation_id),
    )))
    .join("\n");
    // Each parameter's wire name (the body's Rust name), with its field when it is optional.
    let entry = |required: bool, field: &str, shown: &str| {
        if required {
            format!("required {}", literal(shown))
        } else {
            format!("optional {} {}", ident(field), literal(shown))
        }
    };
    let mut shown: Vec<String> = op
        .params
        .iter()
        .map(|p| entry(p.required, &p.name, &p.wire_name))
        .collect();
    if let Some(body) = &op.body {
        shown.push(entry(
            body.required,
            &body.name,
            body.name.trim_start_matches("r#"),
        ));
        if body.encoding == BodyEncoding::Raw {
            shown.push(entry(false, "content_type", "content_type"));
        }
    }
    let mut out = format!(
        "    super::operation::request_builder! {{\n        {} {{\n",
        ident(&op.builder)
    );
    // Writing to a `String` does not fail.
    let _ = writeln!(out, "            operation: {},", literal(&op.operation_id));
    let _ = writeln!(out, "            method: {},", literal(op.method.as_str()));
    let _ = writeln!(out, "            path: {},", literal(&op.path));
    let _ = writeln!(
        out,
        "            success: {},",
        super::tokens_text(&success_type(types, &op.success))
    );
    let _ = writeln!(
        out,
        "            error: {},",
        super::tokens_text(&type_tokens(types, &op.error))
    );
    let _ = writeln!(out, "            send: {},", literal(&send));
    if shown.is_empty() {
        out.push_str("            shown: [],\n");
    } else {
        out.push_str("            shown: [\n");
        for entry in &shown {
            let _ = writeln!(out, "                {entry},");
        }
        out.push_str("            ],\n");
    }
    out.push_str("        }\n    }\n");
    out
}

/// The method asking for another media type, and the builder it returns.
fn emit_alternative(
    types: &Types,
    op: &Operation,
    alt: &Alternative,
) -> (TokenStream, TokenStream) {
    let super::Std { result, ok, .. } = super::Std::of(types);
    let builder = ident(&op.builder);
    let alt_builder = ident(&alt.builder);
    let method = ident(&alt.method);
    let success = success_type(types, &alt.success);
    let error = type_tokens(types, &op.error);
    let alt_send_methods = send_methods(&success, &error, &TokenStream::new());
    let media_type = &alt.media_type;
    let returns = match &alt.success {
        Success::Json(ty) => type_doc(types, ty),
        Success::Empty => "no body".to_owned(),
        Success::Bytes { .. } => "its bytes".to_owned(),
    };
    let method_doc = doc_attrs(Some(&format!(
        "Asks for the response as `{media_type}` (sent as `Accept`) instead of `{default}`: the request then returns {returns}. Set the parameters first.",
        default = op.accept
    )));
    let builder_doc = doc_attrs(Some(&format!(
        "Request builder for [`Client::{name}`](super::Client::{name}) asking for `{media_type}`: `.await` it (or call [`send`](Self::send)) for {returns}.",
        name = op.name.trim_start_matches("r#")
    )));
    let output = output(types, &alt.success);
    let method = quote! {
        #method_doc
        pub fn #method(self) -> #alt_builder {
            #alt_builder(self)
        }
    };
    let item = quote! {
        #builder_doc
        #[must_use = "a request does nothing until it is sent with `.await` or `.send()`"]
        #[derive(Clone, Debug)]
        pub struct #alt_builder(#builder);

        impl #alt_builder {
            #alt_send_methods
        }

        impl super::client::Call for #alt_builder {
            type Output = #output;
            type Error = #error;

            fn client(&self) -> &super::Client {
                &self.0.client
            }

            fn build_request(&self) -> #result<super::client::Request, super::Error<#error>> {
                let mut request = <#builder as super::client::Call>::build_request(&self.0)?;
                request.accept = #media_type;
                #ok(request)
            }
        }

        impl ::std::future::IntoFuture for #alt_builder {
            type Output = #result<#success, super::Error<#error>>;
            type IntoFuture = super::client::Pending<#success, #error>;

            fn into_future(self) -> Self::IntoFuture {
                self.send()
            }
        }
    };
    (method, item)
}

/// For a method named like one clippy would have implement a trait (`sub`, `cmp`): it is an
/// operation or a parameter of the document, not that trait's method.
fn trait_like(name: &str) -> Option<TokenStream> {
    crate::names::reserved::TRAIT_METHODS
        .contains(&name)
        .then(|| quote!(#[allow(clippy::should_implement_trait)]))
}

fn param_doc(p: &Param) -> Option<String> {
    let place = match p.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    };
    let head = format!("{} ({place} parameter)", code(&p.wire_name));
    Some(match &p.doc {
        Some(d) => format!("{head}: {}", sanitize(d.trim()).trim_end()),
        None => head,
    })
}

fn emit_client_method(types: &Types, op: &Operation) -> (Vec<String>, TokenStream) {
    let super::Std { none, .. } = super::Std::of(types);
    let mut docs = doc_values(Some(&operation_doc(types, op)));
    let name = ident(&op.name);
    let builder = ident(&op.builder);
    let mut args = Vec::new();
    let mut inits = Vec::new();
    let mut arg_docs = String::new();
    for p in &op.params {
        let field = ident(&p.name);
        if p.required {
            let arg = arg_type(types, p.argument, &p.ty);
            args.push(quote!(#field: #arg));
            inits.push(init(&field, p.argument, &p.ty));
            if let Some(d) = param_doc(p) {
                arg_docs.push_str(&format!("- `{}`: {d}\n", p.name.trim_start_matches("r#")));
            }
        } else {
            inits.push(quote!(#field: #none));
        }
    }
    if let Some(body) = &op.body {
        let field = ident(&body.name);
        if body.required {
            let arg = arg_type(types, body.argument, &body.ty);
            args.push(quote!(#field: #arg));
            inits.push(init(&field, body.argument, &body.ty));
            let body_doc = body.doc.as_deref().map_or_else(
                || "the request body".to_owned(),
                |d| sanitize(d.trim()).trim_end().to_owned(),
            );
            arg_docs.push_str(&format!("- `{}`: {body_doc}\n", body.name));
        } else {
            inits.push(quote!(#field: #none));
        }
        if body.encoding == BodyEncoding::Raw {
            inits.push(quote!(content_type: #none));
        }
    }
    if !arg_docs.is_empty() {
        docs.extend(doc_values(Some(&format!("\n# Arguments\n\n{arg_docs}"))));
    }
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    // Required parameters are arguments, however many the spec has.
    let allow_many = (args.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let trait_like = trait_like(&op.name);
    let method = quote! {
        #deprecated
        #allow_many
        #trait_like
        pub fn #name(&self, #(#args),*) -> super::operations::#builder {
            super::operations::#builder {
                client: ::std::clone::Clone::clone(self),
                #(#inits,)*
            }
        }
    };
    (docs, method)
}

/// A request builder's `send` and `send_with_metadata`, each the runtime's generic function
/// boxed as `client::Pending`; `send_doc` adds to `send`'s documentation.
fn send_methods(success: &TokenStream, error: &TokenStream, send_doc: &TokenStream) -> TokenStream {
    quote! {
        /// Sends the request.
        #send_doc
        pub fn send(self) -> super::client::Pending<#success, #error> {
            super::client::send_boxed(self)
        }

        /// Sends the request and returns the value with the response's status, request id
        /// (the profile's header), rate-limit headers and headers.
        pub fn send_with_metadata(self) -> super::client::Pending<super::Response<#success>, #error> {
            super::client::send_with_metadata_boxed(self)
        }
    }
}
