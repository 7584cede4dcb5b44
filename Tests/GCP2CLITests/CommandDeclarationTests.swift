import Foundation
import TestSupport
import Testing

@testable import GCP2CLI

/// Issue 17: each command is declared once, and help, usage, parsing, Docs/cli.md and completion come from it.
@Suite struct CommandDeclarationTests {
    /// The words of an example as a shell would split them (single and double quotes), up to a redirection.
    static func words(_ example: String) -> [String] {
        var out: [String] = []
        var current = ""
        var quote: Character?
        var inWord = false
        for ch in example {
            if let q = quote {
                if ch == q { quote = nil } else { current.append(ch) }
            } else if ch == "'" || ch == "\"" {
                quote = ch
                inWord = true
            } else if ch == " " {
                if inWord { out.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(ch)
                inWord = true
            }
        }
        if inWord { out.append(current) }
        if let redirect = out.firstIndex(where: { $0 == ">" || $0 == "<" }) { out = Array(out[..<redirect]) }
        return out
    }

    static let commands = Commands.all.map(\.spec.name)

    @Test(arguments: commands) func everyCommandHasAnExampleThatParsesAgainstItsOwnDeclaration(_ name: String) throws {
        let command = try #require(Commands.all.first { $0.spec.name == name })
        #expect(!command.spec.examples.isEmpty, "\(name) has no example")
        for example in command.spec.examples {
            let words = Self.words(example)
            #expect(words.first == "gcp2", "\(example)")
            switch try GCP2CLI.parse(Array(words.dropFirst())) {
            case .run(let parsed, _): #expect(parsed.spec.name == name, "\(example) runs \(parsed.spec.name)")
            default: Issue.record("\(example) does not run \(name)")
            }
        }
    }

    @Test(arguments: commands) func helpAndUsageComeFromTheDeclaration(_ name: String) throws {
        let spec = try #require(Commands.all.first { $0.spec.name == name }).spec
        let fx = try CLIFixture(populate: false)
        let path = spec.path
        let help = fx.run(["help"] + path)
        #expect(help.code == 0 && help.err.isEmpty)
        #expect(help.out == Help.command(spec))
        #expect(fx.run(path + ["--help"]).out == help.out)
        #expect(fx.run(path + ["-h"]).out == help.out)
        let usage = Help.usage(spec)
        #expect(help.out.contains("Usage: \(usage)\n"))
        #expect(help.out.contains("\nOptions:\n") && help.out.contains("\nExamples:\n"))
        for example in spec.examples { #expect(help.out.contains(Help.exampleLines(example) + "\n")) }
        for line in help.out.split(separator: "\n") { #expect(line.count <= 80, "\(name): \(line)") }
        for a in spec.arguments { #expect(usage.contains(a.name) && help.out.contains("  \(a.name)")) }
        for o in spec.options {
            #expect(help.out.contains(o.synopsis), "\(name): \(o.synopsis) missing from help")
            if o.required {
                #expect(usage.contains(o.synopsis), "\(name): required \(o.synopsis) missing from usage")
                #expect(help.out.contains("(required)"))
            }
        }
    }

    @Test func aRequiredOptionLeftOutIsAUsageErrorNamingIt() throws {
        let fx = try CLIFixture()
        for spec in Commands.all.map(\.spec) {
            for o in spec.options where o.required {
                // The command's first example, less the required option and its value.
                var words = Array(Self.words(spec.examples[0]).dropFirst())
                guard let at = words.firstIndex(of: o.flag) else { continue }
                words.removeSubrange(at...(at + 1))
                let r = fx.run(words)
                #expect(r.code == 64, "\(words)")
                #expect(r.err.contains("'\(spec.name)' needs \(o.synopsis)"), "\(r.err)")
                #expect(r.err.contains("`gcp2 help \(spec.name)`"))
            }
        }
    }

    @Test func helpForTwoWordCommandsAndGroups() throws {
        let fx = try CLIFixture(populate: false)
        let add = try #require(Commands.find(["family", "add"])).spec
        for args in [["help", "family", "add"], ["family", "add", "--help"], ["--store", "x", "family", "add", "-h"]] {
            let r = fx.run(args)
            #expect(r.code == 0 && r.out == Help.command(add), "\(args)")
        }
        for (group, subs) in [("family", ["add", "list", "show"]), ("child", ["add"]), ("instrument", ["show", "validate"])] {
            for args in [["help", group], [group, "--help"], [group, "-h"]] {
                let r = fx.run(args)
                #expect(r.code == 0 && r.err.isEmpty, "\(args): \(r.err)")
                #expect(r.out.contains("Usage: gcp2 \(group) <subcommand>"))
                for s in subs { #expect(r.out.contains("\n  \(s) "), "\(args) lists \(s)") }
            }
        }
        let bare = fx.run(["family"])
        #expect(bare.code == 64 && bare.err.contains("'family' needs one of: add, list, show"))
        let typo = fx.run(["family", "ad", "--ref", "X"])
        #expect(typo.code == 64 && typo.err.contains("(not 'ad'; did you mean 'add'?)"))
        #expect(!typo.err.contains("--ref"))
        let unknown = fx.run(["help", "famly", "add"])
        #expect(unknown.code == 64 && unknown.err.contains("unknown command 'famly' (did you mean 'family'?)"))
    }

    @Test func misspeltNamesAreSuggestedAndTheRestOfTheLineIsNotPartOfThem() throws {
        let fx = try CLIFixture(populate: false)
        let global = fx.run(["--stroe", "DIR", "caseload"])
        #expect(global.code == 64)
        #expect(global.err.contains("error: unknown global option '--stroe' (did you mean '--store'?)"), "\(global.err)")
        #expect(!global.err.contains("DIR caseload"))
        let command = fx.run(["summry", "--family", "F"])
        #expect(command.code == 64)
        #expect(command.err.contains("error: unknown command 'summry' (did you mean 'summary'?)"), "\(command.err)")
        #expect(!command.err.contains("--family"))
        let local = fx.run(["--final", "record", "x.json"])
        #expect(local.code == 64 && local.err.contains("unknown global option '--final'"))
        let after = fx.run(["caseload", "--stroe", "DIR"])
        #expect(after.code == 64 && after.err.contains("did you mean '--store'?"))
    }

    @Test func valuesAreCheckedByTheirDeclarationBeforeAnythingRuns() throws {
        let fx = try CLIFixture()
        let before = fx.snapshot()
        let date = fx.run(["child", "add", "f-test01", "--name", "X", "--born", "2020-02-30"])
        #expect(date.code == 64 && date.err.contains("--born '2020-02-30' is not valid; expected a date YYYY-MM-DD"))
        let rel = fx.run(["carer", "add", "f-test01", "--name", "X", "--relationship", "cousin"])
        #expect(rel.code == 64 && rel.err.contains("expected one of: mother, father"))
        let number = fx.run(["caseload", "--limit", "0"])
        #expect(number.code == 64 && number.err.contains("--limit '0' is not valid; expected a whole number 1 or more"))
        #expect(fx.snapshot() == before)
    }

    /// Docs/cli.md's reference is the declarations' Markdown; `GCP2_UPDATE_GOLDEN=1` rewrites it.
    @Test func docsReferenceMatchesTheDeclarations() throws {
        let doc = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Docs/cli.md")
        let text = try String(contentsOf: doc, encoding: .utf8)
        let begin = "<!-- BEGIN generated reference -->\n", end = "<!-- END generated reference -->"
        let start = try #require(text.range(of: begin)), stop = try #require(text.range(of: end))
        let generated = Help.markdownReference()
        if ProcessInfo.processInfo.environment["GCP2_UPDATE_GOLDEN"] == "1" {
            let updated = String(text[..<start.upperBound]) + "\n" + generated + String(text[stop.lowerBound...])
            try updated.write(to: doc, atomically: true, encoding: .utf8)
            return
        }
        #expect(String(text[start.upperBound..<stop.lowerBound]) == "\n" + generated)
        for name in Self.commands { #expect(generated.contains("### `gcp2 \(name)`")) }
    }
}

@Suite struct ExampleLinesTests {
    @Test func aLongExampleBreaksBeforeAnOptionAndKeepsItsValueWhole() {
        let long = "gcp2 decision add f-k2m9q7 --date 2026-05-04 --level child-in-need --reason 'Neglect of hygiene persists'"
        let lines = Help.exampleLines(long).split(separator: "\n").map(String.init)
        #expect(lines.count == 2 && lines.allSatisfy { $0.count <= 80 })
        #expect(lines[0].hasSuffix(" \\") && lines[1] == "      --reason 'Neglect of hygiene persists'")
        // Joined as a shell joins a continued line, it is the example again.
        let joined = lines.map { $0.hasSuffix(" \\") ? String($0.dropLast(2)) : $0 }.joined(separator: " ")
        #expect(joined.split(separator: " ").joined(separator: " ") == long)
        #expect(Help.exampleLines("gcp2 caseload") == "  gcp2 caseload")
    }
}
