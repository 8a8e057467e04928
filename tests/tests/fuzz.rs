//! A structural fuzzer over the whole pipeline (load → lower → emit), on stable Rust with no
//! fuzzing dependency: a seeded mutator (xorshift) starts from the construct fixtures
//! (`tests/fixtures/constructs/*.yaml`) and deletes, duplicates, renames and swaps keys, changes
//! the types of values, inserts `$ref`s (to components that exist, that do not, to the node
//! itself), nests schemas thousands of levels deep, builds `allOf`/`oneOf`/`anyOf` of random
//! members, writes awkward strings (keywords, `self`, digits, unicode, bidi controls, CR, `*/`,
//! `"#`) into names, descriptions and enums, duplicates operationIds, breaks path templates and
//! adds huge enums. Each case is run in lenient and in strict mode, and must:
//!
//! - not panic, not overflow the stack of an 8 MiB thread (a build script's main thread), not
//!   hang;
//! - emit Rust that parses (`syn::parse_file`);
//! - agree between the modes: strict succeeds exactly when lenient succeeds without warnings,
//!   and then both emit the same source; the same input emits the same source twice.
//!
//! A stack overflow aborts the process, so the cases run in a child process (this test,
//! executed again with `OKGEN_FUZZ_CHILD` set), which says which case it starts before each one;
//! the parent reports the case the child died in (and one it stopped making progress in for
//! [`HANG_LIMIT`]), then goes on with the next case. A panic is caught in the child and its
//! mutations are minimised before it is reported. Every failure names its case seed: rerun it
//! alone with `OKGEN_FUZZ_SEED=<seed> OKGEN_FUZZ_CASES=1`; the failing document is written to
//! `target/okgen-fuzz/`.
//!
//! CI runs [`DEFAULT_CASES`] cases from [`DEFAULT_SEED`] (about 40 s in the debug profile);
//! `OKGEN_FUZZ_CASES` and `OKGEN_FUZZ_SEED` run others, `OKGEN_FUZZ_SAVE` writes every case to
//! `target/okgen-fuzz/`.
//! The last test compiles a set of the generated clients with rustc and clippy.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use okgen::pointer::{escape, join};
use okgen::Mode;
use serde_json::{json, Map, Value};

/// Cases run by default (in CI).
const DEFAULT_CASES: u64 = 1000;
/// The seed of the first case by default; case `i` has seed `DEFAULT_SEED + i`.
const DEFAULT_SEED: u64 = 0x6f6b_6765_6e00_0000;
/// The stack each case runs on: what the main thread of a build script has.
const STACK: usize = 8 << 20;
/// A case that makes no progress for this long is a hang (a real case takes well under a
/// second; this is generous so that a loaded machine never trips it).
const HANG_LIMIT: Duration = Duration::from_secs(300);
/// The name of the threads cases run on.
const CASE_THREAD: &str = "okgen-fuzz-case";
/// What the child prints before each case, at the end, and for a failure.
const TAG: &str = "okgen-fuzz:";

// ---------------------------------------------------------------------------------------------
// A small deterministic PRNG.

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        // splitmix64 spreads consecutive seeds; xorshift needs a state that is not 0.
        let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        Rng(z.max(1))
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    /// One of `items` (a constant list, never empty).
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// One of `items`, `None` when there are none.
    fn choose<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        (!items.is_empty()).then(|| self.pick(items))
    }
}

// ---------------------------------------------------------------------------------------------
// Edits: what a mutation does, replayable on a document (for minimising).

#[derive(Clone, Debug)]
enum Edit {
    /// Sets the value at a pointer (a new key of an object, an index of an array or one past
    /// its end); the parent must exist.
    Set(String, Value),
    /// Removes the value at a pointer.
    Remove(String),
    /// Renames a key of the object at a pointer.
    Rename(String, String, String),
}

fn split_pointer(pointer: &str) -> Option<(&str, String)> {
    let at = pointer.rfind('/')?;
    Some((&pointer[..at], okgen::pointer::unescape(&pointer[at + 1..])))
}

fn apply_edit(doc: &mut Value, edit: &Edit) -> bool {
    match edit {
        Edit::Set(pointer, value) if pointer.is_empty() => {
            *doc = value.clone();
            true
        }
        Edit::Set(pointer, value) => {
            let Some((parent, key)) = split_pointer(pointer) else {
                return false;
            };
            match doc.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    map.insert(key, value.clone());
                    true
                }
                Some(Value::Array(items)) => match key.parse::<usize>() {
                    Ok(i) if i < items.len() => {
                        items[i] = value.clone();
                        true
                    }
                    Ok(i) if i == items.len() => {
                        items.push(value.clone());
                        true
                    }
                    _ => false,
                },
                _ => false,
            }
        }
        Edit::Remove(pointer) => {
            let Some((parent, key)) = split_pointer(pointer) else {
                return false;
            };
            match doc.pointer_mut(parent) {
                Some(Value::Object(map)) => map.shift_remove(&key).is_some(),
                Some(Value::Array(items)) => match key.parse::<usize>() {
                    Ok(i) if i < items.len() => {
                        items.remove(i);
                        true
                    }
                    _ => false,
                },
                _ => false,
            }
        }
        Edit::Rename(pointer, old, new) => {
            let Some(Value::Object(map)) = doc.pointer_mut(pointer) else {
                return false;
            };
            if !map.contains_key(old.as_str()) {
                return false;
            }
            // Keeps the key's place, so that order-dependent behaviour is exercised too.
            let entries = std::mem::take(map);
            for (key, value) in entries {
                if key == *old {
                    map.insert(new.clone(), value);
                } else if key != *new {
                    map.insert(key, value);
                }
            }
            true
        }
    }
}

/// One mutation: what it did, in words, and its edits.
#[derive(Clone, Debug)]
struct Mutation {
    what: String,
    edits: Vec<Edit>,
}

// ---------------------------------------------------------------------------------------------
// Awkward values.

