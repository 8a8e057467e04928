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
    /// Model types, by identity and by Rust name (iterated in name order, so output order
    /// never depends on the walk).
    pub types: Types,
    /// Operations, sorted by Rust name.
    pub operations: Vec<Operation>,
    /// The error body type the call error `Error<E>` of the client's root defaults to: the
    /// [`Operation::error`] every operation shares, `Value` when they differ or there is no
    /// operation.
    pub error: TypeRef,
    /// What loading and lowering left out or changed, and why.
    pub warnings: Vec<crate::error::Warning>,
    /// The runtime conventions the client follows: the configuration's `profile`, else Okta's
    /// for Okta's documents and the generic ones for any other (see [`Profile`]).
    pub profile: Profile,
    /// The credentials the client offers a constructor for, from the document's
    /// `securitySchemes`, by constructor name (generic profile; empty in Okta's, whose runtime
    /// has its own).
    pub auth: Vec<AuthScheme>,
    /// A cargo feature per tag (`features: per-tag`): which feature enables which operations
    /// and types, and the per-tag handles of the `Client`. `None`: every item is always there.
    pub tag_features: Option<TagFeatures>,
}

/// Whether the generated code is split into a cargo feature per tag (`features:` in the
/// configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Features {
    /// Every operation and type is always compiled (the default).
    #[default]
    None,
    /// A cargo feature per tag enables that tag's operations and the types they reach; the
    /// `Client` also groups the operations per tag (`client.users()`).
    PerTag,
}

impl Features {
    /// `none` or `per-tag`, as in the configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Features::None => "none",
            Features::PerTag => "per-tag",
        }
    }
}

/// The cargo features of a client generated with [`Features::PerTag`], decided while lowering.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TagFeatures {
    /// The features, in name order.
    pub features: Vec<TagFeature>,
    /// For each operation of [`Api::operations`] (same index), the features that enable it
    /// (indices into `features`): those of its tags, `untagged` for an operation without one.
    pub operations: Vec<Vec<usize>>,
    /// The features that enable each type some features do not reach (indices into
    /// `features`, ascending). A type reached by every feature is not listed: it is always
    /// compiled.
    pub types: BTreeMap<TypeId, Vec<usize>>,
}

impl TagFeatures {
    /// The features that enable the type `id`; empty when it is always compiled.
    pub fn of_type(&self, id: TypeId) -> &[usize] {
        self.types.get(&id).map_or(&[], Vec::as_slice)
    }

    /// The names of the features in `indices`.
    pub fn names<'a>(&'a self, indices: &'a [usize]) -> impl Iterator<Item = &'a str> + 'a {
        indices
            .iter()
            .filter_map(|i| self.features.get(*i).map(|f| f.name.as_str()))
    }
}

/// One cargo feature: the operations of one tag of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagFeature {
    /// The feature's name (kebab case of the tag, unique; `untagged` for operations without a
    /// tag).
    pub name: String,
    /// The tag as in the document (`None` for `untagged`).
    pub tag: Option<String>,
    /// The `Client` method returning the tag's handle (snake case of the tag).
    pub accessor: String,
    /// The handle's type in the `tags` module (`UserApi`).
    pub handle: String,
    /// The tag's operations (indices into [`Api::operations`]), in name order.
    pub operations: Vec<usize>,
}

/// The runtime conventions a generated client follows (`profile:` in the configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// Okta's: `Authorization: SSWS` API tokens, access tokens and private-key (`private_key_jwt`)
    /// tokens from the org; `okta.yaml` and `OKTA_CLIENT_*` settings; `X-Okta-Request-Id`, the
    /// `X-Okta-Retry-*` headers and waits from `X-Rate-Limit-Reset`; the `okta-sdk-rust`
    /// user agent; Okta's org URL rules.
    #[default]
    Okta,
    /// Any other API's: credentials from the document's `securitySchemes`, the request id from
    /// `X-Request-Id` or `Request-Id`, waits from `Retry-After`, a user agent naming the crate, no
    /// settings files or environment variables.
    Generic,
}

impl Profile {
    /// `okta` or `generic`, as in the configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Okta => "okta",
            Profile::Generic => "generic",
        }
    }
}

impl std::fmt::Display for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A constructor of the generic runtime's `Auth`, for the security schemes of the document that
/// send the same credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthScheme {
    /// The constructor's Rust name (`bearer`, `basic`, `access_token`, `api_key`, …).
    pub constructor: String,
    /// What it sends, and where.
    pub kind: AuthKind,
    /// The names of the schemes (keys of `components/securitySchemes`) it serves, in document
    /// order; empty for the `bearer` constructor a document without any scheme gets.
    pub schemes: Vec<String>,
    /// The first of those schemes' descriptions.
    pub description: Option<String>,
}

