//! Schemas to model types.

use std::collections::BTreeSet;

use openapiv3::{
    AdditionalProperties, AnySchema, Discriminator, IntegerFormat, NumberFormat, ReferenceOr,
    Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::Lowering;
use crate::error::Result;
use crate::ir::{
    Additional, Argument, Field, IntEnum, IntVariant, StringEnum, Struct, TaggedUnion,
    TaggedVariant, TypeDef, TypeId, TypeKind, TypeRef, UntaggedUnion, UntaggedVariant, Variant,
};
use crate::names::{self, reserved, Scope};
use crate::pointer::join;

/// How deeply types may nest (properties in properties, items, map values, union members, `$ref`
/// chains) before the rest is kept as JSON, counted in the steps rustc takes to unfold them:
/// this bounds the generator's stack on hostile documents, and keeps the generated types inside
/// rustc's `recursion_limit` (128). Every request builder's future is `Send`, and proving it
/// unfolds the response type level by level: a struct in an `Option` costs two steps (64 nested
/// structs overflow: E0275, "overflow evaluating the requirement `…: Send`"), a `Vec<Option<…>>`
/// or a `BTreeMap<String, Option<…>>` four (48 of those overflow). 96 steps, 48 levels of structs
/// or 24 of arrays and maps, leave room for the future's own. Real documents nest a dozen levels.
const MAX_STEPS: usize = 96;

/// The steps of a level that is a struct (in an `Option`), a union member or an alias.
const LEVEL_STEPS: usize = 2;

/// The steps of a level that is an array's items or a map's values (each possibly nullable).
const CONTAINER_STEPS: usize = 4;

/// A schema position: a `$ref` or an inline schema.
#[derive(Clone, Copy)]
pub(crate) enum SchemaRef<'d> {
    Ref(&'d str),
    Inline(&'d Schema),
}

impl<'d> From<&'d ReferenceOr<Schema>> for SchemaRef<'d> {
    fn from(r: &'d ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Inline(s),
        }
    }
}

impl<'d> From<&'d ReferenceOr<Box<Schema>>> for SchemaRef<'d> {
    fn from(r: &'d ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Inline(s),
        }
    }
}

/// The properties of an object schema, with those of `allOf` members merged in.
#[derive(Clone, Default)]
pub(super) struct ObjectParts<'d> {
    /// JSON name, schema, pointer. A later member overrides an earlier one of the same name.
    props: Vec<(String, SchemaRef<'d>, String)>,
    required: BTreeSet<String>,
    additional: Option<(&'d AdditionalProperties, String)>,
    /// Docs of the schema and its inline members, in order.
    docs: Vec<String>,
    /// Docs of members reached through a `$ref` (they describe another schema): used only
    /// when the schema says nothing of itself.
    inherited_docs: Vec<String>,
    /// Whether a member or a union only constrains which properties are present (ignored
    /// for typing; the type's docs say so).
    constrained: bool,
}

/// Merges a member's parts into its schema's: later properties override earlier ones of the
/// same name. A referenced member's own docs describe another schema: they are inherited.
fn merge_parts<'d>(into: &mut ObjectParts<'d>, member: &ObjectParts<'d>, referenced: bool) {
    for prop in &member.props {
        into.props.retain(|(n, _, _)| *n != prop.0);
        into.props.push(prop.clone());
    }
    into.required.extend(member.required.iter().cloned());
    if member.additional.is_some() {
        into.additional.clone_from(&member.additional);
    }
    if referenced {
        into.inherited_docs.extend(member.docs.iter().cloned());
    } else {
        into.docs.extend(member.docs.iter().cloned());
    }
    into.inherited_docs
        .extend(member.inherited_docs.iter().cloned());
    into.constrained |= member.constrained;
}

/// How a schema is represented.
enum Shape {
    /// Needs a named model type (struct or enum).
    Named,
    /// A primitive, container, alias or JSON value.
    Plain,
}

impl<'d> Lowering<'d> {
    /// The Rust type of a schema used at `at`. Inline structs and enums become named types
    /// called `hint`.
    pub(crate) fn type_of(&mut self, s: SchemaRef<'d>, at: &str, hint: &str) -> Result<TypeRef> {
        self.nested(LEVEL_STEPS, s, at, hint)
    }

    /// [`Self::type_of`] for an array's items or a map's values.
    fn container_type_of(&mut self, s: SchemaRef<'d>, at: &str, hint: &str) -> Result<TypeRef> {
        self.nested(CONTAINER_STEPS, s, at, hint)
    }

    fn nested(&mut self, steps: usize, s: SchemaRef<'d>, at: &str, hint: &str) -> Result<TypeRef> {
        if self.depth + steps > MAX_STEPS {
            return Err(self.error(
                at,
                format!(
                    "schemas nest too deeply here (through properties, items, unions or $ref chains): more than {} levels of objects, or {} of arrays and maps",
                    MAX_STEPS / LEVEL_STEPS,
                    MAX_STEPS / CONTAINER_STEPS
                ),
                Some("okgen types the outer levels and keeps the rest as JSON; flatten the schema to type it"),
            ));
        }
        self.depth += steps;
        let ty = self.type_of_at_depth(s, at, hint);
        self.depth -= steps;
        ty
    }

    fn type_of_at_depth(&mut self, s: SchemaRef<'d>, at: &str, hint: &str) -> Result<TypeRef> {
        match s {
            SchemaRef::Ref(reference) => {
                let name = self.component_name(reference, at, "schemas")?;
                Ok(TypeRef::Named(self.component_type(&name, at)?))
            }
            SchemaRef::Inline(schema) => self.inline_type(schema, at, hint),
        }
    }

