import Foundation
import GatewayAudit

/// A one-line progress bar on standard error, redrawn in place.
final class ProgressBar: Sendable {
    private let width = 30

    func draw(_ progress: CollectionProgress) {
        let total = max(progress.total, 1)
        let filled = min(width, progress.done * width / total)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let failed = progress.failed > 0 ? " (\(progress.failed) failed)" : ""
        FileHandle.standardError.write(Data("\r[\(bar)] \(progress.done)/\(progress.total)\(failed)".utf8))
    }

    func finish() {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
