//! TABLE_FEATURES requests and replies as `ovs-ofctl ofp-print` prints them.
//!
//! Open vSwitch does not print the properties as they come: it first reads each table into
//! its own model (instructions as its instruction set, actions as the actions it implements,
//! fields as its field ids, the `_MISS` properties defaulting to the others), ignoring what
//! it does not know, then prints that model: one block per table, `ditto` for a table equal
//! to the one before (a run of unnamed ones as `tables 1...11: ditto`), `(same ...)` for
//! parts equal to the previous table's, and field lists in its abbreviated form
//! (`tun_{id,src,dst}`, `reg0...reg15`).

use alloc::string::String;
use core::fmt::{self, Write as _};

use crate::ofctl::ovs_fields::{field_id, N_FIELDS, OVS_FIELDS};
use crate::table_features::{OxmId, TableFeatureProp, TableFeatures, MAX_TABLE_NAME_LEN};

use super::OVS_ACTION_ORDER;

/// A set of Open vSwitch field ids.
#[derive(Clone, Copy, PartialEq, Eq, Default, Debug)]
struct FieldSet([u64; 3]);

const _: () = assert!(N_FIELDS <= 3 * 64, "FieldSet holds every field id");

impl FieldSet {
    fn set(&mut self, id: usize) {
        if let Some(w) = self.0.get_mut(id / 64) {
            *w |= 1 << (id % 64);
        }
    }
    fn has(&self, id: usize) -> bool {
        self.0
            .get(id / 64)
            .is_some_and(|w| w & (1 << (id % 64)) != 0)
    }
    fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }
    fn zip(self, o: FieldSet, op: impl Fn(u64, u64) -> u64) -> FieldSet {
        let [a, b, c] = self.0;
        let [x, y, z] = o.0;
        FieldSet([op(a, x), op(b, y), op(c, z)])
    }
    fn and(self, o: FieldSet) -> FieldSet {
        self.zip(o, |a, b| a & b)
    }
    fn or(self, o: FieldSet) -> FieldSet {
        self.zip(o, |a, b| a | b)
    }
    fn not(self) -> FieldSet {
        self.zip(self, |a, _| !a)
    }
}

/// The actions of a write- or apply-actions instruction: OVS's actions (bits of
/// [`OVS_ACTION_ORDER`]) and the fields set-field may set.
#[derive(Clone, Copy, PartialEq, Eq, Default, Debug)]
struct ActionFeatures {
    actions: u16,
    set_fields: FieldSet,
}

impl ActionFeatures {
    fn is_empty(&self) -> bool {
        self.actions == 0 && self.set_fields.is_empty()
    }
}

/// What a table can do with its flows (or with its table-miss flow).
#[derive(Clone, Copy, PartialEq, Eq, Default, Debug)]
struct InstructionFeatures {
    /// The tables goto-table may go to (bit per table 0 to 254).
    next: [u64; 4],
    /// OVS's instructions, bits in its order (meter, apply_actions, clear_actions,
    /// write_actions, write_metadata, goto_table).
    instructions: u8,
    write: ActionFeatures,
    apply: ActionFeatures,
}

/// Instruction names by OVS's instruction bit, and the OpenFlow 1.3 instruction type of each.
const INSTRUCTIONS: [(u16, &str); 6] = [
    (6, "meter"),
    (4, "apply_actions"),
    (5, "clear_actions"),
    (3, "write_actions"),
    (2, "write_metadata"),
    (1, "goto_table"),
];

fn next_has(next: &[u64; 4], t: usize) -> bool {
    next.get(t / 64).is_some_and(|w| w & (1 << (t % 64)) != 0)
}

impl InstructionFeatures {
    fn is_empty(&self) -> bool {
        self.next == [0; 4]
            && self.instructions == 0
            && self.write.is_empty()
            && self.apply.is_empty()
    }
}

/// Next tables of tables `a_id` and `b_id` compare equal when they differ only in the table
/// right after the first one: a table may only go to later tables, so table 1 cannot list
/// itself where table 0 lists it (OVS's rule, which makes runs of tables `ditto`).
fn next_equal(a: &[u64; 4], a_id: u8, b: &[u64; 4], b_id: u8) -> bool {
    if usize::from(b_id) == usize::from(a_id) + 1
        && next_has(a, b_id.into())
        && !next_has(b, b_id.into())
    {
        let b_id = usize::from(b_id);
        let mut a = *a;
        if let Some(w) = a.get_mut(b_id / 64) {
            *w &= !(1 << (b_id % 64));
        }
        a == *b
    } else if usize::from(a_id) == usize::from(b_id) + 1 {
        next_equal(b, b_id, a, a_id)
    } else {
        a == b
    }
}

