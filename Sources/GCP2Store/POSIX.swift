import Foundation

#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Musl)
    @preconcurrency import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A POSIX error number with its text.
package struct Errno: Error, Equatable, CustomStringConvertible {
    package let rawValue: Int32
    package init(rawValue: Int32) { self.rawValue = rawValue }
    static var current: Errno { Errno(rawValue: errno) }
    package var description: String { String(cString: strerror(rawValue)) }
}

/// A test hook: fails the N-th system call of one kind, counted from when it is installed, with a chosen error.
///
/// It is task-local (`FaultInjection.$current.withValue(plan) { … }`), so a test injecting faults never
/// disturbs another test running in parallel. Package access only: gcp2 itself never installs one.
package final class FaultInjection: @unchecked Sendable {
    /// The kinds of call that can be failed.
    package enum Kind: String, CaseIterable, Sendable {
        case open, read, write, fsync, rename, link, mkdir, list, unlink
    }

    @TaskLocal package static var current: FaultInjection?

    package let kind: Kind
    package let failing: Int
    package let errno: Int32
    private let lock = NSLock()
    private var counts: [Kind: Int] = [:]

    /// Fails the `failing`-th call (1-based) of `kind` with `errno`.
    package init(_ kind: Kind, failing: Int, errno: Int32) {
        self.kind = kind
        self.failing = failing
        self.errno = errno
    }

    /// How many calls of `kind` were made while installed.
    package func calls(of kind: Kind) -> Int { lock.withLock { counts[kind, default: 0] } }

    /// Whether the chosen call was reached (and failed).
    package var fired: Bool { calls(of: kind) >= failing }

    fileprivate func count(_ k: Kind) -> Errno? {
        lock.withLock {
            counts[k, default: 0] += 1
            return k == kind && counts[k] == failing ? Errno(rawValue: errno) : nil
        }
    }
}

/// Thin, typed wrappers over the system calls durable storage needs; every call retries on EINTR.
enum POSIX {
    /// Counts one call of `kind` against an installed fault plan, failing it if it is the chosen one.
    @inline(__always)
    static func fault(_ kind: FaultInjection.Kind) throws(Errno) {
        if let plan = FaultInjection.current, let e = plan.count(kind) { throw e }
    }

    static func retrying<T: BinaryInteger>(_ body: () -> T) -> T {
        while true {
            let r = body()
            if r == -1 && errno == EINTR { continue }
            return r
        }
    }

