import GuardlineCore
import GuardlineCrypto
import NIOConcurrencyHelpers

/// Unwrapped subject keys of recently used contacts, so a screen pop does not
/// read the key store each time. Bounded; erasure evicts at once, and for good:
/// a read that fetched the key just before the erasure cannot put it back.
final class SubjectKeyCache: Sendable {
    private struct State {
        var entries: [ContactID: SubjectKey] = [:]
        /// Contacts erased by this process; their keys are never cached again (ids are not reused).
        var erased: Set<ContactID> = []
    }

    private let state = NIOLockedValueBox(State())
    private let capacity: Int

    /// About 150 bytes an entry: the default holds 250,000 contacts in some 40 MB.
    init(capacity: Int = 250_000) { self.capacity = capacity }

    func get(_ id: ContactID) -> SubjectKey? { state.withLockedValue { $0.entries[id] } }

    func put(_ key: SubjectKey, for id: ContactID) {
        state.withLockedValue { state in
            guard !state.erased.contains(id) else { return }
            // Dropping everything when full is crude but bounded and O(1) amortized.
            if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[id] = key
        }
    }

    /// Forgets the key and refuses it from now on. The refusals are bounded like the
    /// cache; past that, a race would need a read begun before an erasure thousands ago.
    func evict(_ id: ContactID) {
        state.withLockedValue { state in
            state.entries.removeValue(forKey: id)
            if state.erased.count >= capacity { state.erased.removeAll(keepingCapacity: true) }
            state.erased.insert(id)
        }
    }
}
