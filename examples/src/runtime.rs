//! The only part that does I/O: a tokio task per switch connection that moves bytes between the
//! socket and an [`sdnwire_openflow::connection::Connection`], gives it (and the applications) the time,
//! and prints what the applications write.
//!
//! Each task loops in the connection's polling order: write what the connection queued (into
//! one reused buffer), hand the connection's events to every application (and write what they
//! sent), then wait for bytes from the switch or for the earliest timer (the connection's
//! keepalive and handshake timers, the applications' own), and feed that in with the time.
//!
//! The time is read in one place, from the process-wide [`clock`], as the workspace's
//! [`Instant`]; the connection and the applications get that value as it is (and the
//! applications hand it on to their own state machines: the LACP bond, the IGMP snooper). It
//! becomes a tokio instant only where the task sleeps until the earliest `poll_timeout`
//! ([`Clock::to_std`]).
//!
//! Messages reach the applications as the frames the connection split off its receive buffer:
//! a PACKET_IN is read in place, never copied (see [`crate::app::Ctx::packet_in`]).

use core::fmt;
use core::net::SocketAddr;
use std::io::Write as _;
use std::sync::{Arc, OnceLock};

use sdnwire_openflow::connection::{Config, Connection, Event, State};
use sdnwire_openflow::{Body, Message, MsgType};
use sdnwire_packet::time::{Clock, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::app::{App, Ctx, Output};
use crate::settings::Settings;

/// The process's clock, made on first use: every connection, application and state machine of
/// the process counts from its origin, so their instants compare.
pub fn clock() -> &'static Clock {
    static CLOCK: OnceLock<Clock> = OnceLock::new();
    CLOCK.get_or_init(Clock::new)
}

/// The current time on [`clock`].
fn now() -> Instant {
    clock().now()
}

/// Writes a log line to stderr: `[who] text`.
pub fn log(who: impl fmt::Display, text: impl fmt::Display) {
    let _ = writeln!(std::io::stderr().lock(), "[{who}] {text}");
}

/// Accepts switches forever, one task each.
pub async fn serve(listener: TcpListener, settings: Arc<Settings>) -> std::io::Result<()> {
    loop {
        let (stream, peer) = listener.accept().await?;
        let settings = Arc::clone(&settings);
        tokio::spawn(async move {
            run_switch(stream, peer, &settings).await;
        });
    }
}

/// Names a connection in the logs: its peer until the datapath id is known.
#[derive(Debug)]
struct Label(String);

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Drives one switch connection, with a fresh instance of every application of `settings`,
/// until it is dead.
pub async fn run_switch(stream: TcpStream, peer: SocketAddr, settings: &Settings) {
    run_connection(
        stream,
        peer,
        settings.connection.clone(),
        settings.make_apps(),
    )
    .await;
}

/// Drives one switch connection with `config` and the applications `apps` until it is dead
/// (for programs and tests with applications of their own).
pub async fn run_connection(
    mut stream: TcpStream,
    peer: SocketAddr,
    config: Config,
    mut apps: Vec<Box<dyn App>>,
) {
    let _ = stream.set_nodelay(true);
    let mut label = Label(format!("{peer}"));
    log(&label, "connected");
    let mut conn = Connection::new(config, now());
    let mut out = Vec::new();
    // Reads land in a BytesMut handed to the connection whole (`handle_buf`): the PACKET_INs
    // the applications get share its memory instead of being copied out of it.
    let mut rx = bytes::BytesMut::with_capacity(65536);
    let mut tx = Vec::new();
    loop {
        // The polling order: transmit, events (the applications may send), transmit again.
        let mut written = transmit(&mut conn, &mut stream, &mut tx).await;
        if written.is_ok() {
            dispatch(&mut label, &mut conn, &mut apps, &mut out);
            written = transmit(&mut conn, &mut stream, &mut tx).await;
        }
        if let Err(e) = written {
            log(&label, format_args!("write failed: {e}"));
            conn.handle_eof(now());
            dispatch(&mut label, &mut conn, &mut apps, &mut out);
            break;
        }
        if conn.state() == State::Dead {
            break;
        }
        let wake = apps
            .iter()
            .filter_map(|a| a.poll_timeout())
            .chain(conn.poll_timeout())
            .min();
        let sleep = async {
            match wake {
                Some(t) => {
                    let until = tokio::time::Instant::from_std(clock().to_std(t));
                    tokio::time::sleep_until(until).await;
                }
                None => core::future::pending().await,
            }
        };
        tokio::select! {
            r = stream.read_buf(&mut rx) => match r {
                Ok(0) => conn.handle_eof(now()),
                Ok(_) => {
                    if let Err(e) = conn.handle_buf(now(), rx.split().freeze()) {
                        log(&label, e);
                    }
                    // Takes back the memory of the reads whose frames were dropped.
                    rx.reserve(65536);
                }
                Err(e) => {
                    log(&label, format_args!("read failed: {e}"));
                    conn.handle_eof(now());
                }
            },
            () = sleep => {}
        }
        let t = now();
        conn.handle_timeout(t);
        for app in &mut apps {
            if app.poll_timeout().is_some_and(|w| w <= t) {
                let name = app.name();
                app.handle_timeout(&mut Ctx::new(t, &mut conn, name, &mut out));
            }
        }
        flush(&label, &mut out);
    }
    let _ = stream.shutdown().await;
    log(&label, "disconnected");
}