/// What a security scheme sends.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AuthKind {
    /// `type: apiKey, in: header`: the key as the value of this header.
    ApiKeyHeader(String),
    /// `type: apiKey, in: query`: the key as this query parameter.
    ApiKeyQuery(String),
    /// `type: http, scheme: bearer`: `Authorization: Bearer <token>`.
    Bearer,
    /// `type: http, scheme: basic`: `Authorization: Basic <base64(user:password)>`.
    Basic,
    /// `type: oauth2` or `openIdConnect`: an access token, sent as `Authorization: Bearer`.
    AccessToken,
}

/// A Rust type reference as it appears in a field, parameter or response.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
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
    /// Any JSON (`{}` schemas and free-form objects). The default.
    #[default]
    Value,
    /// A model type in `crate::models`, by identity: its Rust name is in [`Api::types`].
    Named(TypeId),
    Vec(Box<TypeRef>),
    /// `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
    /// A boxed type, to break a recursive cycle.
    Boxed(Box<TypeRef>),
    /// A value that may be `null` where it is not a field (an array item, a map value, a
    /// union variant): `Option<T>`. Fields say so with [`Field::nullable`] instead.
    Option(Box<TypeRef>),
}

/// The identity of a model type. Lowering hands ids out in the order it meets types and keys
/// every type by its id; the type graph pass works on ids; naming, a step of its own after both,
/// gives each id its Rust name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub u32);

/// The model types of an [`Api`]: each by its [`TypeId`] and by its Rust name.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Types {
    defs: BTreeMap<TypeId, TypeDef>,
    by_name: BTreeMap<String, TypeId>,
    /// The names of the other items of `models` a [`TypeRef::Named`] may name: multipart forms.
    forms: BTreeMap<TypeId, String>,
    /// Whether the generated code may name `Result`, `Option`, `String`, `Vec` and `Box` (and
    /// `Some`, `None`, `Ok`, `Err`) as the prelude has them: no model, form or request builder
    /// takes one of those names ([`Types::set_prelude_types`]); otherwise they are spelled in
    /// full (`::std::…`).
    prelude_types: bool,
}

/// The prelude's types and variants the generated code names by their short names when no
/// item of the client takes one of them.
pub const PRELUDE_TYPES: &[&str] = &[
    "Box", "Err", "None", "Ok", "Option", "Result", "Some", "String", "Vec",
];

impl Types {
    /// The types, given their final names (each `def.name` unique), and the forms' names.
    pub(crate) fn new(defs: BTreeMap<TypeId, TypeDef>, forms: BTreeMap<TypeId, String>) -> Self {
        let by_name = defs
            .iter()
            .map(|(id, def)| (def.name.clone(), *id))
            .collect();
        Types {
            defs,
            by_name,
            forms,
            prelude_types: false,
        }
    }

    /// Lets the generated code name the [`PRELUDE_TYPES`] short unless a model, a form or one of
    /// `builders` (the request builders' names) takes one of those names.
    pub(crate) fn set_prelude_types<'a>(&mut self, builders: impl IntoIterator<Item = &'a str>) {
        let mut builders = builders.into_iter();
        let taken = self
            .by_name
            .keys()
            .map(String::as_str)
            .chain(self.forms.values().map(String::as_str))
            .any(|name| PRELUDE_TYPES.contains(&name))
            || builders.any(|name| PRELUDE_TYPES.contains(&name));
        self.prelude_types = !taken;
    }

    /// Whether the generated code names the [`PRELUDE_TYPES`] short.
    pub fn prelude_types(&self) -> bool {
        self.prelude_types
    }

    /// The type with this id.
    pub fn def(&self, id: TypeId) -> Option<&TypeDef> {
        self.defs.get(&id)
    }

    /// The Rust name of the type (or multipart form) with this id; empty for an id of neither.
    pub fn name(&self, id: TypeId) -> &str {
        match self.defs.get(&id) {
            Some(def) => &def.name,
            None => self.forms.get(&id).map_or("", String::as_str),
        }
    }

    /// The type with this Rust name.
    pub fn get(&self, name: &str) -> Option<&TypeDef> {
        self.by_name.get(name).and_then(|id| self.defs.get(id))
    }

    /// A reference to the type with this Rust name.
    pub fn named(&self, name: &str) -> Option<TypeRef> {
        self.by_name.get(name).map(|id| TypeRef::Named(*id))
    }

    /// The types in Rust-name order.
    pub fn iter(&self) -> impl Iterator<Item = &TypeDef> {
        self.by_name.values().filter_map(|id| self.defs.get(id))
    }

    /// The Rust names, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.by_name.keys().map(String::as_str)
    }

    /// How many types there are (forms not counted).
    pub fn len(&self) -> usize {
        self.defs.len()
    }

    /// Whether there is no type.
    pub fn is_empty(&self) -> bool {
        self.defs.is_empty()
    }
}