const WEIRD: &[&str] = &[
    "",
    " ",
    "self",
    "Self",
    "super",
    "crate",
    "err",
    "Err",
    "Ok",
    "Some",
    "None",
    "type",
    "r#type",
    "fn",
    "async",
    "await",
    "dyn",
    "union",
    "match",
    "mod",
    "gen",
    "_",
    "__",
    "0",
    "1",
    "123abc",
    "1.5",
    "-1",
    "é",
    "日本語",
    "🦀",
    "\u{202e}evil\u{202c}",
    "\u{2066}isolate",
    "a\rb",
    "line\r\nbreak",
    "two\n\nparagraphs",
    "\ttab",
    "*/ end",
    "/* start",
    "\"#",
    "r#\"raw\"#",
    "\\",
    "{",
    "}",
    "{id}",
    "}{",
    "$ref",
    "#/components/schemas/X",
    "~1",
    "~0",
    "/",
    "a/b",
    "a b",
    "a-b",
    "a_b",
    "A",
    "a",
    "aB",
    "AB",
    "ab_",
    "_ab",
    "nul\u{0}byte",
    "del\u{7f}",
    "\u{85}nel",
    "\u{feff}bom",
    "`",
    "```rust\nfn main() {}\n```",
    "<script>alert(1)</script>",
    "[link]",
    "[`x`]",
    "&amp;",
    "%s",
    "null",
    "true",
    "Client",
    "Error",
    "Result",
    "Option",
    "String",
    "Vec",
    "Box",
    "models",
    "operations",
    "std",
    "serde",
    "core",
    "new",
    "build",
    "send",
    "into_future",
    "IntoFuture",
    "request",
    "client",
    "default",
    "Default",
    "additional_properties",
    "Unknown",
    "Other",
    "x-okgen",
    "application/json",
    "multipart/form-data",
    "application/x-www-form-urlencoded",
    "text/plain",
    "*/*",
    "2XX",
    "default",
];

fn weird_string(rng: &mut Rng) -> String {
    match rng.below(8) {
        0 => "x".repeat(1 + rng.below(400)),
        1 => format!("{}{}", rng.pick(WEIRD), rng.pick(WEIRD)),
        _ => (*rng.pick(WEIRD)).to_owned(),
    }
}

fn random_number(rng: &mut Rng) -> Value {
    match rng.below(8) {
        0 => json!(0),
        1 => json!(-1),
        2 => json!(u64::MAX),
        3 => json!(i64::MIN),
        4 => json!(1.5),
        5 => json!(1e300),
        6 => json!(rng.below(1000)),
        _ => json!(-(rng.below(100) as i64)),
    }
}

/// A value of a random JSON type, `depth` levels at most.
fn random_value(rng: &mut Rng, depth: usize) -> Value {
    let choices = if depth == 0 { 5 } else { 8 };
    match rng.below(choices) {
        0 => Value::Null,
        1 => Value::Bool(rng.chance(50)),
        2 => random_number(rng),
        3 | 4 => Value::String(weird_string(rng)),
        5 => Value::Array(
            (0..rng.below(4))
                .map(|_| random_value(rng, depth - 1))
                .collect(),
        ),
        _ => Value::Object(
            (0..rng.below(4))
                .map(|_| (weird_string(rng), random_value(rng, depth - 1)))
                .collect(),
        ),
    }
}

const TYPES: &[&str] = &[
    "string", "integer", "number", "boolean", "array", "object", "null", "file", "", "String",
];
const FORMATS: &[&str] = &[
    "int32",
    "int64",
    "float",
    "double",
    "date",
    "date-time",
    "password",
    "byte",
    "binary",
    "uuid",
    "uri",
    "email",
    "int8",
    "uint64",
    "decimal",
    "",
];

/// A random reference: to something that exists, to something that does not, malformed.
fn random_ref(rng: &mut Rng, doc: &Value, here: &str) -> String {
    let components = |kind: &str| -> Vec<String> {
        doc.pointer(&format!("/components/{kind}"))
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    };
    match rng.below(12) {
        0..=4 => {
            let names = components("schemas");
            if names.is_empty() {
                "#/components/schemas/Missing".into()
            } else {
                format!(
                    "#{}",
                    join("/components/schemas", rng.pick(&names).as_str())
                )
            }
        }
        5 => format!("#{here}"),
        6 => format!(
            "#{}",
            here.rsplit_once('/').map_or("", |(parent, _)| parent)
        ),
        7 => format!("#/components/schemas/{}", escape(&weird_string(rng))),
        8 => {
            let kind = *rng.pick(&["parameters", "responses", "requestBodies", "headers"]);
            let names = components(kind);
            match names.first() {
                Some(name) => format!("#{}", join(&format!("/components/{kind}"), name)),
                None => format!("#/components/{kind}/Nope"),
            }
        }
        9 => (*rng.pick(&[
            "#",
            "",
            "#/",
            "#/components/schemas/",
            "#/components/schemas",
            "other.yaml#/components/schemas/X",
            "https://example.com/x.json",
            "#/paths/~1a~2b",
            "#/components/schemas/A%20B",
            "#/components/schemas/~",
            "#/info",
            "#/paths",
        ]))
        .to_owned(),
        10 => format!("#/components/schemas/{}", weird_string(rng)),
        _ => "#/components/schemas/Missing".into(),
    }
}

/// A random schema, plausible enough that the generator gets past the first checks.
fn random_schema(rng: &mut Rng, doc: &Value, here: &str, depth: usize) -> Value {
    let leaf = depth == 0;
    match rng.below(if leaf { 4 } else { 10 }) {
        0 => json!({"$ref": random_ref(rng, doc, here)}),
        1 => {
            let mut s = json!({"type": rng.pick(TYPES)});
            if rng.chance(50) {
                s["format"] = json!(rng.pick(FORMATS));
            }
            if rng.chance(30) {
                s["nullable"] = json!(true);
            }
            s
        }
        2 => {
            let len = 1 + rng.below(6);
            json!({"type": "string", "enum": random_enum(rng, len)})
        }
        3 => random_value(rng, 1),
        4 | 5 => {
            let mut properties = Map::new();
            let mut required = Vec::new();
            for _ in 0..rng.below(5) {
                let name = weird_string(rng);
                if rng.chance(50) {
                    required.push(json!(name.clone()));
                }
                properties.insert(
                    name,
                    random_schema(rng, doc, &format!("{here}/properties/x"), depth - 1),
                );
            }
            let mut s = json!({"type": "object", "properties": properties});
            if !required.is_empty() {
                s["required"] = Value::Array(required);
            }
            if rng.chance(30) {
                s["additionalProperties"] = match rng.below(3) {
                    0 => json!(false),
                    1 => json!(true),
                    _ => random_schema(rng, doc, here, depth - 1),
                };
            }
            s
        }
        6 => {
            json!({"type": "array", "items": random_schema(rng, doc, &format!("{here}/items"), depth - 1)})
        }
        _ => {
            let key = *rng.pick(&["allOf", "oneOf", "anyOf"]);
            let members: Vec<Value> = (0..rng.below(5))
                .map(|i| random_schema(rng, doc, &format!("{here}/{key}/{i}"), depth - 1))
                .collect();
            let mut s = json!({ key: members });
            if key != "allOf" && rng.chance(40) {
                s["discriminator"] = json!({"propertyName": weird_string(rng)});
                if rng.chance(50) {
                    s["discriminator"]["mapping"] =
                        json!({ weird_string(rng): random_ref(rng, doc, here) });
                }
            }
            s
        }
    }
}

