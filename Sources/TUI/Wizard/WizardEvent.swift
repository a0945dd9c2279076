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
