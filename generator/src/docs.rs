//! Doc-comment Markdown: text from OpenAPI documents, made safe for rustdoc.
//!
//! OpenAPI descriptions are CommonMark written for web renderers, and Okta's are full of it.
//! rustdoc reads the same text with other eyes: a fenced block without a language is a Rust
//! doctest, `[text]` is an intra-doc link, `<yourOktaDomain>` is an unclosed HTML tag, a bare URL
//! is a lint. [`sanitize`] rewrites a text so that rustdoc renders it without a warning and
//! without a doctest, changing as little as it can.
//!
//! It reads the text with `pulldown-cmark`, the parser rustdoc and clippy use, with rustdoc's
//! options, and patches the source ranges of what they would warn about; then it reads the result
//! again, until nothing is left to patch (a patch can change the structure: an escaped tag that
//! opened an HTML block leaves a paragraph). So it agrees with rustdoc by construction:
//!
//! - **Code blocks.** A fenced block whose info string is empty or means Rust to rustdoc (`rust`,
//!   `ignore`, `no_run`, `{.class}`, ...) gets the language `text`; other languages (`json`,
//!   `yaml`, `http`, `bash`, ...) stay. An indented code block becomes a fenced `text` block. A
//!   fence left open is closed. Code is never otherwise touched.
//! - **Brackets** that rustdoc would take for (broken) intra-doc links, exactly those that the
//!   parser's broken-link callback reports, are escaped; so are footnotes (`[^1]`).
//! - **Bare URLs** in text become autolinks `<https://...>` (rustdoc's `bare_urls`), or inline code
//!   when they hold a `{placeholder}` (`https://{yourOktaDomain}/api/v1/users` is a template).
//! - **Relative links** become absolute: `/docs/...` on <https://developer.okta.com>, other paths
//!   on Okta's API reference, <https://developer.okta.com/docs/api>, where the document's
//!   `/openapi/okta-management/...` pages live. Link targets that rustdoc would resolve as Rust
//!   paths become text, except the generator's own `crate::`, `self::`, `super::` and `Self::`
//!   links.
//! - **HTML** (inline, and in HTML blocks) stays only when it is a known element or a custom one
//!   (`<x-foo>`) and balanced across the text, as rustdoc's `invalid_html_tags` checks it; any
//!   other tag, comment or `<` that opens one is escaped: `Map<String>` and `<yourOktaDomain>` show
//!   as written, `<script>` does not run.
//! - **Okta's lifecycle badges** (`<x-lifecycle class="ea"></x-lifecycle>`, `<ApiLifecycle
//!   access="ea">`), which rustdoc would render as nothing, become text: `(Early Access)`.
//! - **Unmatched backticks** are escaped.
//! - **Lazy continuation lines**, which continue a list item's or a block quote's paragraph
//!   without its indentation or `>`, get them, and overindented ones lose the excess (clippy's
//!   `doc_lazy_continuation` and `doc_overindented_list_items`): the same paragraph, written out.
//!   Not an underline (`===`, `--`) or a table's delimiter row, which would then make a heading
//!   or a table.
//! - **Characters rustc refuses or warns about in doc comments**: a CR is a line ending (`\r\n`
//!   and `\r` become `\n`); bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F)
//!   and other control characters but `\n` and `\t` are written out visibly, as `\u{202e}`.
//!
//! Should the passes not settle (they always have, on every text seen), the whole text becomes a
//! `text` code block: shown as written, never a warning.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{BrokenLink, CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};

mod html;
mod links;

use html::{badge, is_void, keepable, parse_tag, HtmlTag};
use links::{target, url_end, Target};

/// How often the text is read and patched before the fallback.
const MAX_PASSES: usize = 8;

/// Rewrites `markdown`, a text of the document, so that rustdoc renders it without warnings and
/// without doctests (see the module documentation for the rules). Every link rustdoc would
/// resolve as a Rust path becomes text: the document's `[x](crate::a::B)` points at nothing here.
pub(crate) fn sanitize(markdown: &str) -> String {
    sanitize_counted(markdown, false).0
}

