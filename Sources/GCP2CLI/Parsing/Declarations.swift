/// What a value names, so a shell can complete it.
enum ValueKind: Sendable, Equatable {
    case text, number, date, file, directory, family, child, assessment
    /// One of a fixed set of words.
    case choices([String])
}

/// One option as parsing, help and completion see it: the untyped face of an `Option` or a `Flag`.
struct OptionSpec: Sendable {
    var name: String
    /// Nil for a flag; the value's placeholder otherwise (e.g. `DIR`).
    var value: String?
    var repeatable = false
    var required = false
    var help: String
    var kind: ValueKind = .text
    /// Checks one value when the command line is bound; a value that does not parse is a usage error.
    var check: @Sendable (String) throws -> Void = { _ in }

    /// `--name`.
    var flag: String { "--" + name }
    /// `--name VALUE`, or `--name` for a flag.
    var synopsis: String { flag + (value.map { " " + $0 } ?? "") }
}

/// One positional argument as parsing, help and completion see it.
struct ArgumentSpec: Sendable {
    var name: String
    var optional = false
    var help: String
    var kind: ValueKind = .text
    var check: @Sendable (String) throws -> Void = { _ in }
}

/// A declared positional argument of a command.
protocol ArgumentDeclaration: Sendable {
    var spec: ArgumentSpec { get }
}

/// A declared option or flag of a command.
protocol OptionDeclaration: Sendable {
    var spec: OptionSpec { get }
}

/// An option that takes a value, read by a command as a `Value` (swift-argument-parser's `@Option`, by hand).
struct Option<Value: Sendable>: OptionDeclaration {
    let spec: OptionSpec
    let parse: @Sendable (String) throws -> Value

    init(
        _ name: String, _ value: String, required: Bool = false, repeatable: Bool = false, kind: ValueKind = .text,
        help: String, parse: @escaping @Sendable (String) throws -> Value
    ) {
        self.parse = parse
        spec = OptionSpec(
            name: name, value: value, repeatable: repeatable, required: required, help: help, kind: kind,
            check: { _ = try parse($0) })
    }
}

extension Option where Value == String {
    /// An option whose value is its text.
    init(
        _ name: String, _ value: String, required: Bool = false, repeatable: Bool = false, kind: ValueKind = .text,
        help: String
    ) {
        self.init(name, value, required: required, repeatable: repeatable, kind: kind, help: help) { $0 }
    }
}

/// An option without a value (swift-argument-parser's `@Flag`).
struct Flag: OptionDeclaration {
    let spec: OptionSpec
    init(_ name: String, help: String) { spec = OptionSpec(name: name, value: nil, help: help) }
}

/// A positional argument, read by a command as a `Value` (swift-argument-parser's `@Argument`).
struct Argument<Value: Sendable>: ArgumentDeclaration {
    let spec: ArgumentSpec
    let parse: @Sendable (String) throws -> Value

    init(
        _ name: String, optional: Bool = false, kind: ValueKind = .text, help: String,
        parse: @escaping @Sendable (String) throws -> Value
    ) {
        self.parse = parse
        spec = ArgumentSpec(name: name, optional: optional, help: help, kind: kind, check: { _ = try parse($0) })
    }
}

extension Argument where Value == String {
    /// An argument whose value is its text.
    init(_ name: String, optional: Bool = false, kind: ValueKind = .text, help: String) {
        self.init(name, optional: optional, kind: kind, help: help) { $0 }
    }
}

/// What a command takes on its command line, its words of help and its examples: the one declaration that
/// parsing, required-option checks, usage, help, Docs/cli.md's reference and shell completion derive from.
struct CommandSpec: Sendable {
    /// The words that name it, e.g. `["family", "add"]`.
    var path: [String]
    var arguments: [ArgumentSpec] = []
    var options: [OptionSpec] = []
    var summary: String
    var discussion: String = ""
    var examples: [String] = []

    var name: String { path.joined(separator: " ") }
}

/// A command: its declaration and what it does.
struct Command: Sendable {
    var spec: CommandSpec
    var run: @Sendable (Context) throws -> Void

    init(
        _ path: String, _ summary: String, arguments: [any ArgumentDeclaration] = [], options: [any OptionDeclaration] = [],
        discussion: String = "", examples: [String], run: @escaping @Sendable (Context) throws -> Void
    ) {
        spec = CommandSpec(
            path: path.split(separator: " ").map(String.init), arguments: arguments.map(\.spec), options: options.map(\.spec),
            summary: summary, discussion: discussion, examples: examples)
        self.run = run
    }
}

/// A command line bound to a command: its arguments by name, option values and flags. Commands read them
/// through their declarations, typed.
struct ParsedArguments: Sendable {
    /// The command's name, for messages.
    var command = ""
    /// The positional words in order.
    var positionals: [String] = []
    var arguments: [String: String] = [:]
    var values: [String: [String]] = [:]
    var flags: Set<String> = []

    /// The option's last value, if given.
    func value<V>(_ o: Option<V>) throws -> V? { try values[o.spec.name]?.last.map(o.parse) }
    /// Every value of a repeatable option, in order.
    func values<V>(_ o: Option<V>) throws -> [V] { try (values[o.spec.name] ?? []).map(o.parse) }
    /// A required option's value (binding has checked it is there).
    func required<V>(_ o: Option<V>) throws -> V {
        guard let v = try value(o) else { throw UsageError.missingArgument(name: o.spec.synopsis, command: command) }
        return v
    }
    func flag(_ f: Flag) -> Bool { flags.contains(f.spec.name) }
    /// The argument, if given.
    func value<V>(_ a: Argument<V>) throws -> V? { try arguments[a.spec.name].map(a.parse) }
    /// A required argument (binding has checked it is there).
    func required<V>(_ a: Argument<V>) throws -> V {
        guard let v = try value(a) else { throw UsageError.missingArgument(name: a.spec.name, command: command) }
        return v
    }
}
