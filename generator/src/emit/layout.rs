//! The generated part as text, formatted one item at a time.
//!
//! Holding the tokens of every item, then one `syn` tree of the whole file, costs several times
//! the size of the output (a big document's 200k lines took about 240 MB that way). Instead,
//! each piece (a model, a request builder, a `Client` method) is made into tokens, parsed and
//! printed on its own, inside a wrapper that puts it at the depth it has in the file, so
//! prettyplease breaks its lines exactly as it would in the whole file; the wrapper's lines are
//! then cut off. The pieces are independent, so big clients format them on several threads;
//! their texts are joined in order, so the output does not depend on the threads.

use std::sync::atomic::{AtomicUsize, Ordering};

use proc_macro2::TokenStream;
use quote::quote;

use super::{models, operations};
use crate::error::{Error, Result};
use crate::ir::{Api, TypeDef};

/// The doc comment and opening of the `models` module, as prettyplease prints them.
const MODELS_OPEN: &str =
    "/// Model types: request and response bodies.\npub mod models {\n    #![allow(deprecated)]\n";
/// The doc comment and opening of the `operations` module, as prettyplease prints them.
const OPERATIONS_OPEN: &str = "/// One request builder per operation; start them from the methods of the `Client`.\npub mod operations {\n    #![allow(deprecated)]\n";
const CLIENT_OPEN: &str = "    impl super::Client {\n";
const CLIENT_CLOSE: &str = "    }\n";
const CLIENT_EMPTY: &str = "    impl super::Client {}\n";
const MODULE_CLOSE: &str = "}\n";

/// The wrapper of an item of a module of the generated part, and the lines it prints as.
const ITEM_OPEN: &str = "mod __okgen_item {\n";
const ITEM_CLOSE: &str = "}\n";
const ITEM_EMPTY: &str = "mod __okgen_item {}\n";
/// The item that carries a model's `cfg` to prettyplease, as it prints (then cut off).
const CFG_CARRIER: &str = "    struct __OkgenCfg;\n";
/// The wrapper of a method of `impl super::Client` in `operations`.
const METHOD_OPEN: &str = "mod __okgen_item {\n    impl __OkgenClient {\n";
const METHOD_CLOSE: &str = "    }\n}\n";
/// The indentation of a method of `impl super::Client` in `operations`.
const METHOD_INDENT: &str = "        ";
const METHOD_EMPTY: &str = "mod __okgen_item {\n    impl __OkgenClient {}\n}\n";

/// Below this many pieces, one thread formats them all: threads would cost more than they save.
pub(super) const PARALLEL_FROM: usize = 256;
/// The most threads formatting uses (the build step runs beside other compilations).
const MAX_THREADS: usize = 4;
/// Pieces per unit of work handed to a thread.
const CHUNK: usize = 32;
/// The stack of a formatting thread: as much as the main thread's, for syn's recursive descent.
const STACK: usize = 8 << 20;

/// One part of the generated text, in the order of the file.
#[derive(Clone, Copy)]
enum Piece<'a> {
    Text(&'static str),
    Model(&'a TypeDef),
    /// The multipart form struct of this operation, if it has one.
    Form(usize),
    /// This operation's request builder.
    Builder(usize),
    /// The `Client` method of this operation.
    Method(usize),
    /// The items after `operations`: the per-tag handles, the error alias and the auth
    /// constructors, at the root.
    Rest,
}

/// The pieces of `api`'s generated part, in order.
fn pieces(api: &Api) -> Vec<Piece<'_>> {
    let ops = api.operations.len();
    let mut out = Vec::with_capacity(api.types.len() + 3 * ops + 8);
    out.push(Piece::Text(MODELS_OPEN));
    out.extend(api.types.iter().map(Piece::Model));
    out.extend((0..ops).map(Piece::Form));
    out.push(Piece::Text(MODULE_CLOSE));
    out.push(Piece::Text(OPERATIONS_OPEN));
    out.extend((0..ops).map(Piece::Builder));
    if ops == 0 {
        out.push(Piece::Text(CLIENT_EMPTY));
    } else {
        out.push(Piece::Text(CLIENT_OPEN));
        out.extend((0..ops).map(Piece::Method));
        out.push(Piece::Text(CLIENT_CLOSE));
    }
    out.push(Piece::Text(MODULE_CLOSE));
    out.push(Piece::Rest);
    out
}

/// The formatted text of `api`'s generated part (everything but the header and the runtime).
pub(super) fn generated_part(api: &Api) -> Result<String> {
    let pieces = pieces(api);
    let threads = if pieces.len() < PARALLEL_FROM {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_THREADS))
    };
    let chunks: Vec<&[Piece]> = pieces.chunks(CHUNK).collect();
    let texts = if threads <= 1 {
        chunks.iter().map(|chunk| render_all(api, chunk)).collect()
    } else {
        render_parallel(api, &chunks, threads)
    };
    let mut out = String::new();
    for text in texts {
        out.push_str(&text?);
    }
    Ok(out)
}

