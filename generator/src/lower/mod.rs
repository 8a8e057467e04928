//! Stage 3: lower the selected operations of a document, and exactly the schemas they reach,
//! into the [`ir`](crate::ir). All naming and typing decisions are made here.

mod graph;
mod operation;
mod schema;

pub(crate) use operation::is_json_media;

use std::collections::{BTreeMap, HashMap};

use openapiv3::{Components, ReferenceOr};

use crate::config::Selection;
use crate::error::{Diagnostics, Error, Result};
use crate::ir::{Api, TypeDef};
use crate::load::Document;
use crate::names::{self, Scope};
use crate::refs;

/// Lowers the selected part of `doc`.
pub fn lower(doc: &Document, selection: &Selection) -> Result<Api> {
    let empty = Components::default();
    let components = doc.api.components.as_ref().unwrap_or(&empty);
    let mut cx = Lowering::new(doc, components);
    let operations = operation::lower_operations(&mut cx, selection)?;
    graph::place_indirections(&mut cx.types, doc, &mut cx.diagnostics)?;
    Ok(Api {
        title: doc.api.info.title.clone(),
        version: doc.api.info.version.clone(),
        types: cx.types,
        operations,
        warnings: cx.diagnostics.warnings,
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
    /// How deeply type lowering is nested right now, in rustc's steps (bounded: see
    /// `MAX_STEPS`).
    depth: usize,
    /// The merged `allOf` parts of each referenced member, by pointer, so a member merged
    /// again is not collected again.
    parts_cache: std::cell::RefCell<HashMap<String, std::rc::Rc<schema::ObjectParts<'d>>>>,
    /// Warnings so far (those of loading first), and whether a warning is an error.
    pub(crate) diagnostics: Diagnostics,
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
            depth: 0,
            parts_cache: Default::default(),
            diagnostics: Diagnostics {
                mode: doc.mode,
                warnings: doc.warnings.clone(),
            },
        }
    }

    /// An error at a JSON pointer of the document.
    pub(crate) fn error(&self, at: &str, message: impl Into<String>, hint: Option<&str>) -> Error {
        refs::spec_error(self.doc, at, message, hint)
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
        refs::follow(self.doc, item, at, kind, map)
    }

    /// The component name a local `$ref` names, checking it points into `components/<kind>`.
    pub(crate) fn component_name(&self, reference: &str, at: &str, kind: &str) -> Result<String> {
        refs::component_name(self.doc, reference, at, kind)
    }
}
