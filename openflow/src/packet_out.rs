//! OFPT_PACKET_OUT (`ofp_packet_out`): the controller sends a packet out of the switch.
//!
//! The body is 16 fixed bytes (buffer id, in port, `actions_len`, 6 bytes of zero padding),
//! `actions_len` bytes of actions, then the packet's bytes up to the end of the message
//! (empty when the packet is one the switch buffered).
//!
//! - [`PacketOut`] is the owned message with a builder:
//!   `PacketOut::new(in_port).action(Action::output(2)).data(frame)`, and
//!   [`PacketOut::from_packet_in`] to send on a packet the controller received;
//! - [`PacketOutView`] borrows a message: the actions an [`ActionsView`], the data a slice.
//!
//! Contract: [`PacketOutView::parse`] checks `actions_len` (a multiple of 8, within the
//! body) and the padding; the actions are checked when iterated or by
//! [`PacketOutView::validate`]. [`PacketOut`]'s parse checks everything, and whatever it
//! accepts encodes back to identical bytes.

use alloc::vec::Vec;
use core::fmt;

use bytes::BufMut;

use crate::action::{Action, ActionsView};
use crate::codec::{len16, put_zeros, MessageBody, Reader, WireWrite};
use crate::codec_error::Result;
use crate::header::MsgType;
use crate::packet_in::PacketInFields;
use crate::types::{BufferId, PortNo};

/// Length of the PACKET_OUT body before the actions.
pub const PACKET_OUT_FIXED_LEN: usize = 16;

/// The body of OFPT_PACKET_OUT, owned.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PacketOut {
    /// A packet the switch buffered, or [`BufferId::NO_BUFFER`] to send `data`.
    pub buffer_id: BufferId,
    /// The port the packet counts as coming in on ([`PortNo::CONTROLLER`] for packets the
    /// controller made).
    pub in_port: PortNo,
    /// The actions to apply (output actions send the packet).
    pub actions: Vec<Action>,
    /// The packet, when not buffered.
    pub data: Vec<u8>,
}

impl PacketOut {
    /// A packet-out coming in on `in_port`, unbuffered, with no actions and no data yet.
    pub fn new(in_port: impl Into<PortNo>) -> PacketOut {
        PacketOut {
            buffer_id: BufferId::NO_BUFFER,
            in_port: in_port.into(),
            actions: Vec::new(),
            data: Vec::new(),
        }
    }

    /// Sends on a packet the switch sent in: its buffer if the switch buffered it, its data
    /// otherwise; `in_port` is the packet-in's (or [`PortNo::CONTROLLER`] if its match has
    /// none).
    pub fn from_packet_in<P: PacketInFields + ?Sized>(
        packet_in: &P,
        actions: impl IntoIterator<Item = Action>,
    ) -> PacketOut {
        let buffer_id = packet_in.buffer_id();
        PacketOut {
            buffer_id,
            in_port: packet_in.in_port().unwrap_or(PortNo::CONTROLLER),
            actions: actions.into_iter().collect(),
            data: if buffer_id == BufferId::NO_BUFFER {
                packet_in.data().to_vec()
            } else {
                Vec::new()
            },
        }
    }

    /// Appends an action.
    #[must_use]
    pub fn action(mut self, action: Action) -> Self {
        self.actions.push(action);
        self
    }

    /// Appends actions.
    #[must_use]
    pub fn actions(mut self, actions: impl IntoIterator<Item = Action>) -> Self {
        self.actions.extend(actions);
        self
    }

    /// Sets the packet to send.
    #[must_use]
    pub fn data(mut self, data: impl Into<Vec<u8>>) -> Self {
        self.data = data.into();
        self
    }

    /// Sends a packet the switch buffered instead of data.
    #[must_use]
    pub fn buffer_id(mut self, buffer_id: impl Into<BufferId>) -> Self {
        self.buffer_id = buffer_id.into();
        self
    }
}

crate::codec::impl_encode!(PacketOut);

