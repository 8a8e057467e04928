//! Validating a JSON value against an OpenAPI 3.0 Schema Object of a loaded document, reporting
//! every mismatch with a JSON pointer into the value and one into the document.
//!
//! The rules are those of the OpenAPI 3.0.3 Schema Object (a subset of JSON Schema
//! draft-wright-00 plus `nullable`), read on the raw document ([`Document::raw`]):
//!
//! * `$ref`: local references (`#/...`, percent-decoded) anywhere in the document, chains of
//!   them too. As OpenAPI 3.0 says, keywords next to a `$ref` are ignored. External references
//!   are reported, not fetched. A schema that reaches itself again without consuming any of the
//!   value (`A: {$ref: B}`, `B: {allOf: [{$ref: A}]}`) is reported once and cut there; a
//!   recursive data structure (a tree whose children are trees) is fine, the value being finite.
//!   As a backstop, more than [`MAX_NESTING`] schemas entered on one spot of the value, or a
//!   validation deeper than [`MAX_DEPTH`] schemas, is cut and reported too.
//! * `type` (`integer` is a number without a fractional part, `1.0` included), `nullable`
//!   (`null` is accepted by a schema with `nullable: true` whatever its other keywords say, as
//!   generators read it (an `Option`); it is rejected by a schema that declares a `type` without
//!   `nullable: true`; a schema without `type` accepts any type), `enum` (compared as JSON, `1`
//!   equals `1.0`), `format` (see below).
//! * strings: `minLength`/`maxLength` in characters (Unicode scalar values). **`pattern` is not
//!   checked**: that would need a regular expression engine, and okgen has no regex dependency.
//! * numbers: `minimum`/`maximum` with the boolean `exclusiveMinimum`/`exclusiveMaximum` of
//!   OpenAPI 3.0, `multipleOf` (exact for integers, with a rounding tolerance otherwise).
//! * arrays: `items`, `minItems`/`maxItems`, `uniqueItems`.
//! * objects: `properties`, `required`, `additionalProperties` (absent or `true`: anything;
//!   `false`: no property beyond `properties`; a schema: each extra property must match it),
//!   `minProperties`/`maxProperties`.
//! * `allOf` (every member), `anyOf` (at least one), `oneOf` (exactly one: "matches none" or
//!   "matches several: i, j"), `not`. Each member is validated once per spot of the value (results
//!   are memoised), so nested combinators cannot blow up exponentially.
//! * `discriminator`, next to `oneOf`/`anyOf`, when the value is an object whose discriminating
//!   property is a string: the value is validated against the schema that tag selects, and only
//!   that one: `mapping[tag]` (a `#/...` reference or a bare schema name), else the member of
//!   `oneOf`/`anyOf` that is a `$ref` to `#/components/schemas/<tag>`. Any other tag is a
//!   mismatch. Without the property the `oneOf`/`anyOf` is evaluated as usual. The "parent lists
//!   its children, each child extends the parent with `allOf`" pattern is understood: reaching
//!   the parent again from the selected child is not a cycle.
//! * `readOnly`/`writeOnly`: with [`validate_as`], a required `readOnly` property may be missing
//!   from a request, and a required `writeOnly` one from a response ([`validate`] applies
//!   `required` as written). Presence is never an error: OpenAPI says such properties SHOULD NOT
//!   be sent, not that they must not. A property counts as `readOnly` when its schema, a schema
//!   its `$ref` chain leads to, or a keyword next to its `$ref` says so; only the `properties` of
//!   the schema that lists it as `required` are looked at.
//! * `format`: `date-time` (RFC 3339, offset required: `2025-05-28T19:21:14` is reported as
//!   lacking an offset, even though okgen's runtime accepts it leniently), `date`
//!   (`YYYY-MM-DD`), and the ranges of `int32` and `int64`. Other formats are not checked.
//!
//! Unknown keywords and `x-` extensions are ignored. A malformed schema (a keyword with a value of
//! the wrong kind) is skipped or reported, never a panic.

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde_json::{Map, Value};

use crate::load::Document;
use crate::pointer::join;

mod keywords;
mod message;

