//! `Match` / `MatchView`, OXM TLVs, action lists and instruction lists, owned and borrowed, on
//! arbitrary bytes.
//!
//! Input: `[selector, bytes...]`; `selector % 4` picks the parser: 0 a match (`ofp_match`),
//! 1 an action list, 2 an instruction list, 3 a single OXM TLV, action and instruction (each
//! from the start of the bytes).
//!
//! Checks: no panic; whatever the owned parser accepts encodes back to exactly the bytes it
//! consumed; the views accept exactly what the owned parsers accept, their items and
//! `decode` equal the owned values, and they print the same `Display` text; iterators stop
//! after an error; the visitors (`ActionsView::visit`, `InstructionsView::visit`) are handed
//! what the iterators yield, in order, and end with their error; `MatchView::tlvs` yields
//! the TLVs `fields` does.
#![no_main]

mod openflow_common;

use libfuzzer_sys::fuzz_target;
use openflow_common::{exact, show, Walk};
use core::ops::ControlFlow;

use sdnwire_openflow::action::{Action, ActionView, ActionVisitor, ActionsView};
use sdnwire_openflow::codec::Reader;
use sdnwire_openflow::instruction::{
    Instruction, InstructionView, InstructionVisitor, InstructionsView,
};
use sdnwire_openflow::oxm::{Match, MatchView, OxmField, OxmFieldView};
use sdnwire_openflow::Encode;

/// Records what the visitors are handed (every call through the defaults' `other`, as the
/// iterators' items), descending into every action list.
struct Trace(Vec<String>);

impl<'a> ActionVisitor<'a> for Trace {
    fn other(&mut self, a: ActionView<'a>) -> ControlFlow<()> {
        self.0.push(format!("{a:?}"));
        ControlFlow::Continue(())
    }
}

impl<'a> InstructionVisitor<'a> for Trace {
    fn other(&mut self, i: InstructionView<'a>) -> sdnwire_openflow::Result<ControlFlow<()>> {
        self.0.push(format!("{i:?}"));
        match i.actions() {
            Some(a) => a.visit(self),
            None => Ok(ControlFlow::Continue(())),
        }
    }
}

/// The end of a walk, as the traces write it.
fn end(r: sdnwire_openflow::Result<ControlFlow<()>>) -> String {
    match r {
        Ok(_) => "end".into(),
        Err(e) => format!("error {e:?}"),
    }
}

/// The iterators' items (an instruction, then its actions), up to the first error.
fn iter_trace<'a, T: core::fmt::Debug>(
    items: impl Iterator<Item = sdnwire_openflow::Result<T>>,
    nested: impl Fn(&T) -> Option<ActionsView<'a>>,
) -> Vec<String> {
    let mut out = Vec::new();
    for x in items {
        let x = match x {
            Ok(x) => x,
            Err(e) => {
                out.push(end(Err(e)));
                return out;
            }
        };
        out.push(format!("{x:?}"));
        for a in nested(&x).into_iter().flatten() {
            match a {
                Ok(a) => out.push(format!("{a:?}")),
                Err(e) => {
                    out.push(end(Err(e)));
                    return out;
                }
            }
        }
    }
    out.push("end".into());
    out
}

/// Bytes a reader over `data` consumed.
fn used(r: &Reader<'_>, data: &[u8]) -> usize {
    data.len() - r.remaining()
}