impl WireWrite for PacketOut {
    fn encoded_len(&self) -> usize {
        PACKET_OUT_FIXED_LEN + Action::list_len(&self.actions) + self.data.len()
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        let actions_len = len16(
            "ofp_packet_out.actions_len",
            Action::list_len(&self.actions),
        )?;
        out.put_u32(self.buffer_id.0);
        out.put_u32(self.in_port.0);
        out.put_u16(actions_len);
        put_zeros(out, 6);
        Action::encode_list(&self.actions, out)?;
        out.put_slice(&self.data);
        Ok(())
    }
}

impl MessageBody for PacketOut {
    const TYPE: MsgType = MsgType::PACKET_OUT;

    fn parse_body(r: &mut Reader<'_>) -> Result<Self> {
        PacketOutView::parse(r)?.decode()
    }
}

/// The body of OFPT_PACKET_OUT, borrowed.
#[derive(Debug, Clone)]
pub struct PacketOutView<'a> {
    /// Buffer id.
    pub buffer_id: BufferId,
    /// In port.
    pub in_port: PortNo,
    /// The actions, checked when iterated.
    pub actions: ActionsView<'a>,
    /// The packet, borrowed from the message.
    pub data: &'a [u8],
}

impl<'a> PacketOutView<'a> {
    /// Reads the body (everything after the header): the fixed fields, `actions_len` (a
    /// multiple of 8 and within the body, [`Error::BadLength`](crate::Error::BadLength)
    /// otherwise), the zero padding; the actions are the next `actions_len` bytes, checked
    /// when iterated, and the data the rest.
    pub fn parse(r: &mut Reader<'a>) -> Result<PacketOutView<'a>> {
        let buffer_id = BufferId(r.u32("ofp_packet_out.buffer_id")?);
        let in_port = PortNo(r.u32("ofp_packet_out.in_port")?);
        let len_at = r.offset();
        let actions_len = usize::from(r.u16("ofp_packet_out.actions_len")?);
        r.pad(6, "ofp_packet_out.pad")?;
        if actions_len % 8 != 0 {
            return Err(Reader::bad_length(
                "ofp_packet_out.actions_len",
                len_at,
                actions_len,
                "not a multiple of 8",
            ));
        }
        if actions_len > r.remaining() {
            return Err(Reader::bad_length(
                "ofp_packet_out.actions_len",
                len_at,
                actions_len,
                "runs past the end of the message",
            ));
        }
        let actions = ActionsView::from_reader(r.sub(actions_len, "ofp_packet_out.actions")?);
        Ok(PacketOutView {
            buffer_id,
            in_port,
            actions,
            data: r.rest(),
        })
    }

    /// Checks every action without allocating.
    pub fn validate(&self) -> Result<()> {
        self.actions.validate()
    }

    /// The owned body.
    pub fn decode(&self) -> Result<PacketOut> {
        Ok(PacketOut {
            buffer_id: self.buffer_id,
            in_port: self.in_port,
            actions: self.actions.decode()?,
            data: self.data.to_vec(),
        })
    }

    /// Decodes the packet's layers, zero-copy (see [`sdnwire_packet::PacketView`]).
    pub fn packet(&self) -> sdnwire_packet::Result<sdnwire_packet::PacketView<'a>> {
        sdnwire_packet::PacketView::parse(self.data)
    }
}

fn fmt_packet_out(
    f: &mut fmt::Formatter<'_>,
    buffer_id: BufferId,
    in_port: PortNo,
    actions: &dyn fmt::Display,
    data_len: usize,
) -> fmt::Result {
    write!(f, "in_port={in_port} actions={actions}")?;
    if buffer_id == BufferId::NO_BUFFER {
        write!(f, " data_len={data_len}")
    } else {
        write!(f, " buffer={:#010x}", buffer_id.0)
    }
}

impl fmt::Display for PacketOut {
    /// As `ovs-ofctl ofp-print` prints the message after `OFPT_PACKET_OUT (OF1.3)
    /// (xid=0x0): ` (its first line): `in_port=P actions=... data_len=N`, or
    /// `buffer=0x0000000N` instead of `data_len` when the packet is buffered.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_packet_out(
            f,
            self.buffer_id,
            self.in_port,
            &Action::display_list(&self.actions),
            self.data.len(),
        )
    }
}