/// The texts of `chunks`, in order, rendered by `threads` threads taking the next chunk as they
/// finish one. When a thread cannot be started, the current one does its share.
fn render_parallel(api: &Api, chunks: &[&[Piece]], threads: usize) -> Vec<Result<String>> {
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(chunk) = chunks.get(index) else {
                return done;
            };
            done.push((index, render_all(api, chunk)));
        }
    };
    let mut results: Vec<(usize, Result<String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (1..threads)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .name("okgen-format".into())
                    .stack_size(STACK)
                    .spawn_scoped(scope, work)
                    .ok()
            })
            .collect();
        let mut all = work();
        for handle in handles {
            // A thread that panicked (a bug of the generator) leaves its chunks missing, which
            // is reported below.
            if let Ok(done) = handle.join() {
                all.extend(done);
            }
        }
        all
    });
    results.sort_by_key(|(index, _)| *index);
    let mut out = Vec::with_capacity(chunks.len());
    let mut expected = 0;
    for (index, text) in results {
        if index != expected {
            break;
        }
        out.push(text);
        expected += 1;
    }
    if expected != chunks.len() {
        out.push(Err(Error::Internal {
            what: "formatting the generated code".into(),
            message: "a formatting thread stopped before its work was done".into(),
        }));
    }
    out
}

/// The text of `pieces`, one after the other.
fn render_all(api: &Api, pieces: &[Piece]) -> Result<String> {
    let mut out = String::new();
    for piece in pieces {
        render(api, *piece, &mut out)?;
    }
    Ok(out)
}

/// Appends the text of `piece` to `out`.
fn render(api: &Api, piece: Piece, out: &mut String) -> Result<()> {
    match piece {
        Piece::Text(text) => out.push_str(text),
        Piece::Model(def) => {
            let what = || format!("the model `{}`", def.name);
            item(models::emit_model(api, def), out, what)?;
            if let Some(call) = models::object_call(def) {
                cfg_text(&models::model_cfg(api, def), out, what)?;
                out.push_str(&call);
            }
        }
        Piece::Form(index) => {
            if let Some(op) = api.operations.get(index) {
                if let Some(tokens) = operations::emit_form_items(api, index, op) {
                    item(tokens, out, || {
                        format!("the multipart form of `{}`", op.operation_id)
                    })?;
                }
            }
        }
        Piece::Builder(index) => {
            if let Some(op) = api.operations.get(index) {
                let what = || format!("the request builder of `{}`", op.operation_id);
                item(operations::emit_builder_items(api, index, op), out, what)?;
                cfg_text(&super::operation_cfg(api, index), out, what)?;
                out.push_str(&operations::builder_call(&api.types, op));
            }
        }
        Piece::Method(index) => {
            if let Some(op) = api.operations.get(index) {
                let (docs, tokens) = operations::emit_method(api, index, op);
                super::doc_text(&docs, METHOD_INDENT, out);
                let wrapped = quote!(mod __okgen_item { impl __OkgenClient { #tokens } });
                let what = || format!("the `Client` method of `{}`", op.operation_id);
                unwrap(
                    wrapped,
                    [METHOD_OPEN, METHOD_CLOSE, METHOD_EMPTY],
                    out,
                    what,
                )?;
            }
        }
        Piece::Rest => {
            let tokens = super::rest(api);
            let file = parse(tokens, || "the root items".into())?;
            out.push_str(&prettyplease::unparse(&file));
        }
    }
    Ok(())
}

/// Appends the attribute `cfg` (none when empty) as prettyplease prints it on an item of a
/// module of the generated part: on an item it then leaves out.
fn cfg_text(cfg: &TokenStream, out: &mut String, what: impl Fn() -> String) -> Result<()> {
    if cfg.is_empty() {
        return Ok(());
    }
    let mut attribute = String::new();
    item(quote!(#cfg struct __OkgenCfg;), &mut attribute, &what)?;
    match attribute.strip_suffix(CFG_CARRIER) {
        Some(attribute) => {
            out.push_str(attribute);
            Ok(())
        }
        None => Err(Error::Internal {
            what: what(),
            message: format!("its `cfg` does not print before {CFG_CARRIER:?}"),
        }),
    }
}

/// Appends `tokens`, items of a module of the generated part, formatted at that depth.
fn item(tokens: TokenStream, out: &mut String, what: impl Fn() -> String) -> Result<()> {
    let wrapped = quote!(mod __okgen_item { #tokens });
    unwrap(wrapped, [ITEM_OPEN, ITEM_CLOSE, ITEM_EMPTY], out, what)
}

/// Formats `wrapped` and appends what is between its first lines `open` and its last lines
/// `close`; nothing when it prints as `empty` (the wrapper of no item).
fn unwrap(
    wrapped: TokenStream,
    [open, close, empty]: [&str; 3],
    out: &mut String,
    what: impl Fn() -> String,
) -> Result<()> {
    let file = parse(wrapped, &what)?;
    let text = prettyplease::unparse(&file);
    if text == empty {
        return Ok(());
    }
    match text.strip_prefix(open).and_then(|t| t.strip_suffix(close)) {
        Some(inner) => {
            out.push_str(inner);
            Ok(())
        }
        None => Err(Error::Internal {
            what: what(),
            message: format!("the formatted item is not wrapped in {open:?} … {close:?}"),
        }),
    }
}

fn parse(tokens: TokenStream, what: impl Fn() -> String) -> Result<syn::File> {
    syn::parse2(tokens).map_err(|e| Error::Internal {
        what: what(),
        message: e.to_string(),
    })
}
