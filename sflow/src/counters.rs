//! Counter records (`counter_data` in sflow_version_5.txt and its extensions): interface,
//! host, virtual-machine and application counters that a counters sample carries.
//!
//! [`CounterRecordView`] is the zero-copy view of one record (from
//! [`CountersSampleView::records`](crate::CountersSampleView::records)); [`CounterRecord`] is the
//! owned form that encodes. Formats this crate does not decode, and every record of a non-zero
//! enterprise, are kept as `Unknown` and re-encoded unchanged.
//!
//! Record numbers (enterprise 0): generic interface 1, ethernet 2, token ring 3, 100BaseVG 4,
//! VLAN 5, 802.11 6 (sflow_version_5.txt, sflow_80211.txt), LAG 7 (sflow_lag.txt); processor
//! 1001, radio utilization 1002, OpenFlow port 1004, port name 1005 (sflow_openflow.txt);
//! host description 2000, adapters 2001, parent 2002, CPU 2003, memory 2004, disk I/O 2005,
//! network I/O 2006, MIB-2 IP/ICMP/TCP/UDP 2007–2010, virtual node 2100, virtual CPU 2101,
//! virtual memory 2102, virtual disk I/O 2103, virtual network I/O 2104 (sflow_host.txt);
//! application resources 2203 and Open vSwitch datapath 2207 (both sent by Open vSwitch).
//! Generic interface, ethernet, LAG, OpenFlow port, port name, 2203 and 2207 are what Open
//! vSwitch sends for each port and for its datapath.

use alloc::vec::Vec;
use core::fmt;
use sdnwire_packet::wire::{U32, U64};
use sdnwire_packet::MacAddr;

use crate::error::{Error, Result};
use crate::fixed_layout::{fixed_records, Mac8, F32};
use crate::flow::string_record;
use crate::flow::{infallible_decode, view_display};
use crate::record::record_enum;
use crate::text::named;
use crate::xdr::{impl_encode, owned_string, PaddedMac, Reader, Str, Wire, Writer, XdrString};

