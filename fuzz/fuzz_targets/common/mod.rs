//! Checks shared by the fuzz targets.
#![allow(dead_code)]

use sdnwire_packet::{EmitContext, Protocol};

/// The exact round trip every owned type promises: if `T::parse` accepted `data`, emitting the
/// parsed value writes back `data[..header_len]`, byte for byte, and never fails.
///
/// The header region is zeroed before the emit, so a byte the emitter forgets to write shows.
pub fn owned_round_trip<T: Protocol>(data: &[u8], parsed: sdnwire_packet::Result<T>) {
    let Ok(v) = parsed else { return };
    let hl = v.header_len();
    assert!(
        hl <= data.len(),
        "{}: header_len {hl} > input {}",
        T::KIND,
        data.len()
    );
    let mut buf = data.to_vec();
    buf[..hl].fill(0);
    if let Err(e) = v.emit(&mut buf, &EmitContext::default()) {
        panic!(
            "{}: a parsed value does not emit: {e}\nvalue: {v:?}",
            T::KIND
        );
    }
    assert_eq!(
        &buf[..hl],
        &data[..hl],
        "{}: emit(parse(x)) differs from x\nvalue: {v:?}",
        T::KIND
    );
    // Display must not panic either.
    std::hint::black_box(v.to_string());
}

/// Consumes an iterator of results, returning how many items were `Ok` and whether one was an
/// error (after which the iterator must stop).
pub fn drain<T, E>(
    it: impl Iterator<Item = Result<T, E>>,
    mut each: impl FnMut(T),
) -> (usize, bool) {
    let mut n = 0;
    let mut it = it;
    while let Some(r) = it.next() {
        match r {
            Ok(v) => {
                each(v);
                n += 1;
            }
            Err(_) => {
                assert!(
                    it.next().is_none(),
                    "an iterator went on after yielding an error"
                );
                return (n, true);
            }
        }
        assert!(n <= 1 << 20, "an iterator does not end");
    }
    (n, false)
}

/// An IPv4 pseudo-header address pair from the first 8 bytes of `data`, and the rest.
pub fn split_v4_pair(data: &[u8]) -> Option<(sdnwire_packet::IpPair, &[u8])> {
    let (a, rest) = data.split_first_chunk::<8>()?;
    let src = std::net::Ipv4Addr::new(a[0], a[1], a[2], a[3]);
    let dst = std::net::Ipv4Addr::new(a[4], a[5], a[6], a[7]);
    Some((sdnwire_packet::IpPair::V4(src, dst), rest))
}