fn instructions_equal(
    a: &InstructionFeatures,
    a_id: u8,
    b: &InstructionFeatures,
    b_id: u8,
) -> bool {
    next_equal(&a.next, a_id, &b.next, b_id)
        && a.instructions == b.instructions
        && a.write == b.write
        && a.apply == b.apply
}

/// One table as Open vSwitch reads it.
#[derive(Clone, Debug)]
struct Table {
    table_id: u8,
    name: String,
    metadata_match: u64,
    metadata_write: u64,
    max_entries: u32,
    nonmiss: InstructionFeatures,
    miss: InstructionFeatures,
    matching: FieldSet,
    mask: FieldSet,
    wildcard: FieldSet,
}

impl Table {
    fn features_equal(&self, b: &Table) -> bool {
        self.metadata_match == b.metadata_match
            && self.metadata_write == b.metadata_write
            && self.max_entries == b.max_entries
            && instructions_equal(&self.nonmiss, self.table_id, &b.nonmiss, b.table_id)
            && instructions_equal(&self.miss, self.table_id, &b.miss, b.table_id)
            && self.matching == b.matching
    }
}

/// The property types OpenFlow 1.3 requires in every table (instructions, next tables,
/// write and apply actions, match, wildcards, write and apply set-field).
const REQUIRED: u32 =
    (1 << 0) | (1 << 2) | (1 << 4) | (1 << 6) | (1 << 8) | (1 << 10) | (1 << 12) | (1 << 14);

/// Reads OXM IDs into exact and masked field sets; `Err` as OVS reports it.
fn oxms(ids: &[OxmId], masked_ok: bool) -> Result<(FieldSet, FieldSet), &'static str> {
    let mut exact = FieldSet::default();
    let mut masked = FieldSet::default();
    for id in ids {
        let h = id.header.0;
        if id.experimenter.is_some() && h & 0xff < 4 {
            return Err("OFPBMC_BAD_LEN");
        }
        // Fields OVS does not know are left out.
        if let Some(f) = field_id(h, id.experimenter.unwrap_or(0)) {
            if h & 0x100 != 0 {
                masked.set(f);
            } else {
                exact.set(f);
            }
        }
    }
    if !masked_ok && !masked.is_empty() {
        return Err("OFPBMC_BAD_MASK");
    }
    Ok((exact, masked))
}

fn actions(ids: &[crate::table_features::ActionId]) -> u16 {
    let mut types = 0u32;
    for id in ids {
        if let Some(bit) = 1u32.checked_shl(u32::from(id.type_.0)) {
            types |= bit;
        }
    }
    let mut out = 0u16;
    for (i, (bit, _)) in OVS_ACTION_ORDER.iter().enumerate() {
        if types & (1 << bit) != 0 {
            out |= 1 << i;
        }
    }
    out
}