fixed_records! {
    /// Generic interface counters (format 1, RFC 2233 ifTable/ifXTable).
    GenericInterface / GenericInterfaceView / WGeneric = 88 {
        /// ifIndex.
        if_index: U32,
        /// ifType (6 for Ethernet).
        if_type: U32,
        /// ifSpeed in bits per second.
        if_speed: U64,
        /// Direction: 0 unknown, 1 full duplex, 2 half duplex, 3 in, 4 out.
        if_direction: U32,
        /// Status bits: bit 0 ifAdminStatus up, bit 1 ifOperStatus up (see
        /// [`GenericInterface::admin_up`], [`GenericInterface::oper_up`]).
        if_status: U32,
        /// ifHCInOctets.
        if_in_octets: U64,
        /// ifHCInUcastPkts.
        if_in_ucast_pkts: U32,
        /// ifHCInMulticastPkts.
        if_in_multicast_pkts: U32,
        /// ifHCInBroadcastPkts.
        if_in_broadcast_pkts: U32,
        /// ifInDiscards.
        if_in_discards: U32,
        /// ifInErrors.
        if_in_errors: U32,
        /// ifInUnknownProtos.
        if_in_unknown_protos: U32,
        /// ifHCOutOctets.
        if_out_octets: U64,
        /// ifHCOutUcastPkts.
        if_out_ucast_pkts: U32,
        /// ifHCOutMulticastPkts.
        if_out_multicast_pkts: U32,
        /// ifHCOutBroadcastPkts.
        if_out_broadcast_pkts: U32,
        /// ifOutDiscards.
        if_out_discards: U32,
        /// ifOutErrors.
        if_out_errors: U32,
        /// ifPromiscuousMode (1 true, 2 false).
        if_promiscuous_mode: U32,
    }

    /// Ethernet interface counters (format 2, RFC 2358 dot3StatsTable).
    EthernetCounters / EthernetCountersView / WEthernetCounters = 52 {
        /// dot3StatsAlignmentErrors.
        dot3_stats_alignment_errors: U32,
        /// dot3StatsFCSErrors.
        dot3_stats_fcs_errors: U32,
        /// dot3StatsSingleCollisionFrames.
        dot3_stats_single_collision_frames: U32,
        /// dot3StatsMultipleCollisionFrames.
        dot3_stats_multiple_collision_frames: U32,
        /// dot3StatsSQETestErrors.
        dot3_stats_sqe_test_errors: U32,
        /// dot3StatsDeferredTransmissions.
        dot3_stats_deferred_transmissions: U32,
        /// dot3StatsLateCollisions.
        dot3_stats_late_collisions: U32,
        /// dot3StatsExcessiveCollisions.
        dot3_stats_excessive_collisions: U32,
        /// dot3StatsInternalMacTransmitErrors.
        dot3_stats_internal_mac_transmit_errors: U32,
        /// dot3StatsCarrierSenseErrors.
        dot3_stats_carrier_sense_errors: U32,
        /// dot3StatsFrameTooLongs.
        dot3_stats_frame_too_longs: U32,
        /// dot3StatsInternalMacReceiveErrors.
        dot3_stats_internal_mac_receive_errors: U32,
        /// dot3StatsSymbolErrors.
        dot3_stats_symbol_errors: U32,
    }

    /// Token ring counters (format 3, RFC 1748).
    TokenRingCounters / TokenRingCountersView / WTokenRing = 72 {
        /// dot5StatsLineErrors.
        dot5_stats_line_errors: U32,
        /// dot5StatsBurstErrors.
        dot5_stats_burst_errors: U32,
        /// dot5StatsACErrors.
        dot5_stats_ac_errors: U32,
        /// dot5StatsAbortTransErrors.
        dot5_stats_abort_trans_errors: U32,
        /// dot5StatsInternalErrors.
        dot5_stats_internal_errors: U32,
        /// dot5StatsLostFrameErrors.
        dot5_stats_lost_frame_errors: U32,
        /// dot5StatsReceiveCongestions.
        dot5_stats_receive_congestions: U32,
        /// dot5StatsFrameCopiedErrors.
        dot5_stats_frame_copied_errors: U32,
        /// dot5StatsTokenErrors.
        dot5_stats_token_errors: U32,
        /// dot5StatsSoftErrors.
        dot5_stats_soft_errors: U32,
        /// dot5StatsHardErrors.
        dot5_stats_hard_errors: U32,
        /// dot5StatsSignalLoss.
        dot5_stats_signal_loss: U32,
        /// dot5StatsTransmitBeacons.
        dot5_stats_transmit_beacons: U32,
        /// dot5StatsRecoverys.
        dot5_stats_recoverys: U32,
        /// dot5StatsLobeWires.
        dot5_stats_lobe_wires: U32,
        /// dot5StatsRemoves.
        dot5_stats_removes: U32,
        /// dot5StatsSingles.
        dot5_stats_singles: U32,
        /// dot5StatsFreqErrors.
        dot5_stats_freq_errors: U32,
    }

    /// 100BaseVG interface counters (format 4, RFC 2020).
    VgCounters / VgCountersView / WVg = 80 {
        /// dot12InHighPriorityFrames.
        dot12_in_high_priority_frames: U32,
        /// dot12InHighPriorityOctets.
        dot12_in_high_priority_octets: U64,
        /// dot12InNormPriorityFrames.
        dot12_in_norm_priority_frames: U32,
        /// dot12InNormPriorityOctets.
        dot12_in_norm_priority_octets: U64,
        /// dot12InIPMErrors.
        dot12_in_ipm_errors: U32,
        /// dot12InOversizeFrameErrors.
        dot12_in_oversize_frame_errors: U32,
        /// dot12InDataErrors.
        dot12_in_data_errors: U32,
        /// dot12InNullAddressedFrames.
        dot12_in_null_addressed_frames: U32,
        /// dot12OutHighPriorityFrames.
        dot12_out_high_priority_frames: U32,
        /// dot12OutHighPriorityOctets.
        dot12_out_high_priority_octets: U64,
        /// dot12TransitionIntoTrainings.
        dot12_transition_into_trainings: U32,
        /// dot12HCInHighPriorityOctets.
        dot12_hc_in_high_priority_octets: U64,
        /// dot12HCInNormPriorityOctets.
        dot12_hc_in_norm_priority_octets: U64,
        /// dot12HCOutHighPriorityOctets.
        dot12_hc_out_high_priority_octets: U64,
    }

    /// VLAN counters (format 5).
    VlanCounters / VlanCountersView / WVlan = 28 {
        /// VLAN id.
        vlan_id: U32,
        /// Octets.
        octets: U64,
        /// Unicast packets.
        ucast_pkts: U32,
        /// Multicast packets.
        multicast_pkts: U32,
        /// Broadcast packets.
        broadcast_pkts: U32,
        /// Discards.
        discards: U32,
    }

    /// IEEE 802.11 counters (format 6, sflow_80211.txt).
    Ieee80211Counters / Ieee80211CountersView / W80211 = 80 {
        /// dot11TransmittedFragmentCount.
        dot11_transmitted_fragment_count: U32,
        /// dot11MulticastTransmittedFrameCount.
        dot11_multicast_transmitted_frame_count: U32,
        /// dot11FailedCount.
        dot11_failed_count: U32,
        /// dot11RetryCount.
        dot11_retry_count: U32,
        /// dot11MultipleRetryCount.
        dot11_multiple_retry_count: U32,
        /// dot11FrameDuplicateCount.
        dot11_frame_duplicate_count: U32,
        /// dot11RTSSuccessCount.
        dot11_rts_success_count: U32,
        /// dot11RTSFailureCount.
        dot11_rts_failure_count: U32,
        /// dot11ACKFailureCount.
        dot11_ack_failure_count: U32,
        /// dot11ReceivedFragmentCount.
        dot11_received_fragment_count: U32,
        /// dot11MulticastReceivedFrameCount.
        dot11_multicast_received_frame_count: U32,
        /// dot11FCSErrorCount.
        dot11_fcs_error_count: U32,
        /// dot11TransmittedFrameCount.
        dot11_transmitted_frame_count: U32,
        /// dot11WEPUndecryptableCount.
        dot11_wep_undecryptable_count: U32,
        /// dot11QoSDiscardedFragmentCount.
        dot11_qos_discarded_fragment_count: U32,
        /// dot11AssociatedStationCount.
        dot11_associated_station_count: U32,
        /// dot11QoSCFPollsReceivedCount.
        dot11_qos_cf_polls_received_count: U32,
        /// dot11QoSCFPollsUnusedCount.
        dot11_qos_cf_polls_unused_count: U32,
        /// dot11QoSCFPollsUnusableCount.
        dot11_qos_cf_polls_unusable_count: U32,
        /// dot11QoSCFPollsLostCount.
        dot11_qos_cf_polls_lost_count: U32,
    }

    /// LAG port statistics (format 7, sflow_lag.txt, IEEE8023-LAG-MIB).
    LagPortStats / LagPortStatsView / WLag = 56 {
        /// dot3adAggPortActorSystemID.
        actor_system_id: Mac8,
        /// dot3adAggPortPartnerOperSystemID.
        partner_system_id: Mac8,
        /// dot3adAggPortAttachedAggID.
        attached_agg_id: U32,
        /// dot3adAggPortActorAdminState.
        actor_admin_state: u8,
        /// dot3adAggPortActorOperState.
        actor_oper_state: u8,
        /// dot3adAggPortPartnerAdminState.
        partner_admin_state: u8,
        /// dot3adAggPortPartnerOperState.
        partner_oper_state: u8,
        /// dot3adAggPortStatsLACPDUsRx.
        lacpdus_rx: U32,
        /// dot3adAggPortStatsMarkerPDUsRx.
        marker_pdus_rx: U32,
        /// dot3adAggPortStatsMarkerResponsePDUsRx.
        marker_response_pdus_rx: U32,
        /// dot3adAggPortStatsUnknownRx.
        unknown_rx: U32,
        /// dot3adAggPortStatsIllegalRx.
        illegal_rx: U32,
        /// dot3adAggPortStatsLACPDUsTx.
        lacpdus_tx: U32,
        /// dot3adAggPortStatsMarkerPDUsTx.
        marker_pdus_tx: U32,
        /// dot3adAggPortStatsMarkerResponsePDUsTx.
        marker_response_pdus_tx: U32,
    }

    /// Processor information (format 1001).
    Processor / ProcessorView / WProcessor = 28 {
        /// 5 second average CPU utilization (percent × 100... as the agent reports it).
        five_sec_cpu: U32,
        /// 1 minute average CPU utilization.
        one_min_cpu: U32,
        /// 5 minute average CPU utilization.
        five_min_cpu: U32,
        /// Total memory in bytes.
        total_memory: U64,
        /// Free memory in bytes.
        free_memory: U64,
    }

    /// 802.11 radio utilization (format 1002).
    RadioUtilization / RadioUtilizationView / WRadio = 12 {
        /// Elapsed time in ms.
        elapsed_time: U32,
        /// Time on channel in ms.
        on_channel_time: U32,
        /// Time on channel and busy in ms.
        on_channel_busy_time: U32,
    }

    /// OpenFlow port (format 1004, sflow_openflow.txt): the port's datapath and port number.
    OpenFlowPort / OpenFlowPortView / WOfPort = 12 {
        /// Datapath id.
        datapath_id: U64,
        /// OpenFlow port number.
        port_no: U32,
    }

    /// Host parent (format 2002): the container of this virtual host.
    HostParent / HostParentView / WHostParent = 8 {
        /// sFlowDataSource class of the container.
        container_type: U32,
        /// sFlowDataSource index of the container.
        container_index: U32,
    }

    /// Host CPU counters (format 2003), the 68-byte original structure; see [`HostCpu`].
    HostCpuBase / HostCpuBaseView / WHostCpu = 68 {
        /// 1 minute load average.
        load_one: F32,
        /// 5 minute load average.
        load_five: F32,
        /// 15 minute load average.
        load_fifteen: F32,
        /// Running processes.
        proc_run: U32,
        /// Total processes.
        proc_total: U32,
        /// Number of CPUs.
        cpu_num: U32,
        /// CPU speed in MHz.
        cpu_speed: U32,
        /// Seconds since boot.
        uptime: U32,
        /// User time in ms.
        cpu_user: U32,
        /// Nice time in ms.
        cpu_nice: U32,
        /// System time in ms.
        cpu_system: U32,
        /// Idle time in ms.
        cpu_idle: U32,
        /// I/O wait time in ms.
        cpu_wio: U32,
        /// Interrupt time in ms.
        cpu_intr: U32,
        /// Soft interrupt time in ms.
        cpu_sintr: U32,
        /// Interrupt count.
        interrupts: U32,
        /// Context switch count.
        contexts: U32,
    }

    /// The three host CPU counters added to format 2003 in December 2014 (sent when the
    /// record is 80 bytes long).
    HostCpuSteal / HostCpuStealView / WHostCpuSteal = 12 {
        /// Time stolen by other virtual machines, in ms.
        cpu_steal: U32,
        /// Time running guests, in ms.
        cpu_guest: U32,
        /// Time running niced guests, in ms.
        cpu_guest_nice: U32,
    }

    /// Host memory counters (format 2004).
    HostMemory / HostMemoryView / WHostMemory = 72 {
        /// Total bytes.
        mem_total: U64,
        /// Free bytes.
        mem_free: U64,
        /// Shared bytes.
        mem_shared: U64,
        /// Buffer bytes.
        mem_buffers: U64,
        /// Cached bytes.
        mem_cached: U64,
        /// Total swap bytes.
        swap_total: U64,
        /// Free swap bytes.
        swap_free: U64,
        /// Page-ins.
        page_in: U32,
        /// Page-outs.
        page_out: U32,
        /// Swap-ins.
        swap_in: U32,
        /// Swap-outs.
        swap_out: U32,
    }

    /// Host disk I/O counters (format 2005).
    HostDiskIo / HostDiskIoView / WHostDisk = 52 {
        /// Total disk bytes.
        disk_total: U64,
        /// Free disk bytes.
        disk_free: U64,
        /// Fullest partition, percent × 100.
        part_max_used: U32,
        /// Reads.
        reads: U32,
        /// Bytes read.
        bytes_read: U64,
        /// Read time in ms.
        read_time: U32,
        /// Writes.
        writes: U32,
        /// Bytes written.
        bytes_written: U64,
        /// Write time in ms.
        write_time: U32,
    }

    /// Host network I/O counters (format 2006; the same layout as virtual network I/O 2104).
    HostNetIo / HostNetIoView / WHostNet = 40 {
        /// Bytes in.
        bytes_in: U64,
        /// Packets in.
        pkts_in: U32,
        /// Errors in.
        errs_in: U32,
        /// Drops in.
        drops_in: U32,
        /// Bytes out.
        bytes_out: U64,
        /// Packets out.
        pkts_out: U32,
        /// Errors out.
        errs_out: U32,
        /// Drops out.
        drops_out: U32,
    }

    /// MIB-2 IP group (format 2007, RFC 1213).
    Mib2Ip / Mib2IpView / WMib2Ip = 76 {
        /// ipForwarding.
        ip_forwarding: U32,
        /// ipDefaultTTL.
        ip_default_ttl: U32,
        /// ipInReceives.
        ip_in_receives: U32,
        /// ipInHdrErrors.
        ip_in_hdr_errors: U32,
        /// ipInAddrErrors.
        ip_in_addr_errors: U32,
        /// ipForwDatagrams.
        ip_forw_datagrams: U32,
        /// ipInUnknownProtos.
        ip_in_unknown_protos: U32,
        /// ipInDiscards.
        ip_in_discards: U32,
        /// ipInDelivers.
        ip_in_delivers: U32,
        /// ipOutRequests.
        ip_out_requests: U32,
        /// ipOutDiscards.
        ip_out_discards: U32,
        /// ipOutNoRoutes.
        ip_out_no_routes: U32,
        /// ipReasmTimeout.
        ip_reasm_timeout: U32,
        /// ipReasmReqds.
        ip_reasm_reqds: U32,
        /// ipReasmOKs.
        ip_reasm_oks: U32,
        /// ipReasmFails.
        ip_reasm_fails: U32,
        /// ipFragOKs.
        ip_frag_oks: U32,
        /// ipFragFails.
        ip_frag_fails: U32,
        /// ipFragCreates.
        ip_frag_creates: U32,
    }

    /// MIB-2 ICMP group (format 2008).
    Mib2Icmp / Mib2IcmpView / WMib2Icmp = 100 {
        /// icmpInMsgs.
        icmp_in_msgs: U32,
        /// icmpInErrors.
        icmp_in_errors: U32,
        /// icmpInDestUnreachs.
        icmp_in_dest_unreachs: U32,
        /// icmpInTimeExcds.
        icmp_in_time_excds: U32,
        /// icmpInParamProbs.
        icmp_in_param_probs: U32,
        /// icmpInSrcQuenchs.
        icmp_in_src_quenchs: U32,
        /// icmpInRedirects.
        icmp_in_redirects: U32,
        /// icmpInEchos.
        icmp_in_echos: U32,
        /// icmpInEchoReps.
        icmp_in_echo_reps: U32,
        /// icmpInTimestamps.
        icmp_in_timestamps: U32,
        /// icmpInAddrMasks.
        icmp_in_addr_masks: U32,
        /// icmpInAddrMaskReps.
        icmp_in_addr_mask_reps: U32,
        /// icmpOutMsgs.
        icmp_out_msgs: U32,
        /// icmpOutErrors.
        icmp_out_errors: U32,
        /// icmpOutDestUnreachs.
        icmp_out_dest_unreachs: U32,
        /// icmpOutTimeExcds.
        icmp_out_time_excds: U32,
        /// icmpOutParamProbs.
        icmp_out_param_probs: U32,
        /// icmpOutSrcQuenchs.
        icmp_out_src_quenchs: U32,
        /// icmpOutRedirects.
        icmp_out_redirects: U32,
        /// icmpOutEchos.
        icmp_out_echos: U32,
        /// icmpOutEchoReps.
        icmp_out_echo_reps: U32,
        /// icmpOutTimestamps.
        icmp_out_timestamps: U32,
        /// icmpOutTimestampReps.
        icmp_out_timestamp_reps: U32,
        /// icmpOutAddrMasks.
        icmp_out_addr_masks: U32,
        /// icmpOutAddrMaskReps.
        icmp_out_addr_mask_reps: U32,
    }

    /// MIB-2 TCP group (format 2009).
    Mib2Tcp / Mib2TcpView / WMib2Tcp = 60 {
        /// tcpRtoAlgorithm.
        tcp_rto_algorithm: U32,
        /// tcpRtoMin.
        tcp_rto_min: U32,
        /// tcpRtoMax.
        tcp_rto_max: U32,
        /// tcpMaxConn.
        tcp_max_conn: U32,
        /// tcpActiveOpens.
        tcp_active_opens: U32,
        /// tcpPassiveOpens.
        tcp_passive_opens: U32,
        /// tcpAttemptFails.
        tcp_attempt_fails: U32,
        /// tcpEstabResets.
        tcp_estab_resets: U32,
        /// tcpCurrEstab.
        tcp_curr_estab: U32,
        /// tcpInSegs.
        tcp_in_segs: U32,
        /// tcpOutSegs.
        tcp_out_segs: U32,
        /// tcpRetransSegs.
        tcp_retrans_segs: U32,
        /// tcpInErrs.
        tcp_in_errs: U32,
        /// tcpOutRsts.
        tcp_out_rsts: U32,
        /// tcpInCsumErrors.
        tcp_in_csum_errors: U32,
    }

    /// MIB-2 UDP group (format 2010).
    Mib2Udp / Mib2UdpView / WMib2Udp = 28 {
        /// udpInDatagrams.
        udp_in_datagrams: U32,
        /// udpNoPorts.
        udp_no_ports: U32,
        /// udpInErrors.
        udp_in_errors: U32,
        /// udpOutDatagrams.
        udp_out_datagrams: U32,
        /// udpRcvbufErrors.
        udp_rcvbuf_errors: U32,
        /// udpSndbufErrors.
        udp_sndbuf_errors: U32,
        /// udpInCsumErrors.
        udp_in_csum_errors: U32,
    }

    /// Virtual node (format 2100): the hypervisor.
    VirtNode / VirtNodeView / WVirtNode = 28 {
        /// Expected CPU frequency in MHz.
        mhz: U32,
        /// Active CPUs.
        cpus: U32,
        /// Memory in bytes.
        memory: U64,
        /// Unassigned memory in bytes.
        memory_free: U64,
        /// Active domains.
        num_domains: U32,
    }

    /// Virtual CPU (format 2101).
    VirtCpu / VirtCpuView / WVirtCpu = 12 {
        /// Domain state (virDomainState).
        state: U32,
        /// CPU time used in ms.
        cpu_time: U32,
        /// Virtual CPUs.
        nr_virt_cpu: U32,
    }

    /// Virtual memory (format 2102).
    VirtMemory / VirtMemoryView / WVirtMemory = 16 {
        /// Memory in bytes used by the domain.
        memory: U64,
        /// Memory in bytes allowed.
        max_memory: U64,
    }

    /// Virtual disk I/O (format 2103).
    VirtDiskIo / VirtDiskIoView / WVirtDisk = 52 {
        /// Logical size in bytes.
        capacity: U64,
        /// Current allocation in bytes.
        allocation: U64,
        /// Remaining free bytes.
        available: U64,
        /// Read requests.
        rd_req: U32,
        /// Bytes read.
        rd_bytes: U64,
        /// Write requests.
        wr_req: U32,
        /// Bytes written.
        wr_bytes: U64,
        /// Read/write errors.
        errs: U32,
    }

    /// Application resources (format 2203; Open vSwitch sends its own process's).
    AppResources / AppResourcesView / WAppResources = 40 {
        /// User time in ms.
        user_time: U32,
        /// System time in ms.
        system_time: U32,
        /// Memory used in bytes.
        mem_used: U64,
        /// Memory limit in bytes.
        mem_max: U64,
        /// Open file descriptors.
        fd_open: U32,
        /// File descriptor limit.
        fd_max: U32,
        /// Open connections.
        conn_open: U32,
        /// Connection limit.
        conn_max: U32,
    }

    /// Open vSwitch datapath counters (format 2207).
    OvsDpStats / OvsDpStatsView / WOvsDp = 24 {
        /// Packets that hit a datapath flow.
        n_hit: U32,
        /// Packets that missed and went to userspace.
        n_missed: U32,
        /// Packets lost on the way to userspace.
        n_lost: U32,
        /// Mask lookups of hits.
        n_mask_hit: U32,
        /// Datapath flows.
        n_flows: U32,
        /// Datapath masks.
        n_masks: U32,
    }
}

