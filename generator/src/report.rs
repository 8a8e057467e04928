//! A readable summary of a generated client: what a person reviews after a spec change.

use std::fmt::Write;

use crate::ir::{
    Additional, Api, AuthKind, BodyEncoding, ParamLocation, PartKind, Style, Success, TypeKind,
    TypeRef, Types,
};

/// Short Rust-like spelling of a type.
pub fn type_name(types: &Types, ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::I32 => "i32".into(),
        TypeRef::I64 => "i64".into(),
        TypeRef::F32 => "f32".into(),
        TypeRef::F64 => "f64".into(),
        TypeRef::DateTime => "DateTime".into(),
        TypeRef::Date => "Date".into(),
        TypeRef::Secret => "Secret".into(),
        TypeRef::Bytes => "Bytes".into(),
        TypeRef::Value => "Value".into(),
        TypeRef::Named(id) => types.name(*id).to_owned(),
        TypeRef::Vec(t) => format!("Vec<{}>", type_name(types, t)),
        TypeRef::Map(t) => format!("Map<{}>", type_name(types, t)),
        TypeRef::Boxed(t) => format!("Box<{}>", type_name(types, t)),
        TypeRef::Option(t) => format!("Option<{}>", type_name(types, t)),
    }
}

/// One line per operation and per type member, sorted, stable.
pub fn summary(api: &Api) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {}: {} operations, {} types",
        api.title,
        api.version,
        api.operations.len(),
        api.types.len()
    );
    for op in &api.operations {
        let args: Vec<String> = op
            .params
            .iter()
            .map(|p| {
                let place = match p.location {
                    ParamLocation::Path => "path",
                    ParamLocation::Query => "query",
                    ParamLocation::Header => "header",
                };
                let opt = if p.required { "" } else { "?" };
                // The style, when it is not the default (`form`, exploded, in the query).
                let style = match (p.style, p.explode) {
                    (Style::Simple, _) | (Style::Form, true) => "",
                    (Style::Form, false) => ", form not exploded",
                    (Style::SpaceDelimited, false) => ", spaceDelimited",
                    (Style::SpaceDelimited, true) => ", spaceDelimited exploded",
                    (Style::PipeDelimited, false) => ", pipeDelimited",
                    (Style::PipeDelimited, true) => ", pipeDelimited exploded",
                    (Style::DeepObject, _) => ", deepObject",
                };
                format!(
                    "{}{opt}: {} [{place} {}{style}]",
                    p.name,
                    type_name(&api.types, &p.ty),
                    p.wire_name
                )
            })
            .chain(op.body.iter().map(|b| {
                let opt = if b.required { "" } else { "?" };
                let place = match &b.encoding {
                    BodyEncoding::Form { .. } => "body form",
                    BodyEncoding::Multipart(_) => "body multipart",
                    BodyEncoding::Json | BodyEncoding::Raw => "body",
                };
                format!(
                    "{}{opt}: {} [{place}]",
                    b.name,
                    type_name(&api.types, &b.ty)
                )
            }))
            .collect();
        let success_name = |success: &Success| match success {
            Success::Json(t) => type_name(&api.types, t),
            Success::Empty => "()".into(),
            Success::Bytes { media_type } => format!("Bytes({media_type})"),
        };
        let mut success = success_name(&op.success);
        for alt in &op.alternatives {
            success.push_str(&format!(
                " | .{}() {}: {}",
                alt.method,
                alt.media_type,
                success_name(&alt.success)
            ));
        }
        let _ = writeln!(
            out,
            "op {}({}) -> {} / error {}  [{} {}]",
            op.name,
            args.join(", "),
            success,
            type_name(&api.types, &op.error),
            op.method.as_str(),
            op.path
        );
    }
    let forms = api.operations.iter().filter_map(|op| match &op.body {
        Some(body) => match &body.encoding {
            BodyEncoding::Multipart(form) => Some(form),
            _ => None,
        },
        None => None,
    });
    for form in forms {
        let _ = writeln!(out, "form {}", form.name);
        for part in &form.parts {
            let ty = match &part.kind {
                PartKind::File => "File".to_owned(),
                PartKind::Files => "Vec<File>".to_owned(),
                PartKind::Value(t) => type_name(&api.types, t),
                PartKind::Values(t) => format!("Vec<{}>", type_name(&api.types, t)),
            };
            let opt = if part.required { "" } else { "?" };
            let _ = writeln!(out, "  {}{opt}: {ty} [part {}]", part.name, part.wire_name);
        }
    }
    for def in api.types.iter() {
        match &def.kind {
            TypeKind::Alias(t) => {
                let _ = writeln!(out, "type {} = {}", def.name, type_name(&api.types, t));
            }
            TypeKind::Newtype(t) => {
                let _ = writeln!(out, "struct {}({})", def.name, type_name(&api.types, t));
            }
            TypeKind::IntEnum(e) => {
                let values: Vec<String> = e.variants.iter().map(|v| v.value.to_string()).collect();
                let _ = writeln!(
                    out,
                    "enum {} [{}] + {}(i64)",
                    def.name,
                    values.join(", "),
                    e.fallback
                );
            }
            TypeKind::TaggedUnion(u) => {
                let _ = writeln!(out, "union {} by {:?}", def.name, u.tag);
                for v in &u.variants {
                    let _ = writeln!(
                        out,
                        "  {}({}) when {:?}",
                        v.name,
                        type_name(&api.types, &v.ty),
                        v.tag_values
                    );
                }
                let _ = writeln!(out, "  {}(Value) otherwise", u.fallback);
            }
            TypeKind::UntaggedUnion(u) => {
                let _ = writeln!(out, "union {} (untagged)", def.name);
                for v in &u.variants {
                    let _ = writeln!(out, "  {}({})", v.name, type_name(&api.types, &v.ty));
                }
                let _ = writeln!(out, "  {}(Value) otherwise", u.fallback);
            }
            TypeKind::StringEnum(e) => {
                let values: Vec<&str> = e.variants.iter().map(|v| v.value.as_str()).collect();
                let _ = writeln!(
                    out,
                    "enum {} [{}] + {}(String)",
                    def.name,
                    values.join(", "),
                    e.fallback
                );
            }
            TypeKind::Struct(s) => {
                let _ = writeln!(out, "struct {}", def.name);
                for f in &s.fields {
                    let ty = if f.optional() {
                        format!("Option<{}>", type_name(&api.types, &f.ty))
                    } else {
                        type_name(&api.types, &f.ty)
                    };
                    let _ = writeln!(out, "  {}: {} as {:?}", f.name, ty, f.json_name);
                }
                match &s.additional {
                    Additional::Keep { field } => {
                        let _ = writeln!(out, "  {field}: Map<Value> (unnamed properties)");
                    }
                    Additional::Typed { field, ty } => {
                        let _ = writeln!(
                            out,
                            "  {field}: Map<{}> (unnamed properties)",
                            type_name(&api.types, ty)
                        );
                    }
                    Additional::Deny => {
                        let _ = writeln!(out, "  (no other properties allowed)");
                    }
                }
            }
        }
    }
    let _ = writeln!(out, "profile {}", api.profile);
    for auth in &api.auth {
        let (args, sends) = match &auth.kind {
            AuthKind::ApiKeyHeader(name) => ("key", format!("header {name}")),
            AuthKind::ApiKeyQuery(name) => ("key", format!("query {name}")),
            AuthKind::Bearer => ("token", "Authorization: Bearer".to_owned()),
            AuthKind::AccessToken => ("token", "Authorization: Bearer (access token)".to_owned()),
            AuthKind::Basic => ("username, password", "Authorization: Basic".to_owned()),
        };
        let _ = writeln!(
            out,
            "auth {}({args}) -> {sends} [{}]",
            auth.constructor,
            auth.schemes.join(", ")
        );
    }
    out
}
