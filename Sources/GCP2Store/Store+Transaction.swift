import Foundation
import GCP2Core

/// The documents one change writes or removes, gathered before anything touches the disk.
struct Transaction {
    var writes: [(path: String, data: Data)] = []
    var removes: [String] = []
    /// Paths written as new documents: created, never replacing a file of the same name.
    var creates: Set<String> = []
    var version: Int?
    var reason: String?
    /// The record the audit entry names, when only known while building (a new family's id).
    var record: String?

    /// SHA-256 of every document this change wrote or read, by path (so nothing is hashed twice).
    var digests: [String: String] = [:]

    /// Replaces (or writes) the document at `rel`.
    mutating func write(_ rel: String, _ data: Data) {
        writes.removeAll { $0.path == rel }
        writes.append((rel, data))
        digests[rel] = Digest.hex(of: data)
        creates.remove(rel)
    }

    /// Writes a new document at `rel`; the change fails rather than replace anything of that name.
    mutating func create(_ rel: String, _ data: Data) {
        write(rel, data)
        creates.insert(rel)
    }
}

extension Store {
    /// Runs one change under the exclusive lock: journal first, then each document atomically, then the audit entry.
    ///
    /// The durable journal is the commit point. Any failure before it throws and nothing has changed; once it is
    /// durable the change is saved: it is applied under the same lock, and if applying fails the failure is kept
    /// in `commits` (not thrown) and the next command that opens the store completes the change.
    func transaction(
        action: String, record: String, actor: String, now: Date,
        _ build: (inout Transaction) throws(StoreError) -> Void
    ) throws(StoreError) {
        do throws(StoreError) {
            // Who made the change is one line of the audit log and of `log`: no control character.
            if let issue = TextRule.line.issue(actor, at: "actor") { throw StoreError.invalid(file: nil, issues: [issue]) }
            try commitChange(action: action, record: record, actor: actor, now: now, build)
        } catch {
            abandonedChanges += 1
            throw error
        }
    }

    private func commitChange(
        action: String, record: String, actor: String, now: Date,
        _ build: (inout Transaction) throws(StoreError) -> Void
    ) throws(StoreError) {
        try withLock(exclusive: true) { () throws(StoreError) in
            try recover()
            var tx = Transaction()
            try build(&tx)
            try checkBeforeCommit(tx)
            let (seq, prev) = try auditTail()
            // The manifest carries the chain's head, checked against the log before anything is appended to it.
            var manifest: Manifest
            if let staged = tx.writes.first(where: { $0.path == "manifest.json" }) {
                manifest = try decodeDocument(
                    staged.data, at: "manifest.json", as: Manifest.self, current: Manifest.currentSchemaVersion)
            } else {
                manifest = try readManifest()
                try checkHead(manifest.head, againstLogEndingAt: seq - 1, digest: prev)
            }
            var digests: [String: String] = [:]
            for w in tx.writes { digests[w.path] = tx.digests[w.path] }
            for r in tx.removes { digests[r] = "removed" }
            // Written in the current format (a version 1 manifest is upgraded by the change that gives it a head).
            manifest.schemaVersion = Manifest.currentSchemaVersion
            // The log records the manifest without its head (the head names the line itself): at `init`, and
            // when a version 1 store gains its head.
            if manifest.head == nil { digests["manifest.json"] = Digest.hex(of: Coding.document(manifest.body)) }
            let entry = AuditEntry(
                schemaVersion: 1, seq: seq, time: now.wholeSeconds, actor: actor, action: action, record: tx.record ?? record,
                version: tx.version, reason: tx.reason, documents: digests, prev: prev)
            let line = String(decoding: Coding.line(entry), as: UTF8.self)
            manifest.head = ChainHead(seq: seq, digest: Digest.hex(of: Array(line.utf8)))
            tx.writes.removeAll { $0.path == "manifest.json" }
            tx.writes.append(("manifest.json", Coding.document(manifest)))
            let journal = Journal(
                writes: tx.writes.map {
                    Journal.Write(
                        path: $0.path, content: String(decoding: $0.data, as: UTF8.self),
                        create: tx.creates.contains($0.path) ? true : nil)
                },
                removes: tx.removes, audit: line)
            try beforeCommit?()
            try writeJournal(Coding.document(journal))
            // Committed: from here on nothing is reported as a failure the user would retry.
            var commit = Commit(action: action, record: tx.record ?? record, applyFailure: nil)
            do throws(StoreError) { try apply(journal, cleanAll: false) } catch { commit.applyFailure = error }
            noteCommit(commit)
        }
    }

