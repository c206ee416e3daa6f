import GuardlineCore
import GuardlineCrypto
import NIOConcurrencyHelpers

/// Unwrapped subject keys of recently used contacts, so a screen pop does not
/// read the key store each time. Bounded; erasure evicts at once.
final class SubjectKeyCache: Sendable {
    private let entries = NIOLockedValueBox<[ContactID: SubjectKey]>([:])
    private let capacity: Int

    /// About 150 bytes an entry: the default holds 250,000 contacts in some 40 MB.
    init(capacity: Int = 250_000) { self.capacity = capacity }

    func get(_ id: ContactID) -> SubjectKey? { entries.withLockedValue { $0[id] } }

    func put(_ key: SubjectKey, for id: ContactID) {
        entries.withLockedValue { entries in
            // Dropping everything when full is crude but bounded and O(1) amortized.
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[id] = key
        }
    }

    func evict(_ id: ContactID) { _ = entries.withLockedValue { $0.removeValue(forKey: id) } }
}
