import Foundation
import GuardlineCore
import GuardlineCrypto
import GuardlineStore

/// CTI intake: a PBX or CPaaS posts call events; each is taken once (by call, kind and
/// agent), folded into the call's interaction whatever order they come in, linked to
/// the caller's contact through the phone blind index, and popped on the console of
/// the agent who has the call.
public struct CallDesk: Sendable {
    let desk: InteractionDesk
    public let pops: ScreenPops
    let clock: WallClock
    /// Agents by sign-in email, for a few seconds: a burst of calls names the same few agents.
    /// A disabled agent is refused within that time (their console is refused at once).
    let agents: ExpiringCache<String, StaffUser?>

    /// An event as posted.
    public struct Posted: Sendable {
        public var kind: CallEvent.Kind
        public var callID: String
        public var from: String?
        public var to: String?
        public var queue: String?
        public var agent: String?
        public var at: Date?

        public init(kind: CallEvent.Kind, callID: String, from: String?, to: String?, queue: String?, agent: String?, at: Date?) {
            self.kind = kind
            self.callID = callID
            self.from = from
            self.to = to
            self.queue = queue
            self.agent = agent
            self.at = at
        }
    }

    public struct Taken: Sendable {
        public let interactionID: InteractionID?
        public let state: InteractionState?
        /// The caller's contact, when one is linked (what the pop carries; not in the PBX's answer).
        public var contactID: ContactID? = nil
        /// The interaction as this event left it (what the pop carries).
        public var interaction: Interaction? = nil
        /// The same event was taken before: nothing changed.
        public let duplicate: Bool

        public init(interactionID: InteractionID?, state: InteractionState?, contactID: ContactID? = nil, duplicate: Bool) {
            self.interactionID = interactionID
            self.state = state
            self.contactID = contactID
            self.duplicate = duplicate
        }
    }

    /// Numbers a PBX writes for a withheld caller.
    static let withheld: Set<String> = ["", "anonymous", "unknown", "private", "restricted", "withheld", "unavailable"]