impl GenericInterface {
    /// `ifAdminStatus` is up (bit 0 of `if_status`).
    pub fn admin_up(&self) -> bool {
        self.if_status & 1 != 0
    }
    /// `ifOperStatus` is up (bit 1 of `if_status`).
    pub fn oper_up(&self) -> bool {
        self.if_status & 2 != 0
    }
}

impl GenericInterfaceView<'_> {
    /// `ifAdminStatus` is up (bit 0 of `if_status`).
    pub fn admin_up(&self) -> bool {
        self.if_status() & 1 != 0
    }
    /// `ifOperStatus` is up (bit 1 of `if_status`).
    pub fn oper_up(&self) -> bool {
        self.if_status() & 2 != 0
    }
}

string_record! {
    /// Port name (format 1005, sflow_openflow.txt): the interface's name.
    PortName / PortNameView : "port name record" {
        /// The name.
        name: string,
    }
}

string_record! {
    /// Host description (format 2000).
    HostDescription / HostDescriptionView : "host description record" {
        /// Host name.
        hostname: string,
        /// UUID (16 bytes).
        uuid: uuid,
        /// Machine type (enum: 2 x86, 3 x86_64, ...).
        machine_type: u32,
        /// OS name (enum: 2 Linux, 3 Windows, ...).
        os_name: u32,
        /// OS release.
        os_release: string,
    }
}

