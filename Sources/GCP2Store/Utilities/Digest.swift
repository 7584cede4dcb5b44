import CSHA256
import GCP2Core

/// The store's SHA-256 (document digests, the audit chain): the CPU's SHA instructions when it has them
/// (`CSHA256`, chosen at run time), the portable Swift code (`GCP2Core.SHA256`) otherwise. Both are run against the
/// NIST vectors; `doctor` hashes every document, so this is most of its work.
enum Digest {
    /// The lowercase hex SHA-256 of `bytes`.
    static func hex<Bytes: Sequence>(of bytes: Bytes) -> String where Bytes.Element == UInt8 {
        if let digest = bytes.withContiguousStorageIfAvailable({ hardware($0) }), let digest {
            return hexText(digest)
        }
        return portableHex(of: bytes)
    }

    /// The digest with the SHA instructions; nil when the CPU has none.
    static func hardware(_ buffer: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: 32)
        let done = out.withUnsafeMutableBufferPointer { d in
            csha256_hardware(buffer.baseAddress, buffer.count, d.baseAddress)
        }
        return done == 1 ? out : nil
    }

    /// Whether this CPU hashes with the SHA instructions.
    static var usesHardware: Bool { csha256_hardware_available() == 1 }

    /// The portable code's digest, whatever the CPU.
    static func portableHex<Bytes: Sequence>(of bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var h = SHA256()
        h.update(bytes)
        return hexText(h.finalize())
    }

    /// The 32 bytes of the SHA-256 of `bytes`.
    static func bytes(of bytes: [UInt8]) -> [UInt8] { bytes.withUnsafeBufferPointer { Digest.bytes(of: $0) } }

    /// The 32 bytes of the SHA-256 of the bytes at `buffer`.
    static func bytes(of buffer: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        if let digest = hardware(buffer) { return digest }
        var h = SHA256()
        h.update(buffer)
        return h.finalize()
    }

    static func hexText(_ digest: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(digest.count * 2)
        for b in digest {
            text.append(digits[Int(b >> 4)])
            text.append(digits[Int(b & 15)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
