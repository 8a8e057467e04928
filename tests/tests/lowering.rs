//! Unit tests of the lowering step (spec → IR): names, optionality, allOf, enums, parameters,
//! responses. They look at the IR, not at tokens.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use okgen::ir::{
    Additional, Api, Field, Operation, ParamLocation, Success, TypeDef, TypeKind, TypeRef,
};
use okgen_tests::{fixture, lower_yaml};

fn lower(paths: &str, components: &str) -> Api {
    let text = fixture(paths, components);
    lower_yaml(&text).unwrap_or_else(|e| panic!("lowering failed: {e}\n{text}"))
}

fn ty<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    api.types.get(name).unwrap_or_else(|| {
        panic!(
            "no type {name}; have {:?}",
            api.types.names().collect::<Vec<_>>()
        )
    })
}

fn fields<'a>(api: &'a Api, name: &str) -> &'a [Field] {
    match &ty(api, name).kind {
        TypeKind::Struct(s) => &s.fields,
        other => panic!("{name} is not a struct: {other:?}"),
    }
}

fn field<'a>(api: &'a Api, type_name: &str, json: &str) -> &'a Field {
    fields(api, type_name)
        .iter()
        .find(|f| f.json_name == json)
        .unwrap_or_else(|| panic!("no field {json}"))
}

fn op<'a>(api: &'a Api, name: &str) -> &'a Operation {
    api.operations
        .iter()
        .find(|o| o.name == name)
        .unwrap_or_else(|| panic!("no operation {name}"))
}

/// One GET operation returning `schema` (indented for a media type).
fn returning(schema_ref: &str) -> String {
    format!("  /x:\n    get:\n      operationId: getX\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/{schema_ref}'")
}

#[test]
fn field_names_are_snake_case_escaped_and_keep_their_json_names() {
    let api = lower(
        &returning("Thing"),
        "  schemas:\n    Thing:\n      type: object\n      properties:\n        type: {type: string}\n        self: {type: string}\n        _links: {type: object}\n        errorCode: {type: string}\n        2fa: {type: boolean}\n        a.b-c$: {type: integer, format: int32}\n        Thing: {type: string}\n        error_code: {type: string}\n",
    );
    let names: Vec<(&str, &str)> = fields(&api, "Thing")
        .iter()
        .map(|f| (f.name.as_str(), f.json_name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("r#type", "type"),
            ("self_", "self"),
            ("links", "_links"),
            ("error_code", "errorCode"),
            ("_2fa", "2fa"),
            ("a_b_c", "a.b-c$"),
            ("thing", "Thing"),
            ("error_code2", "error_code"),
        ]
    );
    assert_eq!(
        field(&api, "Thing", "_links").ty,
        TypeRef::Value,
        "a free-form object is JSON"
    );
    assert_eq!(field(&api, "Thing", "a.b-c$").ty, TypeRef::I32);
}

#[test]
fn schema_names_that_collide_after_case_conversion_get_stable_suffixes() {
    let api = lower(
        &returning("Holder"),
        "  schemas:\n    Holder:\n      type: object\n      properties:\n        a: {$ref: '#/components/schemas/foo_bar'}\n        b: {$ref: '#/components/schemas/FooBar'}\n    foo_bar:\n      type: object\n      properties:\n        x: {type: string}\n    FooBar:\n      type: object\n      properties:\n        y: {type: string}\n",
    );
    // Sorted by component name: `FooBar` < `foo_bar`, so `FooBar` keeps the plain name.
    assert_eq!(
        field(&api, "Holder", "a").ty,
        api.types.named("FooBar2").unwrap()
    );
    assert_eq!(
        field(&api, "Holder", "b").ty,
        api.types.named("FooBar").unwrap()
    );
    assert_eq!(fields(&api, "FooBar2")[0].json_name, "x");
}

