import ArgumentParser
import GatewayAudit

/// `--tz ZONE`, read into a ``Zone`` while the command line is parsed: an unknown zone stops the
/// command before it opens anything, with ``ZoneError``'s message and exit status 2.
struct ZoneOption: ParsableArguments {
    @Option(
        name: .long, help: ArgumentHelp("IANA time zone for every time column.", valueName: "zone"),
        transform: Zone.init(identifier:))
    var tz: Zone = .utc
}
