//! A cargo feature per tag (`features: per-tag`): which feature enables which operation, and
//! which types each feature needs. Decided here, after naming, so emission only writes the
//! `#[cfg(…)]` attributes.
//!
//! - Each tag of a selected operation is a feature, named in kebab case (`UserFactor` →
//!   `user-factor`), unique (a repeat gets a number: `users-2`), never `default` or `full`
//!   (the crate's own); an operation without a tag belongs to `untagged`. An operation is
//!   enabled by any of its tags' features.
//! - A type is enabled by the features of every operation that reaches it, directly or through
//!   other types: one worklist pass over the type graph, each type holding the set of features
//!   that reach it as a bitset. A type's set only grows, so it is queued at most once per
//!   feature it gains: the work is bounded by `features × (types + references)` bit steps, 64
//!   features to a step. A type every feature reaches carries no `cfg`.
//! - The call error's default body type ([`Api::error`]) is named by the client's root whatever
//!   is enabled, and a type no operation reaches (kept from an operation left out in lenient
//!   mode) is always compiled: both count as reached by every feature, and so does all they
//!   reach.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use heck::{ToKebabCase, ToUpperCamelCase};

use crate::ir::{
    Api, BodyEncoding, Operation, PartKind, Success, TagFeature, TagFeatures, TypeId, TypeRef,
};
use crate::names::{self, reserved, Scope};

/// The feature of the operations without a tag.
pub(crate) const UNTAGGED: &str = "untagged";

/// Feature names the generated crate's manifest defines itself.
const CRATE_FEATURES: &[&str] = &["default", "full"];

/// Decides the features of `api` (see the module's docs) and records them in
/// [`Api::tag_features`].
pub(crate) fn assign(api: &mut Api) {
    let mut tags: BTreeSet<&str> = BTreeSet::new();
    let mut untagged = false;
    for op in &api.operations {
        tags.extend(op.tags.iter().map(String::as_str));
        untagged |= op.tags.is_empty();
    }
    let mut feature_names = Scope::with_taken(CRATE_FEATURES.iter().copied());
    let mut accessors = Scope::with_taken(
        reserved::CLIENT
            .iter()
            .copied()
            .chain(api.operations.iter().map(|op| op.name.as_str())),
    );
    let mut handles = Scope::default();
    let mut groups: Vec<(Option<&str>, TagFeature)> = Vec::new();
    let named = tags.iter().map(|t| Some(*t));
    for tag in named.chain(untagged.then_some(None)) {
        let text = tag.unwrap_or(UNTAGGED);
        let words: String = text
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
            .collect();
        let mut kebab = words.to_kebab_case();
        if kebab.is_empty() {
            kebab = "tag".to_owned();
        }
        let mut camel = words.to_upper_camel_case();
        if camel.is_empty() || camel.starts_with(|c: char| c.is_ascii_digit()) {
            camel.insert(0, 'V');
        }
        groups.push((
            tag,
            TagFeature {
                name: feature_names.claim(&kebab),
                tag: tag.map(str::to_owned),
                accessor: accessors.claim(&names::snake(text)),
                handle: handles.claim(&format!("{camel}Api")),
                operations: Vec::new(),
            },
        ));
    }
    groups.sort_by(|a, b| a.1.name.cmp(&b.1.name));
    let index: HashMap<Option<&str>, usize> = groups
        .iter()
        .enumerate()
        .map(|(i, (tag, _))| (*tag, i))
        .collect();
    let mut operations = Vec::with_capacity(api.operations.len());
    for (op_index, op) in api.operations.iter().enumerate() {
        let mut of_op: Vec<usize> = if op.tags.is_empty() {
            index.get(&None).copied().into_iter().collect()
        } else {
            op.tags
                .iter()
                .filter_map(|t| index.get(&Some(t.as_str())).copied())
                .collect()
        };
        of_op.sort_unstable();
        of_op.dedup();
        for &f in &of_op {
            if let Some((_, group)) = groups.get_mut(f) {
                group.operations.push(op_index);
            }
        }
        operations.push(of_op);
    }
    let types = type_features(api, &operations, groups.len());
    api.tag_features = Some(TagFeatures {
        features: groups.into_iter().map(|(_, g)| g).collect(),
        operations,
        types,
    });
}

/// A set of features, one bit each.
#[derive(Clone, PartialEq, Eq)]
struct Bits(Vec<u64>);

impl Bits {
    fn empty(features: usize) -> Self {
        Bits(vec![0; features.div_ceil(64)])
    }

    fn full(features: usize) -> Self {
        let mut bits = Self::empty(features);
        for f in 0..features {
            bits.set(f);
        }
        bits
    }

    fn set(&mut self, f: usize) {
        if let Some(word) = self.0.get_mut(f / 64) {
            *word |= 1 << (f % 64);
        }
    }