/// [`sanitize`] for the generator's own doc text, in which the document's texts are embedded
/// already sanitized: its intra-doc links (`crate::`, `self::`, `super::`, `Self::`) stay.
pub(crate) fn sanitize_generated(markdown: &str) -> String {
    sanitize_counted(markdown, true).0
}

/// `value` (an enum value, a name, a default) as inline code, whatever it holds: characters rustc
/// refuses written out visibly, a line break as `\n`, delimited by more backticks than it holds.
pub(crate) fn code(value: &str) -> String {
    let mut text = String::with_capacity(value.len() + 2);
    for c in value.chars() {
        match c {
            '\n' => text.push_str("\\n"),
            '\r' => text.push_str("\\r"),
            '\t' => text.push_str("\\t"),
            c if refused(c) => text.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => text.push(c),
        }
    }
    if text.is_empty() {
        return "`\"\"`".to_owned();
    }
    let ticks = "`".repeat(longest_run(&text, b'`') + 1);
    let pad = text.starts_with('`')
        || text.ends_with('`')
        || (text.starts_with(' ') && text.ends_with(' ') && !text.trim().is_empty());
    let pad = if pad { " " } else { "" };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

/// How often each rule applied to one text (summed over the passes).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) struct Counts {
    /// Fenced blocks given the language `text`.
    pub fences_labelled: usize,
    /// Fences left open, closed.
    pub fences_closed: usize,
    /// Indented code blocks turned into fenced `text` blocks.
    pub indented_fenced: usize,
    /// Bare URLs turned into autolinks.
    pub urls_autolinked: usize,
    /// Bare URLs with `{placeholders}` turned into inline code.
    pub urls_as_code: usize,
    /// Relative link targets made absolute.
    pub links_absolutized: usize,
    /// Broken links, footnotes and links to Rust-path-like targets whose brackets were escaped.
    pub brackets_escaped: usize,
    /// HTML tags, comments and `<` escaped.
    pub tags_escaped: usize,
    /// Unmatched backticks escaped.
    pub backticks_escaped: usize,
    /// Lifecycle badges turned into text.
    pub badges: usize,
    /// Lazy or overindented continuation lines given their containers' markers and indentation.
    pub lazy_continuations: usize,
    /// Characters rustc refuses written out visibly.
    pub controls_escaped: usize,
    /// 1 when the passes did not settle and the text became a code block.
    pub fallback: usize,
}

/// [`sanitize`], with how often each rule applied.
pub(crate) fn sanitize_counted(markdown: &str, own_links: bool) -> (String, Counts) {
    let mut counts = Counts::default();
    let mut text = normalize(markdown, &mut counts);
    for _ in 0..MAX_PASSES {
        let edits = Pass::run(&text, own_links, &mut counts);
        if edits.is_empty() {
            return (text, counts);
        }
        text = apply(&text, edits);
    }
    counts.fallback = 1;
    (as_code_block(&text), counts)
}

/// Characters rustc refuses or warns about in a doc comment (`\r` is handled as a line ending).
fn refused(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// Line endings to `\n`, refused characters written out, and the indentation common to all lines
/// removed, as rustdoc does, so that both read the same block structure.
fn normalize(markdown: &str, counts: &mut Counts) -> String {
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
            c if refused(c) => {
                counts.controls_escaped += 1;
                text.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
            }
            c => text.push(c),
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

/// The whole text as a `text` code block (the fallback).
fn as_code_block(text: &str) -> String {
    let fence = "`".repeat(longest_run(text, b'`').max(2) + 1);
    format!("{fence}text\n{}\n{fence}", text.trim_end())
}

/// A patch: the source range replaced (empty to insert).
struct Edit {
    range: Range<usize>,
    with: String,
}

/// Applies `edits` in order of position; one overlapping an earlier edit is left for the next pass.
fn apply(text: &str, mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len() + 16 * edits.len());
    let mut last = 0;
    let mut previous: Option<(Range<usize>, String)> = None;
    for edit in edits {
        let same = previous
            .as_ref()
            .is_some_and(|(r, w)| *r == edit.range && *w == edit.with);
        if same || edit.range.start < last || text.get(last..edit.range.start).is_none() {
            continue;
        }
        out.push_str(text.get(last..edit.range.start).unwrap_or(""));
        out.push_str(&edit.with);
        last = edit.range.end.max(edit.range.start);
        previous = Some((edit.range, edit.with));
    }
    out.push_str(text.get(last..).unwrap_or(""));
    out
}

// ---------------------------------------------------------------------------------------------
// One pass: read the text as rustdoc does, note what to patch.

/// rustdoc's Markdown options (`main_body_opts`).
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
}

