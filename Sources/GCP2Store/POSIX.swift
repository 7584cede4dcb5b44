import Foundation

#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Musl)
    @preconcurrency import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A POSIX error number with its text.
struct Errno: Error, Equatable, CustomStringConvertible {
    let rawValue: Int32
    static var current: Errno { Errno(rawValue: errno) }
    var description: String { String(cString: strerror(rawValue)) }
}

/// Thin, typed wrappers over the system calls durable storage needs; every call retries on EINTR.
enum POSIX {
    static func retrying<T: BinaryInteger>(_ body: () -> T) -> T {
        while true {
            let r = body()
            if r == -1 && errno == EINTR { continue }
            return r
        }
    }

    static func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0o600) throws(Errno) -> Int32 {
        let fd = retrying { Glibc.open(path, flags | O_CLOEXEC, mode) }
        if fd < 0 { throw Errno.current }
        return fd
    }

    static func close(_ fd: Int32) { _ = Glibc.close(fd) }

    static func writeAll(_ fd: Int32, _ data: Data) throws(Errno) {
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
        if retrying({ Glibc.fsync(fd) }) != 0 { throw Errno.current }
    }

    static func fsyncDirectory(_ path: String) throws(Errno) {
        let fd = try open(path, O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        try fsync(fd)
    }

    static func rename(_ from: String, _ to: String) throws(Errno) {
        if Glibc.rename(from, to) != 0 { throw Errno.current }
    }

    /// A second name for a file; fails with EEXIST rather than replace anything at `to`.
    static func link(_ from: String, _ to: String) throws(Errno) {
        if Glibc.link(from, to) != 0 { throw Errno.current }
    }

    static func unlink(_ path: String) throws(Errno) {
        if Glibc.unlink(path) != 0 && errno != ENOENT { throw Errno.current }
    }

    /// Creates a folder (and its parents) with mode 0700; an existing folder is left as it is.
    static func makeDirectory(_ path: String) throws(Errno) {
        if Glibc.mkdir(path, 0o700) == 0 { return }
        let e = errno
        if e == EEXIST { return }
        if e == ENOENT {
            let parent = (path as NSString).deletingLastPathComponent
            if !parent.isEmpty && parent != path {
                try makeDirectory(parent)
                if Glibc.mkdir(path, 0o700) == 0 || errno == EEXIST { return }
            }
        }
        throw Errno(rawValue: e)
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
    static func atomicWrite(_ data: Data, to path: String) throws(Errno) {
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temp = "\(folder)/.\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = try open(temp, O_WRONLY | O_CREAT | O_EXCL)
        do {
            _ = fchmod(fd, 0o600)
            try writeAll(fd, data)
            try fsync(fd)
            close(fd)
            try rename(temp, path)
        } catch {
            close(fd)
            try? unlink(temp)
            throw error
        }
        try fsyncDirectory(folder)
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

    /// Names in a folder (not `.` or `..`), or nil if it cannot be listed.
    static func list(_ path: String) -> [String]? {
        guard let dir = opendir(path) else { return nil }
        defer { closedir(dir) }
        var out: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { out.append(name) }
        }
        return out
    }
}

/// An advisory lock on the store's `.lock` file: shared for readers, exclusive for writers.
final class FileLock {
    private let fd: Int32

    /// Takes the lock, polling until `timeout` seconds have passed; nil when the lock stays held by another.
    init?(path: String, exclusive: Bool, timeout: Double) throws(Errno) {
        fd = try POSIX.open(path, O_RDWR | O_CREAT)
        _ = fchmod(fd, 0o600)
        let deadline = Date().addingTimeInterval(timeout)
        while flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0 {
            let e = errno
            if e != EWOULDBLOCK && e != EINTR {
                POSIX.close(fd)
                throw Errno(rawValue: e)
            }
            if Date() >= deadline {
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
