//! Schemas to model types.

use std::collections::BTreeSet;

use openapiv3::{
    AdditionalProperties, AnySchema, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::Lowering;
use crate::error::Result;
use crate::ir::{Additional, Field, StringEnum, Struct, TypeDef, TypeKind, TypeRef, Variant};
use crate::names::{self, Scope};
use crate::pointer::join;

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
struct ObjectParts<'d> {
    /// JSON name, schema, pointer. A later member overrides an earlier one of the same name.
    props: Vec<(String, SchemaRef<'d>, String)>,
    required: BTreeSet<String>,
    additional: Option<(&'d AdditionalProperties, String)>,
    docs: Vec<String>,
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
        match s {
            SchemaRef::Ref(reference) => {
                let name = self.component_name(reference, at, "schemas")?;
                Ok(TypeRef::Named(self.component_type(&name, at)?))
            }
            SchemaRef::Inline(schema) => self.inline_type(schema, at, hint),
        }
    }

    /// The Rust name of the model made from `components/schemas/<name>`, lowering it on first use.
    fn component_type(&mut self, name: &str, at: &str) -> Result<String> {
        let origin = join("/components/schemas", name);
        if let Some(rust) = self.by_origin.get(&origin) {
            return Ok(rust.clone());
        }
        let components = self.components;
        let (Some(item), Some(rust)) = (
            components.schemas.get(name),
            self.component_names.get(name).cloned(),
        ) else {
            return Err(self.error(
                &join(at, "$ref"),
                format!("$ref points at nothing: there is no `components/schemas/{name}`"),
                Some("fix the reference, or add the missing schema"),
            ));
        };
        self.begin(&origin, &rust);
        let def = match item {
            ReferenceOr::Reference { reference } => {
                let target = self.type_of(SchemaRef::Ref(reference), &origin, &rust)?;
                TypeDef {
                    name: rust.clone(),
                    doc: None,
                    origin: origin.clone(),
                    kind: TypeKind::Alias(target),
                }
            }
            ReferenceOr::Item(schema) => self.define(schema, &origin, &rust)?,
        };
        self.finish(def);
        Ok(rust)
    }

    fn begin(&mut self, origin: &str, rust: &str) {
        self.by_origin.insert(origin.to_owned(), rust.to_owned());
        self.in_progress.insert(rust.to_owned());
    }

    fn finish(&mut self, def: TypeDef) {
        self.in_progress.remove(&def.name);
        self.types.insert(def.name.clone(), def);
    }

    fn inline_type(&mut self, schema: &'d Schema, at: &str, hint: &str) -> Result<TypeRef> {
        match self.shape(schema) {
            Shape::Plain => self.plain_type(schema, at, hint),
            Shape::Named => {
                if let Some(rust) = self.by_origin.get(at) {
                    return Ok(TypeRef::Named(rust.clone()));
                }
                let rust = self.type_names.claim(&names::camel(hint));
                self.begin(at, &rust);
                let def = self.define(schema, at, &rust)?;
                self.finish(def);
                Ok(TypeRef::Named(rust))
            }
        }
    }

    fn shape(&self, schema: &Schema) -> Shape {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => Shape::Named,
            SchemaKind::Type(Type::Object(o)) if !o.properties.is_empty() => Shape::Named,
            SchemaKind::AllOf { all_of } if single_ref(all_of).is_none() => Shape::Named,
            SchemaKind::Any(a) if a.all_of.is_empty() && !a.properties.is_empty() => Shape::Named,
            SchemaKind::Any(a) if !a.all_of.is_empty() && single_ref(&a.all_of).is_none() => {
                Shape::Named
            }
            _ => Shape::Plain,
        }
    }

    /// Defines the model type `rust` from a schema.
    fn define(&mut self, schema: &'d Schema, at: &str, rust: &str) -> Result<TypeDef> {
        let doc = doc_of(schema);
        let kind = match (&schema.schema_kind, self.shape(schema)) {
            (SchemaKind::Type(Type::String(s)), Shape::Named) => {
                TypeKind::StringEnum(string_enum(&s.enumeration))
            }
            (_, Shape::Named) => {
                let mut parts = ObjectParts {
                    props: Vec::new(),
                    required: BTreeSet::new(),
                    additional: None,
                    docs: Vec::new(),
                };
                self.collect_object(schema, at, &mut parts, 0)?;
                let doc_from_members = parts.docs.first().cloned();
                let def = TypeDef {
                    name: rust.to_owned(),
                    doc: doc.or(doc_from_members),
                    origin: at.to_owned(),
                    kind: TypeKind::Struct(self.build_struct(parts, rust)?),
                };
                return Ok(def);
            }
            (_, Shape::Plain) => TypeKind::Alias(self.plain_type(schema, at, rust)?),
        };
        Ok(TypeDef {
            name: rust.to_owned(),
            doc,
            origin: at.to_owned(),
            kind,
        })
    }

    /// Types that are not named models of their own.
    fn plain_type(&mut self, schema: &'d Schema, at: &str, hint: &str) -> Result<TypeRef> {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => Ok(match &s.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
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
            SchemaKind::OneOf { .. } => Err(self.unsupported(at, "oneOf")),
            SchemaKind::AnyOf { .. } => Err(self.unsupported(at, "anyOf")),
            SchemaKind::Not { .. } => Err(self.unsupported(at, "not")),
        }
    }

    fn unsupported(&self, at: &str, what: &str) -> crate::error::Error {
        self.error(
            at,
            format!("`{what}` schemas are not supported"),
            Some("okgen supports objects, arrays, maps, allOf, string enums and primitive types; narrow the schema with an overlay"),
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
                let item_hint = match names::singular(hint) {
                    Some(s) => s.to_owned(),
                    None => format!("{hint}Item"),
                };
                self.type_of(items.into(), &join(at, "items"), &item_hint)?
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
                let value = self.type_of(
                    (&**s).into(),
                    &join(at, "additionalProperties"),
                    &format!("{hint}Value"),
                )?;
                Ok(TypeRef::Map(Box::new(value)))
            }
            // A free-form object.
            _ => Ok(TypeRef::Value),
        }
    }

    fn single_ref_type(
        &mut self,
        all_of: &'d [ReferenceOr<Schema>],
        at: &str,
        hint: &str,
    ) -> Result<TypeRef> {
        match single_ref(all_of) {
            Some((index, reference)) => self.type_of(
                SchemaRef::Ref(reference),
                &join(&join(at, "allOf"), &index.to_string()),
                hint,
            ),
            None => Ok(TypeRef::Value),
        }
    }

    /// Schemas openapiv3 could not classify (no `type`, or mixed keywords).
    fn any_type(&mut self, a: &'d AnySchema, at: &str, hint: &str) -> Result<TypeRef> {
        if !a.one_of.is_empty() {
            return Err(self.unsupported(at, "oneOf"));
        }
        if !a.any_of.is_empty() {
            return Err(self.unsupported(at, "anyOf"));
        }
        if a.not.is_some() {
            return Err(self.unsupported(at, "not"));
        }
        if !a.all_of.is_empty() {
            return self.single_ref_type(&a.all_of, at, hint);
        }
        match a.typ.as_deref() {
            Some("string") => Ok(match a.format.as_deref() {
                Some("date-time") => TypeRef::DateTime,
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
            let (member, member_at) = match member {
                ReferenceOr::Item(s) => (s, member_at),
                ReferenceOr::Reference { .. } => {
                    self.resolve(member, &member_at, "schemas", &self.components.schemas)?
                }
            };
            self.collect_object(member, &member_at, parts, depth + 1)?;
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
        let mut scope = Scope::default();
        let mut fields = Vec::new();
        for (json_name, schema, at) in parts.props {
            let hint = format!("{type_name}{}", names::camel(&json_name));
            let ty = self.type_of(schema, &at, &hint)?;
            let ty = match ty {
                TypeRef::Named(n) if self.in_progress.contains(&n) => {
                    TypeRef::Boxed(Box::new(TypeRef::Named(n)))
                }
                other => other,
            };
            let (doc, data) = match schema {
                SchemaRef::Inline(s) => (property_doc(s), Some(&s.schema_data)),
                SchemaRef::Ref(_) => (None, None),
            };
            let read_only = data.is_some_and(|d| d.read_only);
            let write_only = data.is_some_and(|d| d.write_only);
            fields.push(Field {
                name: scope.claim(&names::snake(&json_name)),
                required: parts.required.contains(&json_name) && !read_only && !write_only,
                json_name,
                ty,
                nullable: data.is_some_and(|d| d.nullable),
                doc,
                read_only,
                write_only,
                deprecated: data.is_some_and(|d| d.deprecated),
            });
        }
        let additional = match parts.additional {
            Some((AdditionalProperties::Any(false), _)) => Additional::Deny,
            Some((AdditionalProperties::Schema(s), at)) => Additional::Typed {
                field: scope.claim("additional_properties"),
                ty: self.type_of((&**s).into(), &at, &format!("{type_name}Value"))?,
            },
            _ => Additional::Keep {
                field: scope.claim("additional_properties"),
            },
        };
        Ok(Struct { fields, additional })
    }
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

fn string_enum(values: &[Option<String>]) -> StringEnum {
    let mut scope = Scope::default();
    let mut seen = BTreeSet::new();
    let mut variants = Vec::new();
    for value in values.iter().flatten() {
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
    let fallback = if scope.contains("Unknown") {
        scope.claim("UnknownValue")
    } else {
        scope.claim("Unknown")
    };
    StringEnum { variants, fallback }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_variants_are_unique_and_the_fallback_never_collides() {
        let e = string_enum(&[
            Some("security_key".into()),
            Some("SECURITY_KEY".into()),
            Some("unknown".into()),
            Some("".into()),
            None,
            Some("security_key".into()),
        ]);
        let names: Vec<_> = e.variants.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["SecurityKey", "SecurityKey2", "Unknown", "Empty"]);
        assert_eq!(e.fallback, "UnknownValue");
    }
}
