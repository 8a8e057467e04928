//! Operations: selection, parameters, bodies, responses and security.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{
    Operation as OaOperation, Parameter, ParameterSchemaOrContent, PathItem, QueryStyle,
    ReferenceOr, RequestBody, Response, Schema, SchemaKind, StatusCode, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};

use super::schema::SchemaRef;
use super::Lowering;
use crate::config::Selection;
use crate::error::Result;
use crate::ir::{
    Alternative, Argument, Body, BodyEncoding, Method, MultipartForm, Operation, Pagination, Param,
    ParamLocation, Part, PartKind, PathPart, PropertyEncoding, ResponseDoc, SecurityDoc, Style,
    Success, TypeRef,
};
use crate::names::{self, reserved, Scope};
use crate::pointer::join;

pub(super) fn lower_operations(
    cx: &mut Lowering<'_>,
    selection: &Selection,
) -> Result<Vec<Operation>> {
    let doc = cx.doc;
    let mut selected = Vec::new();
    for (path, item) in doc.api.paths.paths.iter() {
        let path_at = join("/paths", path);
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { reference } => {
                return Err(cx.error(
                    &join(&path_at, "$ref"),
                    format!("path item $ref {reference:?} is not supported"),
                    Some("inline the path item"),
                ))
            }
        };
        for (method, op) in item.iter() {
            if selection.matches(path, op) {
                selected.push((path.as_str(), method, item, op));
            }
        }
    }
    if selected.is_empty() && !selection.is_empty() {
        return Err(cx.error(
            "/paths",
            format!("the selection matches no operation: {selection}"),
            Some("check the tags, paths and operationIds in the configuration"),
        ));
    }
    let mut method_names = Scope::with_taken(reserved::CLIENT.iter().copied());
    let mut builder_names = Scope::default();
    // Name in a stable order (by operation id), so adding an operation never renames another.
    let mut keyed: Vec<_> = selected
        .into_iter()
        .map(|(path, method, item, op)| (operation_key(path, method, op), path, method, item, op))
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = Vec::new();
    for (key, path, method, item, op) in keyed {
        let name = method_names.claim(&names::snake(&key));
        let builder = builder_names.claim(&names::camel(&key));
        let lowered = lower_operation(cx, path, method, item, op, key, name, builder);
        let left_out = format!(
            "the operation `{} {path}` was left out",
            method.to_ascii_uppercase()
        );
        if let Some(op) = cx.diagnostics.recover(lowered, &left_out)? {
            out.push(op);
        }
    }
    // Builders of alternative media types, named after every operation's own builder.
    for op in &mut out {
        for alt in &mut op.alternatives {
            alt.builder = builder_names.claim(&alt.builder);
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// The operation id, or one made from the method and path when the spec has none.
fn operation_key(path: &str, method: &str, op: &OaOperation) -> String {
    match &op.operation_id {
        Some(id) if !id.trim().is_empty() => id.clone(),
        _ => format!("{method} {path}"),
    }
}

#[allow(clippy::too_many_arguments)]
fn lower_operation<'d>(
    cx: &mut Lowering<'d>,
    path: &'d str,
    method: &str,
    item: &'d PathItem,
    op: &'d OaOperation,
    operation_id: String,
    name: String,
    builder: String,
) -> Result<Operation> {
    let op_at = join(&join("/paths", path), method);
    let path_at = join("/paths", path);
    let method = match method {
        "get" => Method::Get,
        "put" => Method::Put,
        "post" => Method::Post,
        "delete" => Method::Delete,
        "options" => Method::Options,
        "head" => Method::Head,
        "patch" => Method::Patch,
        _ => Method::Trace,
    };

    // Path-level parameters, overridden by operation-level ones with the same name and place.
    let mut merged: Vec<(&'d Parameter, String)> = Vec::new();
    for (list, at) in [(&item.parameters, &path_at), (&op.parameters, &op_at)] {
        for (index, p) in list.iter().enumerate() {
            let p_at = join(&join(at, "parameters"), &index.to_string());
            let (param, resolved_at) =
                cx.resolve(p, &p_at, "parameters", &cx.components.parameters)?;
            let name = &param.parameter_data_ref().name;
            merged.retain(|(q, _)| {
                !(&q.parameter_data_ref().name == name && wire_location(q) == wire_location(param))
            });
            merged.push((param, resolved_at));
        }
    }

    let mut scope = Scope::with_taken(reserved::BUILDER.iter().copied());
    let pascal = names::camel(&operation_id);
    let mut body = None;
    if let Some(rb) = &op.request_body {
        let lowered = lower_body(cx, rb, &join(&op_at, "requestBody"), &pascal, &mut scope);
        // The call can still be made without the body: only the body goes.
        body = cx
            .diagnostics
            .recover(lowered, "the request body was left out")?;
    }

    let mut params = Vec::new();
    for (param, at) in &merged {
        let data = param.parameter_data_ref();
        let lowered = lower_param(cx, param, at, &mut scope);
        if data.required || matches!(param, Parameter::Path { .. }) {
            // Without a required parameter the call cannot be made: the operation goes.
            if let Some(p) = lowered? {
                params.push(p);
            }
            continue;
        }
        let left_out = format!("the optional parameter `{}` was left out", data.name);
        if let Some(Some(p)) = cx.diagnostics.recover(lowered, &left_out)? {
            params.push(p);
        }
    }
    // Path parameters in template order, then query, then header.
    let parts = parse_template(path).map_err(|problem| {
        cx.error(
            &path_at,
            format!("path template {path:?} is malformed: {problem}"),
            Some("write each path parameter as `{name}`, with a non-empty name and no braces inside it"),
        )
    })?;
    // Each name's first place in the template, and the declared path parameters: maps, so
    // that the checks stay linear in the template's length.
    let mut template: BTreeMap<&str, usize> = BTreeMap::new();
    for part in &parts {
        if let TemplatePart::Param(name) = part {
            let next = template.len();
            template.entry(name).or_insert(next);
        }
    }
    let declared: BTreeSet<&str> = params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .map(|p| p.wire_name.as_str())
        .collect();
    for part in &parts {
        let TemplatePart::Param(t) = part else {
            continue;
        };
        if !declared.contains(t) {
            return Err(cx.error(
                &op_at,
                format!(
                    "path template {path:?} uses {{{t}}} but no path parameter `{t}` is declared"
                ),
                Some("declare the parameter at path or operation level"),
            ));
        }
    }
    for p in &params {
        if p.location == ParamLocation::Path && !template.contains_key(p.wire_name.as_str()) {
            return Err(cx.error(
                &op_at,
                format!(
                    "path parameter `{}` does not appear in the path template {path:?}",
                    p.wire_name
                ),
                None,
            ));
        }
    }
    params.sort_by_key(|p| match p.location {
        ParamLocation::Path => (0, template.get(p.wire_name.as_str()).copied().unwrap_or(0)),
        ParamLocation::Query => (1, 0),
        ParamLocation::Header => (2, 0),
    });
    let index: BTreeMap<&str, usize> = params
        .iter()
        .enumerate()
        .filter(|(_, p)| p.location == ParamLocation::Path)
        .map(|(i, p)| (p.wire_name.as_str(), i))
        .collect();
    let mut path_parts = Vec::with_capacity(parts.len());
    for part in &parts {
        path_parts.push(match part {
            TemplatePart::Literal(text) => PathPart::Literal((*text).to_owned()),
            // Every name was checked above to have its parameter.
            TemplatePart::Param(name) => match index.get(name) {
                Some(i) => PathPart::Param(*i),
                None => {
                    return Err(cx.error(
                        &op_at,
                        format!("path template {path:?} uses {{{name}}} but no path parameter `{name}` is declared"),
                        Some("declare the parameter at path or operation level"),
                    ))
                }
            },
        });
    }

    let Lowered {
        success,
        accept,
        alternatives,
        error,
        responses,
    } = lower_responses(cx, op, &op_at, &pascal, &builder, &mut scope)?;
    let declared = op.security.as_ref().or(cx.doc.api.security.as_ref());
    let anonymous = declared.is_some_and(|reqs| reqs.iter().all(|req| req.is_empty()));
    let security = declared
        .map(|reqs| {
            reqs.iter()
                .flat_map(|req| {
                    req.iter().map(|(scheme, scopes)| SecurityDoc {
                        scheme: scheme.clone(),
                        scopes: scopes.clone(),
                    })
                })
                .collect()
        })
        .unwrap_or_default();

    let pagination = pagination(&params, &success);
    Ok(Operation {
        pagination,
        name,
        builder,
        operation_id,
        method,
        path: path.to_owned(),
        path_parts,
        summary: op.summary.clone().filter(|s| !s.trim().is_empty()),
        description: op.description.clone().filter(|s| !s.trim().is_empty()),
        params,
        body,
        success,
        accept,
        alternatives,
        error,
        responses,
        security,
        anonymous,
        deprecated: op.deprecated,
        tags: op.tags.clone(),
    })
}

/// Okta's paging convention: an array response and an optional `after` query parameter that
/// takes a string. The next page's cursor is the text of the `after` in the `Link: rel="next"`
/// header, opaque: an `after` of another type (an integer, an enum) could not take it back
/// without a parse that fails in the middle of a walk, so such a list is not paged.
fn pagination(params: &[Param], success: &Success) -> Option<Pagination> {
    let Success::Json(TypeRef::Vec(item)) = success else {
        return None;
    };
    let cursor = params.iter().find(|p| {
        p.location == ParamLocation::Query
            && p.wire_name == "after"
            && !p.required
            && p.ty == TypeRef::String
    })?;
    Some(Pagination {
        cursor: cursor.name.clone(),
        cursor_wire: cursor.wire_name.clone(),
        item: (**item).clone(),
    })
}

/// Where a parameter goes, as the spec spells it.
fn wire_location(p: &Parameter) -> &'static str {
    match p {
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Path { .. } => "path",
        Parameter::Cookie { .. } => "cookie",
    }
}

/// A piece of a path template, borrowed from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TemplatePart<'a> {
    Literal(&'a str),
    Param(&'a str),
}

/// Parses a path template into literal text and `{name}`s, in order, in one pass. A `{` that
/// is not closed, a `{` inside `{…}`, an empty `{}` and a `}` without its `{` are errors,
/// described in words (with the byte offset) for the caller to place.
fn parse_template(path: &str) -> Result<Vec<TemplatePart<'_>>, String> {
    let mut parts = Vec::new();
    // Start of the current literal, or of the current parameter's name (after its `{`).
    let mut start = 0;
    let mut open: Option<usize> = None;
    for (i, c) in path.char_indices() {
        match (c, open) {
            ('{', None) => {
                if i > start {
                    parts.push(TemplatePart::Literal(&path[start..i]));
                }
                open = Some(i);
                start = i + 1;
            }
            ('{', Some(at)) => {
                return Err(format!(
                    "`{{` at byte {i} is inside the parameter opened at byte {at} (nested braces)"
                ))
            }
            ('}', None) => return Err(format!("`}}` at byte {i} has no `{{` before it")),
            ('}', Some(at)) => {
                if i == start {
                    return Err(format!("`{{}}` at byte {at} names no parameter"));
                }
                parts.push(TemplatePart::Param(&path[start..i]));
                open = None;
                start = i + 1;
            }
            _ => {}
        }
    }
    if let Some(at) = open {
        return Err(format!("`{{` at byte {at} is never closed"));
    }
    if start < path.len() {
        parts.push(TemplatePart::Literal(&path[start..]));
    }
    Ok(parts)
}

fn lower_param<'d>(
    cx: &mut Lowering<'d>,
    param: &'d Parameter,
    at: &str,
    scope: &mut Scope,
) -> Result<Option<Param>> {
    let data = param.parameter_data_ref();
    let (location, style, explode) = match param {
        Parameter::Path { .. } => (ParamLocation::Path, Style::Simple, false),
        Parameter::Query { style, .. } => {
            let style = match style {
                QueryStyle::Form => Style::Form,
                QueryStyle::SpaceDelimited => Style::SpaceDelimited,
                QueryStyle::PipeDelimited => Style::PipeDelimited,
                QueryStyle::DeepObject => Style::DeepObject,
            };
            // OpenAPI: `explode` defaults to true for `form`, false for the other styles.
            let explode = data.explode.unwrap_or(style == Style::Form);
            (ParamLocation::Query, style, explode)
        }
        Parameter::Header { .. } => (ParamLocation::Header, Style::Simple, false),
        Parameter::Cookie { .. } => {
            return Err(cx.error(
                at,
                format!("cookie parameter `{}` is not supported", data.name),
                Some("remove it with an overlay; okgen sends path, query and header parameters"),
            ))
        }
    };
    if location == ParamLocation::Header && is_managed_header(&data.name) {
        // The runtime sets these itself (auth, content negotiation).
        return Ok(None);
    }
    let schema = match &data.format {
        ParameterSchemaOrContent::Schema(s) => s,
        ParameterSchemaOrContent::Content(_) => {
            return Err(cx.error(
                &join(at, "content"),
                format!(
                    "parameter `{}` is described with `content`, which is not supported",
                    data.name
                ),
                Some("describe the parameter with `schema`"),
            ))
        }
    };
    let hint = names::camel(&data.name);
    let ty = cx.type_of(SchemaRef::from(schema), &join(at, "schema"), &hint)?;
    if location == ParamLocation::Path {
        if let TypeRef::Vec(_) = ty {
            return Err(cx.error(
                &join(at, "schema"),
                format!(
                    "array path parameter `{}` ({ty:?}) is not supported",
                    data.name
                ),
                None,
            ));
        }
    }
    // In the query every shape has a rule (the style table); a path segment or header value
    // has none for maps and free-form JSON.
    if location != ParamLocation::Query {
        if let TypeRef::Map(_) | TypeRef::Value = ty {
            return Err(cx.error(
                &join(at, "schema"),
                format!("object-valued parameter `{}` is not supported", data.name),
                Some("okgen sends path and header parameters of primitive, enum and array-of-primitive types"),
            ));
        }
    }
    Ok(Some(Param {
        argument: Argument::for_type(&ty),
        name: scope.claim(&names::snake(&data.name)),
        wire_name: data.name.clone(),
        location,
        ty,
        required: data.required || location == ParamLocation::Path,
        doc: data.description.clone().filter(|d| !d.trim().is_empty()),
        style,
        explode,
        deprecated: data.deprecated.unwrap_or(false),
    }))
}

