import Foundation
import GatewayAudit

extension CollectCommand {
    /// The ids of `--id` and `--ids-file`, each once, in order; nil for none (list the whole project).
    /// - Throws: ``CommandFailure`` (usage) when the ids file cannot be read.
    func requestedIDs() throws -> [GatewayID]? {
        var all = ids
        if let idsFile {
            let text: String
            do {
                text = try String(contentsOfFile: idsFile, encoding: .utf8)
            } catch {
                throw CommandFailure(
                    status: .usage,
                    description: "cannot read --ids-file \(idsFile) (\(error.localizedDescription)); "
                        + "pass a readable UTF-8 file with one id per line")
            }
            // Trimmed by the standard library, not Foundation's `trimmingCharacters`: that took 8 µs an id,
            // 2.5 % of a 2,000-id collection's CPU.
            for line in text.split(whereSeparator: \.isNewline) {
                var id = line
                while id.first?.isWhitespace == true { id.removeFirst() }
                while id.last?.isWhitespace == true { id.removeLast() }
                if !id.isEmpty && !id.hasPrefix("#") { all.append(String(id)) }
            }
        }
        var seen = Set<String>()
        let unique = all.filter { seen.insert($0).inserted }
        return unique.isEmpty ? nil : unique.map { GatewayID($0) }
    }
}
