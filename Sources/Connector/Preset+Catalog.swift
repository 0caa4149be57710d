extension Preset {
    /// Adobe Flash Player's built-in NetConnection fallback (no custom code).
    ///
    /// - Order `rtmp:1935`, `rtmp:443`, `rtmp:80`, `rtmpt:80`, strictly one after another: FMS 2
    ///   Client-Side ActionScript Language Reference (NetConnection.connect) and Adobe TechNote
    ///   tn_16631. The FMS 3.5/4.5 "Configure ports" page omits 443; this preset follows the four-step
    ///   order, and ``flashFMS3`` the three-step one, so a scenario shows what the disagreement costs.
    ///   The table is applied to the URL's scheme (`rtmpe` gives `rtmpe`…, `rtmpte:80`).
    /// - No fallback when the URL names a port (seed thread: "if you specify :80 in your RTMP URL, no
    ///   fallback to RTMPT occurs").
    /// - No policy timeout: each attempt waits for the OS's TCP connect timeout (seed thread: "about
    ///   20-25 seconds" per attempt on Windows; Will Law, "Streaming Through Firewalls and Proxies",
    ///   2005: failover "can take up to a minute").
    /// - A 302 is a `Connect.Rejected` status that the player's own code would have to follow: the
    ///   built-in behaviour does not, so redirects are not followed.
    public static let flashBuiltin = Preset(
        name: "flash-builtin",
        summary: """
            Flash Player's own NetConnection fallback: rtmp:1935, rtmp:443, rtmp:80, then rtmpt:80, strictly \
            one after another, each waiting for the operating system's connect timeout. A URL with an \
            explicit port gets no fallback at all.
            """,
        sources: [
            "FMS 2 Client-Side ActionScript Language Reference, NetConnection.connect",
            "Adobe TechNote tn_16631",
            "Will Law, Streaming Through Firewalls and Proxies (Adobe, 2005)",
            "JW Player forum thread 'rtmpt fallback if rtmp not working ?' (seed thread)",
        ],
        policy: Policy(
            name: "flash-builtin",
            mode: .sequential,
            candidates: [
                .url,
                CandidateSpec(scheme: .url, port: .fixed(443)),
                CandidateSpec(scheme: .url, port: .fixed(80)),
                CandidateSpec(scheme: .urlTunneled, port: .fixed(80)),
            ],
            quirks: Policy.Quirks(noFallbackWhenURLHasPort: true)
        )
    )

    /// Flash Player's built-in fallback as Adobe's later server documentation gives it: the same
    /// player, one rung shorter.
    ///
    /// - Order `rtmp:1935`, `rtmp:80`, `rtmpt:80`, strictly one after another: the Flash Media Server
    ///   3.5 and 4.5 Configuration and Administration Guides, "Configure ports" (the player tries
    ///   1935, then RTMP on 80, then RTMPT on 80), which has no `rtmp:443` step. The FMS 2 reference
    ///   and tn_16631 have one (``flashBuiltin``); Adobe never reconciled the two, so both are kept
    ///   and a network that drops 1935 and 443 shows the 21 s the extra step costs.
    /// - Everything else as ``flashBuiltin``, from the same sources: no fallback when the URL names a
    ///   port (seed thread), no policy timeout (each attempt waits for the OS's connect timeout), and
    ///   redirects not followed.
    public static let flashFMS3 = Preset(
        name: "flash-fms3",
        summary: """
            Flash Player's own fallback as the FMS 3.5/4.5 guides give it: rtmp:1935, rtmp:80, then \
            rtmpt:80, strictly one after another, each waiting for the operating system's connect timeout \
            (no rtmp:443 step, unlike flash-builtin). A URL with an explicit port gets no fallback at all.
            """,
        sources: [
            "Adobe Flash Media Server 3.5 Configuration and Administration Guide, Configure ports",
            "Adobe Flash Media Server 4.5 Configuration and Administration Guide, Configure ports",
            "JW Player forum thread 'rtmpt fallback if rtmp not working ?' (seed thread)",
        ],
        policy: Policy(
            name: "flash-fms3",
            mode: .sequential,
            candidates: [
                .url,
                CandidateSpec(scheme: .url, port: .fixed(80)),
                CandidateSpec(scheme: .urlTunneled, port: .fixed(80)),
            ],
            quirks: Policy.Quirks(noFallbackWhenURLHasPort: true)
        )
    )

    /// The JW Player 4.x streamer-list patch posted in the seed thread (RTMPModel.as).
    ///
    /// - `streamer` holds URLs separated by `|`, tried strictly in order (`ncStreamers = …split("|")`).
    /// - 3000 ms per URL (`ncConnectTimeout = 3000`), then the next URL; after the last, the error
    ///   "Failed to connect after N tries".
    /// - A failure moves to the next URL at once. Unconfirmed: the thread's copy of `statusHandler`
    ///   is truncated after `case 'NetConnection.Connect.Failed':`; this preset assumes it calls
    ///   `tryReconnect()` ("Reset connection timer and try next available url").
    /// - No retries. The patch stores a 302's `ex.redirect` as the streamer but the thread does not
    ///   show it reconnecting, so redirects are not followed.
    public static let jw4StreamerList = Preset(
        name: "jw4-streamer-list",
        summary: """
            JW Player 4 with the streamer-list patch: the URLs of a |-separated list, strictly in order, \
            3 s each; after the last, "Failed to connect after N tries".
            """,
        sources: ["JW Player forum thread 'rtmpt fallback if rtmp not working ?' (seed thread), RTMPModel.as patch"],
        policy: Policy(
            name: "jw4-streamer-list",
            mode: .sequential,
            candidates: [.url],
            attemptTimeout: .milliseconds(3000),
            quirks: Policy.Quirks(urlsFromStreamerList: true)
        )
    )

    /// JW Player 5.x RTMPMediaProvider tunneling (jwplayer/jwplayer, removed 2012-08-14).
    ///
    /// - `connectTunneled` runs 5000 ms after `connect()` (unless `tunneling == false`), only if no
    ///   status event arrived (`_responded`). `statusHandler` sets `_responded`, but its
    ///   `NetConnection.Connect.Failed` case clears it again for a non-tunneled streamer, so a reset or
    ///   an unreachable port before 5 s still gets the tunnel at 5 s; `Connect.Rejected` (no 302)
    ///   reports an error and stops (`rejectionEndsAll`); `Connect.Failed` of the tunnel ends the load
    ///   ("Server not found"), as the last candidate.
    /// - `rtmp` → `rtmpt`, `rtmpe` → `rtmpte`, port forced to 80.
    /// - The same NetConnection is reused, so the first attempt is abandoned (`abandonPrevious`).
    /// - A 302 reloads the redirect URL after 100 ms (`redirectRestartsRound`). That this shipped in
    ///   5.3 is unconfirmed. The redirect limit of 5 is this preset's assumption: the player has none.
    public static let jw5Tunneling = Preset(
        name: "jw5-tunneling",
        summary: """
            JW Player 5 RTMPMediaProvider: connects with the URL, and after 5 s without a status abandons \
            that attempt and reconnects the same NetConnection tunneled (rtmpt:80). A network failure of the \
            first attempt still waits for the tunnel at 5 s; a rejection ends the load; a 302 reloads the \
            redirect URL after 100 ms.
            """,
        sources: [
            "jwplayer/jwplayer RTMPMediaProvider.as (tunneling, removed 2012-08-14)",
            "JW Player forum thread 'rtmpt fallback if rtmp not working ?' (seed thread)",
        ],
        policy: Policy(
            name: "jw5-tunneling",
            mode: .staggered,
            candidates: [.url, CandidateSpec(scheme: .urlTunneled, port: .fixed(80))],
            stagger: .milliseconds(5000),
            followRedirects: true,
            redirectDelay: .milliseconds(100),
            redirectLimit: 5,
            quirks: Policy.Quirks(abandonPrevious: true, rejectionEndsAll: true, redirectRestartsRound: true)
        )
    )

    /// Flex NCManager (`mx.controls.videoClasses.NCManager`, apache/flex-sdk).
    ///
    /// - Attempt table `rtmp:1935`, `rtmp:443`, `rtmpt:80`, `rtmps:443`; the first attempt uses the
    ///   URL's own protocol and port (a portless URL takes the table's port).
    /// - Staggered by `DEFAULT_NC_TIMEOUT = 1500` ms (its comment wrongly says .5 s): starts at 0, 1.5,
    ///   3.0, 4.5 s. Overall `DEFAULT_TIMEOUT = 60000` ms.
    /// - Only a Failed/Rejected on the last index (rtmps:443) ends the round (`connectAgain()` then
    ///   `tryFallBack()`, no fallback server here); earlier failures are ignored.
    /// - Pending losers get a listener that closes them if they succeed later (`losersRunUntilTheyEnd`).
    /// - No 302 handling in this version.
    public static let ncmanagerFlex = Preset(
        name: "ncmanager-flex",
        summary: """
            Flex NCManager: the URL, rtmp:443, rtmpt:80 and rtmps:443 started 1.5 s apart; earlier failures \
            are ignored and only a failure of the last (rtmps:443) ends the round, even while rtmpt is \
            pending. Losers still pending are closed when they succeed. 60 s overall.
            """,
        sources: ["apache/flex-sdk mx/controls/videoClasses/NCManager.as"],
        policy: Policy(
            name: "ncmanager-flex",
            mode: .staggered,
            candidates: [.url, .transport(.rtmp, 443), .transport(.rtmpt, 80), .transport(.rtmps, 443)],
            stagger: .milliseconds(1500),
            overallTimeout: .milliseconds(60000),
            quirks: Policy.Quirks(endRoundOnlyOnLastFailure: true, losersRunUntilTheyEnd: true)
        )
    )

    /// FLVPlayback NCManager (`fl.video.NCManager`, 2004–2008).
    ///
    /// - Two attempts: `rtmp` then `rtmpt` (`rtmpe` then `rtmpte`), the second with no port (the
    ///   player's default, 80).
    /// - Stagger `Timer(1500, 1)`; overall `DEFAULT_TIMEOUT = 60000`.
    /// - 302: `Connect.Rejected` with `info.ex.code == 302` cleans up, parses `ex.redirect` and
    ///   restarts (`redirectRestartsRound`, no delay); a non-RTMP redirect calls `tryFallBack()`,
    ///   which fails here. The redirect limit of 5 is this preset's assumption.
    public static let ncmanagerFLVPlayback = Preset(
        name: "ncmanager-flvplayback",
        summary: """
            FLVPlayback NCManager: the URL, then its tunneled form on the default port 1.5 s later; 60 s \
            overall. A 302 restarts the whole round on the redirect URL.
            """,
        sources: ["fl.video.NCManager (FLVPlayback component, 2004-2008)"],
        policy: Policy(
            name: "ncmanager-flvplayback",
            mode: .staggered,
            candidates: [.url, CandidateSpec(scheme: .urlTunneled, port: .schemeDefault)],
            stagger: .milliseconds(1500),
            overallTimeout: .milliseconds(60000),
            followRedirects: true,
            redirectDelay: .zero,
            redirectLimit: 5,
            quirks: Policy.Quirks(redirectRestartsRound: true)
        )
    )

    /// Flowplayer Flash 3.x (`ParallelRTMPConnectionProvider` / `ParallelRTMPConnector`).
    ///
    /// - `rtmp` (or `rtmpe`) at once; `rtmpt` (or `rtmpte`) after `failOverDelay`, default 250 ms;
    ///   the RTMPT URL keeps an explicit port.
    /// - Per connector, `Connect.Failed` retries the same URL, up to 3 attempts (`retries: 2`);
    ///   `Rejected`, `AppShutdown`, `InvalidApp` fail that connector at once.
    /// - 302: reconnect to `ex.redirect` after 100 ms. The redirect limit of 5 is this preset's
    ///   assumption (the player has none).
    /// - Fails only when both connectors failed; no overall timeout. First success wins, the other is
    ///   closed.
    public static let flowplayer = Preset(
        name: "flowplayer",
        summary: """
            Flowplayer 3: the URL at once and its tunneled form 250 ms later, racing; each retries up to 3 \
            times on Connect.Failed but gives up at once on a rejection; a 302 is followed after 100 ms. \
            The first success wins and the other is closed.
            """,
        sources: [
            "Flowplayer Flash 3.x ParallelRTMPConnectionProvider.as / ParallelRTMPConnector.as",
            "JW Player forum thread (seed thread): Connector.as port of the same design",
        ],
        policy: Policy(
            name: "flowplayer",
            mode: .staggered,
            candidates: [.url, CandidateSpec(scheme: .urlTunneled, port: .url)],
            stagger: .milliseconds(250),
            retries: 2,
            followRedirects: true,
            redirectDelay: .milliseconds(100),
            redirectLimit: 5
        )
    )

    /// Akamai `AkamaiConnection` (AS2, v2.4).
    ///
    /// - Order for port/protocol "any": rtmp 1935, 80, 443; rtmpt 80, 1935, 443; rtmpe 1935, 80, 443;
    ///   rtmpte 80, 1935, 443.
    /// - Stagger 200 ms (350 ms with auth parameters, not modelled); master timeout 10000 ms.
    /// - Any single Failed/Rejected closes all attempts: one fast TCP reset ends the whole race.
    public static let akamai = Preset(
        name: "akamai",
        summary: """
            Akamai AkamaiConnection: 12 protocol/port combinations started 200 ms apart, 10 s master \
            timeout; any single failure or rejection closes every attempt and ends the race.
            """,
        sources: ["Akamai AkamaiConnection class (ActionScript 2, v2.4)"],
        policy: Policy(
            name: "akamai",
            mode: .staggered,
            candidates: [
                .transport(.rtmp, 1935), .transport(.rtmp, 80), .transport(.rtmp, 443),
                .transport(.rtmpt, 80), .transport(.rtmpt, 1935), .transport(.rtmpt, 443),
                .transport(.rtmpe, 1935), .transport(.rtmpe, 80), .transport(.rtmpe, 443),
                .transport(.rtmpte, 80), .transport(.rtmpte, 1935), .transport(.rtmpte, 443),
            ],
            stagger: .milliseconds(200),
            overallTimeout: .milliseconds(10000),
            quirks: Policy.Quirks(anyFailureEndsAll: true)
        )
    )

    /// RFC 8305 Happy Eyeballs v2, as SwiftNIO's `HappyEyeballs.swift` implements it, over the
    /// transports of the design's example policy (the URL, rtmp:443, rtmpt:80, rtmps:443).
    ///
    /// - Connection Attempt Delay 250 ms (RFC 8305 §5; SwiftNIO `connectionDelay = 250ms`).
    /// - When an attempt fails and nothing else is pending, the next starts at once (RFC 8305 §5;
    ///   SwiftNIO `connectFailed()`), but never two starts within 10 ms (RFC 8305 §5).
    /// - 10 s per attempt (SwiftNIO `ClientBootstrap` default `connectTimeout`); losers that connect
    ///   after a winner are closed.
    /// - Redirects are followed at once (limit 5): RFC 8305 says nothing about them; this is the
    ///   preset's assumption of a modern client.
    public static let happyEyeballs = Preset(
        name: "happy-eyeballs",
        summary: """
            RFC 8305 Happy Eyeballs over transports: the URL, rtmp:443, rtmpt:80 and rtmps:443, 250 ms \
            apart, the next at once when an attempt fails and nothing else is pending (never two starts \
            within 10 ms), 10 s per attempt; the first success wins.
            """,
        sources: [
            "RFC 8305, Happy Eyeballs Version 2, section 5",
            "apple/swift-nio Sources/NIOPosix/HappyEyeballs.swift",
        ],
        policy: Policy(
            name: "happy-eyeballs",
            mode: .staggered,
            candidates: [.url, .transport(.rtmp, 443), .transport(.rtmpt, 80), .transport(.rtmps, 443)],
            stagger: .milliseconds(250),
            attemptTimeout: .seconds(10),
            advanceOnFailure: true,
            followRedirects: true,
            minimumSpacing: .milliseconds(10)
        )
    )
}
