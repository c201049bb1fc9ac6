//! The manager (Ryu's `ryu-manager`, `AppManager` and `OFPHandler` in one): builds the
//! applications and their contexts, accepts switches, runs a task per switch connection and a
//! thread per application, routes events into the applications' queues, shuts down cleanly.

use core::any::{Any, TypeId};
use core::fmt;
use core::future::Future;
use core::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use core::time::Duration;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write as _;
use std::sync::{Arc, Mutex, OnceLock};

use sdnwire_openflow::connection::{Config, Connection, Event, Overflow, Reply, State};
use sdnwire_openflow::features::DatapathId;
use sdnwire_openflow::{Body, Message, MsgType};
use sdnwire_packet::time::{Clock, Instant};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot, watch};

use crate::app::{App, Call, Ctx, Handlers, Item, Local, OfEvent, OfKind, Phases, QueueOverflow};
use crate::datapath::{Datapath, Guarded, RequestError};

/// The process's clock, made on first use: every connection, application and state machine
/// of the process counts from its origin, so their instants compare.
pub fn clock() -> &'static Clock {
    static CLOCK: OnceLock<Clock> = OnceLock::new();
    CLOCK.get_or_init(Clock::new)
}

/// How much the manager logs (stderr), least first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Level {
    /// Errors only.
    Error,
    /// And warnings (queue overflows, refused sends).
    Warn,
    /// And what happens (switches connecting, applications' log lines). The default.
    #[default]
    Info,
    /// And every connection event.
    Debug,
}

impl core::str::FromStr for Level {
    type Err = String;

    fn from_str(s: &str) -> Result<Level, String> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "error" => Level::Error,
            "warn" | "warning" => Level::Warn,
            "info" => Level::Info,
            "debug" => Level::Debug,
            _ => return Err(format!("{s:?} is not one of error, warn, info, debug")),
        })
    }
}

/// Settings of a [`Manager`]. Start from [`ManagerConfig::default`] and change fields.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ManagerConfig {
    /// Every switch connection's settings (keepalive, bounds). A switch that takes none of
    /// the bytes the manager writes for `echo_interval + echo_timeout` is dead (the write
    /// failed), as one that answers no keepalive is.
    pub connection: Config,
    /// The capacity of each application's event queue. Events that do not fit are dropped,
    /// counted ([`QueueCounters::dropped`]), logged and reported to the application
    /// ([`App::on_overflow`]), except a switch's state changes and handshake results
    /// ([`OfKind::StateChanged`], [`OfKind::SwitchFeatures`], [`OfKind::PortsKnown`],
    /// [`OfKind::Dead`]: one of each per connection) and the events published with
    /// [`Ctx::publish_state_change`], which wait for room, in order, behind the events queued
    /// before them, so that an application that fell behind still sees every switch come and
    /// go and every state it follows change. Default 4096.
    ///
    /// A queued message is a slice of the read buffer it arrived in (no copy), which it keeps
    /// alive: a full queue of PACKET_INs can hold up to `queue_len` read buffers (64 KiB
    /// each at most), so size it with the memory an application that stalls may pin.
    pub queue_len: usize,
    /// How long the shutdown waits for the connections to close before it aborts them.
    /// Default 2 s.
    pub shutdown_timeout: Duration,
    /// What is logged. Default [`Level::Info`].
    pub level: Level,
    /// TLS toward the switches ([`crate::tls::server_config`]): every accepted connection
    /// is a TLS server handshake (at most 10 s) before OpenFlow; one that fails is logged and
    /// closed. Default `None`: plain TCP.
    pub tls: Option<Arc<rustls::ServerConfig>>,
    /// Several controllers: this manager's role and its heartbeat with the other manager
    /// ([`crate::roles`]). Default `None`: no role requested (OpenFlow's EQUAL).
    pub roles: Option<crate::RoleConfig>,
}

impl Default for ManagerConfig {
    fn default() -> Self {
        ManagerConfig {
            connection: Config::default(),
            queue_len: 4096,
            shutdown_timeout: Duration::from_secs(2),
            level: Level::Info,
            tls: None,
            roles: None,
        }
    }
}

/// The counters of an application's queue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct QueueCounters {
    /// The queue's capacity.
    pub capacity: usize,
    /// Events queued.
    pub queued: u64,
    /// Events handled.
    pub handled: u64,
    /// Events dropped because the queue was full.
    pub dropped: u64,
}

#[derive(Debug, Default)]
pub(crate) struct QueueStats {
    capacity: usize,
    queued: AtomicU64,
    handled: AtomicU64,
    dropped: AtomicU64,
    unreported: AtomicU64,
    /// State changes that found the queue full, waiting for room ([`forward`]).
    waiting: AtomicUsize,
}

