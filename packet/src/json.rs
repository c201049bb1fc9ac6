//! The JSON of a [`Packet`](crate::Packet)'s layers (feature `serde`): os-ken's
//! `to_jsondict()`, one object per layer keyed by os-ken's class name. An 802.1ad S-tag (TPID
//! 0x88a8) is keyed `svlan` and an 802.1Q C-tag `vlan`, as os-ken names them (its `vlan.py`,
//! classes `svlan` and `vlan`); both read back, each with the TPID its key implies (see
//! [`Vlan`]).

use alloc::boxed::Box;
use serde::{Deserialize, Serialize, Serializer};

use crate::arp::Arp;
use crate::ethernet::{EtherType, Ethernet, Vlan, VlanJson};
use crate::icmp::Icmp;
use crate::icmpv6::Icmpv6;
use crate::igmp::Igmp;
use crate::ipv4::Ipv4;
use crate::ipv6::Ipv6;
use crate::lldp::Lldp;
use crate::slow::{Lacp, Marker};
use crate::stack::Layer;
use crate::tcp::Tcp;
use crate::udp::Udp;

const NAME: &str = "Layer";

/// Writes `layer` as `{"<os-ken class name>": {...}}`: `svlan` for a tag whose TPID is 0x88a8.
pub(crate) fn serialize_layer<S: Serializer>(layer: &Layer, s: S) -> Result<S::Ok, S::Error> {
    match layer {
        Layer::Ethernet(v) => s.serialize_newtype_variant(NAME, 0, "ethernet", v),
        Layer::Vlan(v) if v.tpid == Some(EtherType::QINQ) => {
            s.serialize_newtype_variant(NAME, 13, "svlan", &VlanJson::new(v, EtherType::QINQ))
        }
        Layer::Vlan(v) => s.serialize_newtype_variant(NAME, 1, "vlan", v),
        Layer::Arp(v) => s.serialize_newtype_variant(NAME, 2, "arp", v),
        Layer::Ipv4(v) => s.serialize_newtype_variant(NAME, 3, "ipv4", v),
        Layer::Ipv6(v) => s.serialize_newtype_variant(NAME, 4, "ipv6", v),
        Layer::Icmp(v) => s.serialize_newtype_variant(NAME, 5, "icmp", v),
        Layer::Icmpv6(v) => s.serialize_newtype_variant(NAME, 6, "icmpv6", v),
        Layer::Igmp(v) => s.serialize_newtype_variant(NAME, 7, "igmp", v),
        Layer::Udp(v) => s.serialize_newtype_variant(NAME, 8, "udp", v),
        Layer::Tcp(v) => s.serialize_newtype_variant(NAME, 9, "tcp", v),
        Layer::Lacp(v) => s.serialize_newtype_variant(NAME, 10, "lacp", v),
        Layer::Marker(v) => s.serialize_newtype_variant(NAME, 11, "marker", v),
        Layer::Lldp(v) => s.serialize_newtype_variant(NAME, 12, "lldp", v),
    }
}

/// What a layer's JSON reads as: [`Layer`]'s variants under their lowercase names, in
/// [`Layer`]'s order (formats that write a variant's index read back the same layer), then
/// `svlan` (index 13, as [`serialize_layer`] writes it).
#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum LayerJson {
    Ethernet(Ethernet),
    Vlan(Vlan),
    Arp(Arp),
    Ipv4(Ipv4),
    Ipv6(Ipv6),
    Icmp(Icmp),
    Icmpv6(Icmpv6),
    Igmp(Igmp),
    Udp(Udp),
    Tcp(Tcp),
    Lacp(Lacp),
    Marker(Marker),
    Lldp(Lldp),
    Svlan(VlanJson),
}

impl From<LayerJson> for Layer {
    fn from(j: LayerJson) -> Self {
        match j {
            LayerJson::Ethernet(v) => Layer::Ethernet(v),
            LayerJson::Vlan(v) => Layer::Vlan(v),
            LayerJson::Svlan(v) => Layer::Vlan(v.into_vlan(EtherType::QINQ)),
            LayerJson::Arp(v) => Layer::Arp(v),
            LayerJson::Ipv4(v) => Layer::Ipv4(v),
            LayerJson::Ipv6(v) => Layer::Ipv6(v),
            LayerJson::Icmp(v) => Layer::Icmp(v),
            LayerJson::Icmpv6(v) => Layer::Icmpv6(v),
            LayerJson::Igmp(v) => Layer::Igmp(v),
            LayerJson::Udp(v) => Layer::Udp(v),
            LayerJson::Tcp(v) => Layer::Tcp(v),
            LayerJson::Lacp(v) => Layer::Lacp(Box::new(v)),
            LayerJson::Marker(v) => Layer::Marker(Box::new(v)),
            LayerJson::Lldp(v) => Layer::Lldp(v),
        }
    }
}