    static func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0o600) throws(Errno) -> Int32 {
        try fault(.open)
        let fd = retrying { Glibc.open(path, flags | O_CLOEXEC, mode) }
        if fd < 0 { throw Errno.current }
        return fd
    }

    static func close(_ fd: Int32) { _ = Glibc.close(fd) }

    static func writeAll(_ fd: Int32, _ data: Data) throws(Errno) {
        try fault(.write)
        try writeLoop(fd, data)
    }

    /// Writes every byte, retrying short writes and EINTR (no fault hook: standard streams use it too).
    static func writeLoop(_ fd: Int32, _ data: Data) throws(Errno) {
        var failure: Errno?
        data.withUnsafeBytes { (buf: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buf.count {
                let n = retrying { Glibc.write(fd, buf.baseAddress! + offset, buf.count - offset) }
                if n < 0 {
                    failure = Errno.current
                    return
                }
                offset += n
            }
        }
        if let failure { throw failure }
    }

    static func fsync(_ fd: Int32) throws(Errno) {
        try fault(.fsync)
        if retrying({ Glibc.fsync(fd) }) != 0 { throw Errno.current }
    }

    static func fsyncDirectory(_ path: String) throws(Errno) {
        let fd = try open(path, O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        try fsync(fd)
    }

    static func rename(_ from: String, _ to: String) throws(Errno) {
        try fault(.rename)
        if Glibc.rename(from, to) != 0 { throw Errno.current }
    }

    /// A second name for a file; fails with EEXIST rather than replace anything at `to`.
    static func link(_ from: String, _ to: String) throws(Errno) {
        try fault(.link)
        if Glibc.link(from, to) != 0 { throw Errno.current }
    }

    static func unlink(_ path: String) throws(Errno) {
        try fault(.unlink)
        if Glibc.unlink(path) != 0 && errno != ENOENT { throw Errno.current }
    }

    /// Creates a folder (and its parents) with mode 0700; an existing folder is left as it is. Each folder
    /// created is made durable: its parent is fsynced, so a crash cannot lose the new name.
    static func makeDirectory(_ path: String) throws(Errno) {
        try fault(.mkdir)
        let parent = (path as NSString).deletingLastPathComponent
        if Glibc.mkdir(path, 0o700) == 0 {
            try fsyncDirectory(parent.isEmpty ? "." : parent)
            return
        }
        let e = errno
        if e == EEXIST { return }
        if e == ENOENT && !parent.isEmpty && parent != path {
            try makeDirectory(parent)
            if Glibc.mkdir(path, 0o700) == 0 {
                try fsyncDirectory(parent)
                return
            }
            if errno == EEXIST { return }
        }
        throw Errno(rawValue: e)
    }

    /// Whether anything exists at `path` (without following a final symbolic link); any failure but ENOENT throws.
    static func exists(_ path: String) throws(Errno) -> Bool {
        var st = stat()
        if lstat(path, &st) == 0 { return true }
        if errno == ENOENT { return false }
        throw Errno.current
    }

    static func fileSize(_ path: String) -> Int? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int(st.st_size)
    }

    static func mode(_ path: String) -> mode_t? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return st.st_mode & 0o777
    }

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Writes `data` so that a crash leaves either the old file or the new one: a temp file in the same
    /// folder, fsync, rename over the target, fsync the folder. The file's mode is 0600 whatever the umask.
    /// With `syncFolder` false the caller fsyncs the folder itself (to tell "not written" from "not yet durable").
    static func atomicWrite(_ data: Data, to path: String, syncFolder: Bool = true) throws(Errno) {
        try placeTemp(data, at: path) { temp throws(Errno) in try rename(temp, path) }
        if syncFolder { try fsyncDirectory((path as NSString).deletingLastPathComponent) }
    }

    /// Creates a new file holding `data`, never replacing one: a durable temp file in the same folder is
    /// linked to `path` (which fails with EEXIST if anything is there), then the temp name removed and the
    /// folder fsynced. A crash leaves no file at `path` or the whole new one.
    static func createExclusive(_ data: Data, at path: String) throws(Errno) {
        let temp = try placeTemp(data, at: path) { temp throws(Errno) in try link(temp, path) }
        // The document is in place; a leftover temp name is harmless and cleaned later.
        try? unlink(temp)
        try fsyncDirectory((path as NSString).deletingLastPathComponent)
    }

    /// Writes a durable temp file beside `path` and puts it in place with `place`; the temp file is removed if
    /// that fails. Returns the temp file's path.
    @discardableResult
    private static func placeTemp(_ data: Data, at path: String, _ place: (String) throws(Errno) -> Void) throws(Errno)
        -> String
    {
        let temp = try writeTemp(data, for: path)
        do {
            try place(temp)
        } catch {
            try? unlink(temp)
            throw error
        }
        return temp
    }

    /// A fully written and fsynced temp file beside `path`, mode 0600; its path.
    private static func writeTemp(_ data: Data, for path: String) throws(Errno) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temp = "\(folder)/.\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = try open(temp, O_WRONLY | O_CREAT | O_EXCL)
        do {
            _ = fchmod(fd, 0o600)
            try writeAll(fd, data)
            try fsync(fd)
            close(fd)
        } catch {
            close(fd)
            try? unlink(temp)
            throw error
        }
        return temp
    }

    /// Reads a whole file, refusing one larger than `limit` bytes.
    static func read(_ path: String, limit: Int = .max) throws(ReadFailure) -> Data {
        let fd: Int32
        do { fd = try open(path, O_RDONLY) } catch { throw .system(error) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .system(.current) }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw .system(Errno(rawValue: EISDIR)) }
        if Int(st.st_size) > limit { throw .tooLarge(Int(st.st_size)) }
        do { try fault(.read) } catch { throw .system(error) }
        var data = Data(count: Int(st.st_size))
        var total = 0
        var failure: Errno?
        data.withUnsafeMutableBytes { (buf: UnsafeMutableRawBufferPointer) in
            while total < buf.count {
                let n = retrying { Glibc.read(fd, buf.baseAddress! + total, buf.count - total) }
                if n < 0 {
                    failure = .current
                    return
                }
                if n == 0 { break }
                total += n
            }
        }
        if let failure { throw .system(failure) }
        return data.prefix(total)
    }

    enum ReadFailure: Error {
        case system(Errno)
        case tooLarge(Int)
    }

    /// Names in a folder (not `.` or `..`). A folder that cannot be listed, or whose listing fails part-way,
    /// throws: it is never taken for an empty one.
    static func list(_ path: String) throws(Errno) -> [String] {
        try fault(.list)
        guard let dir = opendir(path) else { throw Errno.current }
        defer { closedir(dir) }
        var out: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(dir) else {
                if errno != 0 { throw Errno.current }
                break
            }
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { out.append(name) }
        }
        return out
    }

    /// Reads `count` bytes at `offset` into a new buffer; a short read throws EIO.
    static func pread(_ fd: Int32, count: Int, at offset: Int) throws(Errno) -> [UInt8] {
        try fault(.read)
        var buf = [UInt8](repeating: 0, count: count)
        var total = 0
        var failure: Errno?
        buf.withUnsafeMutableBytes { b in
            while total < count {
                let n = retrying { Glibc.pread(fd, b.baseAddress! + total, count - total, off_t(offset + total)) }
                if n < 0 {
                    failure = .current
                    return
                }
                if n == 0 { break }
                total += n
            }
        }
        if let failure { throw failure }
        if total != count { throw Errno(rawValue: EIO) }
        return buf
    }
}