/// An application as the router sees it.
#[derive(Debug)]
pub(crate) struct Slot {
    name: &'static str,
    of: Vec<(OfKind, Phases)>,
    events: HashSet<TypeId>,
    tx: mpsc::Sender<Item>,
    /// Where the state changes that find the queue full wait for room ([`forward`]).
    backlog: mpsc::UnboundedSender<Item>,
    stats: Arc<QueueStats>,
    capacity: usize,
}

impl Slot {
    fn wants(&self, kind: OfKind, phase: State) -> bool {
        self.of.iter().any(|(k, p)| *k == kind && p.contains(phase))
    }

    fn counters(&self) -> QueueCounters {
        QueueCounters {
            capacity: self.capacity,
            queued: self.stats.queued.load(Ordering::Relaxed),
            handled: self.stats.handled.load(Ordering::Relaxed),
            dropped: self.stats.dropped.load(Ordering::Relaxed),
        }
    }

    /// Queues `item`; a full queue counts a drop (logged at the first and at every power of
    /// two), except for a `state_change`, which waits for room behind the state changes
    /// already waiting.
    fn offer(
        &self,
        item: Item,
        state_change: bool,
        shared: &Shared,
        what: &dyn fmt::Display,
    ) -> bool {
        if state_change && self.stats.waiting.load(Ordering::Acquire) > 0 {
            return self.wait_for_room(item);
        }
        match self.tx.try_send(item) {
            Ok(()) => {
                self.stats.queued.fetch_add(1, Ordering::Relaxed);
                true
            }
            Err(mpsc::error::TrySendError::Full(item)) if state_change => self.wait_for_room(item),
            Err(mpsc::error::TrySendError::Full(_)) => {
                let n = self.stats.dropped.fetch_add(1, Ordering::Relaxed) + 1;
                self.stats.unreported.fetch_add(1, Ordering::Relaxed);
                if n.is_power_of_two() {
                    shared.log(
                        Level::Warn,
                        "manager",
                        format_args!(
                            "{} cannot keep up: its queue ({} events) is full, {what} dropped \
                             ({n} dropped so far)",
                            self.name, self.capacity
                        ),
                    );
                }
                false
            }
            Err(mpsc::error::TrySendError::Closed(_)) => false,
        }
    }

    fn wait_for_room(&self, item: Item) -> bool {
        self.stats.waiting.fetch_add(1, Ordering::AcqRel);
        if self.backlog.send(item).is_err() {
            self.stats.waiting.fetch_sub(1, Ordering::AcqRel);
            return false;
        }
        true
    }
}

/// Moves the state changes that found an application's queue full into it, in order, as room
/// frees; ends when the application stops.
async fn forward(
    mut backlog: mpsc::UnboundedReceiver<Item>,
    tx: mpsc::Sender<Item>,
    stats: Arc<QueueStats>,
) {
    while let Some(item) = backlog.recv().await {
        let sent = tx.send(item).await.is_ok();
        if sent {
            stats.queued.fetch_add(1, Ordering::Relaxed);
        }
        // After the send: a state change offered meanwhile stays behind this one.
        stats.waiting.fetch_sub(1, Ordering::AcqRel);
        if !sent {
            return;
        }
    }
}

/// What the connections, the applications and the handles share.
#[derive(Debug)]
pub(crate) struct Shared {
    slots: Vec<Slot>,
    roles: Option<Arc<crate::roles::Roles>>,
    datapaths: Mutex<BTreeMap<DatapathId, Datapath>>,
    config: ManagerConfig,
    pub(crate) clock: &'static Clock,
}

impl Shared {
    pub(crate) fn log(&self, level: Level, who: &str, text: impl fmt::Display) {
        if level <= self.config.level {
            let _ = writeln!(std::io::stderr().lock(), "[{who}] {text}");
        }
    }

    pub(crate) fn report(&self, text: &str) {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
    }

    fn map(&self) -> std::sync::MutexGuard<'_, BTreeMap<DatapathId, Datapath>> {
        self.datapaths
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn datapath(&self, dpid: DatapathId) -> Option<Datapath> {
        self.map().get(&dpid).cloned()
    }

    pub(crate) fn datapaths(&self) -> Vec<Datapath> {
        self.map().values().cloned().collect()
    }

    pub(crate) fn queues(&self) -> Vec<(&'static str, QueueCounters)> {
        self.slots.iter().map(|s| (s.name, s.counters())).collect()
    }

    pub(crate) fn publish<E: Any + Send + Sync>(
        &self,
        from: &str,
        event: Arc<E>,
        state_change: bool,
    ) -> usize {
        let tid = TypeId::of::<E>();
        let event: Arc<dyn Any + Send + Sync> = event;
        let what = format_args!("an event of {from}");
        self.slots
            .iter()
            .filter(|s| s.events.contains(&tid))
            .filter(|s| {
                s.offer(
                    Item::App(tid, Arc::clone(&event)),
                    state_change,
                    self,
                    &what,
                )
            })
            .count()
    }

