import Foundation
import GuardlineCore
import GuardlineCrypto
import GuardlineStore

/// Call recordings: uploaded by the phone system as they stream in, sealed under the
/// contact's key segment by segment (erasure shreds them with the contact), kept in the
/// blob store under the purpose "call_recording" and its lawful basis, and played back
/// only to profiles that allow it, each playback in the audit chain first.
public struct RecordingDesk: Sendable {
    let recordings: RecordingStore
    let interactions: InteractionDesk
    let blobs: any BlobStore
    let consents: ConsentStore
    let catalogs: CatalogCache
    let clock: WallClock
    /// The largest recording taken (`GUARDLINE_RECORDING_MAX_BYTES`).
    public let maxBytes: Int64

    /// Stores the recording of a call, reading `body` as it arrives. Refused before a byte
    /// is kept when the call has no contact, has one already, or the purpose's basis is
    /// consent and the contact has not given it for calls.
    public func upload<Body: AsyncSequence & Sendable>(
        _ id: InteractionID, format: RecordingFormat, body: Body, by principal: Principal
    ) async throws -> Recording where Body.Element == ArraySlice<UInt8> {
        guard principal.authorization.holdsPhoneSystemScope else {
            throw GuardlineError.forbidden("Recordings come from the phone system: an integration token with the 'cti.events' scope, made by someone who still manages users.")
        }
        guard let row = try await interactions.store.find(id, org: principal.orgID) else { throw GuardlineError.notFound("The interaction") }
        let interaction = row.interaction
        guard interaction.channel == .voice else { throw GuardlineError(.conflict, "Only calls have recordings.") }
        guard let contact = interaction.contactID else {
            throw GuardlineError(.conflict, "The caller is not linked to a contact yet: a recording is sealed under the contact's key.")
        }
        guard try await recordings.find(interaction: id, org: principal.orgID) == nil else {
            throw GuardlineError(.conflict, "This call has a recording already.")
        }
        guard let purpose = try await catalogs.purposes(for: principal.orgID).first(where: { $0.key == Recording.purpose }) else {
            throw GuardlineError(.conflict, "The catalog has no purpose '\(Recording.purpose)': a recording needs a purpose and its lawful basis.")
        }
        if purpose.lawfulBasis == .consent {
            let ledger = ConsentLedger(try await consents.events(contact: contact, org: principal.orgID))
            guard ledger.decision(Recording.purpose, .phone) == .granted else {
                throw GuardlineError(.conflict, "The contact has not agreed to be recorded (purpose '\(Recording.purpose)' rests on consent): the recording is not kept.")
            }
        }
        let recording = Recording(
            id: UUID.version7(at: clock.now), orgID: principal.orgID, contactID: contact, interactionID: id, contentType: format, bytes: 0,
            purpose: purpose.key, lawfulBasis: purpose.lawfulBasis, createdAt: clock.now)
        var sealer = RecordingCipher(
            key: try await interactions.directory.subjectKey(for: contact, org: principal.orgID), org: principal.orgID, contact: contact,
            recording: recording.id).sealer()
        let key = BlobKey(org: principal.orgID, id: recording.id)
        let writer = try blobs.create(key)
        var size: Int64 = 0
        do {
            for try await chunk in body {
                size += Int64(chunk.count)
                guard size <= maxBytes else {
                    throw GuardlineError(.payloadTooLarge, "The recording is larger than \(maxBytes) bytes, the most this server keeps.")
                }
                let sealed = try sealer.feed(chunk)
                if !sealed.isEmpty { try writer.write(sealed) }
            }
            try writer.write(try sealer.finish())
            try writer.commit()
        } catch {
            writer.abort()
            throw error
        }
        var stored = recording
        stored.bytes = size
        let record = AuditRecord(
            by: principal.auditActor, org: principal.orgID, at: clock.now, action: "recording.store", contactID: contact,
            context: "interaction \(id); recording \(recording.id.uuidString.lowercased()); \(size) bytes; purpose \(purpose.key), basis \(purpose.lawfulBasis.rawValue)")
        // Consent and the contact are checked again as the recording is kept: a withdrawal or an
        // erasure during a long upload wins, and the sealed file goes.
        if purpose.lawfulBasis == .consent {
            let ledger = ConsentLedger(try await consents.events(contact: contact, org: principal.orgID))
            guard ledger.decision(Recording.purpose, .phone) == .granted,
                  try await interactions.directory.restriction(of: contact, org: principal.orgID) == nil
            else {
                try? blobs.delete(key)
                throw GuardlineError(.conflict, "The contact withdrew their agreement to be recorded, or their processing was restricted, while the recording came in: it is not kept.")
            }
        }
        do {
            let inserted = try await interactions.audit.recording(record) { step in try await recordings.insert(stored, step: step) }
            guard inserted else { throw GuardlineError(.conflict, "This call has a recording already.") }
        } catch {
            try? blobs.delete(key)
            throw error
        }
        return stored
    }

