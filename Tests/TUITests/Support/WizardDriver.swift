import Core
@testable import TUI

/// Drives the reducer as the runtime does, answering immediate effects from a backend (a
/// ``TestBackend`` unless told) and collecting the others for the test to inspect and answer.
struct WizardDriver<Backend: WizardBackend> {
    var state: WizardState
    /// Effects that the runtime would run off the input loop, in order, not yet taken.
    private(set) var effects: [WizardEffect] = []
    private let runner: EffectRunner<Backend>

    init(backend: Backend, prefill: WizardPrefill = WizardPrefill(), size: Size = .standard) {
        runner = EffectRunner(backend: backend)
        state = WizardState(configuration: WizardConfiguration(backend: backend), prefill: prefill, size: size)
        run(state.start())
    }

    init(prefill: WizardPrefill = WizardPrefill(), size: Size = .standard) where Backend == TestBackend {
        self.init(backend: TestBackend(), prefill: prefill, size: size)
    }

    mutating func send(_ event: WizardEvent) {
        run(state.reduce(event))
    }

    mutating func press(_ keys: Key...) {
        for key in keys { send(.key(key)) }
    }

    mutating func type(_ text: String) {
        for character in text { send(.key(.character(character))) }
    }

    /// Returns and forgets the collected effects.
    mutating func takeEffects() -> [WizardEffect] {
        defer { effects.removeAll() }
        return effects
    }

    private mutating func run(_ produced: [WizardEffect]) {
        for effect in produced {
            if let answer = runner.answer(effect) {
                send(answer)
            } else {
                effects.append(effect)
            }
        }
    }

    // MARK: - Shortcuts to a step

    /// Types a free user ID and moves to the password step.
    mutating func completeAccount(_ userID: String = "bob") {
        type(userID)
        press(.enter, .enter)
        let id = "@\(userID):example.org"
        _ = takeEffects()
        send(.availability(userID: id, .free))
    }

    /// Enters a strong matching password and moves to the options step.
    mutating func completePassword(_ password: String = "correct-horse-42") {
        type(password)
        press(.tab)
        type(password)
        press(.enter)
    }

    /// Walks through the options as they are, with Enter, to the review.
    mutating func completeOptions() {
        while state.step == .options, state.confirmation == nil, state.errors.isEmpty { press(.enter) }
    }

    /// Fills every step with defaults and presses Create.
    mutating func createAccount() {
        completeAccount()
        completePassword()
        completeOptions()
        press(.enter)
    }
}
