import NIOConcurrencyHelpers

/// SQLite allows one writer at a time: writes and transactions take turns
/// here, first come first served, waiting asynchronously rather than in
/// SQLite's busy handler, which would hold a thread while it sleeps.
final class WriterGate: Sendable {
    private struct State {
        var held = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state = NIOLockedValueBox(State())

    func acquire() async {
        if state.withLockedValue({ state in
            guard !state.held else { return false }
            state.held = true
            return true
        }) { return }
        await withCheckedContinuation { continuation in
            let acquired = state.withLockedValue { state in
                guard state.held else {
                    state.held = true
                    return true
                }
                state.waiting.append(continuation)
                return false
            }
            if acquired { continuation.resume() }
        }
    }

    /// Hands the gate to the next waiter, if any, without letting go in between.
    func release() {
        let next = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiting.isEmpty else {
                state.held = false
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
