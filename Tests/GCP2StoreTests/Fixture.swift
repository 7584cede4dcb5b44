import Foundation
import GCP2Core
import TestSupport
import Testing

@testable import GCP2Store

let now = Date(timeIntervalSince1970: 1_780_000_000)  // 2026-05-28
let today = CalendarDate("2026-06-30")!

/// A store with one family of two children and two carers.
struct Fixture {
    let dir = TempDir()
    let store: Store
    let family: Family
    var child: ChildID { family.children[0].id }
    var sibling: ChildID { family.children[1].id }

    init() throws {
        store = try Store.create(at: dir.path + "/store", now: now)
        let f = try store.addFamily(ref: "RX-1", actor: "tester", now: now)
        _ = try store.addChild(
            to: f.id, name: "Ada Sample", born: CalendarDate("2017-04-02")!, actor: "tester", now: now, today: today)
        _ = try store.addChild(
            to: f.id, name: "Bea Sample", born: CalendarDate("2021-09-15")!, actor: "tester", now: now, today: today)
        _ = try store.addCarer(to: f.id, name: "Cy Sample", relationship: .mother, actor: "tester", now: now)
        _ = try store.addCarer(to: f.id, name: "Dee Sample", relationship: .mothersPartner, actor: "tester", now: now)
        family = try store.family(f.id)
    }

    /// A complete assessment of both children with every applicable item at `grade` (with overrides).
    func assessment(on date: String, grade: Int, overrides: [String: Int] = [:], children: [ChildID]? = nil) -> Assessment {
        let d = CalendarDate(date)!
        let inst = Instrument.gcp2Structure
        let profiles = (children ?? family.children.map(\.id)).map { cid in
            let born = family.child(cid)!.born
            let items = inst.areas.flatMap(\.subAreas).flatMap {
                inst.applicableItems(in: $0, ageMonths: born.wholeMonths(to: d))
            }
            return ProfileRecord(
                childId: cid,
                ratings: items.map {
                    ItemRating(
                        $0.linkId,
                        .graded(Grade(rawValue: overrides[$0.linkId.rawValue] ?? grade)!, evidence: "Observed on visit."))
                }, childView: "Said home was fine.", seenAlone: true)
        }
        return Assessment(
            id: AssessmentID(unchecked: "new"), familyId: family.id,
            window: ObservationWindow(start: d.adding(days: -20), end: d),
            visits: [Visit(date: d.adding(days: -20), announced: true), Visit(date: d.adding(days: -5), announced: false)],
            assessors: [Assessor(name: "Sam Worker", role: "social worker", team: "North")], carers: [family.carers[0].id],
            profiles: profiles)
    }
}
