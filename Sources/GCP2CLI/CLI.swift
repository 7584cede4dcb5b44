import Foundation
import GCP2Core
import GCP2Store

/// What a run of the CLI talks to; tests pass their own to capture output and feed input.
public struct CLIEnvironment: Sendable {
    public var write: @Sendable (String) -> Void
    /// Standard output as UTF-8 bytes, for a large document made as bytes (`caseload --json`); by default
    /// the same text through `write`.
    public var writeBytes: @Sendable ([UInt8]) -> Void
    public var writeError: @Sendable (String) -> Void
    public var readLine: @Sendable () -> String?
    public var variables: [String: String]
    public var now: Date
    public var workingDirectory: String
    /// Why writing the output failed (a full disk, a closed pipe), once it has; nil while it works.
    public var outputFailure: @Sendable () -> String?

    public init(
        write: @escaping @Sendable (String) -> Void, writeError: @escaping @Sendable (String) -> Void,
        readLine: @escaping @Sendable () -> String?, variables: [String: String], now: Date, workingDirectory: String,
        outputFailure: @escaping @Sendable () -> String? = { nil },
        writeBytes: (@Sendable ([UInt8]) -> Void)? = nil
    ) {
        self.write = write
        self.writeBytes = writeBytes ?? { write(String(decoding: $0, as: UTF8.self)) }
        self.writeError = writeError
        self.readLine = readLine
        self.variables = variables
        self.now = now
        self.workingDirectory = workingDirectory
        self.outputFailure = outputFailure
    }

    /// The real process: standard streams, environment, clock and working directory.
    ///
    /// Output goes through write(2): a full disk or a closed pipe is remembered (and later output dropped),
    /// never a trap or a SIGPIPE; what the run does about it is decided by `GCP2CLI.run`.
    public static var process: CLIEnvironment {
        let stdout = StreamState()
        return CLIEnvironment(
            write: { stdout.write($0) },
            writeError: { _ = ProcessIO.write($0, to: 2) },
            readLine: { Swift.readLine(strippingNewline: true) },
            variables: ProcessInfo.processInfo.environment, now: Date(),
            workingDirectory: FileManager.default.currentDirectoryPath,
            outputFailure: { stdout.failure }, writeBytes: { stdout.write(bytes: $0) })
    }

    /// Today's calendar date in UTC, or `GCP2_TODAY` when set (for reproducible runs).
    var today: CalendarDate {
        if let fixed = variables["GCP2_TODAY"].flatMap(CalendarDate.init) { return fixed }
        return CalendarDate(dayNumber: Int((now.timeIntervalSince1970 / 86_400).rounded(.down)))
    }
}

/// Standard output of the process: the first write failure is kept and later writes are dropped.
final class StreamState: @unchecked Sendable {
    private let lock = NSLock()
    private var failed: String?

    func write(bytes: [UInt8]) {
        lock.withLock {
            guard failed == nil else { return }
            if let e = ProcessIO.write(bytes: bytes, to: 1) { failed = e.description }
        }
    }

    func write(_ text: String) {
        lock.withLock {
            guard failed == nil else { return }
            if let e = ProcessIO.write(text, to: 1) { failed = e.description }
        }
    }

    var failure: String? { lock.withLock { failed } }
}

/// The stores one run opened, so the run can tell whether a change reached its commit point.
final class Session: @unchecked Sendable {
    private let lock = NSLock()
    private var stores: [Store] = []

    func register(_ store: Store) { lock.withLock { stores.append(store) } }

    /// Every change committed in this run, in the order the stores were opened.
    var commits: [Store.Commit] { lock.withLock { stores.flatMap(\.commits) } }

    /// What reads with integrity checks off found, in the order the stores were opened.
    var integrityWarnings: [StoreError] { lock.withLock { stores.flatMap(\.integrityWarnings) } }

    /// Whether a change failed before its commit point (a later change of a command that makes several).
    var abandonedChange: Bool { lock.withLock { stores.contains { $0.abandonedChanges > 0 } } }
}