    fn dispatch(&self, ev: OfEvent) {
        let Some(kind) = OfKind::of(&ev.event) else {
            return;
        };
        // One of each per connection: what an application learns a switch by (Ryu's book
        // installs the table-miss flow on SwitchFeatures) and forgets it by.
        let state_change = matches!(
            kind,
            OfKind::StateChanged | OfKind::SwitchFeatures | OfKind::PortsKnown | OfKind::Dead
        );
        for s in self.slots.iter().filter(|s| s.wants(kind, ev.phase)) {
            let what = format_args!("{kind} of {}", ev.datapath.id());
            s.offer(Item::Of(ev.clone()), state_change, self, &what);
        }
    }
}

/// Why a [`Builder`] refused an application.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// Two applications of one name (each application is a singleton, as in Ryu).
    #[error("application {0} is loaded twice")]
    Duplicate(&'static str),
    /// The name of an application no registry knows.
    #[error("no application is called {0:?}")]
    Unknown(String),
}

/// An application other applications require as a service (Ryu's `_CONTEXTS`): the manager
/// makes one, runs it as any application, and gives each application that requires it the
/// same handle ([`Builder::context`]).
pub trait Service: App {
    /// What the applications that require it hold (clone-able; usually an `Arc` of the state
    /// the service shares, or a sender to it).
    type Handle: Clone + Send + Sync + 'static;

    /// The handle on this instance.
    fn handle(&self) -> Self::Handle;
}

trait Runner: Send {
    fn name(&self) -> &'static str;
    fn routes(&self) -> (Vec<(OfKind, Phases)>, HashSet<TypeId>);
    fn start(
        self: Box<Self>,
        rx: mpsc::Receiver<Item>,
        shared: Arc<Shared>,
        stats: Arc<QueueStats>,
        stop: watch::Receiver<bool>,
    ) -> std::io::Result<oneshot::Receiver<()>>;
}

struct Pending<A: App> {
    app: A,
    handlers: Handlers<A>,
}

impl<A: App> Runner for Pending<A> {
    fn name(&self) -> &'static str {
        A::NAME
    }

    fn routes(&self) -> (Vec<(OfKind, Phases)>, HashSet<TypeId>) {
        (
            self.handlers.of.iter().map(|h| (h.0, h.1)).collect(),
            self.handlers.events.keys().copied().collect(),
        )
    }

    fn start(
        self: Box<Self>,
        rx: mpsc::Receiver<Item>,
        shared: Arc<Shared>,
        stats: Arc<QueueStats>,
        stop: watch::Receiver<bool>,
    ) -> std::io::Result<oneshot::Receiver<()>> {
        let rt = tokio::runtime::Handle::current();
        let (done_tx, done_rx) = oneshot::channel();
        let Pending { app, handlers } = *self;
        std::thread::Builder::new()
            .name(A::NAME.to_owned())
            .spawn(move || {
                rt.block_on(app_loop(app, handlers, rx, shared, stats, stop));
                let _ = done_tx.send(());
            })?;
        Ok(done_rx)
    }
}

/// Collects the applications and their contexts; [`Builder::build`] makes the [`Manager`].
pub struct Builder {
    config: ManagerConfig,
    queue_lens: HashMap<&'static str, usize>,
    apps: Vec<Box<dyn Runner>>,
    contexts: HashMap<TypeId, Box<dyn Any + Send>>,
}

impl fmt::Debug for Builder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Builder")
            .field("config", &self.config)
            .field("apps", &self.names())
            .finish()
    }
}

impl Builder {
    /// The names of the applications added so far, contexts included.
    pub fn names(&self) -> Vec<&'static str> {
        self.apps.iter().map(|a| a.name()).collect()
    }

    /// Whether an application of this name was added.
    pub fn contains(&self, name: &str) -> bool {
        self.apps.iter().any(|a| a.name() == name)
    }

    /// Adds an application.
    pub fn add<A: App>(&mut self, app: A) -> Result<&mut Self, BuildError> {
        if self.contains(A::NAME) {
            return Err(BuildError::Duplicate(A::NAME));
        }
        let mut handlers = Handlers::new();
        A::register(&mut handlers);
        self.apps.push(Box::new(Pending { app, handlers }));
        Ok(self)
    }

    /// Gives application `A`'s queue `len` events instead of [`ManagerConfig::queue_len`].
    pub fn queue_len<A: App>(&mut self, len: usize) -> &mut Self {
        self.queue_lens.insert(A::NAME, len);
        self
    }

    /// The handle on the service `S`, made by `make` and added as an application the first
    /// time an application requires it; later calls return the same handle (Ryu's
    /// `_CONTEXTS`: one `LacpLib` however many applications require it).
    pub fn context<S: Service>(
        &mut self,
        make: impl FnOnce() -> S,
    ) -> Result<S::Handle, BuildError> {
        let tid = TypeId::of::<S>();
        if let Some(h) = self
            .contexts
            .get(&tid)
            .and_then(|h| h.downcast_ref::<S::Handle>())
        {
            return Ok(h.clone());
        }
        let service = make();
        let handle = service.handle();
        self.add(service)?;
        self.contexts.insert(tid, Box::new(handle.clone()));
        Ok(handle)
    }

    /// The manager (nothing runs before [`Manager::run`]).
    pub fn build(self) -> Manager {
        let mut slots = Vec::new();
        let mut runners = Vec::new();
        let mut forwarders = Vec::new();
        for app in self.apps {
            let (of, events) = app.routes();
            let capacity = self
                .queue_lens
                .get(app.name())
                .copied()
                .unwrap_or(self.config.queue_len)
                .max(1);
            let (tx, rx) = mpsc::channel(capacity);
            let (backlog, backlog_rx) = mpsc::unbounded_channel();
            let stats = Arc::new(QueueStats {
                capacity,
                ..QueueStats::default()
            });
            forwarders.push((backlog_rx, tx.clone(), Arc::clone(&stats)));
            slots.push(Slot {
                name: app.name(),
                of,
                events,
                tx,
                backlog,
                stats: Arc::clone(&stats),
                capacity,
            });
            runners.push((app, rx, stats));
        }
        Manager {
            shared: Arc::new(Shared {
                roles: self.config.roles.clone().map(crate::roles::Roles::new),
                slots,
                datapaths: Mutex::new(BTreeMap::new()),
                config: self.config,
                clock: clock(),
            }),
            runners,
            forwarders,
        }
    }
}