fn check_match(data: &[u8]) {
    let mut ro = Reader::new(data, 0);
    let owned = Match::parse(&mut ro);
    let mut rv = Reader::new(data, 0);
    let view = MatchView::parse(&mut rv);
    assert_eq!(
        owned.is_ok(),
        view.is_ok(),
        "Match and MatchView disagree: {owned:?} / {view:?}"
    );
    let (Ok(m), Ok(v)) = (owned, view) else {
        return;
    };
    let n = used(&ro, data);
    assert_eq!(
        n,
        used(&rv, data),
        "Match and MatchView consume different lengths"
    );
    exact("Match", &data[..n], &m);
    assert_eq!(v.encoded_len(), n);
    assert_eq!(v.length(), m.length());
    assert_eq!(v.decode(), m, "MatchView::decode differs from Match::parse");
    assert_eq!(v.is_empty(), m.is_empty());
    let mut w = Walk::default();
    let count = w.drain(v.fields(), |_, i, f: OxmFieldView<'_>| {
        let o = &m.fields[i];
        assert_eq!(&f.decode(), o, "OXM view {i} differs from the owned field");
        if let Some(t) = f.typed() {
            assert_eq!(&t, o);
        }
        assert_eq!(f.header(), o.header(), "OXM header differs");
        assert_eq!(f.len(), o.encoded_len());
        let at = f.offset();
        exact("OxmField", &data[at..at + f.len()], o);
        assert_eq!(
            show(&f),
            show(o),
            "OxmFieldView and OxmField print differently"
        );
        let _ = (f.value(), f.mask(), f.experimenter(), f.payload());
    });
    assert!(
        !w.failed,
        "MatchView::parse accepted a TLV its iterator refuses"
    );
    assert_eq!(count, m.fields.len());
    let plain: Vec<OxmFieldView<'_>> = v.tlvs().collect();
    let items: Vec<OxmFieldView<'_>> = v.fields().flatten().collect();
    assert_eq!(plain, items, "MatchView::tlvs differs from MatchView::fields");
    assert_eq!(show(&v), show(&m), "MatchView and Match print differently");
    let _ = m.validate();
    for f in 0..=40u8 {
        let _ = v.basic(f);
    }
}

/// Walks an action list view, comparing with `owned` when the owned parse succeeded.
fn walk_actions(w: &mut Walk, list: ActionsView<'_>, owned: Option<&[Action]>) {
    let n = w.drain(list, |w, i, a: ActionView<'_>| {
        let o = w.ok(a.decode());
        if let (Some(o), Some(owned)) = (&o, owned) {
            assert_eq!(
                o, &owned[i],
                "action view {i} differs from the owned action"
            );
        }
        if let Some(o) = &o {
            assert_eq!(a.action_type(), o.action_type());
            assert_eq!(show(&a), show(o), "ActionView and Action print differently");
        }
        if let ActionView::SetField(s) = a {
            let _ = (s.oxm_bytes(), s.offset());
        }
    });
    if let Some(owned) = owned {
        assert_eq!(n, owned.len(), "the action view yields a different count");
    }
}

