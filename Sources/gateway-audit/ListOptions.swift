import ArgumentParser

/// The options every listing command shares: output format, zone and database.
struct ListOptions: ParsableArguments {
    @Option(name: .long, help: "text, csv or json.")
    var format: ListFormat = .text

    @OptionGroup var zoneOption: ZoneOption

    @OptionGroup var database: DatabaseOption
}
