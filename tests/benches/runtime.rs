//! The generated client at run time, against a hand-written `reqwest` call doing the same: the
//! same `reqwest::Client` (from `Client::http_client_builder()`), the same headers, the same
//! target type (`Vec<models::AuthenticatorEnrollment>`), the same overall deadline (the
//! generated client's default `request_timeout`; and both without one), served by hyper on
//! loopback, in this process, on its own thread.
//!
//! `cargo bench -p okgen-tests --bench runtime` prints, for each side and their ratio:
//! - one request at a time: the median time per request, and the allocations per request
//!   (counted by `stats_alloc`'s instrumented system allocator, process-wide: the server's own
//!   allocations, the same for both sides, are included);
//! - 64 requests in flight: requests per second;
//! - a 1,000-item list: the median time per call, and decoding alone (the runtime decodes with
//!   plain serde_json, and only a body that fails is decoded again to find the field's path).
//!
//! It measures, it asserts nothing (speed goals are not tests).

use std::alloc::System;
use std::time::{Duration, Instant};

use futures_util::stream::{self, StreamExt};
use okta_management::{models, Auth, Client};
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const TOKEN: &str = "00bench-token";
const USER: &str = "00u1bench";

fn enrollment(i: usize) -> serde_json::Value {
    serde_json::json!({
        "id": format!("paeb{i:08}"),
        "type": "phone",
        "key": "phone_number",
        "status": "ACTIVE",
        "name": "Phone",
        "created": "2026-11-02T10:00:00.000Z",
        "lastUpdated": "2026-11-02T10:05:00.000Z",
        "profile": {"phoneNumber": "+1 XXX-XXX-1234"},
        "_links": {"self": {"href": format!("https://example.okta.com/api/v1/users/{USER}/authenticator-enrollments/paeb{i:08}")}}
    })
}

fn list_body(items: usize) -> Vec<u8> {
    let list: Vec<serde_json::Value> = (0..items).map(enrollment).collect();
    serde_json::to_vec(&list).unwrap_or_default()
}

/// Serves `body` as `200 application/json` to every request with hyper (HTTP/1.1, connections
/// kept alive), on its own thread and runtime, so that the server's work is not on the client's
/// thread.
fn serve(body: Vec<u8>) -> std::io::Result<String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let address = listener.local_addr()?;
    listener.set_nonblocking(true)?;
    let body = hyper::body::Bytes::from(body);
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build();
        let Ok(runtime) = runtime else { return };
        runtime.block_on(async move {
            let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                return;
            };
            while let Ok((socket, _)) = listener.accept().await {
                let body = body.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |_request| {
                        let response = hyper::Response::builder()
                            .header("content-type", "application/json")
                            .header("x-okta-request-id", "reqBENCH")
                            .body(http_body_util::Full::new(body.clone()));
                        std::future::ready(response)
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(hyper_util::rt::TokioIo::new(socket), service)
                        .await;
                });
            }
        });
    });
    Ok(format!("http://{address}"))
}

/// The hand-written call: what a careful user writes with reqwest for the same request.
/// With `deadline`, the request has reqwest's timeout, as the generated call's has its
/// `request_timeout` (the same mechanism).
async fn hand_written(
    http: &reqwest::Client,
    base: &str,
    user_agent: &str,
    deadline: Option<Duration>,
) -> Result<Vec<models::AuthenticatorEnrollment>, String> {
    let mut request = http
        .get(format!(
            "{base}/api/v1/users/{USER}/authenticator-enrollments"
        ))
        .header(reqwest::header::AUTHORIZATION, format!("SSWS {TOKEN}"))
        .header(reqwest::header::ACCEPT, "application/json")
        .header(reqwest::header::USER_AGENT, user_agent);
    if let Some(deadline) = deadline {
        request = request.timeout(deadline);
    }
    let response = request.send().await.map_err(|e| e.to_string())?;
    if !response.status().is_success() {
        return Err(format!("status {}", response.status()));
    }
    let bytes = response.bytes().await.map_err(|e| e.to_string())?;
    serde_json::from_slice(&bytes).map_err(|e| e.to_string())
}

