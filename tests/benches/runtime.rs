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

/// Per-request median of `call`, one request at a time.
async fn one_at_a_time<F, Fut>(requests: usize, mut call: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<Vec<models::AuthenticatorEnrollment>, String>>,
{
    for _ in 0..requests / 10 {
        let _ = call().await;
    }
    let mut samples = Vec::with_capacity(requests);
    for _ in 0..requests {
        let start = Instant::now();
        let result = call().await;
        samples.push(start.elapsed());
        if let Err(e) = result {
            eprintln!("a call failed: {e}");
            return Duration::ZERO;
        }
    }
    median(samples)
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

/// Requests per second with `in_flight` requests outstanding.
async fn throughput<F, Fut>(requests: usize, in_flight: usize, call: F) -> f64
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<Vec<models::AuthenticatorEnrollment>, String>>,
{
    let start = Instant::now();
    let failures = stream::iter(0..requests)
        .map(|_| call())
        .buffer_unordered(in_flight)
        .filter(|r| std::future::ready(r.is_err()))
        .count()
        .await;
    if failures > 0 {
        eprintln!("{failures} calls failed");
    }
    requests as f64 / start.elapsed().as_secs_f64()
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
            let gen_time = one_at_a_time(requests, || generated(&client)).await;
            let hand_time = one_at_a_time(requests, || hand(deadline)).await;
            let bare_time = one_at_a_time(requests, || generated(&no_deadline)).await;
            let bare_hand_time = one_at_a_time(requests, || hand(None)).await;
            println!(
                "{items}-item list, one at a time: generated {gen_time:.2?} per request, hand-written {hand_time:.2?}: {} the time; without a deadline {bare_time:.2?} and {bare_hand_time:.2?}: {}",
                ratio(gen_time.as_secs_f64(), hand_time.as_secs_f64()),
                ratio(bare_time.as_secs_f64(), bare_hand_time.as_secs_f64()),
            );
            let gen_allocs = allocations(200, || generated(&client)).await;
            let hand_allocs = allocations(200, || hand(deadline)).await;
            println!(
                "{items}-item list, allocations per request: generated {gen_allocs:.1}, hand-written {hand_allocs:.1} ({:+.1})",
                gen_allocs - hand_allocs
            );
            if items == 1 {
                let gen = throughput(requests, 64, || generated(&client)).await;
                let hand_rate = throughput(requests, 64, || hand(deadline)).await;
                let bare = throughput(requests, 64, || generated(&no_deadline)).await;
                let bare_hand = throughput(requests, 64, || hand(None)).await;
                println!(
                    "{items}-item list, 64 in flight: generated {gen:.0} requests/s, hand-written {hand_rate:.0}: {} the throughput; without a deadline {bare:.0} and {bare_hand:.0}: {}",
                    ratio(gen, hand_rate),
                    ratio(bare, bare_hand)
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