/// Reads one table as Open vSwitch's `ofputil_decode_table_features` does for a printout
/// (unknown properties, instructions and fields ignored); `Err` names the error it reports.
fn decode(t: &TableFeatures) -> Result<Table, &'static str> {
    if t.table_id.0 == 255 {
        return Err("OFPTFFC_BAD_TABLE");
    }
    let raw = t.name.get(..MAX_TABLE_NAME_LEN - 1).unwrap_or_default();
    let end = raw.iter().position(|&b| b == 0).unwrap_or(raw.len());
    let name = String::from_utf8_lossy(raw.get(..end).unwrap_or_default());
    let mut tf = Table {
        table_id: t.table_id.0,
        name: name.into_owned(),
        metadata_match: t.metadata_match,
        metadata_write: t.metadata_write,
        max_entries: t.max_entries,
        nonmiss: InstructionFeatures::default(),
        miss: InstructionFeatures::default(),
        matching: FieldSet::default(),
        mask: FieldSet::default(),
        wildcard: FieldSet::default(),
    };
    let mut seen = 0u32;
    for p in &t.properties {
        let ty = p.prop_type().0;
        if ty < 32 {
            if seen & (1 << ty) != 0 {
                return Err("OFPTFFC_BAD_FEATURES");
            }
            seen |= 1 << ty;
        }
        match p {
            TableFeatureProp::Instructions { miss, ids } => {
                let mut bits = 0u8;
                for id in ids {
                    if let Some(i) = INSTRUCTIONS.iter().position(|(ty, _)| *ty == id.type_.0) {
                        bits |= 1 << i;
                    }
                }
                side(&mut tf, *miss).instructions = bits;
            }
            TableFeatureProp::NextTables { miss, table_ids } => {
                let mut next = [0u64; 4];
                for t in table_ids {
                    let t = usize::from(t.0);
                    if t == 255 {
                        return Err("OFPBPC_BAD_VALUE");
                    }
                    if let Some(w) = next.get_mut(t / 64) {
                        *w |= 1 << (t % 64);
                    }
                }
                side(&mut tf, *miss).next = next;
            }
            TableFeatureProp::WriteActions { miss, ids } => {
                side(&mut tf, *miss).write.actions = actions(ids);
            }
            TableFeatureProp::ApplyActions { miss, ids } => {
                side(&mut tf, *miss).apply.actions = actions(ids);
            }
            TableFeatureProp::Match(ids) => {
                (tf.matching, tf.mask) = oxms(ids, true)?;
            }
            TableFeatureProp::Wildcards(ids) => tf.wildcard = oxms(ids, false)?.0,
            TableFeatureProp::WriteSetfield { miss, ids } => {
                side(&mut tf, *miss).write.set_fields = oxms(ids, false)?.0;
            }
            TableFeatureProp::ApplySetfield { miss, ids } => {
                side(&mut tf, *miss).apply.set_fields = oxms(ids, false)?.0;
            }
            _ => {}
        }
    }
    if seen & REQUIRED != REQUIRED {
        return Err("OFPTFFC_BAD_FEATURES");
    }
    // The table-miss properties default to the others.
    let seen_miss = |ty: u32| seen & (1 << ty) != 0;
    if !seen_miss(1) {
        tf.miss.instructions = tf.nonmiss.instructions;
    }
    if !seen_miss(3) {
        tf.miss.next = tf.nonmiss.next;
    }
    if !seen_miss(5) {
        tf.miss.write.actions = tf.nonmiss.write.actions;
    }
    if !seen_miss(7) {
        tf.miss.apply.actions = tf.nonmiss.apply.actions;
    }
    if !seen_miss(13) {
        tf.miss.write.set_fields = tf.nonmiss.write.set_fields;
    }
    if !seen_miss(15) {
        tf.miss.apply.set_fields = tf.nonmiss.apply.set_fields;
    }
    // Maskable fields are matchable and can be wildcarded; only matchable fields can be.
    tf.matching = tf.matching.or(tf.mask);
    tf.wildcard = tf.wildcard.or(tf.mask).and(tf.matching);
    Ok(tf)
}

fn side(tf: &mut Table, miss: bool) -> &mut InstructionFeatures {
    if miss {
        &mut tf.miss
    } else {
        &mut tf.nonmiss
    }
}

/// The tables of a TABLE_FEATURES request or reply; `Some(error)` where ofp-print stops
/// with a decode error (what it printed before stays).
pub(super) fn table_features(
    s: &mut String,
    tables: &[TableFeatures],
) -> Result<Option<&'static str>, fmt::Error> {
    let mut ditto: Option<(u8, u8)> = None;
    let mut prev: Option<Table> = None;
    for t in tables {
        let tf = match decode(t) {
            Ok(tf) => tf,
            Err(e) => {
                finish(s, ditto)?;
                return Ok(Some(e));
            }
        };
        table(s, &tf, prev.as_ref(), &mut ditto)?;
        prev = Some(tf);
    }
    finish(s, ditto)?;
    Ok(None)
}

/// The `ditto` line of a run of tables left out.
fn finish(s: &mut String, ditto: Option<(u8, u8)>) -> fmt::Result {
    match ditto {
        None => Ok(()),
        Some((a, b)) if a == b => write!(s, "\n  table {a}: ditto\n"),
        Some((a, b)) => write!(s, "\n  tables {a}...{b}: ditto\n"),
    }
}

/// `%#x` of C's printf: `0` for zero.
fn c_hex(v: u64) -> String {
    if v == 0 {
        "0".into()
    } else {
        alloc::format!("{v:#x}")
    }
}

