import Foundation
import GCP2Core
import GCP2Synth
import Testing

@testable import GCP2CLI
@testable import GCP2Store

/// One generated store shared by the caseload query tests (generating one takes seconds), removed at exit.
enum QueryStore {
    static let path: String = {
        let dir = NSTemporaryDirectory() + "gcp2-query-" + UUID().uuidString
        try! SyntheticStore(families: 60, seed: 13).write(to: dir, now: fixedNow)
        atexit { try? FileManager.default.removeItem(atPath: QueryStore.path) }
        return dir
    }()

    /// Runs gcp2 in-process on the shared store, as of the generator's today.
    static func run(_ args: [String]) -> (code: Int32, out: String, err: String) {
        let cap = Capture()
        let env = CLIEnvironment(
            write: cap.write, writeError: cap.writeError, readLine: cap.readLine,
            variables: ["GCP2_STORE": path, "GCP2_TODAY": SyntheticStore.today.description], now: fixedNow,
            workingDirectory: NSTemporaryDirectory())
        let code = GCP2CLI.run(args, environment: env)
        return (code, cap.stdout, cap.stderr)
    }

    struct Output: Decodable {
        var caseload: Caseload
        var query: Query
        struct Query: Decodable {
            var filters: [String]
            var sort: String
            var matched: Count
            var listed: Count
        }
        struct Count: Decodable, Equatable {
            var children: Int
            var families: Int
        }
    }

    /// `caseload --json` with `args`, decoded.
    static func json(_ args: [String]) throws -> Output {
        let r = run(["caseload", "--json"] + args)
        #expect(r.code == 0 && r.err.isEmpty, "\(args): \(r.err)")
        return try JSONDecoder().decode(Output.self, from: Data(r.out.utf8))
    }

    /// The unfiltered caseload, in the domain's severity order.
    static let all: Caseload = try! json([]).caseload

    /// Each assessment's assessors, read straight from the store (not through the CLI).
    static let assessors: [AssessmentID: [Assessor]] = {
        let store = try! Store.open(at: path)
        var out: [AssessmentID: [Assessor]] = [:]
        for id in Set(all.lines.compactMap(\.latestAssessment)) { out[id] = try! store.assessment(id).assessors }
        return out
    }()
}

/// Completed years from `born` to `date`, computed here without the domain's helper.
private func age(_ born: CalendarDate, on date: CalendarDate) -> Int {
    (date.year - born.year) - ((date.month, date.day) < (born.month, born.day) ? 1 : 0)
}

@Suite struct CaseloadFilterTests {
    let today = SyntheticStore.today

