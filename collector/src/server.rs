//! The service: UDP listeners feeding the [`Collector`], the REST API on hyper's HTTP/1.1
//! server, the engine's timer and the Graphite pusher, on one tokio current-thread runtime.
//!
//! [`Service::bind`] binds every socket first (so that a busy port is an error at start, and a
//! test can bind port 0 and read the address), then [`Service::run`] serves until the process
//! ends, or [`Service::spawn`] serves on a thread of its own until the [`Running`] handle is
//! dropped.

use core::convert::Infallible;
use core::net::SocketAddr;
use std::io;
use std::sync::{Arc, Mutex, MutexGuard};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderValue, CONNECTION, CONTENT_LENGTH, CONTENT_TYPE};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use sdnwire_packet::time::Clock;
use tokio::sync::{oneshot, Semaphore};

use crate::api::{self, Reply};
use crate::collector::Collector;
use crate::config::Config;
use crate::log;

/// The most connections `max_connections` can allow (far below what tokio's semaphore holds).
const MAX_CONNECTIONS: usize = 65_536;

/// Largest UDP datagram read (an sFlow datagram is at most one UDP payload).
const MAX_DATAGRAM: usize = 65_535;

/// The collector's state as the service's tasks share it.
pub type Shared = Arc<Mutex<Collector>>;

/// Locks the state; a task that panicked while holding it cannot happen (nothing under the
/// lock panics), but its poison would only mean the state is as that task left it.
pub(crate) fn lock(state: &Shared) -> MutexGuard<'_, Collector> {
    state.lock().unwrap_or_else(|p| p.into_inner())
}

/// The sockets, bound, and the state they feed.
#[derive(Debug)]
pub struct Service {
    config: Config,
    state: Shared,
    clock: Clock,
    udp: Vec<std::net::UdpSocket>,
    http: std::net::TcpListener,
}

/// A service running on its own thread ([`Service::spawn`]); dropping it stops the service.
#[derive(Debug)]
pub struct Running {
    /// The REST API's address.
    pub http_addr: SocketAddr,
    /// The UDP addresses, in the configuration's order.
    pub sflow_addrs: Vec<SocketAddr>,
    /// The state, for tests and embedders.
    pub state: Shared,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<io::Result<()>>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Service {
    /// Binds the UDP and HTTP sockets of `config` and applies its flow definitions. Errors
    /// name the address or the definition.
    pub fn bind(config: Config) -> io::Result<Service> {
        let clock = Clock::new();
        let mut collector = Collector::new(config.engine.clone(), clock.now());
        for (name, spec) in &config.flows {
            collector.set_flow(name, spec.clone()).map_err(|e| {
                io::Error::new(io::ErrorKind::InvalidInput, format!("flow `{name}`: {e}"))
            })?;
        }
        let mut udp = Vec::new();
        for a in &config.sflow_listen {
            let s = std::net::UdpSocket::bind(a).map_err(|e| {
                io::Error::new(e.kind(), format!("cannot listen for sFlow on UDP {a}: {e}"))
            })?;
            s.set_nonblocking(true)?;
            udp.push(s);
        }
        let http = std::net::TcpListener::bind(config.http_listen).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot listen for HTTP on {}: {e}", config.http_listen),
            )
        })?;
        http.set_nonblocking(true)?;
        Ok(Service {
            config,
            state: Arc::new(Mutex::new(collector)),
            clock,
            udp,
            http,
        })
    }

    /// The REST API's bound address.
    pub fn http_addr(&self) -> io::Result<SocketAddr> {
        self.http.local_addr()
    }

    /// The bound UDP addresses.
    pub fn sflow_addrs(&self) -> io::Result<Vec<SocketAddr>> {
        self.udp
            .iter()
            .map(std::net::UdpSocket::local_addr)
            .collect()
    }

    /// The shared state.
    pub fn state(&self) -> Shared {
        self.state.clone()
    }

    /// Serves on the current thread (a tokio current-thread runtime) until the process ends.
    pub fn run(self) -> io::Result<()> {
        let (_keep, stop) = oneshot::channel();
        self.run_until(stop)
    }

    /// Serves on a thread of its own until the returned handle is dropped.
    pub fn spawn(self) -> io::Result<Running> {
        let http_addr = self.http_addr()?;
        let sflow_addrs = self.sflow_addrs()?;
        let state = self.state();
        let (tx, rx) = oneshot::channel();
        let thread = std::thread::Builder::new()
            .name("sflow-collector".into())
            .spawn(move || self.run_until(rx))?;
        Ok(Running {
            http_addr,
            sflow_addrs,
            state,
            stop: Some(tx),
            thread: Some(thread),
        })
    }

    fn run_until(self, stop: oneshot::Receiver<()>) -> io::Result<()> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()?;
        rt.block_on(self.serve(stop))
    }

    async fn serve(self, stop: oneshot::Receiver<()>) -> io::Result<()> {
        let Service {
            config,
            state,
            clock,
            udp,
            http,
        } = self;
        for s in &udp {
            log!(Info, "listening for sFlow on UDP {}", s.local_addr()?);
        }
        log!(Info, "REST API on http://{}", http.local_addr()?);
        let mut tasks = tokio::task::JoinSet::new();
        for s in udp {
            let s = tokio::net::UdpSocket::from_std(s)?;
            tasks.spawn(receive(s, state.clone(), clock));
        }
        tasks.spawn(timer(state.clone(), clock));
        if let Some(g) = config.graphite.clone() {
            tasks.spawn(crate::graphite::push(
                g,
                config.metrics.clone(),
                state.clone(),
                clock,
            ));
        }
        let listener = tokio::net::TcpListener::from_std(http)?;
        tasks.spawn(accept(listener, config, state, clock));
        // Every task runs forever: the service stops when told (or when the sender is gone).
        let _ = stop.await;
        tasks.abort_all();
        Ok(())
    }
}

