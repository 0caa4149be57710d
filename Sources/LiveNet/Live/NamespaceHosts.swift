#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes the scenario's host names resolve to the server's address (127.0.0.1, or the server's end of
/// the per-packet link) inside a private namespace, for programs
/// of our own choosing (an external client given `rtmp://media.example.com/live` as written): a
/// hosts file of ours bind-mounted over `/etc/hosts` in the worker's private mount namespace.
///
/// Only when that mount namespace is not the one the worker was launched from (its parent's):
/// a bind mount in the host's mount namespace would change every program's `/etc/hosts`.
enum NamespaceHosts {
    /// The file's text: the usual localhost lines, then every name on `address`.
    static func text(for names: [String], address: String = "127.0.0.1") -> String {
        let extra = names.filter { !$0.isEmpty && $0 != "localhost" && !$0.contains(where: \.isWhitespace) }
        let named = extra.map { " " + $0 }.joined()
        let localhost = "127.0.0.1 localhost" + (address == "127.0.0.1" ? named : "") + "\n"
        let others = address == "127.0.0.1" || extra.isEmpty ? "" : address + named + "\n"
        return localhost + others + "::1 localhost ip6-localhost ip6-loopback\n"
    }

    static func install(names: [String], address: String = "127.0.0.1") throws(LiveRunError) {
        guard let own = inode("/proc/self/ns/mnt"), let parent = inode("/proc/\(getppid())/ns/mnt") else {
            throw .network("cannot compare mount namespaces (/proc/*/ns/mnt) before replacing /etc/hosts")
        }
        guard own != parent else {
            throw .network("refusing to replace /etc/hosts: this process shares its parent's mount namespace")
        }
        var template = Array("/tmp/fallback-lab-hosts-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw .network("cannot create a hosts file: \(String(cString: strerror(errno)))") }
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { unlink(path) }
        let bytes = Array(text(for: names, address: address).utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        _ = fchmod(fd, 0o644)
        _ = close(fd)
        guard written == bytes.count else { throw .network("cannot write the hosts file") }
        // Private mounts (unshare's default) keep this inside the namespace; it goes away with it.
        guard mount(path, "/etc/hosts", nil, UInt(MS_BIND), nil) == 0 else {
            throw .network("cannot bind-mount a hosts file over /etc/hosts: \(String(cString: strerror(errno)))")
        }
    }

    private static func inode(_ path: String) -> UInt64? {
        var information = stat()
        guard stat(path, &information) == 0 else { return nil }
        return UInt64(information.st_ino)
    }
}
