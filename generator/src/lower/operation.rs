//! Operations: selection, parameters, bodies, responses and security.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{
    Operation as OaOperation, Parameter, ParameterSchemaOrContent, PathItem, QueryStyle,
    ReferenceOr, RequestBody, Response, StatusCode,
};

use super::schema::SchemaRef;
use super::Lowering;
use crate::config::Selection;
use crate::error::Result;
use crate::ir::{
    Body, Method, Operation, Pagination, Param, ParamLocation, PathPart, ResponseDoc, SecurityDoc,
    Success, TypeRef,
};
use crate::names::{self, Scope};
use crate::pointer::join;

/// Methods of the runtime's `Client`; generated operation methods must not take these names.
pub(crate) const RESERVED_CLIENT_METHODS: &[&str] = &[
    "new",
    "builder",
    "with_http_client",
    "base_url",
    "http_client",
    "with_options",
    "options",
    "with_sleeper",
    "user_agent",
    "http_client_builder",
];

/// Names used inside every request builder besides the parameters.
const RESERVED_BUILDER_NAMES: &[&str] = &["client", "send", "into_future", "content_type"];

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
    let mut method_names = Scope::with_taken(RESERVED_CLIENT_METHODS.iter().copied());
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

    let mut scope = Scope::with_taken(RESERVED_BUILDER_NAMES.iter().copied());
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

    let (success, error, responses) = lower_responses(cx, op, &op_at, &pascal)?;
    let security = op
        .security
        .as_ref()
        .or(cx.doc.api.security.as_ref())
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
        error,
        responses,
        security,
        deprecated: op.deprecated,
    })
}

/// Okta's paging convention: an array response and an optional `after` query parameter.
fn pagination(params: &[Param], success: &Success) -> Option<Pagination> {
    let Success::Json(TypeRef::Vec(item)) = success else {
        return None;
    };
    let cursor = params
        .iter()
        .find(|p| p.location == ParamLocation::Query && p.wire_name == "after" && !p.required)?;
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
    let (location, explode) = match param {
        Parameter::Path { .. } => (ParamLocation::Path, false),
        Parameter::Query { style, .. } => {
            if !matches!(style, QueryStyle::Form) {
                return Err(cx.error(
                    &join(at, "style"),
                    format!("query parameter style {style:?} is not supported"),
                    Some("okgen encodes query parameters in the default `form` style"),
                ));
            }
            (ParamLocation::Query, data.explode.unwrap_or(true))
        }
        Parameter::Header { .. } => (ParamLocation::Header, false),
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
    let ty = match (&location, ty) {
        (ParamLocation::Query, ty) => ty,
        (_, ty @ TypeRef::Vec(_)) if location == ParamLocation::Path => {
            return Err(cx.error(
                &join(at, "schema"),
                format!(
                    "array path parameter `{}` ({ty:?}) is not supported",
                    data.name
                ),
                None,
            ))
        }
        (_, ty) => ty,
    };
    if let TypeRef::Map(_) | TypeRef::Value = ty {
        return Err(cx.error(
            &join(at, "schema"),
            format!("object-valued parameter `{}` is not supported", data.name),
            Some("okgen sends parameters of primitive, enum and array-of-primitive types"),
        ));
    }
    Ok(Some(Param {
        name: scope.claim(&names::snake(&data.name)),
        wire_name: data.name.clone(),
        location,
        ty,
        required: data.required || location == ParamLocation::Path,
        doc: data.description.clone().filter(|d| !d.trim().is_empty()),
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

fn lower_body<'d>(
    cx: &mut Lowering<'d>,
    rb: &'d ReferenceOr<RequestBody>,
    at: &str,
    pascal: &str,
    scope: &mut Scope,
) -> Result<Body> {
    let (rb, rb_at) = cx.resolve(rb, at, "requestBodies", &cx.components.request_bodies)?;
    let (media_type, ty) = match json_media(&rb.content) {
        Some((mt, media)) => {
            let media_at = join(&join(&rb_at, "content"), mt);
            let ty = match &media.schema {
                Some(s) => cx.type_of(
                    s.into(),
                    &join(&media_at, "schema"),
                    &format!("{pascal}Request"),
                )?,
                None => TypeRef::Value,
            };
            (mt.clone(), ty)
        }
        // Any other media type (multipart, certificates, JWTs) is sent as the caller's bytes.
        None => match rb.content.keys().next() {
            Some(mt) => (mt.clone(), TypeRef::Bytes),
            None => {
                return Err(cx.error(
                    &join(&rb_at, "content"),
                    "the request body declares no media type",
                    Some("add a `content` entry such as application/json"),
                ))
            }
        },
    };
    Ok(Body {
        name: scope.claim("body"),
        ty,
        media_type,
        required: rb.required,
        doc: rb.description.clone().filter(|d| !d.trim().is_empty()),
    })
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

type Lowered = (Success, TypeRef, Vec<ResponseDoc>);

fn lower_responses<'d>(
    cx: &mut Lowering<'d>,
    op: &'d OaOperation,
    op_at: &str,
    pascal: &str,
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

    let mut success: Option<Success> = None;
    let mut error_types: BTreeMap<TypeRef, usize> = BTreeMap::new();
    let mut docs = Vec::new();
    for (status, ok, response) in entries {
        let at = join(&responses_at, &status);
        let (response, resolved_at) =
            cx.resolve(response, &at, "responses", &cx.components.responses)?;
        let raw_media = match json_media(&response.content) {
            Some(_) => None,
            None => response.content.keys().next().cloned(),
        };
        let ty = match json_media(&response.content) {
            Some((mt, media)) => match &media.schema {
                Some(s) => {
                    let hint = if ok {
                        format!("{pascal}Response")
                    } else {
                        format!("{pascal}Error")
                    };
                    let schema_at = join(&join(&join(&resolved_at, "content"), mt), "schema");
                    Some(cx.type_of(s.into(), &schema_at, &hint)?)
                }
                None => Some(TypeRef::Value),
            },
            None => None,
        };
        if ok {
            if success.is_none() {
                success = Some(match (&ty, raw_media) {
                    (Some(t), _) => Success::Json(t.clone()),
                    (None, Some(media_type)) => Success::Bytes { media_type },
                    (None, None) => Success::Empty,
                });
            }
        } else if let Some(t) = &ty {
            *error_types.entry(t.clone()).or_default() += 1;
        }
        docs.push(ResponseDoc {
            status,
            description: response.description.trim().to_owned(),
            ty,
        });
    }
    let success = success.unwrap_or(Success::Empty);
    let error = match error_types.len() {
        1 => error_types.into_keys().next().unwrap_or(TypeRef::Value),
        _ => TypeRef::Value,
    };
    Ok((success, error, docs))
}
