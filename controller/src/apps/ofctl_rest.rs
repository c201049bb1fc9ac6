//! Ryu's `ofctl_rest` as an application: Ryu's REST API for flows and statistics over every
//! connected switch, with Ryu's URLs, JSON shapes and field names ([`super::ofctl`]), so that
//! scripts written for Ryu work unchanged. Served by hyper's HTTP/1.1 server (as the
//! collector's REST API is), on `--wsapi-host`/`--wsapi-port` (0.0.0.0:8080 by default, as
//! `ryu-manager`'s).
//!
//! | method | path | answer |
//! | --- | --- | --- |
//! | GET | `/stats/switches` | the datapath ids, `[1, 2]` |
//! | GET | `/stats/desc/<dpid>` | `{"<dpid>": {"mfr_desc": ..., ...}}` |
//! | GET, POST | `/stats/flow/<dpid>` | `{"<dpid>": [flows]}`; POST's body filters (`table_id`, `out_port`, `cookie`, `match`, `priority`, ...) |
//! | GET, POST | `/stats/aggregateflow/<dpid>` | `{"<dpid>": [{"packet_count", "byte_count", "flow_count"}]}` |
//! | GET | `/stats/port/<dpid>[/<port>]` | `{"<dpid>": [ports]}` |
//! | GET | `/stats/portdesc/<dpid>` | `{"<dpid>": [ports]}` |
//! | POST | `/stats/flowentry/{add,modify,modify_strict,delete,delete_strict}` | 200; the body is the flow entry, with its `dpid` |
//! | DELETE | `/stats/flowentry/clear/<dpid>` | 200: every flow of every table deleted |
//! | GET | `/stats/group/<dpid>[/<group_id>]`, `/stats/groupdesc/<dpid>` | `{"<dpid>": [groups]}` |
//! | GET | `/stats/meter/<dpid>[/<meter_id>]`, `/stats/meterconfig/<dpid>[/<meter_id>]` | `{"<dpid>": [meters]}` |
//! | POST | `/stats/groupentry/{add,modify,delete}` | 200; the body is the group entry, with its `dpid` |
//! | POST | `/stats/meterentry/{add,modify,delete}` | 200; the body is the meter entry, with its `dpid` |
//!
//! As Ryu's: a datapath id that is not a decimal number is 400, one not connected 404, a body
//! that is not the JSON expected 400. Unlike Ryu's, an unknown match field or action type is
//! a 400 naming it (Ryu logs it and installs the flow without it), and a switch that does not
//! answer within 5 s is a 504 (Ryu answers with what came within 1 s). Queues, tables,
//! features and roles are not served yet (404).

use core::convert::Infallible;
use core::net::SocketAddr;
use core::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::{json, Value};

use sdnwire_openflow::features::DatapathId;
use sdnwire_openflow::flow_mod::{FlowMod, FlowModCommand};
use sdnwire_openflow::group_mod::GroupModCommand;
use sdnwire_openflow::meter_mod::MeterModCommand;
use sdnwire_openflow::multipart::{MultipartReplyBody, MultipartRequest};
use sdnwire_openflow::{Body, GroupId, MeterId, PortNo, TableId};

use super::ofctl;
use crate::{App, Ctx, Datapath, Handlers, ManagerHandle};

/// The largest request body accepted.
const MAX_BODY: usize = 64 * 1024;
/// How long a switch has to answer a statistics request.
const REPLY_TIMEOUT: Duration = Duration::from_secs(5);
/// Connections served at once.
const MAX_CONNECTIONS: usize = 64;

/// The REST API application.
#[derive(Debug)]
pub struct OfctlRest {
    listen: SocketAddr,
}

impl OfctlRest {
    /// The API on `listen` (port 0: any free port; the address is logged as `listening on
    /// http://ADDR`).
    pub fn new(listen: SocketAddr) -> Self {
        OfctlRest { listen }
    }
}

impl App for OfctlRest {
    const NAME: &'static str = "ofctl_rest";

    fn register(_h: &mut Handlers<Self>) {}

