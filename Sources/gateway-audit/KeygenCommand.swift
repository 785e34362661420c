import ArgumentParser
import GatewayAudit

struct KeygenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Create an Ed25519 key pair for signing export manifests.",
        discussion: """
            Keep the private key with the job that exports; give the public key to auditors. Neither file may \
            exist yet: keys are never overwritten.

            Example: gateway-audit keygen --private-key /etc/gateway-audit/sign.key --public-key audit.pub
            """
    )

    @Option(
        name: .customLong("private-key"),
        help: ArgumentHelp("Where to write the private key (mode 600).", valueName: "file"))
    var privateKey: String

    @Option(name: .customLong("public-key"), help: ArgumentHelp("Where to write the public key.", valueName: "file"))
    var publicKey: String

    func run() async throws {
        let fingerprint = try SigningKey.generate(privateKeyPath: privateKey, publicKeyPath: publicKey)
        print("wrote \(privateKey) and \(publicKey) (key \(fingerprint))")
    }
}
