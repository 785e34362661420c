import GatewayAuditCore
import Testing

@Suite("Edit distance: what a typo is measured by")
struct EditDistanceTests {
    @Test(
        "insertions, deletions and substitutions each count one; beyond the limit there is no distance",
        arguments: [
            ("europe/berlin", "europe/berlin", Int.max, 0), ("europe/berlln", "europe/berlin", Int.max, 1),
            ("gw-b", "gw-a", 1, 1), ("gw-a", "gw-aa", 1, 1), ("gw-aa", "gw-a", 1, 1), ("", "abc", 3, 3),
            ("abc", "", 2, nil), ("kitten", "sitting", Int.max, 3), ("kitten", "sitting", 2, nil),
            ("short", "a much longer text", 4, nil), ("é", "e", Int.max, 1), ("gw-é", "gw-e", 1, 1),
        ] as [(String, String, Int, Int?)])
    func distances(a: String, b: String, limit: Int, expected: Int?) {
        #expect(EditDistance.between(a, b, limit: limit) == expected)
        #expect(EditDistance.between(b, a, limit: limit) == expected)
    }
}