fn table(
    s: &mut String,
    t: &Table,
    prev: Option<&Table>,
    ditto: &mut Option<(u8, u8)>,
) -> fmt::Result {
    let id = t.table_id;
    let same = prev.is_some_and(|p| t.features_equal(p));
    if same && t.name.is_empty() {
        *ditto = Some(ditto.map_or((id, id), |(a, _)| (a, id)));
        return Ok(());
    }
    finish(s, ditto.take())?;
    write!(s, "\n  table {id}")?;
    if !t.name.is_empty() {
        write!(s, " (\"{}\")", t.name)?;
    }
    s.push(':');
    if same {
        s.push_str(" ditto");
        return Ok(());
    }
    s.push('\n');
    if t.metadata_match != 0 || t.metadata_write != 0 {
        writeln!(
            s,
            "    metadata: match={} write={}",
            c_hex(t.metadata_match),
            c_hex(t.metadata_write)
        )?;
    }
    if t.max_entries != 0 {
        writeln!(s, "    max_entries={}", t.max_entries)?;
    }
    let prev_id = prev.map_or(0, |p| p.table_id);
    if prev.is_some_and(|p| {
        instructions_equal(&t.nonmiss, id, &p.nonmiss, prev_id)
            && instructions_equal(&t.miss, id, &p.miss, prev_id)
    }) {
        if !t.nonmiss.is_empty() {
            s.push_str("    (same instructions)\n");
        }
    } else if !instructions_equal(&t.nonmiss, id, &t.miss, id) {
        s.push_str("    instructions (other than table miss):\n");
        instruction_features(s, &t.nonmiss, prev.map(|p| &p.nonmiss))?;
        s.push_str("    instructions (table miss):\n");
        instruction_features(s, &t.miss, prev.map(|p| &p.miss))?;
    } else if !t.nonmiss.is_empty() {
        s.push_str("    instructions (table miss and others):\n");
        instruction_features(s, &t.nonmiss, prev.map(|p| &p.nonmiss))?;
    }
    if !t.matching.is_empty() {
        if prev.is_some_and(|p| p.matching == t.matching) {
            s.push_str("    (same matching)\n");
        } else {
            s.push_str("    matching:\n");
            matches(s, t, true, true, "arbitrary mask");
            matches(s, t, false, true, "exact match or wildcard");
            matches(s, t, false, false, "must exact match");
        }
    }
    Ok(())
}

fn matches(s: &mut String, t: &Table, mask: bool, wc: bool, title: &str) {
    let m = if mask { t.mask } else { t.mask.not() };
    let w = if wc { t.wildcard } else { t.wildcard.not() };
    let set = t.matching.and(m.and(w));
    if !set.is_empty() {
        s.push_str("      ");
        s.push_str(title);
        s.push(':');
        field_set(s, &set);
        s.push('\n');
    }
}

fn instruction_features(
    s: &mut String,
    tif: &InstructionFeatures,
    prev: Option<&InstructionFeatures>,
) -> fmt::Result {
    if tif.next != [0; 4] {
        s.push_str("      next tables: ");
        let mut start = 0;
        let mut first = true;
        while start < 255 {
            if !next_has(&tif.next, start) {
                start += 1;
                continue;
            }
            let mut end = start + 1;
            while end < 255 && next_has(&tif.next, end) {
                end += 1;
            }
            if !first {
                s.push(',');
            }
            first = false;
            if end == start + 1 {
                write!(s, "{start}")?;
            } else {
                write!(s, "{start}-{}", end - 1)?;
            }
            start = end;
        }
        s.push('\n');
    }
    if tif.instructions != 0 {
        if prev.is_some_and(|p| p.instructions == tif.instructions) {
            s.push_str("      (same instructions)\n");
        } else {
            s.push_str("      instructions: ");
            let names = INSTRUCTIONS
                .iter()
                .enumerate()
                .filter(|(i, _)| tif.instructions & (1 << i) != 0)
                .map(|(_, (_, n))| *n);
            join(s, names);
            s.push('\n');
        }
    }
    if prev.is_some_and(|p| {
        tif.write == p.write && tif.apply == p.apply && !tif.write.set_fields.is_empty()
    }) {
        s.push_str("      (same actions)\n");
    } else if tif.write != tif.apply {
        s.push_str("      Write-Actions features:\n");
        action_features(s, &tif.write);
        s.push_str("      Apply-Actions features:\n");
        action_features(s, &tif.apply);
    } else if !tif.write.is_empty() {
        s.push_str("      Write-Actions and Apply-Actions features:\n");
        action_features(s, &tif.write);
    }
    Ok(())
}

fn join<'a>(s: &mut String, names: impl Iterator<Item = &'a str>) {
    for (k, n) in names.enumerate() {
        if k > 0 {
            s.push(' ');
        }
        s.push_str(n);
    }
}

