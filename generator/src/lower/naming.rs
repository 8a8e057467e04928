//! Naming, a step of its own: after lowering (which keys every model type by a [`TypeId`]) and
//! the type graph pass (which works on ids), each id gets its Rust name.
//!
//! The rules, so that a name never depends on the order the walk met the types in:
//! - Every component schema of the document claims its name first, in the order of the
//!   component names, reached or not: `components/schemas/User` is `User` whatever else is
//!   selected, and an inline type that asks for `User` gets `User2`.
//! - Inline types (and multipart forms) then claim the names they ask for, in the order of the
//!   JSON pointers they were made from. An inline type asks for its parent's asked-for name
//!   followed by its property (`User` + `profile` → `UserProfile`), so a name says where the
//!   type sits, and a collision is settled by the pointer, not by which operation came first.

use std::collections::{BTreeMap, HashMap};

use crate::ir::{Body, BodyEncoding, Operation, TypeDef, TypeId, Types};
use crate::names::{self, Scope};

/// The name an id asks for.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    /// `UpperCamelCase`.
    pub(crate) preferred: String,
    /// The component schema it was made from, if any.
    pub(crate) component: Option<String>,
    /// The JSON pointer it was made from.
    pub(crate) origin: String,
}

/// Names every id of `requests`: the types (returned, keyed by id and name) and the multipart
/// forms of `operations`. `components` are all the document's component schema names.
pub(super) fn name_types<'a>(
    requests: &[Request],
    components: impl Iterator<Item = &'a String>,
    mut types: BTreeMap<TypeId, TypeDef>,
    operations: &mut [Operation],
) -> Types {
    let mut scope = Scope::default();
    let mut sorted: Vec<&String> = components.collect();
    sorted.sort();
    let component_names: HashMap<&str, String> = sorted
        .into_iter()
        .map(|name| (name.as_str(), scope.claim(&names::camel(name))))
        .collect();

    let mut given: Vec<String> = vec![String::new(); requests.len()];
    let mut inline: Vec<usize> = Vec::new();
    for (index, request) in requests.iter().enumerate() {
        match request
            .component
            .as_deref()
            .and_then(|c| component_names.get(c))
        {
            Some(name) => given[index] = name.clone(),
            None => inline.push(index),
        }
    }
    inline.sort_by(|&a, &b| requests[a].origin.cmp(&requests[b].origin).then(a.cmp(&b)));
    for index in inline {
        given[index] = scope.claim(&requests[index].preferred);
    }

    let name_of = |id: TypeId| given.get(id.0 as usize).cloned().unwrap_or_default();
    for (id, def) in types.iter_mut() {
        def.name = name_of(*id);
    }
    let mut forms = BTreeMap::new();
    for op in operations.iter_mut() {
        if let Some(Body {
            encoding: BodyEncoding::Multipart(form),
            ..
        }) = &mut op.body
        {
            form.name = name_of(form.id);
            forms.insert(form.id, form.name.clone());
        }
    }
    Types::new(types, forms)
}