fn is_managed_header(name: &str) -> bool {
    ["authorization", "accept", "content-type"].contains(&name.to_ascii_lowercase().as_str())
}

/// Whether a media type is JSON (`application/json`, `…+json`, parameters ignored).
pub(crate) fn is_json_media(media_type: &str) -> bool {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

/// The media type okgen reads and writes: JSON (`application/json`, `…+json`).
fn json_media(content: &openapiv3::Content) -> Option<(&String, &openapiv3::MediaType)> {
    content.iter().find(|(mt, _)| is_json_media(mt))
}

/// A media type without parameters, lower case.
fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn lower_body<'d>(
    cx: &mut Lowering<'d>,
    rb: &'d ReferenceOr<RequestBody>,
    at: &str,
    pascal: &str,
    scope: &mut Scope,
) -> Result<Body> {
    let (rb, rb_at) = cx.resolve(rb, at, "requestBodies", &cx.components.request_bodies)?;
    // JSON when the body can be JSON; otherwise the first media type.
    let Some((mt, media)) = json_media(&rb.content).or_else(|| rb.content.iter().next()) else {
        return Err(cx.error(
            &join(&rb_at, "content"),
            "the request body declares no media type",
            Some("add a `content` entry such as application/json"),
        ));
    };
    let media_at = join(&join(&rb_at, "content"), mt);
    let schema_at = join(&media_at, "schema");
    let hint = format!("{pascal}Request");
    let (ty, encoding) = match (essence(mt).as_str(), &media.schema) {
        (_, schema) if is_json_media(mt) => {
            let ty = match schema {
                Some(s) => cx.type_of(s.into(), &schema_at, &hint)?,
                None => TypeRef::Value,
            };
            (ty, BodyEncoding::Json)
        }
        ("application/x-www-form-urlencoded", Some(s)) => {
            let ty = cx.type_of(s.into(), &schema_at, &hint)?;
            match ty {
                // A form is the properties of an object.
                TypeRef::Named(_) | TypeRef::Map(_) | TypeRef::Value => {
                    let properties = form_encodings(cx, media, &media_at);
                    (ty, BodyEncoding::Form { properties })
                }
                _ => (TypeRef::Bytes, BodyEncoding::Raw),
            }
        }
        ("multipart/form-data", Some(s)) => {
            match lower_multipart(cx, s, media, &media_at, &format!("{pascal}Form"))? {
                Some(form) => (TypeRef::Named(form.id), BodyEncoding::Multipart(form)),
                None => (TypeRef::Bytes, BodyEncoding::Raw),
            }
        }
        // Any other media type (certificates, JWTs, a multipart body without a schema) is sent
        // as the caller's bytes.
        _ => (TypeRef::Bytes, BodyEncoding::Raw),
    };
    Ok(Body {
        name: scope.claim("body"),
        argument: Argument::for_type(&ty),
        ty,
        media_type: mt.clone(),
        encoding,
        required: rb.required,
        doc: rb.description.clone().filter(|d| !d.trim().is_empty()),
    })
}