    /// Each filter through the CLI equals the unfiltered caseload filtered here, in the same order.
    @Test func eachFilterEqualsTheUnfilteredCaseloadFilteredHere() throws {
        let all = QueryStore.all.lines
        #expect(all.count > 100)
        let teams = Set(QueryStore.assessors.values.flatMap { $0.compactMap(\.team) }).sorted()
        let names = Set(QueryStore.assessors.values.flatMap { $0.map(\.name) }).sorted()
        let team = try #require(teams.first), name = try #require(names.dropFirst(3).first)
        let refs = Array(Set(all.map(\.familyRef)).sorted().prefix(2))
        let someId = all[all.count / 2].familyId
        let latestDates = all.compactMap(\.latestDate).sorted()
        let from = latestDates[latestDates.count / 3], to = latestDates[2 * latestDates.count / 3]
        func staff(_ l: CaseloadLine) -> [Assessor] { l.latestAssessment.flatMap { QueryStore.assessors[$0] } ?? [] }
        func area(_ l: CaseloadLine, _ id: String) -> CaseloadArea { l.areas.first { $0.linkId.rawValue == id }! }

        let cases: [([String], (CaseloadLine) -> Bool)] = [
            (["--flag", "drift"], { $0.flags.contains(.drift) }),
            (
                ["--flag", "severe-concern", "--flag", "target-missed"],
                { $0.flags.contains(.severeConcern) || $0.flags.contains(.targetMissed) }
            ),
            (["--trend", "deteriorating"], { $0.areas.contains { $0.trend == .deteriorating } }),
            (["--area", "safety", "--trend", "drift"], { area($0, "safety").trend == .drift }),
            (
                ["--area", "A", "--area", "emotional", "--trend", "improving", "--trend", "drift"],
                { l in [area(l, "physical"), area(l, "emotional")].contains { $0.trend == .improving || $0.trend == .drift } }
            ),
            (["--area", "b", "--grade-from", "4"], { (area($0, "safety").grade?.rawValue ?? 0) >= 4 }),
            (["--grade-from", "5"], { $0.areas.contains { ($0.grade?.rawValue ?? 0) >= 5 } }),
            (["--team", team.uppercased()], { staff($0).contains { $0.team == team } }),
            (["--assessor", name.lowercased()], { staff($0).contains { $0.name == name } }),
            (["--family", refs[0].lowercased(), "--family", refs[1]], { refs.contains($0.familyRef) }),
            (["--family", someId.rawValue], { $0.familyId == someId }),
            (["--age-from", "13"], { age($0.born, on: today) >= 13 }),
            (["--age-to", "4"], { age($0.born, on: today) <= 4 }),
            (["--age-from", "5", "--age-to", "10"], { (5...10).contains(age($0.born, on: today)) }),
            (["--overdue"], { $0.flags.contains(.reviewOverdue) }),
            (["--needs-work-days", "365"], { ($0.currentSpellDays ?? 0) >= 365 }),
            (["--assessed-from", from.description], { $0.latestDate.map { $0 >= from } ?? false }),
            (["--assessed-to", to.description], { $0.latestDate.map { $0 <= to } ?? false }),
            (
                ["--assessed-from", from.description, "--assessed-to", to.description],
                { $0.latestDate.map { $0 >= from && $0 <= to } ?? false }
            ),
            (["--never-assessed"], { $0.latestDate == nil }),
            // AND across options: "which of my children are drifting and overdue, in this team".
            (
                ["--flag", "drift", "--overdue", "--team", team],
                { l in l.flags.contains(.drift) && l.daysOverdue != nil && staff(l).contains { $0.team == team } }
            ),
        ]
        for (args, keep) in cases {
            let expected = all.filter(keep)
            let got = try QueryStore.json(args)
            #expect(got.caseload.lines.map(\.childId) == expected.map(\.childId), "\(args)")
            #expect(
                got.query.matched
                    == QueryStore.Output.Count(children: expected.count, families: Set(expected.map(\.familyId)).count),
                "\(args)")
            #expect(got.query.filters.count >= 1, "\(args)")
            // Whole-caseload counts stay those of the whole caseload.
            #expect(got.caseload.children == all.count && got.caseload.flagCounts == QueryStore.all.flagCounts)
            // Something is being tested: each filter keeps some children and drops others.
            #expect(!expected.isEmpty && expected.count < all.count, "\(args) keeps \(expected.count) of \(all.count)")
        }
    }

    @Test func badValuesAreUsageErrorsNamingTheValidOnes() {
        let cases: [([String], String)] = [
            (["--area", "safety"], "--area needs --trend T or --grade-from N"),
            (["--flag", "drfit"], "one of: severe-concern, deteriorating, escalation-review-due, drift"),
            (["--trend", "worse"], "one of: deteriorating, drift, improvement-lost"),
            (["--area", "care", "--trend", "drift"], "physical (A), safety (B), emotional (C), developmental (D)"),
            (["--grade-from", "6"], "a grade 1 to 5"),
            (["--sort", "name"], "one of: severity, overdue, spell, cumulative, ref, latest"),
            (["--by", "school"], "expected family"),
            (["--limit", "0"], "a whole number 1 or more"),
            (["--age-from", "ten"], "a whole number 0 or more"),
            (["--age-from", "12", "--age-to", "3"], "no child can match"),
            (["--assessed-from", "2026-02-30"], "a date YYYY-MM-DD"),
            (["--never-assessed", "--assessed-to", "2026-01-01"], "--never-assessed"),
            (["--format", "xlsx"], "one of: text, markdown, csv, json"),
            (["--json", "--format", "csv"], "--json asks for JSON and --format for csv"),
            (["--agency", "north"], "unknown option '--agency'"),
        ]
        for (args, words) in cases {
            let r = QueryStore.run(["caseload"] + args)
            #expect(r.code == 64, "\(args)")
            #expect(r.err.contains(words), "\(args): \(r.err)")
            #expect(r.out.isEmpty)
        }
        #expect(QueryStore.run(["caseload", "--json", "--format", "json", "--limit", "1"]).code == 0)
        let child = QueryStore.all.lines[0].childId.rawValue
        let s = QueryStore.run(["summary", child, "--format", "csv"])
        #expect(s.code == 64 && s.err.contains("applies to `summary --family FAMILY`"))
        #expect(QueryStore.run(["summary", child, "--format", "json"]).code == 0)
    }
}

