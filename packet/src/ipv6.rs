//! TEMPORARY placeholder, replaced by the real module.
#![allow(missing_docs, unreachable_pub, dead_code)]
crate::placeholder::placeholder_layer!(Ipv6, Ipv6, step_ipv6, Ipv6Packet);
impl Ipv6 {
    pub(crate) fn pseudo_header_addrs(&self) -> crate::layer::IpPair {
        crate::layer::IpPair::V6(core::net::Ipv6Addr::UNSPECIFIED, core::net::Ipv6Addr::UNSPECIFIED)
    }
}
