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
            all += text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        }
        var seen = Set<String>()
        let unique = all.filter { seen.insert($0).inserted }
        return unique.isEmpty ? nil : unique.map { GatewayID($0) }
    }
}
