import GCP2Core
import GCP2Store

/// Stored one-line text — names, references, roles, teams — as the text views show it: every control character
/// escaped, the newline too. The input rules refuse such text; a store written before them (or edited by hand)
/// may still hold it, and a name must then neither break its line nor start one that reads as gcp2's own. Other
/// control characters are escaped anyway on output; this adds the newline, which output keeps for layout.
///
/// Only views use these copies: nothing shown is ever written back.
enum Shown {
    static func line(_ text: String) -> String { TextRule.escaped(text, keepNewlines: false) }
}

extension Child {
    var shown: Child {
        var c = self
        c.name = Shown.line(name)
        return c
    }
}

extension Carer {
    var shown: Carer {
        var c = self
        c.name = Shown.line(name)
        return c
    }
}

extension Family {
    var shown: Family {
        var f = self
        f.ref = Shown.line(ref)
        f.children = children.map(\.shown)
        f.carers = carers.map(\.shown)
        return f
    }
}

extension FamilyIndex {
    var shown: FamilyIndex {
        var i = self
        i.family.ref = Shown.line(family.ref)
        i.family.children = family.children.map(\.shown)
        i.family.carers = family.carers.map(\.shown)
        return i
    }
}

extension Assessment {
    var shown: Assessment {
        var a = self
        a.assessors = assessors.map { x in
            var x = x
            x.name = Shown.line(x.name)
            x.role = Shown.line(x.role)
            x.team = x.team.map(Shown.line)
            return x
        }
        return a
    }
}