    public func take(_ posted: Posted, by principal: Principal) async throws -> Taken {
        guard principal.authorization.holdsPhoneSystemScope else {
            throw GuardlineError.forbidden("Call events need an integration token with the 'cti.events' scope, made by someone who still manages users.")
        }
        guard CallEvent.isCallID(posted.callID) else {
            throw GuardlineError.invalid("'callId' is the PBX's id of the call: 1 to 128 printable characters without spaces.")
        }
        if let queue = posted.queue { try InteractionDesk.checkQueue(queue) }
        if let to = posted.to, to.count > 64 { throw GuardlineError.invalid("'to' is at most 64 characters.") }
        var caller: PhoneNumber?
        if let from = posted.from, !Self.withheld.contains(from.lowercased()) {
            guard from.count <= 40, let number = PhoneNumber(from) else {
                throw GuardlineError.invalid("'from' must be the caller's international number (e.g. +351912345678), or 'anonymous'.")
            }
            caller = number
        }
        var agent: StaffUser?
        if let name = posted.agent {
            let org = principal.orgID
            agent = try await agents.value(for: "\(org)|\(name.lowercased())") { try? await desk.agentNamed(name, org: org) }
            guard agent != nil else { throw GuardlineError.invalid("'agent' names no active user of this organization (give their sign-in email).") }
        }
        if posted.kind == .transferred, agent == nil { throw GuardlineError.invalid("A 'transferred' event names the 'agent' it went to.") }
        let now = clock.now
        // The PBX's clock orders hand-overs and tells retries apart (as sent: a retry sends it again).
        // An event a day old or from the future is refused: it could take a call from its agent or pin it.
        if let sent = posted.at, abs(sent.timeIntervalSince(now)) > (sent > now ? 300 : 86_400) {
            throw GuardlineError.invalid("'at' is more than a day before, or more than five minutes after, this server's time: check the PBX's clock.")
        }
        let occurred = posted.at
        let at = posted.at.map { min($0, now) } ?? now
        let org = principal.orgID
        let event = CallEvent(kind: posted.kind, callKey: key(for: posted.callID, org: org), from: caller, queue: posted.queue,
                              agent: agent?.id, agentTeam: agent?.teamID, at: at)
        var contact: ContactID?
        if let caller { contact = try await desk.directory.caller(caller, org: org) }
        let callerHash = caller.map { desk.directory.ring.blindIndex.hash(.phone, $0.e164, org: org) }
        for attempt in 0..<2 {
            // The entry commits with the change (PostgreSQL): it names the call by Guardline's id, never the PBX's or the number.
            let existing = try await desk.store.find(callKey: event.callKey, org: org)?.interaction
            // Only a call already open can have taken this event before.
            if existing != nil, try await desk.store.hasTaken(event, occurred: occurred, org: org) {
                return try await duplicate(event, org: org, now: now)
            }
            let id = existing?.id ?? InteractionID.make(at: now)
            let record = AuditRecord(
                by: principal.auditActor, org: org, at: now, action: "cti.\(posted.kind.rawValue)", contactID: existing?.contactID ?? contact,
                context: "interaction \(id)" + (agent.map { "; agent \($0.id)" } ?? ""))
            do {
                let (interaction, popDue) = try await desk.audit.recording(record) { [contact, callerHash] step in
                    let (taken, result) = try await desk.store.applyCallEvent(event, occurred: occurred, org: org, receivedAt: now, { current in
                        guard current?.interaction.id ?? id == id else { throw Retry() }
                        if var row = current {
                            if row.interaction.contactID == nil { row.interaction.contactID = contact }
                            if row.interaction.callerHash == nil { row.interaction.callerHash = callerHash }
                            let popDue = CallProgress.apply(event, to: &row.interaction, now: now)
                            return (row, false, (row.interaction, popDue))
                        }
                        var interaction = CallProgress.open(event, id: id, org: org, contact: contact, now: now)
                        interaction.callerHash = callerHash
                        return (InteractionStore.Row(interaction: interaction), true, (interaction, interaction.agentID != nil))
                    }, step: step)
                    guard taken, let result else { throw Duplicate() }
                    return result
                }
                let state = interaction.state(at: now, wrapUp: desk.directory.wrapUp)
                if popDue, let agentID = interaction.agentID, state != InteractionState.closed {
                    await pops.deliver(ScreenPop(interactionID: interaction.id, event: posted.kind, contactID: interaction.contactID, caller: caller,
                                                 queue: interaction.queue, interaction: interaction), to: agentID)
                }
                var taken = Taken(interactionID: interaction.id, state: state, contactID: interaction.contactID, duplicate: false)
                taken.interaction = interaction
                return taken
            } catch is Duplicate {
                return try await duplicate(event, org: org, now: now)
            } catch where attempt == 0 && (error is Retry || InteractionStore.isConflict(error)) {
                // Another event of the same call opened it meanwhile: take this one again, against that.
                continue
            }
        }
        throw GuardlineError(.conflict, "The call changed too often at once; send the event again.")
    }

    /// The keyed hash a PBX's call id is kept as.
    func key(for callID: String, org: OrganizationID) -> String {
        desk.directory.ring.blindIndex.hash(.call, callID, org: org).hex
    }

    /// Idempotent: a retry gets the answer the first delivery got.
    private func duplicate(_ event: CallEvent, org: OrganizationID, now: Date) async throws -> Taken {
        let known = try await desk.store.find(callKey: event.callKey, org: org)?.interaction
        return Taken(interactionID: known?.id, state: known?.state(at: now, wrapUp: desk.directory.wrapUp), duplicate: true)
    }

    private struct Duplicate: Error {}
    private struct Retry: Error {}
}

extension ContactDirectory {
    /// The one live contact holding this number, by the blind index; nil for none or several
    /// (a shared line: the agent picks), so a call never opens the wrong person.
    func caller(_ phone: PhoneNumber, org: OrganizationID) async throws -> ContactID? {
        let found = try await contacts.lookup(kind: BlindIndex.Kind.phone.rawValue, hashes: [ring.blindIndex.hash(.phone, phone.e164, org: org)], org: org, limit: 2)
        return found.count == 1 ? found[0].id : nil
    }

    /// Whether `contact` holds the number whose blind-index hash is `phoneHash`.
    func holds(_ contact: ContactID, phoneHash: [UInt8], org: OrganizationID) async throws -> Bool {
        try await contacts.lookup(kind: BlindIndex.Kind.phone.rawValue, hashes: [phoneHash], org: org, limit: 50).contains { $0.id == contact }
    }
}
