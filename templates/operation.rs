//! What every request builder has, declared: okgen writes one call of `request_builder!` per
//! operation (its names and types), and the macro expands to the builder's `Debug`, its `send`
//! and `send_with_metadata` (the runtime's generic send path, boxed) and its `IntoFuture` (so
//! that `.await` sends it).
//!
//! Written out by the generator, those items were a fifth of a big client's text, the same
//! everywhere but for the names and types: they are written once, here. What differs from one
//! operation to the next (the builder's fields and setters, the request it builds) is still
//! generated as code.
//!
//! The call sits in the generated `operations` module, and the expansion names the runtime's
//! modules from there (`super::client`), as the rest of the generated code does; the standard
//! library's items are spelled out in full, so that no model named like one of them can be
//! taken for it.

/// The `Debug`, `send`, `send_with_metadata` and `IntoFuture` of a request builder that
/// implements `client::Call`:
///
/// ```text
/// request_builder! {
///     Builder {
///         operation: "operationId",
///         method: "POST",
///         path: "/path/{id}",
///         success: Type,
///         error: Type,
///         send: " the rest of `send`'s documentation",
///         shown: [required "id", optional field "wireName"],
///     }
/// }
/// ```
///
/// `success` is what the call returns, `error` the body of its API errors. `shown` lists, in
/// order, the names `Debug` shows with whether each is set (never their values): `required`
/// ones always are, an `optional` one when its field (an `Option`) is `Some`.
// Only clients with an operation use it.
#[allow(unused_macros)]
macro_rules! request_builder {
    (
        $builder:ident {
            operation: $operation:literal,
            method: $method:literal,
            path: $path:literal,
            success: $success:ty,
            error: $error:ty,
            send: $send:literal,
            shown: [$($kind:ident $($field:ident)? $wire:literal),* $(,)?] $(,)?
        }
    ) => {
        /// The operation, its method and path template, and the names of the parameters that
        /// are set: never their values.
        impl ::std::fmt::Debug for $builder {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                super::client::debug_request(
                    f,
                    ::std::stringify!($builder),
                    $operation,
                    $method,
                    $path,
                    &[$(super::operation::request_builder!(@shown self $kind $($field)? $wire)),*],
                )
            }
        }

        impl $builder {
            /// Sends the request.
            ///
            #[doc = $send]
            pub fn send(self) -> super::client::Pending<$success, $error> {
                super::client::send_boxed(self)
            }

            /// Sends the request and returns the value with the response's status, request id
            /// (the profile's header), rate-limit headers and headers.
            pub fn send_with_metadata(
                self,
            ) -> super::client::Pending<super::Response<$success>, $error> {
                super::client::send_with_metadata_boxed(self)
            }
        }

        impl ::std::future::IntoFuture for $builder {
            type Output = ::std::result::Result<$success, super::Error<$error>>;
            type IntoFuture = super::client::Pending<$success, $error>;

            fn into_future(self) -> Self::IntoFuture {
                self.send()
            }
        }
    };
    // One entry of the `Debug` list: its name, and whether it is set. `self` comes from the
    // method above (a `self` of the call's would not name its receiver).
    (@shown $self:ident required $wire:literal) => {
        ($wire, true)
    };
    (@shown $self:ident optional $field:ident $wire:literal) => {
        ($wire, $self.$field.is_some())
    };
}

// Only clients with an operation use it.
#[allow(unused_imports)]
pub(crate) use request_builder;

#[cfg(test)]
mod tests {
    // The modules and items the macro names from the module it is called in (`super::…`), as
    // at the root of a generated client.
    use crate::{client, operation, Auth, Client, Response};

    type Error<E> = crate::error::Error<E>;

    mod operations {
        /// A builder with a required and an optional parameter, and an optional body.
        #[derive(Clone)]
        pub struct GetThing {
            pub client: super::Client,
            pub id: String,
            pub expand: Option<String>,
            pub body: Option<serde_json::Value>,
        }

        impl super::client::Call for GetThing {
            type Output = super::client::Json<serde_json::Value>;
            type Error = serde_json::Value;

            fn client(&self) -> &super::Client {
                &self.client
            }

            fn build_request(
                &self,
            ) -> Result<super::client::Request, super::Error<serde_json::Value>> {
                Ok(super::client::Request::new(
                    "getThing",
                    reqwest::Method::GET,
                    "/things/{id}",
                    format!("/things/{}", self.id),
                ))
            }
        }

        super::operation::request_builder! {
            GetThing {
                operation: "getThing",
                method: "GET",
                path: "/things/{id}",
                success: serde_json::Value,
                error: serde_json::Value,
                send: " `GET /things/{id}` (operation `getThing`).",
                shown: [required "id", optional expand "expand", optional body "body"],
            }
        }
    }

    fn thing() -> operations::GetThing {
        let client = Client::new("https://example.okta.com", Auth::api_token("00secret"))
            .unwrap_or_else(|e| panic!("{e}"));
        operations::GetThing {
            client,
            id: "00u-secret-id".into(),
            expand: Some("user".into()),
            body: None,
        }
    }

    #[test]
    fn debug_shows_the_operation_and_which_parameters_are_set() {
        let mut thing = thing();
        assert_eq!(
            format!("{thing:?}"),
            r#"GetThing { operation: "getThing", method: "GET", path_template: "/things/{id}", set: ["id", "expand"] }"#
        );
        thing.expand = None;
        thing.body = Some(serde_json::json!({"secret": "value"}));
        // Names, never values.
        assert_eq!(
            format!("{thing:?}"),
            r#"GetThing { operation: "getThing", method: "GET", path_template: "/things/{id}", set: ["id", "body"] }"#
        );
    }

    #[test]
    fn send_and_await_are_the_generic_send_path() {
        fn pending<T, E>(_: &client::Pending<T, E>) {}
        fn awaitable<F>(_: &F)
        where
            F: std::future::IntoFuture<
                Output = Result<serde_json::Value, Error<serde_json::Value>>,
                IntoFuture = client::Pending<serde_json::Value, serde_json::Value>,
            >,
        {
        }
        let thing = thing();
        awaitable(&thing);
        let sent: client::Pending<serde_json::Value, serde_json::Value> = thing.clone().send();
        pending(&sent);
        let with_metadata: client::Pending<Response<serde_json::Value>, serde_json::Value> =
            thing.send_with_metadata();
        pending(&with_metadata);
    }
}
