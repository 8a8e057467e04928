//! Stage 3: lower the selected operations of a document, and exactly the schemas they reach,
//! into the [`ir`](crate::ir). All typing and naming decisions are made here, in three steps:
//! lowering proper (types keyed by [`TypeId`], each asking for a name), the type graph pass
//! over ids ([`graph`]: boxes and newtypes where cycles need them), then naming ([`naming`]).

pub(crate) mod features;
mod graph;
mod naming;
mod operation;
pub(crate) mod profile;
mod responses;
mod schema;

#[cfg(feature = "check")]
pub(crate) use operation::is_json_media;

use std::collections::{BTreeMap, HashMap};

use openapiv3::{Components, ReferenceOr};

use crate::config::{Responses, Selection};
use crate::error::{Diagnostics, Error, Result};
use crate::ir::{Api, Profile, TypeDef, TypeId};
use crate::load::Document;
use crate::refs;

/// Lowers the selected part of `doc`, in the profile the document calls for.
pub fn lower(doc: &Document, selection: &Selection) -> Result<Api> {
    lower_with(doc, selection, None, Responses::Strict)
}

/// Lowers the selected part of `doc` in `profile` (`None`: the one the document calls for, see
/// [`profile::detect`]), with strict or lenient responses (see [`responses`]).
pub fn lower_with(
    doc: &Document,
    selection: &Selection,
    profile: Option<Profile>,
    responses: Responses,
) -> Result<Api> {
    let empty = Components::default();
    let components = doc.api.components.as_ref().unwrap_or(&empty);
    let mut cx = Lowering::new(doc, components);
    let mut operations = operation::lower_operations(&mut cx, selection)?;
    graph::place_indirections(&mut cx.types, doc, &mut cx.diagnostics)?;
    if responses == Responses::Lenient {
        responses::relax(&mut cx.types, &operations);
    }
    let profile = profile.unwrap_or_else(|| profile::detect(&doc.api).0);
    let auth = profile::auth_schemes(&mut cx, profile)?;
    let mut types = naming::name_types(
        &cx.requests,
        doc.schema_names.iter(),
        cx.types,
        &mut operations,
    );
    types.set_prelude_types(operations.iter().flat_map(|op| {
        std::iter::once(op.builder.as_str())
            .chain(op.alternatives.iter().map(|a| a.builder.as_str()))
    }));
    let error = common_error(&operations);
    Ok(Api {
        title: doc.api.info.title.clone(),
        version: doc.api.info.version.clone(),
        types,
        operations,
        error,
        warnings: cx.diagnostics.warnings,
        profile,
        auth,
        tag_features: None,
    })
}

/// The error body type the client's call error defaults to: the one every operation declares,
/// else any JSON (`Value`), so that `Error` alone is right for every call of the client.
fn common_error(operations: &[crate::ir::Operation]) -> crate::ir::TypeRef {
    let mut errors = operations.iter().map(|op| &op.error);
    match errors.next() {
        Some(first) if errors.all(|e| e == first) => first.clone(),
        _ => crate::ir::TypeRef::Value,
    }
}

/// State of one lowering run.
pub(crate) struct Lowering<'d> {
    pub(crate) doc: &'d Document,
    pub(crate) components: &'d Components,
    /// Finished model types, by id (not yet named).
    pub(crate) types: BTreeMap<TypeId, TypeDef>,
    /// The name each id asks for (model types and multipart forms), for the naming step.
    pub(crate) requests: Vec<naming::Request>,
    /// The type made from the schema at a JSON pointer.
    by_origin: HashMap<String, TypeId>,
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
        Lowering {
            doc,
            components,
            types: BTreeMap::new(),
            requests: Vec::new(),
            by_origin: HashMap::new(),
            depth: 0,
            parts_cache: Default::default(),
            diagnostics: Diagnostics {
                mode: doc.mode,
                warnings: doc.warnings.clone(),
            },
        }
    }

    /// A new type id for the schema at `origin` (a component's when `component` is its name),
    /// asking to be called `preferred` (the naming step decides).
    pub(crate) fn new_type(
        &mut self,
        origin: &str,
        preferred: &str,
        component: Option<&str>,
    ) -> TypeId {
        let id = self.new_name(origin, preferred, component);
        self.by_origin.insert(origin.to_owned(), id);
        id
    }

    /// A new id in the space of model names, not tied to a schema (a multipart form's).
    pub(crate) fn new_name(
        &mut self,
        origin: &str,
        preferred: &str,
        component: Option<&str>,
    ) -> TypeId {
        // More than 4 billion types cannot be held in memory first: the fallback is never taken.
        let id = TypeId(u32::try_from(self.requests.len()).unwrap_or(u32::MAX));
        self.requests.push(naming::Request {
            preferred: preferred.to_owned(),
            component: component.map(str::to_owned),
            origin: origin.to_owned(),
        });
        id
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
