//! TEMPORARY placeholder, replaced by the real module.
#![allow(missing_docs, unreachable_pub, dead_code)]
#[derive(Debug)]
pub struct Ipv4Packet<T: AsRef<[u8]>>(T);
impl<T: AsRef<[u8]>> Ipv4Packet<T> { pub fn new_checked(b: T) -> crate::Result<Self> { Ok(Ipv4Packet(b)) } }
pub(crate) fn step_ipv4(buf: &[u8]) -> crate::Result<crate::layer::Step> {
    Ok(crate::layer::Step { header_len: buf.len(), end: buf.len(), next: crate::layer::Next::Payload })
}
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Ipv4 { pub src: core::net::Ipv4Addr, pub dst: core::net::Ipv4Addr }
impl Ipv4 { pub fn parse(_b: &[u8]) -> crate::Result<Self> { Ok(Ipv4 { src: core::net::Ipv4Addr::UNSPECIFIED, dst: core::net::Ipv4Addr::UNSPECIFIED }) } }
impl core::fmt::Display for Ipv4 { fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result { write!(f, "ipv4") } }
impl crate::layer::Protocol for Ipv4 {
    const KIND: crate::LayerKind = crate::LayerKind::Ipv4;
    fn header_len(&self) -> usize { 20 }
    fn emit(&self, _buf: &mut [u8], _ctx: &crate::layer::EmitContext) -> crate::Result<()> { Ok(()) }
    fn from_layer(layer: &crate::Layer) -> Option<&Self> { match layer { crate::Layer::Ipv4(v) => Some(v), _ => None } }
    fn from_layer_mut(layer: &mut crate::Layer) -> Option<&mut Self> { match layer { crate::Layer::Ipv4(v) => Some(v), _ => None } }
}