    /// The model made from `components/schemas/<name>`, lowering it on first use.
    fn component_type(&mut self, name: &str, at: &str) -> Result<TypeId> {
        let origin = join("/components/schemas", name);
        if let Some(id) = self.by_origin.get(&origin) {
            return Ok(*id);
        }
        let components = self.components;
        let Some(item) = components.schemas.get(name) else {
            return Err(self.error(
                &join(at, "$ref"),
                format!("$ref points at nothing: there is no `components/schemas/{name}`"),
                Some("fix the reference, or add the missing schema"),
            ));
        };
        // The name the component asks for, and the stem of the names its inline types ask for.
        let preferred = names::camel(name);
        let id = self.new_type(&origin, &preferred, Some(name));
        let def = match item {
            ReferenceOr::Reference { reference } => {
                let target = self.type_of(SchemaRef::Ref(reference), &origin, &preferred);
                let kept = "the schema is kept as untyped JSON (`serde_json::Value`)";
                let target = self
                    .diagnostics
                    .recover(target, kept)?
                    .unwrap_or(TypeRef::Value);
                TypeDef {
                    id,
                    name: String::new(),
                    doc: None,
                    origin: origin.clone(),
                    deprecated: false,
                    kind: TypeKind::Alias(target),
                }
            }
            ReferenceOr::Item(schema) => self.define_or_value(schema, &origin, id, &preferred)?,
        };
        self.finish(def);
        Ok(id)
    }

    fn finish(&mut self, def: TypeDef) {
        self.types.insert(def.id, def);
    }

    fn inline_type(&mut self, schema: &'d Schema, at: &str, hint: &str) -> Result<TypeRef> {
        match self.shape(schema) {
            Shape::Plain => self.plain_type(schema, at, hint),
            Shape::Named => {
                if let Some(id) = self.by_origin.get(at) {
                    return Ok(TypeRef::Named(*id));
                }
                let preferred = names::camel(hint);
                let id = self.new_type(at, &preferred, None);
                let def = self.define_or_value(schema, at, id, &preferred)?;
                self.finish(def);
                Ok(TypeRef::Named(id))
            }
        }
    }

