import Crypto
import Foundation
import Testing

@testable import GatewayAuditCore
@testable import GatewayAuditReport

/// A report file written with write(2) and the errors around it: a failed write named by its `errno` with advice
/// that fits the cause, a path the user must change told apart from a disk that failed, and `verify` of an
/// export without its manifest (a failed verification) or without a file (a usage error).
@Suite("Report files: write errors by their cause, a missing manifest or file named as such")
struct ReportFileErrorTests {
    /// A new, empty folder for one test; removed by `body`'s end.
    static func inFolder(_ body: (String) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ga-reportfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try body(folder.path)
    }

    /// The temporary files left in `folder`.
    static func temporaries(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".tmp") }
    }

    @Test("a file of several buffers is written whole: its bytes, its size and its SHA-256")
    func writesWhole() throws {
        try Self.inFolder { folder in
            let path = folder + "/big.csv"
            let line = String(repeating: "x", count: 999) + "\n"
            let file = try ReportFile(path: path)
            // 200,000 bytes: three full 64 KiB buffers and a tail.
            for _ in 0..<200 { file.write(line) }
            let digest = try file.commit()
            let data = try #require(FileManager.default.contents(atPath: path))
            #expect(data == Data(String(repeating: line, count: 200).utf8))
            #expect(file.byteCount == 200_000 && file.sha256 == digest)
            #expect(digest == SHA256.hash(data: data).hexString)
            #expect(try Self.temporaries(folder) == [])
        }
    }

    @Test("a full disk, a quota, the file-size limit and an I/O error are writeFailed, with advice that fits")
    func writeFailures() {
        let cases: [(code: Int32, advice: String)] = [
            (ENOSPC, "free space or choose another --output"),
            (EDQUOT, "free space or choose another --output"),
            (EFBIG, "raise the file-size limit (ulimit -f) or choose another --output"),
            (EIO, "check the disk or choose another --output"),
        ]
        for (code, advice) in cases {
            let error = ReportError.writing("big.html", code: code)
            #expect(error == .writeFailed(path: "big.html", code: code))
            #expect(error.description == "cannot write big.html (\(String(cString: strerror(code)))); \(advice)")
        }
        #expect(
            ReportError.writeFailed(path: "big.html", code: EFBIG).description
                == "cannot write big.html (File too large); raise the file-size limit (ulimit -f) or choose another "
                + "--output")
        #expect(
            ReportError.writeFailed(path: "big.html", code: ENOSPC).description
                == "cannot write big.html (No space left on device); free space or choose another --output")
        #expect(
            ReportError.writeFailed(path: "big.html", code: EIO).description
                == "cannot write big.html (Input/output error); check the disk or choose another --output")
    }

    @Test("a permission or name problem stays cannotWrite, in the system's words unless a detail is given")
    func pathProblems() {
        #expect(
            ReportError.writing("x.csv", code: EACCES)
                == .cannotWrite(path: "x.csv", detail: "Permission denied"))
        #expect(
            ReportError.writing("x.csv", code: ENAMETOOLONG)
                == .cannotWrite(path: "x.csv", detail: "File name too long"))
        #expect(ReportError.writing("x.csv", code: EISDIR) == .cannotWrite(path: "x.csv", detail: "Is a directory"))
        #expect(
            ReportError.writing("a/x.csv", code: ENOENT, detail: "folder a does not exist")
                == .cannotWrite(path: "a/x.csv", detail: "folder a does not exist"))
        #expect(
            ReportError.cannotWrite(path: "x.csv", detail: "Permission denied").description
                == "cannot write x.csv (Permission denied); choose another --output or check permissions")
        for code in [EACCES, EPERM, EROFS, ENOENT, ENOTDIR, ENAMETOOLONG, EISDIR, EXDEV] {
            #expect(!ReportError.writeFailureCodes.contains(code), "\(code)")
        }
    }

    @Test("a report file in a folder that does not exist is cannotWrite naming the folder; nothing is created")
    func missingFolder() throws {
        try Self.inFolder { folder in
            let path = folder + "/nope/x.csv"
            #expect(throws: ReportError.cannotWrite(path: path, detail: "folder \(folder)/nope does not exist")) {
                try ReportFile(path: path)
            }
            let left = try FileManager.default.contentsOfDirectory(atPath: folder)
            #expect(left.isEmpty)
        }
    }

    @Test("verify of a file whose manifest is missing does not verify; of no file, noFile")
    func missingManifestOrFile() throws {
        try Self.inFolder { folder in
            let path = folder + "/x.csv"
            try Data("gateway_id,change\n".utf8).write(to: URL(fileURLWithPath: path))
            let manifest = ReportManifest.path(for: path)
            let check = try ReportExport.verify(path: path, publicKeyPath: nil, store: nil)
            #expect(check.passed.isEmpty)
            #expect(
                check.problems == [
                    "the manifest \(manifest) is missing, so nothing proves the file; only exports written by "
                        + "`gateway-audit report` have one"
                ])

            // Something in the manifest's place that cannot be read is not "missing": it is named.
            try FileManager.default.createDirectory(atPath: manifest, withIntermediateDirectories: false)
            #expect(
                throws: ReportError.cannotRead(path: manifest, detail: "a folder is in its place, not a manifest")
            ) {
                try ReportExport.verify(path: path, publicKeyPath: nil, store: nil)
            }

            // No file: neither a missing manifest nor a change, whatever is beside it.
            let absent = folder + "/nothere.csv"
            #expect(throws: ReportError.noFile(path: absent)) {
                try ReportExport.verify(path: absent, publicKeyPath: nil, store: nil)
            }
            #expect(ReportError.noFile(path: "nothere.csv").description == "no file at nothere.csv; check the path")
            try FileManager.default.removeItem(atPath: path)
            #expect(throws: ReportError.noFile(path: path)) {
                try ReportExport.verify(path: path, publicKeyPath: nil, store: nil)
            }
        }
    }
}