/// Hands every pending event of the connection to every application.
fn dispatch(
    label: &mut Label,
    conn: &mut Connection,
    apps: &mut [Box<dyn App>],
    out: &mut Vec<Output>,
) {
    while let Some(ev) = conn.poll_event() {
        describe(label, &ev);
        let t = now();
        for app in apps.iter_mut() {
            let name = app.name();
            app.on_event(&mut Ctx::new(t, conn, name, out), &ev);
        }
        flush(label, out);
    }
}

/// Writes everything the connection queued, through the task's one transmit buffer.
async fn transmit(
    conn: &mut Connection,
    stream: &mut TcpStream,
    tx: &mut Vec<u8>,
) -> std::io::Result<()> {
    while conn.poll_transmit(tx).is_some() {
        stream.write_all(tx).await?;
    }
    Ok(())
}

/// Prints what the applications wrote.
fn flush(label: &Label, out: &mut Vec<Output>) {
    for o in out.drain(..) {
        match o {
            Output::Log { app, text } => log(label, format_args!("{app}: {text}")),
            Output::Report(text) => {
                let mut stdout = std::io::stdout().lock();
                let _ = stdout.write_all(text.as_bytes());
                let _ = stdout.flush();
            }
        }
    }
}

/// Logs the connection's own events (state changes, why it died, errors the switch sent that
/// no application asked about).
fn describe(label: &mut Label, ev: &Event) {
    match ev {
        Event::SwitchFeatures(f) => {
            let old = core::mem::replace(label, Label(format!("dpid {}", f.datapath_id)));
            log(
                label,
                format_args!(
                    "switch {old}: datapath id {}, {} tables, {} buffers",
                    f.datapath_id, f.n_tables, f.n_buffers
                ),
            );
        }
        Event::PortsKnown(ports) => {
            let names: Vec<String> = ports
                .iter()
                .map(|p| format!("{}({})", p.port_no, p.name()))
                .collect();
            log(label, format_args!("ports: {}", names.join(" ")));
        }
        Event::StateChanged { from, to } => log(label, format_args!("state {from} -> {to}")),
        Event::Dead { reason } => log(label, format_args!("dead: {reason}")),
        Event::PortStatus { reason, port, .. } => log(
            label,
            format_args!("port status: {reason} {}({})", port.port_no, port.name()),
        ),
        Event::Message(f) if f.header.msg_type == MsgType::ERROR => {
            let xid = f.header.xid;
            match f.decode() {
                Ok(Message {
                    body: Body::Error(e),
                    ..
                }) => log(
                    label,
                    format_args!("error from the switch (xid {xid}): {e}"),
                ),
                Ok(_) => {}
                Err(e) => log(
                    label,
                    format_args!("malformed error from the switch (xid {xid}): {e}"),
                ),
            }
        }
        Event::ReplyMalformed {
            xid,
            request,
            error,
        } => log(
            label,
            format_args!("malformed reply to {request} (xid {xid}) from the switch: {error}"),
        ),
        Event::Overflow(o) => log(label, format_args!("overflow: {o:?}")),
        Event::Resync { dropped } => log(
            label,
            format_args!(
                "applications too slow: {} messages, {} port status and {} other events dropped",
                dropped.messages, dropped.port_status, dropped.other
            ),
        ),
        _ => {}
    }
}