use keywords::{
    check_array, check_format, check_number, check_string, check_type, count_bounds, json_eq,
};
use message::{kind, list, none_of, preview, several};

/// How many schemas may be entered one inside another without consuming any of the value
/// (through `$ref`, `allOf`, `anyOf`, `oneOf`, `not`, `discriminator`) before validation is cut
/// there and reported.
pub const MAX_NESTING: usize = 64;

/// How many schemas may be entered one inside another in total (a limit on recursion, for
/// values nested very deeply) before validation is cut there and reported.
pub const MAX_DEPTH: usize = 512;

/// One way in which the value does not match the schema.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Mismatch {
    /// JSON pointer into the value (`""` is the value itself).
    pub instance: String,
    /// JSON pointer into the document: the keyword (or schema) that failed.
    pub schema: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.instance.is_empty() {
            "(root)"
        } else {
            &self.instance
        };
        write!(f, "{at}: {} (schema #{})", self.message, self.schema)
    }
}

/// Which way the value travels, for `readOnly` and `writeOnly`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Sent by the client: a required `readOnly` property may be missing.
    Request,
    /// Sent by the server: a required `writeOnly` property may be missing.
    Response,
}

/// Validates `value` against the schema at `schema_pointer` (a JSON pointer into `doc.raw`, with
/// or without a leading `#`), applying `required` as written. Returns every mismatch, in
/// document order, without duplicates; empty when the value matches.
pub fn validate(doc: &Document, schema_pointer: &str, value: &Value) -> Vec<Mismatch> {
    run(&doc.raw, schema_pointer, value, None)
}

/// Like [`validate`], for a value travelling in `direction`: `required` is relaxed for
/// `readOnly` properties in a request and for `writeOnly` ones in a response.
pub fn validate_as(
    doc: &Document,
    schema_pointer: &str,
    value: &Value,
    direction: Direction,
) -> Vec<Mismatch> {
    run(&doc.raw, schema_pointer, value, Some(direction))
}

fn run(
    raw: &Value,
    schema_pointer: &str,
    value: &Value,
    direction: Option<Direction>,
) -> Vec<Mismatch> {
    let start = if schema_pointer.starts_with('#') {
        local_pointer(schema_pointer).unwrap_or_else(|| schema_pointer.to_owned())
    } else {
        schema_pointer.to_owned()
    };
    let mut validator = Validator {
        raw,
        direction,
        stack: Vec::new(),
        on_stack: HashMap::new(),
        memo: HashMap::new(),
    };
    let mut found = validator.check(&start, value, "", Step::Consume);
    let mut seen = HashSet::new();
    found.retain(|m| seen.insert(m.clone()));
    found
}

/// How a schema is entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// On a part of the value (or the value itself at the start).
    Consume,
    /// On the same value (`$ref`, `allOf`, `anyOf`, `oneOf`, `not`).
    Nested,
    /// On the same value, chosen by a discriminator.
    Dispatch,
}

/// A schema being validated: where, and on which part of the value.
struct Frame {
    key: (String, String),
    /// Schemas entered on this same part of the value, this one included, minus one.
    fresh: usize,
    dispatched: bool,
    /// The result depends on the frames below (a cycle or a limit was cut): not memoised.
    tainted: bool,
}

struct Validator<'a> {
    raw: &'a Value,
    direction: Option<Direction>,
    stack: Vec<Frame>,
    on_stack: HashMap<(String, String), usize>,
    memo: HashMap<(String, String), Vec<Mismatch>>,
}

fn mismatch(instance: &str, schema: &str, message: impl Into<String>) -> Mismatch {
    Mismatch {
        instance: instance.to_owned(),
        schema: schema.to_owned(),
        message: message.into(),
    }
}

// The methods on the recursion path (`check`, `check_node`, `check_ref`, `check_children`,
// `check_combinators`, `discriminate`) keep few locals: everything else (messages, the keywords
// that do not recurse) is in separate functions, so that deep values fit on a thread's stack.
impl<'a> Validator<'a> {
    /// Validates `value` (at `inst` in the whole value) against the schema at `schema`.
    fn check(&mut self, schema: &str, value: &Value, inst: &str, step: Step) -> Vec<Mismatch> {
        let key = (schema.to_owned(), inst.to_owned());
        if let Some(done) = self.memo.get(&key) {
            return done.clone();
        }
        if let Err(cut) = self.enter(key, step) {
            return cut;
        }
        let mut out = Vec::new();
        self.check_node(schema, value, inst, &mut out);
        if let Some(frame) = self.stack.pop() {
            self.on_stack.remove(&frame.key);
            if !frame.tainted {
                self.memo.insert(frame.key, out.clone());
            }
        }
        out
    }