    /// Refuses, before anything is written, a change that the store could not read back or that would replace
    /// a document: each document within `maxDocumentBytes` (derived files within `maxDerivedBytes`), and
    /// nothing at the name of each new document.
    private func checkBeforeCommit(_ tx: Transaction) throws(StoreError) {
        for w in tx.writes {
            let limit = Store.isDerived(w.path) ? Store.maxDerivedBytes : Store.maxDocumentBytes
            if w.data.count > limit { throw .tooLarge(path: full(w.path), bytes: w.data.count, limit: limit) }
        }
        for rel in tx.creates.sorted() {
            let exists: Bool
            do { exists = try POSIX.exists(full(rel)) } catch { throw .io(path: full(rel), reason: "\(error)", errno: error) }
            if exists { throw .wouldReplace(path: full(rel)) }
        }
    }

    /// Writes the journal durably, or throws with no journal left behind (nothing changed).
    ///
    /// If the journal is in place but the folder fsync fails, it is removed again and the change fails; only if the
    /// removal fails too is the journal left, and then the change counts as committed (the next command would roll
    /// it forward anyway).
    private func writeJournal(_ data: Data) throws(StoreError) {
        let file = full("journal.json")
        do {
            try POSIX.atomicWrite(data, to: file, syncFolder: false)
        } catch {
            throw .io(path: file, reason: "\(error)", errno: error)
        }
        do {
            try POSIX.fsyncDirectory(path)
        } catch {
            let failure = error
            do { try POSIX.unlink(file) } catch { return }  // the journal stays: committed after all
            try? POSIX.fsyncDirectory(path)
            throw .io(path: file, reason: "\(failure)")
        }
    }

    /// Rolls forward an interrupted change, if any. Call with the exclusive lock held.
    ///
    /// A journal is renamed into place whole, so one that cannot be read was damaged afterwards (or cannot be
    /// read now): it is never discarded; `journalUnreadable` stops every change until a person decides.
    func recover() throws(StoreError) {
        let rel = "journal.json"
        let file = full(rel)
        do {
            guard try POSIX.exists(file) else { return }
        } catch {
            throw .journalUnreadable(path: file, reason: "\(error)")
        }
        let journal = try readJournal()
        try apply(journal, cleanAll: true)
    }

    /// The pending journal; any failure to read or decode it is `journalUnreadable`. A journal carries documents
    /// of any permitted size, so it has no size limit of its own.
    func readJournal() throws(StoreError) -> Journal {
        let file = full("journal.json")
        let data: Data
        do {
            data = try POSIX.read(file)
        } catch {
            switch error {
            case .system(let e): throw .journalUnreadable(path: file, reason: e.description)
            case .tooLarge(let n): throw .journalUnreadable(path: file, reason: "\(n) bytes")
            }
        }
        let journal: Journal
        do {
            journal = try Coding.decode(Journal.self, from: data)
        } catch {
            throw .journalUnreadable(path: file, reason: "not a journal: \(Issue(decodingError: error))")
        }
        if journal.schemaVersion != 1 {
            throw .journalUnreadable(path: file, reason: "schemaVersion \(journal.schemaVersion), expected 1")
        }
        let named = journal.writes.map(\.path) + journal.removes
        if let bad = named.first(where: { !Store.isSafeRelativePath($0) || !Store.isDocumentPath($0) }) {
            throw .journalUnreadable(path: file, reason: "names a path that is not a store document: \(bad)")
        }
        // Its audit line must record exactly what it writes: a journal is the store's own, never a planted one.
        guard let entry = AuditEntry.read(line: Data(journal.audit.utf8)) else {
            throw .journalUnreadable(path: file, reason: "its audit line cannot be read")
        }
        for w in journal.writes where w.path != "manifest.json" {
            if entry.documents[w.path] != Digest.hex(of: Data(w.content.utf8)) {
                throw .journalUnreadable(path: file, reason: "\(w.path) differs from the digest its audit line records")
            }
        }
        for r in journal.removes where entry.documents[r] != "removed" {
            throw .journalUnreadable(path: file, reason: "removes \(r), which its audit line does not record")
        }
        return journal
    }

    /// A relative path inside the store: no `..`, no leading `/`, no empty component.
    static func isSafeRelativePath(_ rel: String) -> Bool {
        !rel.hasPrefix("/") && !rel.split(separator: "/", omittingEmptySubsequences: false).contains { $0.isEmpty || $0 == ".." }
    }

