use alloc::vec::Vec;

use proptest::prelude::*;

use super::*;

fn arb_bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..max)
}

fn arb_instruction_id() -> impl Strategy<Value = InstructionId> {
    prop_oneof![
        (1u16..7).prop_map(|t| InstructionId::new(InstructionType(t))),
        any::<u32>().prop_map(InstructionId::experimenter),
        (any::<u16>(), arb_bytes(8)).prop_map(|(t, data)| InstructionId {
            type_: InstructionType(t),
            data
        }),
    ]
}

fn arb_action_id() -> impl Strategy<Value = ActionId> {
    prop_oneof![
        (0u16..28).prop_map(|t| ActionId::new(ActionType(t))),
        any::<u32>().prop_map(ActionId::experimenter),
        (any::<u16>(), arb_bytes(8)).prop_map(|(t, data)| ActionId {
            type_: ActionType(t),
            data
        }),
    ]
}

fn arb_oxm_id() -> impl Strategy<Value = OxmId> {
    prop_oneof![
        (0u8..45).prop_map(OxmId::basic),
        any::<u32>()
            .prop_filter("not experimenter", |h| OxmHeader(*h).class() != 0xffff)
            .prop_map(|h| OxmId::new(OxmHeader(h))),
        (0u8..128, any::<bool>(), any::<u8>(), any::<u32>())
            .prop_map(|(f, m, l, e)| OxmId::experimenter(f, m, l, e)),
    ]
}

/// Any property this codec encodes.
pub(crate) fn arb_prop() -> impl Strategy<Value = TableFeatureProp> {
    let oxms = || proptest::collection::vec(arb_oxm_id(), 0..6);
    prop_oneof![
        (
            any::<bool>(),
            proptest::collection::vec(arb_instruction_id(), 0..6)
        )
            .prop_map(|(miss, ids)| TableFeatureProp::Instructions { miss, ids }),
        (any::<bool>(), arb_bytes(12)).prop_map(|(miss, t)| TableFeatureProp::NextTables {
            miss,
            table_ids: t.into_iter().map(TableId).collect()
        }),
        (
            any::<bool>(),
            proptest::collection::vec(arb_action_id(), 0..6)
        )
            .prop_map(|(miss, ids)| TableFeatureProp::WriteActions { miss, ids }),
        (
            any::<bool>(),
            proptest::collection::vec(arb_action_id(), 0..6)
        )
            .prop_map(|(miss, ids)| TableFeatureProp::ApplyActions { miss, ids }),
        oxms().prop_map(TableFeatureProp::Match),
        oxms().prop_map(TableFeatureProp::Wildcards),
        (any::<bool>(), oxms())
            .prop_map(|(miss, ids)| TableFeatureProp::WriteSetfield { miss, ids }),
        (any::<bool>(), oxms())
            .prop_map(|(miss, ids)| TableFeatureProp::ApplySetfield { miss, ids }),
        (any::<bool>(), any::<u32>(), any::<u32>(), arb_bytes(13)).prop_map(
            |(miss, experimenter, exp_type, data)| TableFeatureProp::Experimenter {
                miss,
                experimenter,
                exp_type,
                data
            }
        ),
        (
            any::<u16>().prop_filter("unknown", |t| TableFeaturePropType(*t).name().is_none()),
            arb_bytes(13)
        )
            .prop_map(|(t, data)| TableFeatureProp::Unknown {
                type_: TableFeaturePropType(t),
                data
            }),
    ]
}

/// Any table features entry this codec encodes.
pub(crate) fn arb_table_features() -> impl Strategy<Value = TableFeatures> {
    (
        any::<u8>(),
        proptest::collection::vec(any::<u8>(), MAX_TABLE_NAME_LEN),
        any::<u64>(),
        any::<u64>(),
        any::<u32>(),
        any::<u32>(),
        proptest::collection::vec(arb_prop(), 0..5),
    )
        .prop_map(|(t, name, mm, mw, config, max_entries, properties)| {
            let mut n = [0u8; MAX_TABLE_NAME_LEN];
            n.copy_from_slice(&name);
            TableFeatures {
                table_id: TableId(t),
                name: n,
                metadata_match: mm,
                metadata_write: mw,
                config: TableConfig(config),
                max_entries,
                properties,
            }
        })
}
