#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How every child process of LiveNet starts — the netns helpers (`ChildProcess`) and external
/// clients (`ClientProcess`) alike: argv straight to `posix_spawn`, never a shell; an empty signal
/// mask and default dispositions (the caller's threads block most signals and a child would inherit
/// that, so it could never be told to stop); a process group of its own (so a timeout stops
/// everything it started); and no descriptor but its stdio, because NIO's sockets are not
/// close-on-exec and a child holding a copy of a listening socket would keep the port open.
package enum ProcessSpawn {
    /// What the child reads.
    package enum Input {
        case devNull
        case descriptor(Int32)
    }

    /// The child's pid, or the `errno` of the failed spawn.
    package enum Spawned {
        case started(pid_t)
        case failed(Int32)
    }

    /// Starts `path` with `argv` (argv[0] included) and the given stdio.
    package static func spawn(_ path: String, argv: [String], input: Input, output: Int32, error: Int32) -> Spawned {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        switch input {
        case .devNull: posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        case .descriptor(let descriptor): posix_spawn_file_actions_adddup2(&actions, descriptor, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, error, 2)
        closeInheritedDescriptors(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGQUIT, SIGPIPE, SIGHUP, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let pointers: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for pointer in pointers { free(pointer) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, path, &actions, &attributes, pointers, environ)
        return result == 0 ? .started(child) : .failed(result)
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which the Swift overlay
    /// does not declare: looked up at run time.
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let closeFrom: CloseFrom? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: CloseFrom.self) }

    /// Closes every descriptor from 3 up in the child: with `closefrom` where glibc has it, else each
    /// descriptor open now, listed from `/proc/self/fd` (bounded by the descriptor table).
    static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        if let closeFrom, closeFrom(&actions, 3) == 0 { return }
        guard let directory = opendir("/proc/self/fd") else { return }
        defer { closedir(directory) }
        var descriptors: [Int32] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if let descriptor = Int32(name), descriptor > 2 { descriptors.append(descriptor) }
        }
        // The directory's own descriptor is among them and is gone by the time the child runs.
        let own = dirfd(directory)
        for descriptor in descriptors where descriptor != own { posix_spawn_file_actions_addclose(&actions, descriptor) }
    }
}