@Suite struct CaseloadOrderTests {
    /// Each sort key equals the unfiltered caseload sorted here by that key, ties in severity order.
    @Test func eachSortEqualsTheCaseloadSortedHere() throws {
        let all = QueryStore.all.lines
        let keys = all.map(\.severityKey)
        #expect(zip(keys, keys.dropFirst()).allSatisfy { !($0.1 < $0.0) })
        let indexed = Array(all.enumerated())
        func by<K: Comparable>(_ key: (CaseloadLine) -> K) -> [ChildID] {
            indexed.sorted { (key($0.element), $0.offset) < (key($1.element), $1.offset) }.map(\.element.childId)
        }
        let expected: [String: [ChildID]] = [
            "severity": all.map(\.childId),
            "overdue": by { -($0.daysOverdue ?? -1) },
            "spell": by { -($0.currentSpellDays ?? -1) },
            "cumulative": by { -$0.cumulativeDays },
            "ref": by { $0.familyRef },
            "latest": by { $0.latestDate?.description ?? "" },
        ]
        for (sort, ids) in expected {
            let got = try QueryStore.json(["--sort", sort])
            #expect(got.caseload.lines.map(\.childId) == ids, "--sort \(sort)")
            #expect(got.query.sort == sort)
            let limited = try QueryStore.json(["--sort", sort, "--limit", "7"])
            #expect(limited.caseload.lines.map(\.childId) == Array(ids.prefix(7)), "--sort \(sort) --limit 7")
            #expect(limited.query.listed.children == 7 && limited.query.matched.children == all.count)
        }
        // The orders differ, so each sort is really tested.
        #expect(Set(expected.values.map { $0.map(\.rawValue) }).count == expected.count)
    }

    /// `--by family`: one contiguous block per family, families in the order of their most severe child, children
    /// inside in severity order; `--limit` counts families.
    @Test func byFamilyGroupsInTheOrderOfEachFamilysMostSevereChild() throws {
        let all = QueryStore.all.lines
        var familyOrder: [FamilyID] = []
        for l in all where !familyOrder.contains(l.familyId) { familyOrder.append(l.familyId) }
        let expected = familyOrder.flatMap { f in all.filter { $0.familyId == f }.map(\.childId) }
        #expect(expected != all.map(\.childId))
        let got = try QueryStore.json(["--by", "family"])
        #expect(got.caseload.lines.map(\.childId) == expected)
        let three = try QueryStore.json(["--by", "family", "--limit", "3"])
        let firstThree = Set(familyOrder.prefix(3))
        #expect(three.caseload.lines.map(\.childId) == expected.filter { id in firstThree.contains(Family.family(of: id)!) })
        #expect(three.query.listed.families == 3)
        // With a filter, the family's place follows its most severe matching child.
        let drift = all.filter { $0.flags.contains(.drift) }
        var driftOrder: [FamilyID] = []
        for l in drift where !driftOrder.contains(l.familyId) { driftOrder.append(l.familyId) }
        let text = QueryStore.run(["caseload", "--flag", "drift", "--by", "family"])
        #expect(text.code == 0)
        let headings = text.out.split(separator: "\n").compactMap { line -> String? in
            guard let open = line.lastIndex(of: "("), line.hasSuffix(")"), !line.hasPrefix(" ") else { return nil }
            return String(line[line.index(after: open)..<line.index(before: line.endIndex)])
        }.filter { $0.hasPrefix("f-") }
        #expect(headings == driftOrder.map(\.rawValue))
    }
}

