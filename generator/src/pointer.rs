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

/// The reference tokens of a pointer, unescaped; `None` when it is neither empty nor starts
/// with `/`.
fn tokens_of(pointer: &str) -> Option<Vec<String>> {
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    Some(
        pointer
            .strip_prefix('/')?
            .split('/')
            .map(unescape)
            .collect(),
    )
}

/// Finds the 1-based line of the value a JSON pointer names in block-style YAML.
///
/// Best effort: flow style, anchors and multi-document files give `None` rather than a wrong
/// line. Sequences may be indented under their key or written at the key's own indent
/// (`key:\n- a\n- b`).
pub fn yaml_line(text: &str, pointer: &str) -> Option<usize> {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let tokens = tokens_of(pointer)?;
    // The block we are inside: lines after `pos` with indent greater than `parent`.
    let mut pos = 0usize;
    let mut parent: isize = -1;
    let mut found = 0usize;
    for token in &tokens {
        if let Ok(index) = token.parse::<usize>() {
            // `key:` followed by `- item` at the key's own indent is a sequence too.
            let compact = usize::try_from(parent).ok().filter(|&p| {
                lines
                    .iter()
                    .skip(pos)
                    .find(|l| indent_of(l).is_some())
                    .is_some_and(|l| indent_of(l) == Some(p) && is_item(&l[p..]))
            });
            let item = match compact {
                Some(child) => find_item(&lines, pos, child as isize - 1, child, index, true)
                    .map(|line| (line, child)),
                None => child_indent(&lines, pos, parent).and_then(|child| {
                    find_item(&lines, pos, parent, child, index, false).map(|line| (line, child))
                }),
            };
            if let Some((line, child)) = item {
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
        let child = child_indent(&lines, pos, parent)?;
        let line = find_key(&lines, pos, parent, child, token)?;
        pos = line + 1;
        parent = child as isize;
        found = line;
    }
    Some(found + 1)
}

/// Finds the 1-based line of the value a JSON pointer names in JSON text: for a member of an
/// object the line of its key, for an element of an array the line where it starts. The first
/// occurrence wins when an object repeats a key.
///
/// One pass over the text with an explicit stack (no recursion, so nesting depth costs no
/// native stack); `None` when the pointer names nothing or the text is not JSON.
pub fn json_line(text: &str, pointer: &str) -> Option<usize> {
    enum Frame {
        Object { expect_key: bool },
        Array { index: usize },
    }
    let tokens = tokens_of(pointer)?;
    let bytes = text.as_bytes();
    let mut i = 0usize;
    let mut line = 1usize;
    let mut stack: Vec<Frame> = Vec::new();
    // How many leading tokens the path of the value being read matches.
    let mut matched = 0usize;
    loop {
        while let Some(&b) = bytes.get(i) {
            match b {
                b'\n' => line += 1,
                b' ' | b'\t' | b'\r' => {}
                _ => break,
            }
            i += 1;
        }
        let &b = bytes.get(i)?;
        let depth = stack.len();
        match (stack.last_mut(), b) {
            (Some(Frame::Object { expect_key }), b'"') if *expect_key => {
                let key_line = line;
                let key = read_json_string(bytes, &mut i, &mut line)?;
                *expect_key = false;
                matched = matched.min(depth - 1);
                if matched == depth - 1 && tokens.get(depth - 1) == Some(&key) {
                    matched = depth;
                    if matched == tokens.len() {
                        return Some(key_line);
                    }
                }
                continue;
            }
            (Some(Frame::Object { expect_key }), b',') => {
                *expect_key = true;
                i += 1;
                continue;
            }
            (Some(Frame::Array { index }), b',') => {
                *index += 1;
                i += 1;
                continue;
            }
            (_, b':') => {
                i += 1;
                continue;
            }
            (_, b'}' | b']') => {
                stack.pop();
                matched = matched.min(stack.len());
                i += 1;
                continue;
            }
            _ => {}
        }
        // The start of a value.
        match stack.last() {
            None if tokens.is_empty() => return Some(line),
            None => {}
            Some(Frame::Array { index }) => {
                matched = matched.min(depth - 1);
                if matched == depth - 1 && tokens.get(depth - 1) == Some(&index.to_string()) {
                    matched = depth;
                    if matched == tokens.len() {
                        return Some(line);
                    }
                }
            }
            Some(Frame::Object { .. }) => {}
        }
        match b {
            b'{' => {
                stack.push(Frame::Object { expect_key: true });
                i += 1;
            }
            b'[' => {
                stack.push(Frame::Array { index: 0 });
                i += 1;
            }
            b'"' => {
                read_json_string(bytes, &mut i, &mut line)?;
            }
            _ => {
                let start = i;
                while bytes.get(i).is_some_and(|c| {
                    !matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b',' | b'}' | b']' | b':')
                }) {
                    i += 1;
                }
                if i == start {
                    return None;
                }
            }
        }
    }
}

/// Reads the JSON string starting at `bytes[*i]` (a `"`), decoding escapes; moves `*i` past
/// its closing quote.
fn read_json_string(bytes: &[u8], i: &mut usize, line: &mut usize) -> Option<String> {
    let mut out: Vec<u8> = Vec::new();
    *i += 1;
    loop {
        let &b = bytes.get(*i)?;
        *i += 1;
        match b {
            b'"' => return String::from_utf8(out).ok(),
            b'\\' => {
                let &e = bytes.get(*i)?;
                *i += 1;
                let c = match e {
                    b'"' => '"',
                    b'\\' => '\\',
                    b'/' => '/',
                    b'b' => '\u{8}',
                    b'f' => '\u{c}',
                    b'n' => '\n',
                    b'r' => '\r',
                    b't' => '\t',
                    b'u' => {
                        let high = read_hex4(bytes, i)?;
                        if (0xD800..0xDC00).contains(&high)
                            && bytes.get(*i) == Some(&b'\\')
                            && bytes.get(*i + 1) == Some(&b'u')
                        {
                            let mut j = *i + 2;
                            match read_hex4(bytes, &mut j) {
                                Some(low) if (0xDC00..0xE000).contains(&low) => {
                                    *i = j;
                                    char::from_u32(
                                        0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00),
                                    )
                                    .unwrap_or('\u{fffd}')
                                }
                                _ => '\u{fffd}',
                            }
                        } else {
                            char::from_u32(high).unwrap_or('\u{fffd}')
                        }
                    }
                    _ => return None,
                };
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
            b'\n' => {
                *line += 1;
                out.push(b);
            }
            _ => out.push(b),
        }
    }
}

fn read_hex4(bytes: &[u8], i: &mut usize) -> Option<u32> {
    let digits = std::str::from_utf8(bytes.get(*i..*i + 4)?).ok()?;
    let value = u32::from_str_radix(digits, 16).ok()?;
    *i += 4;
    Some(value)
}

fn is_item(rest: &str) -> bool {
    rest.starts_with("- ") || rest == "-"
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

/// The line of item `index` of the sequence whose items are at indent `child`; the block ends
/// at a line indented `stop` or less, and, for a sequence at its key's indent (`compact`), at
/// a line at `child` that is not an item.
fn find_item(
    lines: &[String],
    pos: usize,
    stop: isize,
    child: usize,
    index: usize,
    compact: bool,
) -> Option<usize> {
    let mut seen = 0usize;
    for (n, line) in lines.iter().enumerate().skip(pos) {
        let Some(indent) = indent_of(line) else {
            continue;
        };
        if (indent as isize) <= stop {
            return None;
        }
        if indent == child {
            if is_item(&line[indent..]) {
                if seen == index {
                    return Some(n);
                }
                seen += 1;
            } else if compact {
                return None;
            }
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
    fn sequences_at_their_keys_indent_keep_their_lines() {
        let text = "openapi: 3.0.3\ntags:\n- name: a\n  description: first\n- name: b\npaths:\n  /a:\n    get:\n      parameters:\n      - name: id\n        in: path\n      - name: q\n      responses: {}\n";
        assert_eq!(yaml_line(text, "/tags/0"), Some(3));
        assert_eq!(yaml_line(text, "/tags/0/description"), Some(4));
        assert_eq!(yaml_line(text, "/tags/1/name"), Some(5));
        assert_eq!(yaml_line(text, "/tags/2"), None);
        assert_eq!(yaml_line(text, "/paths/~1a/get/parameters/0/in"), Some(11));
        assert_eq!(yaml_line(text, "/paths/~1a/get/parameters/1"), Some(12));
        // The block ends at the next key of the mapping the sequence is in.
        assert_eq!(yaml_line(text, "/paths/~1a/get/parameters/2"), None);
        assert_eq!(yaml_line(text, "/paths/~1a/get/responses"), Some(13));
    }

    const JSON: &str = r##"{
  "openapi": "3.0.3",
  "paths": {
    "/a/{id}": {
      "get": {
        "parameters": [
          {"name": "id", "in": "path"},
          {
            "$ref": "#/x"
          }
        ],
        "responses": {"200": {"description": "ok"}}
      }
    }
  },
  "components": {"schemas": {"A\u002fB": {"type": "string", "enum": ["x", "y\"z", {"k": 1}]}, "C": {"items": [1, [2, 3], 4]}}}
}
"##;

    #[test]
    fn json_pointers_find_their_lines() {
        assert_eq!(json_line(JSON, ""), Some(1));
        assert_eq!(json_line(JSON, "/openapi"), Some(2));
        assert_eq!(json_line(JSON, "/paths/~1a~1{id}/get"), Some(5));
        assert_eq!(json_line(JSON, "/paths/~1a~1{id}/get/parameters"), Some(6));
        assert_eq!(
            json_line(JSON, "/paths/~1a~1{id}/get/parameters/0"),
            Some(7)
        );
        assert_eq!(
            json_line(JSON, "/paths/~1a~1{id}/get/parameters/0/in"),
            Some(7)
        );
        assert_eq!(
            json_line(JSON, "/paths/~1a~1{id}/get/parameters/1"),
            Some(8)
        );
        assert_eq!(
            json_line(JSON, "/paths/~1a~1{id}/get/parameters/1/$ref"),
            Some(9)
        );
        assert_eq!(
            json_line(JSON, "/paths/~1a~1{id}/get/responses/200/description"),
            Some(12)
        );
        // Escaped keys are decoded before they are compared.
        assert_eq!(json_line(JSON, "/components/schemas/A~1B/type"), Some(16));
        assert_eq!(json_line(JSON, "/components/schemas/C/items/2"), Some(16));
    }

    #[test]
    fn json_pointers_that_name_nothing_give_none() {
        assert_eq!(json_line(JSON, "/nope"), None);
        assert_eq!(json_line(JSON, "/paths/~1a~1{id}/get/parameters/2"), None);
        assert_eq!(json_line(JSON, "/paths/~1a~1{id}/get/parameters/01"), None);
        // Keys inside values that are not on the path do not count.
        assert_eq!(json_line(JSON, "/components/schemas/k"), None);
        assert_eq!(json_line(JSON, "/components/schemas/C/items/1/1/0"), None);
        assert_eq!(json_line(JSON, "no-slash"), None);
        assert_eq!(json_line("\"just a string\"", "/a"), None);
        assert_eq!(json_line("{\"a\": [1, 2", "/a/5"), None);
        assert_eq!(json_line("", ""), None);
    }

    #[test]
    fn json_line_survives_deep_nesting() {
        let depth = 100_000;
        let text = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        let deep = "/0".repeat(depth - 1);
        assert_eq!(json_line(&text, &deep), Some(1));
        let text = format!("{}{}", "{\"a\":\n".repeat(depth), "}".repeat(depth));
        assert_eq!(json_line(&text, &"/a".repeat(depth)), Some(depth));
    }

    #[test]
    fn escaping_round_trips() {
        assert_eq!(join("/paths", "/a/{b}~c"), "/paths/~1a~1{b}~0c");
        assert_eq!(unescape("~1a~1{b}~0c"), "/a/{b}~c");
    }
}