    /// A path of a kind the store writes: the manifest, an instrument, a family or assessment document, an index or
    /// caseload entry. Anything else in a journal was not written by gcp2.
    static func isDocumentPath(_ rel: String) -> Bool {
        let parts = rel.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        func family(_ s: String) -> FamilyID? { FamilyID(rawValue: s) }
        func json(_ s: String) -> String? { s.hasSuffix(".json") ? String(s.dropLast(5)) : nil }
        switch parts.count {
        case 1: return rel == "manifest.json"
        case 2:
            guard let stem = json(parts[1]) else { return false }
            switch parts[0] {
            case "instruments": return stem.count == 64 && stem.allSatisfy { $0.isHexDigit && !$0.isUppercase }
            case "index", "caseload": return family(stem) != nil
            default: return false
            }
        case 3: return parts[0] == "families" && family(parts[1]) != nil && parts[2] == "family.json"
        case 4:
            guard parts[0] == "families", let f = family(parts[1]), parts[2] == "assessments", let stem = json(parts[3]),
                let r = stem.range(of: ".v", options: .backwards), let v = Int(stem[r.upperBound...]), v >= 1,
                let a = AssessmentID(rawValue: String(stem[..<r.lowerBound]))
            else { return false }
            return Assessment.family(of: a) == f
        default: return false
        }
    }

    /// The `lstat` of the folders above the documents one pass reads, made once each (see `refuseLinks`).
    final class FolderStatuses {
        var statuses: [String: FileStatus?] = [:]
        /// The folders whose paths have passed the check: a second path in one of them asks the same questions of
        /// the same remembered statuses, so it passes too without asking them again.
        var passed: Set<Substring> = []
        /// A folder open for reading the files below it (`rel` is its path in the store), or nil.
        var base: (rel: String, fd: FileDescriptor)?

        /// The path below `base` for store path `rel`, or nil when `rel` is not below it.
        func belowBase(_ rel: String) -> (fd: FileDescriptor, path: Substring)? {
            guard let base, rel.utf8.count > base.rel.utf8.count + 1, rel.hasPrefix(base.rel) else { return nil }
            let rest = rel.utf8.dropFirst(base.rel.utf8.count)
            guard rest.first == UInt8(ascii: "/") else { return nil }
            return (base.fd, Substring(rest.dropFirst()))
        }

        /// Closes `base`.
        func close() {
            base?.fd.close()
            base = nil
        }
    }

    /// Refuses a path whose folders inside the store include a symbolic link (or are not folders): the store
    /// never reads or writes through a link, so a planted link cannot send a write outside it.
    ///
    /// With `folders`, each folder's `lstat` is made once for all the paths checked against it (`doctor` checks one
    /// family's documents in one pass); the questions asked of it are the same.
    func refuseLinks(_ rel: String, folders: FolderStatuses? = nil) throws(StoreError) {
        guard let folders else { return try refuseLinks(rel, statuses: nil) }
        // The folder part of `rel`: every prefix checked is in it.
        let folder = rel.utf8.lastIndex(of: UInt8(ascii: "/")).map { rel[..<$0] } ?? ""
        if folders.passed.contains(folder) { return }
        try refuseLinks(rel, statuses: folders)
        folders.passed.insert(folder)
    }

    private func refuseLinks(_ rel: String, statuses folders: FolderStatuses?) throws(StoreError) {
        var prefix = ""
        for part in rel.split(separator: "/").dropLast() {
            prefix += prefix.isEmpty ? String(part) : "/\(part)"
            let status: FileStatus?
            if let known = folders?.statuses[prefix] {
                status = known
            } else {
                do { status = try POSIX.status(full(prefix)) } catch {
                    throw .io(path: full(prefix), reason: "\(error)", errno: error)
                }
                folders?.statuses.updateValue(status, forKey: prefix)
            }
            guard let status else { return }  // not there yet: made by the write
            if status.kind != .directory {
                throw .io(
                    path: full(prefix),
                    reason: status.kind == .symbolicLink
                        ? "a symbolic link where the store keeps a folder; the store never follows links"
                        : "not a folder")
            }
        }
    }

    /// The manifest as stored now (a version 1 manifest reads as one without a head).
    func readManifest() throws(StoreError) -> Manifest {
        try readDocument("manifest.json", as: Manifest.self, current: Manifest.currentSchemaVersion, oldest: 1)
    }

    /// Refuses to extend a log that does not end where the manifest's head says: its last lines were removed, or
    /// lines were added outside gcp2. A manifest without a head (version 1) has nothing to check.
    func checkHead(_ head: ChainHead?, againstLogEndingAt seq: Int, digest: String) throws(StoreError) {
        guard let head, head.seq != seq || head.digest != digest else { return }
        throw .corrupt(
            path: full("audit.log"),
            issue: Issue(
                "", "the log ends at entry \(seq), but the manifest's head is entry \(head.seq) (\(head.digest.prefix(12))…)",
                expected: "the log to end at the manifest's head; entries were removed or added outside gcp2"))
    }

