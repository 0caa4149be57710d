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
}