    fn start(&mut self, cx: &mut Ctx<'_, Self>) {
        let listener = std::net::TcpListener::bind(self.listen)
            .and_then(|l| l.set_nonblocking(true).map(|()| l))
            .and_then(tokio::net::TcpListener::from_std);
        let listener = match listener {
            Ok(l) => l,
            Err(e) => {
                cx.warn(format_args!("cannot listen on {}: {e}", self.listen));
                return;
            }
        };
        match listener.local_addr() {
            Ok(a) => cx.log(format_args!("listening on http://{a}")),
            Err(e) => cx.warn(format_args!("listening, at an address unknown: {e}")),
        }
        let handle = cx.manager();
        cx.spawn(serve(listener, handle), |_app: &mut Self, cx, ()| {
            cx.warn("the REST API stopped");
        });
    }
}

async fn serve(listener: tokio::net::TcpListener, handle: ManagerHandle) {
    let permits = std::sync::Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(permit) = permits.clone().acquire_owned().await else {
            return;
        };
        let Ok((stream, _)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let handle = handle.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| answer(req, handle.clone()));
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(Duration::from_secs(10))
                .max_buf_size(16 * 1024)
                .serve_connection(TokioIo::new(stream), service)
                .await;
            drop(permit);
        });
    }
}

/// A status and a body.
type Reply = (StatusCode, Value);

fn fail(status: StatusCode, text: impl core::fmt::Display) -> Reply {
    (status, json!({ "error": text.to_string() }))
}

async fn answer(
    req: Request<Incoming>,
    handle: ManagerHandle,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = req.into_parts();
    let body = match tokio::time::timeout(
        Duration::from_secs(10),
        Limited::new(body, MAX_BODY).collect(),
    )
    .await
    {
        Ok(Ok(b)) => Ok(b.to_bytes()),
        Ok(Err(e)) => Err(fail(StatusCode::BAD_REQUEST, format_args!("the body: {e}"))),
        Err(_) => Err(fail(StatusCode::REQUEST_TIMEOUT, "the body did not come")),
    };
    let (status, value) = match body {
        Ok(b) => route(&parts.method, parts.uri.path(), &b, &handle).await,
        Err(r) => r,
    };
    let text = if value.is_null() {
        String::new()
    } else {
        value.to_string()
    };
    let mut r = Response::new(Full::new(Bytes::from(text)));
    *r.status_mut() = status;
    r.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Ok(r)
}

fn json_body(body: &[u8]) -> Result<Value, Reply> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    serde_json::from_slice(body).map_err(|e| {
        fail(
            StatusCode::BAD_REQUEST,
            format_args!("the body is not JSON: {e}"),
        )
    })
}

/// The switch of a URL's datapath id: 400 when it is not a decimal number, 404 when it is not
/// connected.
fn switch(handle: &ManagerHandle, dpid: &str) -> Result<Datapath, Reply> {
    if dpid.is_empty() || !dpid.bytes().all(|b| b.is_ascii_digit()) {
        return Err(fail(
            StatusCode::BAD_REQUEST,
            format_args!("invalid dpid {dpid:?}"),
        ));
    }
    let id: u64 = dpid.parse().map_err(|_| {
        fail(
            StatusCode::BAD_REQUEST,
            format_args!("invalid dpid {dpid:?}"),
        )
    })?;
    handle
        .datapath(DatapathId(id))
        .ok_or_else(|| fail(StatusCode::NOT_FOUND, format_args!("no such datapath {id}")))
}

async fn stats(dp: &Datapath, req: MultipartRequest) -> Result<MultipartReplyBody, Reply> {
    let fut = dp
        .request(Body::MultipartRequest(req))
        .map_err(|e| fail(StatusCode::SERVICE_UNAVAILABLE, e))?;
    match tokio::time::timeout(REPLY_TIMEOUT, fut.merged()).await {
        Ok(Ok(b)) => Ok(b),
        Ok(Err(e)) => Err(fail(StatusCode::BAD_GATEWAY, e)),
        Err(_) => Err(fail(
            StatusCode::GATEWAY_TIMEOUT,
            format_args!("the switch did not answer within {REPLY_TIMEOUT:?}"),
        )),
    }
}

fn wrap(dp: &Datapath, v: Value) -> Reply {
    (StatusCode::OK, json!({ dp.id().0.to_string(): v }))
}

fn unexpected(b: &MultipartReplyBody) -> Reply {
    fail(
        StatusCode::BAD_GATEWAY,
        format_args!("the switch answered with {}", b.multipart_type()),
    )
}

