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
    let users: UserStore
    public let pops: ScreenPops
    let clock: WallClock

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
        /// The same event was taken before: nothing changed.
        public let duplicate: Bool
    }

    /// Numbers a PBX writes for a withheld caller.
    static let withheld: Set<String> = ["", "anonymous", "unknown", "private", "restricted", "withheld", "unavailable"]

    public func take(_ posted: Posted, by principal: Principal) async throws -> Taken {
        guard principal.authorization.scopes?.contains(.cti) == true else {
            throw GuardlineError.forbidden("Call events need an integration token with the 'cti.events' scope.")
        }
        guard CallEvent.isCallID(posted.callID) else {
            throw GuardlineError.invalid("'callId' is the PBX's id of the call: 1 to 128 printable characters without spaces.")
        }
        if let queue = posted.queue, !CallEvent.isQueue(queue) {
            throw GuardlineError.invalid("'queue' is a queue name: letters, digits, '_ . - +' and spaces, at most 64.")
        }
        if let to = posted.to, to.count > 64 { throw GuardlineError.invalid("'to' is at most 64 characters.") }
        var caller: PhoneNumber?
        if let from = posted.from, !Self.withheld.contains(from.lowercased()) {
            guard from.count <= 40, let number = PhoneNumber(from) else {
                throw GuardlineError.invalid("'from' must be the caller's international number (e.g. +351912345678), or 'anonymous'.")
            }
            caller = number
        }
        var agent: StaffUser?
        if let name = posted.agent { agent = try await desk.agentNamed(name, org: principal.orgID) }
        if posted.kind == .transferred, agent == nil { throw GuardlineError.invalid("A 'transferred' event names the 'agent' it went to.") }
        let now = clock.now
        // A PBX clock far off is not trusted to order events: its time is kept within a day of ours.
        let at = posted.at.map { abs($0.timeIntervalSince(now)) < 86_400 ? $0 : now } ?? now
        let event = CallEvent(kind: posted.kind, callID: posted.callID, from: caller, queue: posted.queue, agent: agent?.id,
                              agentTeam: agent?.teamID, at: at)
        var contact: ContactID?
        if let caller { contact = try await desk.directory.caller(caller, org: principal.orgID) }
        let org = principal.orgID
        let newID = InteractionID.make(at: now)
        let actor = principal.auditActor
        let audit = desk.audit
        let (taken, result) = try await desk.store.applyCallEvent(event, org: org, receivedAt: now, { [contact] current in
            if var row = current {
                if row.interaction.contactID == nil { row.interaction.contactID = contact }
                let popDue = CallProgress.apply(event, to: &row.interaction, now: now)
                return (row, false, (row.interaction, popDue))
            }
            let interaction = CallProgress.open(event, id: newID, org: org, contact: contact, now: now)
            return (InteractionStore.Row(interaction: interaction), true, (interaction, interaction.agentID != nil))
        })
        guard taken, let (interaction, popDue) = result else {
            // Idempotent: a retry gets the answer the first delivery got.
            let known = try await desk.store.find(callID: posted.callID, org: org)?.interaction
            return Taken(interactionID: known?.id, state: known?.state(at: now, wrapUp: desk.directory.wrapUp), duplicate: true)
        }
        // The entry follows the event's commit: it names the call by Guardline's id, never the PBX's or the number.
        try await audit.append(AuditRecord(
            by: actor, org: org, at: now, action: "cti.\(posted.kind.rawValue)", contactID: interaction.contactID,
            context: "interaction \(interaction.id)" + (agent.map { "; agent \($0.id)" } ?? "")))
        if popDue, let agentID = interaction.agentID, interaction.state(at: now, wrapUp: desk.directory.wrapUp) != InteractionState.closed {
            await pops.deliver(ScreenPop(interactionID: interaction.id, event: posted.kind, contactID: interaction.contactID, caller: caller,
                                         queue: interaction.queue), to: agentID)
        }
        return Taken(interactionID: interaction.id, state: interaction.state(at: now, wrapUp: desk.directory.wrapUp), duplicate: false)
    }
}

extension ContactDirectory {
    /// The one live contact holding this number, by the blind index; nil for none or several
    /// (a shared line: the agent picks), so a call never opens the wrong person.
    func caller(_ phone: PhoneNumber, org: OrganizationID) async throws -> ContactID? {
        let found = try await contacts.lookup(kind: BlindIndex.Kind.phone.rawValue, hashes: [ring.blindIndex.hash(.phone, phone.e164, org: org)], org: org, limit: 2)
        return found.count == 1 ? found[0].id : nil
    }
}
