//! The venv's python and os-ken's test corpus, wherever the venv's python version put them.
//!
//! `scripts/install-peers.sh` makes `.venv` at the workspace's root with os-ken and scapy. The
//! site-packages folder is `.venv/lib/python3.X/site-packages`, X being whatever python the
//! machine has: found by listing `.venv/lib`, never written down.

use std::path::PathBuf;

/// The python of the peers: `$PEER_PYTHON`, else the workspace's `.venv/bin/python`.
pub fn python() -> PathBuf {
    std::env::var_os("PEER_PYTHON").map_or_else(
        || crate::workspace_root().join(".venv/bin/python"),
        PathBuf::from,
    )
}

/// The venv the peers' python belongs to: the folder above `bin/` of `$PEER_PYTHON`, else the
/// workspace's `.venv`.
pub fn venv() -> PathBuf {
    let py = python();
    match py.parent() {
        Some(bin) if bin.ends_with("bin") && std::env::var_os("PEER_PYTHON").is_some() => {
            bin.parent().map_or(py.clone(), PathBuf::from)
        }
        _ => crate::workspace_root().join(".venv"),
    }
}

/// The installed `os_ken` package folder (`lib/python3*/site-packages/os_ken` in [`venv`]), or
/// why it is not there.
pub fn package_dir() -> Result<PathBuf, String> {
    let lib = venv().join("lib");
    let entries = std::fs::read_dir(&lib).map_err(|e| format!("{}: {e}", lib.display()))?;
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path().join("site-packages/os_ken"))
        .filter(|p| p.join("__init__.py").is_file())
        .collect();
    found.sort();
    found
        .pop()
        .ok_or_else(|| format!("no {}/python3*/site-packages/os_ken", lib.display()))
}

/// os-ken's `tests` folder, with both corpora present (`packet_data/of13` and
/// `unit/ofproto/json/of13`), or why it is not there.
pub fn tests_dir() -> Result<PathBuf, String> {
    let tests = package_dir()?.join("tests");
    for sub in ["packet_data/of13", "unit/ofproto/json/of13"] {
        if !tests.join(sub).is_dir() {
            return Err(format!("{} not found", tests.join(sub).display()));
        }
    }
    Ok(tests)
}

/// os-ken's captured messages of one OpenFlow version (`"of13"`): `tests/packet_data/of13`.
/// Panics when the corpus is missing: call after `require!(Peer::OsKenCorpus)`.
pub fn packet_data(version: &str) -> PathBuf {
    corpus_dir(&format!("packet_data/{version}"))
}

/// os-ken's expected JSON for those messages: `tests/unit/ofproto/json/of13`. Panics when the
/// corpus is missing: call after `require!(Peer::OsKenCorpus)`.
pub fn json_dir(version: &str) -> PathBuf {
    corpus_dir(&format!("unit/ofproto/json/{version}"))
}

fn corpus_dir(sub: &str) -> PathBuf {
    match tests_dir() {
        Ok(t) => t.join(sub),
        Err(why) => panic!("os-ken corpus: {why} (check Peer::OsKenCorpus first)"),
    }
}

/// The files of one corpus folder ending with `suffix` (`".packet"`), sorted by name.
pub fn files(dir: &std::path::Path, suffix: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    v.sort();
    v
}
