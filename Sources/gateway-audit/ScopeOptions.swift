import ArgumentParser
import GatewayAudit

/// `--account`, `--region`, `--project`: narrow a listing or report to some scopes of the estate.
struct ScopeOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Only this account of the estate file.", valueName: "name"))
    var account: String?

    @Option(name: .long, help: ArgumentHelp("Only this region.", valueName: "region"))
    var region: String?

    @Option(name: .long, help: ArgumentHelp("Only this project id.", valueName: "id"))
    var project: String?

    /// The store's filter.
    var filter: ScopeFilter {
        ScopeFilter(account: account, region: region, projectID: project)
    }
}