@Suite struct CaseloadTextTests {
    /// The default text fits 80 columns on every line, lists every child once, and states the counts.
    @Test(arguments: [[], ["--by", "family"], ["--flag", "drift", "--overdue", "--team", "synthetic team 3"]])
    func defaultTextFitsEightyColumns(args: [String]) throws {
        let r = QueryStore.run(["caseload"] + args)
        #expect(r.code == 0, "\(r.err)")
        for (n, line) in r.out.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            #expect(line.count <= 80, "line \(n + 1) has \(line.count) columns: \(line)")
        }
        let matched = try QueryStore.json(args)
        for l in matched.caseload.lines { #expect(r.out.components(separatedBy: l.childId.rawValue + " ").count == 2) }
        let c = QueryStore.all
        let flat = r.out.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        if matched.query.filters.isEmpty {
            #expect(flat.hasPrefix("Caseload as of \(c.asOf): \(c.children) children in \(c.families) families;"))
        } else {
            let m = matched.query.matched
            #expect(
                flat.hasPrefix(
                    "Caseload as of \(c.asOf): \(m.children) children in \(m.families) families match, of \(c.children) children in \(c.families) families;"
                ))
        }
        // The legend is printed once: one line per flag code (a filtered list: the flags its children carry).
        for f in CaseFlag.allCases {
            let carried = matched.query.filters.isEmpty || matched.caseload.lines.contains { $0.flags.contains(f) }
            #expect(r.out.components(separatedBy: "  \(CaseloadTable.code(f))  ").count == (carried ? 2 : 1), "\(f)")
        }
    }

    /// A long name is shortened in the 80-column table, never the columns after it; `--wide` shows it whole with
    /// the team and assessor.
    @Test func longNamesAreShortenedAndWideAddsTheColumns() throws {
        let fx = try CLIFixture()
        let long = "Maximiliana Theodora Wilhelmina Featherstonehaugh-Cholmondeley"
        #expect(fx.run(["child", "add", "f-test01", "--name", long, "--born", "2014-03-03"]).code == 0)
        let file = fx.write("a.json", try fx.filledTemplate(grade: 4, date: "2026-02-01"))
        #expect(fx.run(["record", file, "--final"]).code == 0)
        let r = fx.run(["caseload"])
        #expect(r.code == 0)
        for line in r.out.split(separator: "\n") { #expect(line.count <= 80, "\(line)") }
        #expect(r.out.contains("Maximiliana Theodora") && r.out.contains("… (12y)") && !r.out.contains(long))
        #expect(r.out.contains("OVD"))
        let w = fx.run(["caseload", "--wide"])
        #expect(w.out.contains(long) && w.out.contains("East") && w.out.contains("Sam Worker"))
        #expect(w.out.contains("baseline/baseline/baseline/baseline"))
        let header = try #require(w.out.split(separator: "\n").first { $0.contains("Overdue") })
        for column in ["Family", "Trends A/B/C/D", "Since", "Overdue", "Spell", "Days", "Team", "Assessor", "Flags"] {
            #expect(header.contains(column))
        }
    }
}

@Suite struct CaseloadExportTests {
    /// A store whose names look like spreadsheet formulas, hold commas, quotes and pipes.
    func fixture() throws -> CLIFixture {
        let fx = try CLIFixture()
        for (name, born) in [
            ("=HYPERLINK(\"http://x.invalid\",\"y\")", "2015-01-01"), ("+Plus Child", "2016-02-02"),
            ("-Minus Child", "2017-03-03"), ("@At Child", "2018-04-04"), ("Comma, \"Quoted\" | Piped", "2019-05-05"),
        ] {
            #expect(fx.run(["child", "add", "f-test01", "--name", name, "--born", born]).code == 0)
        }
        var filled = try fx.filledTemplate(grade: 4, date: "2026-02-01")
        filled = filled.replacingOccurrences(of: "Sam Worker", with: "=Sam|Worker").replacingOccurrences(
            of: "\"East\"", with: "\"-East, North\"")
        #expect(fx.run(["record", fx.write("a.json", filled), "--final"]).code == 0)
        return fx
    }

