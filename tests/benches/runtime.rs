//! The generated client at run time, against a hand-written `reqwest` call doing the same: the
//! same `reqwest::Client` (from `Client::http_client_builder()`), the same headers, the same
//! target type (`Vec<models::AuthenticatorEnrollment>`), served by a minimal HTTP/1.1 server on
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
use tokio::io::{AsyncReadExt, AsyncWriteExt};

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

/// Serves `body` as `200 application/json` to every request, keeping connections alive.
/// Requests are read up to their blank line (the benchmark sends no request bodies).
fn serve(body: Vec<u8>) -> std::io::Result<String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let address = listener.local_addr()?;
    listener.set_nonblocking(true)?;
    let mut head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nx-okta-request-id: reqBENCH\r\n\r\n",
        body.len()
    )
    .into_bytes();
    head.extend_from_slice(&body);
    let response: &'static [u8] = Box::leak(head.into_boxed_slice());
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build();
        let Ok(runtime) = runtime else { return };
        runtime.block_on(async move {
            let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                return;
            };
            while let Ok((mut socket, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let mut buffer = vec![0u8; 16 * 1024];
                    let mut filled = 0;
                    loop {
                        let Ok(read) = socket.read(&mut buffer[filled..]).await else {
                            return;
                        };
                        if read == 0 {
                            return;
                        }
                        filled += read;
                        while let Some(end) = find_blank_line(&buffer[..filled]) {
                            if socket.write_all(response).await.is_err() {
                                return;
                            }
                            buffer.copy_within(end..filled, 0);
                            filled -= end;
                        }
                        if filled == buffer.len() {
                            return;
                        }
                    }
                });
            }
        });
    });
    Ok(format!("http://{address}"))
}

fn find_blank_line(bytes: &[u8]) -> Option<usize> {
    bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| p + 4)
}

/// The hand-written call: what a careful user writes with reqwest for the same request.
async fn hand_written(
    http: &reqwest::Client,
    base: &str,
    user_agent: &str,
) -> Result<Vec<models::AuthenticatorEnrollment>, String> {
    let response = http
        .get(format!(
            "{base}/api/v1/users/{USER}/authenticator-enrollments"
        ))
        .header(reqwest::header::AUTHORIZATION, format!("SSWS {TOKEN}"))
        .header(reqwest::header::ACCEPT, "application/json")
        .header(reqwest::header::USER_AGENT, user_agent)
        .send()
        .await
        .map_err(|e| e.to_string())?;
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
            let gen_time = one_at_a_time(requests, || generated(&client)).await;
            let hand_time =
                one_at_a_time(requests, || hand_written(&http, &base, &user_agent)).await;
            let bare_time = one_at_a_time(requests, || generated(&no_deadline)).await;
            println!(
                "{items}-item list, one at a time: generated {gen_time:.2?} per request ({bare_time:.2?} without a deadline), hand-written {hand_time:.2?}: {} the time ({} without a deadline)",
                ratio(gen_time.as_secs_f64(), hand_time.as_secs_f64()),
                ratio(bare_time.as_secs_f64(), hand_time.as_secs_f64()),
            );
            let gen_allocs = allocations(200, || generated(&client)).await;
            let hand_allocs = allocations(200, || hand_written(&http, &base, &user_agent)).await;
            println!(
                "{items}-item list, allocations per request: generated {gen_allocs:.1}, hand-written {hand_allocs:.1} ({:+.1})",
                gen_allocs - hand_allocs
            );
            if items == 1 {
                let gen = throughput(requests, 64, || generated(&client)).await;
                let hand = throughput(requests, 64, || hand_written(&http, &base, &user_agent)).await;
                let bare = throughput(requests, 64, || generated(&no_deadline)).await;
                println!(
                    "{items}-item list, 64 in flight: generated {gen:.0} requests/s ({bare:.0} without a deadline), hand-written {hand:.0}: {} the throughput ({} without a deadline)",
                    ratio(gen, hand),
                    ratio(bare, hand)
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
