//! TEMPORARY placeholder, replaced by the real module.
#![allow(missing_docs, unreachable_pub, dead_code)]
crate::placeholder::placeholder_layer!(Udp, Udp, step_udp, UdpPacket);
