//! One pass over the whole type graph, after every type is lowered: where a cycle would give a
//! type of infinite size or an alias that expands forever, it places a `Box` or turns the alias
//! into a newtype; a cycle of aliases alone names no type and becomes JSON, with a warning.
//!
//! The rules (each a unit test below):
//! - `A = B`, `B = A` (and `A = A`, and the same through `Option`/`Box`): no type; each alias
//!   of the cycle becomes `serde_json::Value`, with a warning naming the cycle.
//! - An alias on any other cycle (`A = Vec<A>`, `M = Map<M>`, `A = B`, `B = struct { a: A }`)
//!   becomes a newtype (`struct A(Vec<A>)`, serialized as its content): aliases may not expand
//!   into themselves.
//! - Inside a strongly connected component, every edge held by value (a struct field, a union
//!   variant, a newtype's content, through `Option`) is boxed: the component's types then have
//!   a finite size. Edges through `Vec`, maps and existing boxes are already indirect.
//!
//! Strongly connected components are found with an iterative Tarjan walk: linear in the size of
//! the graph, and no recursion whose depth the document sets. Types are keyed by [`TypeId`]:
//! the pass runs before naming, and what it decides does not depend on names.

use std::collections::BTreeMap;

use crate::error::{Diagnostics, Result, Warning};
use crate::ir::{Additional, TypeDef, TypeId, TypeKind, TypeRef};
use crate::load::Document;

/// Places boxes and newtypes in `types` so that every type has a finite size and every alias a
/// finite expansion.
pub(super) fn place_indirections(
    types: &mut BTreeMap<TypeId, TypeDef>,
    doc: &Document,
    diagnostics: &mut Diagnostics,
) -> Result<()> {
    break_alias_cycles(types, doc, diagnostics)?;
    rank_untagged_variants(types);
    let names: Vec<TypeId> = types.keys().copied().collect();
    let index: BTreeMap<TypeId, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    // Every reference, and whether it is held by value (then it adds to the type's size).
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); names.len()];
    let mut by_value: Vec<Vec<usize>> = vec![Vec::new(); names.len()];
    for (i, name) in names.iter().enumerate() {
        if let Some(def) = types.get(name) {
            for_each_ref(&def.kind, |ty| {
                collect_named(ty, &mut |target, held| {
                    if let Some(&j) = index.get(&target) {
                        edges[i].push(j);
                        if held {
                            by_value[i].push(j);
                        }
                    }
                })
            });
        }
    }
    let component = strongly_connected(&edges);
    let boxed = back_edges(&by_value, &component);
    for (i, name) in names.iter().enumerate() {
        let cyclic = edges[i].iter().any(|&j| component[j] == component[i]);
        if !cyclic {
            continue;
        }
        let Some(def) = types.get_mut(name) else {
            continue;
        };
        if let TypeKind::Alias(target) = &def.kind {
            def.kind = TypeKind::Newtype(target.clone());
        }
        let to_box = |other: TypeId| index.get(&other).is_some_and(|&j| boxed.contains(&(i, j)));
        for_each_ref_mut(&mut def.kind, |ty| box_by_value(ty, &to_box));
    }
    Ok(())
}

/// The by-value edges to box: those that close a cycle in a depth-first walk of the by-value
/// edges inside each strongly connected component (one box per cycle, not one per edge).
/// Iterative, nodes in id order, so the choice is deterministic.
fn back_edges(
    by_value: &[Vec<usize>],
    component: &[usize],
) -> std::collections::BTreeSet<(usize, usize)> {
    const NEW: u8 = 0;
    const OPEN: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; by_value.len()];
    let mut out = std::collections::BTreeSet::new();
    for root in 0..by_value.len() {
        if state[root] != NEW {
            continue;
        }
        state[root] = OPEN;
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut edge)) = work.last_mut() {
            let Some(&w) = by_value[v].get(*edge) else {
                state[v] = DONE;
                work.pop();
                continue;
            };
            *edge += 1;
            if component[w] != component[v] {
                continue;
            }
            match state[w] {
                NEW => {
                    state[w] = OPEN;
                    work.push((w, 0));
                }
                OPEN => {
                    out.insert((v, w));
                }
                _ => {}
            }
        }
    }
    out
}

