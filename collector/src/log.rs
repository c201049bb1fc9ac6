//! Logging to stderr with levels: one line per message, `sflow-collector: LEVEL: message`.
//!
//! A service writes few lines (start, listeners, refused input, carbon going down and coming
//! back); a global level read with one atomic load is all it needs, so no logging framework is
//! pulled in.

use core::fmt;
use core::str::FromStr;
use core::sync::atomic::{AtomicU8, Ordering};
use std::io::Write as _;

/// How much is logged, from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Nothing.
    Off = 0,
    /// What stops the service or a part of it.
    Error = 1,
    /// Refused input (malformed datagrams, bad requests), carbon unreachable.
    Warn = 2,
    /// Start, listeners, definitions loaded, carbon reconnected.
    Info = 3,
    /// Every request and every datagram error.
    Debug = 4,
}

impl Level {
    /// The level's name as `--log-level` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Level::Off => "off",
            Level::Error => "error",
            Level::Warn => "warn",
            Level::Info => "info",
            Level::Debug => "debug",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Level {
    type Err = String;
    fn from_str(s: &str) -> Result<Level, String> {
        Ok(match s {
            "off" => Level::Off,
            "error" => Level::Error,
            "warn" => Level::Warn,
            "info" => Level::Info,
            "debug" => Level::Debug,
            _ => {
                return Err(format!(
                    "expected off, error, warn, info or debug, got `{s}`"
                ))
            }
        })
    }
}

static LEVEL: AtomicU8 = AtomicU8::new(Level::Info as u8);

/// Sets the level of the whole process.
pub fn set_level(level: Level) {
    LEVEL.store(level as u8, Ordering::Relaxed);
}

/// Whether messages of `level` are written.
pub fn enabled(level: Level) -> bool {
    level != Level::Off && level as u8 <= LEVEL.load(Ordering::Relaxed)
}

/// Writes one line to stderr if `level` is enabled (an unwritable stderr is ignored).
pub fn write(level: Level, args: fmt::Arguments<'_>) {
    if enabled(level) {
        let _ = writeln!(std::io::stderr().lock(), "sflow-collector: {level}: {args}");
    }
}

/// Logs at a level: `log!(Warn, "bad datagram from {agent}")`.
#[macro_export]
macro_rules! log {
    ($level:ident, $($arg:tt)*) => {
        $crate::log::write($crate::log::Level::$level, format_args!($($arg)*))
    };
}
