//! The intermediate representation: a typed model of the Rust code we will write. Every decision
//! (names, optionality, which types exist) is made while lowering into it; emission only spells.

use std::collections::BTreeMap;

/// The whole client.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Api {
    /// Title of the document, for the crate docs.
    pub title: String,
    /// Version of the document.
    pub version: String,
    /// Model types by Rust name (sorted, so output order never depends on the walk).
    pub types: BTreeMap<String, TypeDef>,
    /// Operations, sorted by Rust name.
    pub operations: Vec<Operation>,
    /// What loading and lowering left out or changed, and why.
    pub warnings: Vec<crate::error::Warning>,
}

/// A Rust type reference as it appears in a field, parameter or response.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeRef {
    String,
    Bool,
    I32,
    I64,
    F32,
    F64,
    /// `date-time`: the runtime's lenient `DateTime`.
    DateTime,
    /// `date`: the runtime's `Date`.
    Date,
    /// Raw bytes (a non-JSON body).
    Bytes,
    /// A string the spec marks `format: password`: the runtime's `Secret`, redacted in `Debug`.
    Secret,
    /// Any JSON (`{}` schemas and free-form objects).
    Value,
    /// A model type in `crate::models`.
    Named(String),
    Vec(Box<TypeRef>),
    /// `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
    /// A boxed type, to break a recursive cycle.
    Boxed(Box<TypeRef>),
    /// A value that may be `null` where it is not a field (an array item, a map value, a
    /// union variant): `Option<T>`. Fields say so with [`Field::nullable`] instead.
    Option(Box<TypeRef>),
}

/// A model type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// Rust name.
    pub name: String,
    /// Doc comment text.
    pub doc: Option<String>,
    /// The JSON pointer of the schema it was made from.
    pub origin: String,
    /// `deprecated: true` on the schema.
    pub deprecated: bool,
    pub kind: TypeKind,
}

/// What kind of Rust item a model becomes.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    /// A string enum with a fallback variant that keeps unknown values.
    StringEnum(StringEnum),
    /// An integer enum with a fallback variant that keeps unknown values.
    IntEnum(IntEnum),
    /// `oneOf`/`anyOf` (or a parent's mapping) with a discriminator: the variant is chosen by a
    /// property's value; unknown or missing values decode to a fallback that keeps the JSON.
    TaggedUnion(TaggedUnion),
    /// `oneOf`/`anyOf` without a discriminator: the best-fitting variant that decodes wins;
    /// nothing fits, the fallback keeps the JSON.
    UntaggedUnion(UntaggedUnion),
    /// `pub type Name = Target;`
    Alias(TypeRef),
    /// `pub struct Name(pub Target);`, serialized as the target: an alias that sits on a cycle
    /// of types (aliases may not expand into themselves).
    Newtype(TypeRef),
}

/// A struct with named fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// How properties the schema does not name are treated.
    pub additional: Additional,
}

/// Treatment of properties a schema does not name.
#[derive(Debug, Clone, PartialEq)]
pub enum Additional {
    /// Kept in a map of JSON values (the default in OpenAPI, and what forward compatibility needs).
    Keep { field: String },
    /// Kept in a map of a typed value.
    Typed { field: String, ty: TypeRef },
    /// Rejected (`additionalProperties: false`).
    Deny,
}

/// One struct field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Rust name (escaped).
    pub name: String,
    /// JSON name.
    pub json_name: String,
    pub ty: TypeRef,
    /// Required in the schema: the field is not an `Option` and is a constructor argument.
    pub required: bool,
    /// `nullable: true`: the value may be `null`.
    pub nullable: bool,
    pub doc: Option<String>,
    /// The schema's `default`, as JSON (documented; absent values stay `None`).
    pub default: Option<serde_json::Value>,
    pub read_only: bool,
    pub write_only: bool,
    pub deprecated: bool,
}

impl Field {
    /// Whether the Rust type is wrapped in `Option`.
    pub fn optional(&self) -> bool {
        !self.required || self.nullable
    }
}

/// A string enum.
#[derive(Debug, Clone, PartialEq)]
pub struct StringEnum {
    pub variants: Vec<Variant>,
    /// Name of the variant that holds values this client does not know.
    pub fallback: String,
}

