import Foundation
import Testing

@Suite("--db paths that are not a history")
struct DatabasePathTests {
    @Test("a folder is not a database; an empty file holds no history yet; neither is changed")
    func folderAndEmptyFile() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ga-db-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let folder = try await CLI.run(["runs", "--db", directory.path])
        #expect(folder.status == 4)
        #expect(
            folder.stderr
                == "gateway-audit: error: \(directory.path) is not an SQLite database; point --db at a gateway-audit "
                + "database or a new file name\n")
        let empty = directory.appendingPathComponent("empty.sqlite")
        #expect(FileManager.default.createFile(atPath: empty.path, contents: Data()))
        let reading = try await CLI.run(["gateways", "--db", empty.path])
        #expect(reading.status == 4)
        #expect(
            reading.stderr
                == "gateway-audit: error: no database at \(empty.path); run `gateway-audit collect` (or "
                + "`gateway-audit demo`) first, or pass --db\n")
        #expect(try FileManager.default.attributesOfItem(atPath: empty.path)[.size] as? UInt64 == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["empty.sqlite"])
    }

    @Test("an argument that is not UTF-8 is refused (exit 2), never read as another file name")
    func notUTF8() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ga-db-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // `h\351.sqlite`: a Latin-1 file name, which Foundation's Process cannot pass as it is.
        let result = try await CLI.run(
            [], directory: directory,
            launcher: ["/bin/sh", "-c", #"exec "$0" collect --db "$(printf 'h\351.sqlite')" --id x"#])
        #expect(result.status == 2)
        #expect(
            result.stderr
                == "gateway-audit: error: argument 3 is not valid UTF-8 (a file name in another encoding?); "
                + "rename the file, or link it under a UTF-8 name and pass that\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
        // The same for a variable that names a file.
        let variable = try await CLI.run(
            ["runs"], directory: directory,
            launcher: ["/bin/sh", "-c", #"GATEWAY_AUDIT_DB="$(printf 'h\351.sqlite')" exec "$0" "$@""#])
        #expect(variable.status == 2)
        #expect(
            variable.stderr
                == "gateway-audit: error: GATEWAY_AUDIT_DB is not valid UTF-8 (a file name in another encoding?); "
                + "rename the file, or link it under a UTF-8 name and pass that\n")
    }
}