/// The process exit codes, after BSD sysexits; documented in Docs/cli.md.
public enum ExitCode: Int32, Sendable {
    case success = 0
    case failure = 1
    case usage = 64
    case dataError = 65
    case notFound = 66
    case cannotCreate = 73
    case ioError = 74
    case busy = 75
}

/// The gcp2 command line: tokenise, bind to a command, validate, run, map errors to exit codes.
public struct GCP2CLI {
    public static let version = "0.1.0"

    /// Runs the program: reads the command line, runs it, exits. A command line that cannot be read is an error.
    public static func main() -> Never {
        ProcessIO.ignoreBrokenPipe()
        let env = CLIEnvironment.process
        guard let words = ProcessIO.commandLine() else {
            env.writeError("error: the command line cannot be read (on Linux it is read from /proc, which is not mounted)\n")
            exit(ExitCode.failure.rawValue)
        }
        exit(run(Array(words.dropFirst()), environment: env))
    }

    /// Runs one command line (without the program name) and returns the exit code.
    ///
    /// The durable journal is a change's commit point. Before it, any failure is an error and nothing changed;
    /// output that cannot be written ends the run quietly with 74. After it the change is saved, so the run exits 0
    /// whatever happens next, with a warning on stderr for anything that went wrong (see Docs/reliability.md).
    public static func run(_ arguments: [String], environment env: CLIEnvironment) -> Int32 {
        let out = Output(env)
        var failure: (message: String, hint: String?, code: ExitCode)?
        do {
            try dispatch(arguments, out: out, env: env)
        } catch let e as UsageError {
            let hint =
                e.command.flatMap { Commands.find($0.split(separator: " ").map(String.init)) }
                .map { "`gcp2 help \($0.spec.name)` shows its usage, options and examples" }
                ?? "run `gcp2 help` for the commands, or `gcp2 help COMMAND` for one"
            failure = (e.description, hint, .usage)
        } catch let e as StoreError {
            failure = (e.withFlags.description, e.hint, exitCode(for: e))
        } catch let e as CLIFailure {
            failure = (e.message, e.hint, e.code)
        } catch {
            failure = ("unexpected failure: \(error)", nil, .failure)
        }
        for e in out.session.integrityWarnings { out.warn("read anyway (--ignore-integrity): \(e)") }
        let commits = out.session.commits
        // Past a commit point the change is saved: say so if applying it failed, and suggest no retry.
        for c in commits {
            if let e = c.applyFailure {
                out.warn(
                    "the change was saved; applying it to the store files failed (\(e)); the next gcp2 command completes it (\(c.record))"
                )
            }
        }
        // Before it (or when a later change of the same run failed before its own), errors are errors.
        if commits.isEmpty || (failure != nil && out.session.abandonedChange) {
            if let failure {
                if env.outputFailure() != nil { return ExitCode.ioError.rawValue }
                out.error(failure.message, hint: failure.hint)
                return failure.code.rawValue
            }
            return env.outputFailure() == nil ? ExitCode.success.rawValue : ExitCode.ioError.rawValue
        }
        let saved = commits.map(\.record).joined(separator: ", ")
        if let failure { out.warn("the change was saved (\(saved)); what followed failed: \(failure.message)") }
        if let f = env.outputFailure() { out.warn("the change was saved (\(saved)); writing its output failed (\(f))") }
        return ExitCode.success.rawValue
    }

    static func exitCode(for e: StoreError) -> ExitCode {
        switch e {
        case .noStore, .notFound: .notFound
        case .invalid, .lifecycle: .dataError
        case .corrupt, .newerSchema, .io: .ioError
        case .alreadyExists, .cannotCreate, .wouldReplace: .cannotCreate
        case .busy: .busy
        case .tooLarge: .dataError
        case .journalUnreadable: .ioError
        }
    }

    /// What a command line asks for, once read against the declarations.
    enum Request {
        case overview, version
        /// The subcommands of a group (`gcp2 help family`, `gcp2 family --help`).
        case group(String)
        case help(CommandSpec)
        case run(Command, ParsedArguments)
    }

