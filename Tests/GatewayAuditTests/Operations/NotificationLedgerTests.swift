import Crypto
import Foundation
import GatewayAuditCore
import GatewayAuditOperations
import Synchronization
import Testing

/// The notification ledger beside the database: it never moves back, and two runs notifying at once take
/// turns, so the second sends only what the first did not.
@Suite("notification ledger: monotonic, one notifier at a time")
struct NotificationLedgerTests {
    func withLedger(_ body: (NotificationLedger, URL) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ga-ledger-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await body(NotificationLedger(databasePath: directory.appendingPathComponent("h.sqlite").path), directory)
    }

    @Test("a run finishing after a later one does not move the ledger back; no temporary file is left")
    func neverBack() async throws {
        try await withLedger { ledger, directory in
            #expect(ledger.lastDelivered() == nil)
            try ledger.record(11)
            try ledger.record(10)
            #expect(ledger.lastDelivered() == 11)
            try ledger.record(12)
            #expect(ledger.lastDelivered() == 12)
            let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            #expect(names == ["h.sqlite.notified"])
        }
    }

    @Test(
        "each webhook has a ledger per scope, starting from the per-webhook, then the shared, ledger of earlier releases"
    )
    func perWebhook() async throws {
        try await withLedger { shared, directory in
            let database = directory.appendingPathComponent("h.sqlite").path
            let a = try WebhookURL("https://hooks.example.com/A-SECRET", option: "--notify")
            let b = try WebhookURL("https://hooks.example.com/B-SECRET", option: "--notify")
            let project = ScopeKey(projectID: "p1")
            let first = NotificationLedger(databasePath: database, url: a, scope: project)
            let second = NotificationLedger(databasePath: database, url: b, scope: project)
            let otherProject = NotificationLedger(databasePath: database, url: a, scope: ScopeKey(projectID: "p2"))
            #expect(Set([first.path, second.path, otherProject.path]).count == 3)
            #expect(!first.path.contains("SECRET") && !first.path.contains("p1"))
            #expect(first.path.hasPrefix(database + ".") && first.path.hasSuffix(".notified"))
            try shared.record(7)
            #expect(first.lastDelivered() == 7 && second.lastDelivered() == 7 && otherProject.lastDelivered() == 7)
            // The per-webhook ledger of the release before scopes (16 hex digits of the URL's SHA-256).
            let perWebhook =
                database + "." + String(SHA256.hash(data: Data(a.url.absoluteString.utf8)).hexString.prefix(16))
            try Data("8\n".utf8).write(to: URL(fileURLWithPath: perWebhook + ".notified"))
            #expect(first.lastDelivered() == 8 && otherProject.lastDelivered() == 8 && second.lastDelivered() == 7)
            try first.record(9)
            #expect(first.lastDelivered() == 9 && otherProject.lastDelivered() == 8 && shared.lastDelivered() == 7)
        }
    }

    @Test("a second notifier waits for the first, then reads what it recorded")
    func takesTurns() async throws {
        try await withLedger { ledger, _ in
            let seen = Seen()
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    await ledger.exclusively(wait: .seconds(10)) {
                        seen.lines.withLock {
                            $0.append("first read \(ledger.lastDelivered().map(String.init) ?? "none")")
                        }
                        try? await Task.sleep(for: .milliseconds(300))
                        try? ledger.record(10)
                    }
                }
                group.addTask {
                    try? await Task.sleep(for: .milliseconds(60))
                    await ledger.exclusively(wait: .seconds(10)) {
                        seen.lines.withLock {
                            $0.append("second read \(ledger.lastDelivered().map(String.init) ?? "none")")
                        }
                    }
                }
            }
            #expect(seen.lines.withLock { $0 } == ["first read none", "second read 10"])
        }
    }

    /// What each notifier read, in the order they read it.
    final class Seen: Sendable {
        let lines = Mutex<[String]>([])
    }

    @Test("a lock held past the wait does not stop the notification")
    func waitBounded() async throws {
        try await withLedger { ledger, _ in
            let ran = await ledger.exclusively(wait: .seconds(10)) {
                await ledger.exclusively(wait: .milliseconds(100)) { true }
            }
            #expect(ran)
        }
    }
}