    fn shape(&self, schema: &Schema) -> Shape {
        if union_members(schema).is_some()
            || string_enum_values(schema).is_some()
            || int_enum_values(schema).is_some()
            || schema
                .schema_data
                .discriminator
                .as_ref()
                .is_some_and(|d| !d.mapping.is_empty())
        {
            return Shape::Named;
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) if !o.properties.is_empty() => Shape::Named,
            SchemaKind::AllOf { all_of } => self.all_of_shape(all_of),
            SchemaKind::Any(a) if a.all_of.is_empty() && !a.properties.is_empty() => Shape::Named,
            // `allOf` next to its own properties (Okta's subtype style) is merged too.
            SchemaKind::Any(a) if !a.all_of.is_empty() && a.properties.is_empty() => {
                self.all_of_shape(&a.all_of)
            }
            SchemaKind::Any(a) if !a.all_of.is_empty() => Shape::Named,
            _ => Shape::Plain,
        }
    }

    /// The shape of `allOf` without properties of its own. Members that only document or only
    /// constrain (`required` lists) do not count. One member left: its shape (a `$ref` is an
    /// alias of it, unless it names a discriminated parent: then this is a subtype, a struct of
    /// its own; an inline scalar is that scalar). Several: their merge, a struct.
    fn all_of_shape(&self, all_of: &[ReferenceOr<Schema>]) -> Shape {
        match shaping_members(all_of)[..] {
            [] => Shape::Plain,
            [(_, ReferenceOr::Reference { reference })] => {
                if self.is_polymorphic_parent(reference, 0) {
                    Shape::Named
                } else {
                    Shape::Plain
                }
            }
            [(_, ReferenceOr::Item(member))] => match self.shape(member) {
                Shape::Named => Shape::Named,
                // An inline object without properties merges into a map or JSON: keep the
                // struct only when there is something to merge.
                Shape::Plain => Shape::Plain,
            },
            // Only scalars (`allOf: [$ref AnEnum, {type: string}]`): their intersection is the
            // most specific of them, a type of its own (see `single_ref_type`).
            ref members if members.iter().all(|(_, m)| self.is_scalar(m)) => Shape::Plain,
            _ => Shape::Named,
        }
    }

    /// Whether a schema (through one `$ref`) describes a scalar: a string, number, integer or
    /// boolean, with or without `enum`.
    fn is_scalar(&self, member: &ReferenceOr<Schema>) -> bool {
        let schema = match member {
            ReferenceOr::Item(s) => s,
            ReferenceOr::Reference { reference } => {
                let Some(name) = reference.strip_prefix("#/components/schemas/") else {
                    return false;
                };
                match self.components.schemas.get(&crate::pointer::unescape(name)) {
                    Some(ReferenceOr::Item(s)) => s,
                    _ => return false,
                }
            }
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(_) | Type::Array(_)) => false,
            SchemaKind::Type(_) => true,
            SchemaKind::Any(a) => {
                matches!(
                    a.typ.as_deref(),
                    Some("string" | "number" | "integer" | "boolean")
                ) && a.properties.is_empty()
                    && a.all_of.is_empty()
            }
            _ => false,
        }
    }

    /// Whether `reference` names (through `allOf` single refs) a schema with a discriminator
    /// mapping: a parent whose subtypes become a tagged union.
    fn is_polymorphic_parent(&self, reference: &str, depth: usize) -> bool {
        let Some(name) = reference.strip_prefix("#/components/schemas/") else {
            return false;
        };
        let Some(ReferenceOr::Item(schema)) =
            self.components.schemas.get(&crate::pointer::unescape(name))
        else {
            return false;
        };
        if schema
            .schema_data
            .discriminator
            .as_ref()
            .is_some_and(|d| !d.mapping.is_empty())
        {
            return true;
        }
        let all_of = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => all_of,
            SchemaKind::Any(a) => &a.all_of,
            _ => return false,
        };
        depth < 16
            && single_ref(all_of).is_some_and(|(_, r)| self.is_polymorphic_parent(r, depth + 1))
    }

    /// [`Self::define`], except that in lenient mode a schema that cannot be generated becomes
    /// an alias of `serde_json::Value` (its data is kept, untyped) with a warning. The name is
    /// defined either way, so references made to it while it was being lowered stay valid.
    fn define_or_value(
        &mut self,
        schema: &'d Schema,
        at: &str,
        id: TypeId,
        rust: &str,
    ) -> Result<TypeDef> {
        let defined = self.define(schema, at, id, rust);
        let kept = "the schema is kept as untyped JSON (`serde_json::Value`)";
        Ok(match self.diagnostics.recover(defined, kept)? {
            Some(def) => def,
            None => TypeDef {
                id,
                name: String::new(),
                doc: doc_of(schema),
                origin: at.to_owned(),
                deprecated: schema.schema_data.deprecated,
                kind: TypeKind::Alias(TypeRef::Value),
            },
        })
    }

    /// Defines the model type `id` from a schema; `rust` is the name it asks for, the stem of
    /// its inline types' names.
    fn define(&mut self, schema: &'d Schema, at: &str, id: TypeId, rust: &str) -> Result<TypeDef> {
        let (kind, member_doc) = self.define_kind(schema, at, rust)?;
        Ok(TypeDef {
            id,
            name: String::new(),
            // A struct's doc is built from its own description first (then its members'), with notes.
            doc: member_doc.or_else(|| doc_of(schema)),
            origin: at.to_owned(),
            deprecated: schema.schema_data.deprecated,
            kind,
        })
    }

    /// The kind of model a schema becomes, and a doc found in its `allOf` members.
    fn define_kind(
        &mut self,
        schema: &'d Schema,
        at: &str,
        rust: &str,
    ) -> Result<(TypeKind, Option<String>)> {
        let members = union_members(schema);
        if let Some(disc) = &schema.schema_data.discriminator {
            if let Some(kind) = self.tagged_union(disc, members, at)? {
                return Ok((kind, None));
            }
        }
        if let Some((members, keyword)) = members {
            if let [member] = members {
                // A union of one (Stripe's and Oxide's `anyOf: [$ref X]` next to `nullable`) is
                // that one type.
                let member_at = join(&join(at, keyword), "0");
                let ty = self.type_of(member.into(), &member_at, rust)?;
                return Ok((TypeKind::Alias(ty), None));
            }
            return Ok((self.untagged_union(members, keyword, at, rust)?, None));
        }
        if let Some(values) = string_enum_values(schema) {
            return Ok((TypeKind::StringEnum(string_enum(&values)), None));
        }
        if let Some(values) = int_enum_values(schema) {
            return Ok((TypeKind::IntEnum(int_enum(&values)), None));
        }
        match self.shape(schema) {
            Shape::Named => {
                let mut parts = ObjectParts::default();
                self.collect_object(schema, at, &mut parts, 0)?;
                let mut doc = parts.docs.first().or(parts.inherited_docs.first()).cloned();
                // openapiv3 drops `anyOf`/`oneOf` next to `type: object`: ask the raw document.
                let raw = self.doc.raw.pointer(at);
                let chooses = ["anyOf", "oneOf"]
                    .iter()
                    .any(|k| raw.and_then(|n| n.get(k)).is_some());
                if parts.constrained || chooses {
                    let note = "The document also says which combinations of these properties must be present; this type does not check that.";
                    doc = Some(match doc {
                        Some(doc) => format!("{}\n\n{note}", doc.trim_end()),
                        None => note.to_owned(),
                    });
                }
                Ok((TypeKind::Struct(self.build_struct(parts, rust)?), doc))
            }
            Shape::Plain => Ok((TypeKind::Alias(self.plain_type(schema, at, rust)?), None)),
        }
    }

    /// A union chosen by `disc`: over the mapping's targets (a parent schema's subtypes) and
    /// the `$ref` members of `oneOf`/`anyOf`. `None` when there is nothing to choose from, or
    /// when a member is inline (it has no name a tag could give).
    fn tagged_union(
        &mut self,
        disc: &'d Discriminator,
        members: Option<(&'d [ReferenceOr<Schema>], &'static str)>,
        at: &str,
    ) -> Result<Option<TypeKind>> {
        let own_name = at
            .strip_prefix("/components/schemas/")
            .map(crate::pointer::unescape);
        let mut entries: Vec<(String, Vec<String>)> = Vec::new();
        let mapping_at = join(&join(at, "discriminator"), "mapping");
        for (value, target) in &disc.mapping {
            let target_at = join(&mapping_at, value);
            let component = if target.starts_with('#') {
                self.component_name(target, &target_at, "schemas")?
            } else {
                target.clone()
            };
            if !self.components.schemas.contains_key(&component) {
                return Err(self.error(
                    &target_at,
                    format!("discriminator mapping {value:?} points at {target:?}, which is not a schema"),
                    Some("fix the mapping, or add the schema"),
                ));
            }
            if own_name.as_deref() == Some(component.as_str()) {
                continue;
            }
            match entries.iter_mut().find(|(c, _)| *c == component) {
                Some((_, values)) => values.push(value.clone()),
                None => entries.push((component, vec![value.clone()])),
            }
        }
        if let Some((members, keyword)) = members {
            for (index, member) in members.iter().enumerate() {
                let member_at = join(&join(at, keyword), &index.to_string());
                let ReferenceOr::Reference { reference } = member else {
                    return Ok(None);
                };
                let component = self.component_name(reference, &member_at, "schemas")?;
                if !entries.iter().any(|(c, _)| *c == component) {
                    // Without a mapping entry, the tag value is the schema's name.
                    entries.push((component.clone(), vec![component]));
                }
            }
        }
        if entries.is_empty() {
            return Ok(None);
        }
        let mut scope = variant_scope();
        let mut variants = Vec::new();
        for (component, tag_values) in entries {
            let ty = TypeRef::Named(self.component_type(&component, &mapping_at)?);
            let name = scope.claim(&names::camel(&component));
            variants.push(TaggedVariant {
                name,
                tag_values,
                ty,
            });
        }
        Ok(Some(TypeKind::TaggedUnion(TaggedUnion {
            tag: disc.property_name.clone(),
            variants,
            fallback: fallback_name(&mut scope),
        })))
    }

    /// A union without a discriminator.
    fn untagged_union(
        &mut self,
        members: &'d [ReferenceOr<Schema>],
        keyword: &str,
        at: &str,
        rust: &str,
    ) -> Result<TypeKind> {
        let mut scope = variant_scope();
        let mut variants = Vec::new();
        for (index, member) in members.iter().enumerate() {
            let member_at = join(&join(at, keyword), &index.to_string());
            let label = match member {
                ReferenceOr::Reference { reference } => {
                    let component = self.component_name(reference, &member_at, "schemas")?;
                    names::camel(&component)
                }
                ReferenceOr::Item(s) => match &s.schema_data.title {
                    Some(title) if !title.trim().is_empty() => names::camel(title),
                    _ => kind_label(s).to_owned(),
                },
            };
            let hint = format!("{rust}{label}");
            let ty = self.type_of(member.into(), &member_at, &hint)?;
            variants.push(UntaggedVariant {
                name: scope.claim(&label),
                ty,
                known_fields: Vec::new(),
            });
        }
        Ok(TypeKind::UntaggedUnion(UntaggedUnion {
            variants,
            fallback: fallback_name(&mut scope),
        }))
    }

    /// Boxes a reference to a type being defined right now (a cycle).
    /// Types that are not named models of their own.
    fn plain_type(&mut self, schema: &'d Schema, at: &str, hint: &str) -> Result<TypeRef> {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => Ok(match &s.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
                VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
                VariantOrUnknownOrEmpty::Item(StringFormat::Password) => TypeRef::Secret,
                _ => TypeRef::String,
            }),
            SchemaKind::Type(Type::Number(n)) => Ok(match n.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F32,
                _ => TypeRef::F64,
            }),
            SchemaKind::Type(Type::Integer(i)) => Ok(match i.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                _ => TypeRef::I64,
            }),
            SchemaKind::Type(Type::Boolean(_)) => Ok(TypeRef::Bool),
            SchemaKind::Type(Type::Array(a)) => self.array_type(a.items.as_ref(), at, hint),
            SchemaKind::Type(Type::Object(o)) => {
                self.map_type(o.additional_properties.as_ref(), at, hint)
            }
            SchemaKind::AllOf { all_of } => self.single_ref_type(all_of, at, hint),
            SchemaKind::Any(a) => self.any_type(a, at, hint),
            // Unions are named types (see `shape`); an empty one says nothing.
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => Ok(TypeRef::Value),
            SchemaKind::Not { .. } => Err(self.unsupported(at, "not")),
        }
    }

    fn unsupported(&self, at: &str, what: &str) -> crate::error::Error {
        self.error(
            at,
            format!("`{what}` schemas are not supported"),
            Some("okgen supports objects, arrays, maps, allOf, oneOf, anyOf, enums and primitive types; narrow the schema with an overlay"),
        )
    }

    fn array_type(
        &mut self,
        items: Option<&'d ReferenceOr<Box<Schema>>>,
        at: &str,
        hint: &str,
    ) -> Result<TypeRef> {
        let item = match items {
            Some(items) => {
                let item_hint = names::singular(hint).unwrap_or_else(|| format!("{hint}Item"));
                let items_at = join(at, "items");
                let item = self.container_type_of(items.into(), &items_at, &item_hint)?;
                or_null(item, &self.doc.raw, &items_at)
            }
            None => TypeRef::Value,
        };
        Ok(TypeRef::Vec(Box::new(item)))
    }

    fn map_type(
        &mut self,
        additional: Option<&'d AdditionalProperties>,
        at: &str,
        hint: &str,
    ) -> Result<TypeRef> {
        match additional {
            Some(AdditionalProperties::Schema(s)) => {
                let value_at = join(at, "additionalProperties");
                let value =
                    self.container_type_of((&**s).into(), &value_at, &format!("{hint}Value"))?;
                Ok(TypeRef::Map(Box::new(or_null(
                    value,
                    &self.doc.raw,
                    &value_at,
                ))))
            }
            // A free-form object.
            _ => Ok(TypeRef::Value),
        }
    }

    /// The type of an `allOf` whose shape is plain: that of its one shaping member (see
    /// [`Self::all_of_shape`]), or any JSON when no member says anything about the shape.
    fn single_ref_type(
        &mut self,
        all_of: &'d [ReferenceOr<Schema>],
        at: &str,
        hint: &str,
    ) -> Result<TypeRef> {
        let members = shaping_members(all_of);
        // One member, or only scalars: the first `$ref` among them (a named enum is more
        // specific than the inline `type: string` next to it), else the first member.
        let chosen = match members[..] {
            [one] => Some(one),
            _ if members.iter().all(|(_, m)| self.is_scalar(m)) => members
                .iter()
                .find(|(_, m)| matches!(m, ReferenceOr::Reference { .. }))
                .or(members.first())
                .copied(),
            _ => None,
        };
        match chosen {
            Some((index, member)) => self.type_of(
                member.into(),
                &join(&join(at, "allOf"), &index.to_string()),
                hint,
            ),
            None => Ok(TypeRef::Value),
        }
    }

    /// Schemas openapiv3 could not classify (no `type`, or mixed keywords).
    fn any_type(&mut self, a: &'d AnySchema, at: &str, hint: &str) -> Result<TypeRef> {
        if a.not.is_some() {
            return Err(self.unsupported(at, "not"));
        }
        if !a.all_of.is_empty() {
            return self.single_ref_type(&a.all_of, at, hint);
        }
        let typ = a.typ.as_deref().or_else(|| {
            let first = a.enumeration.first()?;
            Some(match first {
                serde_json::Value::Bool(_) => "boolean",
                serde_json::Value::Number(n) if n.is_i64() => "integer",
                serde_json::Value::Number(_) => "number",
                serde_json::Value::String(_) => "string",
                _ => return None,
            })
        });
        match typ {
            Some("string") => Ok(match a.format.as_deref() {
                Some("date-time") => TypeRef::DateTime,
                Some("date") => TypeRef::Date,
                Some("password") => TypeRef::Secret,
                _ => TypeRef::String,
            }),
            Some("integer") => Ok(match a.format.as_deref() {
                Some("int32") => TypeRef::I32,
                _ => TypeRef::I64,
            }),
            Some("number") => Ok(match a.format.as_deref() {
                Some("float") => TypeRef::F32,
                _ => TypeRef::F64,
            }),
            Some("boolean") => Ok(TypeRef::Bool),
            Some("array") => self.array_type(a.items.as_ref(), at, hint),
            Some("object") | None if a.items.is_none() => {
                self.map_type(a.additional_properties.as_ref(), at, hint)
            }
            None => self.array_type(a.items.as_ref(), at, hint),
            Some("object") => Err(self.error(
                &join(at, "items"),
                "`type: object` with `items`: an object has properties, not items",
                Some("write `type: array` if the value is a list, or remove `items`"),
            )),
            Some(other) => Err(self.error(
                &join(at, "type"),
                format!("unknown schema type {other:?}"),
                Some("OpenAPI 3.0 types are string, number, integer, boolean, array and object"),
            )),
        }
    }

    /// Gathers the properties of an object schema, merging `allOf` members.
    fn collect_object(
        &self,
        schema: &'d Schema,
        at: &str,
        parts: &mut ObjectParts<'d>,
        depth: usize,
    ) -> Result<()> {
        if depth > 32 {
            return Err(self.error(at, "allOf nesting deeper than 32 levels (a cycle?)", None));
        }
        if let Some(doc) = doc_of(schema) {
            parts.docs.push(doc);
        }
        let (properties, required, additional, all_of) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => (
                Some(&o.properties),
                &o.required[..],
                o.additional_properties.as_ref(),
                &[][..],
            ),
            SchemaKind::Any(a) => (
                Some(&a.properties),
                &a.required[..],
                a.additional_properties.as_ref(),
                &a.all_of[..],
            ),
            SchemaKind::AllOf { all_of } => (None, &[][..], None, &all_of[..]),
            _ => {
                return Err(self.error(
                    at,
                    "an allOf member must be an object schema",
                    Some("only objects can be merged into one struct"),
                ))
            }
        };
        for (index, member) in all_of.iter().enumerate() {
            let member_at = join(&join(at, "allOf"), &index.to_string());
            let referenced = matches!(member, ReferenceOr::Reference { .. });
            let (member, member_at) = match member {
                ReferenceOr::Item(s) => (s, member_at),
                ReferenceOr::Reference { .. } => {
                    self.resolve(member, &member_at, "schemas", &self.components.schemas)?
                }
            };
            if only_chooses(member) {
                parts.constrained = true;
                continue;
            }
            // A referenced member is collected once and its parts reused wherever it is merged
            // again: `S1: allOf [S2, S2]`, `S2: allOf [S3, S3]`, … stays linear, not 2^depth.
            let cached = self.parts_cache.borrow().get(&member_at).cloned();
            let member_parts = match cached {
                Some(p) => p,
                None => {
                    let mut fresh = ObjectParts::default();
                    self.collect_object(member, &member_at, &mut fresh, depth + 1)?;
                    let fresh = std::rc::Rc::new(fresh);
                    if referenced {
                        self.parts_cache
                            .borrow_mut()
                            .insert(member_at.clone(), fresh.clone());
                    }
                    fresh
                }
            };
            merge_parts(parts, &member_parts, referenced);
        }
        if let Some(properties) = properties {
            for (name, prop) in properties {
                let prop_at = join(&join(at, "properties"), name);
                parts.props.retain(|(n, _, _)| n != name);
                parts.props.push((name.clone(), prop.into(), prop_at));
            }
        }
        parts.required.extend(required.iter().cloned());
        if let Some(additional) = additional {
            parts.additional = Some((additional, join(at, "additionalProperties")));
        }
        Ok(())
    }

    fn build_struct(&mut self, parts: ObjectParts<'d>, type_name: &str) -> Result<Struct> {
        let mut scope = Scope::with_taken(reserved::STRUCT_FIELDS.iter().copied());
        let mut fields = Vec::new();
        for (json_name, schema, at) in parts.props {
            let hint = format!("{type_name}{}", names::camel(&json_name));
            let ty = self.type_of(schema, &at, &hint);
            let kept = "the property is kept as untyped JSON (`serde_json::Value`)";
            let ty = self
                .diagnostics
                .recover(ty, kept)?
                .unwrap_or(TypeRef::Value);
            let (doc, data) = match schema {
                SchemaRef::Inline(s) => (property_doc(s), Some(s.schema_data.clone())),
                // OpenAPI 3.0 says keywords next to a `$ref` are ignored, and openapiv3 drops
                // them; Okta's document relies on them (`readOnly`, `description`), and so does
                // the validator, so they are read from the raw document.
                SchemaRef::Ref(_) => {
                    let siblings = ref_siblings(&self.doc.raw, &at);
                    (siblings.description.clone(), Some(siblings))
                }
            };
            let data = data.as_ref();
            let read_only = data.is_some_and(|d| d.read_only);
            let write_only = data.is_some_and(|d| d.write_only);
            let nullable = data.is_some_and(|d| d.nullable) || accepts_null(&self.doc.raw, &at);
            // A required string that cannot be null is taken by `Into<String>`; any other
            // field as its type (`Option<T>` when it may be null).
            let argument = if ty == TypeRef::String && !nullable {
                Argument::Into
            } else {
                Argument::AsIs
            };
            fields.push(Field {
                name: scope.claim(&names::snake(&json_name)),
                argument,
                required: parts.required.contains(&json_name) && !read_only && !write_only,
                // Decided once every type is lowered, from what responses reach.
                may_be_absent: false,
                json_name,
                ty,
                nullable,
                doc,
                default: data.and_then(|d| d.default.clone()),
                read_only,
                write_only,
                deprecated: data.is_some_and(|d| d.deprecated),
            });
        }
        let additional = match parts.additional {
            Some((AdditionalProperties::Any(false), _)) => Additional::Deny,
            Some((AdditionalProperties::Schema(s), at)) => {
                let ty =
                    self.container_type_of((&**s).into(), &at, &format!("{type_name}Value"))?;
                Additional::Typed {
                    field: reserved::EXTRA_PROPERTIES.to_owned(),
                    ty: or_null(ty, &self.doc.raw, &at),
                }
            }
            _ => Additional::Keep {
                field: reserved::EXTRA_PROPERTIES.to_owned(),
            },
        };
        Ok(Struct { fields, additional })
    }
}

