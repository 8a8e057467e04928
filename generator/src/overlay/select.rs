//! The evaluation of an overlay's targets: RFC 9535 JSONPath (`serde_json_path`), one segment at
//! a time with a bound on the nodes each step may visit or select. Compiled with the `overlay`
//! feature only.

use serde_json::Value;
use serde_json_path::JsonPath;

use super::Refusal;

/// The JSON pointers of the nodes `target` selects in `doc`, in the query's order (duplicates
/// kept). The query is first evaluated segment by segment, counting: before each step, the
/// nodes it could visit or select are estimated from the nodes selected so far, and a step over
/// `budget` is refused before it runs, so a target such as `$..*..*..*..*..*` costs at most a
/// bounded amount of time and memory, whatever the document.
pub(super) fn select(doc: &Value, target: &str, budget: usize) -> Result<Vec<String>, Refusal> {
    let path = JsonPath::parse(target).map_err(|e| Refusal::Invalid(e.to_string()))?;
    let Some(segments) = segments(target) else {
        // The query parsed, so this does not happen; without its segments the cost cannot be
        // bounded, so only a query without any `..` is evaluated.
        if target.contains("..") {
            return Err(Refusal::TooCostly(
                "okgen cannot split it into segments to bound its cost".into(),
            ));
        }
        return Ok(locations(&path, doc));
    };
    let mut shape: Option<Shape> = None;
    let mut current: Vec<&Value> = vec![doc];
    for (step, segment) in segments.iter().enumerate() {
        let estimate = estimate(segment, &current, doc, &mut shape, budget);
        if estimate > budget {
            return Err(Refusal::TooCostly(format!(
                "step {} (`{}`) would visit or select more than {budget} nodes",
                step + 1,
                segment.text
            )));
        }
        current = evaluate(segment, &current, doc, &target[..segment.end])?;
        if current.len() > budget {
            return Err(Refusal::TooCostly(format!(
                "step {} (`{}`) selects {} nodes, more than {budget}",
                step + 1,
                segment.text,
                current.len()
            )));
        }
    }
    Ok(locations(&path, doc))
}

fn locations(path: &JsonPath, doc: &Value) -> Vec<String> {
    path.query_located(doc)
        .locations()
        .map(|l| l.to_json_pointer())
        .collect()
}

/// The nodes one segment selects from `current`.
fn evaluate<'v>(
    segment: &Segment<'_>,
    current: &[&'v Value],
    doc: &'v Value,
    prefix: &str,
) -> Result<Vec<&'v Value>, Refusal> {
    let alone = if segment.root_ref {
        None
    } else {
        JsonPath::parse(&format!("${}", segment.text)).ok()
    };
    Ok(match alone {
        // Applied to each node: `$` in the segment's own query is that node.
        Some(step) => current
            .iter()
            .flat_map(|node| step.query(node).all())
            .collect(),
        // A filter that names the document's root (`$`) is evaluated from the root, as the
        // prefix of the target up to this segment.
        None => JsonPath::parse(prefix)
            .map_err(|e| Refusal::Invalid(e.to_string()))?
            .query(doc)
            .all(),
    })
}

/// The size and depth of the whole document, computed once when a filter needs them.
#[derive(Debug, Clone, Copy)]
struct Shape {
    nodes: usize,
    depth: usize,
}

fn shape(doc: &Value) -> Shape {
    let mut nodes = 0;
    let mut depth = 0;
    let mut stack = vec![(doc, 0usize)];
    while let Some((value, d)) = stack.pop() {
        nodes += 1;
        depth = depth.max(d);
        match value {
            Value::Object(map) => stack.extend(map.values().map(|v| (v, d + 1))),
            Value::Array(items) => stack.extend(items.iter().map(|v| (v, d + 1))),
            _ => {}
        }
    }
    Shape { nodes, depth }
}

/// How many nodes `value` and its descendants are, counting at most `cap` (then returning
/// `cap`): the walk stops there, so counting never costs more than the budget.
fn subtree_size(value: &Value, cap: usize) -> usize {
    let mut count = 0;
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        count += 1;
        if count >= cap {
            return cap;
        }
        match value {
            Value::Object(map) => stack.extend(map.values()),
            Value::Array(items) => stack.extend(items.iter()),
            _ => {}
        }
    }
    count
}

fn children(value: &Value) -> usize {
    match value {
        Value::Object(map) => map.len(),
        Value::Array(items) => items.len(),
        _ => 0,
    }
}

