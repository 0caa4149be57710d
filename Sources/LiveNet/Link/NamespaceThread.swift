#if canImport(Glibc)
import Glibc
#endif
import NIOConcurrencyHelpers

/// A thread that lives in a network namespace of its own and runs blocking jobs there, one at a time:
/// the player's side or the server's side of the per-packet link. Whatever a job opens (a TUN device,
/// sockets) and whatever it spawns (`ip`, `nft`) belongs to that namespace.
///
/// The namespace lasts while the thread or anything made in it (a socket, a TUN descriptor) is
/// open; `close` ends the thread.
package final class NamespaceThread: Sendable {
    private enum Mailbox {
        case idle
        case job(@Sendable () -> Void)
        case closing
    }

    private let mailbox = ConditionLock<Int>(value: 0)
    private let state = NIOLockedValueBox<Mailbox>(.idle)
    private let ended = ConditionLock<Bool>(value: false)

    private static let empty = 0
    private static let full = 1

    private init() {}

    /// Starts a thread, moves it into a new network namespace and brings its `lo` up; with
    /// `newNamespace` false the thread stays in the namespace of the thread that starts it (the
    /// worker's own, where a `--network netns` run's server lives).
    package static func start(newNamespace: Bool = true) throws(ThreadNamespace.Failure) -> NamespaceThread {
        let thread = NamespaceThread()
        let entered = NIOLockedValueBox<Result<Void, ThreadNamespace.Failure>?>(nil)
        let settled = ConditionLock<Bool>(value: false)
        let launched = SupervisorThread.start {
            let outcome: Result<Void, ThreadNamespace.Failure>
            do throws(ThreadNamespace.Failure) {
                if newNamespace { try ThreadNamespace.enterNew() }
                outcome = .success(())
            } catch {
                outcome = .failure(error)
            }
            entered.withLockedValue { $0 = outcome }
            settled.lock()
            settled.unlock(withValue: true)
            if case .success = outcome { thread.serve() }
            thread.ended.lock()
            thread.ended.unlock(withValue: true)
        }
        guard launched else { throw ThreadNamespace.Failure(reason: "no thread could be started") }
        settled.lock(whenValue: true)
        settled.unlock()
        if case .failure(let failure) = entered.withLockedValue({ $0 }) { throw failure }
        guard newNamespace else { return thread }
        do {
            try thread.run { () throws(ThreadNamespace.Failure) in
                let status = Self.ip(["link", "set", "lo", "up"])
                guard status == 0 else { throw ThreadNamespace.Failure(reason: "ip link set lo up exited with \(status)") }
            }
        } catch {
            thread.close()
            throw error
        }
        return thread
    }

    /// Runs `job` on the namespace's thread and returns its result; jobs run one at a time.
    package func run<Value: Sendable, Failure: Error>(_ job: @escaping @Sendable () throws(Failure) -> Value) throws(Failure) -> Value {
        let result = NIOLockedValueBox<Result<Value, Failure>?>(nil)
        let finished = ConditionLock<Bool>(value: false)
        mailbox.lock(whenValue: Self.empty)
        state.withLockedValue {
            $0 = .job {
                let outcome: Result<Value, Failure>
                do throws(Failure) {
                    outcome = .success(try job())
                } catch {
                    outcome = .failure(error)
                }
                result.withLockedValue { $0 = outcome }
                finished.lock()
                finished.unlock(withValue: true)
            }
        }
        mailbox.unlock(withValue: Self.full)
        finished.lock(whenValue: true)
        finished.unlock()
        guard let outcome = result.withLockedValue({ $0 }) else { preconditionFailure("a namespace job ended without a result") }
        return try outcome.get()
    }

    /// Ends the thread once its current job is done.
    package func close() {
        mailbox.lock(whenValue: Self.empty)
        state.withLockedValue { $0 = .closing }
        mailbox.unlock(withValue: Self.full)
        ended.lock(whenValue: true)
        ended.unlock()
    }

    private func serve() {
        while true {
            mailbox.lock(whenValue: Self.full)
            let next = state.withLockedValue { current -> Mailbox in
                defer { if case .job = current { current = .idle } }
                return current
            }
            mailbox.unlock(withValue: Self.empty)
            switch next {
            case .job(let job): job()
            case .closing: return
            case .idle: preconditionFailure("namespace thread woken with nothing to do")
            }
        }
    }

    /// Turns IPv6 off on `device` in the calling thread's namespace (`/proc/sys/net` is the namespace
    /// of the thread that opens it). Best effort: a kernel without IPv6 has nothing to turn off.
    package static func disableIPv6(on device: String) {
        let fd = open("/proc/sys/net/ipv6/conf/\(device)/disable_ipv6", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = write(fd, "1", 1)
        _ = Glibc.close(fd)
    }

    /// Runs `ip` with `arguments` from the calling thread (so in its namespace) and returns its exit
    /// status, or −1 when it could not start or ran over 10 s.
    package static func ip(_ arguments: [String]) -> Int32 {
        do {
            let result = try ChildProcess(executable: "ip", arguments: arguments, timeout: .seconds(10)).run()
            return result.timedOut ? -1 : result.status
        } catch {
            return -1
        }
    }
}
