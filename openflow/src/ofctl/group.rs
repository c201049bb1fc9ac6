//! Groups in `ovs-ofctl add-group` notation.

use alloc::format;
use alloc::vec::Vec;

use super::actions::parse_bucket_action;
use super::fields::{self, Flow};
use super::{err, finish, Items, ParseError, Tok, R};
use crate::group_mod::{Bucket, GroupMod, GroupModCommand, GroupType};
use crate::types::{GroupId, PortNo};

/// Parses a line of an `ovs-ofctl add-groups` file (Open vSwitch 3.1, OpenFlow 1.3):
/// `[add|modify|delete] group_id=N,type=all|select|indirect|ff,bucket=...,bucket=...`.
///
/// - The command word is optional (`add` when absent) and, as in ovs-ofctl, may be shortened
///   (`mod`, `del`); `ADD`, `MOD` and `DEL`, as [`GroupMod`]'s `Display` prints them, are
///   read too (a `DEL` line may carry the `type=` that `Display` prints).
/// - `group_id` is a number up to 0xffffff00 or `all`; `type` is required for add and modify
///   and refused for delete; a delete without anything deletes every group.
/// - Each `bucket=` takes `weight:N` (select groups only; 1 by default for them),
///   `watch_port:P`, `watch_group:G` (fast failover needs one of them), then its actions
///   (`actions=...`, or the actions alone), as [`super::parse_actions`] reads them; an
///   indirect group has at most one bucket.
///
/// OpenFlow 1.5's `bucket_id`, `selection_method` and `selection_method_param` are read and
/// left out, as OVS leaves them out of a 1.3 GROUP_MOD. Left out (refused): OpenFlow 1.5's
/// `add_or_mod`, `insert_bucket`, `remove_bucket`, `command_bucket_id` and `fields`.
pub fn parse_group_line(line: &str) -> Result<GroupMod, ParseError> {
    parse(line, true).map_err(|e| finish(line, e))
}

/// Parses an `ovs-ofctl add-group` argument (as `ovs-ofctl parse-group` does): an OFPGC_ADD
/// [`GroupMod`], without a command word (see [`parse_group_line`] for the rest).
pub fn parse_group(line: &str) -> Result<GroupMod, ParseError> {
    parse(line, false).map_err(|e| finish(line, e))
}

fn parse(line: &str, with_command: bool) -> R<GroupMod> {
    let trimmed = line.trim_start_matches([' ', '\t', '\r', '\n']);
    let mut at = line.len() - trimmed.len();
    let word_len = trimmed
        .find([',', ' ', '\t', '\r', '\n'])
        .unwrap_or(trimmed.len());
    let word = trimmed.get(..word_len).unwrap_or("");
    let prefix = |full: &str| !word.is_empty() && full.starts_with(word);
    let (command, print_form) = if !with_command || word.contains('=') || word.is_empty() {
        (GroupModCommand::ADD, false)
    } else if word == "ADD" || prefix("add") {
        (GroupModCommand::ADD, word == "ADD")
    } else if word == "MOD" || prefix("modify") {
        (GroupModCommand::MODIFY, word == "MOD")
    } else if word == "DEL" || prefix("delete") {
        (GroupModCommand::DELETE, word == "DEL")
    } else if prefix("add_or_mod") || prefix("insert_bucket") || prefix("remove_bucket") {
        let t = Tok { text: word, at };
        return err(t, format!("{word}: needs OpenFlow 1.5"));
    } else {
        (GroupModCommand::ADD, false)
    };
    if with_command
        && !(word.contains('=') || word.is_empty())
        && (print_form || ["add", "modify", "delete"].iter().any(|f| prefix(f)))
    {
        at += word_len;
    }
    let body = Tok {
        text: line.get(at..).unwrap_or(""),
        at,
    };
    let delete = command == GroupModCommand::DELETE;
    let mut gm = GroupMod {
        command,
        type_: GroupType::ALL,
        group_id: GroupId::ANY,
        buckets: Vec::new(),
    };
    if delete && body.text.trim().is_empty() {
        gm.group_id = GroupId::ALL;
        return Ok(gm);
    }
    // The buckets are parsed last (the type sets their defaults).
    let (head, buckets) = match body.text.find("bucket=") {
        Some(i) => (body.sub(0, i), Some(body.sub(i, body.text.len()))),
        None => (body, None),
    };
    if let (true, Some(b)) = (delete, buckets) {
        return err(b, "bucket is not needed");
    }
    let mut had_type = false;
    for it in Items::new(head) {
        let v = match it.value {
            Some(v) if !v.text.is_empty() => v,
            _ => return err(it.all, format!("field {} missing value", it.key.text)),
        };
        match it.key.text {
            "group_id" => {
                gm.group_id = if v.text == "all" {
                    GroupId::ALL
                } else {
                    match fields::parse_uint(v.text).and_then(|x| u32::try_from(x).ok()) {
                        Some(g) if g <= GroupId::MAX.0 || g == GroupId::ALL.0 => GroupId(g),
                        Some(g) => return err(v, format!("invalid group id {g}")),
                        None => return err(v, format!("{}: invalid group id", v.text)),
                    }
                };
            }
            "type" => {
                if delete && !print_form {
                    return err(it.all, "type is not needed");
                }
                gm.type_ = match v.text {
                    "all" => GroupType::ALL,
                    "select" => GroupType::SELECT,
                    "indirect" => GroupType::INDIRECT,
                    "ff" | "fast_failover" => GroupType::FF,
                    _ => return err(v, format!("invalid group type {}", v.text)),
                };
                had_type = true;
            }
            // OpenFlow 1.5's, which OVS reads and leaves out of a 1.3 GROUP_MOD.
            "selection_method" | "selection_method_param" => {}
            "fields" | "command_bucket_id" => {
                return err(it.all, format!("{}: needs OpenFlow 1.5", it.key.text));
            }
            k => return err(it.key, format!("unknown keyword {k}")),
        }
    }
    if gm.group_id == GroupId::ANY {
        return err(body, "must specify a group_id");
    }
    if !delete && !had_type {
        return err(body, "must specify a type");
    }
    if let Some(b) = buckets {
        // Each "bucket=" starts one; its content runs to the next "bucket=".
        let mut rest = b;
        loop {
            let content_at = "bucket=".len();
            let next = rest
                .text
                .get(content_at..)
                .and_then(|t| t.find("bucket="))
                .map(|i| i + content_at);
            let this = rest.sub(content_at, next.unwrap_or(rest.text.len()));
            let bucket =
                parse_bucket(rest.sub(0, next.unwrap_or(rest.text.len())), this, gm.type_)?;
            if gm.type_ != GroupType::SELECT && bucket.weight != 0 {
                return err(this, "Only select groups can have bucket weights.");
            }
            gm.buckets.push(bucket);
            match next {
                Some(n) => rest = rest.sub(n, rest.text.len()),
                None => break,
            }
        }
    }
    if gm.type_ == GroupType::INDIRECT && gm.buckets.len() > 1 {
        return err(body, "Indirect groups can have at most one bucket.");
    }
    Ok(gm)
}

