//! The declarative tables: each struct's JSON attributes are listed once, as `"name" => field`
//! pairs, and [`json_struct!`] makes both directions from that one list.
//!
//! A field's type says how its value is written and read ([`Attr`]): integers and the open
//! newtypes as numbers, lists as arrays of their items, nested structures as their os-ken
//! class. A field whose JSON form is not its type's names a [`Via`] (`as Bytes`: base64).
//! Attributes os-ken computes (`length`, `len`) are `computed`: written, not read back (the
//! encoder computes them).

use super::*;

/// How a field's type is written to and read from JSON.
pub(super) trait Attr: Sized {
    fn to_json(&self) -> Value;
    fn from_json(v: &Value, p: &P<'_>) -> R<Self>;
}

/// A JSON form other than the field type's own (the `as` of a table entry).
pub(super) trait Via<T> {
    fn to_json(x: &T) -> Value;
    fn from_json(v: &Value, p: &P<'_>) -> R<T>;
}

macro_rules! attr_uint {
    ($($t:ty),*) => {$(
        impl Attr for $t {
            fn to_json(&self) -> Value {
                n(*self)
            }
            fn from_json(v: &Value, p: &P<'_>) -> R<Self> {
                num(v, p)
            }
        }
    )*};
}
attr_uint!(u8, u16, u32, u64);

/// Open newtypes (`PortNo(pub u32)`): written as the number.
macro_rules! attr_newtype {
    ($($t:ident($inner:ty)),* $(,)?) => {$(
        impl Attr for $t {
            fn to_json(&self) -> Value {
                n(self.0)
            }
            fn from_json(v: &Value, p: &P<'_>) -> R<Self> {
                num::<$inner>(v, p).map($t)
            }
        }
    )*};
}
pub(super) use attr_newtype;

/// Structures that have their own writer and reader (`match_to`/`match_from`).
macro_rules! attr_fns {
    ($($t:ty: $to:ident, $from:ident);* $(;)?) => {$(
        impl Attr for $t {
            fn to_json(&self) -> Value {
                $to(self)
            }
            fn from_json(v: &Value, p: &P<'_>) -> R<Self> {
                $from(v, p)
            }
        }
    )*};
}
pub(super) use attr_fns;

impl<T: Attr> Attr for Vec<T> {
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(Attr::to_json).collect())
    }
    fn from_json(v: &Value, p: &P<'_>) -> R<Self> {
        v.as_array()
            .ok_or_else(|| p.err("expected an array"))?
            .iter()
            .enumerate()
            .map(|(i, x)| T::from_json(x, &p.i(i)))
            .collect()
    }
}

impl<T: Attr, const N: usize> Attr for sdnwire_inline::InlineVec<T, N> {
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(Attr::to_json).collect())
    }
    fn from_json(v: &Value, p: &P<'_>) -> R<Self> {
        v.as_array()
            .ok_or_else(|| p.err("expected an array"))?
            .iter()
            .enumerate()
            .map(|(i, x)| T::from_json(x, &p.i(i)))
            .collect()
    }
}

impl<const N: usize> Attr for [u32; N] {
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(|x| n(*x)).collect())
    }
    fn from_json(v: &Value, p: &P<'_>) -> R<Self> {
        let words = ["no", "one", "two", "three", "four"];
        <[u32; N]>::try_from(u32_list(v, p)?).map_err(|_| {
            p.err(format!(
                "expected {} integers",
                words.get(N).copied().unwrap_or("more")
            ))
        })
    }
}

/// `bytes` attributes: base64.
pub(super) struct Bytes;

impl Via<Vec<u8>> for Bytes {
    fn to_json(x: &Vec<u8>) -> Value {
        b64v(x)
    }
    fn from_json(v: &Value, p: &P<'_>) -> R<Vec<u8>> {
        bytes(v, p)
    }
}

impl<const N: usize> Via<sdnwire_inline::InlineVec<u8, N>> for Bytes {
    fn to_json(x: &sdnwire_inline::InlineVec<u8, N>) -> Value {
        b64v(x)
    }
    fn from_json(v: &Value, p: &P<'_>) -> R<sdnwire_inline::InlineVec<u8, N>> {
        // Inline when it fits (the decoded vector's capacity may be past `N`).
        let v = bytes(v, p)?;
        Ok(if v.len() <= N {
            sdnwire_inline::InlineVec::from_slice(&v)
        } else {
            v.into()
        })
    }
}

/// NUL-padded description strings (`ofp_desc`): text.
pub(super) struct DescStr;

impl<const N: usize> Via<[u8; N]> for DescStr {
    fn to_json(x: &[u8; N]) -> Value {
        name_text(x, true)
    }
    fn from_json(v: &Value, p: &P<'_>) -> R<[u8; N]> {
        name_of(v, p)
    }
}

