import Foundation
import GCP2Core
import GCP2Store

/// `init`, `instrument show`, `instrument validate`, `doctor`.
enum StoreCommands {
    static let policy = Option<String>(
        "policy", "FILE", kind: .file, help: "a JSON policy to use instead of the defaults")
    static let instrument = Option<String>(
        "instrument", "FILE", kind: .file, help: "a licensee's full instrument instead of gcp2-structure")
    static let instrumentFile = Argument<String>("FILE", kind: .file, help: "an instrument file (JSON)")
    static let repair = Flag(
        "repair", help: "rebuild stale index entries, restore modes and remove temp files (exit 65 while problems remain)")
    static let head = Flag("head", help: "print the audit chain's head (SEQ:DIGEST) to keep outside the store")
    static let expectHead = Option<ChainHead>(
        "expect-head", "SEQ:DIGEST", help: "check the audit log still holds this entry (a head kept outside the store)"
    ) { text in
        guard let h = ChainHead(text) else {
            throw UsageError.invalidValue(
                option: "--expect-head", value: text, expected: "SEQ:DIGEST as printed by `gcp2 doctor --head`")
        }
        return h
    }

    static let commands = [
        Command(
            "init", "create a store", options: [policy, instrument],
            examples: ["gcp2 --store ./cases init", "gcp2 --store ./cases init --instrument our-gcp2.json"], run: initStore),
        Command(
            "instrument show", "the instrument new assessments use",
            examples: ["gcp2 instrument show", "gcp2 instrument show --json > instrument.json"], run: instrumentShow),
        Command(
            "instrument validate", "check an instrument file", arguments: [instrumentFile],
            examples: ["gcp2 instrument validate our-gcp2.json"], run: instrumentValidate),
        Command(
            "doctor", "check every document, reference, the index and the audit chain", options: [repair, head, expectHead],
            discussion:
                "Keep the output of `gcp2 doctor --head` somewhere the store's writers cannot change; `gcp2 doctor --expect-head \"$(cat ~/gcp2-head.txt)\"` later finds even a consistent rewrite of the store.",
            examples: [
                "gcp2 doctor", "gcp2 doctor --repair", "gcp2 doctor --head > ~/gcp2-head.txt",
            ], run: doctor),
    ]

    @Sendable static func initStore(_ c: Context) throws {
        var policy = Policy.default
        if let file = try c.args.value(Self.policy) {
            policy = try Store.readPolicy(try c.readInput(file), file: file)
        }
        var instrument = Instrument.gcp2Structure
        if let file = try c.args.value(Self.instrument) {
            let data = try c.readInput(file)
            try Store.checkStrictJSON(data, file: file)
            do {
                instrument = try InstrumentFile.load(from: data)
            } catch {
                throw StoreError.invalid(file: file, issues: error.issues)
            }
        }
        // The strength band must end below needsWorkFrom, or a grade would be a strength and need work at once.
        let clash = policy.validate(bands: instrument.bands, at: "")
        if !clash.isEmpty {
            throw StoreError.invalid(file: try c.args.value(Self.policy) ?? c.args.value(Self.instrument), issues: clash)
        }
        let store = try Store.create(at: c.storePath, policy: policy, instrument: instrument, now: c.env.now)
        c.out.session.register(store)
        if c.json {
            c.out.json(InitOutput(path: store.path))
        } else {
            c.out.line("Created a gcp2 store at \(store.path), grading with \(instrument.id) \(instrument.version)")
            c.out.line("Next: gcp2 --store \(store.path) family add --ref REF   (or export GCP2_STORE=\(store.path))")
        }
    }

    @Sendable static func instrumentShow(_ c: Context) throws {
        let inst: ValidatedInstrument
        if let store = try? c.openStore() { inst = try store.currentInstrument() } else { inst = Instrument.gcp2Structure }
        if c.json {
            c.out.text(String(decoding: InstrumentFile.canonicalJSON(inst), as: UTF8.self))
            return
        }
        c.out.text(describe(inst))
    }

    /// "1–2", or "3" for a band of one grade.
    static func range(_ a: Int, _ b: Int) -> String { a == b ? "\(a)" : "\(a)–\(b)" }

    static func describe(_ inst: ValidatedInstrument) -> String {
        var s = "\(inst.definition.title)\n\(inst.id) \(inst.version) · digest \(inst.digest.prefix(16))…\n"
        s +=
            "Rules: sub-areas \(inst.definition.aggregation.subArea.rawValue), areas \(inst.definition.aggregation.area.rawValue)\n"
        s +=
            "Bands: \(range(1, inst.bands.strengthMax)) strength, \(range(inst.bands.strengthMax + 1, inst.bands.borderlineMax)) borderline, \(range(inst.bands.borderlineMax + 1, 5)) concern\n\n"
        // Each grade on its facets, one a line; then the structure with each level's link id after its title.
        s += "Grades (needs met · the carer's commitment · quality of care):\n"
        for g in inst.definition.scale.grades {
            s += Layout.wrapped("  \(g.grade)  ", "\(g.needsMet) · \(g.commitment) · \(g.quality)", indent: "     ") + "\n"
        }
        s += "\nAreas, sub-areas and items (code, title, ages, link id):\n"
        var lines: [String] = []
        for a in inst.areas {
            lines.append(Layout.wrapped("  \(a.code)  ", "\(a.title) · \(a.linkId)", indent: "      "))
            for sub in a.subAreas {
                lines.append(Layout.wrapped("    \(sub.code)  ", "\(sub.title) · \(sub.linkId)", indent: "        "))
                for i in sub.items {
                    var ages = ""
                    if let r = i.ages {
                        ages =
                            " ("
                            + (r.toMonths.map { "\(r.fromMonths ?? 0)–\($0 - 1) months" } ?? "from \(r.fromMonths ?? 0) months")
                            + ")"
                    }
                    lines.append(
                        Layout.wrapped("      \(i.code)  ", "\(i.title)\(ages) · \(i.linkId)", indent: "          "))
                }
            }
        }
        s += lines.joined(separator: "\n") + "\n"
        for sub in inst.definition.substitutions {
            s +=
                "\n"
                + Layout.wrapped(
                    "Substitution: ",
                    "\(inst.node(sub.subArea)?.title ?? "") may be graded from \(inst.node(sub.from)?.title ?? "") when \(sub.when), with a comment.",
                    indent: "  ") + "\n"
        }
        return s
    }