/// The styles the `encoding` object of a form body gives its properties, in document order.
fn form_encodings(
    cx: &Lowering<'_>,
    media: &openapiv3::MediaType,
    media_at: &str,
) -> Vec<PropertyEncoding> {
    media
        .encoding
        .iter()
        .filter_map(|(name, encoding)| {
            let style = match encoding.style.as_ref()? {
                QueryStyle::Form => Style::Form,
                QueryStyle::SpaceDelimited => Style::SpaceDelimited,
                QueryStyle::PipeDelimited => Style::PipeDelimited,
                QueryStyle::DeepObject => Style::DeepObject,
            };
            // openapiv3 reads a missing `explode` as false; OpenAPI's default is true for
            // `form`, so look at the document itself.
            let explode_at = join(&join(&join(media_at, "encoding"), name), "explode");
            let explode = match cx.doc.raw.pointer(&explode_at) {
                Some(serde_json::Value::Bool(b)) => *b,
                _ => style == Style::Form,
            };
            Some(PropertyEncoding {
                name: name.clone(),
                style,
                explode,
            })
        })
        .collect()
}

/// The schema a property position names, following `$ref`s, and its pointer.
fn resolve_schema<'d>(
    cx: &Lowering<'d>,
    s: &'d ReferenceOr<Box<Schema>>,
    at: &str,
) -> Result<(&'d Schema, String)> {
    match s {
        ReferenceOr::Item(schema) => Ok((schema, at.to_owned())),
        ReferenceOr::Reference { reference } => {
            let name = cx.component_name(reference, at, "schemas")?;
            let here = join("/components/schemas", &name);
            match cx.components.schemas.get(&name) {
                Some(next) => cx.resolve(next, &here, "schemas", &cx.components.schemas),
                None => Err(cx.error(
                    &join(at, "$ref"),
                    format!("$ref points at nothing: there is no `components/schemas/{name}`"),
                    Some("fix the reference, or add the missing schema"),
                )),
            }
        }
    }
}

