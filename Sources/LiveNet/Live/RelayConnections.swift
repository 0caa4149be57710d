import NIOCore

/// The client-side connections a relay accepted, so that a run's end closes them all.
final class RelayConnections {
    private var channels: [ObjectIdentifier: any Channel] = [:]

    func opened(_ channel: any Channel) {
        let key = ObjectIdentifier(channel)
        channels[key] = channel
        channel.closeFuture.assumeIsolated().whenComplete { [weak self] _ in
            self?.channels[key] = nil
        }
    }

    func closeAll() {
        for channel in channels.values { channel.close(promise: nil) }
        channels = [:]
    }
}