    /// Adds `other`; whether anything was new.
    fn union(&mut self, other: &Bits) -> bool {
        let mut grew = false;
        for (word, add) in self.0.iter_mut().zip(&other.0) {
            let next = *word | add;
            grew |= next != *word;
            *word = next;
        }
        grew
    }

    fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }

    fn ones(&self, features: usize) -> Vec<usize> {
        (0..features)
            .filter(|f| self.0.get(f / 64).is_some_and(|w| w & (1 << (f % 64)) != 0))
            .collect()
    }
}

/// The worklist: each type's features, and the types whose features grew since they were last
/// passed on.
struct Walk {
    bits: Vec<Bits>,
    queued: Vec<bool>,
    queue: Vec<usize>,
}

impl Walk {
    /// Adds `add` to the features of type `t`, queueing it when they grew.
    fn seed(&mut self, t: usize, add: &Bits) {
        if let Some(b) = self.bits.get_mut(t) {
            if b.union(add) && !self.queued[t] {
                self.queued[t] = true;
                self.queue.push(t);
            }
        }
    }

    /// Passes each queued type's features on to the types it references, until none grows.
    fn run(&mut self, edges: &[Vec<usize>]) {
        while let Some(t) = self.queue.pop() {
            self.queued[t] = false;
            let from = self.bits[t].clone();
            for &c in &edges[t] {
                self.seed(c, &from);
            }
        }
    }
}

/// The features that reach each type, for the types that not every feature reaches.
fn type_features(
    api: &Api,
    operations: &[Vec<usize>],
    features: usize,
) -> BTreeMap<TypeId, Vec<usize>> {
    // Dense indices for the types, and the types each one references.
    let ids: Vec<TypeId> = api.types.iter().map(|def| def.id).collect();
    let dense: HashMap<TypeId, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let edges: Vec<Vec<usize>> = api
        .types
        .iter()
        .map(|def| {
            let mut out = Vec::new();
            super::graph::for_each_ref(&def.kind, |ty| {
                named(ty, &mut |id| out.extend(dense.get(&id).copied()))
            });
            out
        })
        .collect();
    let mut walk = Walk {
        bits: vec![Bits::empty(features); ids.len()],
        queued: vec![false; ids.len()],
        queue: Vec::new(),
    };
    for (op, of_op) in api.operations.iter().zip(operations) {
        let mut add = Bits::empty(features);
        for &f in of_op {
            add.set(f);
        }
        roots(op, &mut |id| {
            if let Some(&t) = dense.get(&id) {
                walk.seed(t, &add);
            }
        });
    }
    let all = Bits::full(features);
    named(&api.error, &mut |id| {
        if let Some(&t) = dense.get(&id) {
            walk.seed(t, &all);
        }
    });
    walk.run(&edges);
    // Then from the types no operation reached.
    for t in 0..ids.len() {
        if walk.bits[t].is_empty() {
            walk.seed(t, &all);
        }
    }
    walk.run(&edges);
    let bits = walk.bits;
    ids.iter()
        .zip(&bits)
        .filter(|(_, b)| **b != all)
        .map(|(id, b)| (*id, b.ones(features)))
        .collect()
}

/// Calls `f` for every type an operation names: its parameters, body (a multipart form's
/// parts), success types (every media type's), error body, page items and documented
/// responses (its docs link them).
fn roots(op: &Operation, f: &mut impl FnMut(TypeId)) {
    for p in &op.params {
        named(&p.ty, f);
    }
    if let Some(body) = &op.body {
        match &body.encoding {
            BodyEncoding::Multipart(form) => {
                for part in &form.parts {
                    if let PartKind::Value(ty) | PartKind::Values(ty) = &part.kind {
                        named(ty, f);
                    }
                }
            }
            _ => named(&body.ty, f),
        }
    }
    let successes = std::iter::once(&op.success).chain(op.alternatives.iter().map(|a| &a.success));
    for success in successes {
        if let Success::Json(ty) = success {
            named(ty, f);
        }
    }
    named(&op.error, f);
    if let Some(p) = &op.pagination {
        named(&p.item, f);
    }
    for r in &op.responses {
        if let Some(ty) = &r.ty {
            named(ty, f);
        }
    }
}

/// Calls `f` for every named type in `ty` (references nest only as deep as lowering built
/// them, bounded there).
fn named(ty: &TypeRef, f: &mut impl FnMut(TypeId)) {
    match ty {
        TypeRef::Named(id) => f(*id),
        TypeRef::Vec(inner)
        | TypeRef::Map(inner)
        | TypeRef::Boxed(inner)
        | TypeRef::Option(inner) => named(inner, f),
        _ => {}
    }
}
