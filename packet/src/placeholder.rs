//! TEMPORARY development scaffolding: stand-ins for modules being written. Deleted before the
//! crate is done.
#![allow(missing_docs, unreachable_pub, dead_code)]

macro_rules! placeholder_layer {
    ($name:ident, $kind:ident, $step:ident, $view:ident) => {
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        pub struct $name {
            pub raw: alloc::vec::Vec<u8>,
        }
        impl $name {
            pub fn parse(buf: &[u8]) -> crate::Result<Self> {
                Ok($name { raw: buf.to_vec() })
            }
        }
        pub(crate) fn $step(buf: &[u8]) -> crate::Result<crate::layer::Step> {
            Ok(crate::layer::Step { header_len: buf.len(), end: buf.len(), next: crate::layer::Next::Payload })
        }
        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                write!(f, "{}(...)", stringify!($name))
            }
        }
        impl crate::layer::Protocol for $name {
            const KIND: crate::LayerKind = crate::LayerKind::$kind;
            fn header_len(&self) -> usize {
                self.raw.len()
            }
            fn emit(&self, buf: &mut [u8], _ctx: &crate::layer::EmitContext) -> crate::Result<()> {
                crate::raw::put_bytes(buf, 0, &self.raw);
                Ok(())
            }
            fn from_layer(layer: &crate::Layer) -> Option<&Self> {
                match layer {
                    crate::Layer::$kind(v) => Some(v),
                    _ => None,
                }
            }
            fn from_layer_mut(layer: &mut crate::Layer) -> Option<&mut Self> {
                match layer {
                    crate::Layer::$kind(v) => Some(v),
                    _ => None,
                }
            }
        }
        #[derive(Debug)]
        pub struct $view<T: AsRef<[u8]>>(T);
        impl<T: AsRef<[u8]>> $view<T> {
            pub fn new_checked(b: T) -> crate::Result<Self> {
                Ok($view(b))
            }
        }
    };
}
pub(crate) use placeholder_layer;
