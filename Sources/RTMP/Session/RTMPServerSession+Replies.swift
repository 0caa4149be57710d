extension RTMPServerSession {
    /// Most NetStreams one connection may hold open; `createStream` beyond it gets `_error`, so a
    /// client looping on it cannot grow the server's memory.
    static let maxOpenStreams = 64

    /// The answer to `connect` for the configured behaviour.
    func answer(_ request: ConnectRequest, connection: inout ChunkConnection) throws(RTMPSessionError)
        -> ([UInt8], [Observation])
    {
        switch request.behavior {
        case .accept:
            // nginx-rtmp's order (captured, see ServerSessionTests), then onBWDone like FMS.
            var out = try connection.encode(.windowAcknowledgementSize(configuration.windowAcknowledgementSize))
            out += try connection.encode(.setPeerBandwidth(configuration.peerBandwidth, limit: .dynamic))
            out += try connection.encode(.setChunkSize(configuration.chunkSize))
            let properties: AMF0Value = .object([
                "fmsVer": .string(configuration.fmsVer), "capabilities": .number(configuration.capabilities),
            ])
            let information: AMF0Value = .object([
                "level": .string("status"), "code": .string("NetConnection.Connect.Success"),
                "description": .string("Connection succeeded."), "objectEncoding": .number(request.objectEncoding),
            ])
            out += try connection.encode(.command(RTMPCommand(
                name: "_result", transactionID: request.transactionID, commandObject: properties,
                arguments: [information])))
            if configuration.sendsBandwidthDone {
                out += try connection.encode(.command(RTMPCommand(name: "onBWDone", transactionID: 0)))
            }
            return (out, [.connectAnswered(.accepted)])
        case .reject(let description):
            let information: AMF0Value = .object([
                "level": .string("error"), "code": .string("NetConnection.Connect.Rejected"),
                "description": .string(description),
            ])
            let out = try connection.encode(.command(RTMPCommand(
                name: "_error", transactionID: request.transactionID, arguments: [information])))
            return (out, [.connectAnswered(.rejected)])
        case .redirect(let url):
            let information: AMF0Value = .object([
                "level": .string("error"), "code": .string("NetConnection.Connect.Rejected"),
                "description": .string("RTMP 302 Redirect"),
                "ex": .object(["code": .number(302), "redirect": .string(url)]),
            ])
            let command: RTMPCommand
            switch configuration.redirectCommand {
            case .error:
                command = RTMPCommand(name: "_error", transactionID: request.transactionID, arguments: [information])
            case .onStatus:
                command = RTMPCommand(name: "onStatus", transactionID: 0, arguments: [information])
            }
            return (try connection.encode(.command(command)), [.connectAnswered(.redirected)])
        case .silent, .closeAfterHandshake:
            // Neither ever answers connect.
            return ([], [])
        }
    }

    /// The answer to a command after an accepted `connect`.
    func serve(
        _ command: RTMPCommand, messageStreamID: UInt32, streams: inout Streams, connection: inout ChunkConnection
    ) throws(RTMPSessionError) -> [UInt8] {
        let txn = command.transactionID
        func result(_ value: AMF0Value) throws(RTMPSessionError) -> [UInt8] {
            try connection.encode(.command(RTMPCommand(name: "_result", transactionID: txn, arguments: [value])))
        }
        func status(_ level: String, _ code: String, _ description: String) throws(RTMPSessionError) -> [UInt8] {
            try Self.onStatus(level, code, description, on: messageStreamID, connection: &connection)
        }
        func callFailed() throws(RTMPSessionError) -> [UInt8] {
            guard txn != 0 else { return [] }
            let info: AMF0Value = .object([
                "level": .string("error"), "code": .string("NetConnection.Call.Failed"),
                "description": .string("\(command.name) failed."),
            ])
            return try connection.encode(.command(RTMPCommand(name: "_error", transactionID: txn, arguments: [info])))
        }

        switch command.name {
        case "createStream":
            guard streams.open.count < Self.maxOpenStreams else { return try callFailed() }
            let id = streams.nextStreamID
            streams.nextStreamID &+= 1
            streams.open.insert(id)
            return try result(.number(Double(id)))
        case "releaseStream", "FCPublish", "FCUnpublish":
            return txn != 0 ? try result(.undefined) : []
        case "publish":
            return try connection.encode(.userControl(.streamBegin(streamID: messageStreamID)))
                + status("status", "NetStream.Publish.Start", "Start publishing")
        case "play":
            let name = command.arguments.first?.stringValue ?? ""
            if let playable = configuration.playableStreams, !playable.contains(name) {
                return try status("error", "NetStream.Play.StreamNotFound", "No such stream")
            }
            var out = try connection.encode(.userControl(.streamBegin(streamID: messageStreamID)))
            guard let media = configuration.media else {
                return out + (try status("status", "NetStream.Play.Start", "Start live"))
            }
            // The start of play: Reset and Start (the codes Flash's NetStream reports), then what the
            // media sends first (the generated video's metadata and decoder configuration) and every
            // tag due at once, so that the first frame is not a tick late.
            out += try status("status", "NetStream.Play.Reset", "Playing and resetting")
            out += try status("status", "NetStream.Play.Start", "Start live")
            for tag in media.preamble {
                out += try send(tag, on: messageStreamID, connection: &connection)
            }
            // play(name, start, duration): a positive duration (milliseconds) plays that much and then
            // stops, which is how rtmpdump's --stop works (librtmp sends it; the server must end the play).
            let duration = command.arguments.count > 2 ? command.arguments[2].numberValue ?? -1 : -1
            streams.playing.removeAll { $0.streamID == messageStreamID }
            streams.playing.append(Play(
                streamID: messageStreamID, stopAt: duration > 0 ? UInt32(min(duration, Double(UInt32.max))) : nil))
            out += try advancePlays(&streams, only: messageStreamID, ticking: false, connection: &connection)
            return out
        case "deleteStream":
            if let id = command.arguments.first?.numberValue, let stream = UInt32(exactly: id) {
                streams.open.remove(stream)
                streams.playing.removeAll { $0.streamID == stream }
            }
            return []
        case "closeStream":
            // rtmpdump's stop: the NetStream stays, its playback ends.
            streams.playing.removeAll { $0.streamID == messageStreamID }
            return []
        case "_checkbw":
            // ffmpeg answers onBWDone with _checkbw: one onBWDone per connection avoids a ping-pong.
            guard !streams.bandwidthDoneSent else { return txn != 0 ? try result(.undefined) : [] }
            streams.bandwidthDoneSent = true
            return try connection.encode(.command(RTMPCommand(name: "onBWDone", transactionID: 0)))
        case "connect":
            // A second connect on a connected NetConnection: ignored, as nginx-rtmp does.
            return []
        default:
            // Unknown calls (getStreamLength, FCSubscribe, …) go unanswered, as nginx-rtmp does: an
            // `_error` with a description is fatal to ffmpeg when it plays (checked against ffmpeg,
            // which fails with "Server error: …" on an `_error` for getStreamLength).
            return []
        }
    }

    /// What the play clock's tick did about ``Configuration/reconnectRequest``.
    enum ReconnectStep {
        case none
        case requested(tcUrl: String?)
        case closing
    }

    /// The reconnect request, once the first play has played `after` of media; the close, once it has
    /// played `closeAfter` more. One request per connection: it is about the NetConnection.
    func reconnectStep(
        _ streams: inout Streams, out: [UInt8], connection: inout ChunkConnection
    ) throws(RTMPSessionError) -> (ReconnectStep, [UInt8]) {
        guard let request = configuration.reconnectRequest, let first = streams.playing.indices.first else { return (.none, out) }
        let played = frameInterval * streams.playing[first].ticks
        if streams.playing[first].reconnectRequested {
            return (played >= request.after + request.closeAfter ? .closing : .none, out)
        }
        guard played >= request.after else { return (.none, out) }
        streams.playing[first].reconnectRequested = true
        var info: [(String, AMF0Value)] = [
            ("level", .string("status")), ("code", .string(Self.reconnectRequestCode)),
            ("description", .string("The server is requesting the client to reconnect.")),
        ]
        if let tcUrl = request.tcUrl { info.append(("tcUrl", .string(tcUrl))) }
        let command = RTMPCommand(
            name: "onStatus", transactionID: 0,
            arguments: [.object(AMF0Object(info.map { AMF0Object.Property($0.0, $0.1) }))])
        return (.requested(tcUrl: request.tcUrl), out + (try connection.encode(.command(command))))
    }

    /// Enhanced RTMP v2's status code for a reconnect request.
    public static let reconnectRequestCode = "NetConnection.Connect.ReconnectRequest"

    /// Video goes on its own chunk stream, as nginx-rtmp sends it (`NGX_RTMP_CSID_VIDEO`).
    static let videoChunkStreamID: UInt32 = 7

    /// The play's clock tick of the configured media (only asked for while media plays).
    var frameInterval: Duration {
        guard let media = configuration.media else {
            preconditionFailure("RTMPServerSession.frameInterval without media: \(configuration)")
        }
        return media.tick
    }

    /// Advances every play (or `only` that one) by a tick, unless `ticking` is false (the start of a
    /// play), and sends the tags now due. A play whose media ends, or whose next tag lies at or past
    /// its duration, ends with what it sent last, as a media server ends a recorded stream (StreamEOF
    /// and `NetStream.Play.Stop`, on which librtmp closes).
    func advancePlays(
        _ streams: inout Streams, only: UInt32? = nil, ticking: Bool = true, connection: inout ChunkConnection
    ) throws(RTMPSessionError) -> [UInt8] {
        guard let media = configuration.media else {
            preconditionFailure("RTMPServerSession.advancePlays without media: \(configuration)")
        }
        var out: [UInt8] = []
        var ended: [UInt32] = []
        for index in streams.playing.indices where only == nil || streams.playing[index].streamID == only {
            var play = streams.playing[index]
            if ticking { play.ticks += 1 }
            // Each pass sends one tag or leaves: bounded by the tags due by now.
            while !media.ends(beforeTagAt: play.nextTag, limit: play.stopAt),
                media.isDue(tagAt: play.nextTag, ticks: play.ticks), let tag = media.tag(at: play.nextTag) {
                out += try send(tag, on: play.streamID, connection: &connection)
                play.nextTag += 1
            }
            streams.playing[index] = play
            guard media.ends(beforeTagAt: play.nextTag, limit: play.stopAt) else { continue }
            ended.append(play.streamID)
            out += try connection.encode(.userControl(.streamEOF(streamID: play.streamID)))
            out += try Self.onStatus("status", "NetStream.Play.Stop", "Stopped playing.", on: play.streamID, connection: &connection)
        }
        streams.playing.removeAll { ended.contains($0.streamID) }
        return out
    }

    /// A NetStream status: `onStatus` on chunk stream 5 and the stream's own message stream, as
    /// nginx-rtmp sends it.
    static func onStatus(
        _ level: String, _ code: String, _ description: String, on streamID: UInt32, connection: inout ChunkConnection
    ) throws(RTMPSessionError) -> [UInt8] {
        let info: AMF0Value = .object([
            "level": .string(level), "code": .string(code), "description": .string(description),
        ])
        return try connection.encode(
            .command(RTMPCommand(name: "onStatus", transactionID: 0, arguments: [info])), chunkStreamID: 5,
            messageStreamID: streamID)
    }

    /// One tag as a message on the play's stream: video and audio on chunk streams of their own and
    /// data beside the commands, as nginx-rtmp sends them (`NGX_RTMP_CSID_VIDEO` 7, `_AUDIO` 6,
    /// `_AMF` 5).
    private func send(_ tag: FLVTag, on streamID: UInt32, connection: inout ChunkConnection) throws(RTMPSessionError) -> [UInt8] {
        let chunkStream: UInt32 = switch tag.typeID {
        case RTMPMessageType.video: Self.videoChunkStreamID
        case RTMPMessageType.audio: 6
        default: 5
        }
        return try connection.encode(
            .other(typeID: tag.typeID, payload: tag.payload), chunkStreamID: chunkStream, messageStreamID: streamID,
            timestamp: tag.timestamp)
    }
}
