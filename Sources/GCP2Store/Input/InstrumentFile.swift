import Foundation
import GCP2Core

/// The instrument file format: what a licensee supplies, what `instrument show --json` prints and what the store
/// keeps under `instruments/<digest>.json`. It is the definition (`Instrument`, in the domain) with the format's
/// version beside it; the digest that identifies an instrument is the SHA-256 of this canonical form.
public enum InstrumentFile {
    /// The newest instrument file format this build reads and the one it writes.
    public static let currentVersion = 1

    /// Decodes and validates an instrument file, reporting every problem with its JSON path. `checksText: false`
    /// reads an instrument already stored without holding its text to the `TextRule`s (it must stay readable).
    public static func load(from data: Data, checksText: Bool = true) throws(ValidationFailure) -> ValidatedInstrument {
        let definition: Instrument
        // Parsed once for the version probe and the definition, through the store's one decoder (a licensee's
        // instrument is read on every command of its store).
        let document = ParsedDocument(data)
        do {
            switch try Coding.decode(VersionProbe.self, from: document).schemaVersion {
            case nil:
                throw ValidationFailure([
                    Issue("schemaVersion", "missing key `schemaVersion`", expected: "the instrument format version, 1")
                ])
            case let v? where v > currentVersion:
                throw ValidationFailure([
                    Issue(
                        "schemaVersion", "instrument format version \(v) is newer than this build understands",
                        expected: "version \(currentVersion) or older; upgrade gcp2")
                ])
            case let v? where v < 1:
                throw ValidationFailure([Issue("schemaVersion", "unsupported version \(v)", expected: "1")])
            default:
                break
            }
            definition = try Coding.decode(Instrument.self, from: document)
        } catch let failure as ValidationFailure {
            throw failure
        } catch {
            throw ValidationFailure([Issue(decodingError: error)])
        }
        return try definition.validated(digest: Digest.hex(of: canonicalJSON(definition)), checksText: checksText)
    }

    /// The canonical file (sorted keys, trailing newline) of an instrument, in the current format version.
    public static func canonicalJSON(_ instrument: ValidatedInstrument) -> Data { canonicalJSON(instrument.definition) }

    static func canonicalJSON(_ definition: Instrument) -> Data { CanonicalJSON.document(Version1(definition: definition)) }

    /// Version 1: the definition's keys with `schemaVersion` beside them, in one object.
    private struct Version1: Encodable {
        let definition: Instrument
        enum Key: String, CodingKey { case schemaVersion }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(1, forKey: .schemaVersion)
            try definition.encode(to: encoder)
        }
    }
}

/// Reads only `schemaVersion`, to refuse newer formats before decoding the rest (instruments and store documents).
struct VersionProbe: Decodable, Sendable {
    var schemaVersion: Int?
}
