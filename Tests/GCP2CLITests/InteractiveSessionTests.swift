import Foundation
import GCP2Core
import TestSupport
import Testing

@testable import GCP2CLI
@testable import GCP2Store

/// Issue 17: an interactive recorder a practitioner can live with — Enter and `a` for suggested grades, `b` back,
/// `all` carers, `--new`, progress in every prompt, and end of input at any prompt saving and stopping with 0.
@Suite struct InteractiveSessionTests {
    /// One answer and the kind of prompt it answers.
    typealias Answer = (text: String, prompt: String)

    /// A whole session for the fixture family: Ada (18 items) and Bo (17 items), both carers, one visit.
    static let start: [Answer] = [
        ("2026-06-01", "date"), ("", "start"), ("all", "carers"), ("Sam Worker", "name"), ("social worker", "role"),
        ("East", "team"), ("2026-05-20", "visit"), ("n", "announced"), ("", "visits done"),
    ]
    static let adaItems: [Answer] =
        [("3", "grade"), ("Some meals missed.", "evidence"), ("n", "grade"), ("Not relevant this month.", "reason")]
        + Array(repeating: [("2", "grade"), ("Seen on a visit.", "evidence")], count: 16).flatMap { $0 }
    static let adaLevels: [Answer] = [
        ("", "confirm"), ("4", "confirm"), ("Worse on the unannounced visit.", "rationale"), ("a", "confirm"),
        ("I like my room.", "child's view"), ("y", "seen alone"), ("Things are better.", "a carer's view"),
        ("y", "the carer agrees"), ("", "a carer's view"), ("p", "the carer agrees"),
    ]
    static let bo: [Answer] =
        Array(repeating: [("1", "grade"), ("Very good care seen.", "evidence")], count: 17).flatMap { $0 }
        + [
            ("a", "confirm"), ("", "child's view"), ("too-young", "why no view"), ("Content, fed on time.", "daily life"),
            ("n", "seen alone"), ("A baby, always with a carer.", "why not alone"), ("", "a carer's view"),
            ("", "the carer agrees"), ("", "a carer's view"), ("", "the carer agrees"),
        ]
    static let session = start + adaItems + adaLevels + bo + [("y", "finalise")]

    static func texts(_ answers: [Answer]) -> [String] { answers.map(\.text) }

    static func assessment(_ fx: CLIFixture, _ id: String = "f-test01-a1") throws -> Assessment {
        try Store.open(at: fx.store).assessment(AssessmentID(rawValue: id)!)
    }

    @Test func enterConfirmsAndAcceptsTheRestOfAChildsSuggestionsEachPrinted() throws {
        let fx = try CLIFixture()
        let r = fx.run(["record", "--interactive", "f-test01"], input: Self.texts(Self.session))
        #expect(r.code == 0, "\(r.err)")
        #expect(r.out.contains("Finalised f-test01-a1"))
        // Ada: A.1 confirmed with Enter, A.2 overridden, the other 15 accepted with `a`; Bo: all 17 with `a`.
        let accepted = r.out.components(separatedBy: "\n").filter { $0.hasSuffix(" — accepted") }
        #expect(accepted.count == 15 + 17, "\(accepted.count)")
        #expect(accepted.contains { $0.hasPrefix("  A.4 Hygiene: suggested 2 (") })
        let a = try Self.assessment(fx)
        #expect(a.status == .final)
        #expect(a.carers.map(\.rawValue) == ["f-test01-p1", "f-test01-p2"])  // `all`
        let a2 = a.profiles[0].grades.first { $0.linkId == LinkID("physical.housing") }
        #expect(a2?.grade == Grade(rawValue: 4) && a2?.rationale == "Worse on the unannounced visit.")
        #expect(a.profiles[0].grades.filter { !($0.rationale ?? "").isEmpty }.count == 1)
        #expect(a.profiles[1].grades.allSatisfy { ($0.rationale ?? "").isEmpty })
    }

