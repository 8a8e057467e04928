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

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::fmt;

use serde_json::{Map, Number, Value};

use crate::load::Document;
use crate::pointer::join;

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

#[inline(never)]
fn none_of(inst: &str, at: &str, keyword: &str, failures: &[(usize, Vec<Mismatch>)]) -> Mismatch {
    mismatch(
        inst,
        at,
        format!(
            "matches none of the {} {keyword} schemas ({})",
            failures.len(),
            summary(failures)
        ),
    )
}

#[inline(never)]
fn several(inst: &str, at: &str, matched: &[usize]) -> Mismatch {
    let which: Vec<String> = matched.iter().map(usize::to_string).collect();
    mismatch(
        inst,
        at,
        format!(
            "matches several oneOf schemas: {} (exactly one must match)",
            which.join(", ")
        ),
    )
}

/// `minItems`, `maxItems`, `uniqueItems`.
fn check_array(
    schema: &str,
    map: &Map<String, Value>,
    items: &[Value],
    inst: &str,
    out: &mut Vec<Mismatch>,
) {
    let len = items.len() as u64;
    count_bounds(
        schema,
        map,
        inst,
        len,
        ("minItems", "maxItems"),
        "items",
        out,
    );
    if map.get("uniqueItems") == Some(&Value::Bool(true)) {
        let mut first: HashMap<String, usize> = HashMap::new();
        for (i, item) in items.iter().enumerate() {
            let mut key = String::new();
            canonical(item, &mut key);
            if let Some(&j) = first.get(&key) {
                out.push(mismatch(
                    &join(inst, &i.to_string()),
                    &join(schema, "uniqueItems"),
                    format!("item {i} equals item {j}, but uniqueItems requires distinct items"),
                ));
            } else {
                first.insert(key, i);
            }
        }
    }
}

fn check_type(
    schema: &str,
    map: &Map<String, Value>,
    value: &Value,
    inst: &str,
    out: &mut Vec<Mismatch>,
) {
    let Some(declared) = map.get("type") else {
        return;
    };
    let at = join(schema, "type");
    let Some(name) = declared.as_str() else {
        out.push(mismatch(
            inst,
            &at,
            "`type` must be a string in OpenAPI 3.0",
        ));
        return;
    };
    let ok = match name {
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => matches!(value, Value::Number(n) if is_integral(n)),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        other => {
            out.push(mismatch(
                inst,
                &at,
                format!("unknown type {other:?} (OpenAPI 3.0 has string, number, integer, boolean, array and object)"),
            ));
            return;
        }
    };
    if ok {
        return;
    }
    let message = match value {
        Value::Null => format!("expected {name}, found null (the schema is not `nullable: true`)"),
        Value::Number(_) if name == "integer" => {
            format!(
                "expected integer, found number {} with a fractional part",
                preview(value)
            )
        }
        _ => format!("expected {name}, found {}", describe(value)),
    };
    out.push(mismatch(inst, &at, message));
}

fn check_format(
    schema: &str,
    map: &Map<String, Value>,
    value: &Value,
    inst: &str,
    out: &mut Vec<Mismatch>,
) {
    let Some(format) = map.get("format").and_then(Value::as_str) else {
        return;
    };
    let problem = match (format, value) {
        ("date-time", Value::String(s)) => check_date_time(s).err(),
        ("date", Value::String(s)) => check_date(s).err(),
        ("int32", Value::Number(n)) => check_int(n, "int32", i32::MIN.into(), i32::MAX.into()),
        ("int64", Value::Number(n)) => check_int(n, "int64", i64::MIN.into(), i64::MAX.into()),
        _ => None,
    };
    if let Some(message) = problem {
        out.push(mismatch(inst, &join(schema, "format"), message));
    }
}

/// `min…`/`max…` bounds on a count of `what` (properties, items, characters).
fn count_bounds(
    schema: &str,
    map: &Map<String, Value>,
    inst: &str,
    len: u64,
    (min_keyword, max_keyword): (&str, &str),
    what: &str,
    out: &mut Vec<Mismatch>,
) {
    if let Some(min) = count(map.get(min_keyword)) {
        if len < min {
            out.push(mismatch(
                inst,
                &join(schema, min_keyword),
                format!("{len} {what}, fewer than {min_keyword} {min}"),
            ));
        }
    }
    if let Some(max) = count(map.get(max_keyword)) {
        if len > max {
            out.push(mismatch(
                inst,
                &join(schema, max_keyword),
                format!("{len} {what}, more than {max_keyword} {max}"),
            ));
        }
    }
}

fn check_string(
    schema: &str,
    map: &Map<String, Value>,
    s: &str,
    inst: &str,
    out: &mut Vec<Mismatch>,
) {
    let len = s.chars().count() as u64;
    count_bounds(
        schema,
        map,
        inst,
        len,
        ("minLength", "maxLength"),
        "characters",
        out,
    );
    // `pattern` is deliberately not checked: there is no regular expression engine here.
}

fn check_number(
    schema: &str,
    map: &Map<String, Value>,
    n: &Number,
    inst: &str,
    out: &mut Vec<Mismatch>,
) {
    let v = num(n);
    if let Some(Value::Number(min)) = map.get("minimum") {
        let exclusive = map.get("exclusiveMinimum") == Some(&Value::Bool(true));
        match cmp_num(v, num(min)) {
            Some(Ordering::Less) => out.push(mismatch(
                inst,
                &join(schema, "minimum"),
                format!("{n} is less than the minimum {min}"),
            )),
            Some(Ordering::Equal) if exclusive => out.push(mismatch(
                inst,
                &join(schema, "exclusiveMinimum"),
                format!("{n} is not greater than the exclusive minimum {min}"),
            )),
            _ => {}
        }
    }
    if let Some(Value::Number(max)) = map.get("maximum") {
        let exclusive = map.get("exclusiveMaximum") == Some(&Value::Bool(true));
        match cmp_num(v, num(max)) {
            Some(Ordering::Greater) => out.push(mismatch(
                inst,
                &join(schema, "maximum"),
                format!("{n} is greater than the maximum {max}"),
            )),
            Some(Ordering::Equal) if exclusive => out.push(mismatch(
                inst,
                &join(schema, "exclusiveMaximum"),
                format!("{n} is not less than the exclusive maximum {max}"),
            )),
            _ => {}
        }
    }
    if let Some(Value::Number(divisor)) = map.get("multipleOf") {
        let ok = match (v, num(divisor)) {
            // Not a valid multipleOf (it must be > 0): ignored.
            (_, Num::Int(d)) if d <= 0 => true,
            (Num::Int(a), Num::Int(d)) => a % d == 0,
            (a, d) => {
                let d = d.as_f64();
                if d.is_nan() || d <= 0.0 {
                    true
                } else {
                    let q = a.as_f64() / d;
                    !q.is_finite() || (q - q.round()).abs() <= q.abs().max(1.0) * f64::EPSILON * 8.0
                }
            }
        };
        if !ok {
            out.push(mismatch(
                inst,
                &join(schema, "multipleOf"),
                format!("{n} is not a multiple of {divisor}"),
            ));
        }
    }
}

