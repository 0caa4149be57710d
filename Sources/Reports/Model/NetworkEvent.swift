/// Something the firewall or the proxy did during a run, so that a reader sees *why* an attempt
/// ended the way it did.
package struct NetworkEvent: Sendable {
    /// Who acted.
    package enum Actor: Sendable {
        case firewall
        case proxy

        /// The token `records.jsonl` writes, back to the actor.
        package init?(token: String) {
            switch token {
            case "firewall": self = .firewall
            case "proxy": self = .proxy
            default: return nil
            }
        }

        package var token: String {
            switch self {
            case .firewall: "firewall"
            case .proxy: "proxy"
            }
        }
    }

    /// When, from the connector's start.
    package var at: Duration
    package var actor: Actor
    /// The attempt it concerned, if any.
    package var attempt: Int?
    /// What it did, as a short token such as `drop`, `reject`, `400`, `connect-denied`.
    package var action: String
    /// Free text, for example `SYN to 1935 dropped (rule 1)`.
    package var detail: String

    package init(at: Duration, actor: Actor, attempt: Int? = nil, action: String, detail: String = "") {
        self.at = at
        self.actor = actor
        self.attempt = attempt
        self.action = action
        self.detail = detail
    }
}