/// `type: string, format: binary`.
fn is_binary(schema: &Schema) -> bool {
    matches!(
        &schema.schema_kind,
        SchemaKind::Type(Type::String(s))
            if matches!(s.format, VariantOrUnknownOrEmpty::Item(StringFormat::Binary))
    )
}

/// A multipart form from an object schema with properties; `None` for any other schema (the
/// body is then sent as the caller's bytes).
fn lower_multipart<'d>(
    cx: &mut Lowering<'d>,
    schema: &'d ReferenceOr<Schema>,
    media: &'d openapiv3::MediaType,
    media_at: &str,
    hint: &str,
) -> Result<Option<MultipartForm>> {
    let schema_at = join(media_at, "schema");
    let (schema, schema_at) = cx.resolve(schema, &schema_at, "schemas", &cx.components.schemas)?;
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
        return Ok(None);
    };
    if object.properties.is_empty() {
        return Ok(None);
    }
    // The form asks for its name with the model types (it is a struct in `models`); its
    // value parts' inline types ask for names that start with the one it asks for.
    let name = names::camel(hint);
    let id = cx.new_name(media_at, &name, None);
    let mut fields = Scope::default();
    let mut parts = Vec::new();
    for (wire_name, property) in &object.properties {
        let at = join(&join(&schema_at, "properties"), wire_name);
        let (resolved, _) = resolve_schema(cx, property, &at)?;
        let files = match &resolved.schema_kind {
            SchemaKind::Type(Type::Array(array)) => match &array.items {
                Some(items) => is_binary(resolve_schema(cx, items, &join(&at, "items"))?.0),
                None => false,
            },
            _ => false,
        };
        let kind = if is_binary(resolved) {
            PartKind::File
        } else if files {
            PartKind::Files
        } else {
            let part_hint = format!("{name}{}", names::camel(wire_name));
            match cx.type_of(property.into(), &at, &part_hint)? {
                TypeRef::Vec(item) => PartKind::Values(*item),
                ty => PartKind::Value(ty),
            }
        };
        let encoding = media.encoding.get(wire_name);
        let deep_object = encoding.and_then(|e| e.style.as_ref()) == Some(&QueryStyle::DeepObject);
        let content_type = encoding
            .and_then(|e| e.content_type.as_deref())
            .map(str::trim)
            // A list or a wildcard names no one type to send.
            .filter(|ct| !ct.is_empty() && !ct.contains(['*', ',']))
            .unwrap_or("application/octet-stream")
            .to_owned();
        let argument = match kind {
            PartKind::Value(TypeRef::String) => Argument::Into,
            _ => Argument::AsIs,
        };
        parts.push(Part {
            name: fields.claim(&names::snake(wire_name)),
            wire_name: wire_name.clone(),
            argument,
            kind,
            required: object.required.contains(wire_name) && !resolved.schema_data.nullable,
            content_type,
            deep_object,
            doc: resolved
                .schema_data
                .description
                .clone()
                .filter(|d| !d.trim().is_empty()),
        });
    }
    Ok(Some(MultipartForm {
        id,
        name: String::new(),
        doc: schema
            .schema_data
            .description
            .clone()
            .filter(|d| !d.trim().is_empty()),
        parts,
    }))
}

