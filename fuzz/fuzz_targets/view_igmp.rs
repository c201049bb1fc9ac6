//! `IgmpView` and the owned `Igmp`: checked view, accessors, source and group-record
//! iterators, the setters' incremental checksum updates, round trip.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use sdnwire_packet::igmp::{GroupRecordView, IgmpView, MessageKind};
use sdnwire_packet::Igmp;
use std::hint::black_box;
use std::net::Ipv4Addr;

fuzz_target!(|data: &[u8]| {
    common::owned_round_trip(data, Igmp::parse(data));
    let Ok(v) = IgmpView::parse(data) else {
        return;
    };
    let kind = v.kind();
    black_box((
        v.msg_type(),
        v.max_resp_code(),
        v.max_resp_time(),
        v.checksum(),
        v.compute_checksum(),
    ));
    black_box((
        v.group_address(),
        v.query_reserved(),
        v.s_flag(),
        v.qrv(),
        v.qqic(),
        v.qqi(),
    ));
    black_box((v.report_reserved(), v.message(), v.additional_data()));
    assert_eq!(v.message().len() + v.additional_data().len(), data.len());
    assert_eq!(v.message_len(), v.message().len());
    // Over a checked view the iterators yield what the counts say, and no error.
    let (n, err) = common::drain(v.sources(), |a| {
        black_box(a);
    });
    assert!(!err, "a source iterator failed over a checked view");
    if kind == MessageKind::QueryV3 {
        assert_eq!(n, usize::from(v.num_sources()));
    }
    let (n, err) = common::drain(v.group_records(), |r: GroupRecordView<'_>| {
        black_box((
            r.record_type(),
            r.aux_data_len(),
            r.multicast_address(),
            r.aux_data(),
            r.offset(),
        ));
        assert_eq!(r.as_bytes().len(), r.record_len());
        let (s, e) = common::drain(r.sources(), |a| {
            black_box(a);
        });
        assert!(
            !e && s == usize::from(r.num_sources()),
            "a record's sources disagree with its count"
        );
    });
    assert!(!err, "the group record iterator failed over a checked view");
    if kind == MessageKind::ReportV3 {
        assert_eq!(n, usize::from(v.num_group_records()));
    }

    let ok = v.verify_checksum().is_ok();
    let mut buf = data.to_vec();
    let mut m = IgmpView::parse(&mut buf[..]).expect("same bytes");
    if kind != MessageKind::QueryV1 && kind != MessageKind::QueryV2 {
        // (on an 8-byte query the max resp code decides v1 or v2: leave it)
        m.set_max_resp_code(data[0].wrapping_mul(3));
    }
    m.set_group_address(Ipv4Addr::new(239, data[1], data[2], data[3]));
    m.set_s_flag(data[1] & 1 == 1);
    m.set_qrv(data[2]);
    m.set_qqic(data[3]);
    assert_eq!(m.kind(), kind, "a setter changed the message kind");
    assert!(
        !ok || m.verify_checksum().is_ok(),
        "a setter broke the checksum"
    );
    m.fill_checksum();
    assert!(
        m.verify_checksum().is_ok(),
        "fill_checksum gives a checksum that does not verify"
    );
    m.set_checksum(0);
    assert_eq!(m.checksum(), 0);
});