/// One bucket's content (`weight:N,watch_port:P,actions=...`).
fn parse_bucket(all: Tok<'_>, t: Tok<'_>, type_: GroupType) -> R<Bucket> {
    let mut b = Bucket {
        weight: u16::from(type_ == GroupType::SELECT),
        watch_port: PortNo::ANY,
        watch_group: GroupId::ANY,
        actions: Vec::new(),
    };
    // Groups have no match: OVS checks no action's prerequisites here.
    let mut state = Flow::permissive();
    let mut any_action = false;
    let mut drop = None;
    for it in Items::new(t) {
        let v = it.value.filter(|v| !v.text.is_empty());
        match it.key.text.to_ascii_lowercase().as_str() {
            "weight" => {
                let Some(v) = v else {
                    return err(it.all, "weight needs a value");
                };
                b.weight = match fields::parse_uint(v.text).and_then(|x| u16::try_from(x).ok()) {
                    Some(w) => w,
                    None => return err(v, format!("{}: invalid weight", v.text)),
                };
            }
            "watch_port" => {
                let Some(v) = v else {
                    return err(it.all, "watch_port needs a value");
                };
                b.watch_port = match fields::parse_port(v.text) {
                    Some(p)
                        if p < PortNo::MAX.0 || p == PortNo::ANY.0 || p == PortNo::CONTROLLER.0 =>
                    {
                        PortNo(p)
                    }
                    _ => return err(v, format!("{}: invalid watch_port", v.text)),
                };
            }
            "watch_group" => {
                let Some(v) = v else {
                    return err(it.all, "watch_group needs a value");
                };
                b.watch_group = match fields::parse_uint(v.text).and_then(|x| u32::try_from(x).ok())
                {
                    Some(g) if g <= GroupId::MAX.0 => GroupId(g),
                    _ => return err(v, format!("invalid watch_group id {}", v.text)),
                };
            }
            // OpenFlow 1.5's, which OVS reads and leaves out of a 1.3 bucket.
            "bucket_id" => match v.map(|v| fields::parse_uint(v.text)) {
                Some(Some(x)) if x <= 0xffff_ff00 => {}
                _ => return err(it.all, "invalid bucket_id"),
            },
            "action" | "actions" => {
                any_action = true;
                // `actions=` takes the next item as its first action.
                if let Some(v) = it.value {
                    for a in Items::new(v) {
                        if a.key.text == "drop" {
                            drop = Some(a.all);
                        } else {
                            parse_bucket_action(&a, &mut state, &mut b.actions)?;
                        }
                    }
                }
            }
            "drop" => {
                any_action = true;
                drop = Some(it.all);
            }
            _ => {
                any_action = true;
                parse_bucket_action(&it, &mut state, &mut b.actions)?;
            }
        }
    }
    if !any_action {
        return err(all, "bucket must specify actions");
    }
    if let (Some(d), false) = (drop, b.actions.is_empty()) {
        return err(
            d,
            "\"drop\" must not be accompanied by any other action or instruction",
        );
    }
    if type_ == GroupType::FF && b.watch_port == PortNo::ANY && b.watch_group == GroupId::ANY {
        return err(
            all,
            "fast failover bucket requires watch_port or watch_group",
        );
    }
    Ok(b)
}
