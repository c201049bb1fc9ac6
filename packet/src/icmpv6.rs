//! TEMPORARY placeholder, replaced by the real module.
#![allow(missing_docs, unreachable_pub, dead_code)]
crate::placeholder::placeholder_layer!(Icmpv6, Icmpv6, step_icmpv6, Icmpv6Packet);
