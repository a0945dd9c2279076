import Core

extension WizardState {
    /// The effects to run when the wizard opens: checks of the prefilled values.
    package mutating func start() -> [WizardEffect] {
        var effects: [WizardEffect] = []
        if !userID.isEmpty { effects.append(.validateUserID(userID.text)) }
        if !password.isEmpty { effects.append(.analysePassword(Secret(password.text), account: passwordAccount)) }
        return effects
    }

    /// Applies one event and returns the work it calls for. Pure: no I/O, no clock, no randomness.
    package mutating func reduce(_ event: WizardEvent) -> [WizardEffect] {
        switch event {
        case .key(let key):
            guard let action = KeyMap.action(for: key, in: self) else { return [] }
            return perform(action)
        case .resize(let newSize):
            size = newSize
            return []
        case .tick:
            if step == .working { frame &+= 1 }
            return []
        case .userIDValidated(let input, let validation):
            guard input == userID.text else { return [] }
            userIDValidation = validation
            return [reanalyseIfStale()].compactMap { $0 }
        case .passwordAnalysed(let result):
            guard result.password.revealed == password.text, result.account == passwordAccount else { return [] }
            analysis = result
            return []
        case .passwordGenerated(let secret):
            password.setText(secret.revealed)
            passwordConfirmation.setText(secret.revealed)
            revealedPassword = secret
            if step == .password { focus = .confirmation }
            errors[.password] = nil
            errors[.confirmation] = nil
            return [.analysePassword(secret, account: passwordAccount)]
        case .availability(let id, let answer):
            return receiveAvailability(answer, for: id)
        case .registered(let result):
            return receiveRegistration(result)
        case .loginTested(let answer):
            guard step == .done else { return [] }
            loginTest = .some(answer)
            return []
        }
    }

    /// Shown at Ctrl-C while the account is written: the write is not abandoned half-way.
    static let writingNotice = Notice(
        "Writing the account; the result follows in a moment, and Esc or Ctrl-C then leaves.")

    // MARK: - Actions

    private mutating func perform(_ action: WizardAction) -> [WizardEffect] {
        switch action {
        case .cancel:
            if step == .working {
                notice = Self.writingNotice
                return []
            }
            return [.exit(step == .done ? outcome.map(WizardResult.created) ?? .cancelled : .cancelled)]
        case .finish:
            return [.exit(outcome.map(WizardResult.created) ?? .cancelled)]
        case .testLogin:
            guard step == .done, let outcome, loginTest != .some(nil) else { return [] }
            loginTest = .some(nil)
            return [.testLogin(userID: outcome.userID, password: Secret(password.text))]
        case .answer(let yes):
            return answer(yes)
        case .switchAnswer:
            confirmation?.yesSelected.toggle()
            return []
        case .confirm where confirmation != nil:
            return answer(confirmation?.yesSelected ?? false)
        case .nextControl:
            return moveFocus(by: 1)
        case .previousControl:
            return moveFocus(by: -1)
        case .confirm:
            return confirmFocused()
        case .back:
            return goBack()
        case .toggle:
            return toggleFocused()
        case .selectPrevious, .selectNext:
            guard focus == .userType else { return [] }
            let count = configuration.userTypes.count + 1
            userTypeIndex = (userTypeIndex + (action == .selectNext ? 1 : count - 1)) % count
            errors[.userType] = nil
            return []
        case .edit(let edit):
            return editFocused(edit)
        }
    }

    private mutating func editFocused(_ edit: TextEdit) -> [WizardEffect] {
        switch focus {
        case .userID:
            guard userID.apply(edit) else { return [] }
            hasTyped = true
            userIDValidation = nil
            availability = .unknown
            advanceWhenAvailable = false
            errors[.userID] = nil
            return userID.isEmpty ? [] : [.validateUserID(userID.text)]
        case .displayName:
            guard displayName.apply(edit) else { return [] }
            hasTyped = true
            // Said as it is typed: a name over the limit is refused, never cut.
            errors[.displayName] = displayNameProblem
            return []
        case .password:
            guard password.apply(edit) else { return [] }
            hasTyped = true
            revealedPassword = nil
            errors[.password] = nil
            errors[.confirmation] = nil
            return password.isEmpty ? [] : [.analysePassword(Secret(password.text), account: passwordAccount)]
        case .confirmation:
            guard passwordConfirmation.apply(edit) else { return [] }
            hasTyped = true
            revealedPassword = nil
            errors[.confirmation] = nil
            return []
        case .tokenValidity:
            if case .insert(let character) = edit, character.isWhitespace { return [] }
            guard tokenValidity.apply(edit) else { return [] }
            hasTyped = true
            errors[.tokenValidity] = nil
            return []
        default:
            return []
        }
    }

