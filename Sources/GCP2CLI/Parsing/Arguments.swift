/// One option a command accepts.
struct OptionSpec: Sendable {
    var name: String
    /// Nil for a flag; the value's placeholder otherwise (e.g. `DIR`).
    var value: String?
    var repeatable = false
    var help: String
}

/// What a command takes on its command line.
struct CommandSpec: Sendable {
    /// The words that name it, e.g. `["family", "add"]`.
    var path: [String]
    var positionals: [(name: String, optional: Bool)]
    var options: [OptionSpec]
    var summary: String
    var discussion: String = ""
    var examples: [String] = []

    var name: String { path.joined(separator: " ") }
}

/// A command line bound to a command: positionals, option values and flags.
struct ParsedArguments: Sendable {
    var positionals: [String] = []
    var values: [String: [String]] = [:]
    var flags: Set<String> = []

    func value(_ name: String) -> String? { values[name]?.last }
    func all(_ name: String) -> [String] { values[name] ?? [] }
    func flag(_ name: String) -> Bool { flags.contains(name) }
}

/// Why a command line could not be bound; each becomes a usage error (exit 64).
enum UsageError: Error, Equatable, CustomStringConvertible {
    case unknownCommand(String, suggestion: String?)
    case unknownOption(String, command: String, suggestion: String?)
    case missingValue(option: String, placeholder: String)
    case missingArgument(name: String, command: String)
    case unexpectedArgument(String, command: String)
    case repeatedOption(String)
    case invalidValue(option: String, value: String, expected: String)
    case conflicting(String)

    var description: String {
        switch self {
        case .unknownCommand(let c, let s):
            "unknown command '\(c)'" + (s.map { " (did you mean '\($0)'?)" } ?? "")
        case .unknownOption(let o, let cmd, let s):
            "unknown option '\(o)' for '\(cmd)'" + (s.map { " (did you mean '\($0)'?)" } ?? "")
        case .missingValue(let o, let p): "option '\(o)' needs a value \(p)"
        case .missingArgument(let n, let cmd): "'\(cmd)' needs \(n)"
        case .unexpectedArgument(let a, let cmd): "unexpected argument '\(a)' for '\(cmd)'"
        case .repeatedOption(let o): "option '\(o)' given more than once"
        case .invalidValue(let o, let v, let e): "\(o) '\(v)' is not valid; expected \(e)"
        case .conflicting(let text): text
        }
    }
}

/// Splits and binds command-line words in the manner of swift-argument-parser: `--`, `--key=value`,
/// `--key value`, `-h`, unknown options with a "did you mean".
enum ArgumentBinder {
    static func bind(_ words: [String], to spec: CommandSpec, globals: [OptionSpec]) throws(UsageError) -> ParsedArguments {
        var out = ParsedArguments()
        let options = spec.options + globals
        var i = 0
        var onlyPositionals = false
        while i < words.count {
            let word = words[i]
            i += 1
            if onlyPositionals || !word.hasPrefix("-") || word == "-" {
                out.positionals.append(word)
                continue
            }
            if word == "--" {
                onlyPositionals = true
                continue
            }
            var name = word
            var inline: String?
            if word.hasPrefix("--"), let eq = word.firstIndex(of: "=") {
                name = String(word[..<eq])
                inline = String(word[word.index(after: eq)...])
            }
            if name == "-h" { name = "--help" }
            guard let opt = options.first(where: { "--\($0.name)" == name }) else {
                throw .unknownOption(
                    name, command: spec.name,
                    suggestion: suggest(name, among: options.map { "--\($0.name)" }))
            }
            if let placeholder = opt.value {
                let v: String
                if let inline {
                    v = inline
                } else if i < words.count {
                    v = words[i]
                    i += 1
                } else {
                    throw .missingValue(option: name, placeholder: placeholder)
                }
                if !opt.repeatable && out.values[opt.name] != nil { throw .repeatedOption(name) }
                out.values[opt.name, default: []].append(v)
            } else {
                if inline != nil { throw .invalidValue(option: name, value: inline!, expected: "no value (it is a flag)") }
                out.flags.insert(opt.name)
            }
        }
        if out.flag("help") { return out }
        let required = spec.positionals.filter { !$0.optional }.count
        if out.positionals.count < required {
            throw .missingArgument(name: spec.positionals[out.positionals.count].name, command: spec.name)
        }
        if out.positionals.count > spec.positionals.count {
            throw .unexpectedArgument(out.positionals[spec.positionals.count], command: spec.name)
        }
        return out
    }

    /// The closest candidate within a small edit distance, for "did you mean".
    static func suggest(_ word: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(word, $0)) }.filter { $0.1 <= max(2, word.count / 3) }
        return scored.min { ($0.1, $0.0) < ($1.1, $1.0) }?.0
    }

    /// Levenshtein distance.
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var row = Array(0...y.count)
        for i in 1...x.count {
            var prev = row[0]
            row[0] = i
            for j in 1...y.count {
                let cur = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (x[i - 1] == y[j - 1] ? 0 : 1))
                prev = cur
            }
        }
        return row[y.count]
    }
}
