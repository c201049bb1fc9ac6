//! Instructions, buckets and meter bands.

use super::*;

json_struct! {
    bucket_to, bucket_from: Bucket "OFPBucket" {
        "actions" => actions,
        "watch_group" => watch_group,
        "watch_port" => watch_port,
        "weight" => weight
        ; computed "len" => |s| nu(s.encoded_len())
    }
}

// ---------------------------------------------------------------------------------------------
// Instructions, buckets, meter bands
// ---------------------------------------------------------------------------------------------

pub(super) fn instruction_to(i: &Instruction) -> Value {
    let len = nu(i.encoded_len());
    let t = n(i.instruction_type().0);
    match i {
        Instruction::GotoTable(table) => cls(
            "OFPInstructionGotoTable",
            [("len", len), ("table_id", n(table.0)), ("type", t)],
        ),
        Instruction::WriteMetadata { metadata, mask } => cls(
            "OFPInstructionWriteMetadata",
            [
                ("len", len),
                ("metadata", n(*metadata)),
                ("metadata_mask", n(*mask)),
                ("type", t),
            ],
        ),
        Instruction::WriteActions(a) | Instruction::ApplyActions(a) => cls(
            "OFPInstructionActions",
            [("actions", list(a, action_to)), ("len", len), ("type", t)],
        ),
        Instruction::ClearActions => cls(
            "OFPInstructionActions",
            [
                ("actions", Value::Array(Vec::new())),
                ("len", len),
                ("type", t),
            ],
        ),
        Instruction::Meter(m) => cls(
            "OFPInstructionMeter",
            [("len", len), ("meter_id", n(m.0)), ("type", t)],
        ),
        Instruction::Experimenter { experimenter, data } => cls(
            "OFPInstructionExperimenter",
            [
                ("data", b64v(data)),
                ("experimenter", n(*experimenter)),
                ("len", len),
                ("type", t),
            ],
        ),
        Instruction::Unknown { data, .. } => cls(
            "OFPInstructionUnknown",
            [("data", b64v(data)), ("len", len), ("type", t)],
        ),
    }
}

pub(super) fn instruction_from(v: &Value, p: &P<'_>) -> R<Instruction> {
    let (name, m) = class_of(v, p)?;
    let o = O { m, p: p.k(name) };
    let i = match name {
        "OFPInstructionGotoTable" => Instruction::GotoTable(TableId(o.u8("table_id")?)),
        "OFPInstructionWriteMetadata" => Instruction::WriteMetadata {
            metadata: o.u64("metadata")?,
            mask: o.u64("metadata_mask")?,
        },
        "OFPInstructionActions" => {
            let actions = from_list(&o, "actions", action_from)?;
            match InstructionType(o.u16("type")?) {
                InstructionType::WRITE_ACTIONS => Instruction::WriteActions(actions.into()),
                InstructionType::APPLY_ACTIONS => Instruction::ApplyActions(actions.into()),
                InstructionType::CLEAR_ACTIONS if actions.is_empty() => Instruction::ClearActions,
                InstructionType::CLEAR_ACTIONS => {
                    return Err(o.p.k("actions").err("OFPIT_CLEAR_ACTIONS has no actions"))
                }
                _ => return Err(o.p.k("type").err("expected 3, 4 or 5")),
            }
        }
        "OFPInstructionMeter" => Instruction::Meter(MeterId(o.u32("meter_id")?)),
        "OFPInstructionExperimenter" => Instruction::Experimenter {
            experimenter: o.u32("experimenter")?,
            data: o.bytes("data")?,
        },
        "OFPInstructionUnknown" => Instruction::Unknown {
            type_: InstructionType(o.u16("type")?),
            data: o.bytes("data")?,
        },
        other => return Err(p.err(format!("unknown instruction class {other}"))),
    };
    o.check("type", u64::from(i.instruction_type().0))?;
    Ok(i)
}

pub(super) fn band_to(b: &MeterBand) -> Value {
    let len = nu(b.encoded_len());
    match b {
        MeterBand::Drop { rate, burst_size } => cls(
            "OFPMeterBandDrop",
            [
                ("burst_size", n(*burst_size)),
                ("len", len),
                ("rate", n(*rate)),
                ("type", n(MeterBandType::DROP.0)),
            ],
        ),
        MeterBand::DscpRemark {
            rate,
            burst_size,
            prec_level,
        } => cls(
            "OFPMeterBandDscpRemark",
            [
                ("burst_size", n(*burst_size)),
                ("len", len),
                ("prec_level", n(*prec_level)),
                ("rate", n(*rate)),
                ("type", n(MeterBandType::DSCP_REMARK.0)),
            ],
        ),
        MeterBand::Experimenter {
            rate,
            burst_size,
            experimenter,
            data,
        } => {
            let mut v = cls(
                "OFPMeterBandExperimenter",
                [
                    ("burst_size", n(*burst_size)),
                    ("experimenter", n(*experimenter)),
                    ("len", len),
                    ("rate", n(*rate)),
                    ("type", n(MeterBandType::EXPERIMENTER.0)),
                ],
            );
            if !data.is_empty() {
                add(&mut v, "data", b64v(data));
            }
            v
        }
        MeterBand::Unknown {
            type_,
            rate,
            burst_size,
            data,
        } => cls(
            "OFPMeterBandUnknown",
            [
                ("burst_size", n(*burst_size)),
                ("data", b64v(data)),
                ("len", len),
                ("rate", n(*rate)),
                ("type", n(type_.0)),
            ],
        ),
    }
}

pub(super) fn band_from(v: &Value, p: &P<'_>) -> R<MeterBand> {
    let (name, m) = class_of(v, p)?;
    let o = O { m, p: p.k(name) };
    let rate = o.u32("rate")?;
    let burst_size = o.u32("burst_size")?;
    let b = match name {
        "OFPMeterBandDrop" => MeterBand::Drop { rate, burst_size },
        "OFPMeterBandDscpRemark" => MeterBand::DscpRemark {
            rate,
            burst_size,
            prec_level: o.u8("prec_level")?,
        },
        "OFPMeterBandExperimenter" => MeterBand::Experimenter {
            rate,
            burst_size,
            experimenter: o.u32("experimenter")?,
            data: match o.opt("data") {
                Some(d) => bytes(d, &o.p.k("data"))?,
                None => Vec::new(),
            },
        },
        "OFPMeterBandUnknown" => MeterBand::Unknown {
            type_: MeterBandType(o.u16("type")?),
            rate,
            burst_size,
            data: o.bytes("data")?,
        },
        other => return Err(p.err(format!("unknown meter band class {other}"))),
    };
    o.check("type", u64::from(b.band_type().0))?;
    Ok(b)
}
