import Connector
import NetSim
import Reports
import RunCore

extension TracedPacket {
    /// The packet as a capture shows it, stamped with the time it was put on the wire.
    var record: PacketRecord? {
        switch content {
        case .tcp(let segment):
            return .tcp(segment.record(at: time.sinceStart))
        case .icmp(let message):
            guard let code = ICMPRecord.Code(rawValue: message.code.rawValue) else { return nil }
            return .icmp(ICMPRecord(
                at: time.sinceStart, source: message.source.report, destination: message.destination.report,
                code: code, original: message.quoted.record(at: time.sinceStart)))
        }
    }

    /// What the firewall did to this packet, if anything: the report's timeline of middlebox decisions.
    var networkEvent: NetworkEvent? {
        guard case .tcp(let segment) = content else { return nil }
        switch fate {
        case .dropped(let rule):
            return NetworkEvent(at: time.sinceStart, actor: .firewall, action: "drop",
                                detail: "rule \(rule + 1), port \(segment.destination.port)")
        case .rejected(let rule):
            return NetworkEvent(at: time.sinceStart, actor: .firewall, action: "reject",
                                detail: "rule \(rule + 1), port \(segment.destination.port)")
        case .delivered, .lost, .noRoute:
            return nil
        }
    }
}

extension TCPSegment {
    func record(at time: Duration) -> TCPSegmentRecord {
        var flags: TCPSegmentRecord.Flags = []
        if self.flags.contains(.fin) { flags.insert(.fin) }
        if self.flags.contains(.syn) { flags.insert(.syn) }
        if self.flags.contains(.rst) { flags.insert(.rst) }
        if self.flags.contains(.psh) { flags.insert(.psh) }
        if self.flags.contains(.ack) { flags.insert(.ack) }
        return TCPSegmentRecord(
            at: time, source: source.address.report, sourcePort: source.port,
            destination: destination.address.report, destinationPort: destination.port,
            sequence: sequence, acknowledgement: acknowledgement, flags: flags, window: window, payload: payload)
    }
}

extension SimIPv4Address {
    var report: PacketRecord.Address { PacketRecord.Address(value: value) }
}