    @Test func promptsShowProgressAndLongTextsWrapAtWords() throws {
        let fx = try CLIFixture()
        let r = fx.run(["record", "--interactive", "f-test01"], input: Self.texts(Self.start + Self.adaItems.prefix(4)) + ["?"])
        #expect(r.code == 0)
        #expect(r.out.contains("item 1 of 18, child 1 of 2 · grade 1–5, n, s, ?, b, q: "))
        #expect(r.out.contains("item 3 of 18, child 1 of 2 · grade"))
        #expect(r.out.contains("── Ada Sample, 9 years 1 month · child 1 of 2 ──"))
        // Item texts and descriptors wrap at words within 80 columns (prompts share a line with what follows
        // when input is piped, so they are left out).
        let items = r.out.split(separator: "\n").filter { $0.hasPrefix("A.1.") || $0.hasPrefix("  ") && !$0.contains("item ") }
        #expect(items.count > 5)
        for line in items { #expect(line.count <= 80, "\(line)") }
        #expect(r.out.contains("       "))  // a descriptor continued on an indented line
    }

    @Test func backGoesBackOneAnswerAndIsAskedAgain() throws {
        let fx = try CLIFixture()
        var input = Self.texts(Self.start)
        input += ["b"]  // nothing to go back to yet
        input += ["3", "First try.", "b"]  // item 2: back to item 1
        input += ["5", "b", "4", "Second try."]  // item 1 again: `b` at the evidence asks its grade again
        input += ["2", "Item two."]
        let r = fx.run(["record", "--interactive", "f-test01"], input: input)
        #expect(r.code == 0, "\(r.err)")
        #expect(r.out.contains("Nothing to go back to in this session."))
        #expect(r.out.contains("Back one answer."))
        let ratings = try Self.assessment(fx).profiles[0].ratings
        #expect(ratings.count == 2)
        #expect(ratings.contains { $0.rating == .graded(Grade(rawValue: 4)!, evidence: "Second try.") })
        #expect(!ratings.contains { $0.rating == .graded(Grade(rawValue: 3)!, evidence: "First try.") })

        // At a grade to confirm, `b` returns to the grade before it; at the first grade, to the last item.
        let gx = try CLIFixture()
        var levels = Self.texts(Self.start + Self.adaItems)
        levels += ["", "b", "", "4", "Worse.", "b", "b", "b", "1", "Now very good.", "", "4", "Worse."]
        let g = gx.run(["record", "--interactive", "f-test01"], input: levels)
        #expect(g.code == 0, "\(g.err)")
        let ada = try Self.assessment(gx).profiles[0]
        #expect(ada.ratings.contains { $0.rating == .graded(Grade(rawValue: 1)!, evidence: "Now very good.") })
        #expect(ada.grades.contains { $0.linkId == LinkID("physical.housing") && $0.rationale == "Worse." })
    }

    @Test func newStartsAnotherAssessmentWhileADraftIsOpenAfterAsking() throws {
        let fx = try CLIFixture()
        #expect(fx.run(["record", "--interactive", "f-test01"], input: Self.texts(Self.start)).code == 0)
        let no = fx.run(["record", "--interactive", "f-test01", "--new"], input: ["n"])
        #expect(no.code == 0 && no.out.contains("Start a new assessment anyway?"))
        #expect(no.out.contains("Continuing the open draft f-test01-a1") && no.out.contains("Resume with:"))
        let eof = fx.run(["record", "--interactive", "f-test01", "--new"], input: [])
        #expect(eof.code == 0 && eof.err.isEmpty && eof.out.contains("nothing was saved"))
        let yes = fx.run(["record", "--interactive", "f-test01", "--new"], input: ["y"] + Self.texts(Self.start))
        #expect(yes.code == 0, "\(yes.err)")
        #expect(yes.out.contains("Started draft f-test01-a2"))
        #expect(try Self.assessment(fx, "f-test01-a1").status == .draft)
        #expect(try Self.assessment(fx, "f-test01-a2").status == .draft)
        let file = fx.write("a.json", "{}")
        #expect(fx.run(["record", file, "--new"]).code == 64)
    }

    /// End of input at the first prompt of every kind: exit 0, no error, and what to run next.
    @Test func endOfInputAtEveryPromptSavesAndStopsWithTheResumeCommand() throws {
        let base = try CLIFixture()
        var seen: Set<String> = []
        for (n, answer) in Self.session.enumerated() where seen.insert(answer.prompt).inserted {
            let fx = try CLIFixture(copying: base)
            let r = fx.run(["record", "--interactive", "f-test01"], input: Self.texts(Array(Self.session.prefix(n))))
            #expect(r.code == 0, "end of input at \(answer.prompt): \(r.err)")
            #expect(r.err.isEmpty, "end of input at \(answer.prompt): \(r.err)")
            #expect(!r.out.contains("Stop()") && !r.out.contains("unexpected"))
            if n < Self.start.count - 1 {
                #expect(
                    r.out.contains("nothing was saved. Start again with: gcp2 record --interactive f-test01"), "\(answer.prompt)")
            } else if answer.prompt == "finalise" {
                #expect(r.out.contains("Kept as a draft. Finalise later with: gcp2 finalise f-test01-a1"))
            } else {
                #expect(
                    r.out.contains("Draft f-test01-a1 saved. Resume with: gcp2 record --interactive f-test01"),
                    "\(answer.prompt)")
            }
        }
        #expect(seen.count == 22)
    }

    @Test func aSessionStoppedAtAGradeToConfirmResumesThere() throws {
        let fx = try CLIFixture()
        let stop = Self.start.count + Self.adaItems.count + 2  // at the rationale of Ada's override
        let r1 = fx.run(["record", "--interactive", "f-test01"], input: Self.texts(Array(Self.session.prefix(stop))))
        #expect(r1.code == 0 && r1.out.contains("Resume with:"))
        let r2 = fx.run(["record", "--interactive", "f-test01"], input: Self.texts(Self.adaLevels + Self.bo + [("y", "")]))
        #expect(r2.code == 0, "\(r2.err)")
        #expect(r2.out.contains("Resuming draft f-test01-a1") && r2.out.contains("Finalised f-test01-a1"))
        #expect(!r2.out.contains("item 1 of 18"))  // the items rated before are not asked again
    }

    /// The same through a pseudo-terminal (`script` from util-linux), with the built binary.
    @Test func aTerminalSessionStopsAtEndOfInputAndResumes() throws {
        guard let script = CompletionTests.which("script") else {
            print("interactive: `script` is not installed; the pseudo-terminal session was skipped")
            return
        }
        let fx = try CLIFixture()
        let env = ["GCP2_STORE": fx.store, "GCP2_TODAY": fx.today, "GCP2_ACTOR": "tester"]
        let command = "\(gcp2Binary) record --interactive f-test01"
        let part = Self.texts(Array(Self.session.prefix(Self.start.count + 6)))
        let r1 = try runProcess(
            script, ["-q", "-e", "-c", command, "/dev/null"], env: env, stdin: part.joined(separator: "\n") + "\n")
        #expect(r1.code == 0, "\(r1.out)")
        #expect(r1.out.contains("item 3 of 18, child 1 of 2"))
        #expect(r1.out.contains("Resume with: gcp2 record --interactive f-test01"))
        #expect(!r1.out.contains("error:"))
        let rest = Self.texts(Array(Self.session.dropFirst(Self.start.count + 6)))
        let r2 = try runProcess(
            script, ["-q", "-e", "-c", command, "/dev/null"], env: env, stdin: rest.joined(separator: "\n") + "\n")
        #expect(r2.code == 0, "\(r2.out)")
        #expect(r2.out.contains("Finalised f-test01-a1"))
        #expect(try Self.assessment(fx).status == .final)
    }
}
