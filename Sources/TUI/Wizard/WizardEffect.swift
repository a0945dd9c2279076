import Core

/// Work the reducer asks the runtime to do; the answer comes back as a ``WizardEvent``.
package enum WizardEffect: Sendable, Equatable {
    /// Check the user ID against Synapse's rules. Immediate.
    case validateUserID(String)
    /// Judge a password for the account as typed. Immediate.
    case analysePassword(Secret, account: PasswordAccount)
    /// Draw a random password. Immediate.
    case generatePassword
    /// Ask the database whether the user ID exists. Runs off the input loop.
    case checkAvailability(String)
    /// Write the account. Runs off the input loop.
    case register(WizardRequest)
    /// Log the new account in through the running Synapse and out again. Runs off the input loop.
    case testLogin(userID: String, password: Secret)
    /// Restore the terminal and return this result.
    case exit(WizardResult)

    /// Whether the runtime performs this effect at once, before the next event.
    ///
    /// Immediate effects are pure and fast (microseconds to a millisecond); keeping them out of
    /// the reducer is what lets the reducer run in tests without any backend.
    package var isImmediate: Bool {
        switch self {
        case .validateUserID, .analysePassword, .generatePassword: true
        case .checkAvailability, .register, .testLogin, .exit: false
        }
    }
}
