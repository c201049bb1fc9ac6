//! What an application is: a value with handlers per event type and connection phase (Ryu's
//! `set_ev_cls`), run on a thread of its own with a bounded queue of events.

use core::any::{Any, TypeId};
use core::fmt;
use core::future::Future;
use core::time::Duration;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use sdnwire_openflow::connection::{Event, State};
use sdnwire_openflow::features::DatapathId;
use sdnwire_openflow::packet_in::PacketInView;
use sdnwire_openflow::{Frame, Message, MsgType};
use sdnwire_packet::time::Instant;
use tokio::sync::mpsc;

use crate::datapath::Datapath;
use crate::manager::{Level, Shared};

/// An application: one value that sees every switch (Ryu's `RyuApp`, a singleton per
/// process).
///
/// It says which events it handles in [`App::register`]; the manager runs it on a thread of
/// its own and hands it, in order, the events of its queue. A handler that takes long delays
/// only its own application: the others and the switch connections go on, and the events that
/// do not fit its queue are counted and reported ([`App::on_overflow`]), except a switch's state
/// changes, which wait for room ([`crate::ManagerConfig::queue_len`]).
pub trait App: Send + Sized + 'static {
    /// The application's name, as `--app` takes it (Ryu's module name: `simple_switch_13`).
    const NAME: &'static str;

    /// Registers the handlers (Ryu's `@set_ev_cls` decorators): which OpenFlow events in which
    /// phases, which application events.
    fn register(handlers: &mut Handlers<Self>);

    /// Called once on the application's thread before any event (Ryu's `start`): arm timers,
    /// spawn work.
    fn start(&mut self, cx: &mut Ctx<'_, Self>) {
        let _ = cx;
    }

    /// Called once when the manager shuts down, after the switch connections closed and the
    /// queue was drained (Ryu's `close`).
    fn stop(&mut self, cx: &mut Ctx<'_, Self>) {
        let _ = cx;
    }

    /// Events did not fit the application's queue and were dropped: called (on the
    /// application's thread, once there is time) with how many since the last report. The
    /// manager has logged them already; the state accessors ([`Datapath::ports`], ...) are the
    /// truth after a gap.
    fn on_overflow(&mut self, cx: &mut Ctx<'_, Self>, overflow: QueueOverflow) {
        let _ = (cx, overflow);
    }
}

/// Events dropped from an application's queue, reported to it by [`App::on_overflow`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct QueueOverflow {
    /// Dropped since the last report.
    pub dropped: u64,
    /// Dropped since the start.
    pub total: u64,
    /// The queue's capacity.
    pub capacity: usize,
}

/// The kinds of connection events a handler can be registered for (Ryu's `ofp_event`
/// classes): one per [`Event`] variant, messages by their type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum OfKind {
    /// [`Event::StateChanged`] (Ryu's `EventOFPStateChange`); its phase is the new state.
    StateChanged,
    /// [`Event::SwitchFeatures`] (`EventOFPSwitchFeatures`, in [`State::Config`]).
    SwitchFeatures,
    /// [`Event::PortsKnown`]: the handshake's PORT_DESC reply (`EventOFPPortDescStatsReply`).
    PortsKnown,
    /// [`Event::PortStatus`] (`EventOFPPortStatus`).
    PortStatus,
    /// [`Event::Message`] of this type: `Message(MsgType::PACKET_IN)` is `EventOFPPacketIn`.
    Message(MsgType),
    /// [`Event::Reply`] to a request of this type made with [`Datapath::request_event`]
    /// (replies to [`Datapath::request`] go to its future instead).
    Reply(MsgType),
    /// [`Event::RequestFailed`] of a [`Datapath::request_event`] request.
    RequestFailed,
    /// [`Event::BarrierComplete`].
    BarrierComplete,
    /// [`Event::EchoRtt`].
    EchoRtt,
    /// [`Event::ReplyMalformed`] of a [`Datapath::request_event`] request.
    ReplyMalformed,
    /// [`Event::Overflow`].
    Overflow,
    /// [`Event::Resync`]: the connection's own event queue overflowed.
    Resync,
    /// [`Event::Dead`].
    Dead,
}

