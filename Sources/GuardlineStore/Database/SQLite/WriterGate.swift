import NIOConcurrencyHelpers

/// SQLite allows one writer at a time: writes and transactions take turns
/// here, first come first served, waiting asynchronously rather than in
/// SQLite's busy handler, which would hold a thread while it sleeps.
final class WriterGate: Sendable {
    private enum Waiter {
        case task(CheckedContinuation<Void, Never>)
        /// Work that starts on the releasing thread, never waiting for a cooperative thread.
        case callback(@Sendable () -> Void)
    }

    private struct State {
        var held = false
        var waiting: [Waiter] = []
    }

    private let state = NIOLockedValueBox(State())

    func acquire() async {
        if tryAcquire() { return }
        await withCheckedContinuation { continuation in
            if enqueue(.task(continuation)) { continuation.resume() }
        }
    }

    /// Calls `body` holding the gate, now or when it is handed over; `body` must release it.
    func acquire(then body: @escaping @Sendable () -> Void) {
        if enqueue(.callback(body)) { body() }
    }

    /// Hands the gate to the next waiter, if any, without letting go in between.
    func release() {
        let next = state.withLockedValue { state -> Waiter? in
            guard !state.waiting.isEmpty else {
                state.held = false
                return nil
            }
            return state.waiting.removeFirst()
        }
        switch next {
        case .task(let continuation): continuation.resume()
        case .callback(let body): body()
        case nil: break
        }
    }

    private func tryAcquire() -> Bool {
        state.withLockedValue { state in
            guard !state.held else { return false }
            state.held = true
            return true
        }
    }

    /// Takes the gate (true) or queues `waiter` for it (false).
    private func enqueue(_ waiter: Waiter) -> Bool {
        state.withLockedValue { state in
            guard state.held else {
                state.held = true
                return true
            }
            state.waiting.append(waiter)
            return false
        }
    }
}