// ---------------------------------------------------------------- host CPU (2003)

/// Zero-copy view of host CPU counters (format 2003): the 68-byte original or the 80-byte
/// structure with steal and guest times.
#[derive(Clone, Copy, Debug)]
pub struct HostCpuView<'a> {
    base: HostCpuBaseView<'a>,
    steal: Option<HostCpuStealView<'a>>,
}

impl<'a> HostCpuView<'a> {
    pub(crate) fn new(data: &'a [u8], offset: usize) -> Result<Self> {
        if data.len() == HostCpuBase::LEN {
            return Ok(HostCpuView {
                base: HostCpuBaseView::new(data, offset)?,
                steal: None,
            });
        }
        match data.split_at_checked(HostCpuBase::LEN) {
            Some((b, s)) if s.len() == HostCpuSteal::LEN => Ok(HostCpuView {
                base: HostCpuBaseView::new(b, offset)?,
                steal: Some(HostCpuStealView::new(s, offset + HostCpuBase::LEN)?),
            }),
            _ => Err(Error::BadLength {
                offset,
                what: "host CPU record length",
                value: data.len() as u64,
                reason: "must be 68 or 80",
            }),
        }
    }
    /// Offset of the record's data in the datagram.
    pub fn offset(&self) -> usize {
        self.base.offset()
    }
    /// The fields every version has.
    pub fn base(&self) -> HostCpuBaseView<'a> {
        self.base
    }
    /// Steal and guest times, when the agent sends them.
    pub fn steal(&self) -> Option<HostCpuStealView<'a>> {
        self.steal
    }
    /// The owned record.
    pub fn decode(&self) -> HostCpu {
        HostCpu {
            base: self.base.decode(),
            steal: self.steal.map(|s| s.decode()),
        }
    }
}