    /// Pushes a frame, or says why validation is cut here (a cycle, a limit).
    #[inline(never)]
    fn enter(&mut self, key: (String, String), step: Step) -> Result<(), Vec<Mismatch>> {
        let (schema, inst) = (&key.0, &key.1);
        if let Some(&at) = self.on_stack.get(&key) {
            let through_dispatch = step == Step::Dispatch
                || self.stack.iter().skip(at + 1).any(|frame| frame.dispatched);
            for frame in self.stack.iter_mut().skip(at + 1) {
                frame.tainted = true;
            }
            // A discriminated parent reached again from the child it selected: the outer
            // validation of this schema on this value covers it.
            if through_dispatch {
                return Err(Vec::new());
            }
            return Err(vec![mismatch(
                inst,
                schema,
                "$ref cycle: this schema is reached again from itself without consuming any of the value; validation is cut here",
            )]);
        }
        let fresh = match step {
            Step::Consume => 0,
            Step::Nested | Step::Dispatch => self.stack.last().map_or(0, |f| f.fresh + 1),
        };
        if fresh >= MAX_NESTING || self.stack.len() >= MAX_DEPTH {
            for frame in &mut self.stack {
                frame.tainted = true;
            }
            let message = if fresh >= MAX_NESTING {
                format!("more than {MAX_NESTING} schemas nested without consuming any of the value (a $ref cycle?); validation is cut here")
            } else {
                format!("more than {MAX_DEPTH} schemas deep (a very deeply nested value); validation is cut here")
            };
            return Err(vec![mismatch(inst, schema, message)]);
        }
        self.on_stack.insert(key.clone(), self.stack.len());
        self.stack.push(Frame {
            key,
            fresh,
            dispatched: step == Step::Dispatch,
            tainted: false,
        });
        Ok(())
    }

    fn check_node(&mut self, schema: &str, value: &Value, inst: &str, out: &mut Vec<Mismatch>) {
        let Some(map) = schema_object(self.raw, schema, inst, out) else {
            return;
        };
        if let Some(reference) = map.get("$ref") {
            self.check_ref(schema, reference, value, inst, out);
            return;
        }
        if value.is_null() && map.get("nullable") == Some(&Value::Bool(true)) {
            return;
        }
        self.check_leaf(schema, map, value, inst, out);
        self.check_children(schema, map, value, inst, out);
        self.check_combinators(schema, map, value, inst, out);
    }

    fn check_ref(
        &mut self,
        schema: &str,
        reference: &Value,
        value: &Value,
        inst: &str,
        out: &mut Vec<Mismatch>,
    ) {
        match ref_target(self.raw, schema, reference, inst) {
            Ok(target) => {
                let found = self.check(&target, value, inst, Step::Nested);
                out.extend(found);
            }
            Err(problem) => out.push(problem),
        }
    }

    /// The keywords that do not recurse.
    #[inline(never)]
    fn check_leaf(
        &self,
        schema: &str,
        map: &Map<String, Value>,
        value: &Value,
        inst: &str,
        out: &mut Vec<Mismatch>,
    ) {
        check_type(schema, map, value, inst, out);
        if let Some(Value::Array(options)) = map.get("enum") {
            if !options.iter().any(|option| json_eq(option, value)) {
                out.push(mismatch(
                    inst,
                    &join(schema, "enum"),
                    format!(
                        "{} is not one of the allowed values {}",
                        preview(value),
                        list(options)
                    ),
                ));
            }
        }
        check_format(schema, map, value, inst, out);
        match value {
            Value::String(s) => check_string(schema, map, s, inst, out),
            Value::Number(n) => check_number(schema, map, n, inst, out),
            Value::Array(items) => check_array(schema, map, items, inst, out),
            Value::Object(object) => self.check_object(schema, map, object, inst, out),
            Value::Null | Value::Bool(_) => {}
        }
    }