fn status_sort_key(code: &StatusCode) -> (u16, u16) {
    match code {
        StatusCode::Code(c) => (*c, 0),
        StatusCode::Range(r) => (*r * 100, 1),
    }
}

fn is_success(code: &StatusCode) -> bool {
    match code {
        StatusCode::Code(c) => (200..300).contains(c),
        StatusCode::Range(r) => *r == 2,
    }
}

/// What a call returns and its alternatives: the default, its `Accept`, the other media
/// types; the error type; the documented responses.
struct Lowered {
    success: Success,
    accept: String,
    alternatives: Vec<Alternative>,
    error: TypeRef,
    responses: Vec<ResponseDoc>,
}

/// A short `snake_case` name for a media type, for the builder method that asks for it:
/// `application/vnd.github.v3.star+json` → `star_json`, `application/json` → `json`.
fn media_short_name(media_type: &str) -> String {
    let essence = essence(media_type);
    let (top, sub) = essence.split_once('/').unwrap_or(("", essence.as_str()));
    let (base, suffix) = match sub.split_once('+') {
        Some((base, suffix)) => (base, Some(suffix)),
        None => (sub, None),
    };
    let mut short = base.rsplit('.').next().unwrap_or(base).to_owned();
    if let Some(suffix) = suffix {
        short.push('_');
        short.push_str(suffix);
    }
    if short
        .trim_matches(|c: char| !c.is_ascii_alphanumeric())
        .is_empty()
    {
        short = if top.chars().any(|c| c.is_ascii_alphanumeric()) {
            top.to_owned()
        } else {
            "any".to_owned()
        };
    }
    names::snake(&short).trim_start_matches("r#").to_owned()
}

