//! The examples a document gives for the selected operations: request bodies and responses,
//! with `$ref`s resolved. Used to check that generated types decode what the spec promises.

use openapiv3::{Components, ReferenceOr};

use crate::config::Selection;
use crate::error::Result;
use crate::load::Document;
use crate::pointer::join;
use crate::refs::follow;

/// What an example is of.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExampleKind {
    /// A request body.
    Request,
    /// A response with this status (`200`, `4XX`, `default`).
    Response(String),
}

/// One example value.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub operation_id: String,
    pub kind: ExampleKind,
    /// The key in `examples` (or `example` for the single-example form).
    pub name: String,
    /// The media type it is given for.
    pub media_type: String,
    /// Where the example's media type sits in the document.
    pub pointer: String,
    pub value: serde_json::Value,
}

/// Every example of the selected operations, in document order.
pub fn collect(doc: &Document, selection: &Selection) -> Result<Vec<Example>> {
    let empty = Components::default();
    let components = doc.api.components.as_ref().unwrap_or(&empty);
    let mut out = Vec::new();
    for (path, item) in doc.api.paths.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, op) in item.iter() {
            if !selection.matches(path, op) {
                continue;
            }
            let operation_id = op
                .operation_id
                .clone()
                .unwrap_or_else(|| format!("{method} {path}"));
            let op_at = join(&join("/paths", path), method);
            if let Some(body) = &op.request_body {
                let (body, at) = follow(
                    doc,
                    body,
                    &join(&op_at, "requestBody"),
                    "requestBodies",
                    &components.request_bodies,
                )?;
                media_examples(
                    doc,
                    components,
                    &body.content,
                    &at,
                    &operation_id,
                    ExampleKind::Request,
                    &mut out,
                )?;
            }
            let mut responses: Vec<(String, &ReferenceOr<openapiv3::Response>)> = op
                .responses
                .responses
                .iter()
                .map(|(c, r)| (c.to_string(), r))
                .collect();
            if let Some(d) = &op.responses.default {
                responses.push(("default".into(), d));
            }
            for (status, response) in responses {
                let at = join(&join(&op_at, "responses"), &status);
                let (response, at) =
                    follow(doc, response, &at, "responses", &components.responses)?;
                media_examples(
                    doc,
                    components,
                    &response.content,
                    &at,
                    &operation_id,
                    ExampleKind::Response(status),
                    &mut out,
                )?;
            }
        }
    }
    Ok(out)
}

fn media_examples(
    doc: &Document,
    components: &Components,
    content: &openapiv3::Content,
    at: &str,
    operation_id: &str,
    kind: ExampleKind,
    out: &mut Vec<Example>,
) -> Result<()> {
    for (media_type, media) in content {
        let media_at = join(&join(at, "content"), media_type);
        let mut push = |name: String, value: serde_json::Value| {
            out.push(Example {
                operation_id: operation_id.to_owned(),
                kind: kind.clone(),
                name,
                media_type: media_type.clone(),
                pointer: media_at.clone(),
                value,
            })
        };
        if let Some(value) = &media.example {
            push("example".into(), value.clone());
        }
        for (name, example) in &media.examples {
            let ex_at = join(&join(&media_at, "examples"), name);
            let (example, _) = follow(doc, example, &ex_at, "examples", &components.examples)?;
            if let Some(value) = &example.value {
                push(name.clone(), value.clone());
            }
        }
    }
    Ok(())
}
