/// Why a command line could not be bound; each becomes a usage error (exit 64).
enum UsageError: Error, Equatable, CustomStringConvertible {
    case unknownCommand(String, suggestion: String?)
    case unknownOption(String, command: String, suggestion: String?)
    /// An option before the command that is not a global option.
    case unknownGlobalOption(String, suggestion: String?)
    case missingValue(option: String, placeholder: String)
    case missingArgument(name: String, command: String)
    case unexpectedArgument(String, command: String)
    case repeatedOption(String)
    case invalidValue(option: String, value: String, expected: String)
    case conflicting(String)

    /// The command the error is about, when it names one: the hint points at its help.
    var command: String? {
        switch self {
        case .unknownOption(_, let c, _), .missingArgument(_, let c), .unexpectedArgument(_, let c): c
        default: nil
        }
    }

    var description: String {
        switch self {
        case .unknownCommand(let c, let s):
            "unknown command '\(c)'" + (s.map { " (did you mean '\($0)'?)" } ?? "")
        case .unknownOption(let o, let cmd, let s):
            "unknown option '\(o)' for '\(cmd)'" + (s.map { " (did you mean '\($0)'?)" } ?? "")
        case .unknownGlobalOption(let o, let s):
            "unknown global option '\(o)'"
                + (s.map { " (did you mean '\($0)'?)" } ?? "; a command's own options go after the command")
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
        var out = ParsedArguments(command: spec.name)
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
        if out.flags.contains("help") { return out }
        let required = spec.arguments.filter { !$0.optional }.count
        if out.positionals.count < required {
            throw .missingArgument(name: spec.arguments[out.positionals.count].name, command: spec.name)
        }
        if out.positionals.count > spec.arguments.count {
            throw .unexpectedArgument(out.positionals[spec.arguments.count], command: spec.name)
        }
        for (argument, word) in zip(spec.arguments, out.positionals) { out.arguments[argument.name] = word }
        for o in spec.options where o.required && out.values[o.name] == nil {
            throw .missingArgument(name: o.synopsis, command: spec.name)
        }
        return out
    }

    /// Checks every value given against its declaration's parser: a bad date, number or choice is reported
    /// before the command runs.
    static func check(_ args: ParsedArguments, against spec: CommandSpec, globals: [OptionSpec]) throws {
        for a in spec.arguments { if let v = args.arguments[a.name] { try a.check(v) } }
        for o in spec.options + globals { for v in args.values[o.name] ?? [] { try o.check(v) } }
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
