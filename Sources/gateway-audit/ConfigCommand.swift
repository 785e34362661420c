import ArgumentParser

/// `gateway-audit config`: commands about the estate file.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check an estate file.",
        subcommands: [ConfigCheckCommand.self]
    )
}