fn random_enum(rng: &mut Rng, len: usize) -> Vec<Value> {
    (0..len)
        .map(|i| match rng.below(10) {
            0 => Value::Null,
            1 => random_number(rng),
            2 => json!(i.to_string()),
            3 => json!(format!("v{}", i / 2)),
            _ => json!(weird_string(rng)),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Where to mutate.

/// A node of the document, as a place to mutate.
struct Node {
    pointer: String,
    /// The last three tokens of its path (fewer near the root), last one last.
    tail: Vec<String>,
    /// Its depth (the root is 0) and its path's first token.
    depth: usize,
    first: Option<String>,
    object: bool,
    string: bool,
}

impl Node {
    /// Whether the node is a schema (by where it stands).
    fn is_schema(&self) -> bool {
        let last = |i: usize| {
            self.tail
                .len()
                .checked_sub(i)
                .map(|at| self.tail[at].as_str())
        };
        matches!(
            last(1),
            Some("schema" | "items" | "additionalProperties" | "not")
        ) || matches!(last(2), Some("schemas" | "properties"))
            && !matches!(last(3), Some("properties"))
            || matches!(last(2), Some("allOf" | "oneOf" | "anyOf"))
    }

    fn is_operation(&self) -> bool {
        self.depth == 3
            && self.first.as_deref() == Some("paths")
            && matches!(
                self.tail.last().map(String::as_str),
                Some("get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace")
            )
    }
}

/// The nodes of the document, in document order: a bounded walk (20,000 nodes, 64 levels), so
/// that a huge or deep document costs the mutator little.
fn nodes(doc: &Value) -> Vec<Node> {
    let mut out = Vec::new();
    let mut stack: Vec<(&Value, Node)> = vec![(
        doc,
        Node {
            pointer: String::new(),
            tail: Vec::new(),
            depth: 0,
            first: None,
            object: true,
            string: false,
        },
    )];
    while let Some((value, node)) = stack.pop() {
        if out.len() >= 20_000 {
            break;
        }
        let child = |token: String, v: &Value| {
            let mut tail = node.tail.clone();
            if tail.len() == 3 {
                tail.remove(0);
            }
            tail.push(token.clone());
            Node {
                pointer: join(&node.pointer, &token),
                first: node.first.clone().or_else(|| Some(token.clone())),
                tail,
                depth: node.depth + 1,
                object: v.is_object(),
                string: v.is_string(),
            }
        };
        if node.depth < 64 {
            match value {
                Value::Object(map) => {
                    for (k, v) in map.iter().rev() {
                        stack.push((v, child(k.clone(), v)));
                    }
                }
                Value::Array(items) => {
                    for (i, v) in items.iter().enumerate().rev() {
                        stack.push((v, child(i.to_string(), v)));
                    }
                }
                _ => {}
            }
        }
        out.push(node);
    }
    out
}

/// A few nested levels around `inner`, from the inside out (so no recursion here).
fn nest(rng: &mut Rng, inner: Value, levels: usize) -> Value {
    // (`json!` would copy `value` at every level: built by moving it instead.)
    let object = |entries: Vec<(&str, Value)>| -> Value {
        Value::Object(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
        )
    };
    let kinds = rng.below(4);
    let mut value = inner;
    for level in 0..levels {
        let kind = if kinds == 3 { rng.below(6) } else { kinds };
        value = match kind {
            0 => object(vec![
                ("type", json!("object")),
                ("properties", object(vec![("next", value)])),
            ]),
            1 => object(vec![("type", json!("array")), ("items", value)]),
            2 => object(vec![("allOf", Value::Array(vec![value]))]),
            3 => object(vec![(
                "oneOf",
                Value::Array(vec![value, json!({"type": "string"})]),
            )]),
            4 => object(vec![
                ("type", json!("object")),
                ("additionalProperties", value),
            ]),
            _ => object(vec![
                ("anyOf", Value::Array(vec![value])),
                ("description", json!(format!("level {level}"))),
            ]),
        };
    }
    value
}

/// How many levels a schema is nested: a few, a dozen and more (a refused keyword deep inside
/// once made the typed parse take time exponential in the depth), around the depths at which
/// lowering stops typing (48 levels of objects) and the readers stop (128 as text, 512 in all).
const DEPTHS: &[usize] = &[
    2, 3, 4, 6, 10, 16, 24, 40, 47, 48, 49, 60, 100, 127, 128, 129, 200, 1000, 3000,
];

/// The depth of the deepest value of `doc` (the root is 0). Iterative.
fn depth_of(doc: &Value) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(doc, 0)];
    while let Some((value, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        match value {
            Value::Object(map) => stack.extend(map.values().map(|v| (v, depth + 1))),
            Value::Array(items) => stack.extend(items.iter().map(|v| (v, depth + 1))),
            _ => {}
        }
    }
    deepest
}

/// One random mutation of `doc` (not yet applied).
fn mutation(rng: &mut Rng, doc: &Value) -> Option<Mutation> {
    let all = nodes(doc);
    let pointers = |keep: &dyn Fn(&Node) -> bool| -> Vec<&String> {
        all.iter().filter(|n| keep(n)).map(|n| &n.pointer).collect()
    };
    let objects = pointers(&|n| n.object);
    let schemas = pointers(&Node::is_schema);
    let operations = pointers(&Node::is_operation);
    let non_root = pointers(&|n| n.depth > 0);
    let strings = pointers(&|n| n.string);
    let schema_or_any = |rng: &mut Rng| -> String {
        if !schemas.is_empty() && rng.chance(80) {
            rng.pick(&schemas).to_string()
        } else if !non_root.is_empty() {
            rng.pick(&non_root).to_string()
        } else {
            "/components".into()
        }
    };
    let one = |what: String, edit: Edit| {
        Some(Mutation {
            what,
            edits: vec![edit],
        })
    };
    match rng.below(17) {
        0 => {
            // Delete a key.
            let at = *rng.choose(&objects)?;
            let keys: Vec<&String> = doc.pointer(at)?.as_object()?.keys().collect();
            let key = (*rng.choose(&keys)?).clone();
            let target = join(at, &key);
            one(format!("delete {target}"), Edit::Remove(target))
        }
        1 => {
            // Duplicate a key under another name (often one that collides once in Rust case).
            let at = *rng.choose(&objects)?;
            let map = doc.pointer(at)?.as_object()?;
            let keys: Vec<&String> = map.keys().collect();
            let key = (*rng.choose(&keys)?).clone();
            let new = match rng.below(4) {
                0 => format!("{key}_"),
                1 => key.to_uppercase(),
                2 => key.replace(|c: char| !c.is_ascii_alphanumeric(), "-") + "-",
                _ => weird_string(rng),
            };
            let target = join(at, &new);
            one(
                format!("duplicate {} as {target}", join(at, &key)),
                Edit::Set(target, map.get(&key)?.clone()),
            )
        }
        2 => {
            // Rename a key.
            let at = *rng.choose(&objects)?;
            let keys: Vec<&String> = doc.pointer(at)?.as_object()?.keys().collect();
            let key = (*rng.choose(&keys)?).clone();
            let new = weird_string(rng);
            one(
                format!("rename {} to {new:?}", join(at, &key)),
                Edit::Rename(at.clone(), key, new),
            )
        }
        3 => {
            // Swap two subtrees, neither inside the other.
            let a = *rng.choose(&non_root)?;
            let b = *rng.choose(&non_root)?;
            let inside = |x: &str, y: &str| x == y || y.starts_with(&format!("{x}/"));
            if inside(a, b) || inside(b, a) {
                return None;
            }
            let (va, vb) = (doc.pointer(a)?.clone(), doc.pointer(b)?.clone());
            Some(Mutation {
                what: format!("swap {a} and {b}"),
                edits: vec![Edit::Set(a.clone(), vb), Edit::Set(b.clone(), va)],
            })
        }
        4 => {
            // Replace a value with one of another type.
            let at = *rng.choose(&non_root)?;
            let value = random_value(rng, 2);
            one(
                format!("replace {at} with {}", brief(&value)),
                Edit::Set(at.clone(), value),
            )
        }
        5 => {
            // A `$ref` in place of a schema (or anything).
            let at = schema_or_any(rng);
            let reference = random_ref(rng, doc, &at);
            let mut value = json!({ "$ref": reference });
            if rng.chance(20) {
                // Siblings of a `$ref`, which 3.0 ignores and 3.1 keeps.
                value["description"] = json!(weird_string(rng));
                value["nullable"] = json!(true);
            }
            one(
                format!("$ref {reference:?} at {at}"),
                Edit::Set(at.clone(), value),
            )
        }
        6 => {
            // Nest a schema deep.
            let at = schema_or_any(rng);
            let levels = *rng.pick(DEPTHS);
            let value = nest(rng, doc.pointer(&at)?.clone(), levels);
            one(
                format!("nest {at} {levels} levels deep"),
                Edit::Set(at, value),
            )
        }
        7 => {
            // allOf/oneOf/anyOf of random members: other schemas of the document, itself,
            // random schemas.
            let at = schema_or_any(rng);
            let key = *rng.pick(&["allOf", "oneOf", "anyOf"]);
            let members: Vec<Value> = (0..rng.below(6))
                .map(|i| match rng.below(4) {
                    0 if !schemas.is_empty() => doc
                        .pointer(rng.pick(&schemas).as_str())
                        .cloned()
                        .unwrap_or(Value::Null),
                    1 => json!({"$ref": format!("#{at}")}),
                    _ => random_schema(rng, doc, &format!("{at}/{key}/{i}"), 2),
                })
                .collect();
            let mut value = json!({ key: members });
            if rng.chance(30) {
                if let Some(Value::Object(old)) = doc.pointer(&at) {
                    // Keep the schema's own keywords beside the combinator.
                    let mut merged = old.clone();
                    merged.insert(key.into(), value[key].take());
                    value = Value::Object(merged);
                }
            }
            one(
                format!("{key} of random members at {at}"),
                Edit::Set(at, value),
            )
        }
        8 => {
            // An awkward string in place of a string: a name, a description, an enum value.
            let at = (*rng.choose(&strings)?).clone();
            let new = weird_string(rng);
            one(
                format!("string {at} = {new:?}"),
                Edit::Set(at, Value::String(new)),
            )
        }
        9 => {
            // Duplicate an operationId.
            if operations.len() < 2 {
                return None;
            }
            let a = *rng.choose(&operations)?;
            let b = *rng.choose(&operations)?;
            let id = doc
                .pointer(&format!("{a}/operationId"))
                .cloned()
                .unwrap_or_else(|| json!(weird_string(rng)));
            one(
                format!("operationId of {b} = {id}"),
                Edit::Set(format!("{b}/operationId"), id),
            )
        }
        10 => {
            // A path template with broken (or merely odd) braces.
            let paths: Vec<&String> = doc.get("paths")?.as_object()?.keys().collect();
            let old = (*rng.choose(&paths)?).clone();
            let new = match rng.below(8) {
                0 => format!("{old}/{{"),
                1 => format!("{old}/}}"),
                2 => old.replace('{', ""),
                3 => old.replace('}', ""),
                4 => old.replace('{', "{{"),
                5 => format!("{old}/{{}}"),
                6 => format!("{old}/{{{}}}", weird_string(rng)),
                _ => weird_string(rng),
            };
            one(
                format!("rename path {old:?} to {new:?}"),
                Edit::Rename("/paths".into(), old, new),
            )
        }
        11 => {
            // A huge enum.
            let at = schema_or_any(rng);
            let len = *rng.pick(&[100, 1000, 2000]);
            let mut value = json!({"type": *rng.pick(&["string", "integer", "number"])});
            value["enum"] = Value::Array(random_enum(rng, len));
            if rng.chance(50) {
                value["type"] = json!("string");
                value["enum"] = Value::Array((0..len).map(|i| json!(format!("v{i}"))).collect());
            }
            one(
                format!("enum of {len} values at {at}"),
                Edit::Set(at, value),
            )
        }
        12 => {
            // A long chain of components, each referring to the next (through a `$ref`, a
            // property or an item), and a use of its start.
            let len = *rng.pick(&[50, 500, 2000]);
            let how = rng.below(3);
            let mut edits = Vec::new();
            if doc.pointer("/components/schemas").is_none() {
                if doc.pointer("/components").is_none() {
                    edits.push(Edit::Set("/components".into(), json!({})));
                }
                edits.push(Edit::Set("/components/schemas".into(), json!({})));
            }
            for i in 0..len {
                let next = if i + 1 == len && rng.chance(50) {
                    json!({"$ref": "#/components/schemas/Chain0"})
                } else {
                    json!({"$ref": format!("#/components/schemas/Chain{}", i + 1)})
                };
                let value = match how {
                    0 => next,
                    1 => json!({"type": "object", "properties": {"next": next}}),
                    _ => json!({"type": "array", "items": next}),
                };
                edits.push(Edit::Set(format!("/components/schemas/Chain{i}"), value));
            }
            let at = schema_or_any(rng);
            edits.push(Edit::Set(
                at.clone(),
                json!({"$ref": "#/components/schemas/Chain0"}),
            ));
            Some(Mutation {
                what: format!("chain of {len} components (kind {how}) used at {at}"),
                edits,
            })
        }
        13 => {
            // Copy an operation to another path or method.
            let from = *rng.choose(&operations)?;
            let op = doc.pointer(from)?.clone();
            let paths: Vec<&String> = doc.get("paths")?.as_object()?.keys().collect();
            let path = if rng.chance(50) {
                (*rng.choose(&paths)?).clone()
            } else {
                format!("/copy/{}", escape(&weird_string(rng)))
            };
            let method = *rng.pick(&["get", "put", "post", "delete", "patch", "head", "trace"]);
            let target = format!("{}/{method}", join("/paths", &path));
            let mut edits = Vec::new();
            if doc.pointer(&join("/paths", &path)).is_none() {
                edits.push(Edit::Set(join("/paths", &path), json!({})));
            }
            edits.push(Edit::Set(target.clone(), op));
            Some(Mutation {
                what: format!("copy {from} to {target}"),
                edits,
            })
        }
        14 => {
            // A schema keyword with a random value.
            let at = schema_or_any(rng);
            let keyword = *rng.pick(&[
                "type",
                "format",
                "nullable",
                "enum",
                "required",
                "properties",
                "items",
                "additionalProperties",
                "discriminator",
                "default",
                "example",
                "readOnly",
                "writeOnly",
                "deprecated",
                "minimum",
                "maxLength",
                "pattern",
                "not",
                "title",
                "description",
                "const",
                "x-nullable",
            ]);
            let value = match (keyword, rng.below(3)) {
                ("type", 0) => json!(rng.pick(TYPES)),
                ("type", 1) => json!([rng.pick(TYPES), rng.pick(TYPES)]),
                ("format", 0 | 1) => json!(rng.pick(FORMATS)),
                ("properties", 0 | 1) => random_schema(rng, doc, &at, 2)
                    .get("properties")
                    .cloned()
                    .unwrap_or(json!({})),
                ("items" | "not" | "additionalProperties", 0 | 1) => {
                    random_schema(rng, doc, &join(&at, keyword), 2)
                }
                ("enum", 0 | 1) => {
                    let len = 1 + rng.below(8);
                    Value::Array(random_enum(rng, len))
                }
                ("required", 0 | 1) => {
                    let props: Vec<String> = doc
                        .pointer(&format!("{at}/properties"))
                        .and_then(Value::as_object)
                        .map(|m| m.keys().cloned().collect())
                        .unwrap_or_default();
                    let mut names: Vec<Value> = props.into_iter().map(Value::String).collect();
                    names.push(json!(weird_string(rng)));
                    Value::Array(names)
                }
                ("discriminator", _) => {
                    json!({"propertyName": weird_string(rng), "mapping": {weird_string(rng): random_ref(rng, doc, &at)}})
                }
                _ => random_value(rng, 2),
            };
            let target = join(&at, keyword);
            one(
                format!("{target} = {}", brief(&value)),
                Edit::Set(target, value),
            )
        }
        15 => {
            // Operation-level oddities: parameters, bodies, responses.
            let op = *rng.choose(&operations)?;
            let (target, value) = match rng.below(5) {
                0 => {
                    let location = *rng.pick(&["path", "query", "header", "cookie", "body", "x"]);
                    let mut p = json!({
                        "name": weird_string(rng),
                        "in": location,
                        "schema": random_schema(rng, doc, op, 2),
                    });
                    if rng.chance(50) {
                        p["required"] = json!(rng.chance(50));
                    }
                    if rng.chance(30) {
                        p["style"] = json!(rng.pick(&[
                            "form",
                            "simple",
                            "label",
                            "matrix",
                            "spaceDelimited",
                            "pipeDelimited",
                            "deepObject",
                        ]));
                        p["explode"] = json!(rng.chance(50));
                    }
                    let n = doc
                        .pointer(&format!("{op}/parameters"))
                        .and_then(Value::as_array)
                        .map(Vec::len);
                    match n {
                        Some(n) => (format!("{op}/parameters/{n}"), p),
                        None => (format!("{op}/parameters"), json!([p])),
                    }
                }
                1 => {
                    let status = *rng.pick(&[
                        "200", "201", "2XX", "204", "default", "999", "abc", "4XX", "302", "",
                    ]);
                    let media = *rng.pick(&[
                        "application/json",
                        "text/plain",
                        "application/octet-stream",
                        "application/x-www-form-urlencoded",
                        "multipart/form-data",
                        "*/*",
                        "application/vnd.x+json; charset=utf-8",
                        "",
                        "nonsense",
                    ]);
                    (
                        join(&format!("{op}/responses"), status),
                        json!({"description": weird_string(rng), "content": {media: {"schema": random_schema(rng, doc, op, 2)}}}),
                    )
                }
                2 => {
                    let media = *rng.pick(&[
                        "application/json",
                        "application/x-www-form-urlencoded",
                        "multipart/form-data",
                        "application/octet-stream",
                        "text/plain",
                        "application/merge-patch+json",
                    ]);
                    (
                        format!("{op}/requestBody"),
                        json!({"required": rng.chance(50), "content": {media: {"schema": random_schema(rng, doc, op, 3)}}}),
                    )
                }
                3 => (format!("{op}/responses"), json!({})),
                _ => (format!("{op}/operationId"), json!(weird_string(rng))),
            };
            one(
                format!("{target} = {}", brief(&value)),
                Edit::Set(target, value),
            )
        }
        _ => {
            // A random schema anywhere a schema stands.
            let at = schema_or_any(rng);
            let value = random_schema(rng, doc, &at, 3);
            one(
                format!("schema {at} = {}", brief(&value)),
                Edit::Set(at, value),
            )
        }
    }
}

/// A short description of a value.
fn brief(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(80) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

// ---------------------------------------------------------------------------------------------
// Cases.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    Json,
    Yaml,
    /// The value itself (`load::from_raw_with`, as after an overlay), with JSON text for lines:
    /// a document nested deeper than the parsers accept still reaches the generator this way.
    Raw,
}

struct Case {
    seed: u64,
    fixture: String,
    base: Value,
    mutations: Vec<Mutation>,
    encoding: Encoding,
}

impl Case {
    fn new(seed: u64, fixtures: &[(String, Value)]) -> Case {
        let mut rng = Rng::new(seed);
        let (fixture, base) = rng.pick(fixtures).clone();
        let mut doc = base.clone();
        let mut mutations = Vec::new();
        let count = 1 + rng.below(6);
        let mut attempts = 0;
        while mutations.len() < count && attempts < 50 {
            attempts += 1;
            if let Some(m) = mutation(&mut rng, &doc) {
                for edit in &m.edits {
                    apply_edit(&mut doc, edit);
                }
                mutations.push(m);
            }
        }
        let encoding = match rng.below(10) {
            0..=4 => Encoding::Json,
            5..=7 => Encoding::Yaml,
            _ => Encoding::Raw,
        };
        Case {
            seed,
            fixture,
            base,
            mutations,
            encoding,
        }
    }

    /// The document with the mutations `keep` says (all when `None`).
    fn document(&self, keep: Option<&[bool]>) -> Value {
        let mut doc = self.base.clone();
        for (i, m) in self.mutations.iter().enumerate() {
            if keep.is_none_or(|k| k[i]) {
                for edit in &m.edits {
                    apply_edit(&mut doc, edit);
                }
            }
        }
        doc
    }

    fn describe(&self, keep: Option<&[bool]>) -> String {
        let mut out = format!(
            "seed {} ({:?} of {}.yaml):",
            self.seed, self.encoding, self.fixture
        );
        for (i, m) in self.mutations.iter().enumerate() {
            if keep.is_none_or(|k| k[i]) {
                out.push_str(&format!("\n    - {}", m.what));
            }
        }
        out
    }
}

fn fixtures() -> Vec<(String, Value)> {
    okgen_tests::construct_fixtures()
        .into_iter()
        .map(|(name, path)| {
            let text = std::fs::read_to_string(&path).expect("fixture reads");
            let value: Value = serde_yaml::from_str(&text).expect("fixture parses");
            (name, value)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Running the pipeline.

/// What one mode made of a document.
#[derive(Debug, PartialEq)]
enum Outcome {
    /// The document was refused with an error about it.
    Refused(String),
    /// A client was lowered, and emitted when asked for (the source is a function of the IR,
    /// so comparing IRs compares clients).
    Generated {
        api: Box<okgen::ir::Api>,
        source: Option<String>,
    },
}

/// The runtime the generator appends to every client of `profile`, verbatim: checked to be
/// there, and parsed once ([`runtime_parses`]) rather than in every case.
fn runtime_suffix(profile: okgen::Profile) -> &'static str {
    match okgen::runtime_source(profile) {
        Ok(runtime) => runtime,
        Err(e) => panic!("the runtime must stamp: {e}"),
    }
}

/// A document as the pipeline reads it, prepared outside the thread the pipeline runs on (a
/// deeply nested value costs stack to serialize, clone and drop).
struct Input {
    path: &'static str,
    text: String,
    /// For [`Encoding::Raw`]: the value itself.
    raw: Option<Value>,
}

impl Input {
    fn new(case: &Case, doc: &Value) -> Result<Input, String> {
        let json = || {
            // Pretty (lines to find) unless so deep that its indentation would be huge.
            if depth_of(doc) < 200 {
                serde_json::to_string_pretty(doc)
            } else {
                serde_json::to_string(doc)
            }
            .map_err(|e| format!("to JSON: {e}"))
        };
        Ok(match case.encoding {
            Encoding::Json | Encoding::Raw => Input {
                path: "fuzz.json",
                text: json()?,
                raw: (case.encoding == Encoding::Raw).then(|| doc.clone()),
            },
            Encoding::Yaml => Input {
                path: "fuzz.yaml",
                text: serde_yaml::to_string(doc).map_err(|e| format!("to YAML: {e}"))?,
                raw: None,
            },
        })
    }

    fn copy(&self) -> Input {
        Input {
            path: self.path,
            text: self.text.clone(),
            raw: self.raw.clone(),
        }
    }
}

/// Runs load → lower → emit in `mode`; `Err` for what is a bug in the generator.
fn pipeline(input: Input, mode: Mode, emit: bool) -> Result<Outcome, String> {
    let loaded = match input.raw {
        Some(raw) => okgen::load::from_raw_with(input.path.into(), input.text, raw, mode),
        None => okgen::load::parse_with(input.path, input.text, mode),
    };
    let doc = match loaded {
        Ok(doc) => doc,
        Err(e @ okgen::Error::Internal { .. }) => return Err(format!("load: {e}")),
        Err(e) => return Ok(Outcome::Refused(e.to_string())),
    };
    let api = match okgen::lower_document(&doc, &okgen::Selection::default()) {
        Ok(api) => api,
        Err(e @ okgen::Error::Internal { .. }) => return Err(format!("lower: {e}")),
        Err(e) => return Ok(Outcome::Refused(e.to_string())),
    };
    if mode == Mode::Strict && !api.warnings.is_empty() {
        return Err(format!(
            "strict mode returned warnings: {}",
            api.warnings[0]
        ));
    }
    if !emit {
        return Ok(Outcome::Generated {
            api: Box::new(api),
            source: None,
        });
    }
    let source = okgen::emit(&api).map_err(|e| format!("emit: {e}"))?;
    let generated = source
        .strip_suffix(runtime_suffix(api.profile))
        .ok_or("the output does not end with the runtime templates")?;
    if let Err(e) = syn::parse_file(generated) {
        return Err(format!("the output does not parse as Rust: {e}"));
    }
    Ok(Outcome::Generated {
        api: Box::new(api),
        source: Some(source),
    })
}

/// Runs a case (or the mutations `keep` says of it) on an 8 MiB thread: `Err` with what went
/// wrong (a panic, a bug, modes that disagree); the lenient outcome otherwise.
fn run_case(case: &Case, keep: Option<&[bool]>, twice: bool) -> Result<Outcome, String> {
    let doc = case.document(keep);
    let input = Input::new(case, &doc)?;
    let inputs = [input.copy(), input.copy(), input];
    let handle = std::thread::Builder::new()
        .name(CASE_THREAD.into())
        .stack_size(STACK)
        .spawn(move || check_case(inputs, twice))
        .expect("thread spawns");
    match handle.join() {
        Ok(result) => result,
        Err(panic) => Err(format!("panic: {}", panic_message(&panic))),
    }
}

fn check_case([first, second, third]: [Input; 3], twice: bool) -> Result<Outcome, String> {
    let lenient = pipeline(first, Mode::Lenient, true)?;
    let strict = pipeline(second, Mode::Strict, false)?;
    match (&lenient, &strict) {
        (Outcome::Generated { api, .. }, Outcome::Generated { api: s, .. }) => {
            if !api.warnings.is_empty() {
                return Err(format!(
                    "strict mode generates where lenient mode warns: {}",
                    api.warnings[0]
                ));
            }
            if api != s {
                return Err("lenient and strict mode lower differently".into());
            }
        }
        (Outcome::Generated { api, .. }, Outcome::Refused(e)) if api.warnings.is_empty() => {
            return Err(format!(
                "lenient mode generates without a warning, strict mode refuses: {e}"
            ))
        }
        (Outcome::Refused(e), Outcome::Generated { .. }) => {
            return Err(format!(
                "strict mode generates where lenient mode refuses: {e}"
            ))
        }
        _ => {}
    }
    if twice && pipeline(third, Mode::Lenient, true)? != lenient {
        return Err("the same document generates two different clients".into());
    }
    Ok(lenient)
}

/// Runs `f` on a thread with a large stack: the test's own work on deeply nested values
/// (building, cloning, serializing, dropping them) is recursive, and is not what is tested.
fn on_large_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn_scoped(scope, f)
            .expect("thread spawns")
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "(not a string)".into())
}

/// Drops the mutations a failure does not need (one at a time, while it still fails).
fn minimise(case: &Case) -> Vec<bool> {
    let mut keep = vec![true; case.mutations.len()];
    for i in 0..keep.len() {
        keep[i] = false;
        if run_case(case, Some(&keep), false).is_ok() {
            keep[i] = true;
        }
    }
    keep
}

/// Writes a failing document where it can be looked at.
fn save(case: &Case, keep: Option<&[bool]>) -> PathBuf {
    let dir = okgen_tests::workspace().join("target/okgen-fuzz");
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("case-{}.json", case.seed));
    let text = serde_json::to_string_pretty(&case.document(keep)).unwrap_or_default();
    let _ = std::fs::write(&path, text);
    path
}

// ---------------------------------------------------------------------------------------------
// The tests.

fn env_u64(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a whole number, not {v:?}")),
        Err(_) => default,
    }
}

