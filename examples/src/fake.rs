//! The applications' unit tests: one application on a real [`Connection`] to
//! `sdnwire-openflow`'s fake switch ([`FakeSwitch`], feature `fake-switch`) on a virtual clock.
//! The switch answers the handshake and the keepalive by itself; the tests deliver the rest
//! and read what the application sent.

use core::time::Duration;

use sdnwire_openflow::connection::{Config, Connection, State};
use sdnwire_openflow::fake::{self, FakeSwitch};
use sdnwire_openflow::multipart::MultipartRequestBody;
use sdnwire_openflow::{Body, Message};
use sdnwire_packet::time::Instant;

use crate::app::{App, Ctx, Output};

/// One application on a connection to a fake switch with ports 1..=3 and LOCAL (the fake's
/// default configuration: datapath id 1, port 1 `aa:55:aa:55:00:02`, LOCAL `02:00:00:00:00:01`).
pub(crate) struct Harness {
    pub(crate) conn: Connection,
    pub(crate) app: Box<dyn App>,
    pub(crate) out: Vec<Output>,
    pub(crate) now: Instant,
    switch: FakeSwitch,
}

impl Harness {
    /// Takes the connection to MAIN (the application sees every event on the way) and returns
    /// with what the application sent then.
    pub(crate) fn main(app: Box<dyn App>) -> (Harness, Vec<Message>) {
        // A virtual clock: a simulation starts at the origin.
        let now = Instant::ZERO;
        let mut h = Harness {
            conn: Connection::new(Config::default(), now),
            app,
            out: Vec::new(),
            now,
            switch: FakeSwitch::new(fake::Config::default()),
        };
        h.pump();
        assert_eq!(h.conn.state(), State::Main);
        // Leave out the handshake the switch answered.
        let sent = h
            .take_sent()
            .into_iter()
            .filter(|m| {
                !matches!(
                    &m.body,
                    Body::Hello(_) | Body::FeaturesRequest
                ) && !matches!(&m.body, Body::MultipartRequest(r) if r.body == MultipartRequestBody::PortDesc)
            })
            .collect();
        (h, sent)
    }

    /// The switch sends `msg`; the application handles the events.
    pub(crate) fn deliver(&mut self, msg: Message) {
        self.switch.send_message(&msg).unwrap();
        self.pump();
    }

    /// Moves bytes between the connection and the switch and hands the events to the
    /// application until all is quiet.
    fn pump(&mut self) {
        loop {
            self.switch.exchange(&mut self.conn, self.now).unwrap();
            let mut any = false;
            while let Some(ev) = self.conn.poll_event() {
                any = true;
                let name = self.app.name();
                self.app.on_event(
                    &mut Ctx::new(self.now, &mut self.conn, name, &mut self.out),
                    &ev,
                );
            }
            if !any {
                return;
            }
        }
    }

    /// Advances the virtual clock by `d`, running the application's and the connection's
    /// timers that come due.
    pub(crate) fn advance(&mut self, d: Duration) {
        self.now += d;
        self.conn.handle_timeout(self.now);
        if self.app.poll_timeout().is_some_and(|t| t <= self.now) {
            let name = self.app.name();
            self.app
                .handle_timeout(&mut Ctx::new(self.now, &mut self.conn, name, &mut self.out));
        }
        self.pump();
    }

    /// What the connection transmitted since the last call, decoded; the keepalive
    /// ECHO_REQUESTs, which the switch answered, are left out.
    pub(crate) fn take_sent(&mut self) -> Vec<Message> {
        self.pump();
        self.switch
            .take_received()
            .into_iter()
            .filter(|m| !matches!(m.body, Body::EchoRequest(_)))
            .collect()
    }

    /// The reports written since the last call.
    pub(crate) fn take_reports(&mut self) -> Vec<String> {
        let mut v = Vec::new();
        self.out.retain(|o| match o {
            Output::Report(r) => {
                v.push(r.clone());
                false
            }
            Output::Log { .. } => true,
        });
        v
    }
}