async fn generated(client: &Client) -> Result<Vec<models::AuthenticatorEnrollment>, String> {
    client
        .list_authenticator_enrollments(USER)
        .send()
        .await
        .map_err(|e| e.to_string())
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

/// A call under measurement, boxed so that the sides can share one list (the box is the same
/// for every side).
type Call<'a> = Box<
    dyn Fn() -> std::pin::Pin<
            Box<
                dyn std::future::Future<
                        Output = Result<Vec<models::AuthenticatorEnrollment>, String>,
                    > + 'a,
            >,
        > + 'a,
>;

fn call<'a, F, Fut>(f: F) -> Call<'a>
where
    F: Fn() -> Fut + 'a,
    Fut: std::future::Future<Output = Result<Vec<models::AuthenticatorEnrollment>, String>> + 'a,
{
    Box::new(move || Box::pin(f()))
}

/// The rounds of every measurement: each side runs its share of the requests in every round,
/// the sides in turn, so that what else the machine does at a time falls on every side alike.
const ROUNDS: usize = 10;

/// For each of `sides`, the median time per request one at a time, over `requests` requests in
/// `ROUNDS` interleaved rounds (after a warm-up); `None` when a call failed.
async fn one_at_a_time(requests: usize, sides: &[Call<'_>]) -> Option<Vec<Duration>> {
    for side in sides {
        for _ in 0..requests / 10 {
            let _ = side().await;
        }
    }
    let per_round = (requests / ROUNDS).max(1);
    let mut samples = vec![Vec::with_capacity(requests); sides.len()];
    for _ in 0..ROUNDS {
        for (side, samples) in sides.iter().zip(&mut samples) {
            for _ in 0..per_round {
                let start = Instant::now();
                let result = side().await;
                samples.push(start.elapsed());
                if let Err(e) = result {
                    eprintln!("a call failed: {e}");
                    return None;
                }
            }
        }
    }
    Some(samples.into_iter().map(median).collect())
}

/// For each of `sides`, requests per second with `in_flight` requests outstanding: the median
/// over `ROUNDS` interleaved rounds of `requests / ROUNDS` requests each.
async fn throughput(requests: usize, in_flight: usize, sides: &[Call<'_>]) -> Vec<f64> {
    let per_round = (requests / ROUNDS).max(in_flight);
    let mut rates = vec![Vec::with_capacity(ROUNDS); sides.len()];
    for _ in 0..ROUNDS {
        for (side, rates) in sides.iter().zip(&mut rates) {
            let start = Instant::now();
            let failures = stream::iter(0..per_round)
                .map(|_| side())
                .buffer_unordered(in_flight)
                .filter(|r| std::future::ready(r.is_err()))
                .count()
                .await;
            if failures > 0 {
                eprintln!("{failures} calls failed");
            }
            rates.push(per_round as f64 / start.elapsed().as_secs_f64());
        }
    }
    rates
        .into_iter()
        .map(|mut r| {
            r.sort_by(f64::total_cmp);
            r.get(r.len() / 2).copied().unwrap_or_default()
        })
        .collect()
}

/// Allocations per call of `call`, over `requests` calls one at a time (after a warm-up).
async fn allocations<F, Fut>(requests: usize, mut call: F) -> f64
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<Vec<models::AuthenticatorEnrollment>, String>>,
{
    for _ in 0..10 {
        let _ = call().await;
    }
    let region = Region::new(GLOBAL);
    for _ in 0..requests {
        if let Err(e) = call().await {
            eprintln!("a call failed: {e}");
            return 0.0;
        }
    }
    region.change().allocations as f64 / requests as f64
}

fn ratio(a: f64, b: f64) -> String {
    if b == 0.0 {
        "-".into()
    } else {
        format!("{:.2}x", a / b)
    }
}

fn main() {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("no runtime: {e}");
            return;
        }
    };
    runtime.block_on(async {
        for (items, requests) in [(1usize, 4000usize), (1000, 200)] {
            let base = match serve(list_body(items)) {
                Ok(base) => base,
                Err(e) => {
                    eprintln!("cannot serve: {e}");
                    return;
                }
            };
            let http = match Client::http_client_builder().build() {
                Ok(http) => http,
                Err(e) => {
                    eprintln!("no HTTP client: {e}");
                    return;
                }
            };
            let client = match Client::with_http_client(&base, Auth::api_token(TOKEN), http.clone())
            {
                Ok(client) => client,
                Err(e) => {
                    eprintln!("no client: {e}");
                    return;
                }
            };
            // The same client without the overall deadline of a call (`request_timeout`), which
            // the hand-written call does not set: each call with one starts a timer.
            let mut options = okta_management::ClientOptions::default();
            options.request_timeout = None;
            let no_deadline =
                match Client::with_options(&base, Auth::api_token(TOKEN), http.clone(), options) {
                    Ok(client) => client,
                    Err(e) => {
                        eprintln!("no client: {e}");
                        return;
                    }
                };
            let user_agent = client.user_agent().to_owned();
            // The generated client's default deadline, which the hand-written call sets too in
            // the first pair of figures; the second pair has neither.
            let deadline = okta_management::ClientOptions::default().request_timeout;
            let hand = |deadline| hand_written(&http, &base, &user_agent, deadline);
            // Generated and hand-written, with the deadline, then both without one.
            let sides = [
                call(|| generated(&client)),
                call(|| hand(deadline)),
                call(|| generated(&no_deadline)),
                call(|| hand(None)),
            ];
            let Some(times) = one_at_a_time(requests, &sides).await else {
                return;
            };
            let secs = |i: usize| times.get(i).map_or(0.0, Duration::as_secs_f64);
            println!(
                "{items}-item list, one at a time: generated {:.2?} per request, hand-written {:.2?}: {} the time; without a deadline {:.2?} and {:.2?}: {} (medians of {ROUNDS} interleaved rounds)",
                times[0],
                times[1],
                ratio(secs(0), secs(1)),
                times[2],
                times[3],
                ratio(secs(2), secs(3)),
            );
            let gen_allocs = allocations(200, || generated(&client)).await;
            let hand_allocs = allocations(200, || hand(deadline)).await;
            println!(
                "{items}-item list, allocations per request: generated {gen_allocs:.1}, hand-written {hand_allocs:.1} ({:+.1})",
                gen_allocs - hand_allocs
            );
            if items == 1 {
                let rates = throughput(requests * 4, 64, &sides).await;
                let rate = |i: usize| rates.get(i).copied().unwrap_or_default();
                println!(
                    "{items}-item list, 64 in flight: generated {:.0} requests/s, hand-written {:.0}: {} the throughput; without a deadline {:.0} and {:.0}: {} (medians of {ROUNDS} interleaved rounds)",
                    rate(0),
                    rate(1),
                    ratio(rate(0), rate(1)),
                    rate(2),
                    rate(3),
                    ratio(rate(2), rate(3)),
                );
            }
        }
        decode_only();
    });
}

/// Decoding a 1,000-item body alone: plain serde_json (what the runtime does first) against
/// serde_path_to_error (what it did on every body before, and still does on a failure).
fn decode_only() {
    let body = list_body(1000);
    let runs = 50;
    let time = |f: &dyn Fn() -> bool| {
        let mut samples = Vec::with_capacity(runs);
        for _ in 0..runs {
            let start = Instant::now();
            let ok = f();
            samples.push(start.elapsed());
            if !ok {
                eprintln!("decode failed");
            }
        }
        median(samples)
    };
    let plain =
        time(&|| serde_json::from_slice::<Vec<models::AuthenticatorEnrollment>>(&body).is_ok());
    let tracked = time(&|| {
        let mut de = serde_json::Deserializer::from_slice(&body);
        serde_path_to_error::deserialize::<_, Vec<models::AuthenticatorEnrollment>>(&mut de).is_ok()
    });
    println!(
        "decoding a 1,000-item list ({} KB): serde_json {plain:.2?}, with serde_path_to_error {tracked:.2?} ({})",
        body.len() / 1024,
        ratio(tracked.as_secs_f64(), plain.as_secs_f64())
    );
    let count = |f: &dyn Fn() -> bool| {
        let region = Region::new(GLOBAL);
        let ok = f();
        (region.change().allocations, ok)
    };
    let (plain_allocs, _) =
        count(&|| serde_json::from_slice::<Vec<models::AuthenticatorEnrollment>>(&body).is_ok());
    let (tracked_allocs, _) = count(&|| {
        let mut de = serde_json::Deserializer::from_slice(&body);
        serde_path_to_error::deserialize::<_, Vec<models::AuthenticatorEnrollment>>(&mut de).is_ok()
    });
    println!(
        "decoding a 1,000-item list, allocations: serde_json {plain_allocs}, with serde_path_to_error {tracked_allocs}"
    );
}
