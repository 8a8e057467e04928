//! The type graph: nullability through references, `allOf` over non-objects, and every shape
//! of cycle. The fixtures (tests/fixtures/constructs/{nullable_refs,allof_scalars,cycles}.yaml) are
//! compiled into the test crate, so each test here decodes with the real generated types; the
//! shapes that name no type at all are checked on the IR.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use okgen::ir::{TypeKind, TypeRef};
use okgen_tests::{fixture, lower_yaml, lower_yaml_lenient};
use serde_json::{json, Value};

/// Decodes `value` as `T` and encodes it again: the JSON must come back the same.
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(value: Value) -> T {
    let decoded: T = serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("does not decode: {e}\n{value}"));
    assert_eq!(serde_json::to_value(&decoded).unwrap(), value);
    decoded
}

mod nullable {
    use super::*;
    use okgen_tests::fixtures::nullable_refs::models::{Repo, Shade};

    #[test]
    fn null_is_accepted_through_a_nullable_ref_allof_and_enum() {
        let repo: Repo = serde_json::from_value(json!({
            "owner": null,
            "duration": null,
            "assignee": null,
            "reviewer": null,
            "color": null,
            "shade": null,
            "nothing": null,
            "watchers": [null, {"login": "octocat"}],
            "labels": {"a": null, "b": "P1D"}
        }))
        .expect("every null the schemas allow decodes");
        assert!(repo.owner.is_none() && repo.duration.is_none());
        assert!(repo.assignee.is_null() && repo.reviewer.is_null());
        let watchers = repo.watchers.unwrap();
        assert!(watchers[0].is_none());
        assert_eq!(watchers[1].as_ref().unwrap().login, "octocat");
        let labels = repo.labels.unwrap();
        assert_eq!(labels["a"], None);
        assert_eq!(labels["b"].as_deref(), Some("P1D"));
    }

    #[test]
    fn values_still_decode_and_a_required_nullable_field_must_be_present() {
        let repo = round_trip::<Repo>(json!({
            "owner": {"login": "octocat"},
            "duration": "P1D",
            "shade": "dark"
        }));
        assert_eq!(repo.owner.unwrap().login, "octocat");
        assert_eq!(repo.shade.value(), Some(&Shade::Dark));
        // `owner` is required (and nullable): null is fine, absent is not.
        let missing = serde_json::from_value::<Repo>(json!({"duration": null}));
        assert!(missing.unwrap_err().to_string().contains("owner"));
    }

    #[test]
    fn an_explicit_null_survives_decode_and_encode_and_absent_stays_absent() {
        // Optional and nullable fields are three-state: `null` is sent back as `null`, an
        // absent field stays absent; required nullable ones are always sent.
        let repo = round_trip::<Repo>(json!({
            "owner": null,
            "duration": null,
            "assignee": null,
            "watchers": [null]
        }));
        assert!(repo.assignee.is_null() && repo.reviewer.is_absent());
        // A request can clear a field by sending null.
        let mut patch = repo.clone();
        patch.reviewer = okgen_tests::fixtures::nullable_refs::Nullable::Null;
        patch.assignee = okgen_tests::fixtures::nullable_refs::Nullable::Absent;
        assert_eq!(
            serde_json::to_value(&patch).unwrap(),
            json!({"owner": null, "duration": null, "reviewer": null, "watchers": [null]})
        );
    }

    #[test]
    fn the_ir_marks_fields_nullable_and_items_optional() {
        let api = okgen_tests::lower_fixture("nullable_refs");
        let TypeKind::Struct(repo) = &api.types["Repo"].kind else {
            panic!()
        };
        for field in &repo.fields {
            assert!(
                field.nullable || field.json_name == "watchers" || field.json_name == "labels",
                "{field:?}"
            );
        }
        let watchers = repo
            .fields
            .iter()
            .find(|f| f.json_name == "watchers")
            .unwrap();
        assert_eq!(
            watchers.ty,
            TypeRef::Vec(Box::new(TypeRef::Option(Box::new(
                api.types.named("SimpleUser").unwrap()
            ))))
        );
    }
}

mod allof_scalars {
    use super::*;
    use okgen_tests::fixtures::allof_scalars::models::{Method, NameOrId, Thing};

    #[test]
    fn all_of_one_scalar_is_that_scalar() {
        let thing = round_trip::<Thing>(json!({
            "id": "9b2f6a1e-4c5d-4e7f-8a9b-0c1d2e3f4a5b",
            "name": "web-1",
            "handle": "web-1",
            "contact": {"phone": "+15415550142"},
            "method": "S256"
        }));
        assert_eq!(thing.method, Some(Method::S256));
        // `Uuid` and `NameAgain` are aliases of String, not structs.
        let id: &String = &thing.id;
        let name: &String = &thing.name;
        assert_eq!((id.len(), name.as_str()), (36, "web-1"));
        assert!(matches!(
            thing.handle,
            Some(NameOrId::Id(_) | NameOrId::Name(_))
        ));
        assert_eq!(
            thing.contact.unwrap().phone.as_deref(),
            Some("+15415550142")
        );
    }

