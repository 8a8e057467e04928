//! HTML in doc text: which tags rustdoc would warn about (`invalid_html_tags`), which are kept,
//! and Okta's lifecycle badges, which become text.

use std::ops::Range;

/// The longest tag looked for, so that scanning stays linear.
const MAX_TAG: usize = 4096;

/// HTML elements kept as HTML when balanced (lowercase); any other tag is shown as text.
const KNOWN_TAGS: &[&str] = &[
    "a",
    "abbr",
    "address",
    "article",
    "aside",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "main",
    "mark",
    "nav",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Elements without a closing tag.
const VOID_TAGS: &[&str] = &["br", "col", "hr", "img", "wbr"];

/// An HTML tag found in inline HTML or an HTML block.
pub(super) struct HtmlTag {
    pub(super) start: usize,
    pub(super) end: usize,
    /// Lowercase.
    pub(super) name: String,
    pub(super) closing: bool,
    pub(super) self_closing: bool,
    /// (lowercase name, value range)
    pub(super) attrs: Vec<(String, Range<usize>)>,
    /// Where the HTML block it is in starts.
    pub(super) block: Option<usize>,
}

/// A complete open or closing tag at `start`, on one line and with no `<` or `>` in attribute
/// values: stricter than CommonMark, so that rustdoc's own reading of a tag kept never differs.
pub(super) fn parse_tag(s: &str, start: usize) -> Option<HtmlTag> {
    let b = s.as_bytes();
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let limit = b.len().min(start + MAX_TAG);
    let space = |c: u8| c == b' ' || c == b'\t';
    if at(start) != b'<' {
        return None;
    }
    let mut i = start + 1;
    let closing = at(i) == b'/';
    if closing {
        i += 1;
    }
    let name_start = i;
    if !at(i).is_ascii_alphabetic() {
        return None;
    }
    while i < limit && (at(i).is_ascii_alphanumeric() || at(i) == b'-') {
        i += 1;
    }
    let name = s.get(name_start..i)?.to_ascii_lowercase();
    let mut attrs = Vec::new();
    loop {
        let before_space = i;
        while space(at(i)) {
            i += 1;
        }
        if i >= limit {
            return None;
        }
        let end = match at(i) {
            b'>' => Some((i + 1, false)),
            b'/' if !closing && at(i + 1) == b'>' => Some((i + 2, true)),
            _ => None,
        };
        if let Some((end, self_closing)) = end {
            return Some(HtmlTag {
                start,
                end,
                name,
                closing,
                self_closing,
                attrs,
                block: None,
            });
        }
        let c = at(i);
        if closing || i == before_space || !(c.is_ascii_alphabetic() || c == b'_' || c == b':') {
            return None;
        }
        let attr_start = i;
        while i < limit
            && (at(i).is_ascii_alphanumeric() || matches!(at(i), b'_' | b'.' | b':' | b'-'))
        {
            i += 1;
        }
        let attr_name = s.get(attr_start..i)?.to_ascii_lowercase();
        let after_name = i;
        while space(at(i)) {
            i += 1;
        }
        if at(i) != b'=' {
            i = after_name;
            attrs.push((attr_name, i..i));
            continue;
        }
        i += 1;
        while space(at(i)) {
            i += 1;
        }
        match at(i) {
            quote @ (b'"' | b'\'') => {
                i += 1;
                let value_start = i;
                while i < limit && at(i) != quote {
                    if matches!(at(i), b'\n' | b'<' | b'>') {
                        return None;
                    }
                    i += 1;
                }
                if i >= limit {
                    return None;
                }
                attrs.push((attr_name, value_start..i));
                i += 1;
            }
            _ => {
                let value_start = i;
                while i < limit
                    && at(i) > b' '
                    && !matches!(at(i), b'"' | b'\'' | b'=' | b'<' | b'>' | b'`')
                {
                    i += 1;
                }
                if i == value_start {
                    return None;
                }
                attrs.push((attr_name, value_start..i));
            }
        }
    }
}

pub(super) fn is_void(name: &str) -> bool {
    VOID_TAGS.contains(&name)
}

/// Whether a tag may stay HTML (when balanced): a known element or a custom one (`x-foo`),
/// self-closing only when void.
pub(super) fn keepable(tag: &HtmlTag) -> bool {
    let custom = tag.name.contains('-');
    let known = KNOWN_TAGS.contains(&tag.name.as_str()) || custom;
    let void = is_void(&tag.name);
    known && (void || !tag.self_closing) && !(void && tag.closing)
}

/// The label of a lifecycle badge that `tag` opens.
pub(super) fn badge(text: &str, tag: &HtmlTag) -> Option<String> {
    let attr = match tag.name.as_str() {
        "x-lifecycle" => "class",
        "apilifecycle" => "access",
        _ => return None,
    };
    if tag.closing || tag.self_closing {
        return None;
    }
    let (_, value) = tag.attrs.iter().find(|(name, _)| name == attr)?;
    let value = text.get(value.clone())?;
    let label = match value.trim().to_ascii_lowercase().as_str() {
        "ea" => "Early Access",
        "oie" | "ie" => "Identity Engine",
        "beta" => "Beta",
        "deprecated" => "Deprecated",
        "ga" => "General Availability",
        _ => {
            return Some(
                value
                    .chars()
                    .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '.'))
                    .collect::<String>()
                    .trim()
                    .to_owned(),
            )
        }
    };
    Some(label.to_owned())
}