/// Turns every alias on a cycle of direct aliases (`A = B`, `B = A`) into JSON.
fn break_alias_cycles(
    types: &mut BTreeMap<TypeId, TypeDef>,
    doc: &Document,
    diagnostics: &mut Diagnostics,
) -> Result<()> {
    // Each alias has at most one direct successor, so cycles are found by walking successor
    // chains, each alias visited once overall.
    let direct = |def: &TypeDef| -> Option<TypeId> {
        match &def.kind {
            TypeKind::Alias(t) => direct_name(t),
            _ => None,
        }
    };
    let mut state: BTreeMap<TypeId, u8> = BTreeMap::new(); // 1 = on the current walk, 2 = done
    let mut cycles: Vec<Vec<TypeId>> = Vec::new();
    let ids: Vec<TypeId> = types.keys().copied().collect();
    for start in ids {
        let mut walk: Vec<TypeId> = Vec::new();
        let mut here = Some(start);
        while let Some(id) = here.take() {
            match state.get(&id) {
                Some(2) => break,
                Some(_) => {
                    if let Some(pos) = walk.iter().position(|n| *n == id) {
                        cycles.push(walk[pos..].to_vec());
                    }
                    break;
                }
                None => {}
            }
            state.insert(id, 1);
            here = types.get(&id).and_then(direct);
            walk.push(id);
        }
        for id in walk {
            state.insert(id, 2);
        }
    }
    for cycle in cycles {
        // Named as the document names them: the pass runs before the Rust names are given.
        let schema_name = |id: &TypeId| {
            types
                .get(id)
                .map(|def| schema_name(&def.origin))
                .unwrap_or_default()
        };
        let names: Vec<String> = cycle.iter().map(schema_name).collect();
        let mut shown = names.clone();
        shown.extend(names.first().cloned());
        for (id, name) in cycle.iter().zip(&names) {
            let Some(def) = types.get_mut(id) else {
                continue;
            };
            diagnostics.warn(Warning {
                location: doc.at(&def.origin),
                message: format!(
                    "the schemas {} only refer to each other and describe no value; `{name}` is kept as untyped JSON (`serde_json::Value`)",
                    shown.join(" → ")
                ),
                hint: Some("give one of them a type, or remove the cycle".into()),
            })?;
            def.kind = TypeKind::Alias(TypeRef::Value);
        }
    }
    Ok(())
}

/// Sets the [`known_fields`](crate::ir::UntaggedVariant::known_fields) of every untagged
/// union's variants, now that every type they may name is lowered.
fn rank_untagged_variants(types: &mut BTreeMap<TypeId, TypeDef>) {
    let mut found: Vec<(TypeId, usize, Vec<String>)> = Vec::new();
    for (id, def) in types.iter() {
        if let TypeKind::UntaggedUnion(u) = &def.kind {
            for (index, v) in u.variants.iter().enumerate() {
                found.push((*id, index, known_fields(types, &v.ty)));
            }
        }
    }
    for (id, index, fields) in found {
        if let Some(TypeKind::UntaggedUnion(u)) = types.get_mut(&id).map(|d| &mut d.kind) {
            if let Some(v) = u.variants.get_mut(index) {
                v.known_fields = fields;
            }
        }
    }
}

/// The JSON property names a value of `ty` may have: through boxes, `Option` and at most 8
/// aliases (a loop, not recursion).
fn known_fields(types: &BTreeMap<TypeId, TypeDef>, ty: &TypeRef) -> Vec<String> {
    let mut ty = ty;
    for _ in 0..=8 {
        while let TypeRef::Boxed(inner) | TypeRef::Option(inner) = ty {
            ty = inner;
        }
        let TypeRef::Named(id) = ty else {
            return Vec::new();
        };
        match types.get(id).map(|d| &d.kind) {
            Some(TypeKind::Struct(s)) => {
                return s.fields.iter().map(|f| f.json_name.clone()).collect()
            }
            Some(TypeKind::TaggedUnion(u)) => return vec![u.tag.clone()],
            Some(TypeKind::Alias(target) | TypeKind::Newtype(target)) => ty = target,
            _ => return Vec::new(),
        }
    }
    Vec::new()
}