    static func dispatch(_ arguments: [String], out: Output, env: CLIEnvironment) throws {
        switch try parse(arguments) {
        case .overview: out.text(Help.overview())
        case .version: out.line("gcp2 \(version)")
        case .group(let word): out.text(Help.group(word))
        case .help(let spec): out.text(Help.command(spec))
        case .run(let command, let args): try command.run(Context(args: args, out: out, env: env))
        }
    }

    /// Reads a command line against the declarations: global options first, the command, its arguments and
    /// options bound and every value checked by its parser.
    static func parse(_ arguments: [String]) throws -> Request {
        // Global options may come before the command; anything else there is a usage error, not a command name.
        var words = arguments
        var leading: [String] = []
        while let first = words.first, first.hasPrefix("-"), first != "-" {
            words.removeFirst()
            if first == "--version" { return .version }
            if first == "--help" || first == "-h" { return .overview }
            let name = first.split(separator: "=", maxSplits: 1).first.map(String.init) ?? first
            guard let opt = Commands.globals.first(where: { $0.flag == name }) else {
                throw UsageError.unknownGlobalOption(
                    name, suggestion: ArgumentBinder.suggest(name, among: Commands.globals.map(\.flag)))
            }
            leading.append(first)
            if !first.contains("="), opt.value != nil, let v = words.first {
                leading.append(v)
                words.removeFirst()
            }
        }
        guard let first = words.first else { return .overview }
        if first == "help" {
            let topic = Array(words.dropFirst())
            if topic.isEmpty || topic[0].hasPrefix("-") { return .overview }
            if let cmd = Commands.find(topic), cmd.spec.path.count == topic.count { return .help(cmd.spec) }
            if topic.count == 1, !Commands.group(topic[0]).isEmpty { return .group(topic[0]) }
            _ = try resolve(topic)
            throw UsageError.unexpectedArgument(topic.last ?? "", command: "help")
        }
        if !Commands.group(first).isEmpty, Commands.find(words) == nil, words.contains("--help") || words.contains("-h") {
            return .group(first)
        }
        let command = try resolve(words)
        let rest = leading + Array(words.dropFirst(command.spec.path.count))
        let spec = command.spec
        let args = try ArgumentBinder.bind(rest, to: spec, globals: Commands.globals)
        if args.flag(Globals.help) { return .help(spec) }
        if args.flag(Globals.version) { return .version }
        try ArgumentBinder.check(args, against: spec, globals: Commands.globals)
        return .run(command, args)
    }

    /// The command the first words name. An unknown name is reported alone — the rest of the line is not part
    /// of it — with the nearest name; a group (`family`) without one of its subcommands lists them.
    static func resolve(_ words: [String]) throws(UsageError) -> Command {
        if let command = Commands.find(words) { return command }
        let first = words.first ?? ""
        let group = Commands.group(first)
        guard !group.isEmpty else {
            throw .unknownCommand(first, suggestion: ArgumentBinder.suggest(first, among: Commands.names))
        }
        let subs = group.map { $0.spec.path[1] }
        let given = words.count > 1 ? words[1] : nil
        var text = "'\(first)' needs one of: \(subs.joined(separator: ", "))"
        if let given {
            text += " (not '\(given)'"
            if !given.hasPrefix("-"), let s = ArgumentBinder.suggest(given, among: subs) { text += "; did you mean '\(s)'?" }
            text += ")"
        }
        throw .conflicting(text)
    }
}

/// A failure the CLI itself reports, with its exit code.
struct CLIFailure: Error {
    var message: String
    var hint: String?
    var code: ExitCode
}

/// Everything a command needs: its arguments, output, environment and (lazily) the store.
struct Context {
    let args: ParsedArguments
    let out: Output
    let env: CLIEnvironment

    var json: Bool { args.flag(Globals.json) }
    var actor: String {
        ((try? args.value(Globals.actor)) ?? nil) ?? env.variables["GCP2_ACTOR"] ?? env.variables["USER"] ?? "unknown"
    }

