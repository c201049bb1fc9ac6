//! OFPMP_FLOW and OFPMP_AGGREGATE replies: flow statistics (`ofp_flow_stats`) and
//! aggregate statistics (`ofp_aggregate_stats_reply`).

use super::*;

/// Writes ovs-ofctl's flow flag words (`send_flow_rem check_overlap ...`), each followed by a
/// space; unknown bits as `flags:0x..`.
fn fmt_flow_flags(f: &mut fmt::Formatter<'_>, flags: FlowModFlags) -> fmt::Result {
    for name in flags.ofctl_names() {
        write!(f, "{name} ")?;
    }
    let unknown = flags.unknown();
    if !unknown.is_empty() {
        write!(f, "flags:{:#x} ", unknown.0)?;
    }
    Ok(())
}

/// A `fmt::Write` that writes `prefix` before the first non-empty output.
struct Prefixed<'a, 'b> {
    f: &'a mut fmt::Formatter<'b>,
    prefix: &'static str,
    wrote: bool,
}

impl fmt::Write for Prefixed<'_, '_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if s.is_empty() {
            return Ok(());
        }
        if !self.wrote {
            self.wrote = true;
            self.f.write_str(self.prefix)?;
        }
        self.f.write_str(s)
    }
}

/// The fixed fields of a flow statistics entry, shared by the owned and borrowed forms.
#[derive(Clone, Copy)]
struct FlowHead {
    table_id: TableId,
    duration_sec: u32,
    duration_nsec: u32,
    priority: u16,
    idle_timeout: u16,
    hard_timeout: u16,
    flags: FlowModFlags,
    cookie: u64,
    packet_count: u64,
    byte_count: u64,
}

impl FlowHead {
    /// Field by field (the general path: [`FlowStatsView::parse`] reads the common case as
    /// one zerocopy struct).
    fn parse(e: &mut Reader<'_>) -> Result<FlowHead> {
        e.u16("ofp_flow_stats.length")?;
        let table_id = TableId(e.u8("ofp_flow_stats.table_id")?);
        e.pad(1, "ofp_flow_stats.pad")?;
        let head = FlowHead {
            table_id,
            duration_sec: e.u32("ofp_flow_stats.duration_sec")?,
            duration_nsec: e.u32("ofp_flow_stats.duration_nsec")?,
            priority: e.u16("ofp_flow_stats.priority")?,
            idle_timeout: e.u16("ofp_flow_stats.idle_timeout")?,
            hard_timeout: e.u16("ofp_flow_stats.hard_timeout")?,
            flags: FlowModFlags(e.u16("ofp_flow_stats.flags")?),
            cookie: {
                e.pad(4, "ofp_flow_stats.pad2")?;
                e.u64("ofp_flow_stats.cookie")?
            },
            packet_count: e.u64("ofp_flow_stats.packet_count")?,
            byte_count: e.u64("ofp_flow_stats.byte_count")?,
        };
        Ok(head)
    }

    /// ovs-ofctl's dump-flows line; `m` and `i` print the match and the instructions.
    fn fmt(
        &self,
        f: &mut fmt::Formatter<'_>,
        m: &dyn fmt::Display,
        i: &dyn fmt::Display,
    ) -> fmt::Result {
        write!(
            f,
            "cookie={:#x}, duration={}, table={}, n_packets={}, n_bytes={}, ",
            self.cookie,
            DisplayDuration {
                sec: self.duration_sec,
                nsec: self.duration_nsec
            },
            self.table_id.0,
            Counter(self.packet_count),
            Counter(self.byte_count)
        )?;
        if self.idle_timeout != 0 {
            write!(f, "idle_timeout={}, ", self.idle_timeout)?;
        }
        if self.hard_timeout != 0 {
            write!(f, "hard_timeout={}, ", self.hard_timeout)?;
        }
        fmt_flow_flags(f, self.flags)?;
        let mut printed = false;
        if self.priority != DEFAULT_PRIORITY {
            write!(f, "priority={}", self.priority)?;
            printed = true;
        }
        let mut w = Prefixed {
            f,
            prefix: if printed { "," } else { "" },
            wrote: false,
        };
        fmt::write(&mut w, format_args!("{m}"))?;
        if printed || w.wrote {
            f.write_str(" ")?;
        }
        write!(f, "actions={i}")
    }
}

