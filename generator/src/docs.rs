//! Doc-comment Markdown: descriptions from OpenAPI documents, made safe for rustdoc.
//!
//! OpenAPI descriptions are CommonMark written for web renderers, and Okta's are full of it.
//! rustdoc reads the same text with other eyes: a fenced block without a language is a Rust
//! doctest, `[text]` is an intra-doc link, `<yourOktaDomain>` is an unclosed HTML tag, a bare URL
//! is a lint. [`sanitize`] rewrites a description so that rustdoc renders it without a warning
//! and without a doctest, changing as little as it can:
//!
//! - **Code blocks.** A fenced block whose info string is empty or means Rust to rustdoc (`rust`,
//!   `ignore`, `no_run`, `{.class}`, ...) gets the language `text`; other languages (`json`,
//!   `yaml`, `http`, `bash`, ...) stay. An indented code block becomes a fenced `text` block. A
//!   fence left open at the end is closed. Code is never otherwise touched.
//! - **Bare URLs** become autolinks `<https://...>`, or inline code when they hold a
//!   `{placeholder}` (`https://{yourOktaDomain}/api/v1/users` is a template, not a link).
//! - **Brackets** that are not a real link (an inline link, or a reference with a definition in
//!   the same text) are escaped, so rustdoc does not take them for intra-doc links.
//! - **Relative links** become absolute: `/docs/...` on <https://developer.okta.com>, other paths
//!   on Okta's API reference, <https://developer.okta.com/docs/api>, where the document's
//!   `/openapi/okta-management/...` pages live. Link targets that rustdoc would resolve as Rust
//!   paths are left as text, except the generator's own `crate::`, `self::`, `super::` and
//!   `Self::` links.
//! - **`<` outside code** is escaped unless it opens an autolink, a comment or a known, balanced
//!   HTML tag (`<br>`, `<div>...</div>`, `<details>`, custom elements like `<x-foo>`):
//!   `Map<String>` and `<yourOktaDomain>` show as written.
//! - **Okta's lifecycle badges** (`<x-lifecycle class="ea"></x-lifecycle>`, `<ApiLifecycle
//!   access="ea">`), which rustdoc would render as nothing, become text: `(Early Access)`.
//! - **Unmatched backticks** are escaped.
//! - **Lazy continuation lines**, which continue a list item's or a block quote's paragraph
//!   without its indentation or `>`, get them (clippy's `doc_lazy_continuation`): the same
//!   paragraph, written out. Not an underline (`===`, `--`) or a table's delimiter row, which
//!   would then make a heading or a table.
//! - **Footnotes** (`[^1]`) become text, and so does raw HTML that cannot be kept. Where the
//!   escaped line used to start a block of its own (`<script>`, `[^1]: note`), a blank line keeps
//!   it one. Should a kept tag that starts an HTML block prove unbalanced, no raw HTML is kept in
//!   that text at all.
//!
//! It follows CommonMark's block structure (block quotes, list items, fenced and indented code,
//! HTML blocks, tables, link reference definitions) and its inline precedence (code spans,
//! autolinks and raw HTML before links) closely enough to agree with rustdoc on where code starts
//! and ends; whatever it cannot classify it escapes. It is total and linear in the text's length.

use std::collections::{HashMap, HashSet};

/// Root-relative `/docs/...` links resolve against this.
const SITE: &str = "https://developer.okta.com";
/// Other relative links resolve against Okta's API reference, where the document is published:
/// its `/openapi/okta-management/...` and `/#pagination` links are pages and anchors under it
/// (the same document writes them out in full as `https://developer.okta.com/docs/api/...`).
const API_REFERENCE: &str = "https://developer.okta.com/docs/api";
/// The longest tag, autolink or link tail looked for, so that scanning stays linear.
const MAX_LOOKAHEAD: usize = 4096;
/// CommonMark's limit on link labels.
const MAX_LABEL: usize = 999;
/// The deepest nesting of block quotes and list items followed (deeper markers read as text), so
/// that a blank line, which continues every open list item, costs a bounded time.
const MAX_DEPTH: usize = 64;

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

/// Tags that start an HTML block wherever a line begins with them (CommonMark's type 6; only
/// the ones in [`KNOWN_TAGS`] matter).
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
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
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// CommonMark's other type-6 tag names, which start an HTML block too (never kept).
const COMMONMARK_BLOCK_TAGS: &[&str] = &[
    "base", "basefont", "body", "dialog", "dir", "fieldset", "form", "frame", "frameset", "head",
    "html", "iframe", "legend", "link", "menu", "menuitem", "noframes", "optgroup", "option",
    "param", "search", "source", "title", "track",
];

/// Rewrites `markdown` so that rustdoc renders it without warnings and without doctests (see the
/// module documentation for the rules).
pub(crate) fn sanitize(markdown: &str) -> String {
    sanitize_counted(markdown).0
}

/// How often each rule applied to one text.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) struct Counts {
    /// Fenced blocks given the language `text`.
    pub fences_labelled: usize,
    /// Fences left open at the end, closed.
    pub fences_closed: usize,
    /// Indented code blocks turned into fenced `text` blocks.
    pub indented_fenced: usize,
    /// Bare URLs turned into autolinks.
    pub urls_autolinked: usize,
    /// Bare URLs with `{placeholders}` turned into inline code.
    pub urls_as_code: usize,
    /// Relative link targets made absolute.
    pub links_absolutized: usize,
    /// `[` and `]` escaped.
    pub brackets_escaped: usize,
    /// `<` escaped outside code (not a tag, not an autolink).
    pub angles_escaped: usize,
    /// Known HTML tags escaped because they are unbalanced.
    pub tags_escaped: usize,
    /// Unmatched backtick runs escaped.
    pub backticks_escaped: usize,
    /// Lifecycle badges turned into text.
    pub badges: usize,
    /// Lazy continuation lines given their containers' markers and indentation.
    pub lazy_continuations: usize,
    /// 1 when raw HTML could not be kept without changing the block structure, so that all of it
    /// was escaped.
    pub html_fallback: usize,
}

/// [`sanitize`], with how often each rule applied.
pub(crate) fn sanitize_counted(markdown: &str) -> (String, Counts) {
    let text = normalize(markdown);
    let mut counts = Counts::default();
    if let Some(out) = render(&text, true, &mut counts) {
        return (out, counts);
    }
    let mut counts = Counts {
        html_fallback: 1,
        ..Counts::default()
    };
    // Without raw HTML, rendering cannot be inconsistent: it always returns `Some`.
    let out = render(&text, false, &mut counts).unwrap_or_default();
    (out, counts)
}

/// Line endings to `\n`, bidirectional-override characters removed (rustc rejects them in
/// literals and comments), and the indentation common to all lines removed, as rustdoc does, so
/// that both read the same block structure.
fn normalize(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    let mut chars = markdown.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                text.push('\n');
            }
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {}
            _ => text.push(c),
        }
    }
    let indent = text
        .split('\n')
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    if indent == 0 {
        return text;
    }
    text.split('\n')
        .map(|l| l.get(indent..).unwrap_or_else(|| l.trim_start()))
        .collect::<Vec<_>>()
        .join("\n")
}

// ---------------------------------------------------------------------------------------------
// Small helpers. All byte access goes through these, so that no input can index out of bounds.

fn at(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}

fn slice(s: &str, start: usize, end: usize) -> &str {
    s.get(start..end).unwrap_or("")
}

fn tail(s: &str, start: usize) -> &str {
    s.get(start..).unwrap_or("")
}

fn starts_with_ci(b: &[u8], i: usize, pattern: &[u8]) -> bool {
    b.get(i..i.saturating_add(pattern.len()))
        .is_some_and(|s| s.eq_ignore_ascii_case(pattern))
}

fn is_space_or_tab(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

fn all_space_or_tab(b: &[u8]) -> bool {
    b.iter().all(|&c| is_space_or_tab(c))
}

// ---------------------------------------------------------------------------------------------
// Block structure.

/// One line being taken apart: containers consumed from the left.
struct Cursor {
    line: String,
    pos: usize,
    col: usize,
}

impl Cursor {
    fn new(line: &str) -> Self {
        Cursor {
            line: line.to_owned(),
            pos: 0,
            col: 0,
        }
    }

    fn byte(&self, i: usize) -> u8 {
        at(self.line.as_bytes(), i)
    }

    fn rest(&self) -> &str {
        tail(&self.line, self.pos)
    }

    fn prefix(&self) -> String {
        slice(&self.line, 0, self.pos).to_owned()
    }

    /// Columns of whitespace at the cursor (tabs to multiples of 4).
    fn indent(&self) -> usize {
        let mut col = self.col;
        let mut i = self.pos;
        loop {
            match self.byte(i) {
                b' ' => col += 1,
                b'\t' => col += 4 - col % 4,
                _ => break,
            }
            i += 1;
        }
        col - self.col
    }

    /// The rest after its whitespace.
    fn after_indent(&self) -> &str {
        self.rest().trim_start_matches([' ', '\t'])
    }

    fn is_blank(&self) -> bool {
        all_space_or_tab(self.rest().as_bytes())
    }

    /// Consumes up to `n` columns of whitespace, splitting a tab into spaces when it straddles.
    fn skip_cols(&mut self, n: usize) {
        let mut left = n;
        while left > 0 {
            match self.byte(self.pos) {
                b' ' => {
                    self.pos += 1;
                    self.col += 1;
                    left -= 1;
                }
                b'\t' => {
                    let width = 4 - self.col % 4;
                    if width <= left {
                        self.pos += 1;
                        self.col += width;
                        left -= width;
                    } else if self.line.is_char_boundary(self.pos + 1) {
                        self.line
                            .replace_range(self.pos..self.pos + 1, &" ".repeat(width));
                    } else {
                        break;
                    }
                }
                _ => break,
            }
        }
    }

    fn skip_indent(&mut self) {
        let n = self.indent();
        self.skip_cols(n);
    }

    /// Steps over `n` ASCII bytes that are not whitespace (markers).
    fn advance(&mut self, n: usize) {
        let to = (self.pos + n).min(self.line.len());
        self.col += to - self.pos;
        self.pos = to;
    }
}

#[derive(Clone, Copy)]
enum Container {
    Quote,
    /// A list item whose content starts this many columns in; `true` while it has none (then a
    /// blank line ends it).
    Item(usize, bool),
}

/// A line that starts an HTML block in CommonMark.
#[derive(Clone, Copy)]
enum HtmlStart {
    /// Kept as HTML, ending so.
    Kept(HtmlEnd),
    /// Escaped, so a paragraph in the output: it must still end the block before it.
    Escaped,
}

#[derive(Clone, Copy)]
enum HtmlEnd {
    /// Types 6 and 7: a blank line.
    Blank,
    /// Type 1 (`<pre>`): `</pre>`.
    Pre,
    /// Type 2: `-->`.
    Comment,
}

/// A line as (container prefix, content).
type Line = (String, String);

struct Indented {
    /// The prefix of the first line, which the opening fence takes.
    opener: String,
    /// The prefix of lines continuing the containers.
    cont: String,
    lines: Vec<Line>,
    /// Blank lines not yet known to be inside the block: (prefix, content, original line).
    blanks: Vec<(String, String, String)>,
}

enum Leaf {
    None,
    Paragraph(Vec<Line>),
    /// A table, its delimiter row still to come when `true`.
    Table(bool),
    Fenced {
        fence: u8,
        len: usize,
    },
    Indented(Indented),
    Html {
        lines: Vec<Line>,
        end: HtmlEnd,
    },
}

enum Block {
    /// An output line, final.
    Raw(String),
    /// Lines whose contents are one run of inline Markdown (a paragraph, a heading, a table row).
    Inline(Vec<Line>),
    /// The lines of an HTML block.
    Html(Vec<Line>),
}

struct BlockParser<'c> {
    allow_html: bool,
    /// Where the last `-->` of the text ends, to know whether a comment opened is ever closed.
    last_comment_end: Option<usize>,
    containers: Vec<Container>,
    leaf: Leaf,
    blocks: Vec<Block>,
    defs: HashSet<String>,
    counts: &'c mut Counts,
}

