//! Unit tests of the ovs-ofctl parser (the corpus against Open vSwitch is in
//! `tests/ofctl_corpus.rs`).
use super::*;
use crate::Encode;

fn hex(fm: &FlowMod) -> String {
    let m = crate::Message::new(1, crate::Body::FlowMod(fm.clone()));
    m.to_vec()
        .unwrap()
        .iter()
        .map(|b| alloc::format!("{b:02x}"))
        .collect()
}

#[test]
fn matches_ovs_bytes() {
    // ovs-ofctl -O OpenFlow13 -mmmmm parse-flow (Open vSwitch 3.1).
    let fm = parse_flow("priority=1,tcp,in_port=2,dl_dst=00:00:00:00:00:01,reg0=5,tp_dst=80 actions=output:1,load:1->NXM_NX_REG1[],ct(commit,zone=5)").unwrap();
    assert_eq!(
        hex(&fm),
        concat!(
            "040e00a800000001000000000000000000000000000000000000000000000001",
            "ffffffffffffffffffffffff000000000001002f800000040000000280000606",
            "00000000000180000a020800800014010680001c020050000100040000000500",
            "000400480000000000000010000000010000000000000000ffff001800002320",
            "0007001f000102040000000000000001ffff0018000023200023000100000000",
            "0005ff0000000000",
        )
    );
}

#[test]
fn errors_name_token_and_column() {
    let e = parse_flow("priority=1,foo=2 actions=drop").unwrap_err();
    assert_eq!((e.column(), e.token()), (12, "foo"));
    let e = parse_flow("in_port=1 actions=output:1,bogus").unwrap_err();
    assert_eq!((e.column(), e.token()), (28, "bogus"));
}