    /// CSV read back by Python's `csv` module: the documented header, one row per child, formulas defused.
    @Test func csvParsesBackWithPythonsCsvModule() throws {
        let fx = try fixture()
        let r = fx.run(["caseload", "--format", "csv"])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.out.hasSuffix("\r\n") && !r.out.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        let file = fx.write("caseload.csv", r.out)
        let script = "import csv, json, sys\nprint(json.dumps(list(csv.reader(open(sys.argv[1], newline='')))))"
        let p = try runProcess("/usr/bin/env", ["python3", "-c", script, file])
        #expect(p.code == 0, "\(p.err)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(p.out.utf8)) as? [[String]])
        let columns = [
            "family_id", "family_ref", "child_id", "child_name", "born", "age_years", "assessments", "latest_assessment",
            "latest_date", "physical_grade", "physical_trend", "safety_grade", "safety_trend", "emotional_grade",
            "emotional_trend", "developmental_grade", "developmental_trend", "worst_grade", "days_since_latest",
            "days_overdue", "current_spell_days", "cumulative_days", "spells", "severity", "flags", "teenager", "team",
            "assessor", "level",
        ]
        #expect(rows.first == columns)
        let body = rows.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(columns, $0)) }
        #expect(body.count == 7 && rows.allSatisfy { $0.count == columns.count })
        let names = Set(body.map { $0["child_name"]! })
        #expect(
            names == [
                "'=HYPERLINK(\"http://x.invalid\",\"y\")", "'+Plus Child", "'-Minus Child", "'@At Child",
                "Comma, \"Quoted\" | Piped", "Ada Sample", "Bo Sample",
            ])
        let ada = try #require(body.first { $0["child_name"] == "Ada Sample" })
        #expect(ada["team"] == "'-East, North" && ada["assessor"] == "'=Sam|Worker" && ada["level"] == "")
        #expect(ada["latest_date"] == "2026-02-01" && ada["born"] == "2017-04-02" && ada["age_years"] == "9")
        #expect(ada["physical_grade"] == "4" && ada["physical_trend"] == "baseline")
        #expect(ada["flags"]!.split(separator: ";").contains("review-overdue") && ada["days_overdue"] == "59")
        // The same rows as the JSON caseload, in the same order.
        let json = try JSONSerialization.jsonObject(with: Data(fx.run(["caseload", "--json"]).out.utf8)) as! [String: Any]
        let lines = (json["caseload"] as! [String: Any])["lines"] as! [[String: Any]]
        #expect(body.map { $0["child_id"]! } == lines.map { $0["childId"] as! String })
        // summary --family gives the family's rows, the same as the caseload's.
        let fam = fx.run(["summary", "--family", "f-test01", "--format", "csv"])
        #expect(fam.code == 0 && fam.out == r.out)
    }

    /// Long tables are built on both cores; the rows come back in order.
    @Test func rowsBuiltInParallelKeepTheirOrder() {
        for n in [0, 1, 2047, 2048, 5001] {
            let xs = Array(0..<n)
            #expect(CaseloadTable.parallelMap(xs) { "\($0 * 3)" } == xs.map { "\($0 * 3)" }, "\(n)")
        }
    }

    /// An assessment document that cannot be read leaves the team and assessor empty, with a warning; the caseload
    /// itself (read from the compact entries) is whole.
    @Test func anUnreadableAssessmentLeavesTeamAndAssessorEmptyWithAWarning() throws {
        let fx = try CLIFixture()
        #expect(fx.run(["record", fx.write("a.json", try fx.filledTemplate(grade: 4, date: "2026-02-01")), "--final"]).code == 0)
        let before = fx.run(["caseload", "--format", "csv"])
        #expect(before.code == 0 && before.err.isEmpty && before.out.contains("East,Sam Worker"))
        let doc = fx.store + "/families/f-test01/assessments/f-test01-a1.v1.json"
        #expect(FileManager.default.fileExists(atPath: doc))
        try Data("{ not json".utf8).write(to: URL(fileURLWithPath: doc))
        let after = fx.run(["caseload", "--format", "csv"])
        #expect(after.code == 0)
        #expect(after.err.contains("warning: the assessors of 1 assessment could not be read (f-test01-a1)"))
        #expect(after.out.split(separator: "\r\n").count == 3 && !after.out.contains("Sam Worker"))
        let team = fx.run(["caseload", "--team", "east"])
        #expect(team.code == 0 && team.out.contains("No child matches") && team.err.contains("could not be read"))
    }

    @Test func fieldsStartingWithAFormulaCharacterOrControlArePrefixed() {
        #expect(CaseloadTable.csvField("=1+1") == "'=1+1")
        #expect(CaseloadTable.csvField("\tTab") == "'\tTab")
        #expect(CaseloadTable.csvField("\rCR") == "\"'\rCR\"")
        #expect(CaseloadTable.csvField("a,b") == "\"a,b\"")
        #expect(CaseloadTable.csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CaseloadTable.csvField("2026-02-01") == "2026-02-01")
    }

    /// Markdown: a heading, then a table whose every row has the header's cell count, with `|` escaped.
    @Test func markdownIsATableOfEvenRows() throws {
        let fx = try fixture()
        for args in [["caseload", "--format", "markdown"], ["summary", "--family", "f-test01", "--format", "markdown"]] {
            let r = fx.run(args)
            #expect(r.code == 0, "\(r.err)")
            #expect(r.out.hasPrefix("## "))
            let table = r.out.split(separator: "\n").filter { $0.hasPrefix("|") }
            #expect(table.count == 2 + 7, "\(args)")
            func cells(_ row: Substring) -> Int {
                var n = 0
                var escaped = false
                for ch in row {
                    if escaped {
                        escaped = false
                    } else if ch == "\\" {
                        escaped = true
                    } else if ch == "|" {
                        n += 1
                    }
                }
                return n - 1
            }
            let width = cells(table[0])
            #expect(width == 16)  // 5 who, 4 areas, 3 days, level, team, assessor, flags
            #expect(table.allSatisfy { cells($0) == width && $0.hasSuffix("|") })
            #expect(table[1].split(separator: "|").allSatisfy { $0.trimmingCharacters(in: .whitespaces) == "---" })
            #expect(r.out.contains("Comma, \"Quoted\" \\| Piped") && r.out.contains("=Sam\\|Worker"))
        }
        let fam = fx.run(["summary", "--family", "f-test01", "--format", "markdown"])
        #expect(fam.out.hasPrefix("## Family TEST-1 (f-test01) as of 2026-06-30") && fam.out.contains("Family flags:"))
        let grouped = fx.run(["caseload", "--format", "markdown", "--by", "family"])
        #expect(grouped.out.contains("### TEST-1 (f-test01)"))
    }
}