/// One flow's statistics (`ofp_flow_stats`), owned.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FlowStats {
    /// The flow's table.
    pub table_id: TableId,
    /// Seconds the flow has been alive.
    pub duration_sec: u32,
    /// Nanoseconds beyond `duration_sec`.
    pub duration_nsec: u32,
    /// The flow's priority.
    pub priority: u16,
    /// Idle timeout (0: none).
    pub idle_timeout: u16,
    /// Hard timeout (0: none).
    pub hard_timeout: u16,
    /// The flow's flags (`ofp_flow_mod_flags`).
    pub flags: FlowModFlags,
    /// The flow's cookie.
    pub cookie: u64,
    /// Packets that matched the flow.
    pub packet_count: u64,
    /// Bytes that matched the flow.
    pub byte_count: u64,
    /// The flow's match.
    pub match_: Match,
    /// The flow's instructions (up to 2 inline: see [`InstructionList`]).
    pub instructions: InstructionList,
}

impl FlowStats {
    /// A flow entry with the given match and instructions (a `vec![..]`, an array or an
    /// [`InstructionList`]) in table 0 at `priority`, every counter and timeout zero.
    pub fn new(
        priority: u16,
        match_: Match,
        instructions: impl Into<InstructionList>,
    ) -> FlowStats {
        let instructions = instructions.into();
        FlowStats {
            table_id: TableId(0),
            duration_sec: 0,
            duration_nsec: 0,
            priority,
            idle_timeout: 0,
            hard_timeout: 0,
            flags: FlowModFlags::EMPTY,
            cookie: 0,
            packet_count: 0,
            byte_count: 0,
            match_,
            instructions,
        }
    }

    fn head(&self) -> FlowHead {
        FlowHead {
            table_id: self.table_id,
            duration_sec: self.duration_sec,
            duration_nsec: self.duration_nsec,
            priority: self.priority,
            idle_timeout: self.idle_timeout,
            hard_timeout: self.hard_timeout,
            flags: self.flags,
            cookie: self.cookie,
            packet_count: self.packet_count,
            byte_count: self.byte_count,
        }
    }

    /// Parses one entry (see [`FlowStatsView::parse`] for the checks).
    pub fn parse(r: &mut Reader<'_>) -> Result<FlowStats> {
        FlowStatsView::parse(r)?.decode()
    }
}

crate::codec::impl_encode!(FlowStats);

impl WireWrite for FlowStats {
    fn encoded_len(&self) -> usize {
        FLOW_STATS_LEN + self.match_.encoded_len() + Instruction::list_len(&self.instructions)
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        out.put_u16(len16("ofp_flow_stats", self.encoded_len())?);
        out.put_u8(self.table_id.0);
        put_zeros(out, 1);
        out.put_u32(self.duration_sec);
        out.put_u32(self.duration_nsec);
        out.put_u16(self.priority);
        out.put_u16(self.idle_timeout);
        out.put_u16(self.hard_timeout);
        out.put_u16(self.flags.0);
        put_zeros(out, 4);
        out.put_u64(self.cookie);
        out.put_u64(self.packet_count);
        out.put_u64(self.byte_count);
        self.match_.write(out)?;
        Instruction::encode_list(&self.instructions, out)
    }
}

impl fmt::Display for FlowStats {
    /// ovs-ofctl dump-flows notation: `cookie=0x0, duration=1.500s, table=0, n_packets=3,
    /// n_bytes=294, idle_timeout=10, send_flow_rem priority=1,in_port=1 actions=output:2`
    /// (timeouts when non-zero, flags as words, `priority=` unless it is the default 32768,
    /// `?` for counters that are all ones).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.head().fmt(
            f,
            &self.match_,
            &crate::instruction::DisplayInstructions(&self.instructions),
        )
    }
}

