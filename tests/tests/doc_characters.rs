//! Characters rustc refuses or warns about in doc comments and literals (CR, bidirectional
//! controls, NUL and other control characters), placed in every kind of text that reaches the
//! generated code's docs (titles, descriptions, summaries, enum values, discriminator values,
//! defaults, parameter names): the client generated from such a document compiles without a rustc
//! or clippy warning, and rustdoc documents it with `-D warnings`. Like `compile.rs`, it builds a
//! standalone crate in `target/okgen-fixtures/` (the runtime's dependencies are compiled there
//! once, and shared with `compile.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use okgen_tests::{cargo, cargo_clippy, lower_yaml, workspace};

const DOCUMENT: &str = r#"
openapi: 3.0.3
info:
  title: "Controls \u202E title"
  version: '1'
paths:
  /things:
    get:
      operationId: listThings
      summary: "List\rthings \u202E now"
      description: "Lists\0 things.\r\nSecond \u2066line\u2069 \u200Fmarked."
      parameters:
        - name: "fil\u202Eter"
          in: query
          description: "A \u202Efilter\0\r\n\rwith CRs"
          schema:
            $ref: '#/components/schemas/Status'
      responses:
        '200':
          description: "OK \u202E\r"
          content:
            application/json:
              schema:
                type: array
                items:
                  $ref: '#/components/schemas/Pet'
components:
  schemas:
    Status:
      title: "Status \u202E title\r"
      description: "A status.\0\r\nWith a \u200Fmark and \u001b escape."
      type: string
      enum: ["ACTIVE\r", "\u202EDEL", "NUL\0", "`tick", "plain"]
    Pet:
      title: "Pet \u202E"
      description: "A pet\r\0"
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
      discriminator:
        propertyName: "ki\u202End"
        mapping:
          "cat\u202E": '#/components/schemas/Cat'
          "dog\r\0": '#/components/schemas/Dog'
    Cat:
      title: "Cat\u2067"
      type: object
      required: ["ki\u202End"]
      properties:
        "ki\u202End":
          type: string
          description: "The kind\u202E."
        name:
          type: string
          default: "Tom\u202E\r\0"
          description: "Name\0"
    Dog:
      type: object
      required: ["ki\u202End"]
      properties:
        "ki\u202End":
          type: string
          title: "Kind\r\u202D"
"#;

#[test]
fn control_and_bidi_characters_in_the_document_compile_and_document_without_warnings() {
    let api = lower_yaml(DOCUMENT).expect("the document lowers");
    let source = okgen::emit(&api).expect("the document emits");
    for c in [
        '\r', '\0', '\u{1b}', '\u{202e}', '\u{2066}', '\u{2067}', '\u{2069}', '\u{200f}',
    ] {
        let line = source.lines().find(|l| l.contains(c));
        assert!(line.is_none(), "{c:?} is in the generated source: {line:?}");
    }
    // The characters are there, written out.
    assert!(source.contains("\\u{202e}"), "no \\u{{202e}} in:\n{source}");

    let generated = okgen::Generated {
        source,
        api,
        inputs: Vec::new(),
        warnings: Vec::new(),
    };
    let dir = workspace().join("target/okgen-fixtures/standalone-doc-characters");
    okgen::write_standalone_crate(&dir, &generated).expect("crate written");
    let (ok, stderr) = cargo_clippy(&dir);
    assert!(ok, "the client does not compile:\n{stderr}");
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning"))
        .collect();
    assert!(warnings.is_empty(), "the client has warnings:\n{stderr}");
    let (ok, _, stderr) = cargo(&dir, &["rustdoc", "--lib", "--", "-D", "warnings"]);
    assert!(ok, "rustdoc warns on the client's docs:\n{stderr}");
}
