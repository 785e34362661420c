import Foundation
import Testing

@testable import GatewayAudit
@testable import GatewayAuditAnalyse
@testable import GatewayAuditClient
@testable import GatewayAuditCore
@testable import GatewayAuditReport
@testable import GatewayAuditStore

/// Errors on the report side must surface as themselves, never as a different outcome.
@Suite("Exports: read and encoding failures are reported, never mistaken for tampering")
struct ReportExportFailureTests {
    func export(_ f: StoreFixture) throws -> (path: String, manifest: ReportManifest) {
        let path = f.directory.appendingPathComponent("changes.UTC.csv").path
        let manifest = try ReportExport.write(store: f.store, options: ReportOptions(view: .changes), to: path)
        return (path, manifest)
    }

    /// The changes view exported to `changes.csv` in `f`'s folder, signed with a new key pair there.
    func signedExport(_ f: StoreFixture) throws -> (
        path: String, manifest: ReportManifest, key: String, publicKey: String
    ) {
        let folder = f.directory.path
        let (key, publicKey) = (folder + "/export.key", folder + "/export.pub")
        _ = try SigningKey.generate(privateKeyPath: key, publicKeyPath: publicKey)
        let path = folder + "/changes.csv"
        let manifest = try ReportExport.write(
            store: f.store, options: ReportOptions(view: .changes), to: path, signingKey: key)
        return (path, manifest, key, publicKey)
    }

    @Test(
        "a signed export that fails (a key it cannot read, a manifest name too long) leaves the previous export and manifest as they were"
    )
    func failedExportKeepsPrevious() async throws {
        let f = try await ReportFixture.build()
        let folder = f.directory.path
        let (path, _, key, publicKey) = try signedExport(f)
        func contents() throws -> [Data] {
            try [path, ReportManifest.path(for: path)].map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        }
        let before = try contents()
        let bad = folder + "/bad.key"
        try "bogus\n".write(toFile: bad, atomically: true, encoding: .utf8)
        // Times in Berlin: other bytes, which must not replace the signed export.
        let berlin = ReportOptions(view: .changes, zone: try Zone(identifier: "Europe/Berlin"))
        #expect(throws: ReportError.self) {
            try ReportExport.write(store: f.store, options: berlin, to: path, signingKey: bad)
        }
        #expect(try contents() == before)
        #expect(try ReportExport.verify(path: path, publicKeyPath: publicKey, store: f.store).problems.isEmpty)