#[test]
fn only_reached_components_are_generated() {
    let api = lower(
        &returning("Used"),
        "  schemas:\n    Used:\n      type: object\n      properties:\n        inner: {$ref: '#/components/schemas/Inner'}\n    Inner:\n      type: object\n      properties:\n        v: {type: string}\n    Unused:\n      type: object\n      properties:\n        v: {type: string}\n",
    );
    assert_eq!(api.types.names().collect::<Vec<_>>(), ["Inner", "Used"]);
}

#[test]
fn required_read_only_write_only_and_nullable() {
    let api = lower(
        &returning("T"),
        "  schemas:\n    T:\n      type: object\n      required: [id, name, secret, note]\n      properties:\n        id: {type: string, readOnly: true}\n        name: {type: string}\n        secret: {type: string, writeOnly: true}\n        note: {type: string, nullable: true}\n        extra: {type: string}\n",
    );
    let f = |j| field(&api, "T", j);
    assert!(
        !f("id").required && f("id").optional(),
        "readOnly is never required when sending"
    );
    assert!(f("name").required && !f("name").optional());
    assert!(
        !f("secret").required,
        "writeOnly is never required when receiving"
    );
    assert!(
        f("note").required && f("note").optional(),
        "required but nullable: Option, always sent"
    );
    assert!(!f("extra").required);
}

#[test]
fn additional_properties_keep_typed_or_deny() {
    let api = lower(
        &returning("Keep"),
        "  schemas:\n    Keep:\n      type: object\n      properties:\n        typed: {$ref: '#/components/schemas/Typed'}\n        closed: {$ref: '#/components/schemas/Closed'}\n        map:\n          type: object\n          additionalProperties: {type: integer}\n        additional_properties: {type: string}\n    Typed:\n      type: object\n      properties:\n        a: {type: string}\n      additionalProperties:\n        type: string\n    Closed:\n      type: object\n      additionalProperties: false\n      properties:\n        a: {type: string}\n",
    );
    let additional = |n| match &ty(&api, n).kind {
        TypeKind::Struct(s) => s.additional.clone(),
        _ => panic!(),
    };
    assert_eq!(
        additional("Keep"),
        Additional::Keep {
            field: "additional_properties".into()
        },
        "the field of unnamed properties always has its name"
    );
    let keep = match &ty(&api, "Keep").kind {
        TypeKind::Struct(s) => s.clone(),
        _ => panic!(),
    };
    let property = keep
        .fields
        .iter()
        .find(|f| f.json_name == "additional_properties")
        .expect("the property");
    assert_eq!(
        property.name, "additional_properties2",
        "a property of that name goes around it"
    );
    assert_eq!(
        additional("Typed"),
        Additional::Typed {
            field: "additional_properties".into(),
            ty: TypeRef::String
        }
    );
    assert_eq!(additional("Closed"), Additional::Deny);
    assert_eq!(
        field(&api, "Keep", "map").ty,
        TypeRef::Map(Box::new(TypeRef::I64))
    );
}

#[test]
fn all_of_merges_members_and_single_refs_become_aliases() {
    let api = lower(
        &returning("Links"),
        "  schemas:\n    Links:\n      allOf:\n        - $ref: '#/components/schemas/SelfLink'\n        - $ref: '#/components/schemas/UserLink'\n        - type: object\n          required: [extra]\n          properties:\n            extra: {type: string}\n    SelfLink:\n      description: Self links.\n      type: object\n      properties:\n        self: {$ref: '#/components/schemas/HrefSelf'}\n    UserLink:\n      type: object\n      properties:\n        user:\n          allOf:\n            - description: The user.\n            - $ref: '#/components/schemas/Href'\n    HrefSelf:\n      allOf:\n        - $ref: '#/components/schemas/Href'\n        - description: Link to itself.\n    Href:\n      type: object\n      required: [href]\n      properties:\n        href: {type: string}\n",
    );
    let names: Vec<&str> = fields(&api, "Links")
        .iter()
        .map(|f| f.json_name.as_str())
        .collect();
    assert_eq!(names, ["self", "user", "extra"]);
    assert!(field(&api, "Links", "extra").required);
    assert_eq!(
        ty(&api, "Links").doc.as_deref(),
        Some("Self links."),
        "doc from the first member that has one"
    );
    let user = field(&api, "Links", "user");
    assert_eq!(user.ty, api.types.named("Href").unwrap());
    assert_eq!(user.doc.as_deref(), Some("The user."));
    let href_self = ty(&api, "HrefSelf");
    assert_eq!(
        href_self.kind,
        TypeKind::Alias(api.types.named("Href").unwrap())
    );
    assert_eq!(
        href_self.doc, None,
        "the description sits in a member; the alias keeps the target's docs"
    );
}