/// RFC 3339 `date-time`: `YYYY-MM-DDThh:mm:ss[.frac](Z|±hh:mm)`, `T` and `Z` in either case.
fn check_date_time(s: &str) -> Result<(), String> {
    let fail = |why: &str| {
        Err(format!(
            "{} is not an RFC 3339 date-time (format: date-time): {why}",
            preview_str(s)
        ))
    };
    let b = s.as_bytes();
    let Some(date) = b.get(..10) else {
        return fail("expected YYYY-MM-DDThh:mm:ss followed by `Z` or `±hh:mm`");
    };
    if let Err(why) = parse_date(date) {
        return fail(why);
    }
    match b.get(10) {
        Some(b'T' | b't') => {}
        Some(_) => return fail("expected `T` between the date and the time"),
        None => return fail("the time is missing"),
    }
    let rest = b.get(11..).unwrap_or_default();
    let [h1, h2, b':', m1, m2, b':', s1, s2, tail @ ..] = rest else {
        return fail("expected the time as hh:mm:ss");
    };
    match (two(*h1, *h2), two(*m1, *m2), two(*s1, *s2)) {
        (Some(h), Some(m), Some(sec)) if h <= 23 && m <= 59 && sec <= 60 => {}
        (Some(_), Some(_), Some(_)) => return fail("the time is out of range"),
        _ => return fail("expected the time as hh:mm:ss"),
    }
    let mut offset = tail;
    if let [b'.', fraction @ ..] = offset {
        let digits = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return fail("expected digits after the decimal point");
        }
        offset = fraction.get(digits..).unwrap_or_default();
    }
    match offset {
        [] => Err(format!(
            "{} lacks a UTC offset: an RFC 3339 date-time (format: date-time) must end in `Z` or `±hh:mm` (okgen's runtime accepts this form leniently; the schema does not)",
            preview_str(s)
        )),
        [b'Z' | b'z'] => Ok(()),
        [b'+' | b'-', h1, h2, b':', m1, m2] => match (two(*h1, *h2), two(*m1, *m2)) {
            (Some(h), Some(m)) if h <= 23 && m <= 59 => Ok(()),
            _ => fail("the UTC offset is out of range"),
        },
        _ => fail("the UTC offset must be `Z` or `±hh:mm`"),
    }
}

/// `full-date` of RFC 3339: `YYYY-MM-DD`.
fn check_date(s: &str) -> Result<(), String> {
    let result = if s.len() == 10 {
        parse_date(s.as_bytes())
    } else {
        Err("expected YYYY-MM-DD")
    };
    result.map_err(|why| format!("{} is not a date (format: date): {why}", preview_str(s)))
}

fn parse_date(b: &[u8]) -> Result<(), &'static str> {
    let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = b else {
        return Err("expected YYYY-MM-DD");
    };
    let (Some(hi), Some(lo), Some(month), Some(day)) =
        (two(*y1, *y2), two(*y3, *y4), two(*m1, *m2), two(*d1, *d2))
    else {
        return Err("expected YYYY-MM-DD");
    };
    let year = hi * 100 + lo;
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err("the month is out of range"),
    };
    if day == 0 || day > days {
        return Err("the day is out of range for the month");
    }
    Ok(())
}

fn two(a: u8, b: u8) -> Option<u32> {
    if a.is_ascii_digit() && b.is_ascii_digit() {
        Some(u32::from(a - b'0') * 10 + u32::from(b - b'0'))
    } else {
        None
    }
}

fn check_int(n: &Number, format: &str, lo: i128, hi: i128) -> Option<String> {
    match num(n) {
        Num::Int(i) if (lo..=hi).contains(&i) => None,
        Num::Int(_) => Some(format!(
            "{n} is out of range for format {format} ({lo}..={hi})"
        )),
        Num::Float(_) => Some(format!("{n} is not an integer (format {format})")),
    }
}

/// A JSON number, exact when it is an integer.
#[derive(Debug, Clone, Copy)]
enum Num {
    Int(i128),
    Float(f64),
}

impl Num {
    fn as_f64(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float(f) => f,
        }
    }
}

fn num(n: &Number) -> Num {
    if let Some(i) = n.as_i64() {
        Num::Int(i.into())
    } else if let Some(u) = n.as_u64() {
        Num::Int(u.into())
    } else {
        let f = n.as_f64().unwrap_or(f64::NAN);
        if f.fract() == 0.0 && f.abs() < 1e38 {
            Num::Int(f as i128)
        } else {
            Num::Float(f)
        }
    }
}

fn is_integral(n: &Number) -> bool {
    match num(n) {
        Num::Int(_) => true,
        Num::Float(f) => f.is_finite() && f.fract() == 0.0,
    }
}

fn cmp_num(a: Num, b: Num) -> Option<Ordering> {
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => Some(x.cmp(&y)),
        _ => a.as_f64().partial_cmp(&b.as_f64()),
    }
}

/// A non-negative integer keyword (`minLength`, `maxItems`, ...).
fn count(v: Option<&Value>) -> Option<u64> {
    let Some(Value::Number(n)) = v else {
        return None;
    };
    match num(n) {
        Num::Int(i) => u64::try_from(i).ok(),
        Num::Float(_) => None,
    }
}

