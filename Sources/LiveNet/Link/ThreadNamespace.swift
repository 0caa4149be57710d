#if canImport(Glibc)
import Glibc
#endif

/// Moves the calling thread — only it — into a new network namespace: how the per-packet link's
/// runtime puts the player's TUN device and sockets in one namespace and the server's in another
/// from threads of one process (a thread's namespace is its own; the child processes it spawns, such
/// as `ip` and `nft`, start in it too).
///
/// Needs `CAP_SYS_ADMIN` in the thread's user namespace (root, or the root of an `unshare -r`
/// namespace). The namespace lives while something holds it: the thread, a socket or a device in it.
package enum ThreadNamespace {
    /// `CLONE_NEWNET` from <sched.h>, which the Swift overlay does not import.
    static let newNetwork: Int32 = 0x4000_0000

    /// glibc's `unshare`, a GNU extension the overlay does not declare: looked up at run time, as
    /// `ProcessSpawn` does for `closefrom`.
    private typealias Unshare = @convention(c) (Int32) -> Int32
    private static let unshare: Unshare? = dlsym(nil, "unshare").map { unsafeBitCast($0, to: Unshare.self) }

    /// glibc's `setns`, looked up the same way.
    private typealias SetNamespace = @convention(c) (Int32, Int32) -> Int32
    private static let setns: SetNamespace? = dlsym(nil, "setns").map { unsafeBitCast($0, to: SetNamespace.self) }

    /// Why the thread could not get a namespace of its own.
    package struct Failure: Error, Sendable, CustomStringConvertible {
        package var reason: String
        package var description: String { "cannot make a network namespace for this thread: \(reason)" }
    }

    /// Puts the calling thread into a new, empty network namespace (only `lo`, down).
    package static func enterNew() throws(Failure) {
        guard let unshare else { throw Failure(reason: "unshare is not in this C library") }
        guard unshare(newNetwork) == 0 else { throw Failure(reason: "unshare(CLONE_NEWNET): \(String(cString: strerror(errno)))") }
    }

    /// A descriptor of the calling thread's network namespace, for `enter` on another thread (how an
    /// event loop's thread joins the player's namespace). The caller closes it.
    package static func descriptor() throws(Failure) -> Int32 {
        let fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(reason: "open /proc/thread-self/ns/net: \(String(cString: strerror(errno)))") }
        return fd
    }

    /// The calling thread's folder in /proc (`/proc/PID/task/TID`): its `ns/net` names the namespace to
    /// `nsenter`, its `net/tcp` is the namespace's socket table, both for as long as the thread lives.
    package static func procFolder() throws(Failure) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        let count = readlink("/proc/thread-self", &buffer, buffer.count - 1)
        guard count > 0 else { throw Failure(reason: "readlink /proc/thread-self: \(String(cString: strerror(errno)))") }
        let target = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return target.hasPrefix("/") ? target : "/proc/" + target
    }

    /// Moves the calling thread into the namespace `descriptor` names (from `descriptor()`).
    package static func enter(_ descriptor: Int32) throws(Failure) {
        guard let setns else { throw Failure(reason: "setns is not in this C library") }
        guard setns(descriptor, newNetwork) == 0 else { throw Failure(reason: "setns(CLONE_NEWNET): \(String(cString: strerror(errno)))") }
    }
}
