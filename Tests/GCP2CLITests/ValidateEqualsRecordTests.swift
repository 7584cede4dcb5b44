import Foundation
import TestSupport
import Testing

/// Issue 18, item 1: `validate` runs everything `record` would, short of writing — one validation path.
@Suite struct ValidateEqualsRecordTests {
    /// A filled template with `edit` applied to its top-level object.
    func variant(_ fx: CLIFixture, _ name: String, _ edit: (inout [String: Any]) -> Void) throws -> String {
        var obj =
            try JSONSerialization.jsonObject(with: Data(try fx.filledTemplate(grade: 2, date: "2026-05-01").utf8))
            as! [String: Any]
        edit(&obj)
        return fx.write(name, String(decoding: try JSONSerialization.data(withJSONObject: obj), as: UTF8.self))
    }

    @Test func validateRefusesWhatRecordRefuses() throws {
        let fx = try CLIFixture()
        #expect(
            fx.run(["record", fx.write("a1.json", try fx.filledTemplate(grade: 2, date: "2026-03-01")), "--final"]).code == 0)
        let cases: [(String, (inout [String: Any]) -> Void, String)] = [
            ("other-family-id", { $0["id"] = "f-other9-a1" }, "does not belong to family"),
            ("existing-final-id", { $0["id"] = "f-test01-a1" }, "cannot be changed in place"),
            (
                "unknown-instrument",
                { $0["instrument"] = ["id": "made-up", "version": "9", "digest": String(repeating: "a", count: 64)] },
                "not in this store"
            ),
            ("malformed-id", { $0["id"] = "../escape" }, "identifier"),
            ("schema-999", { $0["schemaVersion"] = 999 }, "schemaVersion"),
        ]
        for (name, edit, words) in cases {
            let file = try variant(fx, "\(name).json", edit)
            let before = fx.snapshot()
            let v = fx.run(["validate", file, "--final"])
            let r = fx.run(["record", file, "--final"])
            #expect(v.code != 0, "validate accepted \(name)")
            #expect(v.code == r.code, "\(name): validate \(v.code), record \(r.code)")
            #expect(v.err.contains(words) && r.err.contains(words), "\(name): \(v.err) / \(r.err)")
            #expect(fx.snapshot() == before, "\(name) changed the store")
        }
        // And a file both accept is accepted by both.
        let good = try variant(fx, "good.json") { _ in }
        #expect(fx.run(["validate", good, "--final"]).code == 0)
        #expect(fx.run(["record", good, "--final"]).code == 0)
    }
}
