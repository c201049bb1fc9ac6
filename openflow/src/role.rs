//! The body of ROLE_REQUEST and ROLE_REPLY (`ofp_role_request`): a controller's role and the
//! generation id that orders master elections.
//!
//! Being shared by two message types, [`Role`] has [`Role::parse`] and no
//! [`MessageBody`](crate::codec::MessageBody) implementation; the message enum dispatches on the
//! header's type. Its `Display` is the part after the message type, in ovs-ofctl's words:
//! `role=primary generation_id=1`.

use core::fmt;

use bytes::BufMut;

use crate::codec::{put_zeros, Reader, WireWrite};
use crate::codec_error::Result;

/// A controller role (`ofp_controller_role`, OFPCR_ROLE_*). Open: any value parses.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(transparent)
)]
pub struct ControllerRole(pub u32);

impl ControllerRole {
    /// OFPCR_ROLE_NOCHANGE: query the role without changing it.
    pub const NOCHANGE: ControllerRole = ControllerRole(0);
    /// OFPCR_ROLE_EQUAL: the default role, full access.
    pub const EQUAL: ControllerRole = ControllerRole(1);
    /// OFPCR_ROLE_MASTER: full access, at most one master.
    pub const MASTER: ControllerRole = ControllerRole(2);
    /// OFPCR_ROLE_SLAVE: read-only access.
    pub const SLAVE: ControllerRole = ControllerRole(3);

    /// The name ovs-ofctl prints (`nochange`, `equal`, `primary`, `secondary`), if known.
    pub const fn name(self) -> Option<&'static str> {
        match self.0 {
            0 => Some("nochange"),
            1 => Some("equal"),
            2 => Some("primary"),
            3 => Some("secondary"),
            _ => None,
        }
    }
}

impl fmt::Display for ControllerRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => f.write_str(n),
            None => write!(f, "{}", self.0),
        }
    }
}

impl fmt::Debug for ControllerRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ControllerRole({self})")
    }
}

/// The body of ROLE_REQUEST and ROLE_REPLY.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Role {
    /// The role requested or granted.
    pub role: ControllerRole,
    /// The master election generation id (ignored by the switch for EQUAL and NOCHANGE).
    pub generation_id: u64,
}

impl Role {
    /// Body length.
    pub const LEN: usize = 16;
    /// The generation id to send when it does not matter (Open vSwitch's "none").
    pub const NO_GENERATION_ID: u64 = u64::MAX;

    /// A role with a generation id.
    pub fn new(role: ControllerRole, generation_id: u64) -> Role {
        Role {
            role,
            generation_id,
        }
    }

    /// A ROLE_REQUEST body asking for the current role without changing it.
    pub fn query() -> Role {
        Role::new(ControllerRole::NOCHANGE, Role::NO_GENERATION_ID)
    }

    /// Parses the body; it must be exactly 16 bytes.
    pub fn parse(r: &mut Reader<'_>) -> Result<Role> {
        let role = ControllerRole(r.u32("ofp_role_request.role")?);
        r.pad(4, "ofp_role_request.pad")?;
        let generation_id = r.u64("ofp_role_request.generation_id")?;
        r.finish("ofp_role_request")?;
        Ok(Role {
            role,
            generation_id,
        })
    }
}

crate::codec::impl_encode!(Role);

impl WireWrite for Role {
    fn encoded_len(&self) -> usize {
        Role::LEN
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        out.put_u32(self.role.0);
        put_zeros(out, 4);
        out.put_u64(self.generation_id);
        Ok(())
    }
}

impl fmt::Display for Role {
    /// `role=primary generation_id=1`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "role={} generation_id={}", self.role, self.generation_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec_error::Error;
    use crate::header::MsgType;
    use crate::simple::testutil::*;
    use alloc::string::ToString;
    use proptest::prelude::*;

    #[test]
    fn os_ken_corpus() {
        for (name, ty, key) in [
            (
                "4-19-ofp_role_request",
                MsgType::ROLE_REQUEST,
                "OFPRoleRequest",
            ),
            ("4-20-ofp_role_reply", MsgType::ROLE_REPLY, "OFPRoleReply"),
        ] {
            let Some(msg) = corpus(name) else { return };
            let r = parse_exact(&msg, ty, Role::parse);
            let Some(json) = corpus_json(name) else {
                return;
            };
            let j = &json[key];
            assert_eq!(u64::from(r.role.0), j["role"].as_u64().unwrap());
            assert_eq!(r.generation_id, j["generation_id"].as_u64().unwrap());
        }
        let Some(msg) = corpus("4-19-ofp_role_request") else {
            return;
        };
        let r = parse_exact(&msg, MsgType::ROLE_REQUEST, Role::parse);
        assert_eq!(r.role, ControllerRole::MASTER);
        assert_eq!(
            r.to_string(),
            "role=primary generation_id=17294086455919964160"
        );
    }

    #[test]
    fn negative_lengths() {
        let good = Role::new(ControllerRole::SLAVE, 7).to_vec().unwrap();
        for n in 0..good.len() {
            let e = parse_bytes(&good[..n], Role::parse).unwrap_err();
            assert!(matches!(e, Error::Truncated { .. }), "{n}: {e}");
        }
        let mut long = good.clone();
        long.push(0);
        assert!(matches!(
            parse_bytes(&long, Role::parse),
            Err(Error::TrailingBytes { offset: 24, .. })
        ));
        let mut bad_pad = good;
        bad_pad[7] = 9;
        assert!(matches!(
            parse_bytes(&bad_pad, Role::parse),
            Err(Error::BadValue {
                offset: 15,
                value: 9,
                ..
            })
        ));
    }

    #[test]
    fn ovs_decodes_what_we_encode() {
        for (ty, role, word) in [
            (
                MsgType::ROLE_REQUEST,
                ControllerRole::MASTER,
                "role=primary",
            ),
            (MsgType::ROLE_REPLY, ControllerRole::SLAVE, "role=secondary"),
            (MsgType::ROLE_REQUEST, ControllerRole::EQUAL, "role=equal"),
        ] {
            let r = Role::new(role, 12345);
            let Some(s) = ofp_print(&message(ty, &r)) else {
                return;
            };
            assert!(s.contains(&ty.to_string()), "{s}");
            assert!(s.contains(word), "{s}");
            assert!(s.contains(&r.to_string()), "{s}");
        }
        let s = ofp_print(&message(MsgType::ROLE_REQUEST, &Role::query())).unwrap();
        assert!(s.contains("role=nochange"), "{s}");
    }

    proptest! {
        #[test]
        fn any_bytes(mut b in proptest::collection::vec(any::<u8>(), 14..18), zero_pad: bool) {
            if zero_pad {
                b[4..8].fill(0);
            }
            if let Ok(r) = parse_bytes(&b, Role::parse) {
                prop_assert_eq!(r.to_vec().unwrap(), b);
            }
        }

        #[test]
        fn owned(role: u32, generation_id: u64) {
            let r = Role::new(ControllerRole(role), generation_id);
            let b = r.to_vec().unwrap();
            prop_assert_eq!(parse_bytes(&b, Role::parse).unwrap(), r);
        }
    }
}
