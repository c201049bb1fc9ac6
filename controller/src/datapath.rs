//! The handle applications hold on a switch (Ryu's `Datapath`): send messages, make requests
//! whose replies come back as futures, read the switch's ports.

use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, Weak};

use sdnwire_openflow::action::Action;
use sdnwire_openflow::connection::{Connection, Reply, SendError, State};
use sdnwire_openflow::error_msg::ErrorMsg;
use sdnwire_openflow::features::{DatapathId, SwitchFeatures};
use sdnwire_openflow::flow_mod::FlowMod;
use sdnwire_openflow::multipart::{MultipartReplyBody, MultipartRequest};
use sdnwire_openflow::oxm::Match;
use sdnwire_openflow::port::Port;
use sdnwire_openflow::{Body, BufferId, MsgType, OFPCML_NO_BUFFER};
use sdnwire_packet::time::{Clock, Instant};
use sdnwire_packet::MacAddr;
use tokio::sync::{oneshot, Notify};

/// Why a request made with [`Datapath::request`] has no reply.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// The switch answered with an ERROR.
    #[error("the switch refused the {request} request: {error}")]
    Failed {
        /// The request's type.
        request: MsgType,
        /// The switch's error.
        error: ErrorMsg,
    },
    /// The reply did not parse.
    #[error("malformed reply to the {request} request: {error}")]
    Malformed {
        /// The request's type.
        request: MsgType,
        /// What is wrong with it.
        error: sdnwire_openflow::Error,
    },
    /// The multipart reply grew past the connection's `max_reply_len`.
    #[error("the reply to the {request} request is larger than {limit} bytes")]
    TooLarge {
        /// The request's type.
        request: MsgType,
        /// The limit.
        limit: usize,
    },
    /// [`ReplyFuture::merged`]: the reply is a single message, or parts of different types,
    /// or a fixed body in several parts.
    #[error("the reply is not a multipart reply whose parts merge into one")]
    NotMergeable,
    /// The switch disconnected before it answered.
    #[error("the switch disconnected before it answered")]
    Disconnected,
}

pub(crate) type Waiter = oneshot::Sender<Result<Reply, RequestError>>;

/// The connection and who waits for which reply, behind the handle's lock.
#[derive(Debug)]
pub(crate) struct Guarded {
    pub(crate) conn: Connection,
    pub(crate) waiters: HashMap<u32, Waiter>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) guarded: Mutex<Guarded>,
    /// Wakes the connection's task when an application queued bytes.
    pub(crate) wake: Notify,
    pub(crate) id: OnceLock<DatapathId>,
    pub(crate) peer: String,
    pub(crate) clock: &'static Clock,
}

/// A switch, as applications hold it: clone it freely (Ryu's `Datapath`, `ev.msg.datapath`).
///
/// Every method queues on the switch's [`Connection`] (a lock held for the call only) and wakes
/// the connection's task, which writes. A request's reply (a multipart one reassembled) comes
/// back through the [`ReplyFuture`] it returns; await it in work spawned with
/// [`crate::Ctx::spawn`], whose continuation runs on the application's thread.
#[derive(Clone)]
pub struct Datapath {
    pub(crate) inner: Arc<Inner>,
}

impl fmt::Debug for Datapath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Datapath")
            .field("id", &self.id())
            .field("peer", &self.inner.peer)
            .finish()
    }
}