async fn route(method: &Method, path: &str, body: &[u8], handle: &ManagerHandle) -> Reply {
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    match (method, segs.as_slice()) {
        (&Method::GET, ["stats", "switches"]) => {
            let mut ids: Vec<u64> = handle.datapaths().iter().map(|d| d.id().0).collect();
            ids.sort_unstable();
            (StatusCode::OK, json!(ids))
        }
        (&Method::GET, ["stats", "desc", dpid]) => {
            let r = async {
                let dp = switch(handle, dpid)?;
                match stats(&dp, MultipartRequest::desc()).await? {
                    MultipartReplyBody::Desc(d) => Ok(wrap(&dp, ofctl::desc_to_user(&d))),
                    other => Err(unexpected(&other)),
                }
            };
            r.await.unwrap_or_else(|e| e)
        }
        (&Method::GET | &Method::POST, ["stats", kind @ ("flow" | "aggregateflow"), dpid]) => {
            let r = async {
                let dp = switch(handle, dpid)?;
                let filter = json_body(body)?;
                let f = ofctl::flow_filter_from_user(&filter)
                    .map_err(|e| fail(StatusCode::BAD_REQUEST, e))?;
                if *kind == "flow" {
                    match stats(&dp, ofctl::flow_stats_request(&f)).await? {
                        MultipartReplyBody::Flow(flows) => Ok(wrap(
                            &dp,
                            Value::from(ofctl::flow_stats_to_user(&flows, f.priority)),
                        )),
                        other => Err(unexpected(&other)),
                    }
                } else {
                    match stats(&dp, ofctl::aggregate_request(&f)).await? {
                        MultipartReplyBody::Aggregate(a) => {
                            Ok(wrap(&dp, json!([ofctl::aggregate_to_user(&a)])))
                        }
                        other => Err(unexpected(&other)),
                    }
                }
            };
            r.await.unwrap_or_else(|e| e)
        }
        (&Method::GET, ["stats", "port", dpid, port @ ..]) if port.len() <= 1 => {
            let r = async {
                let dp = switch(handle, dpid)?;
                let port = match port.first() {
                    Some(p) => PortNo(
                        ofctl::str_to_int(&Value::from(*p))
                            .ok()
                            .and_then(|n| u32::try_from(n).ok())
                            .ok_or_else(|| {
                                fail(StatusCode::BAD_REQUEST, format_args!("invalid port {p:?}"))
                            })?,
                    ),
                    None => PortNo::ANY,
                };
                match stats(&dp, MultipartRequest::port_stats(port)).await? {
                    MultipartReplyBody::PortStats(p) => {
                        Ok(wrap(&dp, Value::from(ofctl::port_stats_to_user(&p))))
                    }
                    other => Err(unexpected(&other)),
                }
            };
            r.await.unwrap_or_else(|e| e)
        }
        (
            &Method::GET,
            ["stats", kind @ ("group" | "groupdesc" | "meter" | "meterconfig"), dpid, id @ ..],
        ) if id.len() <= usize::from(*kind != "groupdesc") => {
            let r = async {
                let dp = switch(handle, dpid)?;
                let id = match id.first() {
                    Some(i) => Some(
                        ofctl::str_to_int(&Value::from(*i))
                            .ok()
                            .and_then(|n| u32::try_from(n).ok())
                            .ok_or_else(|| {
                                fail(StatusCode::BAD_REQUEST, format_args!("invalid id {i:?}"))
                            })?,
                    ),
                    None => None,
                };
                let req = match *kind {
                    "group" => MultipartRequest::group_stats(GroupId(id.unwrap_or(GroupId::ALL.0))),
                    "groupdesc" => MultipartRequest::group_desc(),
                    "meter" => MultipartRequest::meter_stats(MeterId(id.unwrap_or(MeterId::ALL.0))),
                    _ => MultipartRequest::meter_config(MeterId(id.unwrap_or(MeterId::ALL.0))),
                };
                let v = match stats(&dp, req).await? {
                    MultipartReplyBody::Group(g) => ofctl::group_stats_to_user(&g),
                    MultipartReplyBody::GroupDesc(g) => ofctl::group_desc_to_user(&g),
                    MultipartReplyBody::Meter(m) => ofctl::meter_stats_to_user(&m),
                    MultipartReplyBody::MeterConfig(m) => ofctl::meter_config_to_user(&m),
                    other => return Err(unexpected(&other)),
                };
                Ok(wrap(&dp, Value::from(v)))
            };
            r.await.unwrap_or_else(|e| e)
        }
        (&Method::GET, ["stats", "portdesc", dpid]) => {
            let r = async {
                let dp = switch(handle, dpid)?;
                match stats(&dp, MultipartRequest::port_desc()).await? {
                    MultipartReplyBody::PortDesc(p) => {
                        Ok(wrap(&dp, Value::from(ofctl::port_desc_to_user(&p))))
                    }
                    other => Err(unexpected(&other)),
                }
            };
            r.await.unwrap_or_else(|e| e)
        }
        (&Method::POST, ["stats", "flowentry", cmd]) => {
            let command = match *cmd {
                "add" => FlowModCommand::ADD,
                "modify" => FlowModCommand::MODIFY,
                "modify_strict" => FlowModCommand::MODIFY_STRICT,
                "delete" => FlowModCommand::DELETE,
                "delete_strict" => FlowModCommand::DELETE_STRICT,
                _ => return fail(StatusCode::NOT_FOUND, format_args!("no command {cmd:?}")),
            };
            let r = (|| {
                let flow = json_body(body)?;
                let dpid = ofctl::dpid_of(&flow).map_err(|e| fail(StatusCode::BAD_REQUEST, e))?;
                let dp = switch(handle, &dpid.to_string())?;
                let f = ofctl::flow_mod_from_user(&flow, command)
                    .map_err(|e| fail(StatusCode::BAD_REQUEST, e))?;
                send(&dp, f)
            })();
            r.unwrap_or_else(|e| e)
        }
        (&Method::POST, ["stats", kind @ ("groupentry" | "meterentry"), cmd]) => {
            let r = (|| {
                let entry = json_body(body)?;
                let dpid = ofctl::dpid_of(&entry).map_err(|e| fail(StatusCode::BAD_REQUEST, e))?;
                let dp = switch(handle, &dpid.to_string())?;
                let body = match (*kind, *cmd) {
                    ("groupentry", c @ ("add" | "modify" | "delete")) => {
                        let command = match c {
                            "add" => GroupModCommand::ADD,
                            "modify" => GroupModCommand::MODIFY,
                            _ => GroupModCommand::DELETE,
                        };
                        Body::GroupMod(
                            ofctl::group_mod_from_user(&entry, command)
                                .map_err(|e| fail(StatusCode::BAD_REQUEST, e))?,
                        )
                    }
                    ("meterentry", c @ ("add" | "modify" | "delete")) => {
                        let command = match c {
                            "add" => MeterModCommand::ADD,
                            "modify" => MeterModCommand::MODIFY,
                            _ => MeterModCommand::DELETE,
                        };
                        Body::MeterMod(
                            ofctl::meter_mod_from_user(&entry, command)
                                .map_err(|e| fail(StatusCode::BAD_REQUEST, e))?,
                        )
                    }
                    _ => {
                        return Err(fail(
                            StatusCode::NOT_FOUND,
                            format_args!("no command {cmd:?}"),
                        ))
                    }
                };
                dp.send(body)
                    .map(|_| (StatusCode::OK, Value::Null))
                    .map_err(|e| fail(StatusCode::SERVICE_UNAVAILABLE, e))
            })();
            r.unwrap_or_else(|e| e)
        }
        (&Method::DELETE, ["stats", "flowentry", "clear", dpid]) => {
            let r = (|| {
                let dp = switch(handle, dpid)?;
                // Ryu's: `mod_flow_entry(dp, {'table_id': OFPTT_ALL}, OFPFC_DELETE)`.
                let f = ofctl::flow_mod_from_user(
                    &json!({ "table_id": TableId::ALL.0 }),
                    FlowModCommand::DELETE,
                )
                .map_err(|e| fail(StatusCode::INTERNAL_SERVER_ERROR, e))?;
                send(&dp, f)
            })();
            r.unwrap_or_else(|e| e)
        }
        _ => fail(
            StatusCode::NOT_FOUND,
            format_args!("{method} {path}: not part of the API"),
        ),
    }
}

fn send(dp: &Datapath, f: FlowMod) -> Result<Reply, Reply> {
    dp.send(Body::FlowMod(f))
        .map(|_| (StatusCode::OK, Value::Null))
        .map_err(|e| fail(StatusCode::SERVICE_UNAVAILABLE, e))
}
