#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Renders a report's independent files side by side, so that `--jobs 2` also shortens the part of a
/// run after the simulation: at `--repeat 200` of the shipped suite, rendering summary.json and the
/// CSV tables was about 5 s of one core while every worker but one sat idle.
///
/// Each file's text depends only on the report's input, so the bytes are the same for any width;
/// only which thread renders which file changes. Plain POSIX threads, joined before the results are
/// read, so that the hand-over is visible to ThreadSanitizer as well (`pthread_join`).
enum ParallelRender {
    /// The results of `jobs`, in order, computed on up to `width` threads (the caller's included).
    static func run(_ jobs: [@Sendable () -> String], width: Int) -> [String] {
        let work = Work(jobs)
        let helpers = min(max(width, 1), jobs.count) - 1
        var threads: [pthread_t] = []
        for _ in 0..<max(helpers, 0) {
            let context = Unmanaged.passRetained(work).toOpaque()
            #if canImport(Darwin)
            var thread: pthread_t?
            #else
            var thread = pthread_t()
            #endif
            let started = pthread_create(&thread, nil, { context in
                guard let context else { return nil }
                Unmanaged<Work>.fromOpaque(context).takeRetainedValue().drain()
                return nil
            }, context)
            guard started == 0 else {
                // No thread (a resource limit): this thread renders what that one would have.
                Unmanaged<Work>.fromOpaque(context).release()
                break
            }
            #if canImport(Darwin)
            if let thread { threads.append(thread) }
            #else
            threads.append(thread)
            #endif
        }
        work.drain()
        for thread in threads { pthread_join(thread, nil) }
        return work.results()
    }

    /// The jobs, the next one to claim, and one result slot per job. Each slot is written by the one
    /// thread that claimed its job and read only after every thread has been joined.
    private final class Work: @unchecked Sendable {
        let jobs: [@Sendable () -> String]
        let next = Atomic<Int>(0)
        let slots: UnsafeMutableBufferPointer<String>

        init(_ jobs: [@Sendable () -> String]) {
            self.jobs = jobs
            slots = .allocate(capacity: jobs.count)
            slots.initialize(repeating: "")
        }

        deinit {
            slots.deinitialize()
            slots.deallocate()
        }

        func drain() {
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < jobs.count else { return }
                slots[index] = jobs[index]()
            }
        }

        func results() -> [String] { Array(slots) }
    }
}
