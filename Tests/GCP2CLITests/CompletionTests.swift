import Foundation
import TestSupport
import Testing

@testable import GCP2CLI

/// Issue 17: `gcp2 completion bash|zsh|fish` prints scripts generated from the declarations; each loads in its
/// shell (checked where the shell is installed, reported as skipped otherwise).
@Suite struct CompletionTests {
    /// The full path of a program on PATH, if installed.
    static func which(_ program: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let p = "\(dir)/\(program)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    @Test(arguments: ["bash", "zsh", "fish"]) func scriptNamesEveryCommandAndOptionAndParsesInItsShell(_ shell: String) throws {
        let fx = try CLIFixture(populate: false)
        let r = fx.run(["completion", shell])
        #expect(r.code == 0 && r.err.isEmpty)
        for c in Commands.all.map(\.spec) {
            for word in c.path { #expect(r.out.contains(word), "\(shell): \(c.name)") }
            for o in c.options { #expect(r.out.contains(shell == "fish" ? "-l \(o.name)" : o.flag), "\(shell): \(o.flag)") }
        }
        guard let program = Self.which(shell) else {
            print("completion: \(shell) is not installed; its script's syntax check was skipped")
            return
        }
        let file = fx.write("gcp2.\(shell)", r.out)
        let check = try runProcess(program, shell == "fish" ? ["--no-execute", file] : ["-n", file])
        #expect(check.code == 0, "\(shell) -n: \(check.err)")
    }

    /// A shell, if installed, a fixture store and the shell's script written next to it.
    func setUp(_ shell: String) throws -> (program: String, script: String, fx: CLIFixture)? {
        guard let program = Self.which(shell) else {
            print("completion: \(shell) is not installed; the completion run was skipped")
            return nil
        }
        let fx = try CLIFixture()
        return (program, fx.write("gcp2.\(shell)", fx.run(["completion", shell]).out), fx)
    }

    /// Runs a shell program with the built gcp2 on PATH and the fixture's store; the lines it prints.
    func lines(_ shell: String, _ program: String, fx: CLIFixture) throws -> [String] {
        let bin = URL(fileURLWithPath: gcp2Binary).deletingLastPathComponent().path
        let r = try runProcess(shell, ["-c", program], env: ["PATH": bin + ":/usr/bin:/bin", "GCP2_STORE": fx.store])
        #expect(r.code == 0 && r.err.isEmpty, "\(r.err)")
        return r.out.split(separator: "\n").map(String.init)
    }

    @Test func bashCompletesCommandsSubcommandsOptionsValuesAndIds() throws {
        guard let (bash, script, fx) = try setUp("bash") else { return }
        func complete(_ line: [String]) throws -> [String] {
            let words = (["gcp2"] + line).map { "'\($0)'" }.joined(separator: " ")
            let program = """
                source '\(script)'
                COMP_WORDS=(\(words)); COMP_CWORD=\(line.count); _gcp2
                printf '%s\\n' "${COMPREPLY[@]}"
                """
            return try lines(bash, program, fx: fx).filter { !$0.isEmpty }
        }
        #expect(try complete(["fam"]) == ["family"])
        #expect(try complete(["family", ""]) == ["add", "list", "show"])
        #expect(try complete(["help", "fam"]) == ["family"])
        #expect(try complete(["caseload", "--so"]) == ["--sort"])
        #expect(try complete(["caseload", "--sort", "s"]) == ["severity", "spell"])
        #expect(try complete(["--store", fx.store, "summary", "--family", ""]) == ["f-test01"])
        #expect(try complete(["family", "show", "f-"]) == ["f-test01"])
        #expect(try complete(["history", ""]) == ["f-test01-c1", "f-test01-c2"])
    }

    @Test func fishCompletesSubcommandsValuesAndIds() throws {
        guard let (fish, script, fx) = try setUp("fish") else { return }
        func complete(_ line: String) throws -> [String] {
            try lines(fish, "source '\(script)'; complete -C '\(line)'", fx: fx).map {
                String($0.split(separator: "\t")[0])
            }
        }
        #expect(try complete("gcp2 fam") == ["family"])
        #expect(try complete("gcp2 family ") == ["add", "list", "show"])
        #expect(try complete("gcp2 caseload --sort s") == ["severity", "spell"])
        #expect(try complete("gcp2 family show ") == ["f-test01"])
        #expect(try complete("gcp2 history ") == ["f-test01-c1", "f-test01-c2"])
    }

    /// zsh's completion system needs a terminal; the function is run with `compadd` and `_files` standing in.
    @Test func zshOffersSubcommandsValuesAndIds() throws {
        guard let (zsh, script, fx) = try setUp("zsh") else { return }
        func complete(_ words: String) throws -> [String] {
            let program =
                "compdef() { :; }; compadd() { shift; print -l -- $@ }; _files() { echo FILES }; source '\(script)'; "
                + "words=(gcp2 \(words)); CURRENT=${#words}; _gcp2"
            return try lines(zsh, program, fx: fx)
        }
        #expect(try complete("family ''") == ["add", "list", "show"])
        #expect(try complete("caseload --sort ''") == ["severity", "overdue", "spell", "cumulative", "ref", "latest"])
        #expect(try complete("family show ''") == ["f-test01"])
        #expect(try complete("validate ''") == ["FILES"])
        #expect(try complete("caseload --w").contains("--wide"))
    }

    @Test func idsAreListedFromTheStoreAndNothingIsPrintedWithoutOne() throws {
        let fx = try CLIFixture()
        #expect(fx.run(["completion", "--ids", "families"]).out == "f-test01\n")
        #expect(fx.run(["completion", "--ids", "children"]).out == "f-test01-c1\nf-test01-c2\n")
        let none = try CLIFixture(populate: false)
        let r = none.run(["completion", "--ids", "families"])
        #expect(r.code == 0 && r.out.isEmpty && r.err.isEmpty)
        #expect(fx.run(["completion"]).code == 64)
        #expect(fx.run(["completion", "tcsh"]).code == 64)
    }
}