/// `Option<ty>` when the schema at `at` accepts `null`.
fn or_null(ty: TypeRef, raw: &serde_json::Value, at: &str) -> TypeRef {
    if accepts_null(raw, at) && ty != TypeRef::Value {
        TypeRef::Option(Box::new(ty))
    } else {
        ty
    }
}

/// Whether the schema at `at` in the raw document accepts `null`: `nullable: true` on it, on
/// the schema a `$ref` names (through chains), or on an `allOf` member; `null` among its `enum`
/// values; `type: "null"`. Iterative and bounded: a hostile chain of `$ref`s costs at most
/// `LIMIT` steps.
pub(crate) fn accepts_null(raw: &serde_json::Value, at: &str) -> bool {
    const LIMIT: usize = 256;
    let mut pending: Vec<&serde_json::Value> = raw.pointer(at).into_iter().collect();
    let mut steps = 0;
    while let Some(node) = pending.pop() {
        steps += 1;
        if steps > LIMIT {
            return false;
        }
        if node.get("nullable").and_then(serde_json::Value::as_bool) == Some(true)
            || node.get("type").and_then(serde_json::Value::as_str) == Some("null")
            || node
                .get("enum")
                .and_then(serde_json::Value::as_array)
                .is_some_and(|values| values.iter().any(serde_json::Value::is_null))
        {
            return true;
        }
        if let Some(target) = node
            .get("$ref")
            .and_then(serde_json::Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|p| raw.pointer(p))
        {
            pending.push(target);
        }
        if let Some(members) = node.get("allOf").and_then(serde_json::Value::as_array) {
            pending.extend(members);
        }
    }
    false
}