impl<'c> BlockParser<'c> {
    fn new(text: &str, allow_html: bool, counts: &'c mut Counts) -> Self {
        BlockParser {
            allow_html,
            last_comment_end: text.rfind("-->").map(|i| i + 3),
            containers: Vec::new(),
            leaf: Leaf::None,
            blocks: Vec::new(),
            defs: HashSet::new(),
            counts,
        }
    }

    /// The prefix that continues the open containers on a new line.
    fn cont_prefix(&self) -> String {
        let mut prefix = String::new();
        for c in &self.containers {
            match c {
                Container::Quote => prefix.push_str("> "),
                Container::Item(w, _) => prefix.push_str(&" ".repeat(*w)),
            }
        }
        prefix
    }

    fn match_containers(&self, cur: &mut Cursor) -> usize {
        let mut matched = 0;
        for c in &self.containers {
            match *c {
                Container::Quote => {
                    if cur.indent() <= 3 && cur.after_indent().starts_with('>') {
                        cur.skip_indent();
                        cur.advance(1);
                        cur.skip_cols(1);
                    } else {
                        break;
                    }
                }
                Container::Item(w, empty) => {
                    if cur.is_blank() && empty {
                        break;
                    }
                    if cur.is_blank() || cur.indent() >= w {
                        cur.skip_cols(w);
                    } else {
                        break;
                    }
                }
            }
            matched += 1;
        }
        matched
    }

    fn close_containers(&mut self, matched: usize) {
        if matched < self.containers.len() {
            self.close_leaf();
            self.containers.truncate(matched);
        }
    }

    fn close_leaf(&mut self) {
        match std::mem::replace(&mut self.leaf, Leaf::None) {
            Leaf::None | Leaf::Table(_) | Leaf::Fenced { .. } => {}
            Leaf::Paragraph(lines) => {
                if !lines.is_empty() {
                    self.blocks.push(Block::Inline(lines));
                }
            }
            Leaf::Html { lines, .. } => self.blocks.push(Block::Html(lines)),
            Leaf::Indented(code) => self.emit_indented(code),
        }
    }

    fn emit_indented(&mut self, code: Indented) {
        self.counts.indented_fenced += 1;
        let longest = code
            .lines
            .iter()
            .map(|(_, content)| longest_backtick_run(content))
            .max()
            .unwrap_or(0);
        let fence = "`".repeat(longest.max(2) + 1);
        self.blocks
            .push(Block::Raw(format!("{}{fence}text", code.opener)));
        for (k, (prefix, content)) in code.lines.into_iter().enumerate() {
            let prefix = if k == 0 { code.cont.clone() } else { prefix };
            self.blocks.push(Block::Raw(format!("{prefix}{content}")));
        }
        self.blocks
            .push(Block::Raw(format!("{}{fence}", code.cont)));
        for (_, _, original) in code.blanks {
            self.blocks.push(Block::Raw(original));
        }
    }

    /// Continues a fenced, HTML or indented block with a line all of whose containers matched.
    /// Returns whether the line was taken.
    fn continue_leaf(&mut self, cur: &mut Cursor) -> bool {
        match &mut self.leaf {
            Leaf::Table(delimiter @ true) => {
                *delimiter = false;
                self.blocks.push(Block::Raw(cur.line.clone()));
                true
            }
            Leaf::Fenced { fence, len } => {
                if is_closing_fence(cur, *fence, *len) {
                    self.leaf = Leaf::None;
                }
                self.blocks.push(Block::Raw(cur.line.clone()));
                true
            }
            Leaf::Html { lines, end } => {
                let end = *end;
                if matches!(end, HtmlEnd::Blank) && cur.is_blank() {
                    self.close_leaf();
                    return false;
                }
                let rest = cur.rest();
                let done = match end {
                    HtmlEnd::Blank => false,
                    HtmlEnd::Pre => contains_ci(rest, "</pre>"),
                    HtmlEnd::Comment => rest.contains("-->"),
                };
                lines.push((cur.prefix(), rest.to_owned()));
                if done {
                    self.close_leaf();
                }
                true
            }
            Leaf::Indented(code) => {
                let original = cur.line.clone();
                let prefix = cur.prefix();
                if cur.is_blank() {
                    cur.skip_cols(4);
                    code.blanks.push((prefix, cur.rest().to_owned(), original));
                    return true;
                }
                if cur.indent() >= 4 {
                    for (p, content, _) in code.blanks.drain(..) {
                        code.lines.push((p, content));
                    }
                    cur.skip_cols(4);
                    code.lines.push((prefix, cur.rest().to_owned()));
                    return true;
                }
                self.close_leaf();
                false
            }
            _ => false,
        }
    }

    /// The number of cells of `next` when it is a table's delimiter row inside the containers
    /// now open.
    fn delimiter_row_cells(&self, next: Option<&str>) -> Option<usize> {
        let mut cur = Cursor::new(next?);
        if self.match_containers(&mut cur) != self.containers.len() || cur.indent() >= 4 {
            return None;
        }
        table_delimiter_cells(cur.after_indent())
    }

    fn line(&mut self, raw: &str, next: Option<&str>, offset: usize) {
        let mut cur = Cursor::new(raw);
        let matched = self.match_containers(&mut cur);
        let all = matched == self.containers.len();
        if all && self.continue_leaf(&mut cur) {
            return;
        }
        let is_para = matches!(self.leaf, Leaf::Paragraph(_));
        if !all && !is_para {
            self.close_containers(matched);
        }
        // Whether a block start here would interrupt a paragraph of the innermost container.
        let interrupting = all && is_para;
        let mut opened = false;
        loop {
            if cur.indent() >= 4 || self.containers.len() >= MAX_DEPTH {
                break;
            }
            let r = cur.after_indent().as_bytes();
            if at(r, 0) == b'>' {
                if !opened {
                    self.close_containers(matched);
                    self.close_leaf();
                    opened = true;
                }
                cur.skip_indent();
                cur.advance(1);
                cur.skip_cols(1);
                self.containers.push(Container::Quote);
                continue;
            }
            if is_thematic_break(r) {
                break;
            }
            let Some((width, start)) = list_marker(r) else {
                break;
            };
            let blank_item = all_space_or_tab(r.get(width..).unwrap_or_default());
            if interrupting && !opened && (blank_item || start.is_some_and(|n| n != 1)) {
                break;
            }
            if !opened {
                self.close_containers(matched);
                self.close_leaf();
                opened = true;
            }
            let lead = cur.indent();
            cur.skip_indent();
            cur.advance(width);
            let spaces = cur.indent();
            let n = if blank_item || spaces >= 5 { 1 } else { spaces };
            cur.skip_cols(n);
            self.containers
                .push(Container::Item(lead + width + n, blank_item));
        }

        let mut para_open = !opened && matches!(self.leaf, Leaf::Paragraph(_));
        // A lone tag (HTML type 7) continues a paragraph (even lazily, in rustdoc) or a table
        // instead of starting a block.
        let in_text = para_open || (all && !opened && matches!(self.leaf, Leaf::Table(_)));
        if cur.is_blank() {
            if !opened {
                self.close_containers(matched);
            }
            self.close_leaf();
            self.blocks.push(Block::Raw(cur.line.clone()));
            return;
        }
        for container in &mut self.containers {
            if let Container::Item(_, empty) = container {
                *empty = false;
            }
        }
        let indent = cur.indent();
        if indent < 4 {
            let r = cur.after_indent().to_owned();
            let rb = r.as_bytes();
            let settle = |parser: &mut Self| {
                if !opened {
                    parser.close_containers(matched);
                }
                parser.close_leaf();
            };
            if is_atx_heading(rb) {
                settle(self);
                self.blocks
                    .push(Block::Inline(vec![(cur.prefix(), cur.rest().to_owned())]));
                return;
            }
            if let Some((fence, len)) = fence_open(rb) {
                settle(self);
                let info = tail(&r, len);
                let line = if fence_info_is_safe(info) {
                    cur.line.clone()
                } else {
                    self.counts.fences_labelled += 1;
                    let keep = cur.rest().len() - info.len();
                    format!("{}{}text", cur.prefix(), slice(cur.rest(), 0, keep))
                };
                self.blocks.push(Block::Raw(line));
                self.leaf = Leaf::Fenced { fence, len };
                return;
            }
            let comment_closed_later = self
                .last_comment_end
                .is_some_and(|end| end > offset + raw.len());
            let mut start = self.html_start(&r, in_text, comment_closed_later);
            if is_footnote_definition(rb) {
                // rustdoc's footnotes: escaped like any bracket, but a block start first.
                start = Some(HtmlStart::Escaped);
            }
            if let Some(HtmlStart::Escaped) = start {
                // The original ends the block before; the escaped line would not, so a blank
                // line does.
                let separate = para_open || matches!(self.leaf, Leaf::Table(_));
                settle(self);
                if separate {
                    let blank = self.cont_prefix().trim_end().to_owned();
                    self.blocks.push(Block::Raw(blank));
                }
                // On as the paragraph (or table) it now starts.
                para_open = false;
            } else if let Some(HtmlStart::Kept(end)) = start {
                settle(self);
                let done = match end {
                    HtmlEnd::Blank => false,
                    HtmlEnd::Pre => contains_ci(&r, "</pre>"),
                    HtmlEnd::Comment => tail(&r, 2).contains("-->"),
                };
                self.leaf = Leaf::Html {
                    lines: vec![(cur.prefix(), cur.rest().to_owned())],
                    end,
                };
                if done {
                    self.close_leaf();
                }
                return;
            }
            let has_text = matches!(&self.leaf, Leaf::Paragraph(lines) if !lines.is_empty());
            // (After definitions alone, an underline is text.)
            if para_open && all && has_text && is_setext_underline(rb) {
                self.close_leaf();
                self.blocks.push(Block::Raw(cur.line.clone()));
                return;
            }
            if is_thematic_break(rb) {
                settle(self);
                self.blocks.push(Block::Raw(cur.line.clone()));
                return;
            }
        }
        // A table header: a paragraph's first line, or any line starting with `|` (which then
        // interrupts a paragraph, as in rustdoc), followed by a matching delimiter row.
        let header_can_start = !para_open || (all && cur.after_indent().starts_with('|'));
        if indent < 4
            && header_can_start
            && !matches!(self.leaf, Leaf::Table(_))
            && self
                .delimiter_row_cells(next)
                .is_some_and(|n| n == table_cells(cur.after_indent()))
        {
            if !opened {
                self.close_containers(matched);
            }
            self.close_leaf();
            self.blocks
                .push(Block::Inline(vec![(cur.prefix(), cur.rest().to_owned())]));
            self.leaf = Leaf::Table(true);
            return;
        }
        if para_open {
            // A continuation line, lazy or not; more definitions while only definitions came.
            if matches!(&self.leaf, Leaf::Paragraph(lines) if lines.is_empty()) {
                if let Some(line) = self.reference_definition(&cur) {
                    self.blocks.push(Block::Raw(line));
                    return;
                }
            }
            // A lazy continuation (some container not continued) is written out with the
            // containers' markers and indentation, as clippy's `doc_lazy_continuation` wants:
            // the same paragraph, explicitly. Not an underline or a delimiter row, which would
            // then make a heading or a table.
            let content = cur.after_indent();
            let explicit = !all
                && !is_setext_underline(content.as_bytes())
                && table_delimiter_cells(content).is_none();
            let line = if explicit {
                self.counts.lazy_continuations += 1;
                (self.cont_prefix(), content.to_owned())
            } else {
                (cur.prefix(), cur.rest().to_owned())
            };
            if let Leaf::Paragraph(lines) = &mut self.leaf {
                lines.push(line);
            }
            return;
        }
        if matches!(self.leaf, Leaf::Table(_)) {
            if indent < 4 {
                self.blocks
                    .push(Block::Inline(vec![(cur.prefix(), cur.rest().to_owned())]));
                return;
            }
            // rustdoc may end the table here (when the line holds a block marker) or not: a
            // blank line makes it so, and the line indented code.
            let blank = self.cont_prefix().trim_end().to_owned();
            self.blocks.push(Block::Raw(blank));
        }
        self.close_leaf();
        if indent >= 4 {
            let opener = cur.prefix();
            let cont = self.cont_prefix();
            cur.skip_cols(4);
            self.leaf = Leaf::Indented(Indented {
                opener,
                cont,
                lines: vec![(String::new(), cur.rest().to_owned())],
                blanks: Vec::new(),
            });
            return;
        }
        if let Some(line) = self.reference_definition(&cur) {
            // Definitions belong to a paragraph, which what follows may continue.
            self.blocks.push(Block::Raw(line));
            self.leaf = Leaf::Paragraph(Vec::new());
            return;
        }
        self.leaf = Leaf::Paragraph(vec![(cur.prefix(), cur.rest().to_owned())]);
    }

