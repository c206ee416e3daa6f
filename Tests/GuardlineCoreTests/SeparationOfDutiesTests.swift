import Foundation
import GuardlineCore
import Testing

@Suite("Separation of duties and search rules (ASVS V8.2)") struct SeparationOfDutiesRuleTests {
    private func user(_ role: Role, team: TeamID? = nil, profile: AccessProfileID? = nil) -> StaffUser {
        StaffUser(id: .make(), orgID: Fixture.org, email: "x@example.com", name: "X", role: role, teamID: team,
                  profileID: profile, disabled: false, createdAt: Fixture.date)
    }

    @Test("nobody changes their own role, team or profile; other changes to oneself pass")
    func ownAssignment() {
        let me = user(.admin)
        let actor = SeparationOfDuties.Actor(user: me, heldProfile: nil)
        #expect(SeparationOfDuties.checkUpdate(of: me, newRole: .dpo, changesAssignment: true, by: actor) == .ownAssignment)
        #expect(SeparationOfDuties.checkUpdate(of: me, newRole: nil, changesAssignment: false, by: actor) == nil)
        #expect(SeparationOfDuties.checkUpdate(of: user(.agent), newRole: .supervisor, changesAssignment: true, by: actor) == nil)
    }

    @Test("only an admin creates, promotes or changes an admin")
    func adminsByAdmins() {
        let manager = SeparationOfDuties.Actor(user: user(.supervisor), heldProfile: nil)
        #expect(SeparationOfDuties.checkCreate(role: .admin, by: manager) == .adminByNonAdmin)
        #expect(SeparationOfDuties.checkCreate(role: .agent, by: manager) == nil)
        #expect(SeparationOfDuties.checkUpdate(of: user(.agent), newRole: .admin, changesAssignment: true, by: manager) == .adminByNonAdmin)
        #expect(SeparationOfDuties.checkUpdate(of: user(.admin), newRole: nil, changesAssignment: false, by: manager) == .adminByNonAdmin)
        let admin = SeparationOfDuties.Actor(user: user(.admin), heldProfile: nil)
        #expect(SeparationOfDuties.checkCreate(role: .admin, by: admin) == nil)
    }

    @Test("the profile one holds, directly or through one's team, is not one's to edit")
    func heldProfile() {
        let profile = AccessProfileID.make()
        let team = TeamID.make()
        let member = SeparationOfDuties.Actor(user: user(.agent, team: team), heldProfile: profile)
        #expect(SeparationOfDuties.checkProfileChange(profile, by: member) == .heldProfile)
        #expect(SeparationOfDuties.checkProfileChange(.make(), by: member) == nil)
        #expect(SeparationOfDuties.checkTeamProfileChange(team, by: member) == .heldProfile)
        #expect(SeparationOfDuties.checkTeamProfileChange(.make(), by: member) == nil)
        // With a profile of one's own, the team's profile is not what one holds.
        let overridden = SeparationOfDuties.Actor(user: user(.agent, team: team, profile: profile), heldProfile: profile)
        #expect(SeparationOfDuties.checkTeamProfileChange(team, by: overridden) == nil)
    }

    @Test("searching by a field needs the field shown, and a name search its capability")
    func search() {
        let catalog = FieldCatalog.standard
        let outbound = Fixture.profile(StandardProfiles.outboundSales)
        #expect(AccessPolicy.maySearch(by: .phone, outbound, catalog: catalog))
        #expect(!AccessPolicy.maySearch(by: .email, outbound, catalog: catalog))
        #expect(!AccessPolicy.maySearch(by: .name, outbound, catalog: catalog))
        let supervision = Fixture.profile(StandardProfiles.supervision)
        #expect(AccessPolicy.maySearch(by: .phone, supervision, catalog: catalog), "masked still shows part of the value")
        #expect(AccessPolicy.maySearch(by: .name, supervision, catalog: catalog))
        #expect(!AccessPolicy.maySearch(by: .name, Fixture.profile([.name: .visible]), catalog: catalog), "no searchByName")
        #expect(!AccessPolicy.maySearch(by: .phone, Fixture.profile([.phone: .masked(.redacted)]), catalog: catalog))
    }
}

@Suite("Request budget") struct RequestBudgetTests {
    @Test("a full bucket grants its burst, then one request per 60/perMinute seconds")
    func refill() {
        var budget = RequestBudget(perMinute: 60, now: Fixture.date)
        for _ in 0..<60 { #expect(budget.spend(now: Fixture.date) == nil) }
        #expect(budget.spend(now: Fixture.date) == 1)
        #expect(budget.spend(now: Fixture.date.addingTimeInterval(1)) == nil)
        #expect(budget.spend(now: Fixture.date.addingTimeInterval(1)) != nil)
        #expect(!budget.isFull(now: Fixture.date.addingTimeInterval(1)))
        #expect(budget.isFull(now: Fixture.date.addingTimeInterval(61)))
    }

    @Test("a request costs as many tokens as the contacts it may return")
    func cost() {
        var budget = RequestBudget(perMinute: 600, now: Fixture.date)
        #expect(budget.spend(now: Fixture.date, cost: 200) == nil)
        #expect(budget.spend(now: Fixture.date, cost: 200) == nil)
        #expect(budget.spend(now: Fixture.date, cost: 200) == nil)
        #expect(budget.spend(now: Fixture.date, cost: 200) == 20, "200 tokens at 10 a second")
    }
}

@Suite("Text rules follow the document's lengths") struct TextRulesTests {
    @Test("maxLength counts code points as sent, surrounding blanks included; blank text is refused")
    func lengths() throws {
        #expect(try TextRules.required("  Ana  ", "name", max: 7) == "Ana")
        #expect(throws: GuardlineError.self) { try TextRules.required("\u{0B}" + String(repeating: "a", count: 200), "name", max: 200) }
        #expect(throws: GuardlineError.self) { try TextRules.required("   ", "name", max: 200) }
        // Four code points, one grapheme: the document counts four.
        #expect(throws: GuardlineError.self) { try TextRules.required("👩‍👩‍👦", "name", max: 3) }
        #expect(throws: GuardlineError.self) { try TextRules.reason("  ab  ") }
        #expect(try TextRules.reason(" why ") == "why")
    }
}