/// A known enum value.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub name: String,
    pub value: String,
}

/// An integer enum.
#[derive(Debug, Clone, PartialEq)]
pub struct IntEnum {
    pub variants: Vec<IntVariant>,
    pub fallback: String,
}

/// A known integer enum value.
#[derive(Debug, Clone, PartialEq)]
pub struct IntVariant {
    pub name: String,
    pub value: i64,
}

/// A union chosen by a discriminator property.
#[derive(Debug, Clone, PartialEq)]
pub struct TaggedUnion {
    /// The JSON property holding the tag.
    pub tag: String,
    pub variants: Vec<TaggedVariant>,
    /// Variant holding the JSON of an unknown or missing tag.
    pub fallback: String,
}

/// One variant of a tagged union.
#[derive(Debug, Clone, PartialEq)]
pub struct TaggedVariant {
    pub name: String,
    /// Tag values that select this variant.
    pub tag_values: Vec<String>,
    pub ty: TypeRef,
}

/// A union without a discriminator.
#[derive(Debug, Clone, PartialEq)]
pub struct UntaggedUnion {
    pub variants: Vec<UntaggedVariant>,
    /// Variant holding JSON that fits no variant.
    pub fallback: String,
}

/// One variant of an untagged union.
#[derive(Debug, Clone, PartialEq)]
pub struct UntaggedVariant {
    pub name: String,
    pub ty: TypeRef,
}

/// HTTP methods the generator emits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    /// Upper-case name, as on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

/// One operation parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Rust name (escaped, unique within the operation).
    pub name: String,
    /// Name on the wire.
    pub wire_name: String,
    pub location: ParamLocation,
    pub ty: TypeRef,
    pub required: bool,
    pub doc: Option<String>,
    /// For arrays in the query: repeat the key per item (`explode: true`, the default) or join
    /// the items with commas.
    pub explode: bool,
    pub deprecated: bool,
}

/// The request body.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// Rust name of the argument/setter.
    pub name: String,
    /// The body's type; [`TypeRef::Bytes`] for a non-JSON body sent as is.
    pub ty: TypeRef,
    /// The media type sent as `Content-Type`.
    pub media_type: String,
    pub required: bool,
    pub doc: Option<String>,
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Success {
    /// A JSON body of this type.
    Json(TypeRef),
    /// No body (e.g. 204).
    Empty,
    /// A non-JSON body, returned as bytes; `Accept` asks for this media type.
    Bytes { media_type: String },
}

/// A documented response, for the operation's docs.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseDoc {
    pub status: String,
    pub description: String,
    pub ty: Option<TypeRef>,
}

/// A security requirement alternative: a scheme and the scopes it needs.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityDoc {
    pub scheme: String,
    pub scopes: Vec<String>,
}

/// One API operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `snake_case` method name.
    pub name: String,
    /// `UpperCamelCase` name of the request builder type.
    pub builder: String,
    pub operation_id: String,
    pub method: Method,
    /// The path template, as in the spec (for docs and logs; requests are built from
    /// `path_parts`).
    pub path: String,
    /// The path template parsed once, while lowering: literal text and path parameters, in
    /// order. Concatenated (parameters percent-encoded as one segment) they are the request's
    /// path.
    pub path_parts: Vec<PathPart>,
    pub summary: Option<String>,
    pub description: Option<String>,
    /// Parameters in order: path (in template order), then query, then header.
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub success: Success,
    /// Type of the error body; `Value` when the error responses disagree or declare none.
    pub error: TypeRef,
    pub responses: Vec<ResponseDoc>,
    pub security: Vec<SecurityDoc>,
    pub deprecated: bool,
    /// Set when the operation pages: it returns an array and takes an optional `after` cursor
    /// in the query (Okta's convention; the next cursor comes in a `Link: rel="next"` header).
    pub pagination: Option<Pagination>,
}

/// One piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    /// Text sent as it is (`/api/v1/users/`).
    Literal(String),
    /// The value of the path parameter `params[i]` of the operation (`{userId}`).
    Param(usize),
}

/// How a list operation pages.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// Rust name of the cursor parameter (its setter).
    pub cursor: String,
    /// Its name on the wire.
    pub cursor_wire: String,
    /// The type of one item.
    pub item: TypeRef,
}