    /// `items`, `properties` and `additionalProperties` (as a schema).
    fn check_children(
        &mut self,
        schema: &str,
        map: &Map<String, Value>,
        value: &Value,
        inst: &str,
        out: &mut Vec<Mismatch>,
    ) {
        match value {
            Value::Array(items) => {
                if let Some(Value::Object(_) | Value::Bool(_)) = map.get("items") {
                    let items_at = join(schema, "items");
                    for (i, item) in items.iter().enumerate() {
                        let found =
                            self.check(&items_at, item, &join(inst, &i.to_string()), Step::Consume);
                        out.extend(found);
                    }
                }
            }
            Value::Object(object) => {
                let properties = map.get("properties").and_then(Value::as_object);
                if let Some(properties) = properties {
                    let properties_at = join(schema, "properties");
                    for (name, child) in properties
                        .keys()
                        .filter_map(|name| object.get(name).map(|child| (name, child)))
                    {
                        let found = self.check(
                            &join(&properties_at, name),
                            child,
                            &join(inst, name),
                            Step::Consume,
                        );
                        out.extend(found);
                    }
                }
                if let Some(Value::Object(_)) = map.get("additionalProperties") {
                    let additional_at = join(schema, "additionalProperties");
                    for (name, child) in object
                        .iter()
                        .filter(|(name, _)| !properties.is_some_and(|p| p.contains_key(*name)))
                    {
                        let found =
                            self.check(&additional_at, child, &join(inst, name), Step::Consume);
                        out.extend(found);
                    }
                }
            }
            _ => {}
        }
    }

    /// `minProperties`, `maxProperties`, `required`, `additionalProperties: false`.
    fn check_object(
        &self,
        schema: &str,
        map: &Map<String, Value>,
        object: &Map<String, Value>,
        inst: &str,
        out: &mut Vec<Mismatch>,
    ) {
        let len = object.len() as u64;
        count_bounds(
            schema,
            map,
            inst,
            len,
            ("minProperties", "maxProperties"),
            "properties",
            out,
        );
        let properties = map.get("properties").and_then(Value::as_object);
        let properties_at = join(schema, "properties");
        if let Some(Value::Array(required)) = map.get("required") {
            for name in required.iter().filter_map(Value::as_str) {
                if object.contains_key(name) || self.relaxed(&properties_at, properties, name) {
                    continue;
                }
                out.push(mismatch(
                    inst,
                    &join(schema, "required"),
                    format!("missing required property {name:?}"),
                ));
            }
        }
        if map.get("additionalProperties") == Some(&Value::Bool(false)) {
            let additional_at = join(schema, "additionalProperties");
            for name in object
                .keys()
                .filter(|name| !properties.is_some_and(|p| p.contains_key(*name)))
            {
                out.push(mismatch(
                    &join(inst, name),
                    &additional_at,
                    format!("property {name:?} is not allowed (additionalProperties: false)"),
                ));
            }
        }
    }

    /// Whether a missing required property is allowed by the direction: `readOnly` in a
    /// request, `writeOnly` in a response.
    fn relaxed(
        &self,
        properties_at: &str,
        properties: Option<&Map<String, Value>>,
        name: &str,
    ) -> bool {
        let flag = match self.direction {
            Some(Direction::Request) => "readOnly",
            Some(Direction::Response) => "writeOnly",
            None => return false,
        };
        if !properties.is_some_and(|p| p.contains_key(name)) {
            return false;
        }
        let mut here = join(properties_at, name);
        for _ in 0..MAX_NESTING {
            let Some(Value::Object(node)) = self.raw.pointer(&here) else {
                return false;
            };
            if node.get(flag) == Some(&Value::Bool(true)) {
                return true;
            }
            match node
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(local_pointer)
            {
                Some(next) => here = next,
                None => return false,
            }
        }
        false
    }

