import Foundation
import GCP2Core

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// The documents one change writes or removes, gathered before anything touches the disk.
struct Transaction {
    var writes: [(path: String, data: Data)] = []
    var removes: [String] = []
    var version: Int?
    var reason: String?
    /// The record the audit entry names, when only known while building (a new family's id).
    var record: String?

    /// SHA-256 of every document this change wrote or read, by path (so nothing is hashed twice).
    var digests: [String: String] = [:]

    mutating func write(_ rel: String, _ data: Data) {
        writes.removeAll { $0.path == rel }
        writes.append((rel, data))
        digests[rel] = SHA256.hex(of: data)
    }
}

extension Store {
    /// Runs one change under the exclusive lock: journal first, then each document atomically, then the audit entry.
    ///
    /// A crash at any instant leaves a journal that the next command rolls forward, so the change happens
    /// entirely or (if the journal itself was not yet durable) not at all.
    func transaction(
        action: String, record: String, actor: String, now: Date,
        _ build: (inout Transaction) throws(StoreError) -> Void
    ) throws(StoreError) {
        try withLock(exclusive: true) { () throws(StoreError) in
            try recover()
            var tx = Transaction()
            try build(&tx)
            let (seq, prev) = try auditTail()
            var digests: [String: String] = [:]
            for w in tx.writes { digests[w.path] = tx.digests[w.path] }
            for r in tx.removes { digests[r] = "removed" }
            let entry = AuditEntry(
                schemaVersion: 1, seq: seq, time: now.wholeSeconds, actor: actor, action: action, record: tx.record ?? record,
                version: tx.version, reason: tx.reason, documents: digests, prev: prev)
            let line = String(decoding: Coding.line(entry), as: UTF8.self)
            let journal = Journal(
                writes: tx.writes.map { Journal.Write(path: $0.path, content: String(decoding: $0.data, as: UTF8.self)) },
                removes: tx.removes, audit: line)
            do {
                try POSIX.atomicWrite(Coding.document(journal), to: full("journal.json"))
            } catch {
                throw .io(path: full("journal.json"), reason: "\(error)")
            }
            try apply(journal, cleanAll: false)
        }
    }

    /// Rolls forward an interrupted change, if any. Call with the exclusive lock held.
    func recover() throws(StoreError) {
        let rel = "journal.json"
        guard POSIX.fileSize(full(rel)) != nil else { return }
        let journal: Journal
        do {
            journal = try Coding.decoder().decode(Journal.self, from: try readData(rel))
        } catch {
            // A journal is renamed into place whole, so a damaged one was never acted on: drop it.
            try? POSIX.unlink(full(rel))
            return
        }
        try apply(journal, cleanAll: true)
    }

    private func apply(_ journal: Journal, cleanAll: Bool) throws(StoreError) {
        var folders: Set<String> = []
        for w in journal.writes {
            let target = full(w.path)
            let folder = (target as NSString).deletingLastPathComponent
            folders.insert(folder)
            do {
                try POSIX.makeDirectory(folder)
                try POSIX.atomicWrite(Data(w.content.utf8), to: target)
            } catch {
                throw .io(path: target, reason: "\(error)")
            }
        }
        for r in journal.removes {
            try? POSIX.unlink(full(r))
            folders.insert((full(r) as NSString).deletingLastPathComponent)
        }
        try appendAudit(journal.audit)
        do {
            try POSIX.unlink(full("journal.json"))
            try POSIX.fsyncDirectory(path)
        } catch {
            throw .io(path: full("journal.json"), reason: "\(error)")
        }
        // The shared index folders hold an entry per family: listing them would make every change cost
        // as much as the store is large, so they are cleaned only when recovering from a crash.
        folders.insert(path)
        if !cleanAll { folders.subtract([full("index"), full("caseload")]) }
        for folder in folders { Store.removeTempFiles(in: folder) }
    }

    /// Deletes leftover `.name.tmp-*` files from interrupted writes in one folder.
    static func removeTempFiles(in folder: String) {
        for name in POSIX.list(folder) ?? [] where name.hasPrefix(".") && name.contains(".tmp-") {
            try? POSIX.unlink("\(folder)/\(name)")
        }
    }

    /// The next sequence number and the digest of the last complete audit line; trims a torn last line.
    func auditTail() throws(StoreError) -> (seq: Int, prev: String) {
        guard let last = try lastAuditLine() else { return (1, AuditEntry.genesis) }
        guard let entry = try? Coding.decoder().decode(AuditEntry.self, from: Data(last.utf8)) else {
            throw .corrupt(
                path: full("audit.log"), issue: Issue("", "the last audit entry cannot be read", expected: "a JSON line"))
        }
        return (entry.seq + 1, SHA256.hex(of: Array(last.utf8)))
    }

    /// The last newline-terminated line of the audit log; a torn tail (no newline) is cut off first.
    private func lastAuditLine() throws(StoreError) -> String? {
        let file = full("audit.log")
        guard let size = POSIX.fileSize(file), size > 0 else { return nil }
        let fd: Int32
        do { fd = try POSIX.open(file, O_RDWR) } catch { throw .io(path: file, reason: "\(error)") }
        defer { POSIX.close(fd) }
        var window = 4096
        while true {
            let start = max(0, size - window)
            var buf = [UInt8](repeating: 0, count: size - start)
            let n = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(start)) }
            guard n == buf.count else { throw .io(path: file, reason: "short read") }
            guard let lastNL = buf.lastIndex(of: 0x0A) else {
                if start == 0 {
                    // Nothing complete at all: the whole log is one torn line.
                    _ = ftruncate(fd, 0)
                    return nil
                }
                window *= 4
                continue
            }
            if lastNL != buf.count - 1 {
                _ = ftruncate(fd, off_t(start + lastNL + 1))
                try? POSIX.fsync(fd)
            }
            let before = buf[..<lastNL].lastIndex(of: 0x0A)
            if before == nil && start > 0 {
                window *= 4
                continue
            }
            let lineStart = before.map { $0 + 1 } ?? 0
            return String(decoding: buf[lineStart..<lastNL], as: UTF8.self)
        }
    }

    /// Appends one line unless it is already the last line (a journal replayed after its append).
    private func appendAudit(_ line: String) throws(StoreError) {
        let file = full("audit.log")
        if let last = try lastAuditLine(), last == line { return }
        do {
            let fd = try POSIX.open(file, O_WRONLY | O_APPEND | O_CREAT)
            defer { POSIX.close(fd) }
            _ = fchmod(fd, 0o600)
            try POSIX.writeAll(fd, Data((line + "\n").utf8))
            try POSIX.fsync(fd)
        } catch {
            throw .io(path: file, reason: "\(error)")
        }
    }
}
