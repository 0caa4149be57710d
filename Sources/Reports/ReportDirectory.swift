#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Writes a report directory whole or not at all.
///
/// Every file goes into a hidden temporary sibling of the target (same parent, so the final
/// `rename(2)` never crosses a file system); files and folders are fsynced; only then does the new
/// folder take the target's name. An existing report is first renamed aside and removed only after
/// the new one is in place, and put back if that rename fails, so a reader sees either the old
/// report or the new one, never a mixture. (Linux's `renameat2(RENAME_EXCHANGE)` would make the swap
/// a single step, but Swift's Glibc module does not export it.) On any error the temporary folder is
/// removed and the old report is left as it was.
struct ReportDirectory {
    /// One file of the report: its path inside the directory and how to produce it at a full path.
    struct Entry {
        var path: [String]
        var write: (String) throws(ReportError) -> Void

        /// A file whose bytes are known up front.
        static func bytes(_ path: [String], _ contents: [UInt8]) -> Entry {
            Entry(path: path) { (fullPath: String) throws(ReportError) in
                try ReportDirectory.writeFile(contents, to: fullPath)
            }
        }

        static func text(_ path: [String], _ contents: String) -> Entry {
            bytes(path, Array(contents.utf8))
        }
    }

    /// The target folder, without trailing slashes.
    let target: String

    init(_ path: String) throws(ReportError) {
        var trimmed = path
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        let last = trimmed.split(separator: "/").last.map(String.init) ?? ""
        guard !trimmed.isEmpty, !last.isEmpty, last != ".", last != ".." else {
            throw .invalidOutputPath(path)
        }
        target = trimmed
    }

    private var parent: String {
        guard let slash = target.lastIndex(of: "/") else { return "." }
        return slash == target.startIndex ? "/" : String(target[..<slash])
    }

    private var baseName: String {
        target.split(separator: "/").last.map(String.init) ?? target
    }

    /// Writes every entry into a fresh temporary folder and puts it in place of the target.
    func commit(_ entries: [Entry]) throws(ReportError) {
        let staging = try stage()
        do throws(ReportError) {
            for entry in entries { try staging.write(entry) }
            try staging.commit()
        } catch {
            staging.abandon()
            throw error
        }
    }

    /// A fresh temporary folder beside the target that files go into as they are produced (a run's
    /// streamed tables and captures), put in place of the target by `Staging.commit`.
    func stage() throws(ReportError) -> Staging {
        try createParent()
        removeAbandonedStaging()
        return Staging(directory: self, path: try makeSibling(tag: "tmp"))
    }