    /// Whether `r` (a line after its indentation) starts an HTML block in CommonMark, and
    /// whether it stays one: only a line that begins with a tag kept as is does. Any other is
    /// escaped, and so starts a paragraph.
    fn html_start(&self, r: &str, in_text: bool, comment_closed_later: bool) -> Option<HtmlStart> {
        let b = r.as_bytes();
        if at(b, 0) != b'<' {
            return None;
        }
        // Types 2 to 5: comments, processing instructions, declarations, CDATA.
        if r.starts_with("<!--") {
            let valid = !tail(r, 4).starts_with('>') && !tail(r, 4).starts_with("->");
            let closed = tail(r, 4).contains("-->") || comment_closed_later;
            return Some(if self.allow_html && valid && closed {
                HtmlStart::Kept(HtmlEnd::Comment)
            } else {
                HtmlStart::Escaped
            });
        }
        if at(b, 1) == b'?'
            || (at(b, 1) == b'!' && (at(b, 2).is_ascii_alphabetic() || at(b, 2) == b'['))
        {
            return Some(HtmlStart::Escaped);
        }
        // Types 1 and 6, by name (generously: escaping one more start is harmless).
        let closing = at(b, 1) == b'/';
        let name_start = if closing { 2 } else { 1 };
        let name_len = b
            .get(name_start..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
            .count();
        let name = slice(r, name_start, name_start + name_len).to_ascii_lowercase();
        let after_name = at(b, name_start + name_len);
        let ends_name = matches!(after_name, 0 | b' ' | b'\t' | b'>')
            || (after_name == b'/' && at(b, name_start + name_len + 1) == b'>');
        let type_1 = !closing
            && ends_name
            && matches!(name.as_str(), "pre" | "script" | "style" | "textarea");
        let type_6 = ends_name
            && (BLOCK_TAGS.contains(&name.as_str())
                || COMMONMARK_BLOCK_TAGS.contains(&name.as_str()));
        let tag = parse_tag(r, 0).filter(|t| self.allow_html && keepable(t));
        if type_1 || type_6 {
            return Some(match tag {
                Some(_) if type_1 => HtmlStart::Kept(HtmlEnd::Pre),
                Some(_) => HtmlStart::Kept(HtmlEnd::Blank),
                None => HtmlStart::Escaped,
            });
        }
        // Type 7: a lone complete tag, which cannot interrupt a paragraph. Escaped, it is
        // paragraph text anyway.
        let tag = tag?;
        (!in_text && tail(r, tag.end).trim().is_empty()).then_some(HtmlStart::Kept(HtmlEnd::Blank))
    }

    /// A one-line link reference definition at the start of a paragraph: recorded, and its
    /// target made absolute. `None` when the line is not one (or its target is one rustdoc would
    /// take for a Rust path: then it stays text, escaped).
    fn reference_definition(&mut self, cur: &Cursor) -> Option<String> {
        let rest = cur.rest();
        let r = cur.after_indent();
        let skip = rest.len() - r.len();
        let def = parse_reference_definition(r)?;
        let dest = slice(r, def.dest.0, def.dest.1);
        let new_dest = match target(dest) {
            Target::Reject => return None,
            Target::Keep => dest.to_owned(),
            Target::Replace(new) => {
                self.counts.links_absolutized += 1;
                new
            }
        };
        self.defs.insert(normalize_label(&def.label));
        Some(format!(
            "{}{}{}{new_dest}{}",
            cur.prefix(),
            slice(rest, 0, skip),
            slice(r, 0, def.dest.0),
            tail(r, def.dest.1)
        ))
    }

    fn finish(mut self) -> (Vec<Block>, HashSet<String>) {
        if let Leaf::Fenced { fence, len } = self.leaf {
            let closing = format!(
                "{}{}",
                self.cont_prefix(),
                char::from(fence).to_string().repeat(len)
            );
            self.blocks.push(Block::Raw(closing));
            self.counts.fences_closed += 1;
            self.leaf = Leaf::None;
        }
        self.close_leaf();
        (self.blocks, self.defs)
    }
}

fn contains_ci(haystack: &str, needle: &str) -> bool {
    haystack.to_ascii_lowercase().contains(needle)
}

fn longest_backtick_run(s: &str) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for b in s.bytes() {
        if b == b'`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    longest
}

fn is_thematic_break(r: &[u8]) -> bool {
    let ch = at(r, 0);
    if !matches!(ch, b'-' | b'*' | b'_') {
        return false;
    }
    let mut n = 0;
    for &c in r {
        if c == ch {
            n += 1;
        } else if !is_space_or_tab(c) {
            return false;
        }
    }
    n >= 3
}

fn is_setext_underline(r: &[u8]) -> bool {
    let ch = at(r, 0);
    if ch != b'=' && ch != b'-' {
        return false;
    }
    let run = r.iter().take_while(|&&c| c == ch).count();
    all_space_or_tab(r.get(run..).unwrap_or_default())
}

/// `[^label]:`, a footnote definition to rustdoc.
fn is_footnote_definition(r: &[u8]) -> bool {
    if !r.starts_with(b"[^") {
        return false;
    }
    let label = r
        .get(2..)
        .unwrap_or_default()
        .iter()
        .take_while(|&&c| c != b']' && c != b'[')
        .count();
    label > 0 && at(r, 2 + label) == b']' && at(r, 3 + label) == b':'
}

fn is_atx_heading(r: &[u8]) -> bool {
    let n = r.iter().take_while(|&&c| c == b'#').count();
    (1..=6).contains(&n) && matches!(at(r, n), 0 | b' ' | b'\t')
}

/// A list marker: its width in bytes, and the start number of an ordered one.
fn list_marker(r: &[u8]) -> Option<(usize, Option<u64>)> {
    let followed = |i: usize| matches!(at(r, i), 0 | b' ' | b'\t');
    match at(r, 0) {
        b'-' | b'+' | b'*' => followed(1).then_some((1, None)),
        b'0'..=b'9' => {
            let digits = r.iter().take_while(|c| c.is_ascii_digit()).count();
            if digits > 9 || !matches!(at(r, digits), b'.' | b')') || !followed(digits + 1) {
                return None;
            }
            let start = std::str::from_utf8(r.get(..digits).unwrap_or_default())
                .ok()
                .and_then(|d| d.parse().ok());
            Some((digits + 1, start))
        }
        _ => None,
    }
}

/// An opening code fence: its character and length.
fn fence_open(r: &[u8]) -> Option<(u8, usize)> {
    let ch = at(r, 0);
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let len = r.iter().take_while(|&&c| c == ch).count();
    if len < 3 || (ch == b'`' && r.get(len..).unwrap_or_default().contains(&b'`')) {
        return None;
    }
    Some((ch, len))
}

fn is_closing_fence(cur: &Cursor, fence: u8, len: usize) -> bool {
    if cur.indent() > 3 {
        return false;
    }
    let r = cur.after_indent().as_bytes();
    let n = r.iter().take_while(|&&c| c == fence).count();
    n >= len && all_space_or_tab(r.get(n..).unwrap_or_default())
}

/// Whether a fence's info string names a language rustdoc does not test: not empty, and no word
/// of it one of rustdoc's code-block attributes (or a misspelling it warns about).
fn fence_info_is_safe(info: &str) -> bool {
    let mut words = info
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .peekable();
    if words.peek().is_none() {
        return false;
    }
    words.all(|word| {
        // Anything but a plain word (`class=x`, `.x`, `{...}`) is an attribute to rustdoc.
        let plain = word.starts_with(|c: char| c.is_ascii_alphanumeric())
            && word
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+' | '#' | '.'));
        let w = word.to_ascii_lowercase().replace(['-', '_'], "");
        let error_code =
            w.len() == 5 && w.starts_with('e') && w.bytes().skip(1).all(|b| b.is_ascii_digit());
        plain
            && !(w.starts_with("rust")
                || w.starts_with("ignore")
                || w.starts_with("edition")
                || error_code
                || matches!(
                    w.as_str(),
                    "shouldpanic"
                        | "norun"
                        | "compilefail"
                        | "testharness"
                        | "standalone"
                        | "standalonecrate"
                        | "allowfail"
                ))
    })
}

/// The number of cells of a delimiter row (`| --- | :-: |`), if `r` is one.
fn table_delimiter_cells(r: &str) -> Option<usize> {
    let t = r.trim();
    if !t.contains('|') {
        return None;
    }
    let inner = t.strip_prefix('|').unwrap_or(t);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut cells = 0;
    for cell in inner.split('|') {
        let c = cell.trim();
        let c = c.strip_prefix(':').unwrap_or(c);
        let c = c.strip_suffix(':').unwrap_or(c);
        if c.is_empty() || !c.bytes().all(|b| b == b'-') {
            return None;
        }
        cells += 1;
    }
    Some(cells)
}

/// The number of cells of a table row.
fn table_cells(row: &str) -> usize {
    let t = row.trim();
    let inner = t.strip_prefix('|').unwrap_or(t);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let b = inner.as_bytes();
    let mut cells = 1;
    let mut i = 0;
    while i < b.len() {
        match at(b, i) {
            b'\\' => i += 1,
            b'|' => cells += 1,
            _ => {}
        }
        i += 1;
    }
    cells
}

struct ReferenceDefinition {
    label: String,
    dest: (usize, usize),
}

/// `[label]: destination "title"` on one line.
fn parse_reference_definition(r: &str) -> Option<ReferenceDefinition> {
    let b = r.as_bytes();
    if at(b, 0) != b'[' {
        return None;
    }
    let (label_end, label) = link_label(r, 0)?;
    if label.trim().is_empty() || label.starts_with('^') || at(b, label_end) != b':' {
        return None;
    }
    let mut i = label_end + 1;
    while is_space_or_tab(at(b, i)) {
        i += 1;
    }
    let dest = if at(b, i) == b'<' {
        let start = i + 1;
        i = start;
        loop {
            match at(b, i) {
                b'>' => break,
                0 | b'<' | b'\n' => return None,
                b'\\' => i += 2,
                _ => i += 1,
            }
        }
        let dest = (start, i);
        i += 1;
        dest
    } else {
        let start = i;
        let mut depth = 0usize;
        while i < b.len() {
            let c = at(b, i);
            if c == b'\\' && at(b, i + 1).is_ascii_punctuation() {
                i += 2;
                continue;
            }
            if c <= b' ' || c == 0x7f {
                break;
            }
            if c == b'(' {
                depth += 1;
            } else if c == b')' {
                if depth == 0 {
                    break;
                }
                depth -= 1;
            }
            i += 1;
        }
        if i == start || depth != 0 {
            return None;
        }
        (start, i)
    };
    let after_dest = i;
    while is_space_or_tab(at(b, i)) {
        i += 1;
    }
    if i < b.len() {
        let close = match at(b, i) {
            b'"' => b'"',
            b'\'' => b'\'',
            b'(' => b')',
            _ => return None,
        };
        if i == after_dest {
            return None;
        }
        i += 1;
        loop {
            match at(b, i) {
                0 => return None,
                b'\\' => i += 2,
                c if c == close => break,
                _ => i += 1,
            }
        }
        if !all_space_or_tab(b.get(i + 1..).unwrap_or_default()) {
            return None;
        }
    }
    Some(ReferenceDefinition {
        label: label.to_owned(),
        dest,
    })
}

/// A link label `[...]` at `p`: where it ends and what is inside.
fn link_label(s: &str, p: usize) -> Option<(usize, &str)> {
    let b = s.as_bytes();
    let limit = b.len().min(p + MAX_LABEL + 2);
    let mut i = p + 1;
    while i < limit {
        match at(b, i) {
            b'\\' => i += 2,
            b'[' => return None,
            b']' => return Some((i + 1, slice(s, p + 1, i))),
            _ => i += 1,
        }
    }
    None
}

/// Link labels match case-insensitively, with runs of whitespace as one space.
fn normalize_label(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

// ---------------------------------------------------------------------------------------------
// Link targets.

enum Target {
    Keep,
    Replace(String),
    /// rustdoc would try it as a Rust path: not a link we can keep.
    Reject,
}

fn target(dest: &str) -> Target {
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
    if ["crate::", "self::", "super::", "Self::"]
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
    if !at(b, 0).is_ascii_alphabetic() {
        return false;
    }
    let len = b
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'.' | b'-'))
        .count();
    (2..=32).contains(&len) && at(b, len) == b':'
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
fn url_end(b: &[u8], i: usize) -> Option<usize> {
    let scheme = if starts_with_ci(b, i, b"https://") {
        8
    } else if starts_with_ci(b, i, b"http://") {
        7
    } else {
        return None;
    };
    let body = i + scheme;
    let mut end = body;
    let mut opens = 0usize;
    let mut closes = 0usize;
    while end < b.len() && is_url_byte(at(b, end)) {
        match at(b, end) {
            b'(' => opens += 1,
            b')' => closes += 1,
            _ => {}
        }
        end += 1;
    }
    while end > body {
        match at(b, end - 1) {
            b'.' | b',' | b':' | b';' | b'!' | b'?' | b'*' | b'_' | b'~' => end -= 1,
            b')' if closes > opens => {
                closes -= 1;
                end -= 1;
            }
            _ => break,
        }
    }
    (end > body).then_some(end)
}

/// Text that must read as plain text wherever it lands (an escaped tag's insides): Markdown's
/// link, code and HTML characters escaped, URLs as autolinks.
fn escape_text(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len() + 8);
    let mut last = 0;
    let mut i = 0;
    while i < b.len() {
        match at(b, i) {
            c @ (b'\\' | b'`' | b'[' | b']' | b'<') => {
                out.push_str(slice(s, last, i));
                out.push('\\');
                out.push(char::from(c));
                i += 1;
                last = i;
            }
            b'h' | b'H' => match url_end(b, i) {
                Some(end) => {
                    out.push_str(slice(s, last, i));
                    out.push('<');
                    out.push_str(slice(s, i, end));
                    out.push('>');
                    i = end;
                    last = i;
                }
                None => i += 1,
            },
            _ => i += 1,
        }
    }
    out.push_str(tail(s, last));
    out
}

