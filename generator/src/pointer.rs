//! JSON pointers (RFC 6901): building them, and finding the line a pointer names in YAML text.

/// Escapes one reference token.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Unescapes one reference token.
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// `base` + `/token`, escaped.
pub fn join(base: &str, token: &str) -> String {
    format!("{base}/{}", escape(token))
}

/// Converts the path reported by `serde_path_to_error` into a JSON pointer.
pub fn from_serde_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("/{index}")),
            Segment::Map { key } => out.push_str(&join("", key)),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    out
}

/// Finds the 1-based line of the value a JSON pointer names in block-style YAML.
///
/// Best effort: flow style, anchors and multi-document files give `None` rather than a wrong
/// line.
pub fn yaml_line(text: &str, pointer: &str) -> Option<usize> {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let tokens: Vec<String> = if pointer.is_empty() {
        Vec::new()
    } else {
        pointer
            .strip_prefix('/')?
            .split('/')
            .map(unescape)
            .collect()
    };
    // The block we are inside: lines after `pos` with indent greater than `parent`.
    let mut pos = 0usize;
    let mut parent: isize = -1;
    let mut found = 0usize;
    for token in &tokens {
        let child = child_indent(&lines, pos, parent)?;
        if let Ok(index) = token.parse::<usize>() {
            if let Some(line) = find_item(&lines, pos, parent, child, index) {
                // Treat the `- ` of the item as indentation, so a mapping that starts on the
                // same line is found like any other.
                let l = &mut lines[line];
                l.replace_range(child..child + 1, " ");
                pos = line;
                parent = child as isize;
                found = line;
                continue;
            }
        }
        let line = find_key(&lines, pos, parent, child, token)?;
        pos = line + 1;
        parent = child as isize;
        found = line;
    }
    Some(found + 1)
}

fn indent_of(line: &str) -> Option<usize> {
    let trimmed = line.trim_start_matches(' ');
    if trimmed.is_empty() || trimmed.starts_with('#') {
        None
    } else {
        Some(line.len() - trimmed.len())
    }
}

fn child_indent(lines: &[String], pos: usize, parent: isize) -> Option<usize> {
    lines
        .iter()
        .skip(pos)
        .find_map(|l| indent_of(l))
        .and_then(|i| (i as isize > parent).then_some(i))
}

fn find_key(lines: &[String], pos: usize, parent: isize, child: usize, key: &str) -> Option<usize> {
    for (n, line) in lines.iter().enumerate().skip(pos) {
        let Some(indent) = indent_of(line) else {
            continue;
        };
        if (indent as isize) <= parent {
            return None;
        }
        if indent != child {
            continue;
        }
        let rest = &line[indent..];
        let candidates = [
            format!("{key}:"),
            format!("'{key}':"),
            format!("\"{key}\":"),
        ];
        if candidates.iter().any(|c| {
            rest.starts_with(c.as_str())
                && rest[c.len()..].chars().next().is_none_or(|ch| ch == ' ')
        }) {
            return Some(n);
        }
    }
    None
}

fn find_item(
    lines: &[String],
    pos: usize,
    parent: isize,
    child: usize,
    index: usize,
) -> Option<usize> {
    let mut seen = 0usize;
    for (n, line) in lines.iter().enumerate().skip(pos) {
        let Some(indent) = indent_of(line) else {
            continue;
        };
        if (indent as isize) <= parent {
            return None;
        }
        if indent == child && (line[indent..].starts_with("- ") || &line[indent..] == "-") {
            if seen == index {
                return Some(n);
            }
            seen += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "openapi: 3.0.3\npaths:\n  /a/{id}:\n    get:\n      parameters:\n        - name: id\n          in: path\n        - $ref: '#/x'\n      responses:\n        '200':\n          description: ok\n";

    #[test]
    fn finds_keys_items_and_quoted_keys() {
        assert_eq!(yaml_line(DOC, "/openapi"), Some(1));
        assert_eq!(yaml_line(DOC, "/paths/~1a~1{id}/get"), Some(4));
        assert_eq!(
            yaml_line(DOC, "/paths/~1a~1{id}/get/parameters/0/in"),
            Some(7)
        );
        assert_eq!(yaml_line(DOC, "/paths/~1a~1{id}/get/parameters/1"), Some(8));
        assert_eq!(
            yaml_line(DOC, "/paths/~1a~1{id}/get/parameters/1/$ref"),
            Some(8)
        );
        assert_eq!(
            yaml_line(DOC, "/paths/~1a~1{id}/get/responses/200/description"),
            Some(11)
        );
    }

    #[test]
    fn unknown_places_give_none() {
        assert_eq!(yaml_line(DOC, "/paths/~1b"), None);
        assert_eq!(yaml_line(DOC, "/paths/~1a~1{id}/get/parameters/2"), None);
        assert_eq!(yaml_line("{a: 1}", "/a"), None);
    }

    #[test]
    fn escaping_round_trips() {
        assert_eq!(join("/paths", "/a/{b}~c"), "/paths/~1a~1{b}~0c");
        assert_eq!(unescape("~1a~1{b}~0c"), "/a/{b}~c");
    }
}
