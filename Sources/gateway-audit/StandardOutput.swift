import Foundation

/// Standard output as a buffered text stream; call ``flush()`` when done. Only the executable writes
/// to the terminal: the library renders into any `TextOutputStream` it is handed.
final class StandardOutput: TextOutputStream {
    private var buffer: [UInt8] = []

    /// Creates a writer to standard output.
    init() {
        buffer.reserveCapacity(1 << 16)
    }

    deinit { flush() }

    func write(_ string: String) {
        buffer.append(contentsOf: string.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Writes out what is buffered.
    func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}