    /// The store folder: `--store`, else `$GCP2_STORE`, else the per-user data folder.
    var storePath: String {
        // An empty variable is unset (else "" would make the working directory the store).
        func variable(_ name: String) -> String? { env.variables[name].flatMap { $0.isEmpty ? nil : $0 } }
        let raw =
            ((try? args.value(Globals.store)) ?? nil) ?? variable("GCP2_STORE")
            ?? ((variable("XDG_DATA_HOME") ?? ((variable("HOME") ?? "~") + "/.local/share")) + "/gcp2")
        return raw.hasPrefix("/") ? raw : env.workingDirectory + "/" + raw
    }

    /// Opens the store for this run: its commits count for the exit code, and no change is committed once the
    /// output has failed (the run then ends with 74 and nothing changed).
    func openStore() throws -> Store {
        let store = try Store.open(at: storePath, lockTimeout: env.variables["GCP2_LOCK_TIMEOUT"].flatMap(Double.init))
        if args.flag(Globals.ignoreIntegrity) {
            store.checksIntegrity = false
            out.warn(
                "--ignore-integrity: documents are read even if they differ from what the store recorded for them; what is shown may have been changed outside gcp2"
            )
        }
        out.session.register(store)
        let failure = env.outputFailure
        store.beforeCommit = { () throws(StoreError) in
            if let f = failure() { throw .io(path: "standard output", reason: f) }
        }
        return store
    }

    /// The child a person named: an id, a full name or a first name, looked up within `family` when given, else
    /// across the store. No match is "not found" (66); several list the candidates (64).
    func child(_ text: String, in family: FamilyID? = nil, store: Store) throws -> ChildID {
        // An id names its own family: the command reads that family once and reports an unknown id itself.
        if let id = ChildID(rawValue: text), let owner = Family.family(of: id), family == nil || family == owner {
            return id
        }
        let found = try Casework(store).children(named: text, in: family)
        if found.count == 1 { return found[0].0.id }
        if found.isEmpty {
            throw CLIFailure(
                message:
                    "no child \(ChildID(rawValue: text).map(\.rawValue) ?? Output.safe(text)) in \(family.map { "family \($0)" } ?? "the store")",
                hint: "give a child's id (f-k2m9q7-c1), full or first name; `gcp2 family show F` lists them",
                code: .notFound)
        }
        let lines = found.map { c, f in "  \(c.id)  \(c.name)  family \(f.ref)  born \(c.born)" }
        throw CLIFailure(
            message: "\(found.count) children match \(Output.safe(text)):\n" + lines.joined(separator: "\n"),
            hint: "give one child's id, or narrow the search to a family", code: .usage)
    }

    /// Reads a file the user named; relative paths are taken from the working directory.
    func readInput(_ file: String) throws -> Data {
        let path = file.hasPrefix("/") ? file : env.workingDirectory + "/" + file
        if file == "-" {
            // Standard input has the same limit as a file: reading stops as soon as it is passed.
            var data = Data()
            while let l = env.readLine() {
                if !data.isEmpty { data.append(0x0A) }
                data.append(contentsOf: l.utf8)
                if data.count > Store.maxDocumentBytes { throw tooLarge("standard input", bytes: data.count, atLeast: true) }
            }
            return data
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIFailure(message: "no file \(file)", hint: "check the path", code: .notFound)
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        if size > Store.maxDocumentBytes { throw tooLarge(file, bytes: size, atLeast: false) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIFailure(message: "cannot read \(file)", hint: "check you may read it", code: .ioError)
        }
        // A file that grew after its size was read (or a pipe given by name) meets the same limit.
        if data.count > Store.maxDocumentBytes { throw tooLarge(file, bytes: data.count, atLeast: false) }
        return data
    }

    private func tooLarge(_ what: String, bytes: Int, atLeast: Bool) -> CLIFailure {
        CLIFailure(
            message:
                "\(what) is \(atLeast ? "more than " : "")\(bytes / 1_048_576) MiB (\(bytes) bytes); an input file is at most \(Store.maxDocumentBytes / 1_048_576) MiB (\(Store.maxDocumentBytes) bytes)",
            hint: "check you named the right file", code: .dataError)
    }
}

/// Runs a store read, turning "not found" into nil and passing every other error on.
func optional<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T? {
    do {
        return try body()
    } catch {
        if case .notFound = error { return nil }
        throw error
    }
}
