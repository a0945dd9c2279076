import FoundationEssentials
import Glibc
import Synchronization

/// Holds off SIGINT, SIGTERM, SIGHUP and SIGQUIT while an account is written.
///
/// The caller asks, before its transaction begins, whether a signal came (during bcrypt, say)
/// and then calls the write off; after that, a signal waits for the transaction to end.
///
/// Killed mid-write, the tool could not say whether the transaction committed: the database
/// rolls back an unfinished one, but a signal landing between COMMIT and the report would leave
/// an account the admin was told nothing about. Deferred, the write ends either way (it takes a
/// bcrypt hash and a few statements), its outcome is reported, and the caller learns which signal
/// came. SIGKILL cannot be deferred; one transaction per account still leaves all rows or none.
enum SignalDeferral {
    private static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]
    /// The first signal caught while deferring, 0 for none. Written from the handler: lock-free.
    private static let caught = Atomic<Int32>(0)

    /// Runs `body` with the signals deferred; returns its value and the signal that arrived, if any.
    /// `body` is given a way to ask whether one has arrived so far.
    static func during<T>(_ body: (_ caught: () -> Int32?) -> T) -> (T, signal: Int32?) {
        var previous: [Int32: sigaction] = [:]
        for number in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                _ = SignalDeferral.caught.compareExchange(expected: 0, desired: number, ordering: .relaxed)
            }
            action.sa_flags = SA_RESTART
            sigemptyset(&action.sa_mask)
            var old = sigaction()
            sigaction(number, &action, &old)
            previous[number] = old
        }
        let value = body {
            let number = caught.load(ordering: .relaxed)
            return number == 0 ? nil : number
        }
        for (number, old) in previous {
            var old = old
            sigaction(number, &old, nil)
        }
        let signal = caught.exchange(0, ordering: .relaxed)
        return (value, signal == 0 ? nil : signal)
    }
}
