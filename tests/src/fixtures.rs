//! Clients generated at build time from `tests/fixtures/constructs/*.yaml` (see `build.rs`), one
//! module each, so that tests can decode and encode with the real generated types.

macro_rules! fixture {
    ($name:ident) => {
        #[doc = concat!("Generated from `tests/fixtures/constructs/", stringify!($name), ".yaml`.")]
        pub mod $name {
            include!(concat!(env!("OUT_DIR"), "/", stringify!($name), ".rs"));
        }
    };
}

fixture!(tricky);
fixture!(unions);
fixture!(refs);
fixture!(allof);
fixture!(enums);
fixture!(optionality);
fixture!(pages);
fixture!(shapes);
fixture!(formats);
fixture!(names);
fixture!(deprecated);
fixture!(nullable_refs);
fixture!(allof_scalars);
fixture!(cycles);
fixture!(openapi31);
fixture!(form_bodies);
fixture!(multipart_forms);
fixture!(media_types);
fixture!(query_styles);
fixture!(auth_schemes);

/// Generated from `tests/fixtures/responses/records.yaml` with `responses: strict`.
pub mod records_strict {
    include!(concat!(env!("OUT_DIR"), "/records_strict.rs"));
}

/// Generated from `tests/fixtures/responses/records.yaml` with `responses: lenient`.
pub mod records_lenient {
    include!(concat!(env!("OUT_DIR"), "/records_lenient.rs"));
}
