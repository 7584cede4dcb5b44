import Foundation
import GCP2Core
import GCP2Store

/// What a run of the CLI talks to; tests pass their own to capture output and feed input.
public struct CLIEnvironment: Sendable {
    public var write: @Sendable (String) -> Void
    public var writeError: @Sendable (String) -> Void
    public var readLine: @Sendable () -> String?
    public var variables: [String: String]
    public var now: Date
    public var workingDirectory: String

    public init(
        write: @escaping @Sendable (String) -> Void, writeError: @escaping @Sendable (String) -> Void,
        readLine: @escaping @Sendable () -> String?, variables: [String: String], now: Date, workingDirectory: String
    ) {
        self.write = write
        self.writeError = writeError
        self.readLine = readLine
        self.variables = variables
        self.now = now
        self.workingDirectory = workingDirectory
    }

    /// The real process: standard streams, environment, clock and working directory.
    public static var process: CLIEnvironment {
        CLIEnvironment(
            write: { FileHandle.standardOutput.write(Data($0.utf8)) },
            writeError: { FileHandle.standardError.write(Data($0.utf8)) },
            readLine: { Swift.readLine(strippingNewline: true) },
            variables: ProcessInfo.processInfo.environment, now: Date(),
            workingDirectory: FileManager.default.currentDirectoryPath)
    }

    /// Today's calendar date in UTC, or `GCP2_TODAY` when set (for reproducible runs).
    var today: CalendarDate {
        if let fixed = variables["GCP2_TODAY"].flatMap(CalendarDate.init) { return fixed }
        return CalendarDate(dayNumber: Int((now.timeIntervalSince1970 / 86_400).rounded(.down)))
    }
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

    /// Runs one command line (without the program name) and returns the exit code.
    public static func run(_ arguments: [String], environment env: CLIEnvironment) -> Int32 {
        let out = Output(env)
        do {
            try dispatch(arguments, out: out, env: env)
            return ExitCode.success.rawValue
        } catch let e as UsageError {
            out.error(e.description, hint: "run `gcp2 help` for the commands, or `gcp2 help COMMAND` for one")
            return ExitCode.usage.rawValue
        } catch let e as StoreError {
            out.error(e.description, hint: e.hint)
            return exitCode(for: e).rawValue
        } catch let e as CLIFailure {
            out.error(e.message, hint: e.hint)
            return e.code.rawValue
        } catch {
            out.error("unexpected failure: \(error)", hint: nil)
            return ExitCode.failure.rawValue
        }
    }

    static func exitCode(for e: StoreError) -> ExitCode {
        switch e {
        case .noStore, .notFound: .notFound
        case .invalid, .lifecycle: .dataError
        case .corrupt, .newerSchema, .io: .ioError
        case .alreadyExists, .cannotCreate: .cannotCreate
        case .busy: .busy
        }
    }

    static func dispatch(_ arguments: [String], out: Output, env: CLIEnvironment) throws {
        // Global options may come before the command.
        var words = arguments
        var leading: [String] = []
        while let first = words.first, first.hasPrefix("-") {
            words.removeFirst()
            if first == "--version" {
                out.line("gcp2 \(version)")
                return
            }
            if first == "--help" || first == "-h" {
                out.text(Help.overview())
                return
            }
            leading.append(first)
            if !first.contains("="), let opt = Commands.globals.first(where: { "--\($0.name)" == first }), opt.value != nil,
                let v = words.first
            {
                leading.append(v)
                words.removeFirst()
            }
        }
        guard let first = words.first else {
            out.text(Help.overview())
            return
        }
        if first == "help" {
            let topic = Array(words.dropFirst())
            if topic.isEmpty {
                out.text(Help.overview())
            } else if let cmd = Commands.find(topic) {
                out.text(Help.command(cmd.spec))
            } else {
                throw UsageError.unknownCommand(
                    topic.joined(separator: " "), suggestion: ArgumentBinder.suggest(topic[0], among: Commands.names))
            }
            return
        }
        let group = Commands.all.filter { $0.spec.path.count > 1 && $0.spec.path[0] == first }
        if !group.isEmpty && Commands.find(words) == nil {
            let subs = group.map { $0.spec.path[1] }
            throw UsageError.conflicting(
                "'\(first)' needs one of: \(subs.joined(separator: ", "))"
                    + (words.count > 1 ? " (not '\(words[1])')" : ""))
        }
        guard let command = Commands.find(words) else {
            throw UsageError.unknownCommand(
                words.prefix(2).joined(separator: " "),
                suggestion: ArgumentBinder.suggest(first, among: Commands.names))
        }
        let rest = leading + Array(words.dropFirst(command.spec.path.count))
        let args = try ArgumentBinder.bind(rest, to: command.spec, globals: Commands.globals)
        if args.flag("help") {
            out.text(Help.command(command.spec))
            return
        }
        if args.flag("version") {
            out.line("gcp2 \(version)")
            return
        }
        try command.run(Context(args: args, out: out, env: env))
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

    var json: Bool { args.flag("json") }
    var actor: String {
        args.value("actor") ?? env.variables["GCP2_ACTOR"] ?? env.variables["USER"] ?? "unknown"
    }

    /// The store folder: `--store`, else `$GCP2_STORE`, else the per-user data folder.
    var storePath: String {
        let raw =
            args.value("store") ?? env.variables["GCP2_STORE"]
            ?? ((env.variables["XDG_DATA_HOME"] ?? ((env.variables["HOME"] ?? "~") + "/.local/share")) + "/gcp2")
        return raw.hasPrefix("/") ? raw : env.workingDirectory + "/" + raw
    }

    func openStore() throws -> Store {
        try Store.open(at: storePath, lockTimeout: env.variables["GCP2_LOCK_TIMEOUT"].flatMap(Double.init))
    }

    /// Parses a positional or option as an id, or fails with exit 66 naming it.
    func id<T: SafeIdentifier>(_ text: String, as kind: String, _ type: T.Type) throws -> T {
        guard let v = T(rawValue: text) else {
            throw CLIFailure(
                message: "no \(kind) \(Output.safe(text)) in the store",
                hint: "ids look like f-k2m9q7 (family), f-k2m9q7-c1 (child), f-k2m9q7-a1 (assessment)",
                code: .notFound)
        }
        return v
    }

    func date(_ option: String, _ text: String) throws -> CalendarDate {
        guard let d = CalendarDate(text) else {
            throw UsageError.invalidValue(option: option, value: text, expected: "a date YYYY-MM-DD")
        }
        return d
    }

    /// Reads a file the user named; relative paths are taken from the working directory.
    func readInput(_ file: String) throws -> Data {
        let path = file.hasPrefix("/") ? file : env.workingDirectory + "/" + file
        if file == "-" {
            var lines: [String] = []
            while let l = env.readLine() { lines.append(l) }
            return Data(lines.joined(separator: "\n").utf8)
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIFailure(message: "no file \(file)", hint: "check the path", code: .notFound)
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        if size > Store.maxDocumentBytes {
            throw CLIFailure(
                message: "\(file) is \(size / 1_048_576) MiB; an assessment file is at most 8 MiB",
                hint: "check you named the right file",
                code: .dataError)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIFailure(message: "cannot read \(file)", hint: "check you may read it", code: .ioError)
        }
        return data
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
