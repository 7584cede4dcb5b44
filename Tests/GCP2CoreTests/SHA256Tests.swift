import Foundation
import GCP2Core
import TestSupport
import Testing

@Suite struct SHA256Tests {
    // NIST FIPS 180-4 example vectors (shared with the store's hardware SHA-256 tests).
    @Test(arguments: sha256NISTVectors)
    func nistVectors(message: String, digest: String) {
        #expect(SHA256.hex(of: Array(message.utf8)) == digest)
    }

    @Test func millionAs() {
        #expect(
            SHA256.hex(of: [UInt8](repeating: 0x61, count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func incrementalEqualsOneShot() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        var h = SHA256()
        for chunk in stride(from: 0, to: bytes.count, by: 63) { h.update(bytes[chunk..<min(chunk + 63, bytes.count)]) }
        let hex = h.finalize().map { String(format: "%02x", $0) }.joined()
        #expect(hex == SHA256.hex(of: bytes))
    }
}