impl fmt::Display for PacketOutView<'_> {
    /// As [`PacketOut`]'s `Display`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_packet_out(
            f,
            self.buffer_id,
            self.in_port,
            &self.actions,
            self.data.len(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::test_support::arb_damage;
    use crate::codec_error::Error;
    use crate::flow_mod::test_support::*;
    use crate::oxm::{Match, OxmField};
    use crate::packet_in::{PacketIn, PacketInView};
    use crate::simple::testutil::*;
    use crate::types::GroupId;
    use alloc::string::ToString;
    use alloc::vec;
    use proptest::prelude::*;

    const CORPUS: &[&str] = &[
        "4-1-ofp_packet_out",
        "libofproto-OFP13-ofp_packet_out_packet_library",
    ];

    /// An ICMP echo request (os-ken's 4-1 PACKET_OUT data).
    const ICMP: &str = "f20ba4d03f70 f20ba47df8ea 0800 4500 0054 f81a 0000 ff01 af8b 0a000001
                        0a000002 0800 0208 f760 0000 31d6 0200 0000 0000 ab8d 2d31 0000 0000
                        1011 1213 1415 1617 1819 1a1b 1c1d 1e1f 2021 2223 2425 2627 2829 2a2b
                        2c2d 2e2f 0000 0000 0000 0000";

    fn parse(b: &[u8]) -> Result<PacketOut> {
        parse_bytes(b, PacketOut::parse_body)
    }

    fn view(b: &[u8]) -> Result<PacketOutView<'_>> {
        let mut r = Reader::new(b, 8);
        let v = PacketOutView::parse(&mut r)?;
        r.finish("test body")?;
        Ok(v)
    }

    #[test]
    fn os_ken_corpus() {
        for &name in CORPUS {
            let Some(msg) = corpus(name) else { return };
            let p: PacketOut = parse_msg(&msg);
            let v = view(&msg[8..]).unwrap();
            v.validate().unwrap();
            assert_eq!(v.decode().unwrap(), p, "{name}");
            assert_eq!(v.to_string(), p.to_string(), "{name}");
            assert_eq!(
                p,
                PacketOut::new(PortNo::CONTROLLER)
                    .action(Action::output(PortNo::ALL))
                    .data(p.data.clone())
            );
            assert_eq!(p.data, hex(ICMP));
            let pkt = v.packet().unwrap();
            assert!(pkt.icmp().is_some());
            let Some(json) = corpus_json(name) else {
                return;
            };
            let j = &json["OFPPacketOut"];
            assert_eq!(j["buffer_id"], p.buffer_id.0, "{name}");
            assert_eq!(j["in_port"], p.in_port.0, "{name}");
            assert_eq!(j["actions_len"], Action::list_len(&p.actions), "{name}");
            check_actions(name, &p.actions, &j["actions"]);
            match j["data"].as_str() {
                Some(d) => assert_eq!(b64(d), p.data, "{name}"),
                // os-ken's packet library form: check the layers it lists.
                None => {
                    let l = &j["data"]["Packet"]["protocols"];
                    let eth = pkt.ethernet().unwrap();
                    assert_eq!(l[0]["ethernet"]["dst"], eth.dst().to_string(), "{name}");
                    assert_eq!(l[0]["ethernet"]["src"], eth.src().to_string(), "{name}");
                    let ip = pkt.ipv4().unwrap();
                    assert_eq!(l[1]["ipv4"]["src"], ip.src().to_string(), "{name}");
                    assert_eq!(l[1]["ipv4"]["total_length"], ip.total_len(), "{name}");
                    let icmp = &l[2]["icmp"]["data"]["echo"]["data"];
                    assert_eq!(b64(icmp.as_str().unwrap())[..], p.data[42..], "{name}");
                }
            }

            let Some(line) = ovs_line(MsgType::PACKET_OUT, &p) else {
                return;
            };
            assert_eq!(p.to_string(), line, "{name}");
            assert_eq!(line, "in_port=CONTROLLER actions=ALL data_len=98");
        }
    }

    #[test]
    fn builder_and_from_packet_in() {
        let frame = hex(ICMP);
        let p = PacketOut::new(PortNo(1))
            .action(Action::output(2))
            .data(frame.clone());
        assert_eq!(p.buffer_id, BufferId::NO_BUFFER);
        assert_eq!(p.in_port, PortNo(1));
        assert_eq!(p.actions, vec![Action::output(2)]);
        assert_eq!(p.data, frame);
        let b = p.to_vec().unwrap();
        assert_eq!(
            b[..32],
            hex("ffffffff 00000001 0010 000000000000 0000 0010 00000002 ffff 000000000000")
        );
        assert_eq!(&b[32..], frame.as_slice());

        // Unbuffered packet-in: the data goes back out.
        let pin = PacketIn::new(PortNo(3), frame.clone());
        let out = PacketOut::from_packet_in(&pin, [Action::flood()]);
        assert_eq!(
            out,
            PacketOut::new(PortNo(3))
                .actions([Action::flood()])
                .data(frame.clone())
        );
        // Buffered: only the buffer id, through the view as well.
        let pin = PacketIn {
            buffer_id: BufferId(77),
            ..PacketIn::new(PortNo(4), frame.clone())
        };
        let bytes = pin.to_vec().unwrap();
        let mut r = Reader::new(&bytes, 8);
        let v = PacketInView::parse(&mut r).unwrap();
        let out = PacketOut::from_packet_in(&v, [Action::output(1)]);
        assert_eq!(
            out,
            PacketOut::new(PortNo(4))
                .buffer_id(BufferId(77))
                .action(Action::output(1))
        );
        assert_eq!(PacketOut::from_packet_in(&pin, [Action::output(1)]), out);
        // No in_port in the match: the controller port.
        let pin = PacketIn {
            match_: Match::new(),
            ..PacketIn::new(PortNo(4), vec![1])
        };
        assert_eq!(
            PacketOut::from_packet_in(&pin, []).in_port,
            PortNo::CONTROLLER
        );
    }

    #[test]
    fn ovs_decodes_what_we_build() {
        let frame = hex(ICMP);
        let cases = [
            PacketOut::new(PortNo(1))
                .action(Action::output(2))
                .data(frame.clone()),
            // No actions (os-ken cannot serialize this one; OVS drops the packet).
            PacketOut::new(PortNo::CONTROLLER).data(frame.clone()),
            PacketOut::new(PortNo::ANY).data(vec![]),
            PacketOut::new(PortNo::LOCAL)
                .actions([
                    Action::push_vlan(),
                    Action::set_field(OxmField::VlanVid(0x1005, None)),
                    Action::output(PortNo::TABLE),
                    Action::group(GroupId(3)),
                    Action::output_to_controller(64),
                ])
                .data(frame.clone()),
            PacketOut::new(PortNo(7))
                .buffer_id(BufferId(0x42))
                .action(Action::output(PortNo::IN_PORT)),
        ];
        for p in cases {
            let Some(line) = ovs_line(MsgType::PACKET_OUT, &p) else {
                return;
            };
            assert_eq!(p.to_string(), line, "{p:?}");
            let b = p.to_vec().unwrap();
            assert_eq!(parse(&b).unwrap(), p);
            assert_eq!(view(&b).unwrap().to_string(), line);
        }
    }

    /// PACKET_OUT body with one output action and 4 bytes of data: fixed 0..16
    /// (actions_len at 8), the action 16..32 (its length at 18), data 32..36.
    fn sample() -> Vec<u8> {
        PacketOut::new(PortNo(1))
            .action(Action::output(2))
            .data(vec![1, 2, 3, 4])
            .to_vec()
            .unwrap()
    }

    #[test]
    fn negative_lengths() {
        let good = sample();
        assert_eq!(good.len(), 36);
        for n in 0..32 {
            let e = parse(&good[..n]).unwrap_err();
            assert!(
                matches!(
                    e,
                    Error::Truncated { .. } | Error::BadLength { offset: 16, .. }
                ),
                "{n}: {e}"
            );
        }
        let with = |at: usize, v: &[u8]| {
            let mut b = good.clone();
            b[at..at + v.len()].copy_from_slice(v);
            b
        };
        assert_eq!(
            parse(&with(8, &[0, 12])),
            Err(Error::BadLength {
                what: "ofp_packet_out.actions_len",
                offset: 16,
                value: 12,
                reason: "not a multiple of 8"
            })
        );
        assert_eq!(
            parse(&with(8, &[0, 40])),
            Err(Error::BadLength {
                what: "ofp_packet_out.actions_len",
                offset: 16,
                value: 40,
                reason: "runs past the end of the message"
            })
        );
        assert_eq!(
            parse(&with(15, &[1])),
            Err(Error::BadValue {
                what: "ofp_packet_out.pad",
                offset: 23,
                value: 1,
                expected: "zero padding"
            })
        );
        // actions_len 8: the output action (16 bytes) runs past the action list. The view
        // parses (actions are checked when walked), the owned parse does not.
        let b = with(8, &[0, 8]);
        assert!(matches!(
            parse(&b),
            Err(Error::BadLength { offset: 26, .. })
        ));
        let v = view(&b).unwrap();
        assert!(v.validate().is_err());
        assert_eq!(v.data.len(), 12);
        assert!(v.to_string().contains("<error:"), "{v}");
        // actions_len 0: the action bytes are data.
        let p = parse(&with(8, &[0, 0])).unwrap();
        assert!(p.actions.is_empty());
        assert_eq!(p.data.len(), 20);
        // The action's own length.
        assert!(matches!(
            parse(&with(18, &[0, 8])),
            Err(Error::BadLength { offset: 26, .. })
        ));
    }

    #[test]
    fn unencodable() {
        let p = PacketOut::new(PortNo(1)).actions(vec![Action::output(2); 4200]);
        assert_eq!(
            p.to_vec(),
            Err(Error::Unencodable {
                what: "ofp_packet_out.actions_len",
                reason: "length does not fit in 16 bits"
            })
        );
    }

    fn arb_action() -> impl Strategy<Value = Action> {
        prop_oneof![
            (any::<u32>(), any::<u16>()).prop_map(|(p, l)| Action::output_max_len(p, l)),
            any::<u32>().prop_map(|g| Action::group(GroupId(g))),
            Just(Action::PopVlan),
            any::<u16>().prop_map(|v| Action::set_field(OxmField::VlanVid(v & 0x1fff, None))),
        ]
    }

    prop_compose! {
        fn arb_packet_out()(
            buffer: u32, in_port: u32,
            actions in proptest::collection::vec(arb_action(), 0..4),
            data in proptest::collection::vec(any::<u8>(), 0..64),
        ) -> PacketOut {
            PacketOut::new(in_port).buffer_id(BufferId(buffer)).actions(actions).data(data)
        }
    }

    proptest! {
        #[test]
        fn owned_round_trip(p in arb_packet_out()) {
            let b = p.to_vec().unwrap();
            prop_assert_eq!(b.len(), p.encoded_len());
            prop_assert_eq!(&parse(&b).unwrap(), &p);
            prop_assert_eq!(view(&b).unwrap().to_string(), p.to_string());
        }

        #[test]
        fn any_bytes(p in arb_packet_out(), damage in arb_damage()) {
            let b = damage.apply(p.to_vec().unwrap());
            let owned = parse(&b);
            prop_assert_eq!(view(&b).and_then(|v| v.decode()), owned.clone());
            if let Ok(p) = owned {
                prop_assert_eq!(p.to_vec().unwrap(), b);
            }
        }

        #[test]
        fn random_bytes(b in proptest::collection::vec(any::<u8>(), 0..64)) {
            if let Ok(p) = parse(&b) {
                prop_assert_eq!(p.to_vec().unwrap(), b);
            }
        }
    }
}
