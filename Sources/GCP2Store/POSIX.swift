import Foundation
import GCP2Core

#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Musl)
    @preconcurrency import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A POSIX error number with its text.
/// A system call's error number, typed (swift-system's shape); carried inside `StoreError.io` so a caller can tell
/// a full disk from a missing file without reading words.
public struct Errno: Error, Equatable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }
    static var current: Errno { Errno(rawValue: errno) }
    public var description: String { String(cString: strerror(rawValue)) }
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

// The one place the store calls the C library. Everything else goes through `POSIX` and `FileDescriptor`,
// which retry on EINTR and throw a typed `Errno`; the names below resolve to Glibc, Musl or Darwin alike.

private func sysOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { open(path, flags, mode) }
private func sysOpenat(_ dir: Int32, _ path: String, _ flags: Int32) -> Int32 { openat(dir, path, flags, 0) }
private func sysLstatat(_ dir: Int32, _ path: String, _ st: inout stat) -> Int32 {
    fstatat(dir, path, &st, AT_SYMLINK_NOFOLLOW)
}
private func sysClose(_ fd: Int32) -> Int32 { close(fd) }
private func sysRead(_ fd: Int32, _ buf: UnsafeMutableRawPointer, _ n: Int) -> Int { read(fd, buf, n) }
private func sysPread(_ fd: Int32, _ buf: UnsafeMutableRawPointer, _ n: Int, _ off: Int) -> Int {
    pread(fd, buf, n, off_t(off))
}
private func sysWrite(_ fd: Int32, _ buf: UnsafeRawPointer, _ n: Int) -> Int { write(fd, buf, n) }
private func sysFsync(_ fd: Int32) -> Int32 { fsync(fd) }
private func sysFtruncate(_ fd: Int32, _ size: Int) -> Int32 { ftruncate(fd, off_t(size)) }
private func sysFchmod(_ fd: Int32, _ mode: mode_t) -> Int32 { fchmod(fd, mode) }
private func sysChmod(_ path: String, _ mode: mode_t) -> Int32 { chmod(path, mode) }
private func sysFstat(_ fd: Int32, _ st: inout stat) -> Int32 { fstat(fd, &st) }
private func sysLstat(_ path: String, _ st: inout stat) -> Int32 { lstat(path, &st) }
private func sysStat(_ path: String, _ st: inout stat) -> Int32 { stat(path, &st) }
private func sysFstatat(_ fd: Int32, _ name: String, _ st: inout stat, _ flags: Int32) -> Int32 {
    fstatat(fd, name, &st, flags)
}
private func sysFlock(_ fd: Int32, _ op: Int32) -> Int32 { flock(fd, op) }
private func sysRename(_ from: String, _ to: String) -> Int32 { rename(from, to) }
private func sysLink(_ from: String, _ to: String) -> Int32 { link(from, to) }
private func sysUnlink(_ path: String) -> Int32 { unlink(path) }
private func sysMkdir(_ path: String, _ mode: mode_t) -> Int32 { mkdir(path, mode) }

extension Errno {
    static let noSuchFile = Errno(rawValue: ENOENT)
    static let fileExists = Errno(rawValue: EEXIST)
    static let permissionDenied = Errno(rawValue: EACCES)
    static let readOnlyFileSystem = Errno(rawValue: EROFS)
    static let isDirectory = Errno(rawValue: EISDIR)
    static let ioError = Errno(rawValue: EIO)
    static let tooManySymbolicLinks = Errno(rawValue: ELOOP)
    static let notDirectory = Errno(rawValue: ENOTDIR)
}

/// What `lstat` says about a name: its kind and permission bits (a symbolic link is not followed).
struct FileStatus: Equatable {
    enum Kind: Equatable { case file, directory, symbolicLink, other }
    var kind: Kind
    /// The permission bits (`0o777` at most).
    var permissions: mode_t
    var size: Int

    init(_ st: stat) {
        switch st.st_mode & S_IFMT {
        case S_IFREG: kind = .file
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symbolicLink
        default: kind = .other
        }
        permissions = st.st_mode & 0o777
        size = Int(st.st_size)
    }
}

