//! A fake switch for the applications' unit tests: it speaks through the `openflow` codec to a
//! real [`Connection`] on a virtual clock, takes it to MAIN, then delivers messages and returns
//! what the applications sent.

use core::time::Duration;
use std::time::Instant;

use sdnwire_openflow::connection::{Config, Connection, Event, State};
use sdnwire_openflow::features::{Capabilities, DatapathId, SwitchFeatures};
use sdnwire_openflow::hello::Hello;
use sdnwire_openflow::multipart::{MultipartReply, MultipartReplyBody};
use sdnwire_openflow::port::Port;
use sdnwire_openflow::{Body, Encode, Framer, Message, PortNo};
use sdnwire_packet::MacAddr;

use crate::app::{conn_time, App, Ctx, Output};

/// One application on a connection to a fake switch with ports 1..=3 and LOCAL.
pub(crate) struct Harness {
    pub(crate) conn: Connection,
    pub(crate) app: Box<dyn App>,
    pub(crate) out: Vec<Output>,
    pub(crate) now: Instant,
    switch: Framer,
    /// The runtime's one transmit buffer.
    tx: Vec<u8>,
}

impl Harness {
    /// Takes the connection to MAIN (the application sees every event on the way) and returns
    /// with what the application sent then.
    pub(crate) fn main(app: Box<dyn App>) -> (Harness, Vec<Message>) {
        let now = Instant::now();
        let mut h = Harness {
            conn: Connection::new(Config::default(), conn_time(now)),
            app,
            out: Vec::new(),
            now,
            switch: Framer::new(),
            tx: Vec::new(),
        };
        let mut sent = Vec::new();
        h.deliver(Message::new(0, Body::Hello(Hello::new())));
        // Answer FEATURES_REQUEST and the PORT_DESC request with the xids they came with.
        for _ in 0..2 {
            for m in h.take_sent() {
                match m.body {
                    Body::FeaturesRequest => h.deliver(Message::new(
                        m.xid,
                        Body::FeaturesReply(SwitchFeatures {
                            datapath_id: DatapathId(1),
                            n_buffers: 0,
                            n_tables: 254,
                            auxiliary_id: 0,
                            capabilities: Capabilities::FLOW_STATS | Capabilities::PORT_STATS,
                            reserved: 0,
                        }),
                    )),
                    Body::MultipartRequest(_) => {
                        let ports = (1..=3u8)
                            .map(|i| {
                                Port::new(
                                    u32::from(i),
                                    MacAddr([0xaa, 0x55, 0xaa, 0x55, 0, i + 1]),
                                    &format!("p{i}"),
                                )
                            })
                            .chain([Port::new(PortNo::LOCAL, MacAddr([2, 0, 0, 0, 0, 1]), "br0")])
                            .collect();
                        h.deliver(Message::new(
                            m.xid,
                            Body::MultipartReply(MultipartReply::new(
                                MultipartReplyBody::PortDesc(ports),
                            )),
                        ));
                    }
                    Body::Hello(_) => {}
                    other => sent.push(Message::new(m.xid, other)),
                }
            }
        }
        assert_eq!(h.conn.state(), State::Main);
        sent.extend(h.take_sent());
        (h, sent)
    }

    /// The switch sends `msg`; the application handles the events.
    pub(crate) fn deliver(&mut self, msg: Message) {
        let bytes = msg.to_vec().unwrap();
        self.deliver_bytes(&bytes);
    }

    /// The switch sends `bytes` (whole messages, say); the application handles the events.
    pub(crate) fn deliver_bytes(&mut self, bytes: &[u8]) {
        self.conn.handle_bytes(conn_time(self.now), bytes).unwrap();
        self.dispatch();
    }

    fn dispatch(&mut self) {
        while let Some(ev) = self.conn.poll_event() {
            self.on_event(&ev);
        }
    }

    fn on_event(&mut self, ev: &Event) {
        let name = self.app.name();
        self.app.on_event(
            &mut Ctx::new(self.now, &mut self.conn, name, &mut self.out),
            ev,
        );
    }

    /// Advances the virtual clock by `d`, running the application's and the connection's
    /// timers that come due.
    pub(crate) fn advance(&mut self, d: Duration) {
        self.now += d;
        self.conn.handle_timeout(conn_time(self.now));
        if self.app.poll_timeout().is_some_and(|t| t <= self.now) {
            let name = self.app.name();
            self.app
                .handle_timeout(&mut Ctx::new(self.now, &mut self.conn, name, &mut self.out));
        }
        self.dispatch();
    }

    /// What the connection transmitted since the last call, decoded; the switch answers the
    /// connection's keepalive ECHO_REQUESTs, which are left out.
    pub(crate) fn take_sent(&mut self) -> Vec<Message> {
        let mut v = Vec::new();
        loop {
            while self.conn.poll_transmit(&mut self.tx).is_some() {
                self.switch.push(&self.tx);
            }
            let mut echoed = false;
            while let Some(f) = self.switch.next_frame().unwrap() {
                match Message::parse(&f.bytes).unwrap() {
                    Message {
                        xid,
                        body: Body::EchoRequest(e),
                    } => {
                        self.deliver(Message::new(xid, Body::EchoReply(e)));
                        echoed = true;
                    }
                    m => v.push(m),
                }
            }
            if !echoed {
                return v;
            }
        }
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