#[test]
fn inline_enums_and_objects_are_named_from_their_parent() {
    let api = lower(
        &returning("Device"),
        "  schemas:\n    Device:\n      type: object\n      properties:\n        status:\n          type: string\n          enum: [ACTIVE, security_key, ACTIVE]\n        platform:\n          type: object\n          properties:\n            os: {type: string}\n        tags:\n          type: array\n          items:\n            type: string\n            enum: [a, b]\n",
    );
    assert_eq!(
        field(&api, "Device", "status").ty,
        api.types.named("DeviceStatus").unwrap()
    );
    assert_eq!(
        field(&api, "Device", "platform").ty,
        api.types.named("DevicePlatform").unwrap()
    );
    assert_eq!(
        field(&api, "Device", "tags").ty,
        TypeRef::Vec(Box::new(api.types.named("DeviceTag").unwrap()))
    );
    let TypeKind::StringEnum(e) = &ty(&api, "DeviceStatus").kind else {
        panic!()
    };
    let variants: Vec<(&str, &str)> = e
        .variants
        .iter()
        .map(|v| (v.name.as_str(), v.value.as_str()))
        .collect();
    assert_eq!(
        variants,
        [("Active", "ACTIVE"), ("SecurityKey", "security_key")],
        "duplicates dropped"
    );
    assert_eq!(e.fallback, "Unknown");
}

#[test]
fn recursive_schemas_are_boxed() {
    let api = lower(
        &returning("Node"),
        "  schemas:\n    Node:\n      type: object\n      properties:\n        parent: {$ref: '#/components/schemas/Node'}\n        children:\n          type: array\n          items: {$ref: '#/components/schemas/Node'}\n",
    );
    assert_eq!(
        field(&api, "Node", "parent").ty,
        TypeRef::Boxed(Box::new(api.types.named("Node").unwrap()))
    );
    assert_eq!(
        field(&api, "Node", "children").ty,
        TypeRef::Vec(Box::new(api.types.named("Node").unwrap())),
        "Vec is already indirect"
    );
}

#[test]
fn path_level_parameters_merge_and_operation_level_ones_override() {
    let paths = "  /users/{userId}/things:\n    parameters:\n      - $ref: '#/components/parameters/userId'\n      - name: limit\n        in: query\n        schema: {type: integer, format: int32}\n    get:\n      operationId: listThings\n      parameters:\n        - name: limit\n          in: query\n          required: true\n          description: Overridden.\n          schema: {type: integer, format: int32}\n        - name: X-Trace\n          in: header\n          schema: {type: string}\n        - name: Accept\n          in: header\n          schema: {type: string}\n      responses:\n        '204':\n          description: none";
    let api = lower(paths, "  parameters:\n    userId:\n      name: userId\n      in: path\n      required: true\n      schema: {type: string}\n");
    let op = op(&api, "list_things");
    let params: Vec<(&str, ParamLocation, bool)> = op
        .params
        .iter()
        .map(|p| (p.wire_name.as_str(), p.location, p.required))
        .collect();
    assert_eq!(
        params,
        [
            ("userId", ParamLocation::Path, true),
            ("limit", ParamLocation::Query, true),
            ("X-Trace", ParamLocation::Header, false)
        ],
        "Accept is set by the runtime, not a parameter"
    );
    assert_eq!(op.params[1].doc.as_deref(), Some("Overridden."));
    assert_eq!(op.success, Success::Empty);
}

