import Foundation
import GCP2Core
import GCP2Store

/// `completion bash|zsh|fish`: a shell completion script generated from the command declarations, and
/// `completion --ids KIND`, which the scripts call for the store's ids.
enum CompletionCommand {
    enum Shell: String, CaseIterable, Sendable { case bash, zsh, fish }
    enum IDs: String, CaseIterable, Sendable { case families, children, assessments }

    static let shell = Argument<Shell>(
        "SHELL", optional: true, kind: .choices(Shell.allCases.map(\.rawValue)), help: "bash, zsh or fish"
    ) { text in
        guard let s = Shell(rawValue: text) else {
            throw UsageError.invalidValue(option: "SHELL", value: text, expected: Values.oneOf(Shell.allCases.map(\.rawValue)))
        }
        return s
    }
    static let ids = Option<IDs>.choice(
        "ids", "KIND", help: "print the store's families, children or assessments, one id a line (the scripts call this)")

    static let command = Command(
        "completion", "print a shell completion script for gcp2", arguments: [shell], options: [ids],
        discussion:
            "The script completes commands, subcommands, options, their fixed values, files, and family, child and assessment ids from the store ($GCP2_STORE, or --store given earlier on the line).",
        examples: [
            "gcp2 completion bash > ~/.local/share/bash-completion/completions/gcp2",
            "gcp2 completion zsh > ~/.zfunc/_gcp2", "gcp2 completion fish > ~/.config/fish/completions/gcp2.fish",
            "gcp2 completion --ids families",
        ], run: run)

    @Sendable static func run(_ c: Context) throws {
        if let kind = try c.args.value(ids) {
            // Quiet on purpose: a completion must never print an error into the user's command line.
            guard let store = try? c.openStore() else { return }
            // Families and children from the compact entries, assessments (withdrawn ones too) from the family
            // folders' listings: a key press must not read every index entry.
            if kind == .assessments {
                for a in (try? store.assessmentIDs()) ?? [] { c.out.line(a.rawValue) }
                return
            }
            guard let (families, _) = try? store.familyListing() else { return }
            for f in families {
                if kind == .families { c.out.line(f.family.id.rawValue) }
                if kind == .children { for child in f.family.children { c.out.line(child.id.rawValue) } }
            }
            return
        }
        guard let shell = try c.args.value(Self.shell) else {
            throw UsageError.missingArgument(name: "SHELL (bash, zsh or fish) or --ids KIND", command: "completion")
        }
        switch shell {
        case .bash: c.out.text(CompletionScript.bash())
        case .zsh: c.out.text(CompletionScript.zsh())
        case .fish: c.out.text(CompletionScript.fish())
        }
    }
}

/// The completion scripts, generated from `Commands.all` and `Commands.globals`.
enum CompletionScript {
    static var header: String { "# gcp2 \(GCP2CLI.version) completion, generated from its command declarations.\n" }

    /// The first words: commands and groups.
    static var firstWords: [String] { Array(Set(Commands.all.map { $0.spec.path[0] })).sorted() + ["help"] }
    /// Groups and their subcommands.
    static var groups: [(String, [String])] {
        firstWords.compactMap { w in
            let subs = Commands.group(w).map { $0.spec.path[1] }
            return subs.isEmpty ? nil : (w, subs)
        }
    }
    /// Options that take a value, of the globals and of each command: the scripts skip their values.
    static var valueOptions: [String] {
        Array(Set((Commands.globals + Commands.all.flatMap(\.spec.options)).filter { $0.value != nil }.map(\.flag)))
            .sorted()
    }

    /// A shell command that lists candidates of a kind; nil when there are none to offer.
    static func candidates(_ kind: ValueKind) -> String? {
        let store = "${store:+--store \"$store\"}"
        switch kind {
        case .family: return "gcp2 \(store) completion --ids families 2>/dev/null"
        case .child: return "gcp2 \(store) completion --ids children 2>/dev/null"
        case .assessment: return "gcp2 \(store) completion --ids assessments 2>/dev/null"
        case .choices(let words): return "printf '%s\\n' \(words.joined(separator: " "))"
        case .text, .number, .date, .file, .directory: return nil
        }
    }

    /// What differs between bash and zsh in the one script both get.
    struct Dialect: Sendable {
        var words: String
        var current: String
        var first: Int
        var declare: String
        var addOptions: @Sendable (String) -> String
        /// Offers the words of a shell expression (e.g. `$(…)`).
        var offer: @Sendable (String) -> String
        var files: String
        var directories: String
        /// Saves the words of a command's output as the candidates for the word being completed.
        var keep: @Sendable (String) -> String
        var finish: String

        static let bash = Dialect(
            words: "COMP_WORDS", current: "COMP_CWORD", first: 1, declare: "local opts list=\"\"",
            addOptions: { "opts=\"$opts \($0)\"" }, offer: { "COMPREPLY=($(compgen -W \"\($0)\" -- \"$cur\"))" },
            files: "COMPREPLY=($(compgen -f -- \"$cur\"))", directories: "COMPREPLY=($(compgen -d -- \"$cur\"))",
            keep: { "list=\"$(\($0))\"" },
            finish: """
                    if [[ $cur == -* ]]; then
                        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
                    elif [[ -n $list ]]; then
                        COMPREPLY=($(compgen -W "$list" -- "$cur"))
                    fi
                }
                complete -F _gcp2 gcp2

                """)

        static let zsh = Dialect(
            words: "words", current: "CURRENT", first: 2, declare: "local -a opts list",
            addOptions: { "opts+=(\($0))" }, offer: { "compadd -- ${=$(echo \($0))}" }, files: "_files",
            directories: "_files -/", keep: { "list=(${(f)\"$(\($0))\"})" },
            finish: """
                    if [[ $cur == -* ]]; then
                        compadd -- $opts
                    elif (( ${#list} )); then
                        compadd -- ${=list}
                    fi
                }
                compdef _gcp2 gcp2

                """)
    }

