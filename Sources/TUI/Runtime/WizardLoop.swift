import Glibc

/// The input loop: read, reduce, perform, draw; until an effect says exit.
package struct WizardLoop<Backend: WizardBackend> {
    package var state: WizardState
    let runner: EffectRunner<Backend>
    let ascii: Bool
    private var result: WizardResult?
    private var isWriting = false
    private var screen: Screen

    /// How long a read waits before the loop looks at the mailbox and the clock again.
    static var pollInterval: Int32 { 40 }
    /// The pace of the progress animation.
    static var tickInterval: Duration { .milliseconds(120) }

    package init(state: WizardState, runner: EffectRunner<Backend>, ascii: Bool) {
        self.state = state
        self.runner = runner
        self.ascii = ascii
        self.screen = Screen(size: state.size)
    }

    /// Performs the checks of the prefilled values.
    package mutating func start() {
        perform(state.start())
    }

    /// Runs until an effect says exit, a signal arrives or input ends.
    mutating func run(on terminal: some WizardTerminal) -> WizardResult {
        start()
        var lastTick = ContinuousClock.now
        var needsDraw = true
        while true {
            for event in runner.mailbox.drain() {
                if case .registered = event { isWriting = false }
                send(event)
                needsDraw = true
            }
            if let result { return result }
            if needsDraw {
                draw(on: terminal)
                needsDraw = false
            }
            switch terminal.read(timeout: Self.pollInterval) {
            case .key(let key):
                send(.key(key))
                needsDraw = true
            case .resize(let size):
                send(.resize(size))
                needsDraw = true
            case .signal(let signal):
                return .interrupted(signal: signal, written: isWriting ? waitForWrite() : nil)
            case .endOfInput:
                return isWriting ? .interrupted(signal: SIGHUP, written: waitForWrite()) : .terminalUnavailable("input closed")
            case nil:
                break
            }
            if state.step == .working, ContinuousClock.now - lastTick >= Self.tickInterval {
                lastTick = .now
                send(.tick)
                needsDraw = true
            }
        }
    }

    /// Waits for the write in flight to commit or roll back, and returns the account if it was
    /// written. Bounded by the write itself: one bcrypt hash, a busy timeout, a few statements.
    private func waitForWrite() -> WizardOutcome? {
        while true {
            for event in runner.mailbox.drain() {
                if case .registered(let result) = event { return try? result.get() }
            }
            usleep(UInt32(Self.pollInterval) * 1000)
        }
    }

    /// Reduces one event and performs what it calls for, immediate answers included.
    package mutating func send(_ event: WizardEvent) {
        perform(state.reduce(event))
    }

    private mutating func perform(_ effects: [WizardEffect]) {
        for effect in effects {
            if let answer = runner.answer(effect) {
                send(answer)
            } else if case .exit(let outcome) = effect {
                result = result ?? outcome
            } else {
                if case .register = effect { isWriting = true }
                runner.start(effect)
            }
        }
    }

    /// Renders the state and hands the frame to the terminal.
    mutating func draw(on terminal: some WizardTerminal) {
        if screen.size != state.size { screen = Screen(size: state.size) }
        WizardView.render(state, into: &screen, ascii: ascii)
        terminal.draw(screen)
    }
}