const TEST_NAME: &str = "mutated_documents_never_panic_crash_or_hang";

#[test]
fn mutated_documents_never_panic_crash_or_hang() {
    let cases = env_u64("OKGEN_FUZZ_CASES", DEFAULT_CASES);
    let seed = env_u64("OKGEN_FUZZ_SEED", DEFAULT_SEED);
    if let Ok(from) = std::env::var("OKGEN_FUZZ_CHILD") {
        let from: u64 = from.parse().expect("OKGEN_FUZZ_CHILD is a case number");
        on_large_stack(|| child(seed, from, cases));
        return;
    }
    on_large_stack(|| parent(seed, cases));
}

fn parent(seed: u64, cases: u64) {
    let fixtures = fixtures();
    let mut failures: Vec<String> = Vec::new();
    let mut from = 0;
    while from < cases {
        let (stopped, mut found) = run_child(seed, from, cases);
        failures.append(&mut found);
        match stopped {
            None => break,
            Some((case, how)) => {
                let c = Case::new(seed.wrapping_add(case), &fixtures);
                let saved = save(&c, None);
                failures.push(format!(
                    "{how} in case {}\n  saved as {}",
                    c.describe(None),
                    saved.display()
                ));
                from = case + 1;
            }
        }
        if failures.len() > 20 {
            break;
        }
    }
    assert!(
        failures.is_empty(),
        "{} fuzz failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Runs cases `from..cases` in a child process. Returns the case it crashed or hung in (and
/// how), and the failures it reported.
fn run_child(seed: u64, from: u64, cases: u64) -> (Option<(u64, String)>, Vec<String>) {
    let exe = std::env::current_exe().expect("the test's executable");
    let mut child = Command::new(exe)
        .args([TEST_NAME, "--exact", "--nocapture", "--test-threads=1"])
        .env("OKGEN_FUZZ_CHILD", from.to_string())
        .env("OKGEN_FUZZ_CASES", cases.to_string())
        .env("OKGEN_FUZZ_SEED", seed.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the test runs itself");
    let stdout = child.stdout.take().expect("piped");
    let stderr = child.stderr.take().expect("piped");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut BufReader::new(stderr), &mut text);
        text
    });
    let mut current: Option<u64> = None;
    let mut failures = Vec::new();
    let mut finished = false;
    loop {
        match rx.recv_timeout(HANG_LIMIT) {
            Ok(line) => {
                let Some(rest) = line.strip_prefix(TAG) else {
                    continue;
                };
                if let Some(n) = rest.strip_prefix("start ") {
                    current = n.parse().ok();
                } else if let Some(report) = rest.strip_prefix("fail ") {
                    let report: String =
                        serde_json::from_str(report).unwrap_or_else(|_| report.to_owned());
                    failures.push(report);
                } else if rest == "end" {
                    finished = true;
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let _ = child.kill();
                let _ = child.wait();
                let case = current.unwrap_or(from);
                return (
                    Some((case, format!("no progress for {HANG_LIMIT:?} (a hang)"))),
                    failures,
                );
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    let status = child.wait().expect("the child is waited for");
    let errors = errors.join().unwrap_or_default();
    if finished && status.success() {
        return (None, failures);
    }
    if finished {
        // Failures were reported; the child exits with failure for them.
        return (None, failures);
    }
    let tail: String = errors
        .lines()
        .rev()
        .take(5)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<Vec<_>>()
        .join("\n    ");
    let case = current.unwrap_or(from);
    (
        Some((case, format!("the process died ({status}):\n    {tail}\n"))),
        failures,
    )
}

/// The child: runs the cases and says what it does on stdout.
fn child(seed: u64, from: u64, cases: u64) {
    // A case's panic is reported with its case; the default hook would print it on stderr too.
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().name() != Some(CASE_THREAD) {
            default(info);
        }
    }));
    let fixtures = fixtures();
    let mut out = std::io::stdout().lock();
    let mut failed = false;
    for i in from..cases {
        writeln!(out, "{TAG}start {i}").expect("stdout");
        out.flush().expect("stdout");
        let case = Case::new(seed.wrapping_add(i), &fixtures);
        if std::env::var_os("OKGEN_FUZZ_SAVE").is_some() {
            // Every case, before it runs, with its description beside it (for debugging).
            let saved = save(&case, None);
            let _ = std::fs::write(saved.with_extension("txt"), case.describe(None));
        }
        if let Err(problem) = run_case(&case, None, i % 8 == 0) {
            failed = true;
            let keep = minimise(&case);
            let saved = save(&case, Some(&keep));
            let report = format!(
                "{problem}\n  in case {}\n  saved as {}",
                case.describe(Some(&keep)),
                saved.display()
            );
            writeln!(
                out,
                "{TAG}fail {}",
                serde_json::to_string(&report).expect("a string")
            )
            .expect("stdout");
        }
    }
    writeln!(out, "{TAG}end").expect("stdout");
    out.flush().expect("stdout");
    drop(out);
    let _ = std::panic::take_hook();
    assert!(!failed, "fuzz failures were reported");
}

/// The runtime appended to every client parses on its own (the cases parse only what comes
/// before it).
#[test]
fn the_runtime_appended_to_every_client_parses() {
    for profile in [okgen::Profile::Okta, okgen::Profile::Generic] {
        syn::parse_file(runtime_suffix(profile)).expect("the runtime parses");
    }
}

/// How many generated fuzz outputs [`generated_fuzz_clients_compile_without_warnings`]
/// compiles.
const COMPILED: usize = 20;

/// Generated clients of fuzz cases compile without warnings, with clippy, all in one crate
/// (each as a module: generated code refers only to `super::` paths). It catches "generated,
/// but does not compile", which parsing cannot. Costs about 40 s once the runtime's
/// dependencies are built in `target/okgen-fixtures/target` (see `compile.rs`): the crate holds
/// the runtime 20 times.
#[test]
fn generated_fuzz_clients_compile_without_warnings() {
    on_large_stack(compile_fuzz_clients);
}

fn compile_fuzz_clients() {
    let fixtures = fixtures();
    let mut modules = String::new();
    let mut chosen = Vec::new();
    let mut seed = DEFAULT_SEED;
    while chosen.len() < COMPILED && seed < DEFAULT_SEED + 10 * DEFAULT_CASES {
        let case = Case::new(seed, &fixtures);
        seed += 1;
        // Raw documents deeper than the parsers accept are covered by the other test.
        if case.encoding == Encoding::Raw {
            continue;
        }
        let Ok(Outcome::Generated {
            source: Some(source),
            ..
        }) = run_case(&case, None, false)
        else {
            continue;
        };
        // Cases that kept an operation. (A client whose every operation was left out has a
        // known warning: the runtime's `Request::new` is then never used, `dead_code`.)
        if !source.contains("super::client::Request::new(") {
            continue;
        }
        modules.push_str(&format!(
            "/// Fuzz case seed {}.\npub mod case_{} {{\n{source}}}\n\n",
            case.seed, case.seed
        ));
        chosen.push(case.seed);
    }
    assert_eq!(chosen.len(), COMPILED, "enough fuzz cases generate");
    let dir = okgen_tests::workspace().join("target/okgen-fixtures/fuzz-clients");
    let generated = okgen::Generated {
        source: format!("//! Generated clients of fuzz cases {chosen:?}.\n\n{modules}"),
        api: okgen::ir::Api::default(),
        inputs: Vec::new(),
        warnings: Vec::new(),
    };
    okgen::write_standalone_crate(&dir, &generated).expect("crate written");
    let (ok, stderr) = okgen_tests::cargo_clippy(&dir);
    assert!(ok, "fuzz clients do not compile:\n{stderr}");
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning"))
        .collect();
    assert!(warnings.is_empty(), "fuzz clients have warnings:\n{stderr}");
}