/// JSON equality: numbers by value (`1` equals `1.0`), objects regardless of key order.
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => cmp_num(num(x), num(y)) == Some(Ordering::Equal),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_eq(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

/// A text equal for values that are [`json_eq`], for finding duplicates in one pass.
fn canonical(v: &Value, out: &mut String) {
    match v {
        Value::Number(n) => match num(n) {
            Num::Int(i) => out.push_str(&i.to_string()),
            Num::Float(f) => out.push_str(&format!("{f:?}")),
        },
        Value::Array(items) => {
            out.push('[');
            for item in items {
                canonical(item, out);
                out.push(',');
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (k, v) in entries {
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                canonical(v, out);
                out.push(',');
            }
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
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

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// What a value is, for messages: `number 14085551235`, `array of 3 items`.
fn describe(v: &Value) -> String {
    match v {
        Value::Array(items) => format!("array of {} items", items.len()),
        Value::Object(map) => format!("object with {} properties", map.len()),
        other => format!("{} {}", kind(other), preview(other)),
    }
}

const PREVIEW: usize = 60;

/// The value as JSON, shortened.
fn preview(v: &Value) -> String {
    let mut out = String::new();
    write_preview(v, &mut out);
    shorten(out)
}

/// Writes `v` as JSON, stopping early once well past [`PREVIEW`] (so that neither a huge nor a
/// deeply nested value is written out in full).
fn write_preview(v: &Value, out: &mut String) {
    const BUDGET: usize = PREVIEW * 4;
    match v {
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if out.len() > BUDGET {
                    return;
                }
                if i > 0 {
                    out.push(',');
                }
                write_preview(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if out.len() > BUDGET {
                    return;
                }
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&preview_str(key));
                out.push(':');
                write_preview(item, out);
            }
            out.push('}');
        }
        Value::String(s) => out.push_str(&preview_str(s)),
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// A string as JSON, shortened.
fn preview_str(s: &str) -> String {
    let head: String = s.chars().take(PREVIEW + 1).collect();
    shorten(Value::String(head).to_string())
}

fn shorten(text: String) -> String {
    shorten_to(&text, PREVIEW)
}

fn list(options: &[Value]) -> String {
    let shown: Vec<String> = options.iter().take(10).map(preview).collect();
    let more = options.len().saturating_sub(shown.len());
    if more == 0 {
        format!("[{}]", shown.join(", "))
    } else {
        format!("[{}, … ({more} more)]", shown.join(", "))
    }
}

/// The first mismatch of each failing member, for "matches none".
fn summary(failures: &[(usize, Vec<Mismatch>)]) -> String {
    let parts: Vec<String> = failures
        .iter()
        .map(|(i, found)| match found.first() {
            Some(first) => {
                let at = if first.instance.is_empty() {
                    "(root)"
                } else {
                    &first.instance
                };
                let more = if found.len() > 1 {
                    format!(" (+{} more)", found.len() - 1)
                } else {
                    String::new()
                };
                let text = shorten_to(&format!("{at}: {}", first.message), 160);
                format!("{i}: {text}{more}")
            }
            None => format!("{i}: ?"),
        })
        .collect();
    parts.join("; ")
}

fn shorten_to(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut short: String = text.chars().take(max).collect();
        short.push('…');
        short
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// Strips the common indentation of the non-empty lines.
    fn dedent(text: &str) -> String {
        let indent = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.len() - l.trim_start().len())
            .min()
            .unwrap_or(0);
        text.lines()
            .map(|l| l.get(indent..).unwrap_or("").trim_end())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// A minimal document with `schemas` (YAML, any common indentation) under
    /// `components/schemas` and `extra` (YAML) under `components/x-odd`, where the typed reader
    /// does not look.
    fn doc_with(schemas: &str, extra: &str) -> Document {
        let indent = |text: &str, by: &str| -> String {
            dedent(text).lines().map(|l| format!("{by}{l}\n")).collect()
        };
        let text = format!(
            "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths: {{}}\ncomponents:\n  schemas:\n{}  x-odd:\n{}",
            indent(schemas, "    "),
            indent(if extra.trim().is_empty() { "{}" } else { extra }, "    "),
        );
        match crate::load::parse("t.yaml", text.clone()) {
            Ok(doc) => doc,
            Err(e) => panic!("test document must load: {e}\n{text}"),
        }
    }

    fn doc(schemas: &str) -> Document {
        doc_with(schemas, "")
    }

    fn at(name: &str) -> String {
        format!("/components/schemas/{name}")
    }

    fn check(doc: &Document, name: &str, value: &Value) -> Vec<Mismatch> {
        validate(doc, &at(name), value)
    }

    #[track_caller]
    fn ok(doc: &Document, name: &str, value: Value) {
        let found = check(doc, name, &value);
        assert!(
            found.is_empty(),
            "{value} should match {name}, found {found:#?}"
        );
    }

    /// The single mismatch of `value` against `name`.
    #[track_caller]
    fn one(doc: &Document, name: &str, value: Value) -> Mismatch {
        let found = check(doc, name, &value);
        match found.as_slice() {
            [only] => only.clone(),
            _ => panic!("{value} against {name}: expected exactly one mismatch, found {found:#?}"),
        }
    }

    #[track_caller]
    fn one_at(doc: &Document, name: &str, value: Value, instance: &str, schema: &str, says: &str) {
        let m = one(doc, name, value);
        assert_eq!(m.instance, instance, "{m:?}");
        assert_eq!(m.schema, schema, "{m:?}");
        assert!(
            m.message.contains(says),
            "{:?} should contain {says:?}",
            m.message
        );
    }

    #[test]
    fn type_checks_each_type() {
        let d = doc("
            S: {type: string}
            N: {type: number}
            I: {type: integer}
            B: {type: boolean}
            A: {type: array}
            O: {type: object}
            ");
        ok(&d, "S", json!("x"));
        ok(&d, "N", json!(1));
        ok(&d, "N", json!(1.5));
        ok(&d, "I", json!(-3));
        ok(&d, "I", json!(2.0));
        ok(&d, "I", json!(u64::MAX));
        ok(&d, "B", json!(false));
        ok(&d, "A", json!([1, "x"]));
        ok(&d, "O", json!({"a": 1}));
        one_at(
            &d,
            "S",
            json!(14085551235u64),
            "",
            &at("S/type"),
            "expected string, found number 14085551235",
        );
        one_at(
            &d,
            "N",
            json!("1"),
            "",
            &at("N/type"),
            "expected number, found string",
        );
        one_at(&d, "I", json!(1.5), "", &at("I/type"), "fractional part");
        one_at(&d, "I", json!("1"), "", &at("I/type"), "expected integer");
        one_at(&d, "B", json!(0), "", &at("B/type"), "expected boolean");
        one_at(
            &d,
            "A",
            json!({}),
            "",
            &at("A/type"),
            "expected array, found object",
        );
        one_at(
            &d,
            "O",
            json!([1, 2]),
            "",
            &at("O/type"),
            "expected object, found array of 2 items",
        );
    }

    #[test]
    fn nullable_allows_null_and_untyped_schemas_accept_anything() {
        let d = doc("
            S: {type: string}
            NS: {type: string, nullable: true, minLength: 3}
            Any: {}
            Described: {description: anything goes}
            O: {type: object}
            NullableAllOf:
              nullable: true
              allOf:
                - $ref: '#/components/schemas/O'
            AllOf:
              allOf:
                - $ref: '#/components/schemas/O'
            ");
        ok(&d, "NS", json!(null));
        ok(&d, "NS", json!("abc"));
        one_at(
            &d,
            "S",
            json!(null),
            "",
            &at("S/type"),
            "found null (the schema is not `nullable: true`)",
        );
        for value in [
            json!(null),
            json!(1),
            json!("x"),
            json!([]),
            json!({"a": [null]}),
        ] {
            ok(&d, "Any", value.clone());
            ok(&d, "Described", value);
        }
        ok(&d, "NullableAllOf", json!(null));
        ok(&d, "NullableAllOf", json!({}));
        one_at(
            &d,
            "NullableAllOf",
            json!(1),
            "",
            &at("O/type"),
            "expected object",
        );
        one_at(&d, "AllOf", json!(null), "", &at("O/type"), "found null");
    }

    #[test]
    fn enum_compares_as_json_and_admits_null_when_nullable() {
        let d = doc("
            E: {type: string, enum: [a, b]}
            NE: {type: string, nullable: true, enum: [a, null]}
            NullListed: {type: string, enum: [a, null]}
            Untyped: {enum: [a, null, 1, 2.5, {k: [1]}]}
            ");
        ok(&d, "E", json!("a"));
        one_at(
            &d,
            "E",
            json!("c"),
            "",
            &at("E/enum"),
            r#""c" is not one of the allowed values ["a", "b"]"#,
        );
        ok(&d, "NE", json!(null));
        ok(&d, "NE", json!("a"));
        one_at(&d, "NE", json!("b"), "", &at("NE/enum"), "not one of");
        // `null` in the list does not make a typed schema nullable.
        one_at(
            &d,
            "NullListed",
            json!(null),
            "",
            &at("NullListed/type"),
            "found null",
        );
        ok(&d, "Untyped", json!(null));
        ok(&d, "Untyped", json!(1.0));
        ok(&d, "Untyped", json!(2.5));
        ok(&d, "Untyped", json!({"k": [1.0]}));
        one_at(
            &d,
            "Untyped",
            json!(2),
            "",
            &at("Untyped/enum"),
            "2 is not one of",
        );
    }

    #[test]
    fn required_and_properties_report_nested_pointers() {
        let d = doc("
            P:
              type: object
              required: [id, name]
              properties:
                id: {type: string}
                name: {type: string}
                child:
                  $ref: '#/components/schemas/P'
            ");
        ok(
            &d,
            "P",
            json!({"id": "1", "name": "n", "child": {"id": "2", "name": "m"}}),
        );
        let found = check(&d, "P", &json!({"id": 1, "child": {"id": "x"}}));
        let got: Vec<(&str, &str, &str)> = found
            .iter()
            .map(|m| (m.instance.as_str(), m.schema.as_str(), m.message.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "",
                    "/components/schemas/P/required",
                    r#"missing required property "name""#
                ),
                (
                    "/id",
                    "/components/schemas/P/properties/id/type",
                    "expected string, found number 1"
                ),
                (
                    "/child",
                    "/components/schemas/P/required",
                    r#"missing required property "name""#
                ),
            ]
        );
    }

    #[test]
    fn additional_properties_absent_true_false_and_schema() {
        let d = doc("
            Open:
              type: object
              properties: {a: {type: string}}
            OpenTrue:
              type: object
              properties: {a: {type: string}}
              additionalProperties: true
            Closed:
              type: object
              properties: {a: {type: string}}
              additionalProperties: false
            Map:
              type: object
              properties: {a: {type: string}}
              additionalProperties: {type: integer}
            ");
        let value = json!({"a": "x", "b": 1, "c": "y"});
        ok(&d, "Open", value.clone());
        ok(&d, "OpenTrue", value.clone());
        let found = check(&d, "Closed", &value);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(found[0].instance, "/b");
        assert_eq!(found[1].instance, "/c");
        assert_eq!(found[0].schema, at("Closed/additionalProperties"));
        assert!(found[0].message.contains("not allowed"), "{found:?}");
        ok(&d, "Closed", json!({"a": "x"}));
        one_at(
            &d,
            "Map",
            value,
            "/c",
            &at("Map/additionalProperties/type"),
            "expected integer",
        );
        one_at(
            &d,
            "Map",
            json!({"x/y~": "no"}),
            "/x~1y~0",
            &at("Map/additionalProperties/type"),
            "expected integer",
        );
    }

    #[test]
    fn items_min_items_max_items() {
        let d = doc("L: {type: array, items: {type: integer}, minItems: 1, maxItems: 3}");
        ok(&d, "L", json!([1, 2, 3]));
        one_at(
            &d,
            "L",
            json!([]),
            "",
            &at("L/minItems"),
            "0 items, fewer than minItems 1",
        );
        one_at(
            &d,
            "L",
            json!([1, 2, 3, 4]),
            "",
            &at("L/maxItems"),
            "4 items, more than maxItems 3",
        );
        one_at(
            &d,
            "L",
            json!([1, "a"]),
            "/1",
            &at("L/items/type"),
            "expected integer",
        );
    }

    #[test]
    fn unique_items_compares_as_json() {
        let d = doc("
            U: {type: array, uniqueItems: true}
            NotU: {type: array, uniqueItems: false}
            ");
        ok(&d, "U", json!([1, 2, "1", [1], {"a": 1}, null]));
        one_at(
            &d,
            "U",
            json!([1, 2, 1.0]),
            "/2",
            &at("U/uniqueItems"),
            "item 2 equals item 0",
        );
        one_at(
            &d,
            "U",
            json!([{"a": 1, "b": [2]}, {"b": [2.0], "a": 1}]),
            "/1",
            &at("U/uniqueItems"),
            "item 1 equals item 0",
        );
        ok(&d, "NotU", json!([1, 1]));
    }

    #[test]
    fn string_lengths_count_characters_and_pattern_is_skipped() {
        let d = doc("
            S: {type: string, minLength: 2, maxLength: 3}
            Digits: {type: string, pattern: '^[0-9]+$'}
            ");
        one_at(
            &d,
            "S",
            json!("é"),
            "",
            &at("S/minLength"),
            "1 characters, fewer than minLength 2",
        );
        ok(&d, "S", json!("ééé"));
        one_at(
            &d,
            "S",
            json!("abcd"),
            "",
            &at("S/maxLength"),
            "4 characters, more than maxLength 3",
        );
        // Not checked: no regular expression engine.
        ok(&d, "Digits", json!("abc"));
    }

    #[test]
    fn minimum_maximum_and_exclusive_bounds() {
        let d = doc(
            "
            R: {type: number, minimum: 1, maximum: 10}
            X: {type: number, minimum: 1, exclusiveMinimum: true, maximum: 10, exclusiveMaximum: true}
            Big: {type: integer, maximum: 9007199254740993}
            ",
        );
        ok(&d, "R", json!(1));
        ok(&d, "R", json!(10.0));
        one_at(
            &d,
            "R",
            json!(0.5),
            "",
            &at("R/minimum"),
            "less than the minimum 1",
        );
        one_at(
            &d,
            "R",
            json!(11),
            "",
            &at("R/maximum"),
            "greater than the maximum 10",
        );
        ok(&d, "X", json!(1.5));
        one_at(
            &d,
            "X",
            json!(1),
            "",
            &at("X/exclusiveMinimum"),
            "not greater than the exclusive minimum",
        );
        one_at(
            &d,
            "X",
            json!(10),
            "",
            &at("X/exclusiveMaximum"),
            "not less than the exclusive maximum",
        );
        // Integers are compared exactly, beyond what an f64 holds.
        ok(&d, "Big", json!(9007199254740993u64));
        one_at(
            &d,
            "Big",
            json!(9007199254740994u64),
            "",
            &at("Big/maximum"),
            "greater than the maximum",
        );
    }

    #[test]
    fn multiple_of_integers_and_decimals() {
        let d = doc("
            Three: {type: integer, multipleOf: 3}
            Tenth: {type: number, multipleOf: 0.1}
            ");
        ok(&d, "Three", json!(-9));
        one_at(
            &d,
            "Three",
            json!(10),
            "",
            &at("Three/multipleOf"),
            "10 is not a multiple of 3",
        );
        ok(&d, "Tenth", json!(0.3));
        ok(&d, "Tenth", json!(19.9));
        ok(&d, "Tenth", json!(7));
        one_at(
            &d,
            "Tenth",
            json!(0.35),
            "",
            &at("Tenth/multipleOf"),
            "not a multiple of 0.1",
        );
        one_at(
            &d,
            "Tenth",
            json!(1000000000000.05),
            "",
            &at("Tenth/multipleOf"),
            "not a multiple",
        );
    }

    #[test]
    fn min_properties_max_properties() {
        let d = doc("M: {type: object, minProperties: 1, maxProperties: 2}");
        ok(&d, "M", json!({"a": 1}));
        one_at(
            &d,
            "M",
            json!({}),
            "",
            &at("M/minProperties"),
            "0 properties, fewer than minProperties 1",
        );
        one_at(
            &d,
            "M",
            json!({"a": 1, "b": 2, "c": 3}),
            "",
            &at("M/maxProperties"),
            "3 properties, more than maxProperties 2",
        );
    }

    #[test]
    fn all_of_requires_every_member() {
        let d = doc("
            Named: {type: object, required: [name], properties: {name: {type: string}}}
            Person:
              allOf:
                - $ref: '#/components/schemas/Named'
                - type: object
                  required: [age]
                  properties: {age: {type: integer}}
            ");
        ok(&d, "Person", json!({"name": "a", "age": 3}));
        let found = check(&d, "Person", &json!({"age": "x"}));
        let got: Vec<(&str, &str)> = found
            .iter()
            .map(|m| (m.instance.as_str(), m.schema.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("", "/components/schemas/Named/required"),
                (
                    "/age",
                    "/components/schemas/Person/allOf/1/properties/age/type"
                ),
            ]
        );
    }

    #[test]
    fn any_of_needs_one_member() {
        let d = doc("A: {anyOf: [{type: string}, {type: integer}]}");
        ok(&d, "A", json!("x"));
        ok(&d, "A", json!(1));
        let m = one(&d, "A", json!(1.5));
        assert_eq!(m.schema, at("A/anyOf"));
        assert!(
            m.message.starts_with("matches none of the 2 anyOf schemas"),
            "{m}"
        );
        assert!(m.message.contains("0: (root): expected string"), "{m}");
        assert!(m.message.contains("1: (root): expected integer"), "{m}");
    }

    #[test]
    fn one_of_needs_exactly_one_member() {
        let d = doc("O: {oneOf: [{type: integer}, {type: number}, {type: string, minLength: 2}]}");
        ok(&d, "O", json!(1.5));
        ok(&d, "O", json!("ab"));
        one_at(
            &d,
            "O",
            json!(1),
            "",
            &at("O/oneOf"),
            "matches several oneOf schemas: 0, 1",
        );
        one_at(
            &d,
            "O",
            json!("a"),
            "",
            &at("O/oneOf"),
            "matches none of the 3 oneOf schemas",
        );
        one_at(&d, "O", json!(null), "", &at("O/oneOf"), "matches none");
    }

    #[test]
    fn not_rejects_what_matches() {
        let d = doc("N: {not: {type: string}}");
        ok(&d, "N", json!(1));
        one_at(
            &d,
            "N",
            json!("x"),
            "",
            &at("N/not"),
            "matches the `not` schema",
        );
    }

    const PETS: &str = "
        Cat:
          type: object
          required: [kind]
          properties: {kind: {type: string}, meows: {type: boolean}}
        Dog:
          type: object
          required: [kind]
          properties: {kind: {type: string}, barks: {type: boolean}}
        Pet:
          oneOf:
            - $ref: '#/components/schemas/Cat'
            - $ref: '#/components/schemas/Dog'
          discriminator:
            propertyName: kind
            mapping:
              cat: '#/components/schemas/Cat'
              dog: Dog
              ghost: '#/components/schemas/Ghost'
        Plain:
          oneOf:
            - $ref: '#/components/schemas/Cat'
            - $ref: '#/components/schemas/Dog'
        ByName:
          anyOf:
            - $ref: '#/components/schemas/Cat'
            - $ref: '#/components/schemas/Dog'
          discriminator:
            propertyName: kind
        ";

    #[test]
    fn discriminator_selects_the_mapped_schema_only() {
        let d = doc(PETS);
        // Both members accept it; the discriminator picks one.
        one_at(
            &d,
            "Plain",
            json!({"kind": "cat"}),
            "",
            &at("Plain/oneOf"),
            "matches several oneOf schemas: 0, 1",
        );
        ok(&d, "Pet", json!({"kind": "cat", "meows": true}));
        // A bare schema name in the mapping.
        ok(&d, "Pet", json!({"kind": "dog"}));
        one_at(
            &d,
            "Pet",
            json!({"kind": "dog", "barks": "loud"}),
            "/barks",
            &at("Dog/properties/barks/type"),
            "expected boolean",
        );
        one_at(
            &d,
            "Pet",
            json!({"kind": "cow"}),
            "/kind",
            &at("Pet/discriminator"),
            r#"unknown discriminator value "cow": expected one of "cat", "dog", "ghost", "Cat", "Dog""#,
        );
        one_at(
            &d,
            "Pet",
            json!({"kind": "ghost"}),
            "/kind",
            &at("Pet/discriminator"),
            "which does not exist",
        );
        // Without the property, oneOf as usual.
        one_at(
            &d,
            "Pet",
            json!({"meows": true}),
            "",
            &at("Pet/oneOf"),
            "matches none",
        );
    }

    #[test]
    fn a_discriminated_parent_validates_the_mapped_subtype() {
        let doc = doc(r#"
            Pet:
              type: object
              required: [petType]
              properties:
                petType: {type: string}
              discriminator:
                propertyName: petType
                mapping:
                  dog: '#/components/schemas/Dog'
            Dog:
              allOf:
                - $ref: '#/components/schemas/Pet'
                - type: object
                  required: [bark]
                  properties:
                    bark: {type: boolean}
"#);
        let pet = "/components/schemas/Pet";
        assert!(validate(&doc, pet, &json!({"petType": "dog", "bark": true})).is_empty());
        let missing = validate(&doc, pet, &json!({"petType": "dog"}));
        assert_eq!(missing.len(), 1, "{missing:?}");
        assert!(missing[0].message.contains("bark"), "{missing:?}");
        let wrong = validate(&doc, pet, &json!({"petType": "dog", "bark": "loud"}));
        assert_eq!(wrong.len(), 1, "{wrong:?}");
        assert!(
            validate(&doc, pet, &json!({"petType": "cow"})).is_empty(),
            "an unmapped tag is just a Pet"
        );
        assert!(validate(
            &doc,
            "/components/schemas/Dog",
            &json!({"petType": "dog", "bark": false})
        )
        .is_empty());
    }

    #[test]
    fn discriminator_without_mapping_uses_schema_names() {
        let d = doc(PETS);
        ok(&d, "ByName", json!({"kind": "Dog", "barks": true}));
        one_at(
            &d,
            "ByName",
            json!({"kind": "Cat", "meows": 1}),
            "/meows",
            &at("Cat/properties/meows/type"),
            "expected boolean",
        );
        one_at(
            &d,
            "ByName",
            json!({"kind": "cat"}),
            "/kind",
            &at("ByName/discriminator"),
            r#"expected one of "Cat", "Dog""#,
        );
    }

    #[test]
    fn discriminated_parent_extended_by_its_children_is_not_a_cycle() {
        let d = doc("
            Animal:
              type: object
              required: [kind]
              properties: {kind: {type: string}}
              discriminator:
                propertyName: kind
                mapping: {cat: '#/components/schemas/Kitty'}
              oneOf:
                - $ref: '#/components/schemas/Kitty'
            Kitty:
              allOf:
                - $ref: '#/components/schemas/Animal'
                - type: object
                  properties: {lives: {type: integer}}
            ");
        ok(&d, "Animal", json!({"kind": "cat", "lives": 9}));
        ok(&d, "Kitty", json!({"kind": "cat", "lives": 9}));
        one_at(
            &d,
            "Animal",
            json!({"kind": "cat", "lives": "x"}),
            "/lives",
            &at("Kitty/allOf/1/properties/lives/type"),
            "expected integer",
        );
        one_at(
            &d,
            "Kitty",
            json!({"kind": "cat", "lives": "x"}),
            "/lives",
            &at("Kitty/allOf/1/properties/lives/type"),
            "expected integer",
        );
    }

    #[test]
    fn read_only_and_write_only_relax_required_by_direction() {
        let d = doc("
            Id: {type: string, readOnly: true}
            R:
              type: object
              required: [id, viaRef, secret, name]
              properties:
                id: {type: string, readOnly: true}
                viaRef: {$ref: '#/components/schemas/Id'}
                secret: {type: string, writeOnly: true}
                name: {type: string}
            ");
        let r = at("R");
        let full = json!({"id": "1", "viaRef": "2", "secret": "s", "name": "n"});
        // Presence is never an error, in either direction.
        assert!(validate_as(&d, &r, &full, Direction::Request).is_empty());
        assert!(validate_as(&d, &r, &full, Direction::Response).is_empty());
        assert!(validate(&d, &r, &full).is_empty());
        let request = json!({"secret": "s", "name": "n"});
        assert!(validate_as(&d, &r, &request, Direction::Request).is_empty());
        let response = json!({"id": "1", "viaRef": "2", "name": "n"});
        assert!(validate_as(&d, &r, &response, Direction::Response).is_empty());
        let missing = |found: Vec<Mismatch>| -> Vec<String> {
            found.into_iter().map(|m| m.message).collect()
        };
        assert_eq!(
            missing(validate_as(&d, &r, &request, Direction::Response)),
            vec![
                r#"missing required property "id""#,
                r#"missing required property "viaRef""#
            ]
        );
        assert_eq!(
            missing(validate_as(&d, &r, &response, Direction::Request)),
            vec![r#"missing required property "secret""#]
        );
        assert_eq!(
            missing(validate(&d, &r, &json!({"name": "n"}))).len(),
            3,
            "validate applies required as written"
        );
    }

    #[test]
    fn date_time_format_needs_rfc_3339_with_an_offset() {
        let d = doc("T: {type: string, format: date-time}");
        for good in [
            "2025-05-28T19:21:14Z",
            "2025-05-28T19:21:14.000Z",
            "2025-05-28t19:21:14.123456+02:00",
            "2024-02-29T23:59:60-05:30",
        ] {
            ok(&d, "T", json!(good));
        }
        for lacking in ["2025-05-28T19:21:14", "2025-05-28T19:21:14.000"] {
            let m = one(&d, "T", json!(lacking));
            assert_eq!(m.schema, at("T/format"));
            assert!(m.message.contains("lacks a UTC offset"), "{m}");
        }
        for bad in [
            "",
            "2025-05-28",
            "2025-05-28 19:21:14Z",
            "2025-02-29T00:00:00Z",
            "2025-13-01T00:00:00Z",
            "2025-05-28T24:00:00Z",
            "2025-05-28T19:21:14+2:00",
            "2025-05-28T19:21:14+02:60",
            "2025-05-28T19:21:14.Z",
            "2025-05-28T19:21:14Z ",
            "Wed Mar 29 18:34:31 UTC 2023",
            "２０２５-05-28T19:21:14Z",
        ] {
            let m = one(&d, "T", json!(bad));
            assert_eq!(m.schema, at("T/format"));
            assert!(
                m.message.contains("is not an RFC 3339 date-time"),
                "{bad}: {m}"
            );
            assert!(!m.message.contains("lacks"), "{bad}: {m}");
        }
        // Formats apply to strings only; the type reports the rest.
        one_at(&d, "T", json!(5), "", &at("T/type"), "expected string");
    }

    #[test]
    fn date_format_is_full_date() {
        let d = doc("D: {type: string, format: date}");
        ok(&d, "D", json!("2024-02-29"));
        for bad in [
            "2023-02-29",
            "2024-2-29",
            "2024-02-29T00:00:00Z",
            "2024-04-31",
            "2024-00-10",
        ] {
            one_at(
                &d,
                "D",
                json!(bad),
                "",
                &at("D/format"),
                "is not a date (format: date)",
            );
        }
    }

    #[test]
    fn int32_and_int64_ranges() {
        let d = doc("
            I32: {type: integer, format: int32}
            I64: {type: integer, format: int64}
            ");
        ok(&d, "I32", json!(2147483647));
        ok(&d, "I32", json!(-2147483648));
        one_at(
            &d,
            "I32",
            json!(2147483648u64),
            "",
            &at("I32/format"),
            "out of range for format int32",
        );
        one_at(
            &d,
            "I32",
            json!(-2147483649i64),
            "",
            &at("I32/format"),
            "out of range for format int32",
        );
        ok(&d, "I64", json!(i64::MAX));
        ok(&d, "I64", json!(i64::MIN));
        one_at(
            &d,
            "I64",
            json!(9223372036854775808u64),
            "",
            &at("I64/format"),
            "out of range for format int64",
        );
        one_at(
            &d,
            "I64",
            json!(1e19),
            "",
            &at("I64/format"),
            "out of range for format int64",
        );
        let found = check(&d, "I32", &json!(1.5));
        assert_eq!(found.len(), 2, "type and format: {found:#?}");
    }

    #[test]
    fn other_formats_unknown_keywords_and_extensions_are_ignored() {
        let d = doc("
            S:
              type: string
              format: email
              x-okta-thing: {type: integer}
              const: nope
              examples: [1]
            U: {type: string, format: uuid}
            ");
        ok(&d, "S", json!("not an email"));
        ok(&d, "U", json!("not a uuid"));
    }

    #[test]
    fn refs_follow_chains_and_ignore_siblings() {
        let d = doc_with(
            "
            A: {$ref: '#/components/schemas/B'}
            B: {$ref: '#/components/schemas/C'}
            C: {type: integer}
            NullableRef:
              $ref: '#/components/schemas/C'
              nullable: true
            With Space: {type: boolean}
            Spaced: {$ref: '#/components/schemas/With%20Space'}
            ",
            "
            dangling: {$ref: '#/components/schemas/Nope'}
            external: {$ref: 'other.yaml#/components/schemas/C'}
            notAString: {$ref: 5}
            ",
        );
        ok(&d, "A", json!(1));
        one_at(&d, "A", json!("x"), "", &at("C/type"), "expected integer");
        // OpenAPI 3.0: keywords next to `$ref` are ignored.
        one_at(
            &d,
            "NullableRef",
            json!(null),
            "",
            &at("C/type"),
            "found null",
        );
        ok(&d, "Spaced", json!(true));
        one_at(
            &d,
            "Spaced",
            json!(1),
            "",
            "/components/schemas/With Space/type",
            "expected boolean",
        );
        // A `#` prefix on the starting pointer is accepted.
        assert_eq!(validate(&d, "#/components/schemas/A", &json!("x")).len(), 1);
        let odd = |name: &str| validate(&d, &format!("/components/x-odd/{name}"), &json!(1));
        let only = |found: Vec<Mismatch>| match found.as_slice() {
            [m] => m.clone(),
            _ => panic!("expected one mismatch: {found:#?}"),
        };
        let m = only(odd("dangling"));
        assert_eq!(m.schema, "/components/x-odd/dangling/$ref");
        assert!(m.message.contains("points at nothing"), "{m}");
        assert!(only(odd("external"))
            .message
            .contains("not a local reference"));
        assert!(only(odd("notAString")).message.contains("must be a string"));
        let m = only(validate(&d, "/components/schemas/Missing", &json!(1)));
        assert!(m.message.contains("no schema here"), "{m}");
    }

    #[test]
    fn ref_cycles_are_cut_and_reported() {
        let d = doc("
            Loop1: {$ref: '#/components/schemas/Loop2'}
            Loop2: {$ref: '#/components/schemas/Loop1'}
            SelfAll:
              allOf:
                - $ref: '#/components/schemas/SelfAll'
            Fork:
              anyOf:
                - $ref: '#/components/schemas/Fork'
                - $ref: '#/components/schemas/Fork'
            ");
        for name in ["Loop1", "Loop2", "SelfAll"] {
            let m = one(&d, name, json!(1));
            assert!(m.message.contains("$ref cycle"), "{name}: {m}");
        }
        let found = check(&d, "Fork", &json!(1));
        assert!(!found.is_empty(), "an anyOf of cycles matches nothing");
        assert!(
            found.iter().all(|m| m.message.contains("matches none")),
            "{found:#?}"
        );
    }

    #[test]
    fn recursive_data_structures_are_fine() {
        let d = doc("
            Node:
              type: object
              required: [name]
              properties:
                name: {type: string}
                children:
                  type: array
                  items: {$ref: '#/components/schemas/Node'}
            ");
        let tree = json!({
            "name": "root",
            "children": [
                {"name": "a"},
                {"name": "b", "children": [{"name": 3}, {"children": []}]}
            ]
        });
        let found = check(&d, "Node", &tree);
        let got: Vec<(&str, &str)> = found
            .iter()
            .map(|m| (m.instance.as_str(), m.schema.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "/children/1/children/0/name",
                    "/components/schemas/Node/properties/name/type"
                ),
                (
                    "/children/1/children/1",
                    "/components/schemas/Node/required"
                ),
            ]
        );
    }

    #[test]
    fn long_chains_without_consuming_the_value_hit_the_nesting_limit() {
        let mut schemas = String::new();
        for i in 0..70 {
            schemas.push_str(&format!(
                "S{i}:\n  allOf:\n    - $ref: '#/components/schemas/S{}'\n",
                i + 1
            ));
        }
        schemas.push_str("S70: {type: string}\n");
        let d = doc(&schemas);
        let m = one(&d, "S0", json!(1));
        assert!(
            m.message
                .contains(&format!("more than {MAX_NESTING} schemas nested")),
            "{m}"
        );
        // A shorter chain is validated to the end.
        one_at(&d, "S50", json!(1), "", &at("S70/type"), "expected string");
    }

    #[test]
    fn very_deep_values_are_cut_not_overflowed() {
        let d = doc("
            Node:
              type: object
              properties:
                next: {$ref: '#/components/schemas/Node'}
            Tangled:
              anyOf:
                - allOf:
                    - type: object
                      properties:
                        next:
                          oneOf:
                            - $ref: '#/components/schemas/Tangled'
                          discriminator: {propertyName: kind}
                      additionalProperties:
                        not: {$ref: '#/components/schemas/Tangled'}
            ");
        let mut value = json!({});
        for _ in 0..2000 {
            let mut outer = Map::new();
            outer.insert("next".to_owned(), value);
            value = Value::Object(outer);
        }
        // In a thread with a small stack (the default of test threads is 2 MiB).
        let found = std::thread::scope(|scope| {
            let run = |name: &'static str| {
                let (d, value) = (&d, &value);
                std::thread::Builder::new()
                    .stack_size(2 << 20)
                    .spawn_scoped(scope, move || check(d, name, value))
                    .map(|handle| handle.join())
            };
            (run("Node"), run("Tangled"))
        });
        let (Ok(Ok(node)), Ok(Ok(tangled))) = found else {
            panic!("validation threads failed");
        };
        assert_eq!(node.len(), 1, "{:?}", node.first());
        assert!(
            node[0]
                .message
                .contains(&format!("more than {MAX_DEPTH} schemas deep")),
            "{node:?}"
        );
        // The anyOf fails, for the cut deep down.
        assert_eq!(tangled.len(), 1, "{tangled:?}");
        assert_eq!(tangled[0].schema, at("Tangled/anyOf"));
        // Unwind the value iteratively rather than trusting a recursive drop.
        let mut rest = value;
        while let Some(next) = rest.get_mut("next").map(Value::take) {
            rest = next;
        }
    }

    #[test]
    fn nested_combinators_are_validated_once_per_member() {
        // Without memoisation, 2^28 evaluations.
        let mut schemas = String::new();
        for i in 0..28 {
            schemas.push_str(&format!(
                "D{i}:\n  oneOf:\n    - $ref: '#/components/schemas/D{n}'\n    - $ref: '#/components/schemas/D{n}'\n",
                n = i + 1
            ));
        }
        schemas.push_str("D28: {type: string}\n");
        let d = std::sync::Arc::new(doc(&schemas));
        // On another thread, so that a blow-up fails the test instead of hanging it.
        let (send, receive) = std::sync::mpsc::channel();
        let shared = std::sync::Arc::clone(&d);
        std::thread::spawn(move || {
            let _ = send.send((
                check(&shared, "D0", &json!(1)),
                check(&shared, "D0", &json!("x")),
            ));
        });
        let Ok((number, string)) = receive.recv_timeout(std::time::Duration::from_secs(10)) else {
            panic!("validating 28 nested oneOf took more than 10 s: members are validated more than once");
        };
        for found in [number, string] {
            match found.as_slice() {
                [m] => {
                    assert_eq!(m.schema, at("D0/oneOf"));
                    assert!(
                        m.message.starts_with("matches none of the 2 oneOf schemas"),
                        "{m}"
                    );
                }
                _ => panic!("expected one mismatch: {found:#?}"),
            }
        }
        // D27 matches "x" twice over, so D26 and everything above match it not at all.
        one_at(
            &d,
            "D27",
            json!("x"),
            "",
            &at("D27/oneOf"),
            "matches several oneOf schemas: 0, 1",
        );
    }

    #[test]
    fn malformed_schemas_and_pointers_never_panic() {
        let d = doc_with(
            "Ok: {type: string}",
            "
            - {type: 5}
            - {type: foo}
            - {type: [string, 'null']}
            - {minLength: x, maxLength: -1, minItems: 1.5, maxItems: null, minProperties: {}, maxProperties: []}
            - {required: 5, properties: [], additionalProperties: 5, items: 5, uniqueItems: yes}
            - {required: [1, a, null], properties: {a: 5, b: [1]}}
            - {enum: 5, allOf: {}, anyOf: [], oneOf: [], not: 5}
            - {allOf: [5, null, '#'], anyOf: [{}], oneOf: [true, false]}
            - {$ref: '#nope'}
            - {$ref: '#/components/x-odd/100'}
            - {$ref: '#/%zz/%'}
            - {$ref: ''}
            - {discriminator: 5, oneOf: [{}]}
            - {discriminator: {propertyName: 5}, oneOf: [{}]}
            - {discriminator: {propertyName: k, mapping: 5}, oneOf: [5]}
            - {discriminator: {propertyName: k, mapping: {a: 5, b: 'http://x/y', c: ''}}, anyOf: [{$ref: 5}]}
            - {discriminator: {propertyName: k}}
            - {multipleOf: 0, minimum: a, maximum: [], exclusiveMinimum: 1}
            - {multipleOf: -1.5}
            - {multipleOf: 1.0e-300}
            - {multipleOf: 1.0e+300, format: int32}
            - {format: 5}
            - {format: date-time, nullable: 1}
            - {format: date}
            - {format: int64}
            - just a string
            - 5
            - true
            - false
            - null
            - []
            ",
        );
        let values = [
            json!(null),
            json!(true),
            json!(0),
            json!(-1.5),
            json!(1e300),
            json!(u64::MAX),
            json!(i64::MIN),
            json!(""),
            json!("é2024-02-30"),
            json!("2025-05-28T19:21:14+99:99"),
            json!([]),
            json!([1, [2], 1]),
            json!({}),
            json!({"k": "a", "a": {"b": null}}),
            json!({"k": "b"}),
            json!({"k": "c"}),
            json!({"k": 5}),
        ];
        for i in 0..32 {
            for value in &values {
                let _ = validate(&d, &format!("/components/x-odd/{i}"), value);
                let _ = validate_as(
                    &d,
                    &format!("/components/x-odd/{i}"),
                    value,
                    Direction::Request,
                );
            }
        }
        for pointer in [
            "",
            "/",
            "nope",
            "#",
            "#nope",
            "#/%",
            "/components/schemas/~2",
            "/components/schemas/Ok/type",
        ] {
            for value in &values {
                let _ = validate(&d, pointer, value);
            }
        }
        let odd = |i: usize, value: Value| validate(&d, &format!("/components/x-odd/{i}"), &value);
        assert!(odd(0, json!(1))[0].message.contains("must be a string"));
        assert!(odd(1, json!(1))[0]
            .message
            .contains(r#"unknown type "foo""#));
        assert!(odd(26, json!(1))[0].message.contains("not a Schema Object"));
        assert!(odd(27, json!(1)).is_empty(), "`true` accepts anything");
        assert!(odd(28, json!(1))[0].message.contains("accepts no value"));
    }

    #[test]
    fn mismatches_display_where_and_what() {
        let d = doc("P: {type: object, properties: {a: {type: string}}}");
        let found = check(&d, "P", &json!({"a": 1}));
        assert_eq!(
            found.iter().map(ToString::to_string).collect::<Vec<_>>(),
            vec!["/a: expected string, found number 1 (schema #/components/schemas/P/properties/a/type)"]
        );
        let found = check(&d, "P", &json!([]));
        assert_eq!(
            found.iter().map(ToString::to_string).collect::<Vec<_>>(),
            vec!["(root): expected object, found array of 0 items (schema #/components/schemas/P/type)"]
        );
    }

    #[test]
    fn values_in_messages_are_shortened() {
        let d = doc("
            E: {enum: [1]}
            S: {type: integer}
            ");
        let long = "x".repeat(10_000);
        let big = json!({"a": vec![long.clone(); 1000], "b": [[[[[[1]]]]]]});
        let m = one(&d, "E", big);
        assert!(m.message.starts_with(r#"{"a":["xxxx"#), "{}", m.message);
        assert!(m.message.contains("…"), "{}", m.message);
        assert!(m.message.chars().count() < 120, "{}", m.message);
        let m = one(&d, "S", json!(long));
        assert!(m.message.chars().count() < 120, "{}", m.message);
        let m = one(&d, "E", json!([[2], {"k": "v"}]));
        assert_eq!(
            m.message,
            r#"[[2],{"k":"v"}] is not one of the allowed values [1]"#
        );
    }
}