/// Which version of a file this is, as far as `stat` can tell without reading it: the device and inode (every
/// store write renames a new file into place), size, and modification and change times in nanoseconds (an edit
/// in place changes the change time, which no one can set back).
struct FileStamp: Equatable, Sendable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modified: Int64
    var changed: Int64

    init(device: UInt64, inode: UInt64, size: Int64, modified: Int64, changed: Int64) {
        self.device = device
        self.inode = inode
        self.size = size
        self.modified = modified
        self.changed = changed
    }

    init(_ st: stat) {
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        size = Int64(st.st_size)
        #if canImport(Darwin)
            let (m, c) = (st.st_mtimespec, st.st_ctimespec)
        #else
            let (m, c) = (st.st_mtim, st.st_ctim)
        #endif
        modified = Int64(m.tv_sec) * 1_000_000_000 + Int64(m.tv_nsec)
        changed = Int64(c.tv_sec) * 1_000_000_000 + Int64(c.tv_nsec)
    }
}

/// An open file descriptor (swift-system's shape): every call retries on EINTR and throws a typed `Errno`.
/// The owner closes it with `close()`.
struct FileDescriptor {
    let rawValue: Int32

    func close() { _ = sysClose(rawValue) }

    /// Reads up to `count` bytes at the current offset; fewer only at the end of the file.
    func read(upTo count: Int) throws(Errno) -> Data {
        // Into memory the reads fill (`Data(count:)` would first write zeros over all of it), handed to the `Data`.
        guard count > 0 else { return Data() }
        // Memory that cannot be had is an error, never an empty file.
        guard let raw = malloc(count) else { throw Errno(rawValue: ENOMEM) }
        let total: Int
        do throws(Errno) {
            total = try FileDescriptor.fill(UnsafeMutableRawBufferPointer(start: raw, count: count)) { p, n, _ in
                sysRead(rawValue, p, n)
            }
        } catch {
            free(raw)
            throw error
        }
        return Data(bytesNoCopy: raw, count: total, deallocator: .free)
    }

    /// Reads `count` bytes at `offset`; a short read throws EIO.
    func read(count: Int, at offset: Int) throws(Errno) -> [UInt8] {
        var buf = [UInt8](repeating: 0, count: count)
        let total = buf.withUnsafeMutableBytes { (b: UnsafeMutableRawBufferPointer) in
            Result { () throws(Errno) in
                try FileDescriptor.fill(b) { p, n, done in sysPread(rawValue, p, n, offset + done) }
            }
        }
        if try total.get() != count { throw .ioError }
        return buf
    }

    /// Fills `buf` with repeated reads (`read(pointer, wanted, done so far)`) until it is full or a read returns
    /// 0; the number of bytes read. EINTR is retried; any other failure throws.
    private static func fill(
        _ buf: UnsafeMutableRawBufferPointer, _ read: (UnsafeMutableRawPointer, Int, Int) -> Int
    ) throws(Errno) -> Int {
        var total = 0
        while total < buf.count {
            let n = POSIX.retrying { read(buf.baseAddress! + total, buf.count - total, total) }
            if n < 0 { throw .current }
            if n == 0 { break }
            total += n
        }
        return total
    }