    /// Removes the staging folders of earlier runs for this target whose process is gone: a run
    /// writes its report while it runs, so one killed part-way (SIGKILL, a CI timeout) leaves its
    /// hidden `.<name>.tmp-<pid>-<n>` behind. A folder of a live process is left alone.
    private func removeAbandonedStaging() {
        let prefix = "." + baseName + ".tmp-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return }
        for name in names where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count).split(separator: "-")
            guard rest.count == 2, let pid = pid_t(rest[0]), Int(rest[1]) != nil, pid > 0, pid != getpid() else { continue }
            if kill(pid, 0) != 0, errno == ESRCH { Self.removeTree(parent + "/" + name) }
        }
    }

    /// A report folder being written: every file goes in under `path`; nothing is visible at the
    /// target until `commit`, and `abandon` removes it all.
    final class Staging {
        let directory: ReportDirectory
        /// The temporary folder.
        let path: String
        /// The folders made so far, the temporary folder first: fsynced, deepest first, on commit.
        private var folders: [String]

        fileprivate init(directory: ReportDirectory, path: String) {
            self.directory = directory
            self.path = path
            folders = [path]
        }

        /// The full path of a file inside the folder, making the folders on its way.
        func prepare(_ components: [String]) throws(ReportError) -> String {
            var folder = path
            for component in components.dropLast() {
                try ReportDirectory.checkComponent(component)
                folder += "/" + component
                if !folders.contains(folder) {
                    guard mkdir(folder, 0o755) == 0 else { throw ReportDirectory.failure("mkdir", folder) }
                    folders.append(folder)
                }
            }
            guard let name = components.last else { throw .invalidOutputPath(components.joined(separator: "/")) }
            try ReportDirectory.checkComponent(name)
            return folder + "/" + name
        }

        func write(_ entry: Entry) throws(ReportError) {
            try entry.write(try prepare(entry.path))
        }

        /// Syncs the folders and puts this one in place of the target.
        func commit() throws(ReportError) {
            for folder in folders.reversed() { try ReportDirectory.syncPath(folder) }
            try directory.replaceTarget(with: path)
        }

        func abandon() {
            ReportDirectory.removeTree(path)
        }
    }

    /// Creates the target's missing parent folders (`--out build/reports/latest` in a fresh
    /// checkout); they are not part of the report, so they stay even if the report then fails.
    private func createParent() throws(ReportError) {
        var status = stat()
        if stat(parent, &status) == 0 {
            guard (status.st_mode & S_IFMT) == S_IFDIR else {
                throw .fileSystem(operation: "use as the report's parent folder", path: parent, errno: ENOTDIR)
            }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw .fileSystem(operation: "create the report's parent folder", path: parent, errno: errno)
        }
    }

    /// Moves `temporary` to the target's name, setting an existing report aside first.
    fileprivate func replaceTarget(with temporary: String) throws(ReportError) {
        var status = stat()
        guard lstat(target, &status) == 0 else {
            guard errno == ENOENT else { throw Self.failure("lstat", target) }
            guard rename(temporary, target) == 0 else { throw Self.failure("rename", target) }
            try Self.syncPath(parent)
            return
        }
        guard (status.st_mode & S_IFMT) == S_IFDIR else {
            throw .fileSystem(operation: "replace a non-directory", path: target, errno: ENOTDIR)
        }
        let aside = try makeSibling(tag: "old", create: false)
        guard rename(target, aside) == 0 else { throw Self.failure("rename", target) }
        guard rename(temporary, target) == 0 else {
            let failure = Self.failure("rename", target)
            _ = rename(aside, target)
            throw failure
        }
        try? Self.syncPath(parent)
        Self.removeTree(aside)
    }

    /// A unique hidden sibling name, `.<name>.<tag>-<pid>-<n>`; created as a folder unless told not to.
    private func makeSibling(tag: String, create: Bool = true) throws(ReportError) -> String {
        let stem = parent + "/." + baseName + "." + tag + "-\(getpid())-"
        for attempt in 0..<1000 {
            let candidate = stem + String(attempt)
            if create {
                if mkdir(candidate, 0o755) == 0 { return candidate }
                if errno != EEXIST { throw Self.failure("mkdir", candidate) }
            } else {
                var status = stat()
                if lstat(candidate, &status) != 0, errno == ENOENT { return candidate }
            }
        }
        throw .fileSystem(operation: "choose a temporary name", path: stem, errno: EEXIST)
    }

    /// Refuses a path component that could leave the report folder.
    fileprivate static func checkComponent(_ component: String) throws(ReportError) {
        guard !component.isEmpty, component != ".", component != "..", !component.contains("/"),
              !component.unicodeScalars.contains("\0") else {
            throw .invalidOutputPath(component)
        }
    }

    /// Creates `path` (it must not exist) with `contents`, and fsyncs it.
    static func writeFile(_ contents: [UInt8], to path: String) throws(ReportError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure("open", path) }
        defer { close(descriptor) }
        var offset = 0
        while offset < contents.count {
            let written = contents.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress! + offset, contents.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw failure("write", path)
            }
            offset += written
        }
        guard fsync(descriptor) == 0 else { throw failure("fsync", path) }
    }

    /// fsyncs a file or folder already written by someone else (libpcap, or the folders we made).
    static func syncPath(_ path: String) throws(ReportError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("open", path) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw failure("fsync", path) }
    }

    static func removeTree(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    fileprivate static func failure(_ operation: String, _ path: String) -> ReportError {
        .fileSystem(operation: operation, path: path, errno: errno)
    }
}
