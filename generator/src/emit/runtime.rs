//! The static runtime sources in `templates/`, stamped into every generated client so that it
//! stands alone. They are ordinary Rust modules, compiled and tested through `generated/`.

/// Module name and source of each runtime template, in output order.
pub(crate) const TEMPLATES: &[(&str, &str)] = &[
    ("auth", include_str!("../../../templates/auth.rs")),
    ("client", include_str!("../../../templates/client.rs")),
    ("config", include_str!("../../../templates/config.rs")),
    ("datetime", include_str!("../../../templates/datetime.rs")),
    ("de", include_str!("../../../templates/de.rs")),
    ("error", include_str!("../../../templates/error.rs")),
    ("form", include_str!("../../../templates/form.rs")),
    ("multipart", include_str!("../../../templates/multipart.rs")),
    ("nullable", include_str!("../../../templates/nullable.rs")),
    ("paging", include_str!("../../../templates/paging.rs")),
];
