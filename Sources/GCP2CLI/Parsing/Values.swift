import GCP2Core

/// The value types options and arguments are read as, each with its parser and its error.
extension Option where Value == CalendarDate {
    /// A calendar date `YYYY-MM-DD`.
    static func date(_ name: String, _ value: String = "DATE", required: Bool = false, help: String) -> Self {
        Self(name, value, required: required, kind: .date, help: help) { try Values.date("--" + name, $0) }
    }
}

extension Option where Value == Int {
    /// A whole number `low` or more (at most `high` when given).
    static func number(_ name: String, _ value: String = "N", from low: Int = 0, to high: Int? = nil, help: String) -> Self {
        Self(name, value, kind: .number, help: help) { text in
            guard let n = Int(text), n >= low, n <= (high ?? .max) else {
                throw UsageError.invalidValue(
                    option: "--" + name, value: text,
                    expected: high.map { "a whole number \(low) to \($0)" } ?? "a whole number \(low) or more")
            }
            return n
        }
    }
}

extension Option where Value: RawRepresentable & CaseIterable & Sendable, Value.RawValue == String {
    /// One of an enumeration's raw values (any case).
    static func choice(
        _ name: String, _ value: String, repeatable: Bool = false, required: Bool = false, help: String
    ) -> Self {
        let words = Value.allCases.map(\.rawValue)
        return Self(name, value, required: required, repeatable: repeatable, kind: .choices(words), help: help) { text in
            guard let v = Value(rawValue: text.lowercased()) else {
                throw UsageError.invalidValue(option: "--" + name, value: text, expected: Values.oneOf(words))
            }
            return v
        }
    }
}

extension Argument where Value: SafeIdentifier {
    /// An id of a family, child or assessment; text that cannot be one is "not found" (66), as an unknown id is.
    static func id(_ name: String, optional: Bool = false, kind: ValueKind, help: String) -> Self {
        Self(name, optional: optional, kind: kind, help: help) { try Values.id($0, kind) }
    }
}

extension Option where Value: SafeIdentifier {
    /// An option naming a family, child or assessment by id.
    static func id(_ name: String, _ value: String, kind: ValueKind, help: String) -> Self {
        Self(name, value, kind: kind, help: help) { try Values.id($0, kind) }
    }
}

/// Parsers shared by the declarations.
enum Values {
    static func date(_ option: String, _ text: String) throws(UsageError) -> CalendarDate {
        guard let d = CalendarDate(text) else {
            throw .invalidValue(option: option, value: text, expected: "a date YYYY-MM-DD")
        }
        return d
    }

    static func oneOf(_ values: [String]) -> String { "one of: " + values.joined(separator: ", ") }

    static func id<T: SafeIdentifier>(_ text: String, _ kind: ValueKind) throws -> T {
        guard let v = T(rawValue: text) else {
            let what =
                switch kind {
                case .family: "family"
                case .child: "child"
                default: "assessment"
                }
            throw CLIFailure(
                message: "no \(what) \(Output.safe(text)) in the store",
                hint: "ids look like f-k2m9q7 (family), f-k2m9q7-c1 (child), f-k2m9q7-a1 (assessment)",
                code: .notFound)
        }
        return v
    }
}