/// The members of `allOf` that say something about the shape of a value: not those that only
/// document, nor those that only constrain which properties are present.
fn shaping_members(all_of: &[ReferenceOr<Schema>]) -> Vec<(usize, &ReferenceOr<Schema>)> {
    all_of
        .iter()
        .enumerate()
        .filter(|(_, m)| match m {
            ReferenceOr::Reference { .. } => true,
            ReferenceOr::Item(s) => !is_doc_only(s) && !only_chooses(s),
        })
        .collect()
}

/// A constraint that only chooses among combinations of properties (`anyOf`/`oneOf`/`not` of
/// `required` lists): it cannot be typed and is ignored. A member with a `required` list of its
/// own does change the type (those fields become required), so it is not one of these.
fn only_chooses(s: &Schema) -> bool {
    is_constraint_only(s)
        && match &s.schema_kind {
            SchemaKind::Any(a) => a.required.is_empty(),
            _ => true,
        }
}

/// A schema that only constrains an object's properties (`required`, counts, and `anyOf`/
/// `oneOf`/`allOf`/`not` of such schemas) and says nothing of the shape of a value: Okta's and
/// GitHub's "one of these properties must be present". Ignored for typing (and documented).
/// Nesting deeper than a few levels is not looked into (it counts as shaping).
fn is_constraint_only(s: &Schema) -> bool {
    fn members_constrain(members: &[ReferenceOr<Schema>], depth: usize) -> bool {
        !members.is_empty()
            && members.iter().all(|m| match m {
                ReferenceOr::Item(s) => constrains(s, depth + 1),
                ReferenceOr::Reference { .. } => false,
            })
    }
    fn constrains(s: &Schema, depth: usize) -> bool {
        if depth > 4 || s.schema_data.discriminator.is_some() {
            return false;
        }
        match &s.schema_kind {
            SchemaKind::Any(a) => {
                let own = a.typ.is_none()
                    && a.properties.is_empty()
                    && a.items.is_none()
                    && a.additional_properties.is_none()
                    && a.enumeration.is_empty()
                    && a.format.is_none()
                    && a.pattern.is_none();
                let nested = [&a.all_of, &a.any_of, &a.one_of]
                    .iter()
                    .all(|m| m.is_empty() || members_constrain(m, depth));
                let not = match &a.not {
                    None => true,
                    Some(n) => match &**n {
                        ReferenceOr::Item(n) => constrains(n, depth + 1),
                        ReferenceOr::Reference { .. } => false,
                    },
                };
                own && nested && not
            }
            SchemaKind::AllOf { all_of: m }
            | SchemaKind::AnyOf { any_of: m }
            | SchemaKind::OneOf { one_of: m } => members_constrain(m, depth),
            SchemaKind::Not { not } => match &**not {
                ReferenceOr::Item(n) => constrains(n, depth + 1),
                ReferenceOr::Reference { .. } => false,
            },
            SchemaKind::Type(_) => false,
        }
    }
    !is_doc_only(s) && constrains(s, 0)
}

