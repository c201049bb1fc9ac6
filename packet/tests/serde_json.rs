//! The `serde` feature: layers serialize in the shape of Ryu's `to_jsondict()`
//! (`{"ipv4": {"src": "10.0.0.1", ...}}`) and come back equal.
#![cfg(feature = "serde")]

use sdnwire_packet::Encode;
use sdnwire_packet::Packet;

#[test]
fn ping_json_shape_and_round_trip() {
    let frame = std::fs::read(format!(
        "{}/testdata/ping_echo_request.bin",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let pkt = Packet::parse(&frame).unwrap();
    let json = serde_json::to_value(&pkt).unwrap();
    let layers = json["layers"].as_array().unwrap();
    assert_eq!(layers[0]["ethernet"]["src"], "00:00:00:00:00:01");
    assert_eq!(layers[0]["ethernet"]["ethertype"], 2048);
    assert_eq!(layers[1]["ipv4"]["src"], "10.0.0.1");
    assert_eq!(layers[1]["ipv4"]["total_length"], 84);
    assert_eq!(layers[1]["ipv4"]["header_length"], 5);
    assert_eq!(layers[2]["icmp"]["type"], 8);
    assert_eq!(layers[2]["icmp"]["data"]["echo"]["seq"], 1);
    let back: Packet = serde_json::from_value(json).unwrap();
    assert_eq!(back, pkt);
    assert_eq!(back.to_vec().unwrap(), frame);
}

#[test]
fn every_fixture_survives_json() {
    let dir = format!("{}/testdata", env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("bin") {
            continue;
        }
        let frame = std::fs::read(&path).unwrap();
        let pkt = Packet::parse(&frame).unwrap();
        let text = serde_json::to_string(&pkt).unwrap();
        let back: Packet = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: {e}\n{text}", path.display()));
        assert_eq!(back.to_vec().unwrap(), frame, "{}", path.display());
    }
}
