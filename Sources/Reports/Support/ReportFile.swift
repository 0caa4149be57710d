#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file of a report written as its runs come in: a streamed table, or a spool that a file is
/// later put together from. Bytes are buffered and written in large pieces.
final class ReportFile {
    /// How many bytes are buffered before they go to the file.
    private static let bufferLimit = 1 << 20

    private let path: String
    private var descriptor: Int32 = -1
    private var buffer: [UInt8] = []
    /// How many bytes went to the file before `buffer`.
    private var flushed = 0

    /// A new file at `path` (it must not exist).
    init(creating path: String) throws(ReportError) {
        self.path = path
        descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .fileSystem(operation: "open", path: path, errno: errno) }
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// How many bytes the file holds.
    var size: Int { flushed + buffer.count }

    func append(_ text: String) {
        buffer.append(contentsOf: text.utf8)
    }

    func append(_ bytes: some Collection<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    /// Writes out what is buffered once enough has gathered; call between runs.
    func flushIfFull() throws(ReportError) {
        if buffer.count >= Self.bufferLimit { try flush() }
    }

    /// The bytes in `range`, from the file or the buffer.
    func bytes(_ range: Range<Int>) throws(ReportError) -> [UInt8] {
        guard descriptor >= 0 else { return Array(buffer[range]) }
        try flush()
        var out = [UInt8](repeating: 0, count: range.count)
        var done = 0
        while done < range.count {
            let read = out.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + done, range.count - done, off_t(range.lowerBound + done)) }
            if read < 0, errno == EINTR { continue }
            guard read > 0 else { throw .fileSystem(operation: "read", path: path, errno: read < 0 ? errno : EIO) }
            done += read
        }
        return out
    }

    /// Copies `range` of `source` to the end of this file, a piece at a time.
    func append(_ range: Range<Int>, of source: ReportFile) throws(ReportError) {
        var start = range.lowerBound
        while start < range.upperBound {
            let end = min(range.upperBound, start + Self.bufferLimit)
            append(try source.bytes(start..<end))
            try flushIfFull()
            start = end
        }
    }

    /// Writes out the buffer, fsyncs and closes the file.
    func finish() throws(ReportError) {
        guard descriptor >= 0 else { return }
        try flush()
        guard fsync(descriptor) == 0 else { throw .fileSystem(operation: "fsync", path: path, errno: errno) }
        close(descriptor)
        descriptor = -1
    }

    private func flush() throws(ReportError) {
        guard descriptor >= 0, !buffer.isEmpty else { return }
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { pwrite(descriptor, $0.baseAddress! + offset, buffer.count - offset, off_t(flushed + offset)) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { throw .fileSystem(operation: "write", path: path, errno: written < 0 ? errno : EIO) }
            offset += written
        }
        flushed += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }
}
