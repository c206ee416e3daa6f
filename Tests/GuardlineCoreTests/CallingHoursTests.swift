import Foundation
import GuardlineCore
import Testing

/// Calling hours are judged in the contact's own time zone, told from their number.
@Suite("Calling hours and campaign rules") struct CallingHoursTests {
    let lisbon = TimeZone(identifier: "Europe/Lisbon")!
    let berlin = TimeZone(identifier: "Europe/Berlin")!
    /// Wednesday 2 December 2026, 19:30 UTC: 19:30 in Lisbon, 20:30 in Berlin.
    let evening = Date(timeIntervalSince1970: 1_796_239_800)

    @Test("the same instant is inside the window in Lisbon and outside it in Berlin")
    func zones() throws {
        #expect(CallingHours.standard.isOpen(at: evening, in: lisbon))
        #expect(!CallingHours.standard.isOpen(at: evening, in: berlin))
        #expect(CallingZone.of(PhoneNumber("+49 151 1234 5678"), fallback: lisbon) == berlin)
        #expect(CallingZone.of(PhoneNumber("+351 912 345 678"), fallback: berlin) == lisbon)
        // +1 spans six zones: the campaign's zone decides.
        #expect(CallingZone.of(PhoneNumber("+1 212 555 0100"), fallback: lisbon) == lisbon)
    }

    @Test("the next opening skips the weekend")
    func nextOpening() throws {
        // Friday 4 December 2026, 21:00 in Lisbon: the next weekday window opens Monday at 09:00.
        let friday = Date(timeIntervalSince1970: 1_796_418_000)
        let opening = try #require(CallingHours.standard.nextOpening(after: friday, in: lisbon))
        #expect(opening == Date(timeIntervalSince1970: 1_796_634_000))
        #expect(CallingHours.standard.isOpen(at: opening, in: lisbon))
    }

    @Test("times are HH:MM and nothing else")
    func parsing() {
        #expect(CallingHours.minutes("09:00") == 540)
        #expect(CallingHours.minutes("24:00") == 1440)
        for bad in ["9:00", "24:01", "12:60", "ab:cd", "", "12:00:00"] { #expect(CallingHours.minutes(bad) == nil, "\(bad)") }
    }

    @Test("a campaign needs an active purpose on its channel, a real window, a zone and bounded attempts")
    func rules() throws {
        let purposes = StandardCatalog.purposes
        let stages = JourneyStage.standard
        let good = Campaign(
            id: .make(), orgID: .make(), name: "Winter offer", purpose: "outbound_marketing", lawfulBasis: .consent, channel: .phone, stages: ["customer"],
            hours: .standard, timeZone: "Europe/Lisbon", maxAttempts: 3, createdBy: nil, createdAt: Date())
        try CampaignRules.check(good, purposes: purposes, stages: stages)
        var bad = [Campaign]()
        for change in [
            { (c: inout Campaign) in c.purpose = "nope" }, { $0.channel = .email; $0.purpose = "call_recording" },
            { $0.stages = ["vip"] }, { $0.hours.start = 20 * 60; $0.hours.end = 9 * 60 }, { $0.hours.days = [0] },
            { $0.hours.days = [] }, { $0.timeZone = "Mars/Olympus" }, { $0.maxAttempts = 0 }, { $0.maxAttempts = 11 }, { $0.name = "  " },
        ] as [(inout Campaign) -> Void] {
            var campaign = good
            change(&campaign)
            bad.append(campaign)
        }
        for campaign in bad {
            #expect(throws: GuardlineError.self) { try CampaignRules.check(campaign, purposes: purposes, stages: stages) }
        }
        var inactive = purposes
        inactive[2].active = false
        #expect(throws: GuardlineError.self) { try CampaignRules.check(good, purposes: inactive, stages: stages) }
    }

    @Test("an outcome retries only while attempts remain")
    func retries() {
        #expect(ListEntryState.after(.noAnswer, attempts: 1, maxAttempts: 2) == .pending)
        #expect(ListEntryState.after(.busy, attempts: 2, maxAttempts: 2) == .done)
        #expect(ListEntryState.after(.doNotCall, attempts: 1, maxAttempts: 5) == .done)
        #expect(ListEntryState.after(.reached, attempts: 1, maxAttempts: 5) == .done)
    }
}