impl Serialize for Layer {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_layer(self, s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Encode, Packet};
    use alloc::vec::Vec;
    use serde_json::{json, Value};

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// A QinQ frame (S-tag 100 over C-tag 10, IPv4/UDP) built by os-ken 4.2.2, and what its
    /// `to_jsondict()` gave for the two tags.
    const QINQ: &str = "ffffffffffff00000000000088a800648100600a08004500001c00000000ff11a7ce0a0000010a000002000100010008ebd900000000000000000000";

    fn os_ken_tags() -> [Value; 2] {
        [
            json!({"svlan": {"cfi": 0, "ethertype": 33024, "pcp": 0, "vid": 100}}),
            json!({"vlan": {"cfi": 0, "ethertype": 2048, "pcp": 3, "vid": 10}}),
        ]
    }

    fn layer_of(v: Value) -> Layer {
        serde_json::from_value::<Layer>(v).unwrap()
    }

    /// Our tags write what os-ken writes: `svlan` for the S-tag, `vlan` for the C-tag, `cfi`
    /// as a number, no `tpid` where the key says it.
    #[test]
    fn tags_write_as_os_ken() {
        let pkt = Packet::parse(&hex(QINQ)).unwrap();
        let tags: Vec<Value> = pkt
            .layers
            .iter()
            .filter(|l| matches!(l, Layer::Vlan(_)))
            .map(|l| serde_json::to_value(l).unwrap())
            .collect();
        assert_eq!(tags, os_ken_tags());
    }

    /// os-ken's JSON reads back to the tags of the frame (TPIDs from the keys), and the frame
    /// rebuilt from them is the same bytes.
    #[test]
    fn os_ken_tags_read_back() {
        let frame = hex(QINQ);
        let mut pkt = Packet::parse(&frame).unwrap();
        let [s, c] = os_ken_tags().map(layer_of);
        assert_eq!(s, pkt.layers[1]);
        assert_eq!(c, pkt.layers[2]);
        let Layer::Vlan(sv) = &s else { panic!() };
        assert_eq!(sv.tpid, Some(EtherType::QINQ));
        // With the TPIDs left to come from the tags alone, the frame is the same.
        pkt.layers[1] = s;
        pkt.layers[2] = c;
        if let Layer::Ethernet(e) = &mut pkt.layers[0] {
            e.ethertype = None;
        }
        assert_eq!(pkt.to_vec().unwrap(), frame);
    }

    /// Every TPID survives: implied ones are left out, others written, an unset one is `null`;
    /// `cfi` reads as a number or a boolean.
    #[test]
    fn every_tpid_round_trips() {
        for tpid in [
            None,
            Some(EtherType::VLAN),
            Some(EtherType::QINQ),
            Some(EtherType::QINQ_OLD),
        ] {
            let l = Layer::Vlan(Vlan {
                tpid,
                cfi: true,
                ..Vlan::new(7)
            });
            let v = serde_json::to_value(&l).unwrap();
            let key = if tpid == Some(EtherType::QINQ) {
                "svlan"
            } else {
                "vlan"
            };
            let body = &v[key];
            assert_eq!(body["cfi"], 1, "{v}");
            match tpid {
                Some(EtherType::VLAN | EtherType::QINQ) => assert!(body.get("tpid").is_none()),
                None => assert_eq!(body["tpid"], Value::Null),
                Some(t) => assert_eq!(body["tpid"], t.0),
            }
            assert_eq!(layer_of(v), l);
        }
        let b = layer_of(json!({"vlan": {"cfi": true, "ethertype": null, "pcp": 1, "vid": 2}}));
        let Layer::Vlan(b) = b else { panic!() };
        assert!(b.cfi);
        assert_eq!(b.tpid, Some(EtherType::VLAN));
        assert!(serde_json::from_value::<LayerJson>(
            json!({"vlan": {"cfi": 2, "ethertype": null, "pcp": 1, "vid": 2}})
        )
        .is_err());
    }
}