/// Host CPU counters (format 2003).
#[derive(Clone, Copy, Debug, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct HostCpu {
    /// The fields every version has.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub base: HostCpuBase,
    /// Steal and guest times (the 80-byte version), if present.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub steal: Option<HostCpuSteal>,
}

/// The record's data: 68 bytes, or 80 with steal times.
impl Wire for HostCpu {
    fn wire_len(&self) -> usize {
        HostCpuBase::LEN
            + if self.steal.is_some() {
                HostCpuSteal::LEN
            } else {
                0
            }
    }
    fn write(&self, w: &mut Writer<'_>) -> Result<()> {
        self.base.write(w)?;
        match &self.steal {
            Some(s) => s.write(w),
            None => Ok(()),
        }
    }
}
impl_encode!(HostCpu);

/// sflowtool's text.
impl fmt::Display for HostCpu {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.base, f)?;
        match &self.steal {
            Some(s) => fmt::Display::fmt(s, f),
            None => Ok(()),
        }
    }
}

// ---------------------------------------------------------------- host adapters (2001)

/// Zero-copy view of host adapters (format 2001): each adapter's ifIndex and MAC addresses.
#[derive(Clone, Copy, Debug)]
pub struct HostAdaptersView<'a> {
    count: u32,
    data: &'a [u8],
    offset: usize,
}