impl OfKind {
    /// The kind of `event`.
    pub fn of(event: &Event) -> Option<OfKind> {
        Some(match event {
            Event::StateChanged { .. } => OfKind::StateChanged,
            Event::SwitchFeatures(_) => OfKind::SwitchFeatures,
            Event::PortsKnown(_) => OfKind::PortsKnown,
            Event::PortStatus { .. } => OfKind::PortStatus,
            Event::Message(f) => OfKind::Message(f.header.msg_type),
            Event::Reply { request, .. } => OfKind::Reply(*request),
            Event::RequestFailed { .. } => OfKind::RequestFailed,
            Event::BarrierComplete { .. } => OfKind::BarrierComplete,
            Event::EchoRtt(_) => OfKind::EchoRtt,
            Event::ReplyMalformed { .. } => OfKind::ReplyMalformed,
            Event::Overflow(_) => OfKind::Overflow,
            Event::Resync { .. } => OfKind::Resync,
            Event::Dead { .. } => OfKind::Dead,
            _ => return None,
        })
    }
}

impl fmt::Display for OfKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OfKind::Message(t) => write!(f, "{t}"),
            OfKind::Reply(t) => write!(f, "reply to {t}"),
            other => fmt::Debug::fmt(other, f),
        }
    }
}

/// A set of connection phases (Ryu's dispatchers: `HANDSHAKE_DISPATCHER`,
/// `CONFIG_DISPATCHER`, `MAIN_DISPATCHER`, `DEAD_DISPATCHER`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Phases(u8);

impl Phases {
    /// Every phase.
    pub const ALL: Phases = Phases(0b1111);
    /// [`State::Main`] only.
    pub const MAIN: Phases = Phases(1 << 2);
    /// [`State::Config`] only.
    pub const CONFIG: Phases = Phases(1 << 1);

    fn bit(s: State) -> u8 {
        match s {
            State::Handshake => 1,
            State::Config => 1 << 1,
            State::Main => 1 << 2,
            State::Dead => 1 << 3,
        }
    }

    /// The phases in `states`.
    pub fn of(states: &[State]) -> Phases {
        Phases(states.iter().fold(0, |acc, s| acc | Self::bit(*s)))
    }

    /// Whether `s` is in the set.
    pub fn contains(self, s: State) -> bool {
        self.0 & Self::bit(s) != 0
    }
}

impl From<State> for Phases {
    fn from(s: State) -> Phases {
        Phases(Self::bit(s))
    }
}

impl From<&[State]> for Phases {
    fn from(s: &[State]) -> Phases {
        Phases::of(s)
    }
}

impl<const N: usize> From<[State; N]> for Phases {
    fn from(s: [State; N]) -> Phases {
        Phases::of(&s)
    }
}

/// A connection event as an application receives it: which switch, in which phase, and the
/// event (shared between the applications that receive it; a message's frame is the bytes cut
/// off the receive buffer, not copied).
#[derive(Debug, Clone)]
pub struct OfEvent {
    /// The switch.
    pub datapath: Datapath,
    /// Its datapath id when the event happened (0 before FEATURES_REPLY).
    pub dpid: DatapathId,
    /// The connection's phase when the event happened (for [`Event::StateChanged`], the new
    /// state: Ryu dispatches `EventOFPStateChange` in the phase entered).
    pub phase: State,
    /// The event.
    pub event: Arc<Event>,
}

impl OfEvent {
    /// The switch's datapath id when the event happened (0 before FEATURES_REPLY).
    pub fn dpid(&self) -> DatapathId {
        self.dpid
    }

    /// The message's frame, for [`Event::Message`].
    pub fn frame(&self) -> Option<&Frame> {
        match &*self.event {
            Event::Message(f) => Some(f),
            _ => None,
        }
    }

    /// The PACKET_IN the event carries, read in place; `None` for another event; `Some(Err)`
    /// for a PACKET_IN that does not parse.
    pub fn packet_in(&self) -> Option<sdnwire_openflow::Result<PacketInView<'_>>> {
        self.frame()?.packet_in()
    }

    /// The owned message (allocates), for [`Event::Message`].
    pub fn decode(&self) -> Option<sdnwire_openflow::Result<Message>> {
        self.frame().map(Frame::decode)
    }
}

