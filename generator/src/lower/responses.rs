//! `responses: lenient`: a required field of a struct that a response body reaches may be
//! absent on the wire. Okta's real responses leave out properties its schemas mark required
//! (links without `href`, settings without one of their flags); in strict mode (the default)
//! such a record fails the whole call, in lenient mode the field decodes as `None`.
//!
//! The rules (each tested in `tests/tests/lenient_responses.rs`):
//! - The walk starts at every response body of the selected operations (success, the other
//!   success media types, error bodies, every documented status) and follows struct fields,
//!   typed additional properties, union variants, aliases and newtypes, with a worklist.
//! - A type reached only from request bodies is unchanged.
//! - The discriminator property of a tagged union stays required in the structs that are its
//!   variants: the tag is what chose the variant.
//! - A struct that is a variant of an untagged union stays strict: its required fields are how
//!   decoding tells the variants apart, and a value that fits no variant is already kept as
//!   JSON in the union's fallback variant. The types its fields reach are walked as usual.
//! - A field that may be `null` and is required keeps being sent when empty (as `null`); a
//!   field that may not be `null` is left out when `None`.

use std::collections::{BTreeMap, BTreeSet};

use super::graph::{collect_named, for_each_ref};
use crate::ir::{Operation, Success, TypeDef, TypeId, TypeKind, TypeRef};

/// The note added to the docs of a field that is required by its schema but may be absent.
pub(crate) const NOTE: &str =
    "Required by the schema, but `None` when a response leaves it out (lenient responses).";

/// Marks `may_be_absent` on the required fields of the structs the responses of `operations`
/// reach (see the module docs for the rules).
pub(super) fn relax(types: &mut BTreeMap<TypeId, TypeDef>, operations: &[Operation]) {
    let reached = reached_from_responses(types, operations);
    // Struct ids whose fields stay as they are, and (struct, property) pairs that are tags.
    let mut strict: BTreeSet<TypeId> = BTreeSet::new();
    let mut tags: BTreeSet<(TypeId, String)> = BTreeSet::new();
    for id in &reached {
        match types.get(id).map(|d| &d.kind) {
            Some(TypeKind::TaggedUnion(u)) => {
                for v in &u.variants {
                    if let Some(target) = struct_of(types, &v.ty) {
                        tags.insert((target, u.tag.clone()));
                    }
                }
            }
            Some(TypeKind::UntaggedUnion(u)) => {
                strict.extend(u.variants.iter().filter_map(|v| struct_of(types, &v.ty)));
            }
            _ => {}
        }
    }
    for id in reached.iter().filter(|id| !strict.contains(id)) {
        let Some(TypeDef {
            kind: TypeKind::Struct(s),
            ..
        }) = types.get_mut(id)
        else {
            continue;
        };
        for field in s.fields.iter_mut().filter(|f| f.required) {
            if tags.contains(&(*id, field.json_name.clone())) {
                continue;
            }
            field.may_be_absent = true;
            field.doc = Some(match field.doc.take() {
                Some(doc) => format!("{}\n\n{NOTE}", doc.trim_end()),
                None => NOTE.to_owned(),
            });
        }
    }
}

/// Every type a response body of `operations` reaches, walked with a worklist.
fn reached_from_responses(
    types: &BTreeMap<TypeId, TypeDef>,
    operations: &[Operation],
) -> BTreeSet<TypeId> {
    let mut work: Vec<TypeId> = Vec::new();
    let mut push = |ty: &TypeRef| collect_named(ty, &mut |id, _| work.push(id));
    for op in operations {
        if let Success::Json(ty) = &op.success {
            push(ty);
        }
        for alt in &op.alternatives {
            if let Success::Json(ty) = &alt.success {
                push(ty);
            }
        }
        push(&op.error);
        op.responses
            .iter()
            .filter_map(|r| r.ty.as_ref())
            .for_each(&mut push);
        if let Some(p) = &op.pagination {
            push(&p.item);
        }
    }
    let mut seen = BTreeSet::new();
    while let Some(id) = work.pop() {
        if !seen.insert(id) {
            continue;
        }
        if let Some(def) = types.get(&id) {
            for_each_ref(&def.kind, |ty| {
                collect_named(ty, &mut |next, _| work.push(next))
            });
        }
    }
    seen
}

/// The struct a union variant of type `ty` decodes into, through boxes, `Option`s and aliases
/// (a bounded walk: an alias chain visits each type at most once).
fn struct_of(types: &BTreeMap<TypeId, TypeDef>, ty: &TypeRef) -> Option<TypeId> {
    let mut ty = ty;
    for _ in 0..=types.len() {
        match ty {
            TypeRef::Boxed(inner) | TypeRef::Option(inner) => ty = inner,
            TypeRef::Named(id) => match &types.get(id)?.kind {
                TypeKind::Struct(_) => return Some(*id),
                TypeKind::Alias(target) | TypeKind::Newtype(target) => ty = target,
                _ => return None,
            },
            _ => return None,
        }
    }
    None
}
