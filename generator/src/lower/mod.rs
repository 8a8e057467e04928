//! Stage 3: lower the selected operations of a document, and exactly the schemas they reach,
//! into the [`ir`](crate::ir). All naming and typing decisions are made here.

mod operation;
mod schema;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use openapiv3::{Components, ReferenceOr};

use crate::config::Selection;
use crate::error::{Error, Result};
use crate::ir::{Api, TypeDef};
use crate::load::Document;
use crate::names::{self, Scope};
use crate::pointer;

/// Lowers the selected part of `doc`.
pub fn lower(doc: &Document, selection: &Selection) -> Result<Api> {
    let empty = Components::default();
    let components = doc.api.components.as_ref().unwrap_or(&empty);
    let mut cx = Lowering::new(doc, components);
    let operations = operation::lower_operations(&mut cx, selection)?;
    Ok(Api {
        title: doc.api.info.title.clone(),
        version: doc.api.info.version.clone(),
        types: cx.types,
        operations,
    })
}

/// State of one lowering run.
pub(crate) struct Lowering<'d> {
    pub(crate) doc: &'d Document,
    pub(crate) components: &'d Components,
    /// Finished (and in-progress placeholder-free) model types by Rust name.
    pub(crate) types: BTreeMap<String, TypeDef>,
    /// Rust name of the type made from the schema at a JSON pointer.
    by_origin: HashMap<String, String>,
    /// Rust names reserved for component schemas, by component name.
    component_names: BTreeMap<String, String>,
    /// Every type name handed out.
    type_names: Scope,
    /// Types being lowered right now (a reference to one of them is a cycle and gets boxed).
    in_progress: BTreeSet<String>,
}

impl<'d> Lowering<'d> {
    fn new(doc: &'d Document, components: &'d Components) -> Self {
        // Component schemas get first claim on their own names, in sorted order, so that a
        // name never depends on which operation happened to reach the schema first.
        let mut type_names = Scope::default();
        let mut sorted: Vec<&String> = components.schemas.keys().collect();
        sorted.sort();
        let component_names = sorted
            .into_iter()
            .map(|name| (name.clone(), type_names.claim(&names::camel(name))))
            .collect();
        Lowering {
            doc,
            components,
            types: BTreeMap::new(),
            by_origin: HashMap::new(),
            component_names,
            type_names,
            in_progress: BTreeSet::new(),
        }
    }

    /// An error at a JSON pointer of the document.
    pub(crate) fn error(&self, at: &str, message: impl Into<String>, hint: Option<&str>) -> Error {
        Error::Spec {
            location: Box::new(self.doc.at(at)),
            message: message.into(),
            hint: hint.map(str::to_owned),
        }
    }

    /// Follows `$ref`s (including chains of them) to an item of `components/<kind>`.
    /// Returns the item and its JSON pointer.
    pub(crate) fn resolve<'a, T>(
        &self,
        item: &'a ReferenceOr<T>,
        at: &str,
        kind: &str,
        map: &'a indexmap::IndexMap<String, ReferenceOr<T>>,
    ) -> Result<(&'a T, String)> {
        let mut current = item;
        let mut here = at.to_owned();
        for _ in 0..64 {
            match current {
                ReferenceOr::Item(t) => return Ok((t, here)),
                ReferenceOr::Reference { reference } => {
                    let name = self.component_name(reference, &here, kind)?;
                    match map.get(&name) {
                        Some(next) => {
                            current = next;
                            here = pointer::join(&format!("/components/{kind}"), &name);
                        }
                        None => {
                            return Err(self.error(
                                &pointer::join(&here, "$ref"),
                                format!("$ref {reference:?} points at nothing: there is no `components/{kind}/{name}`"),
                                Some("fix the reference, or add the missing component"),
                            ))
                        }
                    }
                }
            }
        }
        Err(self.error(
            at,
            "$ref chain is longer than 64 links (a cycle of references?)",
            None,
        ))
    }

    /// The component name a local `$ref` names, checking it points into `components/<kind>`.
    pub(crate) fn component_name(&self, reference: &str, at: &str, kind: &str) -> Result<String> {
        let ref_at = pointer::join(at, "$ref");
        let Some(local) = reference.strip_prefix('#') else {
            return Err(self.error(
                &ref_at,
                format!("external $ref {reference:?} is not supported"),
                Some("bundle the referenced file into one document first (e.g. `redocly bundle`)"),
            ));
        };
        let prefix = format!("/components/{kind}/");
        match local.strip_prefix(&prefix) {
            Some(name) if !name.is_empty() && !name.contains('/') => Ok(pointer::unescape(name)),
            _ => Err(self.error(
                &ref_at,
                format!("$ref {reference:?} must point at an entry of `components/{kind}` here"),
                None,
            )),
        }
    }
}