/// The running part of the controller: see the crate's documentation.
pub struct Manager {
    shared: Arc<Shared>,
    runners: Vec<Runnable>,
    forwarders: Vec<Forwarder>,
}

/// An application ready to start: itself, its queue's receiving end, its counters.
type Runnable = (Box<dyn Runner>, mpsc::Receiver<Item>, Arc<QueueStats>);

/// What [`forward`] takes: an application's backlog, its queue, its counters.
type Forwarder = (
    mpsc::UnboundedReceiver<Item>,
    mpsc::Sender<Item>,
    Arc<QueueStats>,
);

impl fmt::Debug for Manager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Manager")
            .field("apps", &self.handle().apps())
            .finish()
    }
}

/// A handle on a [`Manager`], for whoever wants to watch it run (tests, an embedding
/// program): its switches and its applications' queue counters.
#[derive(Debug, Clone)]
pub struct ManagerHandle {
    shared: Arc<Shared>,
}

impl ManagerHandle {
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        ManagerHandle { shared }
    }

    /// The applications' names, in the order they were added.
    pub fn apps(&self) -> Vec<&'static str> {
        self.shared.slots.iter().map(|s| s.name).collect()
    }

    /// Every application's queue counters.
    pub fn queues(&self) -> Vec<(&'static str, QueueCounters)> {
        self.shared.queues()
    }

    /// The counters of application `name`'s queue.
    pub fn queue(&self, name: &str) -> Option<QueueCounters> {
        self.shared
            .slots
            .iter()
            .find(|s| s.name == name)
            .map(Slot::counters)
    }

    /// Every connected switch.
    pub fn datapaths(&self) -> Vec<Datapath> {
        self.shared.datapaths()
    }

    /// The switch with datapath id `dpid`.
    pub fn datapath(&self, dpid: DatapathId) -> Option<Datapath> {
        self.shared.datapath(dpid)
    }
}

impl Manager {
    /// A builder with `config`.
    pub fn builder(config: ManagerConfig) -> Builder {
        Builder {
            config,
            queue_lens: HashMap::new(),
            apps: Vec::new(),
            contexts: HashMap::new(),
        }
    }

    /// A handle to watch the manager with.
    pub fn handle(&self) -> ManagerHandle {
        ManagerHandle {
            shared: Arc::clone(&self.shared),
        }
    }

