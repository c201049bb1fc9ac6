//! Ports and queues.

use super::*;

attr_fns! {
    QueueProp: queue_prop_to, queue_prop_from;
}

json_struct! {
    queue_to, queue_from: PacketQueue "OFPPacketQueue" {
        "port" => port,
        "properties" => properties,
        "queue_id" => queue_id
        ; computed "len" => |s| nu(s.encoded_len())
    }

    port_to, port_from: Port "OFPPort" {
        "advertised" => advertised,
        "config" => config,
        "curr" => curr,
        "curr_speed" => curr_speed,
        "hw_addr" => hw_addr as Mac,
        "max_speed" => max_speed,
        "name" => name as Name,
        "peer" => peer,
        "port_no" => port_no,
        "state" => state,
        "supported" => supported,
    }
}

// ---------------------------------------------------------------------------------------------
// Ports, queues
// ---------------------------------------------------------------------------------------------

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