    /// The recording, decrypted as it is read, for a profile with `playRecordings` that may
    /// read the interaction's content. The playback is recorded before a byte is sent.
    public func play(_ id: InteractionID, by principal: Principal) async throws -> (Recording, RecordingPlayback) {
        guard principal.authorization.mayReadContacts else { throw GuardlineError.forbidden("This token has no contacts scope.") }
        try principal.require(.playRecordings, to: "play call recordings")
        try interactions.directory.rateLimit.spend(principal)
        guard let row = try await interactions.store.find(id, org: principal.orgID),
              InteractionDesk.inScope(row.interaction, principal),
              InteractionAccess.opensContent(row.interaction, for: InteractionDesk.viewer(principal)),
              let recording = try await recordings.find(interaction: id, org: principal.orgID)
        else { throw GuardlineError.notFound("The recording") }
        // Need-to-know as for what was said: a bound profile plays a call only while it is live and theirs.
        let bound = (try? await interactions.directory.binding(principal, interaction: id, reason: false)) ?? nil
        guard bound?.opensFully(recording.contactID) ?? !NeedToKnow.isBound(principal.profile) else {
            throw GuardlineError.forbidden("Your access profile plays a recording only within the live call it was made in.")
        }
        let cipher = RecordingCipher(
            key: try await interactions.directory.subjectKey(for: recording.contactID, org: principal.orgID), org: principal.orgID,
            contact: recording.contactID, recording: recording.id)
        let key = BlobKey(org: principal.orgID, id: recording.id)
        guard let probe = try blobs.open(key) else { throw GuardlineError.notFound("The recording's audio") }
        probe.close()
        try await interactions.audit.append(AuditRecord(
            by: principal.auditActor, org: principal.orgID, at: clock.now, action: "recording.play", contactID: recording.contactID,
            fields: ["recording"], context: "interaction \(id); recording \(recording.id.uuidString.lowercased())"))
        return (recording, RecordingPlayback(cipher: cipher, blobs: blobs, key: key))
    }
}

/// A recording's audio, read from the blob store and opened one segment at a time as the
/// client takes it: a long call is never held in memory. A segment that fails to
/// authenticate (altered, cut short) ends the stream with an error.
public struct RecordingPlayback: AsyncSequence, Sendable {
    public typealias Element = ArraySlice<UInt8>
    let cipher: RecordingCipher
    let blobs: any BlobStore
    let key: BlobKey

    public func makeAsyncIterator() -> Iterator { Iterator(cipher: cipher, blobs: blobs, key: key) }

    public struct Iterator: AsyncIteratorProtocol {
        let blobs: any BlobStore
        let key: BlobKey
        var opener: RecordingCipher.Opener
        var reader: (any BlobReader)?
        var done = false

        init(cipher: RecordingCipher, blobs: any BlobStore, key: BlobKey) {
            self.blobs = blobs
            self.key = key
            opener = cipher.opener()
        }

        public mutating func next() async throws -> ArraySlice<UInt8>? {
            while !done {
                if reader == nil {
                    guard let opened = try blobs.open(key) else { throw GuardlineError.notFound("The recording's audio") }
                    reader = opened
                }
                let sealed = try reader!.read(upTo: RecordingCipher.segmentSize)
                if sealed.isEmpty {
                    done = true
                    reader?.close()
                    let last = try opener.finish()
                    return last.isEmpty ? nil : last[...]
                }
                let plain = try opener.feed(sealed)
                if !plain.isEmpty { return plain[...] }
            }
            return nil
        }
    }
}