/// One flow's statistics borrowed from a reply: the fixed fields decoded, the match and
/// instructions borrowed.
#[derive(Debug, Clone)]
pub struct FlowStatsView<'a> {
    /// The flow's table.
    pub table_id: TableId,
    /// Seconds the flow has been alive.
    pub duration_sec: u32,
    /// Nanoseconds beyond `duration_sec`.
    pub duration_nsec: u32,
    /// The flow's priority.
    pub priority: u16,
    /// Idle timeout.
    pub idle_timeout: u16,
    /// Hard timeout.
    pub hard_timeout: u16,
    /// The flow's flags.
    pub flags: FlowModFlags,
    /// The flow's cookie.
    pub cookie: u64,
    /// Packets that matched.
    pub packet_count: u64,
    /// Bytes that matched.
    pub byte_count: u64,
    /// The match, checked.
    pub match_: MatchView<'a>,
    /// The instructions, checked when iterated.
    pub instructions: InstructionsView<'a>,
}

impl<'a> FlowStatsView<'a> {
    /// Reads one entry, checking its `length` (at least 56, within `r`), its padding and its
    /// match (which must fit in the entry); the instructions fill the rest of the entry and are
    /// checked when iterated.
    #[inline]
    pub fn parse(r: &mut Reader<'a>) -> Result<FlowStatsView<'a>> {
        r.fast_or_general(FlowStatsView::parse_fast, FlowStatsView::parse_general)
    }

    /// One entry in one pass over the slice (`buf` starts at `base` in the message): the fixed
    /// part and the match header as one zerocopy struct, the pad bytes and the match's padding
    /// as integer tests, the match's TLV framing walked once. Returns the entry and its length,
    /// or `None` on anything [`FlowStatsView::parse_general`] would refuse (it then builds the
    /// exact error).
    #[inline(always)]
    fn parse_fast(buf: &'a [u8], base: usize) -> Option<(FlowStatsView<'a>, usize)> {
        let (h, _) = FlowStatsHead::ref_from_front(buf).ok()?;
        let len = usize::from(h.length.get());
        let mlen = usize::from(h.match_len.get());
        let entry = buf.get(..len)?;
        let match_end = FLOW_STATS_LEN + round8(mlen);
        if len < FLOW_STATS_LEN + 8
            || h.pad != 0
            || h.pad2 != [0; 4]
            || h.match_type.get() != OFPMT_OXM
            || mlen < MATCH_HEADER_LEN
            || match_end > len
            || !pad_is_zero(entry, match_end, pad8(mlen))?
        {
            return None;
        }
        let oxms = entry.get(FLOW_STATS_LEN + MATCH_HEADER_LEN..FLOW_STATS_LEN + mlen)?;
        if !oxm_framing_ok(oxms) {
            return None;
        }
        let insts = entry.get(match_end..)?;
        Some((
            FlowStatsView {
                table_id: TableId(h.table_id),
                duration_sec: h.duration_sec.get(),
                duration_nsec: h.duration_nsec.get(),
                priority: h.priority.get(),
                idle_timeout: h.idle_timeout.get(),
                hard_timeout: h.hard_timeout.get(),
                flags: FlowModFlags(h.flags.get()),
                cookie: h.cookie.get(),
                packet_count: h.packet_count.get(),
                byte_count: h.byte_count.get(),
                match_: MatchView::from_checked(oxms, base + FLOW_STATS_LEN),
                instructions: InstructionsView::new_unchecked(insts, base + match_end),
            },
            len,
        ))
    }

    /// Field by field through `r`, with an exact error for whatever is wrong.
    #[cold]
    #[inline(never)]
    pub(crate) fn parse_general(r: &mut Reader<'a>) -> Result<FlowStatsView<'a>> {
        let len = usize::from(r.peek_u16(0, "ofp_flow_stats.length")?);
        check_len(
            r,
            len,
            FLOW_STATS_LEN + 8,
            "ofp_flow_stats",
            "below the 56-byte minimum (fixed part and an empty match)",
        )?;
        let mut e = r.sub(len, "ofp_flow_stats")?;
        let h = FlowHead::parse(&mut e)?;
        let match_ = MatchView::parse(&mut e)?;
        Ok(FlowStatsView {
            table_id: h.table_id,
            duration_sec: h.duration_sec,
            duration_nsec: h.duration_nsec,
            priority: h.priority,
            idle_timeout: h.idle_timeout,
            hard_timeout: h.hard_timeout,
            flags: h.flags,
            cookie: h.cookie,
            packet_count: h.packet_count,
            byte_count: h.byte_count,
            match_,
            instructions: InstructionsView::from_reader(e),
        })
    }

    fn head(&self) -> FlowHead {
        FlowHead {
            table_id: self.table_id,
            duration_sec: self.duration_sec,
            duration_nsec: self.duration_nsec,
            priority: self.priority,
            idle_timeout: self.idle_timeout,
            hard_timeout: self.hard_timeout,
            flags: self.flags,
            cookie: self.cookie,
            packet_count: self.packet_count,
            byte_count: self.byte_count,
        }
    }

    /// The entry's `length`.
    pub fn length(&self) -> usize {
        FLOW_STATS_LEN + self.match_.encoded_len() + self.instructions.as_bytes().len()
    }

    /// Checks the instructions and their actions without allocating.
    pub fn validate(&self) -> Result<()> {
        self.instructions.validate()
    }

    /// The owned entry.
    pub fn decode(&self) -> Result<FlowStats> {
        Ok(FlowStats {
            table_id: self.table_id,
            duration_sec: self.duration_sec,
            duration_nsec: self.duration_nsec,
            priority: self.priority,
            idle_timeout: self.idle_timeout,
            hard_timeout: self.hard_timeout,
            flags: self.flags,
            cookie: self.cookie,
            packet_count: self.packet_count,
            byte_count: self.byte_count,
            match_: self.match_.decode(),
            instructions: self.instructions.decode()?,
        })
    }

    /// The owned entry's fixed fields, its match and instructions empty: what the one-pass
    /// decodes place in the vector before filling the lists there.
    #[inline(always)]
    fn unfilled(&self) -> FlowStats {
        FlowStats {
            table_id: self.table_id,
            duration_sec: self.duration_sec,
            duration_nsec: self.duration_nsec,
            priority: self.priority,
            idle_timeout: self.idle_timeout,
            hard_timeout: self.hard_timeout,
            flags: self.flags,
            cookie: self.cookie,
            packet_count: self.packet_count,
            byte_count: self.byte_count,
            match_: Match::new(),
            instructions: InstructionList::new(),
        }
    }

    /// The owned entry appended to `out`: placed there first, its match and instructions
    /// empty, then filled in place. On an error the entry is taken back out: `out` is as it
    /// was.
    #[inline]
    pub(crate) fn decode_push(&self, out: &mut Vec<FlowStats>) -> Result<()> {
        out.push(self.unfilled());
        if let Some(e) = out.last_mut() {
            self.match_.decode_into(&mut e.match_);
            if let Err(err) = self.instructions.decode_into(&mut e.instructions) {
                out.pop();
                return Err(err);
            }
        }
        Ok(())
    }
}

impl<'a> Entries<'a, FlowStatsView<'a>> {
    /// [`decode`](Entries::decode) in one pass over the entries: counted first (their
    /// `length` fields, each at least 56 bytes: the count is bounded by the bytes), the vector
    /// allocated once at that count, then each entry read by the fast path of
    /// [`FlowStatsView::parse`], its instruction list decoded in one pass and its match into
    /// inline room, and the entry pushed. Anything that path declines goes to
    /// [`decode`](Entries::decode), which builds the exact error.
    #[inline]
    pub(crate) fn decode_flows(&self) -> Result<Vec<FlowStats>> {
        match decode_flows_fast(self.rest, self.offset) {
            Some(v) => Ok(v),
            None => self.decode_flows_general(),
        }
    }

    /// [`Entries::decode`], out of line: the reference [`decode_flows`](Self::decode_flows)
    /// is tested against.
    #[cold]
    #[inline(never)]
    pub(crate) fn decode_flows_general(&self) -> Result<Vec<FlowStats>> {
        self.decode()
    }
}

/// The entries of a well-formed flow-stats array (`buf` at `base` in the message), decoded in
/// one pass; `None` for anything [`FlowStatsView::parse_fast`] or
/// [`Instruction::decode_list_fast`] declines.
#[inline]
fn decode_flows_fast(buf: &[u8], base: usize) -> Option<Vec<FlowStats>> {
    let mut out: Vec<FlowStats> = Vec::with_capacity(count_flow_stats(buf));
    let mut rest = buf;
    let mut offset = base;
    while !rest.is_empty() {
        let (v, len) = FlowStatsView::parse_fast(rest, offset)?;
        // Placed first, its match and instructions empty, then filled where it stays.
        out.push(v.unfilled());
        let e = out.last_mut()?;
        v.match_.decode_into(&mut e.match_);
        Instruction::decode_list_fast(v.instructions.as_bytes(), &mut e.instructions)?;
        rest = rest.get(len..)?;
        offset += len;
    }
    Some(out)
}

view_entry!(
    FlowStatsView => FlowStats, |v| v.validate(), count: |b| count_flow_stats(b),
    fast: |buf, base| FlowStatsView::parse_fast(buf, base), in_place
);

/// The number of flow-stats entries in `buf`, hopping over their `length` fields (exact for a
/// well-formed array; the entries before the first bad `length` otherwise).
fn count_flow_stats(mut buf: &[u8]) -> usize {
    let mut n = 0;
    while let Some([a, b]) = buf.first_chunk::<2>().copied() {
        let len = usize::from(u16::from_be_bytes([a, b]));
        match buf.get(len..) {
            Some(rest) if len >= FLOW_STATS_LEN + 8 => buf = rest,
            _ => break,
        }
        n += 1;
    }
    n
}

impl fmt::Display for FlowStatsView<'_> {
    /// As [`FlowStats`]'s `Display`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.head().fmt(f, &self.match_, &self.instructions)
    }
}

