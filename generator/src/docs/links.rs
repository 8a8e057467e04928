//! Link targets (which stay, which become absolute, which rustdoc would read as Rust paths) and
//! the ends of bare URLs.

/// Root-relative `/docs/...` links resolve against this.
const SITE: &str = "https://developer.okta.com";
/// Other relative links resolve against Okta's API reference, where the document is published:
/// its `/openapi/okta-management/...` and `/#pagination` links are pages and anchors under it
/// (the same document writes them out in full as `https://developer.okta.com/docs/api/...`).
const API_REFERENCE: &str = "https://developer.okta.com/docs/api";

/// What becomes of a link's target.
pub(super) enum Target {
    Keep,
    Replace(String),
    /// rustdoc would try it as a Rust path: not a link we can keep.
    Reject,
}

pub(super) fn target(dest: &str, own_links: bool) -> Target {
    if dest.is_empty() || dest.starts_with('#') {
        return Target::Keep;
    }
    // `[text]((https://...))`: a pair of parentheses too many.
    if let Some(inner) = dest.strip_prefix('(').and_then(|d| d.strip_suffix(')')) {
        if has_scheme(inner) && !rust_path_like(inner) {
            return Target::Replace(inner.to_owned());
        }
    }
    // The generator's own intra-doc links.
    if own_links
        && ["crate::", "self::", "super::", "Self::"]
            .iter()
            .any(|p| dest.starts_with(p))
    {
        return Target::Keep;
    }
    if let Some(rest) = dest.strip_prefix("//") {
        return Target::Replace(format!("https://{rest}"));
    }
    if dest.starts_with('/') {
        let on_site = dest == "/docs" || dest.starts_with("/docs/") || dest.starts_with("/docs#");
        let base = if on_site { SITE } else { API_REFERENCE };
        return Target::Replace(format!("{base}{dest}"));
    }
    if has_scheme(dest) {
        return if rust_path_like(dest) {
            Target::Reject
        } else {
            Target::Keep
        };
    }
    Target::Replace(join_relative(dest))
}

fn has_scheme(dest: &str) -> bool {
    let b = dest.as_bytes();
    if !b.first().is_some_and(u8::is_ascii_alphabetic) {
        return false;
    }
    let len = b
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'.' | b'-'))
        .count();
    (2..=32).contains(&len) && b.get(len) == Some(&b':')
}

/// Whether rustdoc would try `dest` as an intra-doc link (its own test: nothing but path
/// characters before any `#`).
fn rust_path_like(dest: &str) -> bool {
    let path = dest.split('#').next().unwrap_or("").replace('`', "");
    !path.is_empty()
        && path
            .chars()
            .all(|c| c.is_alphanumeric() || ":_<>, !*&;@()".contains(c))
}

/// A relative path, resolved against the API reference.
fn join_relative(dest: &str) -> String {
    let mut segments: Vec<&str> = API_REFERENCE
        .strip_prefix(SITE)
        .unwrap_or("")
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let mut rest = dest;
    loop {
        if let Some(r) = rest.strip_prefix("./") {
            rest = r;
        } else if let Some(r) = rest.strip_prefix("../") {
            segments.pop();
            rest = r;
        } else {
            break;
        }
    }
    match rest {
        "." => rest = "",
        ".." => {
            segments.pop();
            rest = "";
        }
        _ => {}
    }
    let mut url = SITE.to_owned();
    for segment in segments {
        url.push('/');
        url.push_str(segment);
    }
    url.push('/');
    url.push_str(rest);
    url
}

// ---------------------------------------------------------------------------------------------
// Bare URLs.

fn is_url_byte(b: u8) -> bool {
    b > b' '
        && b != 0x7f
        && !matches!(
            b,
            b'<' | b'>' | b'`' | b'"' | b'\'' | b'[' | b']' | b'\\' | b'|'
        )
}

/// The end of a bare `http(s)://` URL at `i`, trailing punctuation and unbalanced `)` excluded.
pub(super) fn url_end(b: &[u8], i: usize) -> Option<usize> {
    let starts = |p: &[u8]| {
        b.get(i..i + p.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(p))
    };
    let scheme = if starts(b"https://") {
        8
    } else if starts(b"http://") {
        7
    } else {
        return None;
    };
    let body = i + scheme;
    let mut end = body;
    let mut opens = 0usize;
    let mut closes = 0usize;
    while let Some(&c) = b.get(end).filter(|&&c| is_url_byte(c)) {
        match c {
            b'(' => opens += 1,
            b')' => closes += 1,
            _ => {}
        }
        end += 1;
    }
    while end > body {
        match b.get(end - 1) {
            Some(b'.' | b',' | b':' | b';' | b'!' | b'?' | b'*' | b'_' | b'~') => end -= 1,
            Some(b')') if closes > opens => {
                closes -= 1;
                end -= 1;
            }
            _ => break,
        }
    }
    (end > body).then_some(end)
}