/// A handler of connection events (`fn packet_in(&mut self, cx: &mut Ctx<'_, Self>, ev:
/// &OfEvent)`).
pub type OfHandler<A> = fn(&mut A, &mut Ctx<'_, A>, &OfEvent);

type EventHandler<A> = Box<dyn Fn(&mut A, &mut Ctx<'_, A>, &(dyn Any + Send + Sync)) + Send>;

/// An application's handlers, filled by [`App::register`].
pub struct Handlers<A> {
    pub(crate) of: Vec<(OfKind, Phases, OfHandler<A>)>,
    pub(crate) events: HashMap<TypeId, (&'static str, Vec<EventHandler<A>>)>,
}

impl<A> fmt::Debug for Handlers<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handlers")
            .field(
                "of",
                &self.of.iter().map(|h| (h.0, h.1)).collect::<Vec<_>>(),
            )
            .field(
                "events",
                &self.events.values().map(|e| e.0).collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl<A: App> Handlers<A> {
    pub(crate) fn new() -> Self {
        Handlers {
            of: Vec::new(),
            events: HashMap::new(),
        }
    }

    /// `handler` for the connection events of `kind` in `phases` (Ryu's
    /// `@set_ev_cls(ofp_event.EventOFPxxx, MAIN_DISPATCHER)`). Several handlers may take the
    /// same kind; they run in the order registered.
    pub fn on(&mut self, kind: OfKind, phases: impl Into<Phases>, handler: OfHandler<A>) {
        self.of.push((kind, phases.into(), handler));
    }

    /// `handler` for the messages of type `msg_type` in `phases` (PACKET_IN, FLOW_REMOVED,
    /// ERROR, ...).
    pub fn on_message(
        &mut self,
        msg_type: MsgType,
        phases: impl Into<Phases>,
        handler: OfHandler<A>,
    ) {
        self.on(OfKind::Message(msg_type), phases, handler);
    }

    /// `handler` for the state changes into one of `phases` (Ryu's `EventOFPStateChange` with
    /// `[MAIN_DISPATCHER, DEAD_DISPATCHER]`).
    pub fn on_state_change(&mut self, phases: impl Into<Phases>, handler: OfHandler<A>) {
        self.on(OfKind::StateChanged, phases, handler);
    }

    /// `handler` for the events of type `E` that applications publish ([`Ctx::publish`]).
    pub fn on_event<E: Any + Send + Sync>(&mut self, handler: fn(&mut A, &mut Ctx<'_, A>, &E)) {
        let wrapped: EventHandler<A> = Box::new(move |app, cx, ev| {
            if let Some(e) = ev.downcast_ref::<E>() {
                handler(app, cx, e);
            }
        });
        self.events
            .entry(TypeId::of::<E>())
            .or_insert_with(|| (core::any::type_name::<E>(), Vec::new()))
            .1
            .push(wrapped);
    }
}

/// What an application's queue carries.
#[derive(Debug)]
pub(crate) enum Item {
    Of(OfEvent),
    App(TypeId, Arc<dyn Any + Send + Sync>),
}

/// A call back into the application (a timer that fired, spawned work that finished).
pub(crate) type Call<A> = Box<dyn for<'c> FnOnce(&mut A, &mut Ctx<'c, A>) + Send>;

/// A timer set with [`Ctx::after`]; [`Ctx::cancel`] takes it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimerId(u64);

/// The application thread's own state that handlers reach through [`Ctx`].
pub(crate) struct Local<A> {
    pub(crate) timers: BTreeMap<(Instant, u64), Call<A>>,
    pub(crate) next_timer: u64,
    pub(crate) calls: mpsc::UnboundedSender<Call<A>>,
    pub(crate) spawned: Vec<tokio::task::AbortHandle>,
}

impl<A> Local<A> {
    pub(crate) fn new(calls: mpsc::UnboundedSender<Call<A>>) -> Self {
        Local {
            timers: BTreeMap::new(),
            next_timer: 0,
            calls,
            spawned: Vec::new(),
        }
    }
}

/// What a handler may do: read the time, reach the switches, publish events, log, set timers
/// and spawn work whose result comes back to the application.
pub struct Ctx<'a, A> {
    pub(crate) now: Instant,
    pub(crate) shared: &'a Arc<Shared>,
    pub(crate) local: &'a mut Local<A>,
}

impl<A> fmt::Debug for Ctx<'_, A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ctx").field("now", &self.now).finish()
    }
}

impl<'a, A: App> Ctx<'a, A> {
    /// The time the handler was called at, on the manager's clock (the clock of every
    /// connection: hand it to state machines as it is).
    pub fn now(&self) -> Instant {
        self.now
    }

    /// The switch with datapath id `dpid`, while it is connected (from FEATURES_REPLY to its
    /// death).
    pub fn datapath(&self, dpid: DatapathId) -> Option<Datapath> {
        self.shared.datapath(dpid)
    }

    /// Every connected switch, by datapath id.
    pub fn datapaths(&self) -> Vec<Datapath> {
        self.shared.datapaths()
    }

    /// Publishes `event` to every application that registered a handler for `E`
    /// ([`Handlers::on_event`]; Ryu's `send_event_to_observers`). Returns to how many
    /// applications it was queued; one whose queue is full counts a drop and is told
    /// ([`App::on_overflow`]).
    pub fn publish<E: Any + Send + Sync>(&mut self, event: E) -> usize {
        self.shared.publish(A::NAME, Arc::new(event), false)
    }

    /// Publishes `event` as [`Ctx::publish`] does, but never drops it: where a subscriber's
    /// queue is full, it waits for room there, in order behind the events queued before it
    /// (as a switch's state changes do). For the few events that change a state the
    /// subscribers follow (lacplib's `EventSlaveStateChanged`, igmplib's group changes), not
    /// for a flood: what waits is held in memory until the subscriber takes it.
    pub fn publish_state_change<E: Any + Send + Sync>(&mut self, event: E) -> usize {
        self.shared.publish(A::NAME, Arc::new(event), true)
    }

    /// Logs a line at info level: `[app] text` on stderr.
    pub fn log(&self, text: impl fmt::Display) {
        self.shared.log(Level::Info, A::NAME, text);
    }

    /// Logs a line at debug level.
    pub fn debug(&self, text: impl fmt::Display) {
        self.shared.log(Level::Debug, A::NAME, text);
    }

    /// Logs a line at warning level.
    pub fn warn(&self, text: impl fmt::Display) {
        self.shared.log(Level::Warn, A::NAME, text);
    }

    /// Writes a report for the user on stdout, as it is, in one piece (the monitor's tables).
    pub fn report(&self, text: &str) {
        self.shared.report(text);
    }

    /// Calls `f` on the application's thread after `delay` (Ryu's `hub.sleep` in a loop).
    pub fn after(
        &mut self,
        delay: Duration,
        f: impl for<'c> FnOnce(&mut A, &mut Ctx<'c, A>) + Send + 'static,
    ) -> TimerId {
        self.at(self.now + delay, f)
    }

    /// Calls `f` on the application's thread at `when`.
    pub fn at(
        &mut self,
        when: Instant,
        f: impl for<'c> FnOnce(&mut A, &mut Ctx<'c, A>) + Send + 'static,
    ) -> TimerId {
        let id = self.local.next_timer;
        self.local.next_timer += 1;
        self.local.timers.insert((when, id), Box::new(f));
        TimerId(id)
    }

    /// Takes back a timer; false when it has fired or was cancelled.
    pub fn cancel(&mut self, timer: TimerId) -> bool {
        let key = self.local.timers.keys().find(|k| k.1 == timer.0).copied();
        key.and_then(|k| self.local.timers.remove(&k)).is_some()
    }

    /// Runs `work` on the runtime (Ryu's `hub.spawn`), then `then` with its output on the
    /// application's thread, where it may change the application's state. The work is
    /// aborted when the manager stops.
    ///
    /// This is how a handler waits for a reply without blocking its thread:
    /// `cx.spawn(dp.request(body)?, |app, cx, reply| ...)`.
    pub fn spawn<F>(
        &mut self,
        work: F,
        then: impl for<'c> FnOnce(&mut A, &mut Ctx<'c, A>, F::Output) + Send + 'static,
    ) where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let calls = self.local.calls.clone();
        let handle = tokio::spawn(async move {
            let out = work.await;
            let call: Call<A> = Box::new(move |app, cx| then(app, cx, out));
            let _ = calls.send(call);
        });
        self.local.spawned.retain(|h| !h.is_finished());
        self.local.spawned.push(handle.abort_handle());
    }

    /// A handle on the manager: its switches and queues, from work spawned off the
    /// application's thread.
    pub fn manager(&self) -> crate::ManagerHandle {
        crate::ManagerHandle::new(Arc::clone(self.shared))
    }

    /// The manager's counters of every application's queue (the same as
    /// [`crate::ManagerHandle::queues`]).
    pub fn queues(&self) -> Vec<(&'static str, crate::QueueCounters)> {
        self.shared.queues()
    }
}