#[test]
fn query_arrays_explode_by_default() {
    let paths = "  /a:\n    get:\n      operationId: a\n      parameters:\n        - name: ids\n          in: query\n          schema: {type: array, items: {type: string}}\n        - name: csv\n          in: query\n          explode: false\n          schema: {type: array, items: {type: string}}\n      responses:\n        '204':\n          description: none";
    let api = lower(paths, "  schemas: {}");
    let op = op(&api, "a");
    assert!(op.params[0].explode);
    assert!(!op.params[1].explode);
}

#[test]
fn responses_decide_success_and_error_types() {
    let paths = "  /a:\n    get:\n      operationId: listA\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: array\n                items: {$ref: '#/components/schemas/A'}\n        '404':\n          $ref: '#/components/responses/E'\n        '429':\n          $ref: '#/components/responses/E'\n    delete:\n      operationId: deleteA\n      responses:\n        '204':\n          description: gone\n        '400':\n          description: bad\n          content:\n            application/json:\n              schema: {type: object}\n        '404':\n          $ref: '#/components/responses/E'";
    let components = "  responses:\n    E:\n      description: err\n      content:\n        application/json:\n          schema: {$ref: '#/components/schemas/Err'}\n  schemas:\n    A:\n      type: object\n      properties:\n        id: {type: string}\n    Err:\n      type: object\n      properties:\n        errorCode: {type: string}\n";
    let api = lower(paths, components);
    let list = op(&api, "list_a");
    assert_eq!(
        list.success,
        Success::Json(TypeRef::Vec(Box::new(api.types.named("A").unwrap())))
    );
    assert_eq!(list.error, api.types.named("Err").unwrap());
    let statuses: Vec<&str> = list.responses.iter().map(|r| r.status.as_str()).collect();
    assert_eq!(statuses, ["200", "404", "429"]);
    let delete = op(&api, "delete_a");
    assert_eq!(delete.success, Success::Empty);
    assert_eq!(
        delete.error,
        TypeRef::Value,
        "error bodies of different types fall back to JSON"
    );
}

#[test]
fn the_call_error_defaults_to_the_error_body_every_operation_shares() {
    let components = "  responses:\n    E:\n      description: err\n      content:\n        application/json:\n          schema: {$ref: '#/components/schemas/Err'}\n  schemas:\n    Err:\n      type: object\n      properties:\n        errorCode: {type: string}\n";
    let op = |method: &str, id: &str, error: &str| {
        format!("    {method}:\n      operationId: {id}\n      responses:\n        '204':\n          description: ok\n{error}")
    };
    let shared = "        '404':\n          $ref: '#/components/responses/E'\n";
    let ranged = "        4XX:\n          $ref: '#/components/responses/E'\n";
    let other = "        '400':\n          description: bad\n          content:\n            application/json:\n              schema: {type: object, properties: {message: {type: string}}}\n";

    // Every operation declares the same body (by status or range): it is the default.
    let paths = format!(
        "  /a:\n{}{}",
        op("get", "getA", shared),
        op("delete", "deleteA", ranged)
    );
    let api = lower(&paths, components);
    assert_eq!(api.error, api.types.named("Err").unwrap());

    // One operation declares another body: any JSON.
    let paths = format!(
        "  /a:\n{}{}",
        op("get", "getA", shared),
        op("delete", "deleteA", other)
    );
    let api = lower(&paths, components);
    assert!(api.operations.iter().any(|o| o.error != TypeRef::Value));
    assert_eq!(api.error, TypeRef::Value);

    // One operation declares no error body: any JSON too.
    let paths = format!(
        "  /a:\n{}{}",
        op("get", "getA", shared),
        op("delete", "deleteA", "")
    );
    let api = lower(&paths, components);
    assert_eq!(api.error, TypeRef::Value);
}

