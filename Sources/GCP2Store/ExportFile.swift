import Foundation

/// A file gcp2 writes outside the store (a report): durable, private and never overwritten by accident.
public enum ExportFile {
    /// Writes `data` to `path` with mode 0600: a temp file in the same folder, fsync, then into place, then fsync
    /// the folder. Without `replace`, an existing file is refused (`.alreadyExists`) and left untouched, even if
    /// it appears while writing; with it, the file is replaced atomically.
    public static func write(_ data: Data, to path: String, replace: Bool) throws(StoreError) {
        let folder = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        if POSIX.isDirectory(path) { throw .cannotCreate(path: path, reason: "it is a folder") }
        if !replace && FileManager.default.fileExists(atPath: path) { throw .alreadyExists(path: path) }
        guard POSIX.isDirectory(folder) else { throw .cannotCreate(path: path, reason: "no folder \(folder)") }
        if replace {
            do { try POSIX.atomicWrite(data, to: path) } catch { throw .cannotCreate(path: path, reason: error.description) }
            return
        }
        let temp: String
        do { temp = try POSIX.writeTemp(data, for: path) } catch {
            throw .cannotCreate(path: path, reason: error.description)
        }
        // link(2) puts the file in place only if nothing is there: no window in which another file is replaced.
        do {
            defer { try? POSIX.unlink(temp) }
            try POSIX.link(temp, path)
        } catch {
            if error == .fileExists { throw .alreadyExists(path: path) }
            throw .cannotCreate(path: path, reason: error.description)
        }
        do { try POSIX.fsyncDirectory(folder) } catch { throw .io(path: folder, reason: error.description, errno: error) }
    }
}
