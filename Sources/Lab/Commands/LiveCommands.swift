import Connector
import Foundation
import LiveNet
import RTMP

/// What `connect`, `serve` and the netns worker do, for the command line: Lab is its one door, so the
/// executable passes plain values in and gets lines and exit decisions back, and never imports the
/// live network, the wire or the connector itself (issue 12).
package enum LiveCommands {
    /// The `flashVer` `connect` sends unless told otherwise.
    package static let defaultFlashVer = LiveClientOptions.defaultFlashVer

    /// Why a command-line value cannot be used; its description is the usage error printed (exit 64).
    package struct InputError: Error, Sendable, CustomStringConvertible {
        package var description: String
    }

    // MARK: connect

    /// Checks a `connect` URL: an rtmp://, rtmpt:// or rtmps:// URL the connector parses.
    package static func checkConnectURL(_ text: String) throws(InputError) {
        _ = try connectURL(text)
    }

    /// Checks `connect`'s TLS flags against its URL: `--ca-file` (a readable PEM file of
    /// certificates) or `--insecure`, not both, and only for rtmps://, where they mean something.
    package static func checkTrust(url text: String, caFile: String?, insecure: Bool) throws(InputError) {
        let url = try connectURL(text)
        _ = try trust(for: url, caFile: caFile, insecure: insecure)
    }

    /// Whom `connect` trusts; the CA file is read now, so that a bad one is a usage error.
    private static func trust(for url: ConnectURL, caFile: String?, insecure: Bool) throws(InputError) -> TLSClientTrust {
        if caFile != nil, insecure {
            throw InputError(description: "--ca-file and --insecure exclude each other: trust that file, or nothing")
        }
        guard url.scheme == .rtmps else {
            if caFile != nil { throw InputError(description: "--ca-file only applies to rtmps:// URLs") }
            if insecure { throw InputError(description: "--insecure only applies to rtmps:// URLs") }
            return .system
        }
        if insecure { return .insecure }
        guard let caFile else { return .system }
        do {
            _ = try TLSClient(trust: .caFile(caFile))
        } catch {
            throw InputError(description: error.description)
        }
        return .caFile(caFile)
    }

    private static func connectURL(_ text: String) throws(InputError) -> ConnectURL {
        let url: ConnectURL
        do {
            url = try ConnectURL(parsing: text)
        } catch {
            throw InputError(description: "\(error)")
        }
        switch url.scheme {
        case .rtmp, .rtmpt, .rtmps: return url
        case .rtmpe, .rtmpte, .rtmpts:
            throw InputError(description: "\(url.scheme):// is not supported by connect; use rtmp://, rtmpt:// or rtmps://")
        }
    }

    /// One timed connect, as a player's first attempt, and with `play` on to that stream's first
    /// frame: the summary line and whether it succeeded (connected, and when a stream was named,
    /// its first frame came within `timeout`). For rtmps://, `caFile` or `insecure` say whom to trust
    /// (default: the system's store).
    package static func connect(
        _ text: String, timeout: Duration, plainHandshake: Bool, flashVer: String, seed: UInt64, play: String? = nil,
        caFile: String? = nil, insecure: Bool = false
    ) async throws(InputError) -> (summary: String, succeeded: Bool) {
        let url = try connectURL(text)
        let options = LiveClientOptions(
            timeout: timeout, handshakeMode: plainHandshake ? .plain : .digest, flashVer: flashVer, seed: seed,
            play: play, trust: try trust(for: url, caFile: caFile, insecure: insecure))
        let result = await LiveClient(options: options).connect(to: url)
        return (result.summary, result.achieved)
    }

    // MARK: serve

    /// A server `serve` started: its port lines, and how to stop it.
    package struct Serving: Sendable {
        /// What to print once it listens: the certificate line and `listening HOST:PORT
        /// rtmp,rtmpt,rtmps`, or a scenario's port lines.
        package var lines: [String]
        let stop: @Sendable () async -> [String]

        /// Stops serving; returns what to print last (what the server counted, where it counts).
        package func shutdown() async -> [String] { await stop() }
    }

    /// The `--listen` values, checked: `HOST:PORT` each.
    package static func checkListen(_ texts: [String]) throws(InputError) {
        _ = try listenAddresses(texts)
    }

    private static func listenAddresses(_ texts: [String]) throws(InputError) -> [ListenAddress] {
        var addresses: [ListenAddress] = []
        for text in texts {
            do {
                addresses.append(try ListenAddress(parsing: text))
            } catch {
                throw InputError(description: error.description)
            }
        }
        return addresses.isEmpty ? [ListenAddress(host: "127.0.0.1", port: 1935)] : addresses
    }

    /// The responses `serve --response` takes, with the scenario file's names.
    package static let responseNames = ServerResponse.names

    /// A plain `serve`: every address answers RTMP and RTMPT with `response` (one of
    /// ``responseNames``); `connectLine` gets one line per connect answered. The server behaves as a
    /// scenario's `server:` with the same response would, and says so in its rejection.
    ///
    /// With `media` (`synthetic` or the path of an FLV file, see ``media(_:)``) every stream name
    /// plays it; without, every `play` is answered `NetStream.Play.StreamNotFound`, so a player stops
    /// instead of waiting for media that never comes.
    ///
    /// Every address also answers RTMPS (a TLS ClientHello), with the certificate and key of
    /// `certificate` and `key` (PEM files, both or neither), or else a self-signed certificate made
    /// now for localhost and the loopback addresses; the first line printed names it and its
    /// SHA-256 fingerprint.
    package static func serve(
        listen: [String], response: String, redirect: String?, delay: Duration, seed: UInt64,
        media: String? = nil, certificate: String? = nil, key: String? = nil,
        connectLine: @escaping @Sendable (String) -> Void
    ) async throws(ServeError) -> Serving {
        let addresses: [ListenAddress]
        let behavior: RTMPServerSession.Behavior
        let played: PlayableMedia?
        let identity: TLSIdentity
        do {
            addresses = try listenAddresses(listen)
            behavior = try serverResponse(response, redirect: redirect).behavior
            played = try media.map(Self.media)
            identity = try tlsIdentity(certificate: certificate, key: key, listen: addresses)
        } catch {
            throw .input(error)
        }
        let configuration = LiveServerConfiguration(
            listen: addresses,
            session: .init(behavior: behavior, delay: delay, playableStreams: played == nil ? [] : nil, media: played),
            seed: seed, tls: identity)
        let server: LiveServer
        do {
            server = try await LiveServer.start(configuration) { event in
                if let line = Self.connectLine(event) { connectLine(line) }
            }
        } catch {
            throw .failed(error.description)
        }
        let certificateLine = "tls certificate \(identity.origin), sha256 \(identity.fingerprint)"
        return Serving(lines: [certificateLine] + server.addresses.map { "listening \($0) rtmp,rtmpt,rtmps" }, stop: {
            let counted = await server.statistics()
            await server.shutdown()
            return [Self.summaryLine(counted)]
        })
    }

    /// Checks `serve`'s `--certificate` and `--key`: both or neither, each a PEM file, the key the
    /// certificate's.
    package static func checkCertificate(_ certificate: String?, key: String?) throws(InputError) {
        guard certificate != nil || key != nil else { return }
        _ = try tlsIdentity(certificate: certificate, key: key, listen: [])
    }

    /// The server's TLS identity: loaded from the two files, or made now, self-signed for
    /// localhost, 127.0.0.1, ::1 and any other host `serve` listens on by name or address (not a
    /// wildcard, which no client connects to).
    private static func tlsIdentity(certificate: String?, key: String?, listen: [ListenAddress]) throws(InputError) -> TLSIdentity {
        do {
            switch (certificate, key) {
            case (let certificate?, let key?):
                return try TLSIdentity.load(certificatePath: certificate, keyPath: key)
            case (nil, nil):
                var names = ["localhost", "127.0.0.1", "::1"]
                for address in listen where !names.contains(address.host) && !["0.0.0.0", "::", ""].contains(address.host) {
                    names.append(address.host)
                }
                return try TLSIdentity.selfSigned(names: names)
            case (.some, nil):
                throw InputError(description: "--certificate needs --key (the certificate's private key, PEM)")
            case (nil, .some):
                throw InputError(description: "--key needs --certificate (PEM)")
            }
        } catch let error as TLSIdentityError {
            throw InputError(description: error.description)
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError(description: "\(error)")
        }
    }

    /// What `serve --media VALUE` plays: `synthetic`, the generated H.264 stream (64×48, ten keyframes
    /// a second; `synthetic:320x240@25` sets size and rate), or an FLV file's tags, read and checked
    /// whole before the server starts, so a bad file is a usage error that names the byte (exit 64)
    /// rather than a play cut off halfway.
    package static func media(_ value: String) throws(InputError) -> PlayableMedia {
        switch SyntheticVideoChoice.parse(value) {
        case .success(let video): return .synthetic(video)
        case .failure(let error): throw InputError(description: "--media \(error) (\(SyntheticVideoChoice.forms))")
        case nil: break
        }
        guard let data = FileManager.default.contents(atPath: value) else {
            throw InputError(description: "--media \(value): no such file (give 'synthetic' or the path of an FLV file)")
        }
        do {
            return .file(try FLVFile(parsing: Array(data)))
        } catch {
            throw InputError(description: "--media \(value): \(error)")
        }
    }

    /// `serve --scenario`: the scenario's server behaviour and firewall on the loopback network, one
    /// line per scenario port.
    package static func serve(
        _ scenario: Scenario, seed: UInt64, connectLine: @escaping @Sendable (String) -> Void
    ) async throws(ServeError) -> Serving {
        let served: LoopbackScenarioServer
        do {
            served = try await LoopbackScenarioServer.start(scenario.live, seed: seed) { event in
                if let line = Self.connectLine(event) { connectLine(line) }
            }
        } catch {
            throw .failed("\(error)")
        }
        let count = served.ports.count
        let lines = ["scenario \(scenario.name): \(count) port\(count == 1 ? "" : "s") on loopback"]
            + served.ports.map { "port \($0.scenarioPort) at \($0.address): \($0.rule)" }
        return Serving(lines: lines, stop: {
            await served.shutdown()
            return []
        })
    }

    /// Why `serve` could not start: a bad value (exit 64) or a failure to listen (exit 1).
    package enum ServeError: Error, Sendable, CustomStringConvertible {
        case input(InputError)
        case failed(String)

        package var description: String {
            switch self {
            case .input(let error): error.description
            case .failed(let reason): reason
            }
        }
    }

    /// The response a `--response` name and `--redirect` URL stand for.
    private static func serverResponse(_ name: String, redirect: String?) throws(InputError) -> ServerResponse {
        var target: ConnectURL?
        if let redirect {
            do {
                target = try ConnectURL(parsing: redirect)
            } catch {
                throw InputError(description: "--redirect \(redirect): \(error)")
            }
        }
        if let response = ServerResponse(name: name, redirect: target) { return response }
        if name == "redirect" { throw InputError(description: "--response redirect needs --redirect URL") }
        throw InputError(description: "unknown response '\(name)'; use one of " + responseNames.joined(separator: ", "))
    }

    /// One line per connect the server answers.
    /// `served: 2 connections, 2 handshakes, 2 connects; media received: 10 messages, 48210 bytes`,
    /// the last line of a plain `serve`: what publishers sent is counted here, not logged per message.
    static func summaryLine(_ statistics: LiveServerStatistics) -> String {
        "served: \(statistics.connectionsAccepted) connections, \(statistics.handshakesCompleted) handshakes, "
            + "\(statistics.connectsReceived) connects; media received: \(statistics.mediaMessagesReceived) messages, "
            + "\(statistics.mediaBytesReceived) bytes"
    }

    static func connectLine(_ event: ServerEvent) -> String? {
        guard case .connect(let app, let flashVer, let tcUrl, let via) = event.kind else { return nil }
        return "connect app=\(app) flashVer=\"\(flashVer)\" tcUrl=\(tcUrl) via \(via.rawValue) (connection \(event.connection))"
    }
}
