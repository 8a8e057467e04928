#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::{code, sanitize, sanitize_counted, sanitize_generated};

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
    let (out, counts) = sanitize_counted("> **Note:** Okta rotates your Keys automatically in `AUTO` mode. You can rotate Keys\nyourself in either mode. If Keys are rotated manually, you should invalidate any intermediate cache.\nand fetch the Keys again using the Keys endpoint.", false);
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
    // `[ ]` is no link label to CommonMark, so no intra-doc link to rustdoc: it stays.
    unchanged(
        "Filter expression that filters the results. All operators except [ ] are supported.",
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
    // The generator's own intra-doc links stay in its own text, not in the document's.
    let own = "Request builder for [`Client::list_users`](super::Client::list_users), or [`send`](Self::send).";
    assert_eq!(sanitize_generated(own), own);
    assert_eq!(
        clean("a [`Vpc`](crate::external_api::views::Vpc) and [it](Self::x)"),
        "a \\[`Vpc`\\](crate::external_api::views::Vpc) and \\[it\\](Self::x)"
    );
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
    // Not a tag to CommonMark (nor to rustdoc): text as it is.
    unchanged("if a < b");
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
    // An unbalanced tag that starts an HTML block: escaped, the block is a paragraph, read
    // again: its brackets are escaped, its balanced tags stay.
    let (out, counts) = sanitize_counted("<div>\nopen [x] and <b>b</b>", false);
    assert_eq!(out, "\\<div>\nopen \\[x\\] and <b>b</b>");
    assert_eq!(counts.fallback, 0);
}

#[test]
fn lifecycle_badges_become_text() {
    // Okta.
    assert_eq!(
        clean("<x-lifecycle-container><x-lifecycle class=\"ea\"></x-lifecycle> <x-lifecycle class=\"oie\"></x-lifecycle></x-lifecycle-container>Allows the app to participate in front-channel Single Logout"),
        "(Early Access) (Identity Engine) Allows the app to participate in front-channel Single Logout"
    );
    assert_eq!(
        clean(
            "Valid values: `blocks` or <x-lifecycle class=\"ea\"></x-lifecycle> `classification`."
        ),
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
        clean(
            "<div class=\"x-lifecycle-container\"><x-lifecycle class=\"oie\"></x-lifecycle></div>"
        ),
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

// --- Values as code ----------------------------------------------------------------------

#[test]
fn values_become_code_whatever_they_hold() {
    assert_eq!(code("ACTIVE"), "`ACTIVE`");
    assert_eq!(code("a`b"), "``a`b``");
    assert_eq!(code("`x"), "`` `x ``");
    assert_eq!(code(" x "), "`  x  `");
    assert_eq!(code(""), "`\"\"`");
    assert_eq!(
        code("a\r\nb\u{202E}\u{0}\t"),
        "`a\\r\\nb\\u{202e}\\u{0}\\t`"
    );
    // Code as it is to the sanitizer: nothing in it changes.
    for value in [
        "[x]",
        "<b>",
        "https://x.org",
        "a`b",
        "*",
        "\\",
        "`x",
        " x ",
        "|",
    ] {
        let code = code(value);
        assert_eq!(sanitize(&code), code, "{value:?}");
        assert_eq!(
            sanitize(&format!("- {code}: text")),
            format!("- {code}: text")
        );
    }
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
    // Characters rustc refuses or warns about, written out.
    assert_eq!(clean("a\u{202E}b"), "a\\u{202e}b");
    assert_eq!(
        clean("\u{200E}x\u{0}y\u{2066}\u{1b}"),
        "\\u{200e}x\\u{0}y\\u{2066}\\u{1b}"
    );
    assert_eq!(clean("```json\n\u{202D}\n```"), "```json\n\\u{202d}\n```");
}

#[test]
fn an_escaped_html_block_start_is_read_again() {
    // `<script>` starts an HTML block; escaped, its line continues the paragraph, where both
    // backticks are unmatched (the next pass sees that).
    assert_eq!(clean("a `b\n<script>c` d"), "a \\`b\n\\<script>c\\` d");
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
        let (out, c) = sanitize_counted(text, false);
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
            ("tags_escaped", c.tags_escaped),
            ("backticks_escaped", c.backticks_escaped),
            ("badges", c.badges),
            ("lazy_continuations", c.lazy_continuations),
            ("controls_escaped", c.controls_escaped),
            ("fallback", c.fallback),
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