#[test]
fn operation_names_avoid_runtime_methods_and_missing_ids_are_derived() {
    let paths = "  /new:\n    post:\n      operationId: new\n      responses:\n        '204':\n          description: none\n  /users/{id}:\n    get:\n      parameters:\n        - name: id\n          in: path\n          required: true\n          schema: {type: string}\n      responses:\n        '204':\n          description: none";
    let api = lower(paths, "  schemas: {}");
    let names: Vec<(&str, &str)> = api
        .operations
        .iter()
        .map(|o| (o.name.as_str(), o.builder.as_str()))
        .collect();
    assert_eq!(names, [("get_users_id", "GetUsersId"), ("new2", "New")]);
}

#[test]
fn selection_by_operation_id_and_path() {
    let paths = "  /a:\n    get:\n      operationId: getA\n      responses:\n        '204': {description: none}\n  /b:\n    get:\n      operationId: getB\n      tags: [B]\n      responses:\n        '204': {description: none}\n  /c:\n    get:\n      operationId: getC\n      responses:\n        '204': {description: none}";
    let doc = okgen::load::parse("fixture.yaml", fixture(paths, "  schemas: {}")).expect("valid");
    let selection = okgen::Selection {
        operation_ids: vec!["getA".into()],
        paths: vec!["/c".into()],
        tags: vec![],
    };
    let api = okgen::lower_document(&doc, &selection).expect("lowers");
    let names: Vec<&str> = api
        .operations
        .iter()
        .map(|o| o.operation_id.as_str())
        .collect();
    assert_eq!(names, ["getA", "getC"]);
}

#[test]
fn date_time_and_number_formats() {
    let api = lower(
        &returning("F"),
        "  schemas:\n    F:\n      type: object\n      properties:\n        at: {type: string, format: date-time}\n        day: {type: string, format: date}\n        f: {type: number, format: float}\n        d: {type: number}\n        i: {type: integer}\n        b: {type: boolean}\n        any: {}\n        pw: {type: string, format: password}\n",
    );
    let types: Vec<TypeRef> = fields(&api, "F").iter().map(|f| f.ty.clone()).collect();
    assert_eq!(
        types,
        [
            TypeRef::DateTime,
            TypeRef::Date,
            TypeRef::F32,
            TypeRef::F64,
            TypeRef::I64,
            TypeRef::Bool,
            TypeRef::Value,
            TypeRef::Secret
        ]
    );
}

#[test]
fn lists_with_an_after_cursor_page_and_nothing_else_does() {
    let spec = std::fs::read_to_string(
        okgen_tests::workspace().join("tests/fixtures/constructs/pages.yaml"),
    )
    .expect("fixture");
    let api = lower_yaml(&spec).expect("lowers");
    let list = op(&api, "list_widgets");
    let paging = list.pagination.as_ref().expect("listWidgets pages");
    assert_eq!(
        (paging.cursor.as_str(), paging.cursor_wire.as_str()),
        ("after", "after")
    );
    assert_eq!(paging.item, api.types.named("Widget").unwrap());
    assert_eq!(
        op(&api, "get_widget").pagination,
        None,
        "one widget is not a page, even with `after`"
    );
}

/// Two operations, `getA` returning `first` and `getB` returning `second` (lowered in that
/// order).
fn returning_two(first: &str, second: &str) -> String {
    let op = |path: &str, id: &str, schema: &str| {
        format!("  /{path}:\n    get:\n      operationId: {id}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/{schema}'\n")
    };
    format!("{}{}", op("a", "getA", first), op("b", "getB", second))
}

