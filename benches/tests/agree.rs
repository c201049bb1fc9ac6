//! Every implementation the benchmarks time computes the same values: the same 5-tuple, the
//! same decoded header fields, the same echo reply bytes (see benches/common/check.rs).

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

#[path = "../benches/common/mod.rs"]
mod common;

#[test]
fn five_tuples_agree() {
    common::check::five_tuples();
}

#[test]
fn full_decodes_agree() {
    common::check::decodes();
}

#[test]
fn echo_replies_agree() {
    common::check::replies();
}

#[test]
fn floors_make_our_checks() {
    let answered = common::check::floors();
    assert!(answered.iter().all(|&n| n > 10_000), "{answered:?}");
}