    fn check_combinators(
        &mut self,
        schema: &str,
        map: &Map<String, Value>,
        value: &Value,
        inst: &str,
        out: &mut Vec<Mismatch>,
    ) {
        if let Some(Value::Array(members)) = map.get("allOf") {
            let all_at = join(schema, "allOf");
            for i in 0..members.len() {
                let found = self.check(&join(&all_at, &i.to_string()), value, inst, Step::Nested);
                out.extend(found);
            }
        }
        if !self.discriminate(schema, map, value, inst, out) {
            if let Some(Value::Array(members)) = map.get("anyOf") {
                let any_at = join(schema, "anyOf");
                let mut failures = Vec::new();
                for i in 0..members.len() {
                    let found =
                        self.check(&join(&any_at, &i.to_string()), value, inst, Step::Nested);
                    if found.is_empty() {
                        failures.clear();
                        break;
                    }
                    failures.push((i, found));
                }
                if !failures.is_empty() {
                    out.push(none_of(inst, &any_at, "anyOf", &failures));
                }
            }
            if let Some(Value::Array(members)) = map.get("oneOf") {
                let one_at = join(schema, "oneOf");
                let mut failures = Vec::new();
                let mut matched = Vec::new();
                for i in 0..members.len() {
                    let found =
                        self.check(&join(&one_at, &i.to_string()), value, inst, Step::Nested);
                    if found.is_empty() {
                        matched.push(i);
                    } else {
                        failures.push((i, found));
                    }
                }
                if matched.is_empty() && !failures.is_empty() {
                    out.push(none_of(inst, &one_at, "oneOf", &failures));
                } else if matched.len() > 1 {
                    out.push(several(inst, &one_at, &matched));
                }
            }
        }
        if let Some(Value::Object(_) | Value::Bool(_)) = map.get("not") {
            let not_at = join(schema, "not");
            if self.check(&not_at, value, inst, Step::Nested).is_empty() {
                out.push(mismatch(
                    inst,
                    &not_at,
                    "matches the `not` schema, which it must not",
                ));
            }
        }
    }

    /// Applies a `discriminator` (next to `oneOf`/`anyOf`, on an object carrying the property
    /// as a string). Returns whether it did, in which case `oneOf`/`anyOf` are not evaluated.
    fn discriminate(
        &mut self,
        schema: &str,
        map: &Map<String, Value>,
        value: &Value,
        inst: &str,
        out: &mut Vec<Mismatch>,
    ) -> bool {
        match self.discriminated(schema, map, value, inst) {
            None => false,
            Some(Ok(target)) => {
                let found = self.check(&target, value, inst, Step::Dispatch);
                out.extend(found);
                true
            }
            Some(Err(problem)) => {
                out.push(problem);
                true
            }
        }
    }

    /// The schema a discriminator selects for `value`: `None` when no discriminator applies.
    #[inline(never)]
    fn discriminated(
        &self,
        schema: &str,
        map: &Map<String, Value>,
        value: &Value,
        inst: &str,
    ) -> Option<Result<String, Mismatch>> {
        let Some(Value::Object(discriminator)) = map.get("discriminator") else {
            return None;
        };
        let property = discriminator.get("propertyName").and_then(Value::as_str)?;
        let members: Vec<&Vec<Value>> = ["oneOf", "anyOf"]
            .into_iter()
            .filter_map(|k| map.get(k).and_then(Value::as_array))
            .collect();
        let tag = value
            .as_object()
            .and_then(|o| o.get(property))
            .and_then(Value::as_str)?;
        if members.is_empty() {
            // A parent whose subtypes extend it with `allOf`: a mapped tag selects the subtype
            // (which includes the parent, reached again without a second dispatch); a tag the
            // mapping does not name leaves the value a plain parent.
            discriminator
                .get("mapping")
                .and_then(Value::as_object)
                .and_then(|m| m.get(tag))?;
            let target = self.discriminator_target(discriminator, &members, tag);
            if target.as_deref() == Ok(schema) {
                return None;
            }
            return Some(target.map_err(|message| {
                mismatch(
                    &join(inst, property),
                    &join(schema, "discriminator"),
                    message,
                )
            }));
        }
        Some(
            self.discriminator_target(discriminator, &members, tag)
                .map_err(|message| {
                    mismatch(
                        &join(inst, property),
                        &join(schema, "discriminator"),
                        message,
                    )
                }),
        )
    }