impl<'a> HostAdaptersView<'a> {
    pub(crate) fn new(data: &'a [u8], offset: usize) -> Result<Self> {
        let mut r = Reader::new(data, offset);
        let at = r.offset();
        let count = r.u32("adapter count")?;
        if (count as usize).saturating_mul(8) > r.remaining() {
            return Err(Error::BadLength {
                offset: at,
                what: "adapter count",
                value: u64::from(count),
                reason: "more adapters than the record can hold (8 bytes each at least)",
            });
        }
        let rest = r.rest();
        for _ in 0..count {
            r.u32("adapter ifIndex")?;
            r.counted(8, "adapter MAC count")?;
        }
        r.finish("host adapters record")?;
        Ok(HostAdaptersView {
            count,
            data: rest,
            offset,
        })
    }
    /// Offset of the record's data in the datagram.
    pub fn offset(&self) -> usize {
        self.offset
    }
    /// Number of adapters.
    pub fn len(&self) -> u32 {
        self.count
    }
    /// No adapters.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
    /// The adapters.
    pub fn adapters(&self) -> AdapterIter<'a> {
        AdapterIter {
            r: Reader::new(self.data, self.offset + 4),
            left: self.count,
        }
    }
    /// The owned record.
    pub fn decode(&self) -> HostAdapters {
        HostAdapters {
            adapters: self.adapters().map(|a| a.decode()).collect(),
        }
    }
}