/// Where `allOf` is one `$ref` plus members that only carry documentation, the index and target
/// of that `$ref`.
fn single_ref(all_of: &[ReferenceOr<Schema>]) -> Option<(usize, &str)> {
    let mut found = None;
    for (index, member) in all_of.iter().enumerate() {
        match member {
            ReferenceOr::Reference { reference } => {
                if found.is_some() {
                    return None;
                }
                found = Some((index, reference.as_str()));
            }
            ReferenceOr::Item(s) if is_doc_only(s) => {}
            ReferenceOr::Item(_) => return None,
        }
    }
    found
}

/// A schema that says nothing about the shape of a value, only documents it.
fn is_doc_only(s: &Schema) -> bool {
    matches!(&s.schema_kind, SchemaKind::Any(a) if *a == AnySchema::default())
}

/// The doc text of a schema: its description, else its title.
fn doc_of(s: &Schema) -> Option<String> {
    s.schema_data
        .description
        .clone()
        .or_else(|| s.schema_data.title.clone())
        .filter(|d| !d.trim().is_empty())
}

/// The doc of a property: its own, or that of a documentation-only `allOf` member.
fn property_doc(s: &Schema) -> Option<String> {
    doc_of(s).or_else(|| match &s.schema_kind {
        SchemaKind::AllOf { all_of } => all_of.iter().find_map(|m| match m {
            ReferenceOr::Item(m) if is_doc_only(m) => doc_of(m),
            _ => None,
        }),
        _ => None,
    })
}

