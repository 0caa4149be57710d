#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A detached POSIX thread for one blocking job: an external client's supervision loop sleeps in
/// short steps and must wake on time, which the cooperative pool (two threads on a two-core machine,
/// shared with every task of the process) cannot promise.
enum SupervisorThread {
    private final class Job: Sendable {
        let work: @Sendable () -> Void
        init(_ work: @escaping @Sendable () -> Void) { self.work = work }
    }

    /// Runs `work` on a new detached thread; false (and `work` not run) when no thread could be made.
    static func start(_ work: @escaping @Sendable () -> Void) -> Bool {
        let box = Unmanaged.passRetained(Job(work)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        var thread = pthread_t()
        let result = pthread_create(&thread, &attributes, { raw in
            guard let raw else { return nil }
            Unmanaged<Job>.fromOpaque(raw).takeRetainedValue().work()
            return nil
        }, box)
        guard result == 0 else {
            Unmanaged<Job>.fromOpaque(box).release()
            return false
        }
        return true
    }
}