// ---------------------------------------------------------------------------------------------
// HTML tags.

struct Tag {
    start: usize,
    end: usize,
    name: String,
    closing: bool,
    self_closing: bool,
    /// (name, start of value, end of value)
    attrs: Vec<(String, usize, usize)>,
}

impl Tag {
    fn attr<'s>(&self, s: &'s str, name: &str) -> Option<&'s str> {
        self.attrs
            .iter()
            .find(|(n, _, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, start, end)| slice(s, *start, *end))
    }
}

/// A complete open or closing tag at `start`, on one line and with no `<` or `>` in attribute
/// values: stricter than CommonMark, so that rustdoc's own reading of a tag kept never differs.
fn parse_tag(s: &str, start: usize) -> Option<Tag> {
    let b = s.as_bytes();
    let limit = b.len().min(start + MAX_LOOKAHEAD);
    let mut i = start + 1;
    let closing = at(b, i) == b'/';
    if closing {
        i += 1;
    }
    let name_start = i;
    if !at(b, i).is_ascii_alphabetic() {
        return None;
    }
    while i < limit && (at(b, i).is_ascii_alphanumeric() || at(b, i) == b'-') {
        i += 1;
    }
    let name = slice(s, name_start, i).to_owned();
    let mut attrs = Vec::new();
    loop {
        let before_space = i;
        while is_space_or_tab(at(b, i)) {
            i += 1;
        }
        if i >= limit {
            return None;
        }
        let done = |end: usize, self_closing: bool, attrs: Vec<(String, usize, usize)>| {
            Some(Tag {
                start,
                end,
                name: name.clone(),
                closing,
                self_closing,
                attrs,
            })
        };
        match at(b, i) {
            b'>' => return done(i + 1, false, attrs),
            b'/' if !closing && at(b, i + 1) == b'>' => return done(i + 2, true, attrs),
            _ => {}
        }
        if closing || i == before_space {
            return None;
        }
        let c = at(b, i);
        if !(c.is_ascii_alphabetic() || c == b'_' || c == b':') {
            return None;
        }
        let attr_start = i;
        while i < limit
            && (at(b, i).is_ascii_alphanumeric() || matches!(at(b, i), b'_' | b'.' | b':' | b'-'))
        {
            i += 1;
        }
        let attr_name = slice(s, attr_start, i).to_owned();
        let after_name = i;
        while is_space_or_tab(at(b, i)) {
            i += 1;
        }
        if at(b, i) != b'=' {
            i = after_name;
            attrs.push((attr_name, i, i));
            continue;
        }
        i += 1;
        while is_space_or_tab(at(b, i)) {
            i += 1;
        }
        match at(b, i) {
            quote @ (b'"' | b'\'') => {
                i += 1;
                let value_start = i;
                while i < limit && at(b, i) != quote {
                    if matches!(at(b, i), b'\n' | b'<' | b'>') {
                        return None;
                    }
                    i += 1;
                }
                if i >= limit {
                    return None;
                }
                attrs.push((attr_name, value_start, i));
                i += 1;
            }
            _ => {
                let value_start = i;
                while i < limit
                    && at(b, i) > b' '
                    && !matches!(at(b, i), b'"' | b'\'' | b'=' | b'<' | b'>' | b'`')
                {
                    i += 1;
                }
                if i == value_start {
                    return None;
                }
                attrs.push((attr_name, value_start, i));
            }
        }
    }
}

fn is_void(name: &str) -> bool {
    VOID_TAGS.contains(&name.to_ascii_lowercase().as_str())
}

/// Whether a tag may stay HTML (when balanced): a known element or a custom one (`x-foo`),
/// self-closing only when void.
fn keepable(tag: &Tag) -> bool {
    let lower = tag.name.to_ascii_lowercase();
    let custom = tag.name.contains('-') && tag.name.starts_with(|c: char| c.is_ascii_lowercase());
    let known = KNOWN_TAGS.contains(&lower.as_str()) || custom;
    let void = is_void(&tag.name);
    let self_closing_ok = void || !tag.self_closing;
    let closing_ok = !(void && tag.closing);
    known && self_closing_ok && closing_ok
}

/// An Okta lifecycle badge at `start` (`<x-lifecycle class="ea"></x-lifecycle>` or
/// `<ApiLifecycle access="ea"></ApiLifecycle>`): its label and where it ends.
fn badge(s: &str, start: usize) -> Option<(String, usize)> {
    let tag = parse_tag(s, start)?;
    let (attr, close) = if tag.name.eq_ignore_ascii_case("x-lifecycle") {
        ("class", "</x-lifecycle>")
    } else if tag.name.eq_ignore_ascii_case("apilifecycle") {
        ("access", "</apilifecycle>")
    } else {
        return None;
    };
    if tag.closing || tag.self_closing {
        return None;
    }
    let value = tag.attr(s, attr)?;
    let closed = tail(s, tag.end)
        .get(..close.len())
        .is_some_and(|c| c.eq_ignore_ascii_case(close));
    closed.then(|| (badge_label(value), tag.end + close.len()))
}

fn badge_label(value: &str) -> String {
    let label = match value.trim().to_ascii_lowercase().as_str() {
        "ea" => "Early Access",
        "oie" | "ie" => "Identity Engine",
        "beta" => "Beta",
        "deprecated" => "Deprecated",
        "ga" => "General Availability",
        _ => {
            return value
                .chars()
                .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '.'))
                .collect::<String>()
                .trim()
                .to_owned()
        }
    };
    label.to_owned()
}

// ---------------------------------------------------------------------------------------------
// Inline scanning.

struct TagPiece {
    name: String,
    closing: bool,
    void: bool,
    /// The tag as kept.
    raw: String,
    /// The tag as text, when unbalanced.
    escaped: String,
    keep: bool,
}

enum Piece {
    Text(String),
    /// `[` or `![`: a link when resolved, escaped otherwise.
    Open {
        image: bool,
        link: bool,
    },
    /// A bare URL: an autolink, or as is inside a link's text.
    Url(String),
    Tag(TagPiece),
}