/// The keywords next to a `$ref` at `at` in the raw document (`readOnly`, `writeOnly`,
/// `nullable`, `deprecated`, `description`, `default`). `readOnly` and `writeOnly` also count
/// when the referenced schema (through a chain of `$ref`s) declares them.
fn ref_siblings(raw: &serde_json::Value, at: &str) -> openapiv3::SchemaData {
    let node = raw.pointer(at);
    let flag = |key: &str| {
        node.and_then(|n| n.get(key))
            .and_then(serde_json::Value::as_bool)
            == Some(true)
    };
    let in_chain = |key: &str| {
        let mut here = node;
        for _ in 0..16 {
            let Some(n) = here else { return false };
            if n.get(key).and_then(serde_json::Value::as_bool) == Some(true) {
                return true;
            }
            here = n
                .get("$ref")
                .and_then(serde_json::Value::as_str)
                .and_then(|r| r.strip_prefix('#'))
                .and_then(|p| raw.pointer(p));
        }
        false
    };
    openapiv3::SchemaData {
        read_only: in_chain("readOnly"),
        write_only: in_chain("writeOnly"),
        nullable: flag("nullable"),
        deprecated: flag("deprecated"),
        description: node
            .and_then(|n| n.get("description"))
            .and_then(serde_json::Value::as_str)
            .filter(|d| !d.trim().is_empty())
            .map(str::to_owned),
        default: node.and_then(|n| n.get("default")).cloned(),
        ..Default::default()
    }
}

/// The members of a `oneOf`/`anyOf`, and which keyword holds them.
fn union_members(s: &Schema) -> Option<(&[ReferenceOr<Schema>], &'static str)> {
    let members = union_members_as_written(s)?;
    let constrains_only = members.0.iter().all(|m| match m {
        ReferenceOr::Item(m) => is_constraint_only(m) || is_doc_only(m),
        ReferenceOr::Reference { .. } => false,
    });
    (!constrains_only).then_some(members)
}

