import Core

/// Everything that can happen to the wizard: input, time, and answers to its effects.
package enum WizardEvent: Sendable, Equatable {
    case key(Key)
    case resize(Size)
    /// A beat of the progress animation while the account is written.
    case tick
    /// The answer to ``WizardEffect/validateUserID(_:)`` for `input`.
    case userIDValidated(input: String, UserIDValidation)
    /// The answer to ``WizardEffect/analysePassword(_:account:)``.
    case passwordAnalysed(PasswordAnalysis)
    /// The answer to ``WizardEffect/generatePassword``.
    case passwordGenerated(Secret)
    /// The answer to ``WizardEffect/checkAvailability(_:)``.
    case availability(userID: String, AvailabilityAnswer)
    /// The answer to ``WizardEffect/register(_:)``.
    case registered(Result<WizardOutcome, WizardFailure>)
    /// The answer to ``WizardEffect/testLogin(userID:password:)``.
    case loginTested(LoginTestAnswer)
}

/// Whether a user ID is free, according to the database.
package enum AvailabilityAnswer: Sendable, Equatable {
    case free
    case taken
    /// The database could not be asked; the message says why.
    case unknown(String)
    /// The backend cannot tell before the account is created (``AvailabilityAtCreate``): not a
    /// fault, so said beside the field only; the value names who checks it then.
    case atCreate(String)
}

/// What ``WizardBackend/isTaken(_:)`` throws when availability can only be known at Create (a
/// registration through Synapse whose server does not answer `register/available`).
package struct AvailabilityAtCreate: Error, Sendable, CustomStringConvertible {
    /// Who checks it at Create, for "… Synapse checks it at Create".
    package var checker: String

    package init(checkedBy checker: String) { self.checker = checker }

    package var description: String { "\(checker) checks it at Create" }
}

/// What the backend says about one password, for the account as it was typed.
package struct PasswordAnalysis: Sendable, Equatable {
    /// The password analysed; an answer for an older password is ignored.
    package var password: Secret
    /// The account the password was judged for; an answer for older details is ignored.
    package var account: PasswordAccount
    package var assessment: PasswordAssessment

    package init(password: Secret, account: PasswordAccount, assessment: PasswordAssessment) {
        self.password = password
        self.account = account
        self.assessment = assessment
    }

    package var strength: StrengthSummary? { assessment.strength }
    package var exceeds72Bytes: Bool { assessment.exceeds72Bytes }
}
