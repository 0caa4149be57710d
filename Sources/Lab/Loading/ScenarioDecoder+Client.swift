import Connector
import RunCore
import Yams

extension ScenarioDecoder {
    static let clientKeys = ["url", "os", "proxy", "command", "timeout", "play"]
    static let proxyKeys = ["connect-ports", "buffering", "latency"]

    mutating func clientSettings(_ node: Node) -> ClientSettings? {
        guard let fields = fields(of: node, in: "client", known: Self.clientKeys) else { return nil }
        var urls: [ConnectURL] = []
        if let urlNode = fields["url"] {
            if let text = text(urlNode, what: "client.url", example: "url: rtmp://media.example.com/live") {
                for part in text.split(separator: "|", omittingEmptySubsequences: false) {
                    let leading = part.prefix(while: \.isWhitespace).count
                    let offset = text.distance(from: text.startIndex, to: part.startIndex) + leading
                    if let url = streamURL(String(part).trimmingWhitespace(), at: position(of: urlNode, offset: offset), what: "client.url") {
                        urls.append(url)
                    }
                }
            }
        } else if fields.lacks("url") {
            report(fields.node, "client has no url", "add url: rtmp://media.example.com/live")
        }
        var os = ClientOS.defaultOS
        if let osNode = fields["os"],
            let name = choice(osNode, what: "client.os", names: ClientOS.allCases.map(\.rawValue)),
            let value = ClientOS(rawValue: name) {
            os = value
        }
        var proxy: ProxyAddress?
        if let proxyNode = fields["proxy"],
            let text = text(proxyNode, what: "client.proxy", example: "proxy: http://proxy.example.com:3128") {
            if let address = ProxyAddress.parse(text.trimmingWhitespace()) {
                proxy = address
            } else {
                report(proxyNode, "'\(text)' is not an HTTP proxy address",
                       "write proxy: http://host:port, like http://proxy.example.com:3128")
            }
        }
        var command: String?
        if let commandNode = fields["command"],
            let text = text(commandNode, what: "client.command", example: "command: \"rtmpdump -r {url}\"") {
            do {
                let parsed = try ClientCommand(parsing: text)
                if !parsed.mentionsURL {
                    warn(commandNode, "client.command does not contain {url}, so the client is not given the stream URL",
                         "put {url} where the command takes the stream URL, like \"rtmpdump -r {url} -o /dev/null\"")
                }
                command = text
            } catch {
                report(commandNode, error.description,
                       "quote with '…' or \"…\" and close every quote; there is no shell, so write the program and its arguments only")
            }
        }
        let timeout = fields["timeout"].flatMap {
            positiveDuration($0, what: "client.timeout", hint: "write timeout: 30s")
        } ?? ClientSettings.defaultTimeout
        var play: String?
        if let playNode = fields["play"], let text = text(playNode, what: "client.play", example: "play: stream") {
            let name = text.trimmingWhitespace()
            if name.isEmpty {
                report(playNode, "client.play names no stream", "write the stream name the player plays, like play: stream")
            } else {
                play = name
                if command != nil {
                    warn(playNode, "client.play has no effect on an external client (client.command): its command says what it plays",
                         "put the stream in the command's URL, like \"ffmpeg -i {url}/stream -frames:v 1 -f null -\"")
                }
            }
        }
        return ClientSettings(urls: urls, os: os, proxy: proxy, command: command, timeout: timeout, play: play)
    }

    /// Parses one RTMP-family URL with the connector's own parser, reporting why it is not one.
    mutating func streamURL(_ text: String, at node: Node, what: String) -> ConnectURL? {
        streamURL(text, at: Position(node), what: what)
    }

    mutating func streamURL(_ text: String, at position: Position?, what: String) -> ConnectURL? {
        do {
            return try ConnectURL(parsing: text)
        } catch {
            let example = "like rtmp://media.example.com/live or rtmpt://media.example.com:80/live"
            switch error {
            case .empty:
                report(position, "\(what) has an empty URL", "write scheme://host/app, \(example)")
            case .missingScheme:
                report(position, "'\(text)' in \(what) is not a URL", "write scheme://host/app, \(example)")
            case .unsupportedScheme(let scheme):
                report(position, "unknown scheme '\(scheme)' in \(what)",
                       "use one of " + RTMPScheme.allCases.map(\.rawValue).joined(separator: ", "))
            case .missingHost:
                report(position, "'\(text)' in \(what) has no host", "write scheme://host/app, \(example)")
            case .invalidHost(let host):
                report(position, "'\(host)' in \(what) is not a host name", "use letters, digits, '-' and '.', \(example)")
            case .invalidPort(let port):
                report(position, "port '\(port)' in \(what) is not a port", "use a port from 1 to 65535, \(example)")
            case .missingApplication:
                report(position, "'\(text)' in \(what) has no application name", "add /app after the host, \(example)")
            }
            return nil
        }
    }

    mutating func proxySettings(_ node: Node) -> HTTPProxyConfiguration? {
        guard let fields = fields(of: node, in: "proxy", known: Self.proxyKeys) else { return nil }
        var settings = HTTPProxyConfiguration()
        if let portsNode = fields["connect-ports"],
            let list = items(of: portsNode, what: "proxy.connect-ports", example: "connect-ports: [443]") {
            settings.connectPorts = list.compactMap { port($0, what: "a connect port").map(UInt16.init) }
        }
        if let bufferingNode = fields["buffering"], let value = boolean(bufferingNode, what: "proxy.buffering") {
            settings.buffering = value
        }
        if let latencyNode = fields["latency"], let value = duration(latencyNode, what: "proxy.latency") {
            settings.latency = value
        }
        return settings
    }
}
