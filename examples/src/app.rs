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
//! Applications read time as `std::time::Instant` (tokio's clock in the runtime, a virtual one
//! in tests); the connection reads it as the workspace's [`sdnwire_openflow::Instant`] on one
//! process-wide [`clock`], and [`Ctx`] converts.

use core::fmt;
use std::sync::OnceLock;
use std::time::Instant;

use sdnwire_openflow::action::Action;
use sdnwire_openflow::connection::{Connection, Event};
use sdnwire_openflow::features::DatapathId;
use sdnwire_openflow::flow_mod::FlowMod;
use sdnwire_openflow::oxm::Match;
use sdnwire_openflow::packet_in::PacketInView;
use sdnwire_openflow::{Body, Frame, Message, OFPCML_NO_BUFFER};
use sdnwire_packet::time::Clock;

/// The process's clock for the connections: `clock().at(t)` is the connection's time for the
/// `std::time::Instant` `t`, `clock().to_std(i)` the way back (to sleep until a connection's
/// `poll_timeout`). One for the process, so that every connection counts from one origin.
pub fn clock() -> &'static Clock {
    static CLOCK: OnceLock<Clock> = OnceLock::new();
    CLOCK.get_or_init(|| {
        // An origin a little in the past, so that a virtual clock a test starts from
        // `std::time::Instant::now()` never reads before it.
        let now = Instant::now();
        Clock::with_origin(
            now.checked_sub(core::time::Duration::from_secs(1))
                .unwrap_or(now),
        )
    })
}

/// The connection's time for `t`, on [`clock`].
pub fn conn_time(t: Instant) -> sdnwire_openflow::Instant {
    clock().at(t)
}

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

    /// The current time.
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
        match self.conn.send(conn_time(self.now), body) {
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
        match self.conn.request(conn_time(self.now), body) {
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

    /// When [`App::handle_timeout`] should be called next (`None`: no timer).
    fn poll_timeout(&self) -> Option<Instant> {
        None
    }

    /// Called when [`App::poll_timeout`]'s instant has come (harmless when early).
    fn handle_timeout(&mut self, cx: &mut Ctx<'_>) {
        let _ = cx;
    }
}
