import Foundation
import GCP2Core
import GCP2Synth
import TestSupport
import Testing

@testable import GCP2CLI
@testable import GCP2Store

/// Every caseload view gives the same bytes whether its lines were computed from the entries or read from the
/// caseload snapshot, and the text table's faster measuring keeps its layout.
@Suite struct CaseloadSnapshotCLITests {
    @Test func everyCaseloadViewIsTheSameFromTheSnapshot() throws {
        let fx = try CLIFixture(populate: false)
        try SyntheticStore(families: 30, seed: 23).write(to: fx.store, now: fixedNow)
        // The snapshot keeps only entries left alone for its settling time.
        Thread.sleep(forTimeInterval: Double(CaseloadSnapshot.settleNanoseconds) / 1e9 + 0.2)
        let today = ["GCP2_TODAY": SyntheticStore.today.description]
        let views: [[String]] = [
            ["caseload"], ["caseload", "--json"], ["caseload", "--format", "csv"], ["caseload", "--format", "markdown"],
            ["caseload", "--by", "family"], ["caseload", "--flag", "drift"], ["caseload", "--wide"],
            ["caseload", "--as-of", "2025-06-30"], ["report", "caseload"],
        ]
        let snapshot = fx.store + "/" + CaseloadSnapshot.file
        for view in views {
            try? FileManager.default.removeItem(atPath: snapshot)
            let computed = fx.run(view, env: today)
            #expect(computed.code == 0, "\(view): \(computed.err)")
            #expect(FileManager.default.fileExists(atPath: snapshot), "\(view) writes the snapshot")
            // The snapshot just written is the whole caseload for the store as it is.
            if !view.contains("--as-of") {
                let store = try Store.open(at: fx.store)
                #expect(try store.caseloadCounting(asOf: SyntheticStore.today).reused == 30, "\(view)")
            }
            let fromSnapshot = fx.run(view, env: today)
            // Compared as bytes: `String` equality would let a name change between its composed and decomposed forms.
            #expect(fromSnapshot.code == computed.code, "\(view)")
            #expect(Array(fromSnapshot.out.utf8) == Array(computed.out.utf8), "\(view)")
            #expect(Array(fromSnapshot.err.utf8) == Array(computed.err.utf8), "\(view)")
        }
    }

    /// `fit(codes:width:)` adds up widths instead of measuring joined strings: the same result as measuring.
    @Test func flagCodesFitAsMeasured() {
        func measured(_ codes: [String], _ width: Int) -> String {
            let all = codes.joined(separator: " ")
            if Layout.displayWidth(all) <= width { return all }
            for k in stride(from: codes.count - 1, through: 0, by: -1) {
                let s = (codes.prefix(k) + ["+\(codes.count - k)"]).joined(separator: " ")
                if Layout.displayWidth(s) <= width { return s }
            }
            return "+\(codes.count)"
        }
        var rng = SplitMix64(seed: 5)
        let all = CaseFlag.allCases.map(CaseloadTable.code) + ["NAS*", "OUT*"]
        for _ in 0..<2000 {
            let codes = (0..<Int.random(in: 0...12, using: &rng)).map { _ in all.randomElement(using: &rng)! }
            let width = Int.random(in: 0...40, using: &rng)
            #expect(CaseloadTable.fit(codes: codes, width: width) == measured(codes, width), "\(codes) in \(width)")
        }
    }

    /// Display widths from the one-pass scan: ASCII by bytes, other text by characters, several lines by the widest.
    @Test func displayWidthsAreAsBefore() {
        let cases: [(String, Int)] = [
            ("", 0), ("abc", 3), ("– – 3", 5), ("Zoë", 3), ("e\u{301}", 1), ("ab\ncdef", 4), ("\n", 0),
            ("a\r\nbc", 2), (String(repeating: "x", count: 100), 100), ("日本", 2),
        ]
        for (text, width) in cases { #expect(Layout.displayWidth(text) == width, "\(text.debugDescription)") }
    }
}
