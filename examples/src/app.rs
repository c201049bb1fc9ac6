//! What an application is: a value that reacts to a switch connection's events and to its own
//! timers, sending messages through the [`Connection`]. Applications do no I/O and read no clock:
//! the runtime ([`crate::runtime`]) gives them the time and prints what they write.
//!
//! One instance of every application runs per switch connection (Ryu's applications keep their
//! per-datapath state in dictionaries keyed by datapath id; here the connection is the key).
//!
//! Messages from the switch come as [`Event::Message`] frames, not parsed: an application reads
//! a PACKET_IN through its zero-copy view ([`Ctx::packet_in`]) and decodes the few other
//! messages it wants ([`Ctx::decode`]).
//!
//! Time is one type throughout: the workspace's [`Instant`] (`sdnwire_packet::time::Instant`),
//! the type the connection, the LACP bond and the IGMP snooper read. The runtime reads it from
//! the process-wide [`crate::runtime::clock`] (the unit tests' fake switch from a virtual clock
//! starting at [`Instant::ZERO`]) and hands the same value to the connection and to the
//! applications ([`Ctx::now`]); an application gives it as it is to the state machines it
//! drives and returns their `poll_timeout` as its own ([`App::poll_timeout`]). Only the runtime
//! turns it into a tokio instant, to sleep.

use core::fmt;

use sdnwire_openflow::action::Action;
use sdnwire_openflow::connection::{Connection, Event};
use sdnwire_openflow::features::DatapathId;
use sdnwire_openflow::flow_mod::FlowMod;
use sdnwire_openflow::oxm::Match;
use sdnwire_openflow::packet_in::PacketInView;
use sdnwire_openflow::{Body, Frame, Message, OFPCML_NO_BUFFER};
use sdnwire_packet::time::Instant;

/// A line (or block of lines) an application wants shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// A log line, prefixed by the runtime with the switch and the application (stderr).
    Log {
        /// The application's name.
        app: &'static str,
        /// The message.
        text: String,
    },
    /// A report for the user (the monitor's tables), printed as it is (stdout), in one piece.
    Report(String),
}

/// What an application may do while it handles an event or a timer: read the connection, send
/// to the switch, write output.
#[derive(Debug)]
pub struct Ctx<'a> {
    now: Instant,
    conn: &'a mut Connection,
    app: &'static str,
    out: &'a mut Vec<Output>,
}

impl<'a> Ctx<'a> {
    /// A context for application `app` at time `now`; what it writes goes to `out`.
    pub fn new(
        now: Instant,
        conn: &'a mut Connection,
        app: &'static str,
        out: &'a mut Vec<Output>,
    ) -> Self {
        Ctx {
            now,
            conn,
            app,
            out,
        }
    }

    /// The current time, on the clock of the connection (and of every state machine the
    /// application drives: hand it to them as it is).
    pub fn now(&self) -> Instant {
        self.now
    }

    /// The connection (read-only: send with [`Ctx::send`] and [`Ctx::request`]).
    pub fn conn(&self) -> &Connection {
        self.conn
    }

    /// The switch's datapath id (0 before FEATURES_REPLY, which the handshake gets before
    /// [`sdnwire_openflow::connection::State::Main`]).
    pub fn datapath_id(&self) -> DatapathId {
        self.conn.datapath_id().unwrap_or_default()
    }

    /// Sends a message that has no reply; a refusal is logged and gives `None`.
    pub fn send(&mut self, body: Body) -> Option<u32> {
        let what = body.msg_type();
        match self.conn.send(self.now, body) {
            Ok(xid) => Some(xid),
            Err(e) => {
                self.log(format_args!("cannot send {what}: {e}"));
                None
            }
        }
    }

    /// Sends a request; its reply comes back as [`Event::Reply`] with the returned xid. A
    /// refusal is logged and gives `None`.
    pub fn request(&mut self, body: Body) -> Option<u32> {
        let what = body.msg_type();
        match self.conn.request(self.now, body) {
            Ok(xid) => Some(xid),
            Err(e) => {
                self.log(format_args!("cannot send {what}: {e}"));
                None
            }
        }
    }

    /// The PACKET_IN an event carries, as a zero-copy view borrowed from the event's frame;
    /// `None` for any other event. A PACKET_IN that does not parse is logged and gives `None`.
    pub fn packet_in<'e>(&mut self, event: &'e Event) -> Option<PacketInView<'e>> {
        let Event::Message(frame) = event else {
            return None;
        };
        match frame.packet_in()? {
            Ok(p) => Some(p),
            Err(e) => {
                self.log(format_args!("malformed PACKET_IN ignored: {e}"));
                None
            }
        }
    }

    /// The owned message a frame holds (allocates: for the messages an application reads
    /// rarely, FLOW_REMOVED say); one that does not parse is logged and gives `None`.
    pub fn decode(&mut self, frame: &Frame) -> Option<Message> {
        match frame.decode() {
            Ok(m) => Some(m),
            Err(e) => {
                self.log(format_args!(
                    "malformed {} ignored: {e}",
                    frame.header.msg_type
                ));
                None
            }
        }
    }

    /// Writes a log line.
    pub fn log(&mut self, text: impl fmt::Display) {
        self.out.push(Output::Log {
            app: self.app,
            text: text.to_string(),
        });
    }

    /// Writes a report (printed whole, on stdout).
    pub fn report(&mut self, text: String) {
        self.out.push(Output::Report(text));
    }

    /// Adds a flow as the Ryu book's `add_flow` does: `actions` in an APPLY_ACTIONS
    /// instruction, table 0, no timeouts; with the switch's buffer id when the packet that
    /// caused it is buffered there (the switch then forwards it through the new flow).
    pub fn add_flow(
        &mut self,
        priority: u16,
        match_: Match,
        actions: Vec<Action>,
        buffer_id: Option<sdnwire_openflow::BufferId>,
    ) -> Option<u32> {
        let mut flow = FlowMod::add()
            .priority(priority)
            .matching(match_)
            .apply_actions(actions);
        if let Some(b) = buffer_id {
            flow = flow.buffer_id(b);
        }
        self.send(Body::FlowMod(flow))
    }

    /// The table-miss flow: priority 0, empty match, every packet to the controller whole
    /// (OFPCML_NO_BUFFER).
    pub fn add_table_miss_flow(&mut self) -> Option<u32> {
        self.add_flow(
            0,
            Match::new(),
            vec![Action::output_to_controller(OFPCML_NO_BUFFER)],
            None,
        )
    }
}

/// An application.
pub trait App: Send + fmt::Debug {
    /// Its name, as given on the command line (`simple_switch_13`).
    fn name(&self) -> &'static str;

    /// Reacts to an event of the connection (every application sees every event).
    fn on_event(&mut self, cx: &mut Ctx<'_>, event: &Event);

    /// When [`App::handle_timeout`] should be called next (`None`: no timer), on the clock of
    /// [`Ctx::now`] (a state machine's own `poll_timeout` is returned as it is).
    fn poll_timeout(&self) -> Option<Instant> {
        None
    }

    /// Called when [`App::poll_timeout`]'s instant has come (harmless when early).
    fn handle_timeout(&mut self, cx: &mut Ctx<'_>) {
        let _ = cx;
    }
}