/// The name of the schema at `origin`: a component's name, else the pointer.
fn schema_name(origin: &str) -> String {
    match origin.strip_prefix("/components/schemas/") {
        Some(name) if !name.contains('/') => crate::pointer::unescape(name),
        _ => origin.to_owned(),
    }
}

/// The type an alias expands to directly (through `Option` and `Box`, not containers).
fn direct_name(ty: &TypeRef) -> Option<TypeId> {
    match ty {
        TypeRef::Named(n) => Some(*n),
        TypeRef::Option(inner) | TypeRef::Boxed(inner) => direct_name(inner),
        _ => None,
    }
}

/// Calls `f` for every type reference a definition holds.
pub(super) fn for_each_ref(kind: &TypeKind, mut f: impl FnMut(&TypeRef)) {
    match kind {
        TypeKind::Struct(s) => {
            s.fields.iter().for_each(|field| f(&field.ty));
            if let Additional::Typed { ty, .. } = &s.additional {
                f(ty);
            }
        }
        TypeKind::TaggedUnion(u) => u.variants.iter().for_each(|v| f(&v.ty)),
        TypeKind::UntaggedUnion(u) => u.variants.iter().for_each(|v| f(&v.ty)),
        TypeKind::Alias(t) | TypeKind::Newtype(t) => f(t),
        TypeKind::StringEnum(_) | TypeKind::IntEnum(_) => {}
    }
}

/// Calls `f` for every type reference a definition holds, mutably.
fn for_each_ref_mut(kind: &mut TypeKind, mut f: impl FnMut(&mut TypeRef)) {
    match kind {
        TypeKind::Struct(s) => {
            s.fields.iter_mut().for_each(|field| f(&mut field.ty));
            if let Additional::Typed { ty, .. } = &mut s.additional {
                f(ty);
            }
        }
        TypeKind::TaggedUnion(u) => u.variants.iter_mut().for_each(|v| f(&mut v.ty)),
        TypeKind::UntaggedUnion(u) => u.variants.iter_mut().for_each(|v| f(&mut v.ty)),
        TypeKind::Alias(t) | TypeKind::Newtype(t) => f(t),
        TypeKind::StringEnum(_) | TypeKind::IntEnum(_) => {}
    }
}

/// Calls `f(name, by_value)` for every named type in `ty`. Type references nest only as deep
/// as lowering built them (one level per `items`/`additionalProperties`, bounded there).
fn collect_named(ty: &TypeRef, f: &mut impl FnMut(TypeId, bool)) {
    fn walk(ty: &TypeRef, by_value: bool, f: &mut impl FnMut(TypeId, bool)) {
        match ty {
            TypeRef::Named(n) => f(*n, by_value),
            TypeRef::Option(inner) => walk(inner, by_value, f),
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => {
                walk(inner, false, f)
            }
            _ => {}
        }
    }
    walk(ty, true, f)
}

/// Boxes the by-value references in `ty` to types for which `same` holds.
fn box_by_value(ty: &mut TypeRef, same: &impl Fn(TypeId) -> bool) {
    match ty {
        TypeRef::Named(n) if same(*n) => {
            let inner = std::mem::replace(ty, TypeRef::Value);
            *ty = TypeRef::Boxed(Box::new(inner));
        }
        TypeRef::Option(inner) => box_by_value(inner, same),
        _ => {}
    }
}

/// The strongly connected component of each node (iterative Tarjan).
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut component = vec![UNSEEN; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // (node, next edge to look at)
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut edge)) = work.last_mut() {
            if let Some(&w) = edges[v].get(*edge) {
                *edge += 1;
                if index[w] == UNSEEN {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::strongly_connected;

    #[test]
    fn components_of_a_small_graph() {
        // 0 → 1 → 2 → 0, 2 → 3, 3 → 3, 4 alone
        let c = strongly_connected(&[vec![1], vec![2], vec![0, 3], vec![3], vec![]]);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[2], c[3]);
        assert_ne!(c[3], c[4]);
    }

    #[test]
    fn a_long_chain_needs_no_stack() {
        let n = 200_000;
        let mut edges: Vec<Vec<usize>> = (0..n).map(|i| vec![i + 1]).collect();
        edges[n - 1] = vec![0];
        let c = strongly_connected(&edges);
        assert!(c.iter().all(|&x| x == c[0]));
    }
}