/// Iterator over the adapters of a host adapters record.
#[derive(Clone, Debug)]
pub struct AdapterIter<'a> {
    r: Reader<'a>,
    left: u32,
}

/// One adapter in a view.
#[derive(Clone, Copy, Debug)]
pub struct AdapterView<'a> {
    /// ifIndex.
    pub if_index: u32,
    macs: &'a [u8],
}

impl<'a> AdapterView<'a> {
    /// The adapter's MAC addresses.
    pub fn macs(&self) -> impl ExactSizeIterator<Item = MacAddr> + 'a {
        self.macs
            .chunks_exact(8)
            .map(|m| MacAddr::from_slice(m).unwrap_or(MacAddr::ZERO))
    }

    /// The owned adapter (its MACs with their padding).
    pub fn decode(&self) -> Adapter {
        Adapter {
            if_index: self.if_index,
            macs: self.padded_macs().collect(),
        }
    }

    /// The adapter's MAC addresses with the two padding bytes that follow each on the wire.
    pub fn padded_macs(&self) -> impl ExactSizeIterator<Item = PaddedMac> + 'a {
        self.macs.chunks_exact(8).map(|m| {
            let [a, b1, c, d, e, f, p, q] = <[u8; 8]>::try_from(m).unwrap_or([0; 8]);
            PaddedMac {
                mac: MacAddr([a, b1, c, d, e, f]),
                padding: [p, q],
            }
        })
    }
}

impl<'a> Iterator for AdapterIter<'a> {
    type Item = AdapterView<'a>;
    fn next(&mut self) -> Option<AdapterView<'a>> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let if_index = self.r.u32("adapter ifIndex").ok()?;
        let (_, macs) = self.r.counted(8, "adapter MAC count").ok()?;
        Some(AdapterView { if_index, macs })
    }
}

/// One host adapter.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct Adapter {
    /// ifIndex.
    pub if_index: u32,
    /// MAC addresses, each with the two padding bytes that follow it on the wire.
    pub macs: Vec<PaddedMac>,
}

/// Host adapters (format 2001).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct HostAdapters {
    /// The adapters.
    pub adapters: Vec<Adapter>,
}

/// The record's data (each MAC with its padding). Counts past 2^32 - 1 are
/// [`Error::Unencodable`].
impl Wire for HostAdapters {
    fn wire_len(&self) -> usize {
        4 + self.adapters.iter().map(Adapter::wire_len).sum::<usize>()
    }
    fn write(&self, w: &mut Writer<'_>) -> Result<()> {
        w.len(self.adapters.len(), "adapter count")?;
        for a in &self.adapters {
            a.write(w)?;
        }
        Ok(())
    }
}
impl_encode!(HostAdapters);

/// One adapter as the host adapters record carries it: ifIndex, MAC count, the MACs (each with
/// its padding).
impl Wire for Adapter {
    fn wire_len(&self) -> usize {
        8 + 8 * self.macs.len()
    }
    fn write(&self, w: &mut Writer<'_>) -> Result<()> {
        w.u32(self.if_index)?;
        w.len(self.macs.len(), "adapter MAC count")?;
        for m in &self.macs {
            m.write(w)?;
        }
        Ok(())
    }
}
impl_encode!(Adapter);

/// sflowtool's text: `ifIndex` and the MACs, comma-separated.
impl fmt::Display for Adapter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        named(f, "ifIndex", self.if_index)?;
        f.write_str("MACs ")?;
        for (j, m) in self.macs.iter().enumerate() {
            if j > 0 {
                f.write_str(",")?;
            }
            crate::text::SfValue::sf(m, f)?;
        }
        f.write_str("\n")
    }
}

/// What the decoded adapter prints.
impl fmt::Display for AdapterView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.decode(), f)
    }
}

