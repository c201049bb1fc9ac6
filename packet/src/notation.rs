//! Helpers for the Ryu-style `Display` notation (`ipv4(csum=...,dst='192.0.2.1',...)`).

use core::fmt;

/// Shows an optional computed field: the value, or `None` when it is left to the encoder.
pub(crate) struct Opt<T>(pub(crate) Option<T>);

impl<T: fmt::Display> fmt::Display for Opt<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(v) => v.fmt(f),
            None => f.write_str("None"),
        }
    }
}

/// Shows bytes as a Python bytes literal (`b'\x00abc'`), exactly as Python's `repr` does
/// (double quotes when the bytes hold a `'` but no `"`), since Ryu's repr prints them so.
pub(crate) struct PyBytes<'a>(pub(crate) &'a [u8]);

impl fmt::Display for PyBytes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dq = self.0.contains(&b'\'') && !self.0.contains(&b'"');
        let q = if dq { '"' } else { '\'' };
        write!(f, "b{q}")?;
        for &b in self.0 {
            match b {
                b'\\' => f.write_str("\\\\")?,
                b'\'' if !dq => f.write_str("\\'")?,
                b'\t' => f.write_str("\\t")?,
                b'\n' => f.write_str("\\n")?,
                b'\r' => f.write_str("\\r")?,
                0x20..=0x7e => fmt::Write::write_char(f, char::from(b))?,
                _ => write!(f, "\\x{b:02x}")?,
            }
        }
        write!(f, "{q}")
    }
}

/// Shows a list as Python does: `[a, b, c]`.
pub(crate) struct List<'a, T>(pub(crate) &'a [T]);

impl<T: fmt::Display> fmt::Display for List<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[")?;
        for (i, v) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            v.fmt(f)?;
        }
        f.write_str("]")
    }
}

/// Shows a value inside single quotes (`'10.0.0.1'`), as Ryu prints addresses.
pub(crate) struct Quoted<T>(pub(crate) T);

impl<T: fmt::Display> fmt::Display for Quoted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "'{}'", self.0)
    }
}

/// `Display` (the number) and `Debug` (`Name(number)`) for an open newtype `Name(pub uN)` of
/// this crate (etherparse's idiom): one definition for every protocol number that prints
/// plainly.
macro_rules! open_newtype_fmt {
    ($($name:ident),* $(,)?) => {$(
        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                core::fmt::Display::fmt(&self.0, f)
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self.0)
            }
        }
    )*};
}
pub(crate) use open_newtype_fmt;

/// `From` both ways between an open newtype `Name(pub uN)` and its integer.
macro_rules! open_newtype_from {
    ($($name:ident($int:ty)),* $(,)?) => {$(
        impl From<$int> for $name {
            fn from(v: $int) -> Self {
                $name(v)
            }
        }

        impl From<$name> for $int {
            fn from(v: $name) -> Self {
                v.0
            }
        }
    )*};
}
pub(crate) use open_newtype_from;

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    #[test]
    fn python_bytes_literal() {
        assert_eq!(
            format!("{}", PyBytes(b"\x00ab'\"\\\n\xff")),
            "b'\\x00ab\\'\"\\\\\\n\\xff'"
        );
        assert_eq!(format!("{}", PyBytes(b"a'b")), "b\"a'b\"");
        assert_eq!(format!("{}", Opt::<u16>(None)), "None");
        assert_eq!(format!("{}", List(&[1, 2])), "[1, 2]");
    }
}