/// A structure that is one os-ken class: written whole, read from the class's attributes
/// (for callers that have already matched the class name, as the message dispatch does).
pub(super) trait JsonClass: Sized {
    fn write_class(&self) -> Value;
    fn read_attrs(o: &O<'_, '_>) -> R<Self>;
}

/// Ethernet addresses: `"00:11:22:33:44:55"`.
pub(super) struct Mac;

impl Via<MacAddr> for Mac {
    fn to_json(x: &MacAddr) -> Value {
        mac_text(x)
    }
    fn from_json(v: &Value, p: &P<'_>) -> R<MacAddr> {
        mac_of(v, p)
    }
}

/// NUL-padded names (`ofp_port.name`): text, non-ASCII bytes kept.
pub(super) struct Name;

impl<const N: usize> Via<[u8; N]> for Name {
    fn to_json(x: &[u8; N]) -> Value {
        name_text(x, false)
    }
    fn from_json(v: &Value, p: &P<'_>) -> R<[u8; N]> {
        name_of(v, p)
    }
}

impl O<'_, '_> {
    /// Reads attribute `key` in its field type's form.
    pub(super) fn attr<T: Attr>(&self, key: &str) -> R<T> {
        T::from_json(self.get(key)?, &self.p.k(key))
    }

    /// Reads attribute `key` through a [`Via`].
    pub(super) fn via<T, V: Via<T>>(&self, key: &str) -> R<T> {
        V::from_json(self.get(key)?, &self.p.k(key))
    }
}

/// One attribute's value, written: through its type, or through a [`Via`].
macro_rules! attr_to {
    ($x:expr) => {
        $crate::json::table::Attr::to_json($x)
    };
    ($x:expr, $via:ty) => {
        <$via as $crate::json::table::Via<_>>::to_json($x)
    };
}
pub(super) use attr_to;

/// One attribute's value, read.
macro_rules! attr_from {
    ($o:expr, $key:literal) => {
        $o.attr($key)?
    };
    ($o:expr, $key:literal, $via:ty) => {
        $o.via::<_, $via>($key)?
    };
}
pub(super) use attr_from;

/// Defines `$to(&T) -> Value` and `$from(&Value, &P) -> R<T>` from one table of
/// `"name" => field [as Via]` entries (in os-ken's attribute order, which is alphabetical).
/// `; computed "name" => |s| expr` entries, after the fields, are written only.
macro_rules! json_struct {
    ($(
        $to:ident, $from:ident: $t:ident $class:literal {
            $($key:literal => $field:ident $(as $via:ty)?),* $(,)?
            $(; $(computed $ck:literal => $cf:expr),* $(,)?)?
        }
    )*) => {$(
        impl $crate::json::table::JsonClass for $t {
            fn write_class(&self) -> Value {
                let s = self;
                #[allow(unused_mut)]
                let mut v = cls(
                    $class,
                    [$(($key, $crate::json::table::attr_to!(&s.$field $(, $via)?))),*],
                );
                $($(
                    let f: fn(&$t) -> Value = $cf;
                    add(&mut v, $ck, f(s));
                )*)?
                v
            }

            fn read_attrs(o: &O<'_, '_>) -> R<$t> {
                Ok($t {
                    $($field: $crate::json::table::attr_from!(o, $key $(, $via)?)),*
                })
            }
        }

        #[allow(dead_code)]
        pub(super) fn $to(s: &$t) -> Value {
            $crate::json::table::JsonClass::write_class(s)
        }

        #[allow(dead_code)]
        pub(super) fn $from(v: &Value, p: &P<'_>) -> R<$t> {
            <$t as $crate::json::table::JsonClass>::read_attrs(&expect_class(v, p, $class)?)
        }
    )*};
}
pub(super) use json_struct;

/// For bodies shared by two classes (`SwitchConfig` is `OFPGetConfigReply` and `OFPSetConfig`)
/// and attributes that join others (a flow statistics request's): defines `$add(&mut Value,
/// &T)`, which adds the attributes to a class object, and `$read(&O) -> R<T>`, from one table.
macro_rules! json_attrs {
    ($(
        $add:ident, $read:ident: $t:ident {
            $($key:literal => $field:ident $(as $via:ty)?),* $(,)?
        }
    )*) => {$(
        pub(super) fn $add(v: &mut Value, s: &$t) {
            $(add(v, $key, $crate::json::table::attr_to!(&s.$field $(, $via)?));)*
        }

        pub(super) fn $read(o: &O<'_, '_>) -> R<$t> {
            Ok($t {
                $($field: $crate::json::table::attr_from!(o, $key $(, $via)?)),*
            })
        }
    )*};
}
pub(super) use json_attrs;