struct Bracket {
    piece: usize,
    after: usize,
    image: bool,
    active: bool,
}

/// How an HTML block starts: whether what starts it stays HTML.
#[derive(Clone, Copy)]
enum Starter {
    Kept,
    Escaped,
    Tag(usize),
}

/// Positions of backtick runs by length, for finding the end of a code span in linear time.
struct Ticks {
    runs: HashMap<usize, (Vec<usize>, usize)>,
}

impl Ticks {
    fn new(b: &[u8]) -> Self {
        let mut runs: HashMap<usize, (Vec<usize>, usize)> = HashMap::new();
        let mut i = 0;
        while i < b.len() {
            if at(b, i) == b'`' {
                let start = i;
                while at(b, i) == b'`' {
                    i += 1;
                }
                runs.entry(i - start).or_default().0.push(start);
            } else {
                i += 1;
            }
        }
        Ticks { runs }
    }

    /// The first run of exactly `len` backticks at or after `from`; `from` never decreases
    /// between calls.
    fn find(&mut self, len: usize, from: usize) -> Option<usize> {
        let (starts, cursor) = self.runs.get_mut(&len)?;
        while starts.get(*cursor).is_some_and(|&s| s < from) {
            *cursor += 1;
        }
        starts.get(*cursor).copied()
    }
}

struct Scan<'s, 'c> {
    src: &'s str,
    b: &'s [u8],
    /// Inside an HTML block: only `<` matters, and escapes are entities.
    html_block: bool,
    allow_html: bool,
    defs: &'s HashSet<String>,
    counts: &'c mut Counts,
    pieces: Vec<Piece>,
    brackets: Vec<Bracket>,
    /// Brackets below this index are already inactive.
    deactivated: usize,
    /// Piece ranges inside links.
    links: Vec<(usize, usize)>,
    ticks: Ticks,
    comment_cache: Option<(usize, Option<usize>)>,
    starter: Option<Starter>,
    /// Where the last lifecycle badge ended.
    badge_end: Option<usize>,
}

struct Scanned {
    pieces: Vec<Piece>,
    links: Vec<(usize, usize)>,
    starter: Option<Starter>,
}

impl<'s, 'c> Scan<'s, 'c> {
    fn new(
        src: &'s str,
        html_block: bool,
        allow_html: bool,
        defs: &'s HashSet<String>,
        counts: &'c mut Counts,
    ) -> Self {
        let b = src.as_bytes();
        Scan {
            src,
            b,
            html_block,
            allow_html,
            defs,
            counts,
            pieces: Vec::new(),
            brackets: Vec::new(),
            deactivated: 0,
            links: Vec::new(),
            ticks: Ticks::new(if html_block { &[] } else { b }),
            comment_cache: None,
            starter: None,
            badge_end: None,
        }
    }

    fn text(&mut self, s: &str) {
        if let Some(Piece::Text(last)) = self.pieces.last_mut() {
            last.push_str(s);
        } else {
            self.pieces.push(Piece::Text(s.to_owned()));
        }
    }

    fn run(mut self) -> Scanned {
        let n = self.b.len();
        let mut i = 0;
        let mut plain = 0;
        while i < n {
            let c = at(self.b, i);
            if self.html_block && c != b'<' {
                i += 1;
                continue;
            }
            let special = match c {
                b'<' | b'\\' | b'`' | b'[' | b']' => true,
                b'!' => at(self.b, i + 1) == b'[',
                b'h' | b'H' => url_end(self.b, i).is_some(),
                _ => false,
            };
            if !special {
                i += 1;
                continue;
            }
            let flushed = slice(self.src, plain, i);
            self.text(flushed);
            let next = match c {
                b'<' => self.angle(i),
                b'\\' => self.escape(i),
                b'`' => self.backticks(i),
                b'[' => self.open_bracket(i, false),
                b'!' => self.open_bracket(i, true),
                b']' => self.close_bracket(i),
                _ => self.url(i),
            };
            i = next.max(i + 1);
            plain = i;
        }
        let rest = tail(self.src, plain);
        self.text(rest);
        Scanned {
            pieces: self.pieces,
            links: self.links,
            starter: self.starter,
        }
    }

    fn escape(&mut self, i: usize) -> usize {
        match at(self.b, i + 1) {
            c if c.is_ascii_punctuation() => {
                let escaped = slice(self.src, i, i + 2);
                self.text(escaped);
                i + 2
            }
            // A backslash before a bare URL, written escaped so that it does not escape the `<`
            // of the autolink.
            b'h' | b'H' if url_end(self.b, i + 1).is_some() => {
                self.text("\\\\");
                i + 1
            }
            _ => {
                self.text("\\");
                i + 1
            }
        }
    }

    fn backticks(&mut self, i: usize) -> usize {
        let len = self
            .b
            .get(i..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&c| c == b'`')
            .count();
        match self.ticks.find(len, i + len) {
            Some(close) => {
                let code = slice(self.src, i, close + len);
                self.text(code);
                close + len
            }
            None => {
                self.counts.backticks_escaped += 1;
                self.text(&"\\`".repeat(len));
                i + len
            }
        }
    }

    fn url(&mut self, i: usize) -> usize {
        match url_end(self.b, i) {
            Some(end) => {
                self.pieces
                    .push(Piece::Url(slice(self.src, i, end).to_owned()));
                end
            }
            None => {
                let c = slice(self.src, i, i + 1);
                self.text(c);
                i + 1
            }
        }
    }

    fn note_starter(&mut self, starter: Starter) {
        if self.html_block && self.starter.is_none() {
            self.starter = Some(starter);
        }
    }

    /// The first `-->` at or after `from` (each part of the text searched once).
    fn comment_close(&mut self, from: usize) -> Option<usize> {
        if let Some((searched_from, found)) = self.comment_cache {
            match found {
                Some(f) if f >= from => return Some(f),
                None if searched_from <= from => return None,
                _ => {}
            }
        }
        let found = self
            .src
            .get(from..)
            .and_then(|r| r.find("-->"))
            .map(|k| k + from);
        self.comment_cache = Some((from, found));
        found
    }

    fn angle(&mut self, i: usize) -> usize {
        if !self.html_block {
            if let Some(end) = autolink_end(self.b, i) {
                let link = slice(self.src, i, end);
                self.text(link);
                return end;
            }
        }
        if self.allow_html && starts_with_ci(self.b, i, b"<!--") {
            let body = tail(self.src, i + 4);
            if !body.starts_with('>') && !body.starts_with("->") {
                if let Some(close) = self.comment_close(i + 4) {
                    let comment = slice(self.src, i, close + 3);
                    self.text(comment);
                    self.note_starter(Starter::Kept);
                    return close + 3;
                }
            }
        }
        if let Some(tag) = parse_tag(self.src, i) {
            if let Some(end) = self.lifecycle(&tag) {
                return end;
            }
            if self.allow_html && keepable(&tag) {
                let raw = self.tag_raw(&tag);
                let inside = slice(self.src, i + 1, tag.end);
                let escaped = if self.html_block {
                    format!("&lt;{inside}")
                } else {
                    format!("\\<{}", escape_text(inside))
                };
                self.pieces.push(Piece::Tag(TagPiece {
                    void: is_void(&tag.name),
                    name: tag.name,
                    closing: tag.closing,
                    raw,
                    escaped,
                    keep: false,
                }));
                self.note_starter(Starter::Tag(self.pieces.len() - 1));
                return tag.end;
            }
        }
        self.counts.angles_escaped += 1;
        self.note_starter(Starter::Escaped);
        self.text(if self.html_block { "&lt;" } else { "\\<" });
        i + 1
    }

    /// The tag with relative `href` and `src` values made absolute.
    fn tag_raw(&mut self, tag: &Tag) -> String {
        let mut out = String::new();
        let mut last = tag.start;
        for (name, start, end) in &tag.attrs {
            if !(name.eq_ignore_ascii_case("href") || name.eq_ignore_ascii_case("src")) {
                continue;
            }
            if let Target::Replace(new) = target(slice(self.src, *start, *end)) {
                self.counts.links_absolutized += 1;
                out.push_str(slice(self.src, last, *start));
                out.push_str(&new);
                last = *end;
            }
        }
        out.push_str(slice(self.src, last, tag.end));
        out
    }

    /// Okta's lifecycle badges, as text, and the wrappers around them dropped. Returns where
    /// the construct ends.
    fn lifecycle(&mut self, tag: &Tag) -> Option<usize> {
        let next_is_space = |c: u8| matches!(c, 0 | b' ' | b'\t' | b'\n');
        if tag.name.eq_ignore_ascii_case("x-lifecycle-container") {
            if tag.closing && self.badge_end == Some(tag.start) {
                if !next_is_space(at(self.b, tag.end)) {
                    self.text(" ");
                }
                return Some(tag.end);
            }
            if !tag.closing && tag.attrs.is_empty() && badge(self.src, tag.end).is_some() {
                return Some(tag.end);
            }
            return None;
        }
        let (label, end) = badge(self.src, tag.start)?;
        // Apart from what precedes: `[x](Early Access)` would be a link, `http://(Early` a URL.
        let previous = if tag.start > 0 {
            at(self.b, tag.start - 1)
        } else {
            0
        };
        let before = if matches!(previous, 0 | b' ' | b'\t' | b'\n' | b'>' | b'(') {
            ""
        } else {
            " "
        };
        let next = at(self.b, end);
        let after = if next_is_space(next) || next == b'<' {
            ""
        } else {
            " "
        };
        self.counts.badges += 1;
        self.text(&format!("{before}({label}){after}"));
        self.badge_end = Some(end);
        Some(end)
    }

    fn open_bracket(&mut self, i: usize, image: bool) -> usize {
        self.pieces.push(Piece::Open { image, link: false });
        let after = i + if image { 2 } else { 1 };
        self.brackets.push(Bracket {
            piece: self.pieces.len() - 1,
            after,
            image,
            active: true,
        });
        after
    }

    fn literal_close(&mut self, i: usize) -> usize {
        self.counts.brackets_escaped += 1;
        self.text("\\]");
        i + 1
    }

    fn defined(&self, label: &str) -> bool {
        !self.defs.is_empty()
            && label.len() <= MAX_LABEL
            && self.defs.contains(&normalize_label(label))
    }

    fn close_bracket(&mut self, i: usize) -> usize {
        let Some(open) = self.brackets.pop() else {
            return self.literal_close(i);
        };
        self.deactivated = self.deactivated.min(self.brackets.len());
        if !open.active {
            return self.literal_close(i);
        }
        let label = slice(self.src, open.after, i);
        if at(self.b, i + 1) == b'(' {
            if let Some(link) = inline_link_tail(self.src, i + 1) {
                let dest = slice(self.src, link.dest.0, link.dest.1);
                let new_dest = match target(dest) {
                    Target::Reject => None,
                    Target::Keep => Some(dest.to_owned()),
                    Target::Replace(new) => {
                        self.counts.links_absolutized += 1;
                        Some(new)
                    }
                };
                if let Some(new_dest) = new_dest {
                    let text = format!(
                        "{}{new_dest}{}",
                        slice(self.src, i, link.dest.0),
                        slice(self.src, link.dest.1, link.end)
                    );
                    self.text(&text);
                    self.make_link(&open);
                    return link.end;
                }
            }
        }
        if at(self.b, i + 1) == b'[' {
            if let Some((end, inner)) = link_label(self.src, i + 1) {
                let key = if inner.trim().is_empty() {
                    label
                } else {
                    inner
                };
                if self.defined(key) {
                    let reference = slice(self.src, i, end);
                    self.text(reference);
                    self.make_link(&open);
                    return end;
                }
                if !inner.trim().is_empty() {
                    return self.literal_close(i);
                }
            }
        }
        if self.defined(label) {
            self.text("]");
            self.make_link(&open);
            return i + 1;
        }
        self.literal_close(i)
    }

