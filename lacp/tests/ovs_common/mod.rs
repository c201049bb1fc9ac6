//! What the tests against Open vSwitch's LACP share beyond `sdnwire_testkit::ovs` (the private
//! OVS, the dummy ports' unix-socket framing): bonds over dummy ports whose other ends are unix
//! sockets (scripts/lacp-ovs-bond.sh), and parsers for `ovs-appctl lacp/show` and
//! `lacp/show-stats`.
#![allow(dead_code)] // each test file uses its own part

use std::collections::BTreeMap;

pub(crate) use sdnwire_testkit::ovs::{connect, FramedStream, Ovs};
pub(crate) use sdnwire_testkit::wait;

// ------------------------------------------------------------------ bonds

/// LACP bonds on a private OVS.
pub(crate) trait LacpOvs {
    /// scripts/lacp-ovs-bond.sh ARGS (panics with the log when it fails).
    fn bond_sh(&self, args: &[&str]) -> String;

    /// Bridge `br` with an LACP bond `bond` (`lacp`: "active" or "passive") at `rate` ("fast"
    /// or "slow"), system id `sys_mac`, over members named `members`, each a dummy port on
    /// which OVS listens at [`Ovs::sock`]`(member)`.
    fn add_bond(
        &self,
        br: &str,
        bond: &str,
        lacp: &str,
        rate: &str,
        sys_mac: &str,
        members: &[&str],
    );

    /// `ovs-appctl lacp/show BOND`, parsed (panics with the text when it does not parse).
    fn lacp_show(&self, bond: &str) -> ShowBond;

    /// `ovs-appctl lacp/show-stats BOND`, parsed: member -> counter name -> value.
    fn lacp_stats(&self, bond: &str) -> BTreeMap<String, BTreeMap<String, u64>>;
}

impl LacpOvs for Ovs {
    fn bond_sh(&self, args: &[&str]) -> String {
        self.script("lacp-ovs-bond.sh", args, &[])
    }

    fn add_bond(
        &self,
        br: &str,
        bond: &str,
        lacp: &str,
        rate: &str,
        sys_mac: &str,
        members: &[&str],
    ) {
        let specs: Vec<String> = members
            .iter()
            .map(|m| format!("{m}=punix:{}", self.sock(m).display()))
            .collect();
        let mut args = vec!["add", br, bond, rate, sys_mac];
        args.extend(specs.iter().map(String::as_str));
        self.script("lacp-ovs-bond.sh", &args, &[("LACP_MODE", lacp)]);
    }

    fn lacp_show(&self, bond: &str) -> ShowBond {
        let text = self.appctl(&["lacp/show", bond]);
        let mut bonds = parse_lacp_show(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(bonds.len(), 1, "{text}");
        bonds.remove(0)
    }

    fn lacp_stats(&self, bond: &str) -> BTreeMap<String, BTreeMap<String, u64>> {
        let text = self.appctl(&["lacp/show-stats", bond]);
        parse_lacp_stats(&text).unwrap_or_else(|e| panic!("{e}\n{text}"))
    }
}

// ------------------------------------------------------------------ lacp/show, lacp/show-stats

/// One side (actor or partner) of a member in `lacp/show`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ShowSide {
    /// `sys_id` (a MAC address, as printed).
    pub(crate) sys_id: String,
    /// `sys_priority`.
    pub(crate) sys_priority: u16,
    /// `port_id`.
    pub(crate) port_id: u16,
    /// `port_priority`.
    pub(crate) port_priority: u16,
    /// `key`.
    pub(crate) key: u16,
    /// The words of `state` (activity, timeout, aggregation, synchronized, collecting,
    /// distributing, defaulted, expired).
    pub(crate) state: Vec<String>,
}

impl ShowSide {
    /// Whether the state lists `word`.
    pub(crate) fn has(&self, word: &str) -> bool {
        self.state.iter().any(|w| w == word)
    }
}

/// A member of a bond in `lacp/show`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ShowMember {
    /// Its interface name.
    pub(crate) name: String,
    /// The words after the name: `current`/`expired`/`defaulted`, `attached`/`detached`.
    pub(crate) status: Vec<String>,
    /// `port_id`.
    pub(crate) port_id: u16,
    /// `may_enable`.
    pub(crate) may_enable: bool,
    /// OVS's own information.
    pub(crate) actor: ShowSide,
    /// What OVS knows of its partner.
    pub(crate) partner: ShowSide,
}

impl ShowMember {
    /// Whether the status lists `word`.
    pub(crate) fn is(&self, word: &str) -> bool {
        self.status.iter().any(|w| w == word)
    }
}

/// A bond in `lacp/show`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ShowBond {
    /// Its name.
    pub(crate) name: String,
    /// `status` (`active negotiated`, ...).
    pub(crate) status: String,
    /// `sys_id`.
    pub(crate) sys_id: String,
    /// `sys_priority`.
    pub(crate) sys_priority: u16,
    /// `aggregation key`.
    pub(crate) key: u16,
    /// `lacp_time` (`fast` or `slow`).
    pub(crate) lacp_time: String,
    /// Its members, in the order printed.
    pub(crate) members: Vec<ShowMember>,
}