    /// Writes every byte, retrying short writes and EINTR.
    func writeAll(_ data: Data) throws(Errno) {
        var failure: Errno?
        data.withUnsafeBytes { (buf: UnsafeRawBufferPointer) in
            do throws(Errno) { try writeAll(buf) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Writes every byte at `buf`, however many calls it takes.
    func writeAll(_ buf: UnsafeRawBufferPointer) throws(Errno) {
        var offset = 0
        while offset < buf.count {
            let n = POSIX.retrying { sysWrite(rawValue, buf.baseAddress! + offset, buf.count - offset) }
            if n < 0 { throw Errno.current }
            offset += n
        }
    }

    func fsync() throws(Errno) { try POSIX.check(POSIX.retrying { sysFsync(rawValue) }) }
    func truncate(to size: Int) throws(Errno) { try POSIX.check(POSIX.retrying { sysFtruncate(rawValue, size) }) }
    func setPermissions(_ mode: mode_t) throws(Errno) { try POSIX.check(POSIX.retrying { sysFchmod(rawValue, mode) }) }

    func status() throws(Errno) -> FileStatus {
        var st = stat()
        try POSIX.check(POSIX.retrying { sysFstat(rawValue, &st) })
        return FileStatus(st)
    }

    /// Takes an advisory lock without waiting: false when another holds it.
    func tryLock(exclusive: Bool) throws(Errno) -> Bool {
        let r = POSIX.retrying { sysFlock(rawValue, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) }
        if r == 0 { return true }
        let e = Errno.current
        if e.rawValue == EWOULDBLOCK { return false }
        throw e
    }

    func unlock() { _ = sysFlock(rawValue, LOCK_UN) }
}

/// Thin, typed wrappers over the system calls durable storage needs; every call retries on EINTR.
///
/// Every open in the store adds `O_NOFOLLOW` (a symbolic link at a store path is refused with ELOOP);
/// callers check the folders above it with `refuseLinks`.
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

    /// Throws the current errno when a call returned non-zero.
    static func check(_ result: Int32) throws(Errno) { if result != 0 { throw Errno.current } }

    /// Opens `path`; a final symbolic link is refused (ELOOP) unless `followingLinks`.
    static func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0o600, followingLinks: Bool = false) throws(Errno)
        -> FileDescriptor
    {
        try fault(.open)
        let fd = retrying { sysOpen(path, flags | O_CLOEXEC | (followingLinks ? 0 : O_NOFOLLOW), mode) }
        if fd < 0 { throw Errno.current }
        return FileDescriptor(rawValue: fd)
    }

    /// Opens for reading only: the read-only flags every read uses.
    static let readOnly = O_RDONLY
    static let readWrite = O_RDWR
    static let createExclusiveForWriting = O_WRONLY | O_CREAT | O_EXCL
    static let appendCreating = O_WRONLY | O_APPEND | O_CREAT

    static func writeAll(_ fd: FileDescriptor, _ data: Data) throws(Errno) {
        try fault(.write)
        try fd.writeAll(data)
    }

    /// Writes every byte to a raw descriptor (no fault hook: standard streams use it too).
    static func writeLoop(_ fd: Int32, _ data: Data) throws(Errno) {
        try FileDescriptor(rawValue: fd).writeAll(data)
    }

    static func fsync(_ fd: FileDescriptor) throws(Errno) {
        try fault(.fsync)
        try fd.fsync()
    }

    /// Makes a folder's entries durable. The folder is opened following a link: nothing is read or written
    /// through it, and the folder above a new store may be reached through one (`--store ~/link/cases`).
    static func fsyncDirectory(_ path: String) throws(Errno) {
        let fd = try open(path, O_RDONLY | O_DIRECTORY, followingLinks: true)
        defer { fd.close() }
        try fsync(fd)
    }

    static func rename(_ from: String, _ to: String) throws(Errno) {
        try fault(.rename)
        try check(retrying { sysRename(from, to) })
    }

    /// A second name for a file; fails with EEXIST rather than replace anything at `to`.
    static func link(_ from: String, _ to: String) throws(Errno) {
        try fault(.link)
        try check(retrying { sysLink(from, to) })
    }

    static func unlink(_ path: String) throws(Errno) {
        try fault(.unlink)
        if retrying({ sysUnlink(path) }) != 0 && errno != ENOENT { throw Errno.current }
    }

    /// Sets a file's or folder's permission bits (the name itself; a symbolic link is refused by the caller).
    static func setPermissions(_ path: String, _ mode: mode_t) throws(Errno) {
        try check(retrying { sysChmod(path, mode) })
    }

    /// Creates a folder (and its parents) with mode 0700; an existing folder is left as it is. Each folder
    /// created is made durable: its parent is fsynced, so a crash cannot lose the new name.
    static func makeDirectory(_ path: String) throws(Errno) {
        try fault(.mkdir)
        let parent = (path as NSString).deletingLastPathComponent
        if retrying({ sysMkdir(path, 0o700) }) == 0 {
            try fsyncDirectory(parent.isEmpty ? "." : parent)
            return
        }
        let e = errno
        if e == EEXIST { return }
        if e == ENOENT && !parent.isEmpty && parent != path {
            try makeDirectory(parent)
            if retrying({ sysMkdir(path, 0o700) }) == 0 {
                try fsyncDirectory(parent)
                return
            }
            if errno == EEXIST { return }
        }
        throw Errno(rawValue: e)
    }

    /// What is at `path`, without following a final symbolic link; nil when nothing is there.
    static func status(_ path: String) throws(Errno) -> FileStatus? {
        var st = stat()
        if retrying({ sysLstat(path, &st) }) == 0 { return FileStatus(st) }
        if errno == ENOENT { return nil }
        throw Errno.current
    }

    /// The stamp of the regular file at `path` (a link is not followed); nil when there is none or it cannot be read.
    static func stamp(_ path: String) -> FileStamp? {
        var st = stat()
        guard retrying({ sysLstat(path, &st) }) == 0, st.st_mode & S_IFMT == S_IFREG else { return nil }
        return FileStamp(st)
    }

    /// The stamps of the regular files `names` in the folder at `folder` (a link is not followed, and the folder
    /// must not be one), each looked up from the open folder rather than walking the whole path again; nil for a
    /// name with no regular file. Nil when the folder cannot be opened.
    static func stamps(in folder: String, _ names: [String]) -> [FileStamp?]? {
        guard let dir = openFolder(folder) else { return nil }
        defer { dir.close() }
        let fd = dir.rawValue
        let out = ConcurrentResults<[FileStamp?]>(count: 2)
        let half = (names.count + 1) / 2
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            let part = k == 0 ? names[..<half] : names[half...]
            out[k] = part.map { name in
                var st = stat()
                guard retrying({ sysFstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) }) == 0, st.st_mode & S_IFMT == S_IFREG
                else { return nil }
                return FileStamp(st)
            }
        }
        return (out[0] ?? []) + (out[1] ?? [])
    }

    /// The stamps of the running program's file (`/proc/self/exe`, followed) and of every file mapped into it (the
    /// Swift runtime and Foundation when they are shared libraries), in the order of `/proc/self/maps`; nil where
    /// there is no such name. Another build, or an upgraded library, is another program.
    static func programStamps() -> [FileStamp]? {
        var st = stat()
        // `/proc` files have no size to read up to: read to the end.
        guard retrying({ sysStat("/proc/self/exe", &st) }) == 0,
            let maps = try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8)
        else { return nil }
        var out = [FileStamp(st)]
        var seen: Set<String> = []
        for line in maps.split(separator: "\n") {
            guard let slash = line.firstIndex(of: "/") else { continue }
            let file = String(line[slash...])
            guard seen.insert(file).inserted else { continue }
            var lib = stat()
            if retrying({ sysStat(file, &lib) }) == 0 { out.append(FileStamp(lib)) }
        }
        return out
    }

    /// Whether this process may write in the folder at `path` (a read-only store or mount may not).
    static func isWritable(path: String) -> Bool { access(path, W_OK) == 0 }

    /// The wall clock in nanoseconds since 1970, the clock file times are taken from.
    static func nowNanoseconds() -> Int64 {
        var ts = timespec()
        _ = clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// Whether anything exists at `path` (without following a final symbolic link); any failure but ENOENT throws.
    static func exists(_ path: String) throws(Errno) -> Bool { try status(path) != nil }

    /// The size of the regular file at `path`; nil when there is none (or it is a link or a folder).
    static func fileSize(_ path: String) -> Int? {
        guard let s = try? status(path), s.kind == .file else { return nil }
        return s.size
    }

    /// The permission bits of what is at `path` (a link is not followed).
    static func mode(_ path: String) -> mode_t? { (try? status(path))?.permissions }

    /// Whether `path` is a folder (a symbolic link to one is not).
    static func isDirectory(_ path: String) -> Bool { (try? status(path))?.kind == .directory }

    /// Whether `path` is a symbolic link.
    static func isSymbolicLink(_ path: String) -> Bool { (try? status(path))?.kind == .symbolicLink }

    /// Writes `data` so that a crash leaves either the old file or the new one: a temp file in the same
    /// folder, fsync, rename over the target, fsync the folder. The file's mode is 0600 whatever the umask.
    /// With `syncFolder` false the caller fsyncs the folder itself (to tell "not written" from "not yet durable").
    ///
    /// A cache (`durable` false) skips both fsyncs: after a crash its file may be old, empty or torn, which its reader
    /// must detect (the caseload snapshot's SHA-256).
    static func atomicWrite(_ data: Data, to path: String, syncFolder: Bool = true, durable: Bool = true) throws(Errno) {
        try placeTemp(data, at: path, durable: durable) { temp throws(Errno) in try rename(temp, path) }
        guard durable else { return }
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
    private static func placeTemp(
        _ data: Data, at path: String, durable: Bool = true, _ place: (String) throws(Errno) -> Void
    ) throws(Errno) -> String {
        let temp = try writeTemp(data, for: path, durable: durable)
        do {
            try place(temp)
        } catch {
            try? unlink(temp)
            throw error
        }
        return temp
    }

    /// A fully written and fsynced temp file beside `path`, mode 0600; its path.
    static func writeTemp(_ data: Data, for path: String, durable: Bool = true) throws(Errno) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temp = "\(folder)/.\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = try open(temp, createExclusiveForWriting)
        do {
            try fd.setPermissions(0o600)
            try writeAll(fd, data)
            if durable { try fsync(fd) }
            fd.close()
        } catch {
            fd.close()
            try? unlink(temp)
            throw error
        }
        return temp
    }

    /// Reads a whole file, refusing one larger than `limit` bytes.
    static func read(_ path: String, limit: Int = .max) throws(ReadFailure) -> Data {
        try readWithStatus(path, limit: limit).data
    }

    /// `read`, with the `fstat` of the file read (its kind, mode and size: what an `lstat` would give, since the
    /// open refuses a link).
    static func readWithStatus(_ path: String, limit: Int = .max) throws(ReadFailure) -> (data: Data, status: FileStatus) {
        let fd: FileDescriptor
        do { fd = try open(path, O_RDONLY) } catch { throw .system(error) }
        defer { fd.close() }
        return try readOpened(fd, limit: limit)
    }

    /// The whole of an open file with its `fstat`: a folder or a file larger than `limit` refused.
    private static func readOpened(_ fd: FileDescriptor, limit: Int) throws(ReadFailure) -> (
        data: Data, status: FileStatus
    ) {
        let st: FileStatus
        do { st = try fd.status() } catch { throw .system(error) }
        if st.kind == .directory { throw .system(.isDirectory) }
        if st.size > limit { throw .tooLarge(st.size) }
        do {
            try fault(.read)
            return (try fd.read(upTo: st.size), st)
        } catch {
            throw .system(error)
        }
    }

    /// `readWithStatus` of `path` relative to the open folder `dir` (`openat`): the same flags, checks, fault
    /// points and errors, without the kernel walking the folders above `dir` again for each file.
    static func readWithStatus(at dir: FileDescriptor, _ path: String, limit: Int = .max) throws(ReadFailure) -> (
        data: Data, status: FileStatus
    ) {
        let fd: FileDescriptor
        do throws(Errno) {
            try fault(.open)
            let raw = retrying { sysOpenat(dir.rawValue, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW) }
            if raw < 0 { throw Errno.current }
            fd = FileDescriptor(rawValue: raw)
        } catch {
            throw .system(error)
        }
        defer { fd.close() }
        return try readOpened(fd, limit: limit)
    }

    /// A folder opened to read the files below it with `readWithStatus(at:_:)` and `list(at:_:)`; a symbolic
    /// link is not followed. Not a fault point: a caller that cannot open it reads by full paths instead.
    static func openFolder(_ path: String) -> FileDescriptor? {
        let fd = retrying { sysOpen(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW, 0) }
        return fd < 0 ? nil : FileDescriptor(rawValue: fd)
    }

    /// `status` of `path` relative to the open folder `dir` (`fstatat` without following a final link).
    static func status(at dir: FileDescriptor, _ path: String) throws(Errno) -> FileStatus? {
        var st = stat()
        if retrying({ sysLstatat(dir.rawValue, path, &st) }) == 0 { return FileStatus(st) }
        if errno == ENOENT { return nil }
        throw Errno.current
    }

    enum ReadFailure: Error {
        case system(Errno)
        case tooLarge(Int)
        /// The system error, when there was one.
        var errno: Errno? {
            if case .system(let e) = self { return e }
            return nil
        }
    }

    /// Names in a folder (not `.` or `..`). A folder that cannot be listed, or whose listing fails part-way,
    /// throws: it is never taken for an empty one. A symbolic link is not followed (ELOOP).
    static func list(_ path: String) throws(Errno) -> [String] {
        try fault(.list)
        return try names(retrying { sysOpen(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW, 0) })
    }

    /// `list` of `path` relative to the open folder `dir` (`openat`).
    static func list(at dir: FileDescriptor, _ path: String) throws(Errno) -> [String] {
        try fault(.list)
        return try names(retrying { sysOpenat(dir.rawValue, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW) })
    }

    /// The names in the folder open as `fd` (-1: the open failed, with errno set); closes it.
    private static func names(_ fd: Int32) throws(Errno) -> [String] {
        if fd < 0 { throw Errno.current }
        guard let dir = fdopendir(fd) else {
            let e = Errno.current
            _ = sysClose(fd)
            throw e
        }
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
    static func pread(_ fd: FileDescriptor, count: Int, at offset: Int) throws(Errno) -> [UInt8] {
        try fault(.read)
        return try fd.read(count: count, at: offset)
    }

    /// Sleeps a short while (polling for a lock).
    static func pause(milliseconds: Int) { usleep(UInt32(milliseconds) * 1000) }

    /// This process's id (temp file names).
    static var processID: Int32 { getpid() }
}

/// The process's standard streams and command line, for the executable: writes that report failure instead
/// of trapping or raising SIGPIPE.
package enum ProcessIO {
    /// Writes all of `text` to `fd` (1 or 2); the error when it could not (a full disk, a closed pipe).
    package static func write(_ text: String, to fd: Int32) -> Errno? {
        // Straight from the string's own bytes: a whole region's `caseload --json` is tens of megabytes.
        var text = text
        return text.withUTF8 { b in
            do throws(Errno) { try FileDescriptor(rawValue: fd).writeAll(UnsafeRawBufferPointer(b)) } catch {
                return error
            }
            return nil
        }
    }

    /// Writes all of `bytes` to `fd`; the error when it could not.
    package static func write(bytes: [UInt8], to fd: Int32) -> Errno? {
        bytes.withUnsafeBytes { b in
            do throws(Errno) { try FileDescriptor(rawValue: fd).writeAll(b) } catch { return error }
            return nil
        }
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
///
/// A reader of a store it may not write (a backup snapshot, a read-only mount) opens the lock file read-only,
/// which still takes a shared lock; when there is no lock file to open it reads without one (`held` false).
final class FileLock {
    private let fd: FileDescriptor?

    /// Whether a lock is held (false only for a reader that found no lock file it could open).
    var held: Bool { fd != nil }

    /// Takes the lock, polling until `timeout` seconds have passed; nil when the lock stays held by another.
    init?(path: String, exclusive: Bool, timeout: Double) throws(Errno) {
        switch try FileLock.acquire(path: path, exclusive: exclusive, timeout: timeout) {
        case .busy: return nil
        case .held(let fd): self.fd = fd
        case .unlocked: self.fd = nil
        }
    }

    private enum Acquired {
        case held(FileDescriptor)
        case unlocked
        case busy
    }

    private static func acquire(path: String, exclusive: Bool, timeout: Double) throws(Errno) -> Acquired {
        let fd: FileDescriptor
        do {
            fd = try POSIX.open(path, O_RDWR | O_CREAT)
            try? fd.setPermissions(0o600)
        } catch {
            let readOnly = error == .permissionDenied || error == .readOnlyFileSystem
            guard readOnly && !exclusive else { throw error }
            do { fd = try POSIX.open(path, O_RDONLY) } catch {
                guard error == .noSuchFile || error == .permissionDenied else { throw error }
                return .unlocked
            }
        }
        // A monotonic clock: how long we have waited, not what time it is.
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int(timeout * 1000)))
        while true {
            do {
                if try fd.tryLock(exclusive: exclusive) { return .held(fd) }
            } catch {
                fd.close()
                throw error
            }
            if ContinuousClock.now >= deadline {
                fd.close()
                return .busy
            }
            POSIX.pause(milliseconds: 10)
        }
    }

    deinit {
        fd?.unlock()
        fd?.close()
    }
}
