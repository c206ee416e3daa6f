import Benchmark
import Foundation
import GuardlineCore
import GuardlineServer

// MARK: - CTI ringing-to-pop

/// What a call costs before its agent sees the caller, in process: the PBX's `answered`
/// event taken once (idempotency, the caller matched by blind index among 100,000
/// contacts, the interaction created and its audit entry committed with it), the pop
/// handed to the agent's open console, and the card rendered for that agent within the
/// call (need-to-know resolved against the live interaction, the permitted fields
/// decrypted and masked, the read audited). Budget: at least 5,000 events a second.
func ctiPop(concurrency: Int) {
    let run = UUID().uuidString.prefix(8)
    contactsBenchmark("CtiPop", concurrency: concurrency, note: "encrypted contacts; inbound agent bound to the call", lookupOnly: false) { directory, n in
        let phone = directory.phones[contactIndex(n, count: directory.phones.count)]
        let taken = try await directory.services.calls.take(
            .init(kind: .answered, callID: "bench-\(run)-\(n)", from: phone, to: nil, queue: "support", agent: directory.inbound.user.email, at: nil),
            by: phoneSystem(directory))
        guard let id = taken.interactionID, !taken.duplicate else { throw BenchError("Call \(n) was not taken.") }
        let card = await ScreenPopCard.render(
            ScreenPop(interactionID: id, event: .answered, contactID: taken.contactID, caller: nil, queue: "support", interaction: taken.interaction),
            for: directory.inbound, services: directory.services)
        guard card.contactId != nil, card.fields.contains(where: { $0.value == phone }), card.fields.count >= 4 else {
            throw BenchError("The pop of call \(n) showed \(card.fields.count) fields, not the caller as the agent's profile shows them within the call.")
        }
        blackHole(card)
    }
}

/// The phone system's integration token: `cti.events`, made by an administrator.
private func phoneSystem(_ directory: BenchData.Directory) -> Principal {
    let admin = StaffUser(id: UserID(UUID(uuid: (0, 0, 0, 0, 0, 0, 0x70, 0, 0x80, 0, 0, 0, 0, 0, 0, 1))), orgID: directory.org, email: "pbx@bench.test",
                          name: "PBX", role: .admin, teamID: nil, profileID: nil, disabled: false, createdAt: .distantPast)
    return Principal(user: admin, authorization: Authorization(role: .admin, profile: .denyAll(orgID: directory.org), scopes: [.cti]),
                     credential: .integrationToken(APITokenID(UUID(uuid: (0, 0, 0, 0, 0, 0, 0x70, 0, 0x80, 0, 0, 0, 0, 0, 0, 2)))))
}