impl ShowBond {
    /// The member named `name` (panics when absent).
    pub(crate) fn member(&self, name: &str) -> &ShowMember {
        self.members
            .iter()
            .find(|m| m.name == name)
            .unwrap_or_else(|| panic!("no member {name} in {self:#?}"))
    }
}

fn num<T: core::str::FromStr>(line: usize, key: &str, v: &str) -> Result<T, String> {
    v.parse()
        .map_err(|_| format!("line {line}: {key}: not a number: {v:?}"))
}

/// Parses the text of `ovs-appctl lacp/show [BOND]` (OVS 3.x, lib/lacp.c `lacp_print_details`):
/// `---- NAME ----` opens a bond, `member: NAME: WORDS` a member, `actor ...`/`partner ...`
/// lines fill its sides; unknown lines are ignored, so that a newer OVS that adds fields still
/// parses; a known field with a bad value, or a field outside a bond or member, is an error.
pub(crate) fn parse_lacp_show(text: &str) -> Result<Vec<ShowBond>, String> {
    let mut bonds: Vec<ShowBond> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let l = raw.trim();
        if l.is_empty() {
            continue;
        }
        if let Some(name) = l
            .strip_prefix("---- ")
            .and_then(|r| r.strip_suffix(" ----"))
        {
            bonds.push(ShowBond {
                name: name.to_owned(),
                ..ShowBond::default()
            });
            continue;
        }
        let bond = bonds
            .last_mut()
            .ok_or_else(|| format!("line {line}: {l:?} before any '---- BOND ----'"))?;
        let Some((key, value)) = l.split_once(':') else {
            continue;
        };
        let value = value.trim();
        if key == "member" || key == "slave" {
            // "member: p3: current attached" (older OVS: "slave: ...")
            let (name, words) = value.split_once(':').unwrap_or((value, ""));
            bond.members.push(ShowMember {
                name: name.trim().to_owned(),
                status: words.split_whitespace().map(str::to_owned).collect(),
                ..ShowMember::default()
            });
            continue;
        }
        let Some(member) = bond.members.last_mut() else {
            match key {
                "status" => bond.status = value.to_owned(),
                "sys_id" => bond.sys_id = value.to_owned(),
                "sys_priority" => bond.sys_priority = num(line, key, value)?,
                "aggregation key" => bond.key = num(line, key, value)?,
                "lacp_time" => bond.lacp_time = value.to_owned(),
                _ => {}
            }
            continue;
        };
        let (side, field) = match key.split_once(' ') {
            Some(("actor", f)) => (Some(&mut member.actor), f),
            Some(("partner", f)) => (Some(&mut member.partner), f),
            _ => (None, key),
        };
        match (side, field) {
            (None, "port_id") => member.port_id = num(line, key, value)?,
            (None, "may_enable") => {
                member.may_enable = match value {
                    "true" => true,
                    "false" => false,
                    _ => return Err(format!("line {line}: may_enable: {value:?}")),
                }
            }
            (None, _) => {}
            (Some(s), "sys_id") => s.sys_id = value.to_owned(),
            (Some(s), "sys_priority") => s.sys_priority = num(line, key, value)?,
            (Some(s), "port_id") => s.port_id = num(line, key, value)?,
            (Some(s), "port_priority") => s.port_priority = num(line, key, value)?,
            (Some(s), "key") => s.key = num(line, key, value)?,
            (Some(s), "state") => {
                s.state = value.split_whitespace().map(str::to_owned).collect();
            }
            (Some(_), _) => {}
        }
    }
    Ok(bonds)
}

/// Parses `ovs-appctl lacp/show-stats [BOND]`: member -> counter -> value (`TX PDUs`, `RX
/// PDUs`, `RX Bad PDUs`, `RX Marker Request PDUs`, `Link Expired`, `Link Defaulted`, `Carrier
/// Status Changed`), for every bond printed.
pub(crate) fn parse_lacp_stats(
    text: &str,
) -> Result<BTreeMap<String, BTreeMap<String, u64>>, String> {
    let mut members: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for (i, raw) in text.lines().enumerate() {
        let l = raw.trim();
        if l.is_empty() || l.starts_with("----") {
            continue;
        }
        let Some((key, value)) = l.split_once(':') else {
            return Err(format!("line {}: {l:?}", i + 1));
        };
        let value = value.trim();
        if key == "member" || key == "slave" {
            let name = value.trim_end_matches(':').to_owned();
            members.entry(name.clone()).or_default();
            current = Some(name);
            continue;
        }
        let m = current
            .as_ref()
            .ok_or_else(|| format!("line {}: {l:?} before any member", i + 1))?;
        let v = num(i + 1, key, value)?;
        members
            .entry(m.clone())
            .or_default()
            .insert(key.to_owned(), v);
    }
    Ok(members)
}