    /// The schema a discriminator tag selects.
    fn discriminator_target(
        &self,
        discriminator: &Map<String, Value>,
        members: &[&Vec<Value>],
        tag: &str,
    ) -> Result<String, String> {
        let mapping = discriminator.get("mapping").and_then(Value::as_object);
        if let Some(mapped) = mapping.and_then(|m| m.get(tag)) {
            let Some(mapped) = mapped.as_str() else {
                return Err(format!(
                    "the discriminator mapping of {tag:?} is not a string"
                ));
            };
            let target = if mapped.starts_with('#') {
                local_pointer(mapped)
            } else if !mapped.contains('/') && !mapped.contains('#') {
                Some(join("/components/schemas", mapped))
            } else {
                None
            };
            return match target {
                Some(target) if self.raw.pointer(&target).is_some() => Ok(target),
                Some(_) => Err(format!(
                    "the discriminator maps {tag:?} to {mapped:?}, which does not exist"
                )),
                None => Err(format!(
                    "the discriminator maps {tag:?} to {mapped:?}, which is neither a local reference nor a schema name"
                )),
            };
        }
        // Implicit mapping: the tag is the name of a member schema.
        let implicit = join("/components/schemas", tag);
        let mut known: Vec<String> = mapping
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        for list in members {
            for member in list.iter() {
                let Some(target) = member
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(local_pointer)
                else {
                    continue;
                };
                if target == implicit {
                    return Ok(target);
                }
                if let Some(name) = target.strip_prefix("/components/schemas/") {
                    let name = crate::pointer::unescape(name);
                    if !known.contains(&name) {
                        known.push(name);
                    }
                }
            }
        }
        let known: Vec<String> = known.iter().map(|k| format!("{k:?}")).collect();
        Err(format!(
            "unknown discriminator value {tag:?}: expected one of {}",
            if known.is_empty() {
                "(none declared)".to_owned()
            } else {
                known.join(", ")
            }
        ))
    }
}

/// The Schema Object at `schema`, or why there is none.
#[inline(never)]
fn schema_object<'a>(
    raw: &'a Value,
    schema: &str,
    inst: &str,
    out: &mut Vec<Mismatch>,
) -> Option<&'a Map<String, Value>> {
    let problem = match raw.pointer(schema) {
        Some(Value::Object(map)) => return Some(map),
        Some(Value::Bool(true)) => return None,
        Some(Value::Bool(false)) => "the schema `false` accepts no value".to_owned(),
        Some(other) => format!("not a Schema Object (found {})", kind(other)),
        None => "no schema here: the pointer names nothing in the document".to_owned(),
    };
    out.push(mismatch(inst, schema, problem));
    None
}

/// Where a `$ref` (in the schema at `schema`) leads, or why it leads nowhere.
#[inline(never)]
fn ref_target(
    raw: &Value,
    schema: &str,
    reference: &Value,
    inst: &str,
) -> Result<String, Mismatch> {
    let at = join(schema, "$ref");
    let Some(reference) = reference.as_str() else {
        return Err(mismatch(inst, &at, "`$ref` must be a string"));
    };
    match local_pointer(reference) {
        None => Err(mismatch(
            inst,
            &at,
            format!("$ref {reference:?} is not a local reference (`#/...`): only references within the document are followed"),
        )),
        Some(target) if raw.pointer(&target).is_none() => Err(mismatch(
            inst,
            &at,
            format!("$ref {reference:?} points at nothing in the document"),
        )),
        Some(target) => Ok(target),
    }
}

/// The JSON pointer a local `$ref` (`#/...`, percent-encoded) names; `None` for anything else.
fn local_pointer(reference: &str) -> Option<String> {
    let fragment = reference.strip_prefix('#')?;
    let decoded = percent_decode(fragment);
    (decoded.is_empty() || decoded.starts_with('/')).then_some(decoded)
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_owned();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        let hex = |at: usize| b.get(at).and_then(|h| (*h as char).to_digit(16));
        match (c, hex(i + 1), hex(i + 2)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
}

#[cfg(test)]
mod tests;
