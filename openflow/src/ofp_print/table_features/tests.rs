#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use super::*;

fn abbrev(names: &[&str]) -> String {
    let mut s = String::new();
    abbreviated(&mut s, names, 0);
    s
}

#[test]
fn names_abbreviate_as_ovs_prints_them() {
    assert_eq!(abbrev(&["eth_src", "eth_dst"]), "eth_{src,dst}");
    assert_eq!(abbrev(&["reg0", "reg1", "reg2"]), "reg0...reg2");
    // Two numbered names stay apart.
    assert_eq!(abbrev(&["xreg0", "xreg1"]), "xreg0 xreg1");
    assert_eq!(abbrev(&["metadata", "in_port"]), "metadata in_port");
}