/// Receives datagrams on one socket, forever. Receive errors are logged, never fatal.
async fn receive(socket: tokio::net::UdpSocket, state: Shared, clock: Clock) {
    let mut buf = vec![0u8; MAX_DATAGRAM];
    loop {
        match socket.recv_from(&mut buf).await {
            Ok((n, from)) => {
                if let Some(d) = buf.get(..n) {
                    lock(&state).handle_datagram(clock.now(), from.ip(), d);
                }
            }
            Err(e) => {
                log!(Warn, "UDP receive: {e}");
                tokio::time::sleep(core::time::Duration::from_millis(10)).await;
            }
        }
    }
}

/// Calls the collector's `handle_timeout` when its `poll_timeout` says.
async fn timer(state: Shared, clock: Clock) {
    loop {
        let wake = lock(&state).poll_timeout();
        let wait = wake.map_or(core::time::Duration::from_secs(1), |w| {
            w.saturating_duration_since(clock.now())
        });
        tokio::time::sleep(wait.max(core::time::Duration::from_millis(1))).await;
        lock(&state).handle_timeout(clock.now());
    }
}

/// Accepts HTTP connections, at most `max_connections` served at once.
async fn accept(listener: tokio::net::TcpListener, config: Config, state: Shared, clock: Clock) {
    let permits = Arc::new(Semaphore::new(
        config.max_connections.clamp(1, MAX_CONNECTIONS),
    ));
    let max_body = config.max_body;
    let header_timeout = config.header_timeout;
    loop {
        let Ok(permit) = permits.clone().acquire_owned().await else {
            return;
        };
        let (stream, peer) = match listener.accept().await {
            Ok(x) => x,
            Err(e) => {
                log!(Warn, "HTTP accept: {e}");
                tokio::time::sleep(core::time::Duration::from_millis(50)).await;
                continue;
            }
        };
        let state = state.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| {
                answer(req, state.clone(), clock, max_body, header_timeout)
            });
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .max_buf_size(16 * 1024)
                .serve_connection(TokioIo::new(stream), service);
            if let Err(e) = conn.await {
                log!(Debug, "HTTP connection from {peer}: {e}");
            }
            drop(permit);
        });
    }
}

fn response(reply: Reply, close: bool) -> Response<Full<Bytes>> {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut r = Response::new(Full::new(Bytes::from(reply.body)));
    *r.status_mut() = status;
    r.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(reply.content_type));
    if close {
        r.headers_mut()
            .insert(CONNECTION, HeaderValue::from_static("close"));
    }
    r
}

/// One request: the body read within `max_body` bytes and `body_timeout` (a body that
/// trickles is a 408), then [`api::handle`] under the lock.
async fn answer(
    req: Request<Incoming>,
    state: Shared,
    clock: Clock,
    max_body: usize,
    body_timeout: core::time::Duration,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = req.into_parts();
    let method = parts.method.as_str().to_string();
    let path = parts.uri.path().to_string();
    let declared = parts
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let too_large = || {
        Reply::error(
            413,
            format!("request body larger than {max_body} bytes (the configured max-body)"),
        )
    };
    let reply = if declared.is_some_and(|n| n > max_body as u64) {
        Err(too_large())
    } else {
        match tokio::time::timeout(body_timeout, Limited::new(body, max_body).collect()).await {
            Ok(Ok(b)) => Ok(b.to_bytes()),
            Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => Err(too_large()),
            Ok(Err(e)) => Err(Reply::error(400, format!("reading the request body: {e}"))),
            Err(_) => Err(Reply::error(
                408,
                format!("the request body did not come within {body_timeout:?} (the configured header-timeout)"),
            )),
        }
    };
    let (reply, close) = match reply {
        Err(r) => (r, true),
        Ok(body) => {
            let mut c = lock(&state);
            let r = api::handle(
                &mut c,
                clock.now(),
                &method,
                &path,
                parts.uri.query(),
                &body,
            );
            (r, false)
        }
    };
    {
        let mut c = lock(&state);
        c.stats.http_requests += 1;
        if (400..500).contains(&reply.status) {
            c.stats.http_client_errors += 1;
        }
    }
    log!(Debug, "{method} {path}: {}", reply.status);
    Ok(response(reply, close))
}