/// The process's standard streams and command line, for the executable: writes that report failure instead
/// of trapping or raising SIGPIPE.
package enum ProcessIO {
    /// Writes all of `text` to `fd` (1 or 2); the error when it could not (a full disk, a closed pipe).
    package static func write(_ text: String, to fd: Int32) -> Errno? {
        do { try POSIX.writeLoop(fd, Data(text.utf8)) } catch { return error }
        return nil
    }

    /// A closed pipe then fails a write with EPIPE instead of killing the process.
    package static func ignoreBrokenPipe() { _ = signal(SIGPIPE, SIG_IGN) }

    /// The command line including the program name, or nil when it cannot be read (on Linux the runtime
    /// reads it from /proc, and without /proc it arrives empty: not even the program name).
    package static func commandLine() -> [String]? {
        CommandLine.argc > 0 && !CommandLine.arguments.isEmpty ? CommandLine.arguments : nil
    }
}

/// An advisory lock on the store's `.lock` file: shared for readers, exclusive for writers.
final class FileLock {
    private let fd: Int32

    /// Takes the lock, polling until `timeout` seconds have passed; nil when the lock stays held by another.
    init?(path: String, exclusive: Bool, timeout: Double) throws(Errno) {
        fd = try POSIX.open(path, O_RDWR | O_CREAT)
        _ = fchmod(fd, 0o600)
        // A monotonic clock: how long we have waited, not what time it is.
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int(timeout * 1000)))
        while flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0 {
            let e = errno
            if e != EWOULDBLOCK && e != EINTR {
                POSIX.close(fd)
                throw Errno(rawValue: e)
            }
            if ContinuousClock.now >= deadline {
                POSIX.close(fd)
                return nil
            }
            usleep(10_000)
        }
    }

    deinit {
        _ = flock(fd, LOCK_UN)
        POSIX.close(fd)
    }
}
