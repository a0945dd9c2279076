import Synchronization

/// Performs the wizard's effects against a backend.
///
/// Immediate effects are answered on the spot; the others run in detached tasks and post
/// their answers to a mailbox that the input loop drains, so the screen never waits on the
/// database or on bcrypt.
package struct EffectRunner<Backend: WizardBackend>: Sendable {
    let backend: Backend
    let mailbox = Mailbox()

    package init(backend: Backend) {
        self.backend = backend
    }

    /// The answer to an immediate effect, or `nil` for one that is not immediate.
    package func answer(_ effect: WizardEffect) -> WizardEvent? {
        switch effect {
        case .validateUserID(let input):
            return .userIDValidated(input: input, backend.validateUserID(input))
        case .analysePassword(let password, let account):
            return .passwordAnalysed(PasswordAnalysis(
                password: password, account: account, assessment: backend.assess(password, for: account)))
        case .generatePassword:
            return .passwordGenerated(backend.generatePassword())
        case .checkAvailability, .register, .testLogin, .exit:
            return nil
        }
    }

    /// Starts a background effect; its answer arrives in ``mailbox``.
    func start(_ effect: WizardEffect) {
        let backend = self.backend
        let mailbox = self.mailbox
        switch effect {
        case .checkAvailability(let id):
            Task.detached {
                let answer: AvailabilityAnswer
                do {
                    answer = try await backend.isTaken(id) ? .taken : .free
                } catch let later as AvailabilityAtCreate {
                    answer = .atCreate(later.checker)
                } catch {
                    answer = .unknown(String(describing: error))
                }
                mailbox.post(.availability(userID: id, answer))
            }
        case .register(let request):
            Task.detached {
                let result: Result<WizardOutcome, WizardFailure>
                do {
                    result = .success(try await backend.register(request))
                } catch let failure as WizardFailure {
                    result = .failure(failure)
                } catch {
                    result = .failure(WizardFailure(String(describing: error)))
                }
                mailbox.post(.registered(result))
            }
        case .testLogin(let userID, let password):
            Task.detached {
                mailbox.post(.loginTested(await backend.testLogin(userID, password: password)))
            }
        case .validateUserID, .analysePassword, .generatePassword, .exit:
            break
        }
    }
}

/// Events posted from background tasks to the input loop.
final class Mailbox: Sendable {
    private let events = Mutex<[WizardEvent]>([])

    /// Queues an event for the input loop; callable from any thread.
    func post(_ event: WizardEvent) {
        events.withLock { $0.append(event) }
    }

    /// Takes every event posted so far, oldest first.
    func drain() -> [WizardEvent] {
        events.withLock { pending in
            defer { pending.removeAll() }
            return pending
        }
    }
}
