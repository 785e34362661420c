/// A fault rule with its counters and its own random sequence.
struct FaultState: Sendable {
    let rule: FaultRule
    var generator: SeededGenerator
    var matched = 0
    var fired = 0

    init(rule: FaultRule, generator: SeededGenerator) {
        self.rule = rule
        self.generator = generator
    }
}
