import Connector
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

extension AttemptFailure {
    /// What a socket error means to a player, where it means something the player knows: a reset
    /// answering the SYN is `refused`, ICMP `unreachable`, no answer the OS timeout, a reset or broken
    /// pipe later `closed`; `nil` for anything else (each caller says what that is). One mapping for
    /// the live player's attempts and for `connect`, which used to keep a copy each.
    package init?(socket error: any Error) {
        if let connection = error as? NIOConnectionError {
            // Several addresses may have been tried; the first error is the telling one.
            guard let first = connection.connectionErrors.first else { return nil }
            self.init(socket: first.error)
            return
        }
        if case ChannelError.connectTimeout = error {
            self = .osTimeout
            return
        }
        guard let ioError = error as? IOError else { return nil }
        switch ioError.errnoCode {
        case ECONNREFUSED: self = .refused
        case EHOSTUNREACH, ENETUNREACH: self = .unreachable
        case ETIMEDOUT: self = .osTimeout
        case ECONNRESET, EPIPE: self = .closed
        default: return nil
        }
    }
}