impl std::ops::Index<&str> for Types {
    type Output = TypeDef;

    /// The type with this Rust name; panics when there is none (for tests).
    fn index(&self, name: &str) -> &TypeDef {
        match self.get(name) {
            Some(def) => def,
            None => panic!("no model type named {name:?}"),
        }
    }
}

/// A model type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// Its identity, the key of every reference to it.
    pub id: TypeId,
    /// Rust name, given by the naming step (empty until then).
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

/// How a value is taken as an argument (of a client method, a setter or a constructor), and
/// turned into the value stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Argument {
    /// The type itself, stored as is.
    AsIs,
    /// `impl Into<T>` (a `String`, `Vec<u8>` or `Secret`), stored with `.into()`.
    Into,
    /// `impl IntoIterator<Item = T>` for an array `Vec<T>`, stored collected.
    Items,
}

impl Argument {
    /// How a value of `ty` is taken: text, bytes and secrets by `Into`, arrays as any iterator,
    /// anything else as is.
    pub fn for_type(ty: &TypeRef) -> Self {
        match ty {
            TypeRef::String | TypeRef::Bytes | TypeRef::Secret => Argument::Into,
            TypeRef::Vec(_) => Argument::Items,
            _ => Argument::AsIs,
        }
    }
}

/// One struct field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Rust name (escaped).
    pub name: String,
    /// JSON name.
    pub json_name: String,
    pub ty: TypeRef,
    /// Required in the schema: the field is a constructor argument, and (unless it
    /// [may be absent](Field::may_be_absent) or is nullable) not an `Option`.
    pub required: bool,
    /// Required in the schema, but a response may leave it out (`responses: lenient`, for a
    /// struct a response body reaches): the field is an `Option` that decodes as `None` when
    /// absent, and the constructor still takes the value.
    pub may_be_absent: bool,
    /// `nullable: true`: the value may be `null`.
    pub nullable: bool,
    pub doc: Option<String>,
    /// The schema's `default`, as JSON (documented; absent values stay `None`).
    pub default: Option<serde_json::Value>,
    pub read_only: bool,
    pub write_only: bool,
    pub deprecated: bool,
    /// How the constructor takes the field, when it is required (an argument): a string by
    /// `Into`, anything else as its Rust type.
    pub argument: Argument,
}

impl Field {
    /// Whether the Rust type is wrapped in `Option` (or, see [`Field::three_state`],
    /// `Nullable`).
    pub fn optional(&self) -> bool {
        !self.required || self.nullable || self.may_be_absent
    }

    /// Whether decoding fails when the property is absent: it is required and may not be
    /// absent.
    pub fn must_be_present(&self) -> bool {
        self.required && !self.may_be_absent
    }

    /// Whether absent, `null` and a value are three different states of this field: it is
    /// optional and nullable. Its type is the runtime's `Nullable<T>`, so an explicit `null`
    /// survives decode → encode and a request can send `null` to clear it. Elsewhere `null` and
    /// absent mean the same, and the type is `Option<T>`.
    pub fn three_state(&self) -> bool {
        !self.required && self.nullable
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
    /// The JSON property names a value of this variant may have (a struct's fields, a tagged
    /// union's tag), by which decoding ranks the variants: those naming the most of a value's
    /// properties are tried first. Set by the type-graph pass, once every type is lowered.
    pub known_fields: Vec<String>,
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
    /// How the value is written: [`Style::Simple`] in the path and headers; in the query one
    /// of the OpenAPI 3.0 query styles.
    pub style: Style,
    /// `explode`: arrays and objects become one pair per item or property (`true`, the default
    /// of `form`) rather than one delimited value.
    pub explode: bool,
    pub deprecated: bool,
    /// How the client method (required) or the setter (optional) takes the value.
    pub argument: Argument,
}

/// How a parameter value (or a form body property) is serialized: the OpenAPI 3.0 `style`.
/// For `name` = `color`, `explode` (`*`) or not:
///
/// | style | array | object |
/// | --- | --- | --- |
/// | `Form` | `color=blue,black` / `*` `color=blue&color=black` | `color=R,100,G,200` / `*` `R=100&G=200` |
/// | `SpaceDelimited` | `color=blue%20black` | `color=R%20100%20G%20200` |
/// | `PipeDelimited` | `color=blue\|black` | `color=R\|100\|G\|200` |
/// | `DeepObject` | `color[]=blue&color[]=black` | `color[R]=100&color[G]=200` |
///
/// Scalars are `color=blue` in every style; `null` is left out. `DeepObject` nests in
/// brackets all the way down (Stripe's convention: `items[0][price]=p`); the other styles
/// send a nested object or array as its JSON text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// A path segment or header value: scalars as their text, arrays joined with commas.
    Simple,
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

/// The request body.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// Rust name of the argument/setter.
    pub name: String,
    /// The body's type; [`TypeRef::Bytes`] for a body sent as is; for a multipart form the
    /// [`MultipartForm`]'s type.
    pub ty: TypeRef,
    /// The media type sent as `Content-Type`.
    pub media_type: String,
    /// How the value becomes the bytes sent.
    pub encoding: BodyEncoding,
    pub required: bool,
    pub doc: Option<String>,
    /// How the client method (required) or the setter (optional) takes the body.
    pub argument: Argument,
}