    @Sendable static func instrumentValidate(_ c: Context) throws {
        let file = try c.args.required(instrumentFile)
        let data = try c.readInput(file)
        do {
            try Store.checkStrictJSON(data, file: file)
        } catch {
            if c.json, case .invalid(_, let issues) = error {
                c.out.json(ValidationReport(file: file, valid: false, problems: issues.map(Problem.init)))
            }
            throw error
        }
        // Checked against the store's policy when there is a store, else the default policy.
        let policy = (try? c.openStore())?.policy ?? .default
        do throws(ValidationFailure) {
            let inst = try InstrumentFile.load(from: data)
            let clash = policy.validate(bands: inst.bands, at: "")
            if !clash.isEmpty {
                let issues = clash.map {
                    Issue("bands.strengthMax", $0.problem, expected: "a strength band ending below \(policy.needsWorkFrom)")
                }
                throw ValidationFailure(issues)
            }
            if c.json {
                c.out.json(
                    ValidationReport(
                        file: file, valid: true, problems: [], id: inst.id, version: inst.version, digest: inst.digest))
            } else {
                let items = inst.areas.flatMap(\.subAreas).flatMap(\.items).count
                c.out.line(
                    "\(file) is a valid instrument: \(inst.id) \(inst.version), \(inst.areas.count) areas, \(inst.areas.flatMap(\.subAreas).count) sub-areas, \(items) items"
                )
                c.out.line("digest \(inst.digest)")
            }
        } catch {
            if c.json { c.out.json(ValidationReport(file: file, valid: false, problems: error.issues.map(Problem.init))) }
            throw StoreError.invalid(file: file, issues: error.issues)
        }
    }

    @Sendable static func doctor(_ c: Context) throws {
        let store = try c.openStore()
        if c.args.flag(Self.head) {
            guard let head = try store.chainHead() else {
                throw CLIFailure(message: "the audit log has no entry yet", hint: nil, code: .dataError)
            }
            if c.json { c.out.json(HeadOutput(head: head)) } else { c.out.line(head.description) }
            return
        }
        let expected = try c.args.value(expectHead)
        let repair = c.args.flag(Self.repair)
        let report = try store.doctor(repair: repair, expectedHead: expected)
        let remaining = report.remaining
        if c.json {
            c.out.json(DoctorOutput(report: report))
        } else {
            c.out.line(
                "Checked \(Layout.count(report.families, "family", "families")), \(Layout.count(report.assessments, "assessment", "assessments")), \(Layout.count(report.auditEntries, "audit entry", "audit entries"))."
            )
            if report.leftoverTempFiles > 0 {
                c.out.text(
                    Layout.wrapped(
                        "",
                        "\(report.leftoverTempFiles) leftover temporary file\(report.leftoverTempFiles == 1 ? "" : "s") from interrupted writes: harmless, removed by the next change or `gcp2 doctor --repair`.",
                        indent: "  "))
            }
            if report.isClean {
                c.out.text(
                    Layout.wrapped(
                        "",
                        "No problems found: every document reads, every reference resolves, every document is accounted for by the audit log, the index and the audit chain are intact.",
                        indent: "  "))
            } else {
                c.out.line("\(report.findings.count) problem\(report.findings.count == 1 ? "" : "s") found:")
                for f in report.findings { c.out.line("  \(f.path): \(f.problem)") }
            }
            if let head = report.head { c.out.line("Chain head: \(head)") }
        }
        if !remaining.isEmpty {
            let n = remaining.count
            throw CLIFailure(
                message: "the store has \(n) problem\(n == 1 ? "" : "s")\(repair ? " that a repair cannot fix" : "")",
                hint: repair
                    ? "restore the documents named from a backup; a repair never rebuilds the index from a document the audit log does not vouch for"
                    : "`gcp2 doctor --repair` rebuilds index entries, restores modes and removes temp files; damaged documents need restoring from backup",
                code: .dataError)
        }
    }
}

/// `doctor --head --json`.
struct HeadOutput: Codable {
    var schemaVersion = 1
    var head: ChainHead
}

/// The `--json` result of `validate` and `instrument validate`.
struct ValidationReport: Codable {
    var schemaVersion = 1
    var file: String
    var valid: Bool
    var problems: [Problem]
    var id: String?
    var version: String?
    var digest: String?
}

/// One problem in a JSON report.
struct Problem: Codable {
    var path: String
    var problem: String
    var expected: String?
    /// The child's name and the item's code and title, when the path names them.
    var subject: String?
    init(_ i: Issue) {
        path = i.path
        problem = i.problem
        expected = i.expected
        subject = i.subject
    }
}

/// `init --json`.
struct InitOutput: Codable {
    var schemaVersion = 1
    var path: String
    var status = "created"
}

/// `doctor --json`.
struct DoctorOutput: Encodable {
    var schemaVersion = 1
    var report: DoctorReport
}