    static func bash() -> String { header + posix(.bash) }
    static func zsh() -> String { "#compdef gcp2\n" + header + posix(.zsh) }

    /// The bash or zsh script: find the command on the line, then offer an option's values, the command's
    /// options, or its next argument.
    static func posix(_ d: Dialect) -> String {
        let (w, n) = (d.words, d.current)
        var s = """
            _gcp2() {
                local cmd="" store="" npos=0 skip=0 i w cur="${\(w)[\(n)]}" prev="${\(w)[\(n)-1]}"
                \(d.declare)
                for ((i = \(d.first); i < \(n); i++)); do
                    w="${\(w)[i]}"
                    if ((skip)); then skip=0; continue; fi
                    case "$w" in
                        --store) skip=1; store="${\(w)[i+1]}"; continue ;;
                        \(valueOptions.joined(separator: "|"))) skip=1; continue ;;
                        -*) continue ;;
                    esac
                    case "$cmd" in
                        "") cmd="$w" ;;
                        \(groups.map(\.0).joined(separator: "|"))) cmd="$cmd $w" ;;
                        *) npos=$((npos + 1)) ;;
                    esac
                done
                \(d.addOptions(Commands.globals.map(\.flag).joined(separator: " ")))
                case "$cmd|$prev" in

            """
        func value(_ kind: ValueKind) -> String {
            switch kind {
            case .file: return d.files + "; return ;;"
            case .directory: return d.directories + "; return ;;"
            default:
                guard let list = candidates(kind) else { return "return ;;" }
                return d.offer("$(\(list))") + "; return ;;"
            }
        }
        for c in Commands.all {
            for o in c.spec.options where o.value != nil { s += "        \"\(c.spec.name)|\(o.flag)\") \(value(o.kind))\n" }
        }
        for o in Commands.globals where o.value != nil { s += "        *\"|\(o.flag)\") \(value(o.kind))\n" }
        s += "    esac\n    case \"$cmd\" in\n"
        s += "        \"\") \(d.offer(firstWords.joined(separator: " "))); return ;;\n"
        for (g, subs) in groups { s += "        \(g)) \(d.offer(subs.joined(separator: " "))); return ;;\n" }
        s += "        help) \(d.offer(firstWords.joined(separator: " "))); return ;;\n"
        for c in Commands.all {
            s += "        \"\(c.spec.name)\")\n"
            s += "            \(d.addOptions(c.spec.options.map(\.flag).joined(separator: " ")))\n"
            for (k, a) in c.spec.arguments.enumerated() {
                let action: String
                switch a.kind {
                case .file: action = d.files + "; return"
                case .directory: action = d.directories + "; return"
                default:
                    guard let list = candidates(a.kind) else { continue }
                    action = d.keep(list)
                }
                s += "            if [[ $cur != -* && $npos -eq \(k) ]]; then \(action); fi\n"
            }
            s += "            ;;\n"
        }
        return s + "    esac\n" + d.finish
    }

    static func fish() -> String {
        var s = header
        s += """
            # The command words on the line so far (options and their values left out).
            function __gcp2_words
                set -l skip 0
                set -l out
                for w in (commandline -opc)[2..-1]
                    if test $skip = 1
                        set skip 0
                        continue
                    end
                    switch $w
                        case \(valueOptions.joined(separator: " "))
                            set skip 1
                        case '-*'
                        case '*'
                            set -a out $w
                    end
                end
                string join ' ' -- $out
            end

            # Whether the command words so far are exactly the given ones.
            function __gcp2_is
                test "$(__gcp2_words)" = "$argv"
            end

            # Whether the command words so far start with the given command.
            function __gcp2_using
                set -l words (__gcp2_words)
                string match -q -- "$argv*" "$words"
            end

            complete -c gcp2 -f
            complete -c gcp2 -n '__gcp2_is ""' -a '\(firstWords.joined(separator: " "))'

            """
        for (g, subs) in groups {
            s += "complete -c gcp2 -n '__gcp2_is \(g)' -a '\(subs.joined(separator: " "))'\n"
        }
        for o in Commands.globals {
            s += fishOption(o, condition: nil)
        }
        for c in Commands.all {
            for o in c.spec.options { s += fishOption(o, condition: c.spec.name) }
            if let a = c.spec.arguments.first {
                let cond = "-n '__gcp2_is \"\(c.spec.name)\"'"
                switch a.kind {
                case .file, .directory: s += "complete -c gcp2 \(cond) -F\n"
                default:
                    if let list = fishCandidates(a.kind) { s += "complete -c gcp2 \(cond) -a '\(list)'\n" }
                }
            }
        }
        return s
    }

    /// The words fish offers for a kind: fixed words as they are, ids from the store at completion time.
    static func fishCandidates(_ kind: ValueKind) -> String? {
        if case .choices(let words) = kind { return words.joined(separator: " ") }
        return candidates(kind).map { "(" + $0.replacingOccurrences(of: "${store:+--store \"$store\"} ", with: "") + ")" }
    }

    static func fishOption(_ o: OptionSpec, condition: String?) -> String {
        var line = "complete -c gcp2"
        if let condition { line += " -n '__gcp2_using \"\(condition)\"'" }
        line += " -l \(o.name) -d '\(o.help.replacingOccurrences(of: "'", with: "\\'"))'"
        if o.value != nil {
            switch o.kind {
            case .file, .directory: line += " -r -F"
            default:
                line += " -x"
                if let list = fishCandidates(o.kind) { line += " -a '\(list)'" }
            }
        }
        return line + "\n"
    }
}