/// What a response with `media_type` returns.
fn media_success<'d>(
    cx: &mut Lowering<'d>,
    media_type: &str,
    media: &'d openapiv3::MediaType,
    at: &str,
    hint: &str,
) -> Result<Success> {
    if !is_json_media(media_type) {
        return Ok(Success::Bytes {
            media_type: media_type.to_owned(),
        });
    }
    Ok(Success::Json(match &media.schema {
        Some(s) => cx.type_of(s.into(), &join(at, "schema"), hint)?,
        None => TypeRef::Value,
    }))
}

fn lower_responses<'d>(
    cx: &mut Lowering<'d>,
    op: &'d OaOperation,
    op_at: &str,
    pascal: &str,
    builder: &str,
    scope: &mut Scope,
) -> Result<Lowered> {
    let responses_at = join(op_at, "responses");
    let mut codes: Vec<(&StatusCode, &ReferenceOr<Response>)> =
        op.responses.responses.iter().collect();
    codes.sort_by_key(|(c, _)| status_sort_key(c));
    let mut entries: Vec<(String, bool, &ReferenceOr<Response>)> = codes
        .into_iter()
        .map(|(c, r)| (c.to_string(), is_success(c), r))
        .collect();
    if let Some(default) = &op.responses.default {
        entries.push(("default".to_owned(), false, default));
    }

    let mut success: Option<(Success, String, Vec<Alternative>)> = None;
    let mut error_types: BTreeMap<TypeRef, usize> = BTreeMap::new();
    let mut docs = Vec::new();
    for (status, ok, response) in entries {
        let at = join(&responses_at, &status);
        let (response, resolved_at) =
            cx.resolve(response, &at, "responses", &cx.components.responses)?;
        let content_at = join(&resolved_at, "content");
        let ty = match json_media(&response.content) {
            Some((mt, media)) => match &media.schema {
                Some(s) => {
                    let hint = if ok {
                        format!("{pascal}Response")
                    } else {
                        format!("{pascal}Error")
                    };
                    let schema_at = join(&join(&content_at, mt), "schema");
                    Some(cx.type_of(s.into(), &schema_at, &hint)?)
                }
                None => Some(TypeRef::Value),
            },
            None => None,
        };
        if ok && success.is_none() {
            // The default: the first JSON media type, else the first one.
            let chosen = json_media(&response.content)
                .or_else(|| response.content.iter().next())
                .map(|(mt, _)| mt.clone());
            let default = match (&ty, &chosen) {
                (Some(t), _) => Success::Json(t.clone()),
                (None, Some(media_type)) => Success::Bytes {
                    media_type: media_type.clone(),
                },
                (None, None) => Success::Empty,
            };
            let mut alternatives = Vec::new();
            for (mt, media) in &response.content {
                if Some(mt) == chosen.as_ref() {
                    continue;
                }
                let short = media_short_name(mt);
                let camel = names::camel(&short);
                let hint = format!("{pascal}{camel}Response");
                let lowered = media_success(cx, mt, media, &join(&content_at, mt), &hint);
                let left_out = format!("the response media type `{mt}` was left out");
                if let Some(alt) = cx.diagnostics.recover(lowered, &left_out)? {
                    alternatives.push(Alternative {
                        media_type: mt.clone(),
                        method: scope.claim(&format!("accept_{short}")),
                        // Made unique among all builders once every operation is lowered.
                        builder: format!("{builder}{camel}"),
                        success: alt,
                    });
                }
            }
            let accept = chosen.unwrap_or_else(|| "application/json".to_owned());
            success = Some((default, accept, alternatives));
        } else if !ok {
            if let Some(t) = &ty {
                *error_types.entry(t.clone()).or_default() += 1;
            }
        }
        docs.push(ResponseDoc {
            status,
            description: response.description.trim().to_owned(),
            ty,
        });
    }
    let (success, accept, alternatives) =
        success.unwrap_or_else(|| (Success::Empty, "application/json".to_owned(), Vec::new()));
    let error = match error_types.len() {
        1 => error_types.into_keys().next().unwrap_or(TypeRef::Value),
        _ => TypeRef::Value,
    };
    Ok(Lowered {
        success,
        accept,
        alternatives,
        error,
        responses: docs,
    })
}

#[cfg(test)]
mod tests {
    use super::media_short_name;

    #[test]
    fn media_types_get_short_method_names() {
        for (media_type, short) in [
            ("application/json", "json"),
            ("application/vnd.github.v3.star+json", "star_json"),
            ("application/vnd.github.v3.object", "object"),
            ("application/json+sarif", "json_sarif"),
            ("text/csv; charset=utf-8", "csv"),
            ("application/*", "application"),
            ("*/*", "any"),
            ("", "any"),
        ] {
            assert_eq!(media_short_name(media_type), short, "{media_type:?}");
        }
    }
}
