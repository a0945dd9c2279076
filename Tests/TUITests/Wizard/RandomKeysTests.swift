import Core
import Testing
@testable import TUI

/// Random keys, answers and sizes: the reducer and renderer never crash, and the password never shows.
@Suite("Random input")
struct RandomKeysTests {
    /// A small deterministic generator, so a failure can be replayed from its seed.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let keys: [Key] = [
        .tab, .backTab, .up, .down, .left, .right, .home, .end, .backspace, .delete, .enter, .escape, .controlU,
        .space, .character("y"), .character("n"), .character("7"), .character("用"),
    ]
    static let sizes = [Size.standard, Size(columns: 100, rows: 30), Size(columns: 20, rows: 5), Size(columns: 0, rows: 0)]

    @Test(arguments: 1...8)
    func randomSessions(seed: UInt64) {
        var random = SplitMix(state: seed)
        var driver = WizardDriver(prefill: WizardPrefill(password: Secret("Zq9-secret-Zq9")))
        for _ in 0..<400 {
            switch Int.random(in: 0..<20, using: &random) {
            case 0:
                driver.send(.resize(Self.sizes.randomElement(using: &random)!))
            case 1:
                for effect in driver.takeEffects() {
                    switch effect {
                    case .checkAvailability(let id): driver.send(.availability(userID: id, .free))
                    case .register(let request):
                        driver.send(.registered(.success(WizardOutcome(
                            userID: request.userID, displayName: request.displayName, admin: request.admin))))
                    default: break
                    }
                }
            case 2:
                driver.type("bob")
            default:
                driver.press(Self.keys.randomElement(using: &random)!)
            }
            if driver.takeEffects().contains(where: { if case .exit = $0 { true } else { false } }) { break }
            let text = WizardView.render(driver.state).lines.joined(separator: "\n")
            #expect(!text.contains("secret"), "seed \(seed)")
            #expect(driver.state.controls.isEmpty || driver.state.controls.contains(driver.state.focus), "seed \(seed)")
        }
    }
}