        // The report's temporary name fits the file system's 255 bytes, the manifest's does not.
        let long = folder + "/" + String(repeating: "c", count: 231) + ".csv"
        let error = #expect(throws: ReportError.self) {
            try ReportExport.write(store: f.store, options: ReportOptions(view: .changes), to: long)
        }
        guard case .cannotWrite(let failed, let detail)? = error else {
            Issue.record("expected cannotWrite, got \(String(describing: error))")
            return
        }
        #expect(failed == ReportManifest.path(for: long) && detail == "File name too long")
        #expect(!FileManager.default.fileExists(atPath: long))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".tmp") } == [])
    }

    @Test("a read error while hashing is readFailed, not the digest of the bytes read so far")
    func hashReadError() throws {
        let f = try StoreFixture()
        // A folder opens for reading but every read fails (EISDIR): an I/O error on the first read.
        let folder = f.directory.appendingPathComponent("not-a-file").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let error = #expect(throws: ReportError.self) { try ReportManifest.sha256(ofFile: folder) }
        guard case .readFailed(let path, let bytesRead, _)? = error else {
            Issue.record("expected readFailed, got \(String(describing: error))")
            return
        }
        #expect(path == folder && bytesRead == 0)
    }

    @Test("verify of an export it cannot read says so instead of 'the file was changed after export'")
    func verifyReadError() async throws {
        let f = try await ReportFixture.build()
        let e = try export(f)
        try FileManager.default.removeItem(atPath: e.path)
        try FileManager.default.createDirectory(atPath: e.path, withIntermediateDirectories: false)
        let error = #expect(throws: ReportError.self) {
            try ReportExport.verify(path: e.path, publicKeyPath: nil, store: nil)
        }
        guard case .readFailed? = error else {
            Issue.record("expected readFailed, got \(String(describing: error))")
            return
        }
        #expect("\(error.map { "\($0)" } ?? "")".hasPrefix("reading \(e.path) failed after 0 bytes"))
    }

    @Test("a value that cannot be encoded is an error, never signed as empty bytes")
    func encodingFailure() throws {
        struct Unencodable: Encodable { let value = Double.nan }
        let error = #expect(throws: ReportError.self) {
            try ReportManifest.canonicalJSON(of: Unencodable(), what: "a test value")
        }
        guard case .encodingFailed(let what, _)? = error else {
            Issue.record("expected encodingFailed, got \(String(describing: error))")
            return
        }
        #expect(what == "a test value")
    }

    @Test("view and format are typed but the manifest JSON keeps their names as strings")
    func typedViewAndFormat() async throws {
        let f = try await ReportFixture.build()
        let e = try export(f)
        #expect(e.manifest.view == .changes && e.manifest.format == .csv)
        let text = try String(contentsOfFile: ReportManifest.path(for: e.path), encoding: .utf8)
        #expect(text.contains("\"view\" : \"changes\""))
        #expect(text.contains("\"format\" : \"csv\""))
        #expect(text.hasSuffix("}\n"))
        let signed = String(decoding: try e.manifest.signedBytes(), as: UTF8.self)
        #expect(signed.contains("\"format\":\"csv\"") && signed.contains("\"view\":\"changes\""))
    }

    @Test("a manifest naming an unknown view is reported as not a valid manifest")
    func unknownView() async throws {
        let f = try await ReportFixture.build()
        let e = try export(f)
        let manifestPath = ReportManifest.path(for: e.path)
        let text = try String(contentsOfFile: manifestPath, encoding: .utf8)
            .replacingOccurrences(of: "\"view\" : \"changes\"", with: "\"view\" : \"everything\"")
        try Data(text.utf8).write(to: URL(fileURLWithPath: manifestPath))
        let check = try ReportExport.verify(path: e.path, publicKeyPath: nil, store: nil)
        #expect(check.problems == ["the manifest \(manifestPath) is not a valid manifest (it was edited or damaged)"])
    }

    @Test("a signed manifest with a repeated or unknown member does not verify, though the decoded fields are signed")
    func repeatedOrUnknownMembers() async throws {
        let f = try await ReportFixture.build()
        let (path, manifest, _, publicKey) = try signedExport(f)
        let manifestPath = ReportManifest.path(for: path)
        let original = try String(contentsOfFile: manifestPath, encoding: .utf8)
        #expect(try ReportExport.verify(path: path, publicKeyPath: publicKey, store: f.store).problems.isEmpty)
        let problem =
            "the manifest \(manifestPath) holds a repeated or unknown member: it was edited after export, and "
            + "other tools would read claims its signature does not cover"
        for addition in ["\"rows\" : 3, \"filters\" : \"gateways 5f0c only\"", "\"approved_by\" : \"audit team\""] {
            let edited = original.replacingOccurrences(of: "\n}\n", with: ",\n  \(addition)\n}\n")
            #expect(edited != original)
            try Data(edited.utf8).write(to: URL(fileURLWithPath: manifestPath))
            let check = try ReportExport.verify(path: path, publicKeyPath: publicKey, store: f.store)
            #expect(check.problems == [problem], "\(addition)")
        }
        // The same value repeated says nothing new: it still verifies.
        let repeated = original.replacingOccurrences(of: "\n}\n", with: ",\n  \"rows\" : \(manifest.rows)\n}\n")
        try Data(repeated.utf8).write(to: URL(fileURLWithPath: manifestPath))
        #expect(try ReportExport.verify(path: path, publicKeyPath: publicKey, store: f.store).problems.isEmpty)
    }

    @Test("an export made while a run is in progress (or after one was killed) verifies against its database")
    func exportDuringRun() async throws {
        let f = try StoreFixture()
        try await f.run(night: 1, try standardGateway(id: "gw-a"))
        let sealed = try f.store.chainHead()
        let run = try await f.writer.beginRun(
            RunInfo(endpoint: "http://127.0.0.1", projectID: "p", scope: .all), at: StoreFixture.night(2),
            lockWait: .seconds(5))
        let at = StoreFixture.night(2).adding(seconds: 60)
        _ = try await f.recorder.record(
            [
                Observation(
                    gatewayID: GatewayID("gw-b"), observedAt: at, result: .present(try standardGateway(id: "gw-b")))
            ],
            in: run)
        let (path, manifest) = try export(f)
        #expect(manifest.chainHead == sealed, "the head of the last finished run, which the database recorded")
        #expect(try ReportExport.verify(path: path, publicKeyPath: nil, store: f.store).problems.isEmpty)
        try await f.writer.finishRun(run, status: .complete, at: at.adding(seconds: 1))
        #expect(try ReportExport.verify(path: path, publicKeyPath: nil, store: f.store).problems.isEmpty)
    }

    @Test("an export of several scopes lists each scope's sealed head; verify --db checks every one")
    func scopeHeads() async throws {
        let f = try StoreFixture()
        try await f.run(night: 1, try standardGateway(id: "gw-a"))
        let other = try await f.writer.beginRun(
            RunInfo(endpoint: "http://127.0.0.1", projectID: "p2", scope: .all), at: StoreFixture.night(1),
            lockWait: .seconds(5))
        let at = StoreFixture.night(1).adding(seconds: 60)
        _ = try await f.recorder.record([.present(try standardGateway(id: "gw-b"), at: at)], in: other)
        try await f.writer.finishRun(other, status: .complete, at: at.adding(seconds: 1))
        let (path, manifest) = try export(f)
        let heads = try #require(manifest.scopeHeads)
        #expect(heads.map(\.scope) == ["-/-/-/p", "-/-/-/p2"], "\(heads)")
        #expect(Set(heads.map(\.head)).count == 2 && heads.contains { $0.head == manifest.chainHead })
        let check = try ReportExport.verify(path: path, publicKeyPath: nil, store: f.store)
        #expect(
            check.problems.isEmpty
                && check.passed.contains("the heads of its 2 scopes belong to the database's history"))
        // One scope's head replaced (an export of another history, or an edited one): named.
        let manifestPath = ReportManifest.path(for: path)
        let forged = String(repeating: "0", count: 64)
        let text = try String(contentsOfFile: manifestPath, encoding: .utf8)
            .replacingOccurrences(of: heads[1].head, with: forged)
        try Data(text.utf8).write(to: URL(fileURLWithPath: manifestPath))
        let after = try ReportExport.verify(path: path, publicKeyPath: nil, store: f.store)
        #expect(
            after.problems.contains {
                $0 == "the head of scope \(heads[1].scope), \(forged), was never recorded by this database: the export "
                    + "comes from another or an altered history"
            }, "\(after.problems)")
        // A history of one scope keeps the manifest it always had: no scope_heads member.
        let single = try StoreFixture()
        try await single.run(night: 1, try standardGateway(id: "gw-a"))
        let (singlePath, singleManifest) = try export(single)
        #expect(singleManifest.scopeHeads == nil)
        #expect(
            !(try String(contentsOfFile: ReportManifest.path(for: singlePath), encoding: .utf8)).contains("scope_heads")
        )
    }

}
