import Foundation
import TestSupport
import Testing

@testable import GCP2Store

/// The store's SHA-256, both ways: the CPU's SHA instructions (`CSHA256`) and the portable Swift code, on the NIST
/// vectors, the padding edges (55, 56, 63, 64 bytes and one block on) and random messages of every length to 300.
@Suite struct DigestTests {
    enum Way: String, CaseIterable {
        case portable, hardware
    }

    /// The digest `way` gives; nil when this CPU has no SHA instructions (hardware only).
    static func hex(_ message: [UInt8], _ way: Way) -> String? {
        switch way {
        case .portable: return Digest.portableHex(of: message)
        case .hardware: return message.withUnsafeBufferPointer { Digest.hardware($0) }.map(Digest.hexText)
        }
    }

    static let vectors: [(String, String)] =
        sha256NISTVectors + [
            (String(repeating: "a", count: 55), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
            (String(repeating: "a", count: 56), "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
            (String(repeating: "a", count: 57), "f13b2d724659eb3bf47f2dd6af1accc87b81f09f59f2b75e5c0bed6589dfe8c6"),
            (String(repeating: "a", count: 63), "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
            (String(repeating: "a", count: 64), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
            (String(repeating: "a", count: 65), "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"),
            (String(repeating: "a", count: 119), "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"),
            (String(repeating: "a", count: 120), "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"),
            (String(repeating: "a", count: 128), "6836cf13bac400e9105071cd6af47084dfacad4e5e302c94bfed24e013afb73e"),
            (String(repeating: "a", count: 1_000_000), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
        ]

    @Test(arguments: Way.allCases)
    func nistVectorsAndPaddingEdges(way: Way) throws {
        if way == .hardware && !Digest.usesHardware { return }  // a CPU without SHA instructions: nothing to check
        for (message, digest) in Self.vectors {
            #expect(Self.hex(Array(message.utf8), way) == digest, "\(way): \(message.count) bytes")
        }
    }

    @Test func theHardwareIsUsedWhereTheCPUHasIt() throws {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let flags = cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") } ?? ""
        let has = flags.split(separator: " ").contains("sha_ni")
        if !cpuinfo.isEmpty { #expect(Digest.usesHardware == has) }
        #expect((Self.hex(Array("abc".utf8), .hardware) != nil) == Digest.usesHardware)
    }

    @Test func bothWaysAgreeOnEveryLengthTo300() {
        var rng = SplitMix64(seed: 256)
        for n in 0...300 {
            let message = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let portable = Self.hex(message, .portable)
            #expect(Digest.hex(of: message) == portable, "\(n) bytes")
            #expect(Digest.hex(of: Data(message)) == portable, "\(n) bytes as Data")
            if Digest.usesHardware { #expect(Self.hex(message, .hardware) == portable, "\(n) bytes") }
        }
    }
}
