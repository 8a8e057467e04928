//! Pagination: Okta's list operations page with a `Link: <…?after=…>; rel="next"` header. A page
//! carries its items and the cursor of the next one; a stream walks every page lazily, and a
//! saved cursor resumes where a walk stopped.

use std::collections::VecDeque;
use std::future::Future;

use futures_util::stream::{self, Stream};
use reqwest::header::{HeaderMap, LINK};
use url::Url;

use super::error::Error;

/// Re-exported so that callers can drive `into_stream()` streams without another dependency
/// (`use okta_management::paging::StreamExt;`).
pub use futures_util::{Stream as PageStream, StreamExt};

/// One page of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// The cursor of the next page (the `after` value of the `rel="next"` link), or `None` on
    /// the last page. Save it to resume later.
    pub next_cursor: Option<String>,
}

/// The value of query parameter `cursor` in the `rel="next"` link of `headers`.
// Only clients whose spec has a paged list operation call this.
#[allow(dead_code)]
pub(crate) fn next_cursor(headers: &HeaderMap, cursor: &str) -> Option<String> {
    headers
        .get_all(LINK)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .find_map(|link| {
            let (target, params) = link.trim().split_once(';')?;
            let is_next = params.split(';').any(|p| {
                let p = p.trim();
                p.eq_ignore_ascii_case("rel=\"next\"") || p.eq_ignore_ascii_case("rel=next")
            });
            if !is_next {
                return None;
            }
            let url = target.trim().strip_prefix('<')?.strip_suffix('>')?;
            // The link is absolute in Okta's answers; a relative one is resolved against a
            // placeholder base: only its query matters.
            let url = Url::parse(url)
                .or_else(|_| Url::parse("http://localhost/").and_then(|base| base.join(url)))
                .ok()?;
            let value = url.query_pairs().find(|(k, _)| k == cursor)?.1;
            Some(value.into_owned())
        })
}

/// Sends the request for one page of the list `call` builds: its items, and the `cursor` of the
/// next page from the `Link: rel="next"` header.
// Only clients whose spec has a paged list operation call this.
#[allow(dead_code)]
pub(crate) fn send_page_boxed<C, T>(
    call: C,
    cursor: &'static str,
) -> super::client::Pending<Page<T>, C::Error>
where
    C: super::client::Call<Output = super::client::Json<Vec<T>>>,
    T: serde::de::DeserializeOwned + Send + 'static,
{
    Box::pin(send_page(call, cursor))
}

/// One page of `call`'s list (see [`send_page_boxed`], which boxes it once for every
/// operation).
// Only clients whose spec has a paged list operation call this.
#[allow(dead_code)]
pub(crate) async fn send_page<C, T>(
    call: C,
    cursor: &'static str,
) -> Result<Page<T>, Error<C::Error>>
where
    C: super::client::Call<Output = super::client::Json<Vec<T>>>,
    T: serde::de::DeserializeOwned + Send + 'static,
{
    let response = super::client::send_with_metadata(call).await?;
    let next_cursor = next_cursor(&response.headers, cursor);
    Ok(Page {
        items: response.value,
        next_cursor,
    })
}

/// Every item of every page, fetched lazily: `fetch` sends a request for one page, `resume`
/// turns a request into the one for the page after a cursor. Ends after the last page, after an
/// error (which it yields), or when the server repeats a cursor (which would never end).
// Only clients whose spec has a paged list operation call this.
#[allow(dead_code)]
pub(crate) fn items<'a, R, T, E, F, G, Fut>(
    first: R,
    fetch: F,
    resume: G,
) -> impl Stream<Item = Result<T, Error<E>>> + Send + 'a
where
    R: Clone + Send + 'a,
    T: Send + 'a,
    E: Send + 'a,
    F: Fn(R) -> Fut + Send + 'a,
    G: Fn(R, String) -> R + Send + 'a,
    Fut: Future<Output = Result<Page<T>, Error<E>>> + Send + 'a,
{
    let start = Walk {
        next: Some(first),
        buffered: VecDeque::new(),
        last_cursor: None,
        fetch,
        resume,
    };
    stream::unfold(start, |mut walk| async move {
        loop {
            if let Some(item) = walk.buffered.pop_front() {
                return Some((Ok(item), walk));
            }
            let request = walk.next.take()?;
            let template = request.clone();
            match (walk.fetch)(request).await {
                Err(e) => return Some((Err(e), walk)),
                Ok(page) => {
                    walk.buffered = page.items.into();
                    walk.next = match page.next_cursor {
                        Some(cursor) if walk.last_cursor.as_ref() != Some(&cursor) => {
                            walk.last_cursor = Some(cursor.clone());
                            Some((walk.resume)(template, cursor))
                        }
                        _ => None,
                    };
                }
            }
        }
    })
}

/// Where a walk over the pages is.
struct Walk<R, T, F, G> {
    next: Option<R>,
    buffered: VecDeque<T>,
    last_cursor: Option<String>,
    fetch: F,
    resume: G,
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(links: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for l in links {
            if let Ok(v) = HeaderValue::from_str(l) {
                h.append(LINK, v);
            }
        }
        h
    }

    #[test]
    fn the_next_links_cursor_is_found_among_other_links() {
        let h = headers(&[
            "<https://x.okta.com/api/v1/users?limit=2>; rel=\"self\"",
            "<https://x.okta.com/api/v1/users?after=00u2%2Fx&limit=2>; rel=\"next\"",
        ]);
        assert_eq!(next_cursor(&h, "after").as_deref(), Some("00u2/x"));
        let one_header = headers(&["<https://x/a?limit=2>; rel=\"self\", </a?after=c3>; rel=next"]);
        assert_eq!(next_cursor(&one_header, "after").as_deref(), Some("c3"));
        assert_eq!(
            next_cursor(&headers(&["<https://x/a?after=c>; rel=\"self\""]), "after"),
            None
        );
        assert_eq!(next_cursor(&headers(&["garbage"]), "after"), None);
        assert_eq!(next_cursor(&HeaderMap::new(), "after"), None);
    }
}