/// Aggregate flow statistics (`ofp_aggregate_stats_reply`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct AggregateStats {
    /// Packets in the flows.
    pub packet_count: u64,
    /// Bytes in the flows.
    pub byte_count: u64,
    /// Number of flows.
    pub flow_count: u32,
}

impl AggregateStats {
    /// Encoded length.
    pub const LEN: usize = AGGREGATE_STATS_LEN;

    /// Parses the structure.
    pub fn parse(r: &mut Reader<'_>) -> Result<AggregateStats> {
        need(r, Self::LEN, "ofp_aggregate_stats_reply")?;
        let s = AggregateStats {
            packet_count: r.u64("ofp_aggregate_stats_reply.packet_count")?,
            byte_count: r.u64("ofp_aggregate_stats_reply.byte_count")?,
            flow_count: r.u32("ofp_aggregate_stats_reply.flow_count")?,
        };
        r.pad(4, "ofp_aggregate_stats_reply.pad")?;
        Ok(s)
    }
}

crate::codec::impl_encode!(AggregateStats);

impl WireWrite for AggregateStats {
    fn encoded_len(&self) -> usize {
        Self::LEN
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        out.put_u64(self.packet_count);
        out.put_u64(self.byte_count);
        out.put_u32(self.flow_count);
        put_zeros(out, 4);
        Ok(())
    }
}

impl fmt::Display for AggregateStats {
    /// As ovs-ofctl: `packet_count=7 byte_count=574 flow_count=6`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "packet_count={} byte_count={} flow_count={}",
            self.packet_count, self.byte_count, self.flow_count
        )
    }
}