    private mutating func toggleFocused() -> [WizardEffect] {
        switch focus {
        case .admin:
            errors[.admin] = nil
            if admin {
                admin = false
            } else {
                confirmation = Confirmation(.makeAdmin)
            }
            return []
        case .issueToken:
            errors[.issueToken] = nil
            issueToken.toggle()
            return []
        case .backup:
            errors[.backup] = nil
            backup.toggle()
            return []
        case .userType:
            return perform(.selectNext)
        case .generate, .create, .back:
            return confirmFocused()
        default:
            return []
        }
    }

    private mutating func confirmFocused() -> [WizardEffect] {
        switch focus {
        case .generate:
            return [.generatePassword]
        case .create:
            return submit()
        case .back:
            return goBack()
        default:
            let rest = controls.drop { $0 != focus }.dropFirst()
            if let next = rest.first(where: { $0.kind != .button }) {
                return moveFocus(to: next)
            }
            return advance()
        }
    }

    // MARK: - Focus and steps

    private mutating func moveFocus(by offset: Int) -> [WizardEffect] {
        let list = controls
        guard let index = list.firstIndex(of: focus) else { return [] }
        return moveFocus(to: list[(index + offset + list.count) % list.count])
    }

    /// Focuses `control`; leaving the user ID starts its availability check.
    private mutating func moveFocus(to control: WizardControl) -> [WizardEffect] {
        let leaving = focus
        focus = control
        return leaving == .userID && control != .userID ? checkAvailabilityIfNeeded() : []
    }

    private mutating func checkAvailabilityIfNeeded() -> [WizardEffect] {
        guard let id = validUserID, availability.userID != id else { return [] }
        availability = .checking(id)
        return [.checkAvailability(id)]
    }

    private mutating func goBack() -> [WizardEffect] {
        switch step {
        case .account:
            if hasTyped {
                confirmation = Confirmation(.discard)
                return []
            }
            return [.exit(.cancelled)]
        case .password, .options, .review:
            leaveStep()
            step = WizardStep(rawValue: step.rawValue - 1) ?? .account
            focus = controls.first ?? .userID
            return []
        case .working, .done:
            return []
        }
    }

    /// Validates the current step and moves to the next one.
    private mutating func advance() -> [WizardEffect] {
        switch step {
        case .account: return advanceFromAccount()
        case .password: return advanceFromPassword()
        case .options: return advanceFromOptions()
        case .review: return submit()
        case .working, .done: return []
        }
    }

    private mutating func advanceFromAccount() -> [WizardEffect] {
        if let problem = displayNameProblem {
            focus = .displayName
            errors[.displayName] = problem
            return []
        }
        focus = .userID
        guard !userID.isEmpty else {
            errors[.userID] = Wording.userIDMissing
            return []
        }
        guard let id = validUserID else { return [] }
        switch availability {
        case .free(id), .failed(id, _), .atCreate(id, _):
            return enter(.password)
        case .taken(id):
            errors[.userID] = Wording.taken(id)
            return []
        case .checking(id):
            advanceWhenAvailable = true
            return []
        default:
            advanceWhenAvailable = true
            return checkAvailabilityIfNeeded()
        }
    }

    private mutating func advanceFromPassword() -> [WizardEffect] {
        guard !password.isEmpty else {
            focus = .password
            errors[.password] = "Enter a password, or generate one."
            return []
        }
        guard passwordsMatch else {
            focus = .confirmation
            errors[.confirmation] = Wording.passwordsDiffer
            return []
        }
        guard let assessment = currentAnalysis?.assessment else {
            // Judged on every edit; only a details change since can leave it stale.
            return reanalyseIfStale().map { [$0] } ?? []
        }
        if let refusal = assessment.refusal {
            focus = .password
            errors[.password] = refusal
            return []
        }
        if assessment.asksConfirmation, acceptedPassword?.revealed != password.text {
            confirmation = Confirmation(.acceptPassword(weak: assessment.isWeak, failsPolicy: assessment.overridesPolicy))
            return []
        }
        return enter(.options)
    }