    fn make_link(&mut self, open: &Bracket) {
        if let Some(Piece::Open { link, .. }) = self.pieces.get_mut(open.piece) {
            *link = true;
        }
        self.links.push((open.piece, self.pieces.len()));
        if !open.image {
            // Links do not nest: no `[` before this one can open a link any more.
            for bracket in self.brackets.iter_mut().skip(self.deactivated) {
                if !bracket.image {
                    bracket.active = false;
                }
            }
            self.deactivated = self.brackets.len();
        }
    }
}

/// The end of an autolink (`<scheme:...>` or `<user@example.com>`) at `i`.
fn autolink_end(b: &[u8], i: usize) -> Option<usize> {
    let limit = b.len().min(i + MAX_LOOKAHEAD);
    let mut j = i + 1;
    let scheme = b
        .get(j..limit)
        .unwrap_or_default()
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'.' | b'-'))
        .count();
    if at(b, j).is_ascii_alphabetic() && (2..=32).contains(&scheme) && at(b, j + scheme) == b':' {
        j += scheme + 1;
        while j < limit {
            match at(b, j) {
                b'>' => return Some(j + 1),
                c if c <= b' ' || c == b'<' || c == 0x7f => return None,
                _ => j += 1,
            }
        }
        return None;
    }
    // An email address.
    let local = b
        .get(j..limit)
        .unwrap_or_default()
        .iter()
        .take_while(|&&c| c.is_ascii_alphanumeric() || b".!#$%&'*+/=?^_`{|}~-".contains(&c))
        .count();
    if local == 0 || at(b, j + local) != b'@' {
        return None;
    }
    j += local + 1;
    loop {
        let label = b
            .get(j..limit)
            .unwrap_or_default()
            .iter()
            .take_while(|&&c| c.is_ascii_alphanumeric() || c == b'-')
            .count();
        if label == 0 || label > 63 || at(b, j) == b'-' || at(b, j + label - 1) == b'-' {
            return None;
        }
        j += label;
        match at(b, j) {
            b'>' => return Some(j + 1),
            b'.' => j += 1,
            _ => return None,
        }
    }
}

struct LinkTail {
    dest: (usize, usize),
    end: usize,
}

/// Spaces and tabs, and at most one line ending.
fn skip_link_space(b: &[u8], mut i: usize) -> usize {
    let mut newline = false;
    loop {
        match at(b, i) {
            b' ' | b'\t' => i += 1,
            b'\n' if !newline => {
                newline = true;
                i += 1;
            }
            _ => return i,
        }
    }
}

/// `(destination "title")` at `p`.
fn inline_link_tail(s: &str, p: usize) -> Option<LinkTail> {
    let b = s.as_bytes();
    let limit = b.len().min(p + MAX_LOOKAHEAD);
    let mut i = skip_link_space(b, p + 1);
    let dest = if at(b, i) == b'<' {
        let start = i + 1;
        i = start;
        loop {
            if i >= limit {
                return None;
            }
            match at(b, i) {
                b'>' => break,
                b'\n' | b'<' => return None,
                b'\\' => i += 2,
                _ => i += 1,
            }
        }
        let dest = (start, i);
        i += 1;
        dest
    } else {
        let start = i;
        let mut depth = 0usize;
        while i < limit {
            let c = at(b, i);
            if c == b'\\' && at(b, i + 1).is_ascii_punctuation() {
                i += 2;
                continue;
            }
            if c <= b' ' || c == 0x7f {
                break;
            }
            if c == b'(' {
                depth += 1;
            } else if c == b')' {
                if depth == 0 {
                    break;
                }
                depth -= 1;
            }
            i += 1;
        }
        if depth != 0 || i >= limit {
            return None;
        }
        (start, i)
    };
    let before_title = i;
    i = skip_link_space(b, i);
    if at(b, i) == b')' {
        return Some(LinkTail { dest, end: i + 1 });
    }
    if i == before_title {
        return None;
    }
    let close = match at(b, i) {
        b'"' => b'"',
        b'\'' => b'\'',
        b'(' => b')',
        _ => return None,
    };
    i += 1;
    loop {
        if i >= limit {
            return None;
        }
        match at(b, i) {
            b'\\' => i += 2,
            c if c == close => break,
            b'(' if close == b')' => return None,
            _ => i += 1,
        }
    }
    i = skip_link_space(b, i + 1);
    (at(b, i) == b')').then_some(LinkTail { dest, end: i + 1 })
}

// ---------------------------------------------------------------------------------------------
// Putting it together.

enum Unit {
    Raw(String),
    Scanned {
        prefixes: Vec<String>,
        scanned: Scanned,
    },
}

fn scan_unit(
    lines: Vec<Line>,
    html_block: bool,
    allow_html: bool,
    defs: &HashSet<String>,
    counts: &mut Counts,
) -> Unit {
    let mut prefixes = Vec::with_capacity(lines.len());
    let mut text = String::new();
    for (k, (prefix, content)) in lines.into_iter().enumerate() {
        if k > 0 {
            text.push('\n');
        }
        text.push_str(&content);
        prefixes.push(prefix);
    }
    let scanned = Scan::new(&text, html_block, allow_html, defs, counts).run();
    Unit::Scanned { prefixes, scanned }
}

/// Keeps the tags that pair up (across the whole text, as rustdoc checks them), escapes the rest.
fn balance(units: &mut [Unit], counts: &mut Counts) {
    let mut tags: Vec<(usize, usize, String, bool, bool)> = Vec::new();
    for (u, unit) in units.iter().enumerate() {
        if let Unit::Scanned { scanned, .. } = unit {
            for (p, piece) in scanned.pieces.iter().enumerate() {
                if let Piece::Tag(t) = piece {
                    tags.push((u, p, t.name.clone(), t.closing, t.void));
                }
            }
        }
    }
    let mut keep = vec![false; tags.len()];
    let mut stack: Vec<usize> = Vec::new();
    let mut open: HashMap<&str, usize> = HashMap::new();
    for (k, (_, _, name, closing, void)) in tags.iter().enumerate() {
        if *void {
            if let Some(kept) = keep.get_mut(k) {
                *kept = !closing;
            }
            continue;
        }
        if !closing {
            stack.push(k);
            *open.entry(name.as_str()).or_default() += 1;
            continue;
        }
        if open.get(name.as_str()).copied().unwrap_or(0) == 0 {
            continue;
        }
        while let Some(top) = stack.pop() {
            let Some((_, _, top_name, _, _)) = tags.get(top) else {
                continue;
            };
            if let Some(count) = open.get_mut(top_name.as_str()) {
                *count = count.saturating_sub(1);
            }
            if top_name == name {
                for i in [top, k] {
                    if let Some(kept) = keep.get_mut(i) {
                        *kept = true;
                    }
                }
                break;
            }
        }
    }
    for ((u, p, _, _, _), kept) in tags.iter().zip(keep) {
        if let Some(Unit::Scanned { scanned, .. }) = units.get_mut(*u) {
            if let Some(Piece::Tag(t)) = scanned.pieces.get_mut(*p) {
                t.keep = kept;
                if !kept {
                    counts.tags_escaped += 1;
                }
            }
        }
    }
}

fn starter_escaped(unit: &Unit) -> bool {
    let Unit::Scanned { scanned, .. } = unit else {
        return false;
    };
    match scanned.starter {
        None | Some(Starter::Kept) => false,
        Some(Starter::Escaped) => true,
        Some(Starter::Tag(p)) => !matches!(scanned.pieces.get(p), Some(Piece::Tag(t)) if t.keep),
    }
}

fn render_unit(unit: &Unit, out: &mut String, counts: &mut Counts) {
    let (prefixes, scanned) = match unit {
        Unit::Raw(line) => {
            out.push_str(line);
            return;
        }
        Unit::Scanned { prefixes, scanned } => (prefixes, scanned),
    };
    let mut depth = vec![0i64; scanned.pieces.len() + 1];
    for &(start, end) in &scanned.links {
        if let Some(d) = depth.get_mut(start) {
            *d += 1;
        }
        if let Some(d) = depth.get_mut(end) {
            *d -= 1;
        }
    }
    let mut text = String::new();
    let mut in_link = 0i64;
    for (k, piece) in scanned.pieces.iter().enumerate() {
        in_link += depth.get(k).copied().unwrap_or(0);
        match piece {
            Piece::Text(t) => text.push_str(t),
            Piece::Open { image, link } => {
                if !link {
                    counts.brackets_escaped += 1;
                }
                text.push_str(match (image, link) {
                    (false, true) => "[",
                    (true, true) => "![",
                    (false, false) => "\\[",
                    (true, false) => "!\\[",
                });
            }
            Piece::Url(url) => {
                let next_tick = match scanned.pieces.get(k + 1) {
                    Some(Piece::Text(t)) => t.starts_with('`'),
                    _ => false,
                };
                if in_link > 0 {
                    text.push_str(url);
                } else if url.contains(['{', '}']) && !text.ends_with('`') && !next_tick {
                    counts.urls_as_code += 1;
                    text.push('`');
                    text.push_str(url);
                    text.push('`');
                } else {
                    counts.urls_autolinked += 1;
                    text.push('<');
                    text.push_str(url);
                    text.push('>');
                }
            }
            Piece::Tag(t) => text.push_str(if t.keep { &t.raw } else { &t.escaped }),
        }
    }
    let last = prefixes.last().map(String::as_str).unwrap_or("");
    for (k, line) in text.split('\n').enumerate() {
        if k > 0 {
            out.push('\n');
        }
        out.push_str(prefixes.get(k).map(String::as_str).unwrap_or(last));
        out.push_str(line);
    }
}