/// A container of a paragraph, as clippy's `doc_lazy_continuation` tracks them.
#[derive(Clone, Copy)]
enum Container {
    Quote,
    /// A list item, its content this many bytes from its marker.
    Item(usize),
}

struct Pass<'t, 'c> {
    text: &'t str,
    edits: Vec<Edit>,
    counts: &'c mut Counts,
    tags: Vec<HtmlTag>,
    /// `<` in HTML blocks that open no tag (block start, position).
    stray: Vec<(usize, usize)>,
    /// Whether the generator's own intra-doc links stay.
    own_links: bool,
}

impl<'t, 'c> Pass<'t, 'c> {
    fn run(text: &'t str, own_links: bool, counts: &'c mut Counts) -> Vec<Edit> {
        let mut broken: Vec<(Range<usize>, bool)> = Vec::new();
        let mut callback = |link: BrokenLink<'_>| {
            let reference = !matches!(
                link.link_type,
                LinkType::Shortcut | LinkType::ShortcutUnknown
            );
            broken.push((link.span, reference));
            None
        };
        let parser = Parser::new_with_broken_link_callback(text, options(), Some(&mut callback));
        let defs: Vec<(Range<usize>, String)> = parser
            .reference_definitions()
            .iter()
            .map(|(_, def)| (def.span.clone(), def.dest.to_string()))
            .collect();
        let events: Vec<(Event<'_>, Range<usize>)> = parser.into_offset_iter().collect();
        let mut pass = Pass {
            text,
            edits: Vec::new(),
            counts,
            tags: Vec::new(),
            stray: Vec::new(),
            own_links,
        };
        for (span, reference) in broken {
            pass.escape_link(span, reference);
        }
        for (span, dest) in defs {
            pass.definition(span, &dest);
        }
        pass.events(&events);
        pass.html();
        pass.edits
    }

    fn byte(&self, i: usize) -> u8 {
        self.text.as_bytes().get(i).copied().unwrap_or(0)
    }