/// A long caseload (rows rendered in two halves on both cores) reads as one table: every line once, in order, each
/// column starting where the header's does.
@Suite struct LongCaseloadTableTests {
    @Test(arguments: [1, 2047, 2048, 5001]) func rowsInOrderAndAligned(count: Int) throws {
        let base = QueryStore.all
        var caseload = base
        caseload.lines = (0..<count).map { k in
            var l = base.lines[k % base.lines.count]
            l.childId = ChildID(rawValue: "c\(k)")!
            return l
        }
        caseload.children = count
        let store = try Store.open(at: QueryStore.path)
        let inst = try store.currentInstrument()
        let result = try CaseloadResult(caseload: caseload, query: CaseloadQuery(), needStaff: false) { _ in [:] }
        let text = CaseloadTable.text(result, instrument: inst, policy: store.policy)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let head = try #require(lines.firstIndex { $0.hasPrefix("Child (age)") })
        let idColumn = try #require(lines[head].range(of: "Id")).lowerBound.utf16Offset(in: lines[head])
        let rows = lines[(head + 1)...].prefix { !$0.isEmpty }
        #expect(rows.count == count)
        for (k, row) in rows.enumerated() {
            let utf16 = Array(row.utf16)
            let id = String(decoding: utf16[idColumn...].prefix { $0 != 0x20 }, as: UTF16.self)
            #expect(id == "c\(k)", "row \(k): \(row)")
        }
        // The Markdown and CSV tables, made on both cores when long, keep the same order.
        let markdownIds = CaseloadTable.markdown(result, instrument: inst, policy: store.policy)
            .split(separator: "\n").filter { $0.hasPrefix("| ") }.dropFirst(2).map { $0.split(separator: "|")[3] }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(markdownIds == (0..<count).map { "c\($0)" })
        let csvIds = CaseloadTable.csv(result, instrument: inst).split(separator: "\r\n").dropFirst()
            .map { String($0.split(separator: ",", omittingEmptySubsequences: false)[2]) }
        #expect(csvIds == (0..<count).map { "c\($0)" })
    }
}