/// Sanitizes `text`; `None` when an HTML block's opening tag would have to be escaped, which
/// changes the block structure (the caller then renders without raw HTML).
fn render(text: &str, allow_html: bool, counts: &mut Counts) -> Option<String> {
    let mut parser = BlockParser::new(text, allow_html, counts);
    let lines: Vec<&str> = text.split('\n').collect();
    let mut offset = 0;
    for (k, line) in lines.iter().enumerate() {
        parser.line(line, lines.get(k + 1).copied(), offset);
        offset += line.len() + 1;
    }
    let (blocks, defs) = parser.finish();
    let mut units = Vec::with_capacity(blocks.len());
    for block in blocks {
        units.push(match block {
            Block::Raw(line) => Unit::Raw(line),
            Block::Inline(lines) => scan_unit(lines, false, allow_html, &defs, counts),
            Block::Html(lines) => scan_unit(lines, true, allow_html, &defs, counts),
        });
    }
    balance(&mut units, counts);
    if units.iter().any(starter_escaped) {
        return None;
    }
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for (k, unit) in units.iter().enumerate() {
        if k > 0 {
            out.push('\n');
        }
        render_unit(unit, &mut out, counts);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::{sanitize, sanitize_counted};

    /// Sanitizes and checks that sanitizing again changes nothing.
    fn clean(text: &str) -> String {
        let out = sanitize(text);
        assert_eq!(sanitize(&out), out, "not idempotent for {text:?}");
        out
    }

    fn unchanged(text: &str) {
        assert_eq!(clean(text), text);
    }

    // --- Code blocks -------------------------------------------------------------------------

    #[test]
    fn a_fence_without_language_becomes_text() {
        // Okta's LogTransaction description.
        let text = "For example, a `transaction` object such as the following:\n```\n{\n  \"id\": \"Wn4f-0RQ8D8lTSLkAmkKdQAADqo\",\n  \"type\": \"WEB\",\n  \"detail\": null\n}\n```\nindicates that a `WEB` request with `id` `Wn4f-0RQ8D8lTSLkAmkKdQAADqo` has created this event.";
        assert_eq!(clean(text), text.replacen("```\n{", "```text\n{", 1));
    }

    #[test]
    fn an_indented_fence_inside_details_becomes_text_and_the_html_stays() {
        // Okta's token inline hook `op` description.
        let text = "<details>\n<summary>Add a claim</summary>\n\n  Add a claim\n\n  **Existing JSON**\n\n  ```\n  {\n    \"employeeId\": \"00u12345678\"\n  }\n  ```\n\n</details>";
        assert_eq!(
            clean(text),
            text.replacen("  ```\n  {", "  ```text\n  {", 1)
        );
    }

    #[test]
    fn fences_in_other_languages_stay() {
        unchanged("```json\n{\"a\": [0]}\n```");
        unchanged("~~~yaml\nkey: <value>\n~~~");
        unchanged("```http\nGET /api/v1/users HTTP/1.1\n```");
        unchanged("```bash\ncurl -v https://example.com\n```");
    }

    #[test]
    fn fences_rustdoc_would_test_become_text() {
        for info in [
            "rust",
            "ignore",
            "no_run",
            "should_panic",
            "rust,ignore",
            "{.class}",
            "json,ignore",
            "class=x",
            "compile-fail",
        ] {
            assert_eq!(
                clean(&format!("```{info}\nlet x = 1;\n```")),
                "```text\nlet x = 1;\n```",
                "{info}"
            );
        }
    }

    #[test]
    fn an_unclosed_fence_is_closed() {
        assert_eq!(clean("Example:\n```\n{}"), "Example:\n```text\n{}\n```");
        assert_eq!(clean("> ````\n> x"), "> ````text\n> x\n> ````");
    }

    #[test]
    fn an_indented_code_block_becomes_a_fenced_text_block() {
        assert_eq!(
            clean("Request:\n\n    GET /api/v1/users\n    Accept: application/json\n\nDone."),
            "Request:\n\n```text\nGET /api/v1/users\nAccept: application/json\n```\n\nDone."
        );
        // Inside a list item, and holding a fence of its own.
        assert_eq!(
            clean("- item\n\n      ```\n      x\n      ```\n"),
            "- item\n\n  ````text\n  ```\n  x\n  ```\n  ````\n"
        );
    }

    #[test]
    fn indented_lines_that_are_not_code_stay() {
        // Okta: list continuations and a lazy block quote continuation.
        unchanged("Creates a new event hook, including:\n  * The URI of your external service\n  * An optional event hook filter.\n    See [Create an event hook filter](https://developer.okta.com/docs/concepts/event-hooks/#create-an-event-hook-filter).\n\n    Additionally, you can specify a secret API key.");
        // (The lazy quote line gets its `>`: see below.)
        assert_eq!(
            clean("> **Note:** A successful response doesn't indicate that the verification event\n    was transmitted successfully."),
            "> **Note:** A successful response doesn't indicate that the verification event\n> was transmitted successfully."
        );
    }

    // --- Lazy continuation lines -------------------------------------------------------------

    #[test]
    fn lazy_block_quote_lines_get_their_markers() {
        // Okta.
        let (out, counts) = sanitize_counted("> **Note:** Okta rotates your Keys automatically in `AUTO` mode. You can rotate Keys\nyourself in either mode. If Keys are rotated manually, you should invalidate any intermediate cache.\nand fetch the Keys again using the Keys endpoint.");
        assert_eq!(
            out,
            "> **Note:** Okta rotates your Keys automatically in `AUTO` mode. You can rotate Keys\n> yourself in either mode. If Keys are rotated manually, you should invalidate any intermediate cache.\n> and fetch the Keys again using the Keys endpoint."
        );
        assert_eq!(counts.lazy_continuations, 2);
        assert_eq!(clean(&out), out);
        // Nested quotes, and a quote continued at a shallower depth.
        assert_eq!(clean("> > a\nb"), "> > a\n> > b");
        assert_eq!(clean("> > a\n> b\n c"), "> > a\n> > b\n> > c");
        // Quotes in list items, list items in quotes.
        assert_eq!(clean("- > a\nb"), "- > a\n  > b");
        assert_eq!(clean("> - a\nb"), "> - a\n>   b");
    }

    #[test]
    fn lazy_list_item_lines_are_indented() {
        // Okta.
        assert_eq!(
            clean("The parameter value of the command.\n* To indicate that the supplied credentials are valid, supply a type property set to `com.okta.action.update` together with a value property set to `{\"credential\": \"VERIFIED\"}`.\n* To indicate that the supplied credentials are invalid, supply a type property set to `com.okta.action.update` together with a value property set to `{\"credential\": \"UNVERIFIED\"}`.\nAlternatively, you can send an empty response (`204`). By default, the `data.action.credential` is always set to `UNVERIFIED`."),
            "The parameter value of the command.\n* To indicate that the supplied credentials are valid, supply a type property set to `com.okta.action.update` together with a value property set to `{\"credential\": \"VERIFIED\"}`.\n* To indicate that the supplied credentials are invalid, supply a type property set to `com.okta.action.update` together with a value property set to `{\"credential\": \"UNVERIFIED\"}`.\n  Alternatively, you can send an empty response (`204`). By default, the `data.action.credential` is always set to `UNVERIFIED`."
        );
        assert_eq!(
            clean("\n* SP ACS URL<br>\nFor example: `https://${yourOktaDomain}/sso/saml2/:idpId`\n* The app to which the user is automatically redirected after successfully authenticating with the IdP <br>\nFor example: `/app/:app-location/:appId/sso/saml`"),
            "\n* SP ACS URL<br>\n  For example: `https://${yourOktaDomain}/sso/saml2/:idpId`\n* The app to which the user is automatically redirected after successfully authenticating with the IdP <br>\n  For example: `/app/:app-location/:appId/sso/saml`"
        );
        assert_eq!(
            clean("The email content is selected based on the following priority:\n1. The email customization for the language specified in the `language` query parameter\n<x-lifecycle class=\"ea\"></x-lifecycle> If Custom languages for Okta Email Templates is enabled"),
            "The email content is selected based on the following priority:\n1. The email customization for the language specified in the `language` query parameter\n   (Early Access) If Custom languages for Okta Email Templates is enabled"
        );
        // Short of the content column, and nested.
        assert_eq!(clean("10. a\n b"), "10. a\n    b");
        assert_eq!(clean("- a\n  - b\n c"), "- a\n  - b\n    c");
    }

    #[test]
    fn lines_that_are_not_lazy_continuations_stay() {
        unchanged("- a\n  b\n\nc");
        unchanged("> a\n> b\n\nc");
        unchanged("- a\n- b\n> c\n\nd");
        // In code, nothing is a continuation.
        unchanged("- ```json\n  {}\n  ```\nb");
        unchanged("> ```json\n> {\n> ```\nb");
        // Lazy, but written out they would make a heading or a table: left lazy.
        unchanged("- a\n===");
        unchanged("> a\n--");
        unchanged("- a | b\n|---|---|");
    }

    // --- URLs --------------------------------------------------------------------------------

    #[test]
    fn bare_urls_become_autolinks() {
        assert_eq!(
            clean("See https://developer.okta.com/docs/api/ for details."),
            "See <https://developer.okta.com/docs/api/> for details."
        );
        assert_eq!(
            clean("(see https://en.wikipedia.org/wiki/Foo_(bar)), or http://localhost:8080."),
            "(see <https://en.wikipedia.org/wiki/Foo_(bar)>), or <http://localhost:8080>."
        );
        // A backslash before a URL does not escape the autolink.
        assert_eq!(clean("Domain\\https://x.org"), "Domain\\\\<https://x.org>");
    }

    #[test]
    fn bare_url_templates_become_code() {
        assert_eq!(
            clean("Send it to https://{yourOktaDomain}/api/v1/users."),
            "Send it to `https://{yourOktaDomain}/api/v1/users`."
        );
    }

    #[test]
    fn urls_in_links_code_and_autolinks_stay() {
        unchanged("[https://example.com](https://example.com)");
        unchanged("<https://example.com/a?b=c>");
        // Okta: placeholders inside inline code.
        unchanged("Preview it at `${yourOktaDomain}/error/preview`.");
        unchanged("The base URL is `https://drapp.{yourOrgSubDomain}.okta.com/`.");
    }

    // --- Brackets ----------------------------------------------------------------------------

    #[test]
    fn brackets_that_are_not_links_are_escaped() {
        // Okta.
        assert_eq!(
            clean("Filter expression that filters the results. All operators except [ ] are supported."),
            "Filter expression that filters the results. All operators except \\[ \\] are supported."
        );
        assert_eq!(
            clean("and \"© [current year] Okta, Inc.\" from the Okta End-User Dashboard"),
            "and \"© \\[current year\\] Okta, Inc.\" from the Okta End-User Dashboard"
        );
        assert_eq!(
            clean("contains values [\"arrayAttrVal1\", \"arrayAttrVal2\"...], then"),
            "contains values \\[\"arrayAttrVal1\", \"arrayAttrVal2\"...\\], then"
        );
        // What rustdoc would resolve as paths.
        assert_eq!(
            clean("[Foo], [0], [`Vec`], [a][b]"),
            "\\[Foo\\], \\[0\\], \\[`Vec`\\], \\[a\\]\\[b\\]"
        );
        assert_eq!(
            clean("a [footnote][^1]\n\n[^1]: text"),
            "a \\[footnote\\]\\[^1\\]\n\n\\[^1\\]: text"
        );
    }

    #[test]
    fn real_links_stay() {
        unchanged("[a](https://x)");
        unchanged(
            "See [Okta](https://www.okta.com \"Okta\") and ![logo](https://example.com/logo.png).",
        );
        unchanged("[in-page](#anchor)");
        // The generator's own intra-doc links.
        unchanged("Request builder for [`Client::list_users`](super::Client::list_users), or [`send`](Self::send).");
    }

    #[test]
    fn reference_links_with_a_definition_stay() {
        assert_eq!(
            clean("See [the guide] and [it][the guide].\n\n[the guide]: /docs/guides/x"),
            "See [the guide] and [it][the guide].\n\n[the guide]: https://developer.okta.com/docs/guides/x"
        );
    }

    #[test]
    fn links_rustdoc_would_resolve_as_paths_become_text() {
        assert_eq!(
            clean("[grant](urn:ietf:params)"),
            "\\[grant\\](urn:ietf:params)"
        );
    }

    // --- Relative links ----------------------------------------------------------------------

    #[test]
    fn relative_links_become_absolute() {
        // Okta.
        assert_eq!(
            clean("See [Conditional Requests and Entity Tags](/#conditional-requests-and-entity-tags)."),
            "See [Conditional Requests and Entity Tags](https://developer.okta.com/docs/api/#conditional-requests-and-entity-tags)."
        );
        assert_eq!(
            clean("> **Note:** See [Retrieve an authenticator](/openapi/okta-management/management/tag/Authenticator/#tag/Authenticator/operation/getAuthenticator)."),
            "> **Note:** See [Retrieve an authenticator](https://developer.okta.com/docs/api/openapi/okta-management/management/tag/Authenticator/#tag/Authenticator/operation/getAuthenticator)."
        );
        assert_eq!(
            clean("a [self-service Early Access (EA)](/docs/concepts/feature-lifecycle-management/#self-service-features) feature"),
            "a [self-service Early Access (EA)](https://developer.okta.com/docs/concepts/feature-lifecycle-management/#self-service-features) feature"
        );
        assert_eq!(
            clean("the assigned [group](openapi/okta-management/management/group)"),
            "the assigned [group](https://developer.okta.com/docs/api/openapi/okta-management/management/group)"
        );
        assert_eq!(
            clean("See [Activate a factor](./#tag/UserFactor/operation/activateFactor)."),
            "See [Activate a factor](https://developer.okta.com/docs/api/#tag/UserFactor/operation/activateFactor)."
        );
        // Okta: a pair of parentheses too many.
        assert_eq!(
            clean("part of the [IdP provider]((https://developer.okta.com/docs/api/x)) and"),
            "part of the [IdP provider](https://developer.okta.com/docs/api/x) and"
        );
        assert_eq!(
            clean("<a href=\"/docs/guides\">guides</a>"),
            "<a href=\"https://developer.okta.com/docs/guides\">guides</a>"
        );
    }

    // --- HTML --------------------------------------------------------------------------------

    #[test]
    fn angle_brackets_that_are_not_html_are_escaped() {
        assert_eq!(
            clean("A Map<String> of values."),
            "A Map\\<String> of values."
        );
        assert_eq!(
            clean("Go to <yourOktaDomain>/admin."),
            "Go to \\<yourOktaDomain>/admin."
        );
        assert_eq!(clean("if a < b"), "if a \\< b");
        assert_eq!(
            clean("<script>alert(1)</script>"),
            "\\<script>alert(1)\\</script>"
        );
    }

    #[test]
    fn balanced_known_html_stays() {
        // Okta.
        unchanged("The `oneOf` key provides a display name for the `enum` value.<br>\nEach schema has the following format:");
        unchanged("| <div style=\"width:150px\">Apps supported</div> | <ul><li>Okta Org2Org</li> <li>Zoom</li></ul> |");
        unchanged("<img alt=\"Example\" src=\"https://developer.okta.com/docs/api/images/users/okta-user-status.png\" width=\"1000\"/>");
        unchanged("Some <b>bold</b> and <x-custom>custom</x-custom> text<!-- and a comment -->.");
    }

    #[test]
    fn unbalanced_html_is_escaped() {
        assert_eq!(clean("text <b>bold"), "text \\<b>bold");
        assert_eq!(clean("text </b> and <i>x</i>"), "text \\</b> and <i>x</i>");
        assert_eq!(clean("a <div/> b"), "a \\<div/> b");
        // An unbalanced tag that starts an HTML block: no raw HTML is kept at all.
        let (out, counts) = sanitize_counted("<div>\nopen [x] and <b>b</b>");
        assert_eq!(out, "\\<div>\nopen \\[x\\] and \\<b>b\\</b>");
        assert_eq!(counts.html_fallback, 1);
    }

    #[test]
    fn lifecycle_badges_become_text() {
        // Okta.
        assert_eq!(
            clean("<x-lifecycle-container><x-lifecycle class=\"ea\"></x-lifecycle> <x-lifecycle class=\"oie\"></x-lifecycle></x-lifecycle-container>Allows the app to participate in front-channel Single Logout"),
            "(Early Access) (Identity Engine) Allows the app to participate in front-channel Single Logout"
        );
        assert_eq!(
            clean("Valid values: `blocks` or <x-lifecycle class=\"ea\"></x-lifecycle> `classification`."),
            "Valid values: `blocks` or (Early Access) `classification`."
        );
        assert_eq!(
            clean("* <x-lifecycle class=\"ea\"></x-lifecycle>[Device signal collection policies](https://developer.okta.com/docs/guides/device-signal-collection-policies/main/)"),
            "* (Early Access) [Device signal collection policies](https://developer.okta.com/docs/guides/device-signal-collection-policies/main/)"
        );
        assert_eq!(
            clean("### Enable other locales\n<ApiLifecycle access=\"ea\"></ApiLifecycle>"),
            "### Enable other locales\n(Early Access)"
        );
        assert_eq!(
            clean("<div class=\"x-lifecycle-container\"><x-lifecycle class=\"oie\"></x-lifecycle></div>"),
            "<div class=\"x-lifecycle-container\">(Identity Engine)</div>"
        );
    }

    // --- Backticks ---------------------------------------------------------------------------

    #[test]
    fn unmatched_backticks_are_escaped() {
        // Okta.
        assert_eq!(
            clean("Adds a new JSON Web Key to the client`s JSON Web Keys."),
            "Adds a new JSON Web Key to the client\\`s JSON Web Keys."
        );
    }

    // --- What must not change ----------------------------------------------------------------

    #[test]
    fn inline_code_stays() {
        unchanged("`Vec<T>` and `[0]` and ``a ` b`` and `<yourOktaDomain>` and `https://x.org`");
        // A code span across lines.
        unchanged("`{\n  \"a\": [1]\n}`");
    }

    #[test]
    fn plain_markdown_stays() {
        unchanged("");
        unchanged("Plain text.");
        unchanged("# Title\n\nA paragraph with *emphasis*, **strong** and ~~strike~~.\n\n- one\n- two\n  1. nested\n\n> **Note:** quoted.\n\n---\n\n| a | b |\n|---|---|\n| `c` | d |\n");
        unchanged("Escapes stay: \\[ \\] \\< \\` and entities &lt; &amp;.");
        // Okta: a table with inline code, a link and an entity.
        unchanged("| `MICROSOFT` | [Microsoft Enterprise SSO](https://azure.microsoft.com/)&nbsp;as the IdP | OpenID Connect |");
    }

    // --- Structure and totality --------------------------------------------------------------

    #[test]
    fn line_endings_indentation_and_bidi_controls_are_normalized() {
        assert_eq!(clean("a\r\nb\rc"), "a\nb\nc");
        // rustdoc removes the common indentation too: this is a paragraph, not code.
        assert_eq!(clean("    a [b]\n    c"), "a \\[b\\]\nc");
        assert_eq!(clean("a\u{202E}b"), "ab");
    }

    #[test]
    fn escaped_html_starts_still_end_a_paragraph() {
        // Unescaped, `<script>` would end the paragraph (and the code span would not cross it).
        assert_eq!(clean("a `b\n<script>c` d"), "a \\`b\n\n\\<script>c\\` d");
    }

    #[test]
    fn odd_input_does_not_panic() {
        let odd = [
            "[",
            "]",
            "<",
            ">",
            "`",
            "\\",
            "!",
            "![",
            "](",
            "[a](",
            "[a](<",
            "<a",
            "<a b=\"",
            "<!--",
            "-->",
            "\t",
            "\t-\tx",
            ">\t\tx",
            "-",
            "1.",
            "1234567890. x",
            "#######",
            "|",
            "|-|",
            "[^",
            "[^]:",
            "```",
            "~~~~",
            "    ",
            "\n\n\n",
            "é",
            "日本語 [x]",
            "\u{0}",
            "<x-lifecycle class=\"ea\">",
            "<ApiLifecycle access=\"\"></ApiLifecycle>",
            "- > - > ```",
            "<pre>\n\n</pre>",
            "[a]: <",
        ];
        for text in odd {
            clean(text);
            for other in odd {
                clean(&format!("{text}{other}"));
                clean(&format!("{text}\n{other}"));
            }
        }
    }

    #[test]
    fn long_adversarial_input_is_handled() {
        // Each of these would take minutes if some rule were quadratic.
        for unit in [
            "[",
            "![",
            "<a ",
            "`",
            "``x",
            "<!--",
            "<div>",
            "](",
            "[a](b \"",
            "- ",
            "> ",
            "\n    ",
            "https://x)",
        ] {
            let text = unit.repeat(20_000);
            sanitize(&text);
        }
        sanitize(&format!("{}x{}", "- ".repeat(5_000), "\n".repeat(10_000)));
    }

    /// The rules applied to every description, summary and title of Okta's Management API
    /// document (when it is there): sanitizing twice changes nothing more, and the counts, for
    /// the record (`cargo test -p okgen --lib docs -- --nocapture`).
    #[test]
    fn okta_document() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/okta/management-minimal.yaml");
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("SKIPPED: {} is missing", path.display());
            return;
        };
        // Test code (this module is #[cfg(test)]): a broken shared document should fail loudly.
        let doc: serde_json::Value = serde_yaml::from_str(&text).expect("the document parses");
        let mut texts = Vec::new();
        collect(&doc, &mut texts);
        texts.sort();
        texts.dedup();
        // Per rule: (texts changed by it, times applied).
        let mut changed = std::collections::BTreeMap::<&str, (usize, usize)>::new();
        let mut any = 0;
        for text in &texts {
            let (out, c) = sanitize_counted(text);
            assert_eq!(sanitize(&out), out, "not idempotent for {text:?}");
            any += usize::from(out != *text);
            for (rule, n) in [
                ("fences_labelled", c.fences_labelled),
                ("fences_closed", c.fences_closed),
                ("indented_fenced", c.indented_fenced),
                ("urls_autolinked", c.urls_autolinked),
                ("urls_as_code", c.urls_as_code),
                ("links_absolutized", c.links_absolutized),
                ("brackets_escaped", c.brackets_escaped),
                ("angles_escaped", c.angles_escaped),
                ("tags_escaped", c.tags_escaped),
                ("backticks_escaped", c.backticks_escaped),
                ("badges", c.badges),
                ("lazy_continuations", c.lazy_continuations),
                ("html_fallback", c.html_fallback),
            ] {
                let entry = changed.entry(rule).or_default();
                entry.0 += usize::from(n > 0);
                entry.1 += n;
            }
        }
        eprintln!(
            "{} distinct texts, {any} changed; per rule (texts changed, times applied): {changed:?}",
            texts.len()
        );
        assert!(any > 0);
    }

    fn collect(value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, v) in map {
                    if let (true, Some(s)) = (
                        matches!(key.as_str(), "description" | "summary" | "title"),
                        v.as_str(),
                    ) {
                        out.push(s.to_owned());
                    }
                    collect(v, out);
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
            _ => {}
        }
    }
}
