import GatewayAuditCore

extension SimulatorServer {
    /// The engine for a request: its project's; for IAM's token route the project in the body's
    /// scope; else the first.
    func engine(for request: APIRequest) -> SimulatedCloud {
        if let project = request.projectID, let engine = projects[project] { return engine }
        if request.route == .issueToken, projects.count > 1,
            let body = try? JSONValue(data: .init(request.body)),
            let project = body["auth"]?["scope"]?["project"]
        {
            if let id = project["id"]?.stringValue, let engine = projects[id] { return engine }
            if let name = project["name"]?.stringValue {
                for engine in projects.values where engine.scenario.projectName == name { return engine }
            }
        }
        return cloud
    }
}