/// sflowtool's text: each adapter's ifIndex and MACs.
impl fmt::Display for HostAdapters {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        named(f, "adapter_count", self.adapters.len())?;
        for a in &self.adapters {
            fmt::Display::fmt(a, f)?;
        }
        Ok(())
    }
}

record_enum! {
    /// Zero-copy view of one counter record.
    view CounterRecordView;
    /// An owned counter record.
    owned CounterRecord;
    tag "counterBlock_tag";
    /// Generic interface counters.
    GenericInterface(GenericInterfaceView, GenericInterface) = 1,
    /// Ethernet interface counters.
    Ethernet(EthernetCountersView, EthernetCounters) = 2,
    /// Token ring counters.
    TokenRing(TokenRingCountersView, TokenRingCounters) = 3,
    /// 100BaseVG counters.
    Vg(VgCountersView, VgCounters) = 4,
    /// VLAN counters.
    Vlan(VlanCountersView, VlanCounters) = 5,
    /// 802.11 counters.
    Ieee80211(Ieee80211CountersView, Ieee80211Counters) = 6,
    /// LAG port statistics.
    Lag(LagPortStatsView, LagPortStats) = 7,
    /// Processor information.
    Processor(ProcessorView, Processor) = 1001,
    /// Radio utilization.
    Radio(RadioUtilizationView, RadioUtilization) = 1002,
    /// OpenFlow port.
    OpenFlowPort(OpenFlowPortView, OpenFlowPort) = 1004,
    /// Port name.
    PortName(PortNameView, PortName) = 1005,
    /// Host description.
    HostDescription(HostDescriptionView, HostDescription) = 2000,
    /// Host adapters.
    HostAdapters(HostAdaptersView, HostAdapters) = 2001,
    /// Host parent.
    HostParent(HostParentView, HostParent) = 2002,
    /// Host CPU.
    HostCpu(HostCpuView, HostCpu) = 2003,
    /// Host memory.
    HostMemory(HostMemoryView, HostMemory) = 2004,
    /// Host disk I/O.
    HostDiskIo(HostDiskIoView, HostDiskIo) = 2005,
    /// Host network I/O.
    HostNetIo(HostNetIoView, HostNetIo) = 2006,
    /// MIB-2 IP group.
    Mib2Ip(Mib2IpView, Mib2Ip) = 2007,
    /// MIB-2 ICMP group.
    Mib2Icmp(Mib2IcmpView, Mib2Icmp) = 2008,
    /// MIB-2 TCP group.
    Mib2Tcp(Mib2TcpView, Mib2Tcp) = 2009,
    /// MIB-2 UDP group.
    Mib2Udp(Mib2UdpView, Mib2Udp) = 2010,
    /// Virtual node.
    VirtNode(VirtNodeView, VirtNode) = 2100,
    /// Virtual CPU.
    VirtCpu(VirtCpuView, VirtCpu) = 2101,
    /// Virtual memory.
    VirtMemory(VirtMemoryView, VirtMemory) = 2102,
    /// Virtual disk I/O.
    VirtDiskIo(VirtDiskIoView, VirtDiskIo) = 2103,
    /// Virtual network I/O (the layout of host network I/O).
    VirtNetIo(HostNetIoView, HostNetIo) = 2104,
    /// Application resources (Open vSwitch sends its own).
    AppResources(AppResourcesView, AppResources) = 2203,
    /// Open vSwitch datapath counters.
    OvsDp(OvsDpStatsView, OvsDpStats) = 2207,
}

/// Iterator over the counter records of a counters sample.
pub type CounterRecords<'a> = crate::record::Records<'a, CounterRecordView<'a>>;

view_display!(HostCpuView, HostAdaptersView);

infallible_decode!(
    GenericInterfaceView => GenericInterface,
    EthernetCountersView => EthernetCounters,
    TokenRingCountersView => TokenRingCounters,
    VgCountersView => VgCounters,
    VlanCountersView => VlanCounters,
    Ieee80211CountersView => Ieee80211Counters,
    LagPortStatsView => LagPortStats,
    ProcessorView => Processor,
    RadioUtilizationView => RadioUtilization,
    OpenFlowPortView => OpenFlowPort,
    PortNameView => PortName,
    HostDescriptionView => HostDescription,
    HostAdaptersView => HostAdapters,
    HostParentView => HostParent,
    HostCpuView => HostCpu,
    HostMemoryView => HostMemory,
    HostDiskIoView => HostDiskIo,
    HostNetIoView => HostNetIo,
    Mib2IpView => Mib2Ip,
    Mib2IcmpView => Mib2Icmp,
    Mib2TcpView => Mib2Tcp,
    Mib2UdpView => Mib2Udp,
    VirtNodeView => VirtNode,
    VirtCpuView => VirtCpu,
    VirtMemoryView => VirtMemory,
    VirtDiskIoView => VirtDiskIo,
    AppResourcesView => AppResources,
    OvsDpStatsView => OvsDpStats,
);