fn union_members_as_written(s: &Schema) -> Option<(&[ReferenceOr<Schema>], &'static str)> {
    match &s.schema_kind {
        SchemaKind::OneOf { one_of } if !one_of.is_empty() => Some((one_of, "oneOf")),
        SchemaKind::AnyOf { any_of } if !any_of.is_empty() => Some((any_of, "anyOf")),
        SchemaKind::Any(a) if !a.one_of.is_empty() => Some((&a.one_of, "oneOf")),
        SchemaKind::Any(a) if !a.any_of.is_empty() => Some((&a.any_of, "anyOf")),
        _ => None,
    }
}

/// The values of a string enum (`type: string`, or no type and only string values).
fn string_enum_values(s: &Schema) -> Option<Vec<String>> {
    // `enum: [null]` names no value: it is no enum (the field accepts null, see accepts_null).
    string_enum_values_as_written(s).filter(|values| !values.is_empty())
}

fn string_enum_values_as_written(s: &Schema) -> Option<Vec<String>> {
    match &s.schema_kind {
        SchemaKind::Type(Type::String(t)) if !t.enumeration.is_empty() => {
            Some(t.enumeration.iter().flatten().cloned().collect())
        }
        SchemaKind::Any(a)
            if !a.enumeration.is_empty()
                && matches!(a.typ.as_deref(), None | Some("string"))
                && a.enumeration.iter().all(|v| v.is_string() || v.is_null()) =>
        {
            Some(
                a.enumeration
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect(),
            )
        }
        _ => None,
    }
}

/// The values of an integer enum.
fn int_enum_values(s: &Schema) -> Option<Vec<i64>> {
    int_enum_values_as_written(s).filter(|values| !values.is_empty())
}

fn int_enum_values_as_written(s: &Schema) -> Option<Vec<i64>> {
    match &s.schema_kind {
        SchemaKind::Type(Type::Integer(t)) if !t.enumeration.is_empty() => {
            Some(t.enumeration.iter().flatten().copied().collect())
        }
        SchemaKind::Any(a)
            if !a.enumeration.is_empty()
                && matches!(a.typ.as_deref(), None | Some("integer"))
                && a.enumeration.iter().all(|v| v.is_i64() || v.is_null()) =>
        {
            Some(
                a.enumeration
                    .iter()
                    .filter_map(serde_json::Value::as_i64)
                    .collect(),
            )
        }
        _ => None,
    }
}

/// A variant name for an inline union member without a title.
fn kind_label(s: &Schema) -> &'static str {
    match &s.schema_kind {
        SchemaKind::Type(Type::String(t)) => match &t.format {
            VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => "DateTime",
            VariantOrUnknownOrEmpty::Item(StringFormat::Date) => "Date",
            _ => "String",
        },
        SchemaKind::Type(Type::Integer(_)) => "Integer",
        SchemaKind::Type(Type::Number(_)) => "Number",
        SchemaKind::Type(Type::Boolean(_)) => "Boolean",
        SchemaKind::Type(Type::Array(_)) => "Array",
        SchemaKind::Type(Type::Object(_)) => "Object",
        SchemaKind::Any(a) => match a.typ.as_deref() {
            Some("string") => "String",
            Some("integer") => "Integer",
            Some("number") => "Number",
            Some("boolean") => "Boolean",
            Some("array") => "Array",
            _ if !a.properties.is_empty() => "Object",
            _ => "Value",
        },
        _ => "Value",
    }
}

/// A scope for the variants of an enum or union: around its associated items.
fn variant_scope() -> Scope {
    Scope::with_taken(reserved::VARIANTS.iter().copied())
}

/// The fallback variant's name: `Unknown` unless a known value took it.
fn fallback_name(scope: &mut Scope) -> String {
    if scope.contains("Unknown") {
        scope.claim("UnknownValue")
    } else {
        scope.claim("Unknown")
    }
}

fn int_enum(values: &[i64]) -> IntEnum {
    let mut scope = variant_scope();
    let mut seen = BTreeSet::new();
    let mut variants = Vec::new();
    for &value in values {
        if !seen.insert(value) {
            continue;
        }
        let base = if value < 0 {
            format!("Minus{}", value.unsigned_abs())
        } else {
            format!("V{value}")
        };
        variants.push(IntVariant {
            name: scope.claim(&base),
            value,
        });
    }
    IntEnum {
        variants,
        fallback: fallback_name(&mut scope),
    }
}

fn string_enum(values: &[String]) -> StringEnum {
    let mut scope = variant_scope();
    let mut seen = BTreeSet::new();
    let mut variants = Vec::new();
    for value in values {
        if !seen.insert(value.clone()) {
            continue;
        }
        let base = if value.is_empty() {
            "Empty".to_owned()
        } else {
            names::camel(value)
        };
        variants.push(Variant {
            name: scope.claim(&base),
            value: value.clone(),
        });
    }
    StringEnum {
        variants,
        fallback: fallback_name(&mut scope),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_variants_are_unique_and_the_fallback_never_collides() {
        let e = string_enum(&[
            "security_key".into(),
            "SECURITY_KEY".into(),
            "unknown".into(),
            "".into(),
            "security_key".into(),
        ]);
        let names: Vec<_> = e.variants.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["SecurityKey", "SecurityKey2", "Unknown", "Empty"]);
        assert_eq!(e.fallback, "UnknownValue");
    }
}
