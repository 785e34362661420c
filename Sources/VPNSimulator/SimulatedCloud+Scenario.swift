import GatewayAuditCore

extension SimulatedCloud {
    /// Applies one scheduled change at virtual time `at`; a change for a gateway that no longer exists
    /// is skipped (the scenario was validated, so this only happens after an API-driven delete).
    func apply(_ event: ScenarioEvent, at: Instant) {
        if case .create(var gateway) = event.change {
            let stamp = gateway.style.render(at)
            if gateway.createdAt == nil { gateway.createdAt = stamp }
            gateways[gateway.id] = gateway
            return
        }
        guard var gateway = gateways[event.gateway] else { return }
        switch event.change {
        case .create:
            return
        case .rename(let name):
            gateway.name = name
            gateway.updatedAt = gateway.style.render(at)
        case .rotateCertificate(let certificate):
            gateway.certificate = certificate
            gateway.updatedAt = gateway.style.render(at)
        case .addTags(let tags):
            gateway.tags = SimulatedCloud.merging(gateway.tags, tags)
        case .removeTags(let keys):
            gateway.tags.removeAll { keys.contains($0.key) }
        case .delete:
            gateways[event.gateway] = nil
            return
        case .recreate(let newID):
            gateways[event.gateway] = nil
            var copy = gateway
            copy.id = newID
            copy.createdAt = gateway.style.render(at)
            copy.updatedAt = nil
            gateways[newID] = copy
            return
        case .touch:
            gateway.updatedAt = gateway.style.render(at)
        case .setGeneration(let generation):
            gateway.generation = generation
        case .reformat(let style):
            gateway.style = style
            gateway.createdAt = gateway.createdAt.map { SimulatedCloud.rewrite($0, style) }
            gateway.updatedAt = gateway.updatedAt.map { SimulatedCloud.rewrite($0, style) }
        case .relabel(let designator):
            gateway.createdAt = gateway.createdAt.map { SimulatedCloud.relabel($0, designator) }
            gateway.updatedAt = gateway.updatedAt.map { SimulatedCloud.relabel($0, designator) }
            gateway.style.designator = designator
        case .driftCreatedAt(let seconds, let nanoseconds):
            if let text = gateway.createdAt, let stamp = try? Timestamp(parsing: text) {
                gateway.createdAt = TimestampStyle(of: stamp).render(
                    stamp.instant.adding(seconds: seconds, nanoseconds: nanoseconds))
            }
        case .setExtraField(let key, let value):
            gateway.extraFields[key] = value
        }
        gateways[event.gateway] = gateway
    }

    private static func rewrite(_ text: String, _ style: TimestampStyle) -> String {
        guard let stamp = try? Timestamp(parsing: text) else { return text }
        return style.render(stamp.instant)
    }

    private static func relabel(_ text: String, _ designator: String) -> String {
        guard let stamp = try? Timestamp(parsing: text) else { return text }
        return TimestampStyle.relabel(stamp, designator: designator)
    }
}