    fn slice(&self, range: Range<usize>) -> &'t str {
        self.text.get(range).unwrap_or("")
    }

    fn edit(&mut self, range: Range<usize>, with: impl Into<String>) {
        self.edits.push(Edit {
            range,
            with: with.into(),
        });
    }

    fn backslash(&mut self, at: usize) {
        self.edit(at..at, "\\");
    }

    fn line_start(&self, at: usize) -> usize {
        self.slice(0..at).rfind('\n').map_or(0, |i| i + 1)
    }

    fn line_end(&self, at: usize) -> usize {
        self.slice(at..self.text.len())
            .find('\n')
            .map_or(self.text.len(), |i| at + i)
    }

    /// The brackets of a link label at `span` (`[a]`, `![a]`, `[a][b]`, `[a][]`) escaped.
    fn escape_link(&mut self, span: Range<usize>, reference: bool) {
        let s = self.slice(span.clone());
        let Some(open) = s.find('[') else { return };
        if !s.ends_with(']') {
            return;
        }
        let mut at = vec![span.start + open, span.end - 1];
        if reference {
            if let Some(second) = s.rfind('[').filter(|&i| i > open + 1) {
                if s.as_bytes().get(second - 1) == Some(&b']') {
                    at.extend([span.start + second - 1, span.start + second]);
                }
            }
        }
        self.counts.brackets_escaped += 1;
        for i in at {
            self.backslash(i);
        }
    }

    /// A reference definition `[label]: destination`: its destination made absolute, or the
    /// definition turned into text when rustdoc would resolve it as a Rust path.
    fn definition(&mut self, span: Range<usize>, dest: &str) {
        let s = self.slice(span.clone());
        let Some(open) = s.find('[') else { return };
        let b = s.as_bytes();
        let mut i = open + 1;
        while i < b.len() && !(b[i] == b']' && b[i - 1] != b'\\') {
            i += 1;
        }
        if b.get(i + 1) != Some(&b':') {
            return;
        }
        match target(dest, self.own_links) {
            Target::Keep => {}
            Target::Reject => {
                self.counts.brackets_escaped += 1;
                self.backslash(span.start + open);
            }
            Target::Replace(url) => {
                if let Some(raw) = self.destination(span.start + i + 2) {
                    self.counts.links_absolutized += 1;
                    self.edit(raw, url.replace(' ', "%20"));
                }
            }
        }
    }

    /// The source range of a link destination starting after spaces at `from` (inside `<...>`
    /// when written so); `None` when it is not on the same line.
    fn destination(&self, from: usize) -> Option<Range<usize>> {
        let b = self.text.as_bytes();
        let mut i = from;
        while matches!(b.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        if b.get(i) == Some(&b'<') {
            let end = i + 1 + self.slice(i + 1..self.line_end(i)).find('>')?;
            return Some(i + 1..end);
        }
        let start = i;
        let mut depth = 0usize;
        while let Some(&c) = b.get(i) {
            match c {
                b'\\' => i += 1,
                b'(' => depth += 1,
                b')' if depth == 0 => break,
                b')' => depth -= 1,
                c if c <= b' ' => break,
                _ => {}
            }
            i += 1;
        }
        let end = i.min(b.len());
        (end > start).then_some(start..end)
    }

    fn events(&mut self, events: &[(Event<'_>, Range<usize>)]) {
        let mut containers: Vec<Container> = Vec::new();
        // Inside a link or an image (no bare URLs there), a code block, a footnote definition.
        let mut links: Vec<usize> = Vec::new();
        let mut code: Option<(usize, Vec<Range<usize>>)> = None;
        let mut footnote = 0usize;
        let mut html_block: Option<usize> = None;
        let mut run: Option<Range<usize>> = None;
        for (k, (event, range)) in events.iter().enumerate() {
            let range = range.clone();
            let next = events.get(k + 1);
            if !matches!(event, Event::Text(_)) {
                if let Some(r) = run.take() {
                    self.bare_urls(r);
                }
            }
            match event {
                Event::Start(Tag::CodeBlock(_)) => code = Some((k, Vec::new())),
                Event::End(TagEnd::CodeBlock) => {
                    if let Some((start, lines)) = code.take() {
                        if let Some((Event::Start(Tag::CodeBlock(kind)), block)) = events.get(start)
                        {
                            self.code_block(kind, block.clone(), &lines);
                        }
                    }
                }
                Event::Text(_) if code.is_some() => {
                    if let Some((_, lines)) = code.as_mut() {
                        lines.push(range);
                    }
                }
                Event::Text(_) => {
                    self.backticks(range.clone());
                    if links.is_empty() {
                        run = Some(match run.take() {
                            Some(r) if r.end == range.start => r.start..range.end,
                            Some(r) => {
                                self.bare_urls(r);
                                range
                            }
                            None => range,
                        });
                    }
                }
                Event::Start(Tag::BlockQuote(_)) => containers.push(Container::Quote),
                Event::Start(Tag::Item) => {
                    let mut start = next.map_or(range.start, |(e, r)| match e {
                        Event::End(TagEnd::Item) => r.end,
                        _ => r.start,
                    });
                    if start > 0 && self.byte(start - 1) == b'\\' {
                        start -= 1;
                    }
                    containers.push(Container::Item(start.saturating_sub(range.start)));
                }
                Event::End(TagEnd::BlockQuote(_) | TagEnd::Item) => {
                    containers.pop();
                }
                Event::Start(Tag::FootnoteDefinition(_)) => {
                    footnote += 1;
                    let s = self.slice(range.clone());
                    if let (Some(open), Some(close)) = (s.find('['), s.find("]:")) {
                        self.counts.brackets_escaped += 1;
                        self.backslash(range.start + open);
                        self.backslash(range.start + close);
                    }
                }
                Event::End(TagEnd::FootnoteDefinition) => footnote = footnote.saturating_sub(1),
                Event::FootnoteReference(_) => {
                    self.escape_link(range, false);
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    ..
                })
                | Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    ..
                }) => {
                    links.push(k);
                    self.link(events, k, *link_type, dest_url, range);
                }
                Event::End(TagEnd::Link | TagEnd::Image) => {
                    links.pop();
                }
                Event::SoftBreak | Event::HardBreak if !containers.is_empty() && footnote == 0 => {
                    if let Some((next_event, next_range)) = next {
                        if !matches!(next_event, Event::End(_)) {
                            self.continuation(range.end..next_range.start, &containers);
                        }
                    }
                }
                Event::Start(Tag::HtmlBlock) => html_block = Some(range.start),
                Event::End(TagEnd::HtmlBlock) => html_block = None,
                Event::Html(_) => {
                    let block = html_block.unwrap_or(range.start);
                    self.scan_html(range, block);
                }
                Event::InlineHtml(_) => self.inline_html(range),
                _ => {}
            }
        }
        if let Some(r) = run.take() {
            self.bare_urls(r);
        }
    }

    fn code_block(
        &mut self,
        kind: &CodeBlockKind<'_>,
        block: Range<usize>,
        lines: &[Range<usize>],
    ) {
        let line_start = self.line_start(block.start);
        let prefix = continuation_prefix(self.slice(line_start..block.start));
        match kind {
            CodeBlockKind::Fenced(info) => {
                let fence_char = self.byte(block.start);
                let len = self
                    .slice(block.start..block.end)
                    .bytes()
                    .take_while(|&c| c == fence_char)
                    .count();
                let open_end = self.line_end(block.start).min(block.end);
                if !fence_info_is_safe(info) {
                    self.counts.fences_labelled += 1;
                    self.edit(block.start + len..open_end, "text");
                }
                let body_end = lines
                    .last()
                    .map_or(open_end, |r| r.end)
                    .max(open_end)
                    .min(block.end);
                let fence = char::from(fence_char).to_string().repeat(len);
                if !self.slice(body_end..block.end).contains(&fence) {
                    self.counts.fences_closed += 1;
                    self.close(block.end, &prefix, &fence);
                }
            }
            CodeBlockKind::Indented => {
                let (Some(first), Some(last)) = (lines.first(), lines.last()) else {
                    return;
                };
                self.counts.indented_fenced += 1;
                // The containers' prefix: the first line's, less the code's own indentation.
                let indent_start =
                    if self.slice(first.start.saturating_sub(4)..first.start) == "    " {
                        first.start - 4
                    } else {
                        first.start
                    };
                let prefix = continuation_prefix(self.slice(line_start..indent_start));
                let fence = "`".repeat(longest_run(self.slice(block.clone()), b'`').max(2) + 1);
                for (n, line) in lines.iter().enumerate() {
                    let s = line.start;
                    let indent = if s >= 4 && self.slice(s - 4..s) == "    " {
                        s - 4..s
                    } else {
                        s..s
                    };
                    let with = if n == 0 {
                        format!("{fence}text\n{prefix}")
                    } else {
                        String::new()
                    };
                    self.edit(indent, with);
                }
                self.close(last.end, &prefix, &fence);
            }
        }
    }

    /// A closing fence inserted at `at`, on a line of its own.
    fn close(&mut self, at: usize, prefix: &str, fence: &str) {
        let with = if self.slice(0..at).ends_with('\n') {
            format!("{prefix}{fence}\n")
        } else {
            format!("\n{prefix}{fence}")
        };
        self.edit(at..at, with);
    }

    /// Unescaped backticks of a text event (an unmatched code span delimiter) escaped.
    fn backticks(&mut self, range: Range<usize>) {
        let start = range.start;
        for (i, c) in self.slice(range).bytes().enumerate() {
            let at = start + i;
            if c == b'`' && (at == 0 || self.byte(at - 1) != b'\\') {
                self.counts.backticks_escaped += 1;
                self.backslash(at);
            }
        }
    }

    /// Bare `http(s)://` URLs of a run of text as autolinks, or as code when they are templates.
    fn bare_urls(&mut self, range: Range<usize>) {
        let b = self.slice(range.clone()).as_bytes();
        let mut i = 0;
        while i < b.len() {
            let Some(end) = url_end(b, i) else {
                i += 1;
                continue;
            };
            let (start, stop) = (range.start + i, range.start + end);
            let url = self.slice(start..stop);
            if url.contains('{') {
                self.counts.urls_as_code += 1;
                self.edit(start..stop, format!("`{url}`"));
            } else {
                self.counts.urls_autolinked += 1;
                // After a backslash, `<` would be escaped: the backslash is escaped instead.
                let open = if start > 0 && self.byte(start - 1) == b'\\' {
                    "\\<"
                } else {
                    "<"
                };
                self.edit(start..start, open);
                self.edit(stop..stop, ">");
            }
            i = end;
        }
    }

    /// A link or image: its target made absolute, or its brackets escaped when rustdoc would
    /// resolve it as a Rust path.
    fn link(
        &mut self,
        events: &[(Event<'_>, Range<usize>)],
        k: usize,
        link_type: LinkType,
        dest: &str,
        range: Range<usize>,
    ) {
        let image = self.byte(range.start) == b'!';
        let target = target(dest, self.own_links);
        match link_type {
            LinkType::Autolink | LinkType::Email => {
                if matches!(target, Target::Reject) {
                    self.counts.tags_escaped += 1;
                    self.backslash(range.start);
                }
                return;
            }
            LinkType::Inline => {}
            _ => {
                if matches!(target, Target::Reject) {
                    let s = self.slice(range.clone());
                    let reference = s.ends_with(']') && s.contains("][");
                    self.escape_link(range, reference);
                }
                return;
            }
        }
        // The end of the link text: after the last event inside the link.
        let mut depth = 0usize;
        let mut inner_end = range.start + 1 + usize::from(image);
        for (event, r) in events.iter().skip(k + 1) {
            match event {
                Event::Start(_) => depth += 1,
                Event::End(TagEnd::Link | TagEnd::Image) if depth == 0 => break,
                Event::End(_) => depth = depth.saturating_sub(1),
                _ => {}
            }
            inner_end = inner_end.max(r.end);
        }
        let Some(close) = self
            .slice(inner_end..range.end)
            .find("](")
            .map(|i| inner_end + i)
        else {
            return;
        };
        match target {
            Target::Keep => {}
            Target::Reject => {
                self.counts.brackets_escaped += 1;
                self.backslash(range.start + usize::from(image));
                self.backslash(close);
            }
            Target::Replace(url) => {
                if let Some(raw) = self.destination(close + 2) {
                    self.counts.links_absolutized += 1;
                    self.edit(raw, url.replace(' ', "%20"));
                }
            }
        }
    }

    /// A soft or hard line break in a paragraph inside containers: the next line's prefix
    /// (`range`) written out in full when it falls short of them (or indents past a list item).
    fn continuation(&mut self, range: Range<usize>, containers: &[Container]) {
        let prefix = self.slice(range.clone());
        let quotes = containers
            .iter()
            .filter(|c| matches!(c, Container::Quote))
            .count();
        let markers = prefix.bytes().filter(|&c| c == b'>').count();
        let indent: usize = containers
            .iter()
            .map(|c| match c {
                Container::Item(n) => *n,
                Container::Quote => 0,
            })
            .sum();
        let spaces = prefix.bytes().filter(|&c| c == b' ').count();
        let fix = markers < quotes || ((markers == 0 || quotes == 0) && spaces != indent);
        if !fix {
            return;
        }
        // Written out, an underline or a delimiter row would make a heading or a table.
        let line = self.slice(range.end..self.line_end(range.end)).trim();
        let underline = !line.is_empty()
            && (line.bytes().all(|c| c == b'=')
                || (line.contains('-') && line.bytes().all(|c| b"-|: \t".contains(&c))));
        if underline {
            return;
        }
        let mut with = String::new();
        for c in containers {
            match c {
                Container::Quote => with.push_str("> "),
                Container::Item(n) => with.push_str(&" ".repeat(*n)),
            }
        }
        self.counts.lazy_continuations += 1;
        self.edit(range, with);
    }

    // --- HTML ----------------------------------------------------------------------------------

    /// One inline HTML event: a tag, a comment, or something else that is escaped.
    fn inline_html(&mut self, range: Range<usize>) {
        let s = self.slice(range.clone());
        if s.starts_with("<!--") && s.ends_with("-->") {
            return;
        }
        match parse_tag(self.text, range.start) {
            Some(tag) if tag.end == range.end => self.tags.push(tag),
            _ => self.escape_angle(range.start, false),
        }
    }

    /// The lines of an HTML block: every `<` that opens a tag, a comment or a declaration.
    fn scan_html(&mut self, range: Range<usize>, block_start: usize) {
        let b = self.text.as_bytes();
        let mut i = range.start;
        while i < range.end {
            if b.get(i) != Some(&b'<') {
                i += 1;
                continue;
            }
            if self.slice(i..range.end).starts_with("<!--") {
                match self.slice(i + 4..self.text.len()).find("-->") {
                    Some(end) => i += 4 + end + 3,
                    None => {
                        self.stray.push((block_start, i));
                        i += 4;
                    }
                }
                continue;
            }
            match parse_tag(self.text, i) {
                Some(mut tag) => {
                    tag.block = Some(block_start);
                    i = tag.end;
                    self.tags.push(tag);
                }
                None => {
                    if matches!(b.get(i + 1), Some(c) if c.is_ascii_alphabetic() || b"/!?".contains(c))
                    {
                        self.stray.push((block_start, i));
                    }
                    i += 1;
                }
            }
        }
    }

    /// `<` at `at` shown as text: `\<` in Markdown, `&lt;` inside an HTML block.
    fn escape_angle(&mut self, at: usize, in_block: bool) {
        self.counts.tags_escaped += 1;
        if in_block {
            self.edit(at..at + 1, "&lt;");
        } else {
            self.backslash(at);
        }
    }

    /// The tags of the whole text: badges become text, tags that are unknown or do not pair up
    /// are escaped (rustdoc checks them across the text), the links of the rest made absolute.
    fn html(&mut self) {
        let tags = std::mem::take(&mut self.tags);
        let mut consumed = vec![false; tags.len()];
        self.badges(&tags, &mut consumed);
        let mut keep = vec![false; tags.len()];
        let mut stack: Vec<usize> = Vec::new();
        let mut open: HashMap<&str, usize> = HashMap::new();
        for (k, tag) in tags.iter().enumerate() {
            if consumed.get(k).copied().unwrap_or(true) || !keepable(tag) {
                continue;
            }
            if is_void(&tag.name) {
                if let Some(kept) = keep.get_mut(k) {
                    *kept = true;
                }
            } else if !tag.closing {
                stack.push(k);
                *open.entry(tag.name.as_str()).or_default() += 1;
            } else if open.get(tag.name.as_str()).copied().unwrap_or(0) > 0 {
                while let Some(top) = stack.pop() {
                    let Some(top_tag) = tags.get(top) else { break };
                    if let Some(n) = open.get_mut(top_tag.name.as_str()) {
                        *n = n.saturating_sub(1);
                    }
                    if top_tag.name == tag.name {
                        for i in [top, k] {
                            if let Some(kept) = keep.get_mut(i) {
                                *kept = true;
                            }
                        }
                        break;
                    }
                }
            }
        }
        // `<` to escape, with the HTML block it is in. Escaped, the `<` that starts an HTML block
        // makes it a paragraph: the rest of that block is left for the next pass to read again.
        let mut escapes: Vec<(Option<usize>, usize)> = std::mem::take(&mut self.stray)
            .into_iter()
            .map(|(block, at)| (Some(block), at))
            .collect();
        for (k, tag) in tags.iter().enumerate() {
            let escaped =
                !consumed.get(k).copied().unwrap_or(true) && !keep.get(k).copied().unwrap_or(false);
            if escaped {
                escapes.push((tag.block, tag.start));
            }
        }
        let demoted: std::collections::HashSet<usize> = escapes
            .iter()
            .filter_map(|&(block, at)| block.filter(|&b| b == at))
            .collect();
        for (block, at) in escapes {
            match block {
                Some(b) if b == at => self.escape_angle(at, false),
                Some(b) if demoted.contains(&b) => {}
                Some(_) => self.escape_angle(at, true),
                None => self.escape_angle(at, false),
            }
        }
        for (k, tag) in tags.iter().enumerate() {
            if consumed.get(k).copied().unwrap_or(true) || !keep.get(k).copied().unwrap_or(false) {
                continue;
            }
            for (name, value) in &tag.attrs {
                if name != "href" && name != "src" {
                    continue;
                }
                if let Target::Replace(url) = target(self.slice(value.clone()), false) {
                    self.counts.links_absolutized += 1;
                    self.edit(value.clone(), url.replace(' ', "%20"));
                }
            }
        }
    }

    /// Okta's lifecycle badges (`<x-lifecycle class="ea"></x-lifecycle>`, `<ApiLifecycle
    /// access="ea"></ApiLifecycle>`) as text, and the `<x-lifecycle-container>` around them
    /// dropped.
    fn badges(&mut self, tags: &[HtmlTag], consumed: &mut [bool]) {
        let mut last_badge_end = None;
        for k in 0..tags.len() {
            let (Some(tag), next) = (tags.get(k), tags.get(k + 1)) else {
                continue;
            };
            if tag.name == "x-lifecycle-container" && tag.attrs.is_empty() {
                let before_badge = !tag.closing
                    && next.is_some_and(|n| n.start == tag.end && badge(self.text, n).is_some());
                let after_badge = tag.closing && last_badge_end == Some(tag.start);
                if before_badge || after_badge {
                    let space = after_badge && !next_is_space(self.byte(tag.end));
                    self.edit(tag.start..tag.end, if space { " " } else { "" });
                    if let Some(c) = consumed.get_mut(k) {
                        *c = true;
                    }
                }
                continue;
            }
            let Some(close) = next.filter(|n| n.start == tag.end) else {
                continue;
            };
            let Some(label) = badge(self.text, tag) else {
                continue;
            };
            if !close.closing || close.name != tag.name {
                continue;
            }
            // Apart from what precedes: `[x](Early Access)` would be a link, `http://(Early` a URL.
            let previous = if tag.start > 0 {
                self.byte(tag.start - 1)
            } else {
                0
            };
            let before = if matches!(previous, 0 | b' ' | b'\t' | b'\n' | b'>' | b'(') {
                ""
            } else {
                " "
            };
            let following = self.byte(close.end);
            let after = if next_is_space(following) || following == b'<' {
                ""
            } else {
                " "
            };
            self.counts.badges += 1;
            self.edit(tag.start..close.end, format!("{before}({label}){after}"));
            last_badge_end = Some(close.end);
            for i in [k, k + 1] {
                if let Some(c) = consumed.get_mut(i) {
                    *c = true;
                }
            }
        }
    }
}

/// The prefix that continues the containers of a line whose start is `prefix`: list markers
/// become spaces, `>` and whitespace stay.
fn continuation_prefix(prefix: &str) -> String {
    prefix
        .chars()
        .map(|c| {
            if c == '>' || c.is_whitespace() {
                c
            } else {
                ' '
            }
        })
        .collect()
}

fn next_is_space(c: u8) -> bool {
    matches!(c, 0 | b' ' | b'\t' | b'\n')
}

fn longest_run(s: &str, c: u8) -> usize {
    let (mut best, mut run) = (0, 0);
    for b in s.bytes() {
        run = if b == c { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
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

#[cfg(test)]
mod tests;