    #[test]
    fn constraint_only_members_are_ignored_and_documented() {
        let api = okgen_tests::lower_fixture("allof_scalars");
        assert!(matches!(
            api.types["Uuid"].kind,
            TypeKind::Alias(TypeRef::String)
        ));
        assert!(matches!(
            &api.types["NameAgain"].kind,
            TypeKind::Alias(TypeRef::Named(n)) if api.types.name(*n) == "Name"
        ));
        assert!(matches!(
            &api.types["Reachable"].kind,
            TypeKind::Alias(TypeRef::Named(n)) if api.types.name(*n) == "Contact"
        ));
        assert!(matches!(
            &api.types["ChosenMethod"].kind,
            TypeKind::Alias(TypeRef::Named(n)) if api.types.name(*n) == "Method"
        ));
        let contact = &api.types["Contact"];
        assert!(matches!(contact.kind, TypeKind::Struct(_)), "{contact:?}");
        assert!(
            contact
                .doc
                .as_deref()
                .is_some_and(|d| d.contains("does not check")),
            "{contact:?}"
        );
        assert!(api.warnings.is_empty(), "{:?}", api.warnings);
    }
}

mod cycles {
    use super::*;
    use okgen_tests::fixtures::cycles::models::{Expr, Graph, Tree};

    #[test]
    fn trees_maps_and_structs_through_aliases_decode_to_any_depth_the_data_has() {
        let graph = round_trip::<Graph>(json!({
            "tree": [[], [[], [[]]]],
            "forest": {"a": {"b": {}}, "c": {}},
            "node": {"label": "1", "next": {"label": "2", "next": {"label": "3"}}},
            "expr": {"left": "x", "right": {"left": "y", "right": "z"}}
        }));
        let Tree(children) = graph.tree.unwrap();
        assert_eq!(children.len(), 2);
        let next = graph.node.unwrap().next.unwrap();
        assert_eq!(next.0.label.as_deref(), Some("2"));
        let Some(Expr::Pair(pair)) = graph.expr else {
            panic!("a pair")
        };
        assert!(matches!(*pair.left.0, Expr::Literal(ref s) if s == "x"));
    }

    #[test]
    fn cyclic_aliases_become_newtypes_and_each_cycle_gets_one_box() {
        let api = okgen_tests::lower_fixture("cycles");
        for name in ["Tree", "Forest", "NodeLink", "ExprAlias"] {
            assert!(
                matches!(api.types[name].kind, TypeKind::Newtype(_)),
                "{name}: {:?}",
                api.types[name]
            );
        }
        // Node → NodeLink → Node is boxed once, at the edge that closes the cycle.
        let TypeKind::Newtype(link) = &api.types["NodeLink"].kind else {
            panic!()
        };
        let TypeKind::Struct(node) = &api.types["Node"].kind else {
            panic!()
        };
        let next = node.fields.iter().find(|f| f.json_name == "next").unwrap();
        let boxes = usize::from(matches!(link, TypeRef::Boxed(_)))
            + usize::from(matches!(next.ty, TypeRef::Boxed(_)));
        assert_eq!(boxes, 1, "{link:?} / {:?}", next.ty);
        // A literal is not on a cycle: left alone.
        assert!(matches!(
            api.types["Literal"].kind,
            TypeKind::Alias(TypeRef::String)
        ));
    }

    const USES: &str = "  /x:\n    get:\n      operationId: getX\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/A'\n";

    #[test]
    fn aliases_that_only_name_each_other_are_json_with_a_warning() {
        for (components, cycle) in [
            (
                "  schemas:\n    A:\n      $ref: '#/components/schemas/B'\n    B:\n      $ref: '#/components/schemas/A'\n",
                "A → B → A",
            ),
            ("  schemas:\n    A:\n      $ref: '#/components/schemas/A'\n", "A → A"),
        ] {
            let text = fixture(USES, components);
            let api = lower_yaml_lenient(&text).expect("lenient generates");
            assert!(
                matches!(api.types["A"].kind, TypeKind::Alias(TypeRef::Value)),
                "{:?}",
                api.types["A"]
            );
            assert!(
                api.warnings.iter().any(|w| w.message.contains(cycle)),
                "{:?}",
                api.warnings
            );
            let source = okgen::emit(&api).expect("emits");
            assert!(source.contains("pub type A = ::serde_json::Value;"));
            let err = lower_yaml(&text).expect_err("strict refuses");
            assert!(err.to_string().contains(cycle), "{err}");
        }
    }
}