fn action_features(s: &mut String, a: &ActionFeatures) {
    if a.actions != 0 {
        s.push_str("        actions: ");
        let names = OVS_ACTION_ORDER
            .iter()
            .enumerate()
            .filter(|(i, _)| a.actions & (1 << i) != 0)
            .map(|(_, (_, n))| *n);
        join(s, names);
        s.push('\n');
    }
    if !a.set_fields.is_empty() {
        s.push_str("        supported on Set-Field:");
        field_set(s, &a.set_fields);
        s.push('\n');
    }
}

/// ` name name ...` of the fields in `set`, in OVS's id order, abbreviated.
fn field_set(s: &mut String, set: &FieldSet) {
    let names: alloc::vec::Vec<&str> = (0..N_FIELDS)
        .filter(|&i| set.has(i))
        .filter_map(|i| OVS_FIELDS.get(i).map(|(n, _)| *n))
        .collect();
    if !names.is_empty() {
        s.push(' ');
        abbreviated(s, &names, 0);
    }
}

/// Writes `ids` without their first `prefix` bytes, abbreviated as Open vSwitch does:
/// names with a common prefix ending in `_` as `eth_{src,dst}` (recursively), runs of
/// names numbered one after another (three or more) as `reg0...reg15`; a numbered run wins
/// over a prefix group of the same length. Groups are separated by spaces at the top level
/// and by commas inside braces.
pub(super) fn abbreviated<'a>(s: &mut String, mut ids: &[&'a str], prefix: usize) {
    let tail = |n: &'a str| -> &'a str { n.get(prefix..).unwrap_or_default() };
    let mut group = 0;
    while !ids.is_empty() {
        if group > 0 {
            s.push(if prefix > 0 { ',' } else { ' ' });
        }
        group += 1;
        let (prefix_run, extra) = common_prefix_run(ids, prefix);
        let suffix_run = sequential_run(ids);
        let run = prefix_run.max(suffix_run).max(1);
        let first = ids.first().copied().unwrap_or_default();
        if suffix_run >= prefix_run {
            s.push_str(tail(first));
            if run > 1 {
                s.push_str("...");
                s.push_str(tail(ids.get(run - 1).copied().unwrap_or_default()));
            }
        } else {
            s.push_str(first.get(prefix..prefix + extra).unwrap_or_default());
            s.push('{');
            abbreviated(s, ids.get(..run).unwrap_or_default(), prefix + extra);
            s.push('}');
        }
        ids = ids.get(run..).unwrap_or_default();
    }
}

/// Length of the longest common prefix of `a` and `b` that ends in `_` (0 if none).
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let mut len = 0;
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        if x != y {
            break;
        }
        if *x == b'_' {
            len = i + 1;
        }
    }
    len
}

/// How many names at the start of `ids` share a further prefix after the first `prefix`
/// bytes, and that prefix's length.
fn common_prefix_run(ids: &[&str], prefix: usize) -> (usize, usize) {
    let rest = |i: usize| {
        ids.get(i)
            .and_then(|n| n.as_bytes().get(prefix..))
            .unwrap_or_default()
    };
    if ids.len() < 2 {
        return (ids.len(), 0);
    }
    let mut extra = common_prefix(rest(0), rest(1));
    if extra == 0 {
        return (1, 0);
    }
    let mut i = 2;
    while i < ids.len() {
        let next = common_prefix(rest(0), rest(i));
        if next == 0 {
            break;
        }
        extra = extra.min(next);
        i += 1;
    }
    (i, extra)
}

/// True if `b` is `a` with its number one higher (`reg9`, `reg10`).
fn sequential(a: &str, b: &str) -> bool {
    let common = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    if common == a.len() && common == b.len() {
        return false;
    }
    let (Some(x), Some(y)) = (a.get(common..), b.get(common..)) else {
        return false;
    };
    let digits = |t: &str| !t.is_empty() && t.len() < 10 && t.bytes().all(|c| c.is_ascii_digit());
    if !digits(x) || !digits(y) {
        return false;
    }
    matches!((x.parse::<u64>(), y.parse::<u64>()), (Ok(x), Ok(y)) if x + 1 == y)
}

/// How many names at the start of `ids` are numbered one after another (two count as one:
/// `x0...x1` would be no shorter).
fn sequential_run(ids: &[&str]) -> usize {
    let mut i = 1;
    while i < ids.len() {
        match (ids.get(i - 1), ids.get(i)) {
            (Some(a), Some(b)) if sequential(a, b) => i += 1,
            _ => break,
        }
    }
    if i == 2 {
        1
    } else {
        i.min(ids.len())
    }
}

#[cfg(test)]
mod tests;