impl PartialEq for Datapath {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Eq for Datapath {}

impl Datapath {
    pub(crate) fn new(conn: Connection, peer: String, clock: &'static Clock) -> Datapath {
        Datapath {
            inner: Arc::new(Inner {
                guarded: Mutex::new(Guarded {
                    conn,
                    waiters: HashMap::new(),
                }),
                wake: Notify::new(),
                id: OnceLock::new(),
                peer,
                clock,
            }),
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Guarded> {
        // A handler that panicked while holding the lock leaves the connection as it was
        // between two calls: still consistent.
        self.inner
            .guarded
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn now(&self) -> Instant {
        self.inner.clock.now()
    }

    /// The datapath id (0 before FEATURES_REPLY).
    pub fn id(&self) -> DatapathId {
        self.inner.id.get().copied().unwrap_or_default()
    }

    /// The switch's address.
    pub fn peer(&self) -> &str {
        &self.inner.peer
    }

    /// The connection's state.
    pub fn state(&self) -> State {
        self.lock().conn.state()
    }

    /// FEATURES_REPLY of the handshake.
    pub fn features(&self) -> Option<SwitchFeatures> {
        self.lock().conn.features().cloned()
    }

    /// Every port, in port number order (kept current by PORT_STATUS).
    pub fn ports(&self) -> Vec<Port> {
        self.lock().conn.ports().cloned().collect()
    }

    /// Port `port_no`.
    pub fn port(&self, port_no: impl Into<sdnwire_openflow::PortNo>) -> Option<Port> {
        self.lock().conn.port(port_no).cloned()
    }

    /// The hardware address of the LOCAL port.
    pub fn local_hw_addr(&self) -> Option<MacAddr> {
        self.lock().conn.local_hw_addr()
    }

    /// Runs `f` on the connection (read-only), under the handle's lock. `f` must not call
    /// this `Datapath` (or a clone of it): the lock is not reentrant, so the call would
    /// deadlock.
    pub fn with_connection<T>(&self, f: impl FnOnce(&Connection) -> T) -> T {
        f(&self.lock().conn)
    }

    fn queued<T>(&self, r: Result<T, SendError>) -> Result<T, SendError> {
        if r.is_ok() {
            self.inner.wake.notify_one();
        }
        r
    }

    /// Sends a message that has no reply (Ryu's `send_msg`); returns its xid. An ERROR the
    /// switch sends about it comes as an [`OfKind::Message`](crate::OfKind::Message) event of
    /// type ERROR with that xid.
    pub fn send(&self, body: Body) -> Result<u32, SendError> {
        let now = self.now();
        let r = self.lock().conn.send(now, body);
        self.queued(r)
    }

    /// Sends a request; its reply (a multipart reply reassembled), or why there is none, comes
    /// from the returned future.
    pub fn request(&self, body: Body) -> Result<ReplyFuture, SendError> {
        let now = self.now();
        let (tx, rx) = oneshot::channel();
        let r = {
            let mut g = self.lock();
            let r = g.conn.request(now, body);
            if let Ok(xid) = r {
                g.waiters.insert(xid, tx);
            }
            r
        };
        let xid = self.queued(r)?;
        Ok(ReplyFuture {
            xid,
            rx,
            dp: Arc::downgrade(&self.inner),
            done: false,
        })
    }

    /// A multipart request in several messages (the parts of `MultipartRequest::split`, say),
    /// sent under one xid with REQ_MORE on all but the last; the reply as for
    /// [`Datapath::request`].
    pub fn request_multipart(
        &self,
        parts: Vec<MultipartRequest>,
    ) -> Result<ReplyFuture, SendError> {
        let now = self.now();
        let (tx, rx) = oneshot::channel();
        let r = {
            let mut g = self.lock();
            let r = g.conn.request_multipart(now, parts);
            if let Ok(xid) = r {
                g.waiters.insert(xid, tx);
            }
            r
        };
        let xid = self.queued(r)?;
        Ok(ReplyFuture {
            xid,
            rx,
            dp: Arc::downgrade(&self.inner),
            done: false,
        })
    }

    /// Sends a request whose reply comes as an event to the applications that registered for
    /// [`OfKind::Reply`](crate::OfKind::Reply) of its type (Ryu's style: `send_msg(req)` and
    /// `@set_ev_cls(EventOFPFlowStatsReply)`); returns its xid.
    pub fn request_event(&self, body: Body) -> Result<u32, SendError> {
        let now = self.now();
        let r = self.lock().conn.request(now, body);
        self.queued(r)
    }

    /// Closes the connection (its applications see it die).
    pub fn close(&self) {
        let now = self.now();
        self.lock().conn.close(now);
        self.inner.wake.notify_one();
    }

    /// Adds a flow as the Ryu book's `add_flow` does: `actions` in an APPLY_ACTIONS
    /// instruction, table 0, no timeouts, with the switch's buffer id when the packet that
    /// caused it is buffered there.
    pub fn add_flow(
        &self,
        priority: u16,
        match_: Match,
        actions: Vec<Action>,
        buffer_id: Option<BufferId>,
    ) -> Result<u32, SendError> {
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
    pub fn add_table_miss_flow(&self) -> Result<u32, SendError> {
        self.add_flow(
            0,
            Match::new(),
            vec![Action::output_to_controller(OFPCML_NO_BUFFER)],
            None,
        )
    }
}

/// The reply to a [`Datapath::request`], when it comes.
///
/// Dropping the future before it completes (a timeout around it, say) withdraws the request:
/// the connection stops waiting for its reply, so that a switch that never answers does not
/// use up [`Config::max_outstanding_requests`](sdnwire_openflow::connection::Config); a reply
/// that comes later reaches the applications as an ordinary message event.
#[derive(Debug)]
pub struct ReplyFuture {
    xid: u32,
    rx: oneshot::Receiver<Result<Reply, RequestError>>,
    dp: Weak<Inner>,
    done: bool,
}

impl Drop for ReplyFuture {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        let Some(inner) = self.dp.upgrade() else {
            return;
        };
        let mut g = inner
            .guarded
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if g.waiters.remove(&self.xid).is_some() {
            g.conn.cancel(self.xid);
        }
    }
}

impl ReplyFuture {
    /// The request's xid.
    pub fn xid(&self) -> u32 {
        self.xid
    }

    /// The multipart reply's parts decoded and merged into one body (flow stats of every part
    /// in one list, ...).
    pub async fn merged(self) -> Result<MultipartReplyBody, RequestError> {
        let reply = self.await?;
        match reply.merged() {
            Ok(Some(b)) => Ok(b),
            Ok(None) => Err(RequestError::NotMergeable),
            Err(error) => Err(RequestError::Malformed {
                request: MsgType::MULTIPART_REQUEST,
                error,
            }),
        }
    }
}

impl Future for ReplyFuture {
    type Output = Result<Reply, RequestError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let r = Pin::new(&mut self.rx)
            .poll(cx)
            .map(|r| r.unwrap_or(Err(RequestError::Disconnected)));
        if r.is_ready() {
            self.done = true;
        }
        r
    }
}
