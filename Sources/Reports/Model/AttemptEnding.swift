/// How an attempt ended — the design's vocabulary (`won`, `refused`, `unreachable`, `timeout`,
/// `rejected`, `redirected`, `closed`, `proxy-error`, `cancelled`).
public enum AttemptEnding: Sendable {
    /// Whose timer ended an attempt: telling them apart is the point of a silent-drop scenario.
    public enum TimeoutSource: Sendable {
        /// The operating system gave up retransmitting the SYN (ETIMEDOUT).
        case os
        /// The policy's own attempt or overall timeout fired first.
        case policy
    }

    /// This attempt delivered `NetConnection.Connect.Success` first.
    case won
    /// The peer answered the SYN with a TCP reset (ECONNREFUSED).
    case refused
    /// An ICMP unreachable ended the attempt (EHOSTUNREACH / ECONNREFUSED).
    case unreachable
    /// A timer ended the attempt.
    case timeout(TimeoutSource)
    /// The server answered `connect` with `_error`; the description it gave.
    case rejected(String)
    /// The server redirected the client to this URL.
    case redirected(String)
    /// The peer (or something in between) closed the connection.
    case closed
    /// A proxy answered with an error; what it said (for example `400 Bad Request`).
    case proxyError(String)
    /// The connector cancelled it; why (for example `loser`, `overall timeout`).
    case cancelled(String)

    /// The token used in files.
    var token: String {
        switch self {
        case .won: "won"
        case .refused: "refused"
        case .unreachable: "unreachable"
        case .timeout: "timeout"
        case .rejected: "rejected"
        case .redirected: "redirected"
        case .closed: "closed"
        case .proxyError: "proxy-error"
        case .cancelled: "cancelled"
        }
    }

    /// The ending's detail: whose timeout, the rejection text, the redirect target, and so on.
    var detail: String {
        switch self {
        case .won, .refused, .unreachable, .closed: ""
        case .timeout(.os): "os"
        case .timeout(.policy): "policy"
        case .rejected(let text), .redirected(let text), .proxyError(let text), .cancelled(let text): text
        }
    }

    /// The ending and its detail in one phrase, for the HTML and Markdown reports.
    var phrase: String {
        detail.isEmpty ? token : "\(token) (\(detail))"
    }
}
