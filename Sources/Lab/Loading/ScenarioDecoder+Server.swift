import Connector
import Foundation
import RTMP
import Yams

extension ScenarioDecoder {
    static let serverKeys = ["host", "ports", "response", "redirect", "delay", "media", "reconnect-request"]
    static let reconnectRequestKeys = ["after", "tc-url", "close-after"]

    /// The server; `node` may be absent (every default). `urls` give the default host.
    mutating func serverSettings(_ node: Node?, urls: [ConnectURL]) -> ServerSettings? {
        let defaultHost = urls.first?.host ?? "media.example.com"
        guard let node, !isNull(node) else { return ServerSettings(host: defaultHost) }
        guard let fields = fields(of: node, in: "server", known: Self.serverKeys) else { return nil }
        var settings = ServerSettings(host: defaultHost)
        if let hostNode = fields["host"], let text = text(hostNode, what: "server.host", example: "host: media.example.com") {
            let host = text.trimmingWhitespace()
            if host.isEmpty || host.contains(where: { $0.isWhitespace || $0 == "/" || $0 == ":" }) {
                report(hostNode, "'\(text)' is not a host name", "write host: media.example.com")
            } else {
                settings.host = host
            }
        }
        if let portsNode = fields["ports"] { settings.ports = serverPorts(portsNode) ?? settings.ports }

        var redirect: ConnectURL?
        if let redirectNode = fields["redirect"],
            let text = text(redirectNode, what: "server.redirect", example: "redirect: rtmp://edge.example.com/live") {
            redirect = streamURL(text.trimmingWhitespace(), at: redirectNode, what: "server.redirect")
        }
        var responseName = "accept"
        if let responseNode = fields["response"],
            let name = choice(responseNode, what: "server.response", names: ServerResponse.names) {
            responseName = name
        }
        if let response = ServerResponse(name: responseName, redirect: redirect) {
            settings.response = response
        } else if fields["redirect"] == nil {
            // `redirect` without a URL (a URL that did not parse is reported where it stands).
            report(fields.entries["response"]?.value ?? fields.node, "response: redirect needs a redirect URL",
                   "add redirect: rtmp://edge.example.com/live to server")
        }
        if responseName != "redirect", let redirectEntry = fields.entries["redirect"] {
            warn(redirectEntry.key, "server.redirect is set but the response is '\(responseName)', so it has no effect",
                 "add response: redirect to server, or remove redirect:")
        }
        if let delayNode = fields["delay"], let value = duration(delayNode, what: "server.delay") {
            settings.delay = value
        }
        if let mediaNode = fields["media"] { settings.media = media(mediaNode) }
        if let node = fields["reconnect-request"] {
            settings.reconnectRequest = reconnectRequest(node, urls: urls)
        }
        return settings
    }

    /// `reconnect-request:` with `after` (media played before the request, required), `tc-url`
    /// (absolute, `//host/app` or `/app`, resolved against the client's URL; absent: the same URL)
    /// and `close-after` (the grace before the server goes away, default 5 s).
    mutating func reconnectRequest(_ node: Node, urls: [ConnectURL]) -> RTMPServerSession.ReconnectRequest? {
        guard let fields = fields(of: node, in: "server.reconnect-request", known: Self.reconnectRequestKeys) else { return nil }
        let before = diagnostics.count
        var after: Duration?
        if let afterNode = fields["after"] {
            after = duration(afterNode, what: "reconnect-request.after")
        } else if fields.lacks("after") {
            report(fields.node, "reconnect-request has no after", "add after: 2s (media played before the server asks)")
        }
        var tcUrl: String?
        if let urlNode = fields["tc-url"],
            let text = text(urlNode, what: "reconnect-request.tc-url", example: "tc-url: rtmp://media.example.com:443/live") {
            let value = text.trimmingWhitespace()
            if let base = urls.first {
                do {
                    _ = try ConnectURL(resolving: value, against: base)
                    tcUrl = value
                } catch {
                    report(urlNode, "'\(value)' is not a URL to reconnect to: \(error)",
                           "write rtmp://host:port/app, //host/app or /app")
                }
            } else {
                tcUrl = value
            }
        }
        let closeAfter = fields["close-after"].flatMap { duration($0, what: "reconnect-request.close-after") } ?? .seconds(5)
        guard diagnostics.count == before, let after else { return nil }
        return RTMPServerSession.ReconnectRequest(after: after, tcUrl: tcUrl, closeAfter: closeAfter)
    }

    /// `media: synthetic` (the generated H.264 video; `synthetic:320x240@25` sets its size and rate)
    /// or the path of an FLV file, relative to the
    /// scenario file's folder; the file is read and checked now, so a bad one is refused with the
    /// scenario rather than in the middle of a run.
    mutating func media(_ node: Node) -> PlayableMedia? {
        guard let text = text(node, what: "server.media", example: "media: synthetic") else { return nil }
        let value = text.trimmingWhitespace()
        let hint = "write media: synthetic, or the path of an FLV file relative to this file, like media: clip.flv"
        switch SyntheticVideoChoice.parse(value) {
        case .success(let video): return .synthetic(video)
        case .failure(let error):
            report(node, "server.media \(error)", "write " + SyntheticVideoChoice.forms)
            return nil
        case nil: break
        }
        guard !value.isEmpty else {
            report(node, "server.media is empty", hint)
            return nil
        }
        let path = value.hasPrefix("/")
            ? value : URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(value).path
        guard let data = FileManager.default.contents(atPath: path) else {
            report(node, "server.media: no file at \(path)", hint)
            return nil
        }
        do {
            return .file(try FLVFile(parsing: Array(data)))
        } catch {
            report(node, "server.media: \(path) is not a playable FLV file: \(error)", hint)
            return nil
        }
    }

    /// `ports:` as a mapping of port → protocol list.
    mutating func serverPorts(_ node: Node) -> [Int: [RTMPScheme]]? {
        guard case .mapping(let mapping) = node else {
            report(node, "server.ports must be a mapping of port to protocols, found \(describe(node))",
                   "write one 'port: [protocols]' per line, like 1935: [rtmp]")
            return nil
        }
        var ports: [Int: [RTMPScheme]] = [:]
        let names = ServerSettings.protocols.map(\.rawValue)
        for (key, value) in mapping {
            guard let number = port(key, what: "a server port") else { continue }
            var schemes: [RTMPScheme] = []
            let list: [Node]
            if case .scalar = value {
                list = [value]
            } else if let sequence = items(of: value, what: "the protocols of port \(number)", example: "\(number): [rtmp, rtmpt]") {
                list = sequence
            } else {
                continue
            }
            if list.isEmpty {
                report(value, "port \(number) speaks no protocol", "list at least one of: " + names.joined(separator: ", "))
            }
            for item in list {
                guard let name = choice(item, what: "protocol", names: names),
                    let scheme = RTMPScheme(rawValue: name) else { continue }
                if schemes.contains(scheme) {
                    warn(item, "protocol \(name) is listed twice for port \(number); it is served once", "list it once")
                } else {
                    schemes.append(scheme)
                }
            }
            ports[number] = schemes
        }
        if mapping.isEmpty {
            report(node, "server.ports is empty", "list at least one port, like 1935: [rtmp]")
        }
        return ports
    }
}