/// How a request body is encoded.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyEncoding {
    /// JSON.
    Json,
    /// `application/x-www-form-urlencoded`: each top-level property of the value (encoded as
    /// JSON first) becomes pairs. A property named here is written in its style; any other
    /// property in the default: scalars `name=value`, arrays `name=a&name=b` (OpenAPI's
    /// default `form` style, exploded), objects in brackets (`name[key]=value`).
    Form { properties: Vec<PropertyEncoding> },
    /// `multipart/form-data` with a schema: one part per property, files as file parts.
    Multipart(MultipartForm),
    /// The caller's bytes, sent as they are.
    Raw,
}

/// The style of one form body property, from the media type's `encoding` object.
#[derive(Debug, Clone, PartialEq)]
pub struct PropertyEncoding {
    /// The property's JSON name.
    pub name: String,
    pub style: Style,
    pub explode: bool,
}

/// The typed body of a `multipart/form-data` request: a struct in `crate::models` with one
/// field per part (not a serde model: it is only ever encoded as parts).
#[derive(Debug, Clone, PartialEq)]
pub struct MultipartForm {
    /// Its identity among the model types' names (it is named with them).
    pub id: TypeId,
    /// Rust name of the struct, given by the naming step.
    pub name: String,
    pub doc: Option<String>,
    pub parts: Vec<Part>,
}

/// One property of a multipart form.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// Rust field name.
    pub name: String,
    /// The part's name (`Content-Disposition: form-data; name="…"`).
    pub wire_name: String,
    pub kind: PartKind,
    /// Required: not an `Option` (a list may still be empty), and a constructor argument.
    pub required: bool,
    /// How the constructor takes the part, when it is required: a text part by `Into`,
    /// anything else as its Rust type.
    pub argument: Argument,
    /// `Content-Type` of a file part when the caller gives none (`encoding.contentType`,
    /// else `application/octet-stream`).
    pub content_type: String,
    /// `encoding.style: deepObject` (Stripe's multipart forms): a value is sent as one text
    /// part per leaf, named in brackets (`file_link_data[create]`, `expand[]`), instead of one
    /// part (JSON for an object).
    pub deep_object: bool,
    pub doc: Option<String>,
}

/// What a multipart part holds.
#[derive(Debug, Clone, PartialEq)]
pub enum PartKind {
    /// `type: string, format: binary`: the runtime's `FilePart` (bytes, file name, type).
    File,
    /// An array of files: one part each, all with the same name.
    Files,
    /// A value of this type: a string or scalar as text, an object or array as JSON text
    /// (`Content-Type: application/json`).
    Value(TypeRef),
    /// An array of values (this is the item type): one part per item, all with the same name.
    Values(TypeRef),
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

/// Another media type of the success response, asked for with a builder method that returns a
/// request builder with this output type.
#[derive(Debug, Clone, PartialEq)]
pub struct Alternative {
    /// The media type, sent as `Accept`.
    pub media_type: String,
    /// Rust name of the method on the operation's builder (`accept_star_json`).
    pub method: String,
    /// `UpperCamelCase` name of the builder it returns.
    pub builder: String,
    /// What the call returns with this media type.
    pub success: Success,
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
    /// The `Accept` header sent: the media type of [`success`](Self::success) (the first JSON
    /// media type of the first success response, else its first), `application/json` when
    /// there is none.
    pub accept: String,
    /// The other media types of the first success response, each with its own type.
    pub alternatives: Vec<Alternative>,
    /// Type of the error body; `Value` when the error responses disagree or declare none.
    pub error: TypeRef,
    pub responses: Vec<ResponseDoc>,
    pub security: Vec<SecurityDoc>,
    /// Set when the operation needs no credentials: its security (or the document's, when it
    /// declares none of its own) is declared and no alternative names a scheme (`security: []`
    /// or `[{}]`). The client then sends none: a credential never goes where it is not asked for.
    pub anonymous: bool,
    pub deprecated: bool,
    /// Set when the operation pages: it returns an array and takes an optional `after` cursor
    /// in the query (Okta's convention; the next cursor comes in a `Link: rel="next"` header).
    pub pagination: Option<Pagination>,
    /// The operation's tags, as in the document.
    pub tags: Vec<String>,
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
