import Foundation

/// The one canonical JSON encoder of the package: sorted keys, no escaped slashes, ISO-8601 whole-second
/// timestamps; pretty-printed for documents and outputs, compact for audit lines. Stored documents, `--json`
/// outputs and instrument digests all go through it, so the same value always gives the same bytes.
package enum CanonicalJSON {
    package static func encoder(pretty: Bool = true) -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting =
            pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return e
    }

    /// Document bytes with a trailing newline: `CanonicalWriter`'s, or `JSONEncoder`'s for a value the writer
    /// refuses (the two write the same bytes; tests compare them). Encoding this package's own types cannot fail.
    package static func document<T: Encodable>(_ value: T) -> Data {
        if let bytes = CanonicalWriter.document(value) { return Data(bytes) }
        return referenceDocument(value)
    }

    /// The document as text, for output: made from the writer's bytes without a `Data` in between (a whole
    /// region's `caseload --json` is tens of megabytes).
    package static func text<T: Encodable>(_ value: T) -> String {
        if let bytes = CanonicalWriter.document(value) { return String(decoding: bytes, as: UTF8.self) }
        return String(decoding: referenceDocument(value), as: UTF8.self)
    }

    /// The document as `JSONEncoder` writes it: the reference `CanonicalWriter` is tested against.
    package static func referenceDocument<T: Encodable>(_ value: T) -> Data { try! encoder().encode(value) + [0x0A] }

    /// One compact line, without the newline.
    package static func line<T: Encodable>(_ value: T) -> Data { try! encoder(pretty: false).encode(value) }
}