    private func apply(_ journal: Journal, cleanAll: Bool) throws(StoreError) {
        var folders: Set<String> = []
        for w in journal.writes {
            try refuseLinks(w.path)
            let target = full(w.path)
            let folder = (target as NSString).deletingLastPathComponent
            folders.insert(folder)
            let data = Data(w.content.utf8)
            do {
                try POSIX.makeDirectory(folder)
                if w.create == true {
                    try POSIX.createExclusive(data, at: target)
                } else {
                    try POSIX.atomicWrite(data, to: target)
                }
            } catch {
                guard error == .fileExists, w.create == true else { throw .io(path: target, reason: "\(error)", errno: error) }
                // Created by this journal before an interruption (same bytes), or something else is there.
                let existing: Data
                do { existing = try POSIX.read(target) } catch { throw .io(path: target, reason: "\(error)", errno: error.errno) }
                guard existing == data else { throw .wouldReplace(path: target) }
            }
        }
        for r in journal.removes {
            try refuseLinks(r)
            try? POSIX.unlink(full(r))
            folders.insert((full(r) as NSString).deletingLastPathComponent)
        }
        try appendAudit(journal.audit)
        do {
            try POSIX.unlink(full("journal.json"))
            try POSIX.fsyncDirectory(path)
        } catch {
            throw .io(path: full("journal.json"), reason: "\(error)", errno: error)
        }
        // The shared index folders hold an entry per family: listing them would make every change cost
        // as much as the store is large, so they are cleaned only when recovering from a crash.
        folders.insert(path)
        if !cleanAll { folders.subtract([full("index"), full("caseload")]) }
        for folder in folders { Store.removeTempFiles(in: folder) }
    }

    /// Deletes leftover `.name.tmp-*` files from interrupted writes in one folder (best effort: they are
    /// harmless and ignored by readers, so a folder that cannot be listed is left for the next time).
    static func removeTempFiles(in folder: String) {
        for name in (try? POSIX.list(folder)) ?? [] where name.hasPrefix(".") && name.contains(".tmp-") {
            try? POSIX.unlink("\(folder)/\(name)")
        }
    }

    /// The next sequence number and the digest of the last complete audit line; trims a torn last line.
    func auditTail() throws(StoreError) -> (seq: Int, prev: String) {
        guard let last = try lastAuditLine() else { return (1, AuditEntry.genesis) }
        guard let entry = AuditEntry.read(line: Data(last.utf8)) else {
            throw .corrupt(
                path: full("audit.log"), issue: Issue("", "the last audit entry cannot be read", expected: "a JSON line"))
        }
        return (entry.seq + 1, Digest.hex(of: Array(last.utf8)))
    }

    /// The last newline-terminated line of the audit log; a torn tail (no newline) is cut off first.
    private func lastAuditLine() throws(StoreError) -> String? {
        let file = full("audit.log")
        guard let size = POSIX.fileSize(file), size > 0 else { return nil }
        let fd: FileDescriptor
        do { fd = try POSIX.open(file, POSIX.readWrite) } catch { throw .io(path: file, reason: "\(error)", errno: error) }
        defer { fd.close() }
        var window = 4096
        while true {
            let start = max(0, size - window)
            let buf: [UInt8]
            do { buf = try POSIX.pread(fd, count: size - start, at: start) } catch {
                throw .io(path: file, reason: "\(error)", errno: error)
            }
            guard let lastNL = buf.lastIndex(of: 0x0A) else {
                if start == 0 {
                    // Nothing complete at all: the whole log is one torn line.
                    do { try fd.truncate(to: 0) } catch {
                        throw .io(path: file, reason: "cannot cut a torn last line: \(error)", errno: error)
                    }
                    return nil
                }
                window *= 4
                continue
            }
            if lastNL != buf.count - 1 {
                do {
                    try fd.truncate(to: start + lastNL + 1)
                    try POSIX.fsync(fd)
                } catch {
                    throw .io(path: file, reason: "cannot cut a torn last line: \(error)", errno: error)
                }
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
            let fd = try POSIX.open(file, POSIX.appendCreating)
            defer { fd.close() }
            try fd.setPermissions(0o600)
            try POSIX.writeAll(fd, Data((line + "\n").utf8))
            try POSIX.fsync(fd)
        } catch {
            throw .io(path: file, reason: "\(error)", errno: error)
        }
    }
}