#[test]
fn inline_type_names_do_not_depend_on_which_operation_reaches_them_first() {
    // `Foo.barBaz` and `FooBar.baz` are inline objects that both ask for `FooBarBaz`. Naming is
    // a step after lowering: the one made from the smaller JSON pointer
    // (`/components/schemas/Foo/…` < `/components/schemas/FooBar/…`) gets the plain name,
    // whichever operation the walk meets first.
    let components = "  schemas:\n    Foo:\n      type: object\n      properties:\n        barBaz:\n          type: object\n          properties:\n            x: {type: string}\n    FooBar:\n      type: object\n      properties:\n        baz:\n          type: object\n          properties:\n            y: {type: string}\n";
    for paths in [
        returning_two("Foo", "FooBar"),
        returning_two("FooBar", "Foo"),
    ] {
        let api = lower(&paths, components);
        let names: Vec<&str> = api.types.names().collect();
        assert_eq!(names, ["Foo", "FooBar", "FooBarBaz", "FooBarBaz2"]);
        assert_eq!(
            field(&api, "Foo", "barBaz").ty,
            api.types.named("FooBarBaz").unwrap()
        );
        assert_eq!(
            field(&api, "FooBar", "baz").ty,
            api.types.named("FooBarBaz2").unwrap()
        );
        assert_eq!(fields(&api, "FooBarBaz2")[0].json_name, "y");
    }
}

#[test]
fn an_inline_type_never_takes_the_name_of_a_component() {
    // `Holder.item` asks for `HolderItem`, a component's name (not even reached): it gets
    // `HolderItem2`, and the component keeps its name wherever it is used.
    let api = lower(
        &returning("Holder"),
        "  schemas:\n    Holder:\n      type: object\n      properties:\n        item:\n          type: object\n          properties:\n            z: {type: string}\n    HolderItem:\n      type: object\n      properties:\n        w: {type: string}\n",
    );
    assert_eq!(
        field(&api, "Holder", "item").ty,
        api.types.named("HolderItem2").unwrap()
    );
    assert!(
        api.types.get("HolderItem").is_none(),
        "not reached, not generated"
    );
}

#[test]
fn how_arguments_are_taken_and_how_untagged_variants_rank_are_decided_while_lowering() {
    use okgen::ir::Argument;
    let api = lower(
        "  /x/{id}:\n    get:\n      operationId: getX\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n        - {name: tags, in: query, schema: {type: array, items: {type: string}}}\n        - {name: limit, in: query, schema: {type: integer, format: int32}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Either'",
        "  schemas:\n    Either:\n      oneOf:\n        - $ref: '#/components/schemas/Alias'\n        - $ref: '#/components/schemas/Tagged'\n        - {type: string}\n    Alias: {$ref: '#/components/schemas/Thing'}\n    Thing:\n      type: object\n      required: [name, note]\n      properties:\n        name: {type: string}\n        note: {type: string, nullable: true}\n        size: {type: integer}\n    Tagged:\n      oneOf:\n        - $ref: '#/components/schemas/Thing'\n      discriminator: {propertyName: kind}\n",
    );
    let op = &api.operations[0];
    let arguments: Vec<(&str, Argument)> = op
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.argument))
        .collect();
    assert_eq!(
        arguments,
        [
            ("id", Argument::Into),
            ("tags", Argument::Items),
            ("limit", Argument::AsIs)
        ]
    );
    // A required string is taken by `Into`; a nullable one is an `Option`, taken as is.
    assert_eq!(field(&api, "Thing", "name").argument, Argument::Into);
    assert_eq!(field(&api, "Thing", "note").argument, Argument::AsIs);
    // Each variant knows the properties it names, through aliases: the emitter only spells.
    let TypeKind::UntaggedUnion(either) = &ty(&api, "Either").kind else {
        panic!("Either is an untagged union");
    };
    let known: Vec<Vec<&str>> = either
        .variants
        .iter()
        .map(|v| v.known_fields.iter().map(String::as_str).collect())
        .collect();
    assert_eq!(known, [vec!["name", "note", "size"], vec!["kind"], vec![]]);
}