    private mutating func advanceFromOptions() -> [WizardEffect] {
        if issueToken, !tokenValidity.isEmpty, tokenValidityMs == nil {
            focus = .tokenValidity
            errors[.tokenValidity] = Self.tokenValidityHint(tokenValidity.text)
            return []
        }
        return enter(.review)
    }

    private mutating func enter(_ next: WizardStep) -> [WizardEffect] {
        leaveStep()
        step = next
        focus = controls.first ?? .userID
        notice = nil
        if next == .password, let stale = reanalyseIfStale() { return [stale] }
        return []
    }

    private mutating func leaveStep() {
        if step == .password { revealedPassword = nil }
        advanceWhenAvailable = false
    }

    private func reanalyseIfStale() -> WizardEffect? {
        guard !password.isEmpty, currentAnalysis == nil else { return nil }
        return .analysePassword(Secret(password.text), account: passwordAccount)
    }

    // MARK: - Rules shared with the flags

    /// What is wrong with the display name typed, by the rule `--display-name` follows; nil
    /// when it is empty (the localpart is used) or fine.
    var displayNameProblem: String? {
        guard !displayName.isEmpty else { return nil }
        return DisplayNameRule.problem(displayName.text).map { $0.prefix(1).uppercased() + $0.dropFirst() + "." }
    }

    /// The field's message for a lifetime `--token-validity` would refuse too.
    static func tokenValidityHint(_ text: String) -> String {
        do {
            _ = try SynapseDuration.tokenValidity(text)
        } catch .tooLong {
            return "At most \(SynapseDuration.maximumDescription), or leave it empty for no expiry."
        } catch {}
        return "Enter \(SynapseDuration.tokenValidityForms); or leave it empty."
    }

    // MARK: - Questions

    private mutating func answer(_ yes: Bool) -> [WizardEffect] {
        guard let question = confirmation else { return [] }
        confirmation = nil
        switch question.kind {
        case .makeAdmin:
            admin = yes
            return []
        case .acceptPassword:
            guard yes else {
                focus = .password
                return []
            }
            acceptedPassword = Secret(password.text)
            return enter(.options)
        case .discard:
            return yes ? [.exit(.cancelled)] : []
        }
    }

    // MARK: - Answers from the backend

    private mutating func receiveAvailability(_ answer: AvailabilityAnswer, for id: String) -> [WizardEffect] {
        guard availability == .checking(id) else { return [] }
        let proceed = advanceWhenAvailable && step == .account
        advanceWhenAvailable = false
        switch answer {
        case .free:
            availability = .free(id)
            return proceed ? enter(.password) : []
        case .taken:
            availability = .taken(id)
            errors[.userID] = Wording.taken(id)
            if proceed { focus = .userID }
            return []
        case .unknown(let message):
            availability = .failed(id, message: message)
            let effects = proceed ? enter(.password) : []
            notice = Notice(Wording.availabilityUnknown(message), tone: .error)
            return effects
        case .atCreate(let checker):
            availability = .atCreate(id, by: checker)
            return proceed ? enter(.password) : []
        }
    }

    private mutating func submit() -> [WizardEffect] {
        guard let id = validUserID else {
            step = .account
            focus = .userID
            errors[.userID] = "Enter a valid user ID."
            return []
        }
        if case .taken(id) = availability {
            step = .account
            focus = .userID
            errors[.userID] = Wording.taken(id)
            return []
        }
        let request = WizardRequest(
            userID: id, displayName: effectiveDisplayName, password: Secret(password.text), admin: admin,
            userType: userType, issueToken: issueToken, tokenValidityMs: issueToken ? tokenValidityMs : nil,
            backup: backup)
        step = .working
        frame = 0
        notice = nil
        return [.register(request)]
    }

    private mutating func receiveRegistration(_ result: Result<WizardOutcome, WizardFailure>) -> [WizardEffect] {
        guard step == .working else { return [] }
        switch result {
        case .success(let written):
            outcome = written
            step = .done
            notice = nil
        case .failure(let failure):
            if let field = failure.field {
                step = field.step
                focus = field.control
                errors[field] = failure.message
                notice = Notice(Wording.nothingWritten, tone: .error)
            } else {
                step = .review
                focus = .create
                notice = Notice("\(failure.message) \(Wording.nothingWritten)", tone: .error)
            }
        }
        return []
    }
}
