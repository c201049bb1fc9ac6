//! Ports and queues.

use super::*;

// ---------------------------------------------------------------------------------------------
// Ports, queues
// ---------------------------------------------------------------------------------------------

pub(super) fn port_to(port: &Port) -> Value {
    cls(
        "OFPPort",
        [
            ("advertised", n(port.advertised.0)),
            ("config", n(port.config.0)),
            ("curr", n(port.curr.0)),
            ("curr_speed", n(port.curr_speed)),
            ("hw_addr", mac_text(&port.hw_addr)),
            ("max_speed", n(port.max_speed)),
            ("name", name_text(&port.name, false)),
            ("peer", n(port.peer.0)),
            ("port_no", n(port.port_no.0)),
            ("state", n(port.state.0)),
            ("supported", n(port.supported.0)),
        ],
    )
}

pub(super) fn port_from(v: &Value, p: &P<'_>) -> R<Port> {
    let o = expect_class(v, p, "OFPPort")?;
    Ok(Port {
        port_no: PortNo(o.u32("port_no")?),
        hw_addr: mac_of(o.get("hw_addr")?, &o.p.k("hw_addr"))?,
        name: name_of(o.get("name")?, &o.p.k("name"))?,
        config: PortConfig(o.u32("config")?),
        state: PortState(o.u32("state")?),
        curr: PortFeatures(o.u32("curr")?),
        advertised: PortFeatures(o.u32("advertised")?),
        supported: PortFeatures(o.u32("supported")?),
        peer: PortFeatures(o.u32("peer")?),
        curr_speed: o.u32("curr_speed")?,
        max_speed: o.u32("max_speed")?,
    })
}

pub(super) fn queue_prop_to(q: &QueueProp) -> Value {
    let len = nu(q.encoded_len());
    match q {
        QueueProp::MinRate { rate } => cls(
            "OFPQueuePropMinRate",
            [("len", len), ("property", n(1u8)), ("rate", n(*rate))],
        ),
        QueueProp::MaxRate { rate } => cls(
            "OFPQueuePropMaxRate",
            [("len", len), ("property", n(2u8)), ("rate", n(*rate))],
        ),
        QueueProp::Experimenter { experimenter, data } => cls(
            "OFPQueuePropExperimenter",
            [
                ("data", bytes_list(data)),
                ("experimenter", n(*experimenter)),
                ("len", len),
                ("property", n(0xffffu16)),
            ],
        ),
        QueueProp::Unknown { property, data } => cls(
            "OFPQueuePropUnknown",
            [
                ("data", b64v(data)),
                ("len", len),
                ("property", n(*property)),
            ],
        ),
    }
}

pub(super) fn queue_prop_from(v: &Value, p: &P<'_>) -> R<QueueProp> {
    let (name, m) = class_of(v, p)?;
    let o = O { m, p: p.k(name) };
    let q = match name {
        "OFPQueuePropMinRate" => QueueProp::MinRate {
            rate: o.u16("rate")?,
        },
        "OFPQueuePropMaxRate" => QueueProp::MaxRate {
            rate: o.u16("rate")?,
        },
        "OFPQueuePropExperimenter" => QueueProp::Experimenter {
            experimenter: o.u32("experimenter")?,
            data: match o.opt("data") {
                Some(d) => bytes(d, &o.p.k("data"))?,
                None => Vec::new(),
            },
        },
        "OFPQueuePropUnknown" => QueueProp::Unknown {
            property: o.u16("property")?,
            data: o.bytes("data")?,
        },
        other => return Err(p.err(format!("unknown queue property class {other}"))),
    };
    let property = match &q {
        QueueProp::MinRate { .. } => 1,
        QueueProp::MaxRate { .. } => 2,
        QueueProp::Experimenter { .. } => 0xffff,
        QueueProp::Unknown { property, .. } => *property,
    };
    o.check("property", u64::from(property))?;
    Ok(q)
}

pub(super) fn queue_to(q: &PacketQueue) -> Value {
    cls(
        "OFPPacketQueue",
        [
            ("len", nu(q.encoded_len())),
            ("port", n(q.port.0)),
            ("properties", list(&q.properties, queue_prop_to)),
            ("queue_id", n(q.queue_id)),
        ],
    )
}

pub(super) fn queue_from(v: &Value, p: &P<'_>) -> R<PacketQueue> {
    let o = expect_class(v, p, "OFPPacketQueue")?;
    Ok(PacketQueue {
        queue_id: o.u32("queue_id")?,
        port: PortNo(o.u32("port")?),
        properties: from_list(&o, "properties", queue_prop_from)?,
    })
}
