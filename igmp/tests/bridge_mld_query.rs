//! Our MLD queries against the Linux kernel's, byte for byte: a bridge in a network namespace
//! with `mcast_querier 1` and `mcast_mld_version 2` (then `1`) sends its general query out of
//! its port; the host end of the veth captures it, and an MLD [`Snooper`] with the bridge's
//! MAC address and timers (robustness 2, query interval 125 s, response interval 10 s: the
//! kernel's defaults) must build the very same frame: Ethernet to 33:33:00:00:00:01 from the
//! bridge's MAC, IPv6 hop limit 1 from the bridge's EUI-64 link-local address to ff02::1, the
//! Hop-by-Hop header with the Router Alert option (MLD) and two Pad1, the MLDv2 (or MLDv1) query
//! and its ICMPv6 checksum.
//!
//! Needs root, `ip` and python3 (the capture is an AF_PACKET socket); skipped loudly without
//! them (a failure under CI).

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

use core::time::Duration;

use sdnwire_igmp::{link_local_from_mac, Config, Instant, QuerierConfig, Snooper, TransmitKind};
use sdnwire_packet::MacAddr;
use sdnwire_testkit::netns::{self, Netns};
use sdnwire_testkit::{require, skip, Peer};

const BRIDGE_MAC: MacAddr = MacAddr::new(0x02, 0x00, 0x5e, 0x10, 0x00, 0x50);

/// Captures, on `iface` of `ns`, the first MLD query (ICMPv6 type 130 after an 8-byte
/// Hop-by-Hop header) within `secs` seconds; its bytes in hex, or an empty line.
const CAPTURE: &str = r#"
import socket, sys, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
s.bind((sys.argv[1], 0))
s.settimeout(0.5)
end = time.time() + float(sys.argv[2])
while time.time() < end:
    try:
        f = s.recv(2048)
    except socket.timeout:
        continue
    if len(f) > 62 and f[12:14] == b"\x86\xdd" and f[20] == 0 and f[62] == 130:
        print(f.hex())
        sys.exit(0)
print("")
"#;

fn kernel_query(tag: &str, mld_version: u8) -> Result<Vec<u8>, String> {
    let pid = std::process::id();
    let br = Netns::new(&format!("mldq-{tag}b-{pid}"))?;
    let host = Netns::new(&format!("mldq-{tag}h-{pid}"))?;
    host.disable_ipv6();
    // The bridge's link-local address usable at once (no duplicate address detection), from
    // its MAC (EUI-64).
    br.run(
        "sysctl",
        &[
            "-qw",
            "net.ipv6.conf.default.accept_dad=0",
            "net.ipv6.conf.default.addr_gen_mode=0",
        ],
    );
    netns::veth("p1", &br, "h1", &host)?;
    host.ip_batch("link set h1 up\n")?;
    // Capture first: the bridge queries as soon as it is up.
    let capture = host
        .command("python3")
        .args(["-c", CAPTURE, "h1", "8"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("python3: {e}"))?;
    std::thread::sleep(Duration::from_millis(300));
    br.ip_batch(&format!(
        "link add br0 address {BRIDGE_MAC} type bridge mcast_snooping 1 mcast_querier 1 \
         mcast_mld_version {mld_version} mcast_startup_query_interval 100\n\
         link set p1 master br0\nlink set p1 up\nlink set br0 up\n"
    ))?;
    let out = capture
        .wait_with_output()
        .map_err(|e| format!("capture: {e}"))?;
    let hex = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    if hex.is_empty() {
        return Err("no MLD query from the bridge within 8 s".into());
    }
    Ok((0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect())
}

fn our_query(query_version: u8) -> Vec<u8> {
    let config = Config {
        mac: BRIDGE_MAC,
        querier: Some(QuerierConfig::new("0.0.0.0".parse().unwrap())),
        query_version,
        robustness: 2,
        query_interval: Duration::from_secs(125),
        query_response_interval: Duration::from_secs(10),
        ..Config::linux_bridge()
    };
    let mut sn = Snooper::mld(config, Instant::ZERO);
    let mut buf = Vec::new();
    let tx = sn.poll_transmit(&mut buf).unwrap();
    assert_eq!(tx.kind, TransmitKind::GeneralQuery);
    buf
}

fn compare(tag: &str, mld_version: u8, query_version: u8) {
    let kernel = match kernel_query(tag, mld_version) {
        Ok(f) => f,
        Err(why) => {
            return skip(
                "Linux bridge",
                &format!("cannot capture the bridge's MLD query here: {why}"),
            )
        }
    };
    let ours = our_query(query_version);
    let hex = |f: &[u8]| f.iter().map(|b| format!("{b:02x}")).collect::<String>();
    // The source address: the bridge's link-local, which ours derives from the same MAC.
    let src: [u8; 16] = kernel[22..38].try_into().unwrap();
    assert_eq!(
        core::net::Ipv6Addr::from(src),
        link_local_from_mac(BRIDGE_MAC)
    );
    assert_eq!(
        hex(&ours),
        hex(&kernel),
        "our MLD query (first) differs from the kernel's"
    );
}

#[test]
fn our_mldv2_query_is_the_kernels() {
    require!(Peer::LinuxBridge);
    compare("v2", 2, 3);
}

#[test]
fn our_mldv1_query_is_the_kernels() {
    require!(Peer::LinuxBridge);
    compare("v1", 1, 2);
}