    /// Runs the applications and serves the switches that connect to `listener` until
    /// `shutdown` completes (`tokio::signal::ctrl_c()`, say); with [`ManagerConfig::roles`],
    /// fails at once when the heartbeat's address cannot be bound. Then it closes every switch
    /// connection (the applications see each die), waits for them (at most
    /// [`ManagerConfig::shutdown_timeout`]), lets every application handle what is left in
    /// its queue and calls its [`App::stop`], and returns the queues' counters.
    ///
    /// Call it within a tokio runtime; the applications' threads use its handle.
    pub async fn run(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()>,
    ) -> std::io::Result<Vec<(&'static str, QueueCounters)>> {
        let shared = self.shared;
        // The heartbeat's socket first: a manager that cannot hear the other one must not run
        // as if it could.
        let heartbeat_socket =
            match &shared.roles {
                Some(r) => Some(tokio::net::UdpSocket::bind(r.config.listen).await.map_err(
                    |e| {
                        std::io::Error::new(
                            e.kind(),
                            format!("the heartbeat cannot listen on {}: {e}", r.config.listen),
                        )
                    },
                )?),
                None => None,
            };
        let (stop_tx, stop_rx) = watch::channel(false);
        let mut threads = Vec::new();
        for (runner, rx, stats) in self.runners {
            let name = runner.name();
            match runner.start(rx, Arc::clone(&shared), stats, stop_rx.clone()) {
                Ok(done) => threads.push(done),
                Err(e) => {
                    let _ = stop_tx.send(true);
                    return Err(std::io::Error::new(
                        e.kind(),
                        format!("cannot start {name}'s thread: {e}"),
                    ));
                }
            }
        }
        let forwarders: Vec<_> = self
            .forwarders
            .into_iter()
            .map(|(backlog, tx, stats)| tokio::spawn(forward(backlog, tx, stats)))
            .collect();
        let heartbeat = shared
            .roles
            .clone()
            .zip(heartbeat_socket)
            .map(|(r, socket)| {
                tokio::spawn(crate::roles::heartbeat(r, socket, Arc::clone(&shared)))
            });
        let (close_tx, close_rx) = watch::channel(false);
        let mut conns = tokio::task::JoinSet::new();
        let shutdown = shutdown;
        tokio::pin!(shutdown);
        loop {
            tokio::select! {
                () = &mut shutdown => break,
                r = listener.accept() => match r {
                    Ok((stream, peer)) => {
                        let _ = stream.set_nodelay(true);
                        let (shared, close) = (Arc::clone(&shared), close_rx.clone());
                        match &shared.config.tls {
                            None => {
                                conns.spawn(run_connection(stream, peer.to_string(), shared, close));
                            }
                            Some(tls) => {
                                let acceptor = tokio_rustls::TlsAcceptor::from(Arc::clone(tls));
                                conns.spawn(async move {
                                    let handshake = acceptor.accept(stream);
                                    match tokio::time::timeout(Duration::from_secs(10), handshake).await {
                                        Ok(Ok(s)) => {
                                            run_connection(s, format!("{peer} (TLS)"), shared, close).await;
                                        }
                                        Ok(Err(e)) => shared.log(
                                            Level::Warn,
                                            &peer.to_string(),
                                            format_args!("TLS handshake failed: {e}"),
                                        ),
                                        Err(_) => shared.log(
                                            Level::Warn,
                                            &peer.to_string(),
                                            "TLS handshake: no answer within 10 s",
                                        ),
                                    }
                                });
                            }
                        }
                    }
                    Err(e) => {
                        // Out of file descriptors, say: keep serving the others.
                        shared.log(Level::Error, "manager", format_args!("accept: {e}"));
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                },
                Some(_) = conns.join_next(), if !conns.is_empty() => {}
            }
        }
        shared.log(Level::Info, "manager", "shutting down");
        if let Some(h) = heartbeat {
            h.abort();
        }
        drop(listener);
        let _ = close_tx.send(true);
        let closing = async { while conns.join_next().await.is_some() {} };
        if tokio::time::timeout(shared.config.shutdown_timeout, closing)
            .await
            .is_err()
        {
            shared.log(
                Level::Warn,
                "manager",
                "connections still open after the shutdown timeout: aborted",
            );
            conns.shutdown().await;
            // The switches of the aborted tasks die here: their applications see them go and
            // their requests' futures end.
            for dp in shared.datapaths() {
                dp.lock().conn.handle_eof(shared.clock.now());
                let mut label = format!("dpid {}", dp.id());
                // In the map: past FEATURES_REPLY; what the task left unpolled is of MAIN.
                let mut phase = State::Main;
                events(&dp, &shared, &mut phase, &mut label);
                shared.log(Level::Info, &label, "disconnected (aborted)");
            }
        }
        // The switches' deaths that wait for room in a full queue go in before the stop.
        let waiting = async {
            while shared
                .slots
                .iter()
                .any(|s| s.stats.waiting.load(Ordering::Acquire) > 0)
            {
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        };
        if tokio::time::timeout(shared.config.shutdown_timeout, waiting)
            .await
            .is_err()
        {
            shared.log(
                Level::Warn,
                "manager",
                "state changes still waiting for room in a queue after the shutdown timeout",
            );
        }
        let _ = stop_tx.send(true);
        for done in threads {
            let _ = done.await;
        }
        for f in forwarders {
            f.abort();
        }
        let queues = shared.queues();
        for (name, q) in &queues {
            shared.log(
                Level::Info,
                "manager",
                format_args!(
                    "{name}: {} events queued, {} handled, {} dropped",
                    q.queued, q.handled, q.dropped
                ),
            );
        }
        Ok(queues)
    }
}

// ------------------------------------------------------------------ an application's thread

async fn app_loop<A: App>(
    mut app: A,
    handlers: Handlers<A>,
    mut rx: mpsc::Receiver<Item>,
    shared: Arc<Shared>,
    stats: Arc<QueueStats>,
    mut stop: watch::Receiver<bool>,
) {
    let (calls_tx, mut calls_rx) = mpsc::unbounded_channel::<Call<A>>();
    let mut local = Local::new(calls_tx);
    let capacity = stats.capacity;
    let now = shared.clock.now();
    guard(&shared, A::NAME, &"start", || {
        app.start(&mut Ctx {
            now,
            shared: &shared,
            local: &mut local,
        });
    });
    loop {
        report_overflow(&mut app, &shared, &mut local, &stats, capacity);
        // Timers and spawned work's continuations come before the next queued event, so that
        // a queue that never empties (an application that cannot keep up) does not starve
        // them: each turn handles the timers due, one continuation, then one event.
        fire_timers(&mut app, &shared, &mut local);
        if let Ok(call) = calls_rx.try_recv() {
            run_call(&mut app, &shared, &mut local, call);
        }
        let next_timer = local.timers.keys().next().map(|k| k.0);
        let sleep = async {
            match next_timer {
                Some(t) => {
                    let until = tokio::time::Instant::from_std(shared.clock.to_std(t));
                    tokio::time::sleep_until(until).await;
                }
                None => core::future::pending().await,
            }
        };
        tokio::select! {
            biased;
            r = stop.changed() => {
                if r.is_err() || *stop.borrow() {
                    break;
                }
            }
            item = rx.recv() => match item {
                Some(item) => handle_item(&mut app, &handlers, item, &shared, &mut local, &stats),
                None => break,
            },
            Some(call) = calls_rx.recv() => run_call(&mut app, &shared, &mut local, call),
            () = sleep => fire_timers(&mut app, &shared, &mut local),
        }
    }
    // What was queued before the stop is still the application's; what its handlers queue
    // meanwhile (an event it publishes to itself, say) is not, so that the drain ends.
    for _ in 0..rx.len() {
        let Ok(item) = rx.try_recv() else {
            break;
        };
        handle_item(&mut app, &handlers, item, &shared, &mut local, &stats);
    }
    report_overflow(&mut app, &shared, &mut local, &stats, capacity);
    let now = shared.clock.now();
    guard(&shared, A::NAME, &"stop", || {
        app.stop(&mut Ctx {
            now,
            shared: &shared,
            local: &mut local,
        });
    });
    for h in local.spawned.drain(..) {
        h.abort();
    }
}

/// Calls the timers due now; those they set meanwhile, even for now, wait for the next turn
/// (a timer that sets itself again with no delay does not keep the thread for ever).
fn fire_timers<A: App>(app: &mut A, shared: &Arc<Shared>, local: &mut Local<A>) {
    let now = shared.clock.now();
    let due: Vec<(Instant, u64)> = local
        .timers
        .range(..=(now, u64::MAX))
        .map(|(k, _)| *k)
        .collect();
    for key in due {
        if let Some(call) = local.timers.remove(&key) {
            guard(shared, A::NAME, &"a timer", || {
                call(app, &mut Ctx { now, shared, local });
            });
        }
    }
}

/// Runs the continuation of spawned work.
fn run_call<A: App>(app: &mut A, shared: &Arc<Shared>, local: &mut Local<A>, call: Call<A>) {
    let now = shared.clock.now();
    guard(shared, A::NAME, &"spawned work's continuation", || {
        call(app, &mut Ctx { now, shared, local });
    });
}

fn report_overflow<A: App>(
    app: &mut A,
    shared: &Arc<Shared>,
    local: &mut Local<A>,
    stats: &QueueStats,
    capacity: usize,
) {
    let dropped = stats.unreported.swap(0, Ordering::Relaxed);
    if dropped == 0 {
        return;
    }
    let overflow = QueueOverflow {
        dropped,
        total: stats.dropped.load(Ordering::Relaxed),
        capacity,
    };
    let now = shared.clock.now();
    guard(shared, A::NAME, &"on_overflow", || {
        app.on_overflow(&mut Ctx { now, shared, local }, overflow);
    });
}

/// Runs application code; a panic is logged and the application goes on with its next event
/// (as a Ryu application's greenlet survives an exception in a handler), its state as the
/// handler left it.
fn guard(shared: &Shared, app: &str, what: &dyn fmt::Display, f: impl FnOnce()) {
    if std::panic::catch_unwind(core::panic::AssertUnwindSafe(f)).is_err() {
        shared.log(
            Level::Error,
            app,
            format_args!("the handler of {what} panicked; the application goes on"),
        );
    }
}

fn handle_item<A: App>(
    app: &mut A,
    handlers: &Handlers<A>,
    item: Item,
    shared: &Arc<Shared>,
    local: &mut Local<A>,
    stats: &QueueStats,
) {
    let now = shared.clock.now();
    let mut cx = Ctx { now, shared, local };
    match item {
        Item::Of(ev) => {
            if let Some(kind) = OfKind::of(&ev.event) {
                for (k, phases, h) in &handlers.of {
                    if *k == kind && phases.contains(ev.phase) {
                        let what = format_args!("{kind} in {}", ev.phase);
                        guard(shared, A::NAME, &what, || h(app, &mut cx, &ev));
                    }
                }
            }
        }
        Item::App(tid, ev) => {
            if let Some((name, hs)) = handlers.events.get(&tid) {
                for h in hs {
                    guard(shared, A::NAME, name, || h(app, &mut cx, &*ev));
                }
            }
        }
    }
    stats.handled.fetch_add(1, Ordering::Relaxed);
}

// ------------------------------------------------------------------ a switch connection's task

/// Drives one switch connection until it is dead: the connection's polling order, with the
/// applications' sends waking the task.
async fn run_connection<S>(
    mut stream: S,
    peer: String,
    shared: Arc<Shared>,
    mut close: watch::Receiver<bool>,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send,
{
    let mut label = peer.clone();
    shared.log(Level::Info, &label, "connected");
    let dp = Datapath::new(
        Connection::new(shared.config.connection.clone(), shared.clock.now()),
        peer,
        shared.clock,
    );
    let mut phase = State::Handshake;
    let mut rx = bytes::BytesMut::with_capacity(65536);
    let mut tx = Vec::new();
    let mut closing = *close.borrow();
    if closing {
        dp.close();
    }
    // A switch that reads nothing for as long as the keepalive gives it is dead, even while
    // the task is writing to it (a write it never takes would hold the task for ever).
    let stall = shared
        .config
        .connection
        .echo_interval
        .checked_add(shared.config.connection.echo_timeout);
    loop {
        let mut written = transmit(&dp, &mut stream, &mut tx, stall).await;
        if written.is_ok() {
            events(&dp, &shared, &mut phase, &mut label);
            written = transmit(&dp, &mut stream, &mut tx, stall).await;
        }
        if let Err(e) = written {
            shared.log(Level::Warn, &label, format_args!("write failed: {e}"));
            dp.lock().conn.handle_eof(shared.clock.now());
            events(&dp, &shared, &mut phase, &mut label);
            break;
        }
        if dp.state() == State::Dead {
            break;
        }
        let wake = dp.lock().conn.poll_timeout();
        let sleep = async {
            match wake {
                Some(t) => {
                    let until = tokio::time::Instant::from_std(shared.clock.to_std(t));
                    tokio::time::sleep_until(until).await;
                }
                None => core::future::pending().await,
            }
        };
        tokio::select! {
            r = stream.read_buf(&mut rx) => {
                let now = shared.clock.now();
                match r {
                    Ok(0) => dp.lock().conn.handle_eof(now),
                    Ok(_) => {
                        let r = dp.lock().conn.handle_buf(now, rx.split().freeze());
                        if let Err(e) = r {
                            shared.log(Level::Warn, &label, e);
                        }
                        rx.reserve(65536);
                    }
                    Err(e) => {
                        shared.log(Level::Warn, &label, format_args!("read failed: {e}"));
                        dp.lock().conn.handle_eof(now);
                    }
                }
            }
            () = sleep => {}
            () = dp.inner.wake.notified() => {}
            _ = close.changed(), if !closing => {
                closing = true;
                dp.close();
            }
        }
        dp.lock().conn.handle_timeout(shared.clock.now());
    }
    // Dead: what is still queued (an ERROR explaining why, say), then close.
    let _ = transmit(&dp, &mut stream, &mut tx, stall).await;
    let _ = stream.shutdown().await;
    shared.log(Level::Info, &label, "disconnected");
}

/// Writes everything the connection queued, through the task's one buffer (the lock is not
/// held across the write). Fails when the switch takes no byte for `stall`.
async fn transmit<S: AsyncWrite + Unpin>(
    dp: &Datapath,
    stream: &mut S,
    tx: &mut Vec<u8>,
    stall: Option<Duration>,
) -> std::io::Result<()> {
    loop {
        if dp.lock().conn.poll_transmit(tx).is_none() {
            return Ok(());
        }
        let mut rest: &[u8] = tx;
        while !rest.is_empty() {
            let n = match stall {
                Some(d) => tokio::time::timeout(d, stream.write(rest))
                    .await
                    .map_err(|_| {
                        std::io::Error::new(
                            std::io::ErrorKind::TimedOut,
                            format!("the switch has read nothing for {d:?}"),
                        )
                    })??,
                None => stream.write(rest).await?,
            };
            if n == 0 {
                return Err(std::io::ErrorKind::WriteZero.into());
            }
            rest = rest.get(n..).unwrap_or_default();
        }
        // TLS keeps the records the socket did not take: out with them too.
        match stall {
            Some(d) => tokio::time::timeout(d, stream.flush())
                .await
                .map_err(|_| {
                    std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        format!("the switch has read nothing for {d:?}"),
                    )
                })??,
            None => stream.flush().await?,
        }
    }
}

/// Hands every pending event of the connection to its waiter or to the applications.
fn events(dp: &Datapath, shared: &Arc<Shared>, phase: &mut State, label: &mut String) {
    loop {
        let ev = {
            let mut g = dp.lock();
            let Some(ev) = g.conn.poll_event() else {
                return;
            };
            match resolve(&mut g, ev) {
                Some(ev) => ev,
                None => continue,
            }
        };
        describe(shared, label, &ev);
        match &ev {
            Event::StateChanged { to, .. } => *phase = *to,
            Event::SwitchFeatures(f) => {
                let _ = dp.inner.id.set(f.datapath_id);
                let old = shared.map().insert(f.datapath_id, dp.clone());
                if old.is_some() {
                    shared.log(
                        Level::Warn,
                        label,
                        "a second connection of this datapath id: it replaces the first",
                    );
                }
            }
            _ => {}
        }
        if matches!(
            ev,
            Event::StateChanged {
                to: State::Main,
                ..
            }
        ) {
            if let Some(roles) = &shared.roles {
                crate::roles::request_role(shared, dp, roles.current());
            }
        }
        let dead = matches!(
            ev,
            Event::StateChanged {
                to: State::Dead,
                ..
            }
        );
        if dead {
            // Nobody gets a reply any more.
            dp.lock().waiters.clear();
            let id = dp.id();
            let mut map = shared.map();
            if map.get(&id) == Some(dp) {
                map.remove(&id);
            }
        }
        shared.dispatch(OfEvent {
            dpid: dp.id(),
            datapath: dp.clone(),
            phase: *phase,
            event: Arc::new(ev),
        });
    }
}

/// Completes the future of the request an event ends, if there is one; gives the event back
/// otherwise.
fn resolve(g: &mut Guarded, ev: Event) -> Option<Event> {
    let xid = match &ev {
        Event::Reply { xid, .. }
        | Event::RequestFailed { xid, .. }
        | Event::ReplyMalformed { xid, .. }
        | Event::Overflow(Overflow::Reply { xid, .. }) => *xid,
        _ => return Some(ev),
    };
    let Some(waiter) = g.waiters.remove(&xid) else {
        return Some(ev);
    };
    let r: Result<Reply, RequestError> = match ev {
        Event::Reply { reply, .. } => Ok(reply),
        Event::RequestFailed { request, error, .. } => Err(RequestError::Failed { request, error }),
        Event::ReplyMalformed { request, error, .. } => {
            Err(RequestError::Malformed { request, error })
        }
        Event::Overflow(Overflow::Reply { request, limit, .. }) => {
            Err(RequestError::TooLarge { request, limit })
        }
        other => return Some(other),
    };
    let _ = waiter.send(r);
    None
}

/// Logs the connection's own events.
fn describe(shared: &Shared, label: &mut String, ev: &Event) {
    let log = |level, text: fmt::Arguments<'_>| shared.log(level, label, text);
    match ev {
        Event::SwitchFeatures(f) => {
            let new = format!("dpid {}", f.datapath_id);
            shared.log(
                Level::Info,
                &new,
                format_args!(
                    "switch {label}: datapath id {}, {} tables, {} buffers",
                    f.datapath_id, f.n_tables, f.n_buffers
                ),
            );
            *label = new;
        }
        Event::StateChanged { from, to } => {
            log(Level::Info, format_args!("state {from} -> {to}"));
        }
        Event::Dead { reason } => log(Level::Info, format_args!("dead: {reason}")),
        Event::PortStatus { reason, port, .. } => log(
            Level::Info,
            format_args!("port status: {reason} {}({})", port.port_no, port.name()),
        ),
        Event::Message(f) if f.header.msg_type == MsgType::ERROR => {
            let xid = f.header.xid;
            match f.decode() {
                Ok(Message {
                    body: Body::Error(e),
                    ..
                }) => log(
                    Level::Warn,
                    format_args!("error from the switch (xid {xid}): {e}"),
                ),
                Ok(_) => {}
                Err(e) => log(
                    Level::Warn,
                    format_args!("malformed error from the switch (xid {xid}): {e}"),
                ),
            }
        }
        Event::Resync { dropped } => log(
            Level::Warn,
            format_args!(
                "the connection's event queue overflowed: {} messages, {} port status and {} \
                 other events dropped",
                dropped.messages, dropped.port_status, dropped.other
            ),
        ),
        Event::Overflow(o) => log(Level::Warn, format_args!("overflow: {o:?}")),
        other => log(Level::Debug, format_args!("{other:?}")),
    }
}

/// A future that completes on SIGINT or SIGTERM (SIGINT only where there is no SIGTERM). The
/// signals are caught from the call on (call it within the runtime, before announcing that the
/// controller is up): a signal that comes before the future is first polled still stops it.
pub fn shutdown_signal() -> impl Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let int = signal(SignalKind::interrupt());
        let term = signal(SignalKind::terminate());
        async move {
            match (int, term) {
                (Ok(mut int), Ok(mut term)) => {
                    tokio::select! {
                        _ = int.recv() => {}
                        _ = term.recv() => {}
                    }
                }
                _ => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