/// An upper bound (saturating above `budget`) of the nodes one segment visits or selects when
/// applied to `current`.
fn estimate(
    segment: &Segment<'_>,
    current: &[&Value],
    doc: &Value,
    shape_of_doc: &mut Option<Shape>,
    budget: usize,
) -> usize {
    let cap = budget.saturating_add(1);
    // The nodes whose subtrees a descendant segment, or a filter's `..`, walks.
    let mut subtrees = 0usize;
    if segment.descendant || segment.nested_descendants > 0 {
        for node in current {
            subtrees += subtree_size(node, cap - subtrees);
            if subtrees >= cap {
                return cap;
            }
        }
    }
    let visited = if segment.descendant {
        subtrees
    } else {
        current
            .iter()
            .fold(0usize, |n, node| n.saturating_add(children(node)))
    };
    // A child or index selector selects at most one node per visited node, a wildcard or
    // filter at most all of them; several selectors add up.
    let mut cost = visited.saturating_mul(segment.selectors.max(1));
    if segment.nested_descendants > 0 {
        let shape = *shape_of_doc.get_or_insert_with(|| shape(doc));
        let per_level = shape.depth.saturating_add(1);
        let extra = segment.nested_descendants - 1 + usize::from(segment.descendant);
        let levels = (0..extra).fold(1usize, |n, _| n.saturating_mul(per_level));
        let filters = if segment.root_ref {
            // Each filter evaluation may walk the whole document.
            visited.saturating_mul(shape.nodes)
        } else {
            subtrees
        };
        cost = cost.max(filters.saturating_mul(levels));
    }
    cost
}

/// One segment of a JSONPath query, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Segment<'a> {
    /// The segment's text (`.name`, `..*`, `['a','b']`, `..[?@.x]`).
    pub(super) text: &'a str,
    /// Where it ends in the query.
    pub(super) end: usize,
    /// A descendant segment (`..`).
    pub(super) descendant: bool,
    /// How many selectors a bracketed segment lists.
    pub(super) selectors: usize,
    /// How many `..` its filters' own queries hold.
    pub(super) nested_descendants: usize,
    /// Whether its filters name the root (`$`).
    pub(super) root_ref: bool,
}

/// Splits an RFC 9535 query into its segments, or `None` when it is not shaped like one.
pub(super) fn segments(query: &str) -> Option<Vec<Segment<'_>>> {
    let bytes = query.as_bytes();
    if bytes.first() != Some(&b'$') {
        return None;
    }
    let mut out = Vec::new();
    let mut i = 1;
    loop {
        while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
            i += 1;
        }
        if i == bytes.len() {
            return Some(out);
        }
        let start = i;
        let descendant = query[i..].starts_with("..");
        let mut segment = Segment {
            text: "",
            end: 0,
            descendant,
            selectors: 1,
            nested_descendants: 0,
            root_ref: false,
        };
        if descendant {
            i += 2;
        } else if bytes[i] == b'.' {
            i += 1;
        } else if bytes[i] != b'[' {
            return None;
        }
        let dotted = i > start;
        match bytes.get(i) {
            Some(b'[') => i = bracket(query, i, &mut segment)?,
            Some(b'*') if dotted => i += 1,
            Some(_) if dotted => {
                let name: usize = query[i..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || !c.is_ascii())
                    .map(char::len_utf8)
                    .sum();
                if name == 0 || query[i..].starts_with(|c: char| c.is_ascii_digit()) {
                    return None;
                }
                i += name;
            }
            _ => return None,
        }
        segment.text = &query[start..i];
        segment.end = i;
        out.push(segment);
    }
}

/// Scans the bracketed selection starting at `query[start] == '['`; returns where it ends.
fn bracket(query: &str, start: usize, segment: &mut Segment<'_>) -> Option<usize> {
    let mut depth = 0usize;
    let mut parens = 0usize;
    let mut quote: Option<char> = None;
    let mut chars = query[start..].char_indices().peekable();
    while let Some((offset, c)) = chars.next() {
        if let Some(q) = quote {
            if c == '\\' {
                chars.next();
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => quote = Some(c),
            '[' => depth += 1,
            ']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(start + offset + 1);
                }
            }
            '(' => parens += 1,
            ')' => parens = parens.checked_sub(1)?,
            ',' if depth == 1 && parens == 0 => segment.selectors += 1,
            '$' => segment.root_ref = true,
            '.' if chars.peek().is_some_and(|(_, next)| *next == '.') => {
                chars.next();
                segment.nested_descendants += 1;
            }
            _ => {}
        }
    }
    None
}