fn check_actions(data: &[u8]) {
    let mut ro = Reader::new(data, 0);
    let owned = Action::parse_list(&mut ro);
    let list = ActionsView::new_unchecked(data, 0);
    assert_eq!(list.as_bytes(), data);
    assert_eq!(list.is_empty(), data.is_empty());
    let mut w = Walk::default();
    walk_actions(&mut w, list.clone(), owned.as_deref().ok());
    assert_eq!(
        w.failed,
        owned.is_err(),
        "the action view and Action::parse_list disagree"
    );
    assert_eq!(
        list.validate().is_ok(),
        owned.is_ok(),
        "ActionsView::validate disagrees"
    );
    assert_eq!(
        list.decode().as_ref().ok(),
        owned.as_ref().ok(),
        "ActionsView::decode differs"
    );
    let mut t = Trace(Vec::new());
    let r = end(list.visit(&mut t));
    t.0.push(r);
    assert_eq!(
        t.0,
        iter_trace(list.clone(), |_: &ActionView<'_>| None),
        "ActionsView::visit differs from the iterator"
    );
    let Ok(actions) = owned else { return };
    assert_eq!(Action::list_len(&actions), data.len());
    let mut out = Vec::new();
    for a in &actions {
        a.encode_append(&mut out).expect("parsed actions encode");
    }
    assert_eq!(out, data, "encode(parse_list(x)) differs from x");
    assert_eq!(
        show(&list),
        show(&Action::display_list(&actions)),
        "ActionsView and the owned list print differently"
    );
}

fn check_instructions(data: &[u8]) {
    let mut ro = Reader::new(data, 0);
    let owned = Instruction::parse_list(&mut ro);
    let list = InstructionsView::new_unchecked(data, 0);
    assert_eq!(list.as_bytes(), data);
    let own = owned.as_deref().ok();
    let mut w = Walk::default();
    let n = w.drain(list.clone(), |w, i, ins: InstructionView<'_>| {
        let o = own.map(|v| &v[i]);
        let nested = match o {
            Some(Instruction::ApplyActions(a) | Instruction::WriteActions(a)) => Some(&a[..]),
            _ => None,
        };
        if let Some(acts) = ins.actions() {
            walk_actions(w, acts, nested);
        } else {
            assert!(
                nested.is_none() || o.is_none(),
                "an actions instruction without actions"
            );
        }
        let validated = ins.validate().is_ok();
        if let Some(t) = w.ok(ins.decode()) {
            assert!(
                validated,
                "InstructionView::validate fails but decode succeeds"
            );
            assert_eq!(ins.instruction_type(), t.instruction_type());
            if let Some(o) = o {
                assert_eq!(
                    &t, o,
                    "instruction view {i} differs from the owned instruction"
                );
            }
            assert_eq!(
                show(&ins),
                show(&t),
                "InstructionView and Instruction print differently"
            );
        }
    });
    assert_eq!(
        w.failed,
        owned.is_err(),
        "the instruction view and parse_list disagree"
    );
    assert_eq!(
        list.validate().is_ok(),
        owned.is_ok(),
        "InstructionsView::validate disagrees"
    );
    assert_eq!(list.decode().as_ref().ok(), owned.as_ref().ok());
    let mut t = Trace(Vec::new());
    let r = end(list.visit(&mut t));
    t.0.push(r);
    assert_eq!(
        t.0,
        iter_trace(list.clone(), InstructionView::actions),
        "InstructionsView::visit differs from the iterators"
    );
    let Ok(insts) = owned else { return };
    assert_eq!(n, insts.len());
    assert_eq!(Instruction::list_len(&insts), data.len());
    let mut out = Vec::new();
    for i in &insts {
        i.encode_append(&mut out)
            .expect("parsed instructions encode");
    }
    assert_eq!(out, data, "encode(parse_list(x)) differs from x");
    assert_eq!(
        show(&list),
        show(&Instruction::display_list(&insts)),
        "InstructionsView and the owned list print differently"
    );
}

fn check_single(data: &[u8]) {
    // One OXM TLV.
    let mut ro = Reader::new(data, 0);
    let o = OxmField::parse(&mut ro);
    let mut rv = Reader::new(data, 0);
    let v = OxmFieldView::parse(&mut rv);
    assert_eq!(o.is_ok(), v.is_ok());
    if let (Ok(o), Ok(v)) = (o, v) {
        let n = used(&ro, data);
        assert_eq!(n, used(&rv, data));
        exact("OxmField", &data[..n], &o);
        assert_eq!(v.decode(), o);
        assert_eq!(show(&v), show(&o));
    }
    // One action.
    let mut ro = Reader::new(data, 0);
    let o = Action::parse(&mut ro);
    let mut rv = Reader::new(data, 0);
    let v = ActionView::parse(&mut rv);
    if let Ok(o) = &o {
        let n = used(&ro, data);
        exact("Action", &data[..n], o);
        let v = v.expect("Action::parse accepts but ActionView::parse fails");
        assert_eq!(used(&rv, data), n);
        assert_eq!(v.decode().as_ref(), Ok(o));
    } else if let Ok(v) = v {
        assert!(
            v.decode().is_err(),
            "ActionView decodes what Action::parse refuses"
        );
    }
    // One instruction.
    let mut ro = Reader::new(data, 0);
    let o = Instruction::parse(&mut ro);
    let mut rv = Reader::new(data, 0);
    let v = InstructionView::parse(&mut rv);
    if let Ok(o) = &o {
        let n = used(&ro, data);
        exact("Instruction", &data[..n], o);
        let v = v.expect("Instruction::parse accepts but InstructionView::parse fails");
        assert_eq!(used(&rv, data), n);
        assert_eq!(v.decode().as_ref(), Ok(o));
        assert!(v.validate().is_ok());
    } else if let Ok(v) = v {
        assert!(
            v.decode().is_err(),
            "InstructionView decodes what Instruction::parse refuses"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, bytes)) = data.split_first() else {
        return;
    };
    match sel % 4 {
        0 => check_match(bytes),
        1 => check_actions(bytes),
        2 => check_instructions(bytes),
        _ => check_single(bytes),
    }
});
