import GatewayAuditCore

extension SimulatedCloud {
    func listGateways(_ request: APIRequest, requestID: String) -> APIResponse {
        page(liveGateways, of: .customerGateways, request, requestID: requestID, json: \.json) {
            self.gateways[GatewayID($0)]?.createdInstant
        }
    }

    func getGateway(_ request: APIRequest, requestID: String) -> APIResponse {
        guard let gateway = request.gatewayID.flatMap({ gateways[$0] }) else { return notFound(request, requestID) }
        return single(gateway, status: 200, requestID: requestID)
    }

    func createGateway(_ request: APIRequest, requestID: String) -> APIResponse {
        guard let spec = (try? JSONValue(data: .init(request.body)))?["customer_gateway"], spec.objectValue != nil
        else {
            return invalid("the body must be {\"customer_gateway\": {...}}", requestID)
        }
        let idType = spec["id_type"]?.stringValue ?? "ip"
        guard ["ip", "fqdn"].contains(idType) else { return invalid("id_type must be ip or fqdn", requestID) }
        guard let idValue = spec["id_value"]?.stringValue, (1...128).contains(idValue.count) else {
            return invalid("id_value is required (1 to 128 characters)", requestID)
        }
        let name = spec["name"]?.stringValue ?? "cgw-" + idGenerator.hex(4)
        guard (1...64).contains(name.count) else { return invalid("name must have 1 to 64 characters", requestID) }
        var tags: [Tag] = []
        if let list = spec["tags"] {
            guard let entries = list.arrayValue?.compactMap(Tag.init(json:)) else {
                return invalid("tags must be a list of {\"key\", \"value\"}", requestID)
            }
            tags = entries
        }
        let id = GatewayID(idGenerator.uuid())
        let stamp = TimestampStyle.milliseconds.render(now)
        var gateway = SimulatedGateway(
            id: id, name: name, idType: idType, idValue: idValue, bgpASN: spec["bgp_asn"]?.integerValue, tags: tags,
            createdAt: stamp, updatedAt: stamp)
        if spec["ca_certificate"] != nil { gateway.certificate = newCertificate(subject: "CN=\(name)") }
        gateways[id] = gateway
        return single(gateway, status: 201, requestID: requestID)
    }

    func updateGateway(_ request: APIRequest, requestID: String) -> APIResponse {
        guard let id = request.gatewayID, var gateway = gateways[id] else { return notFound(request, requestID) }
        guard let spec = (try? JSONValue(data: .init(request.body)))?["customer_gateway"], spec.objectValue != nil
        else {
            return invalid("the body must be {\"customer_gateway\": {\"name\"?, \"ca_certificate\"?}}", requestID)
        }
        if let name = spec["name"] {
            guard let text = name.stringValue, (1...64).contains(text.count) else {
                return invalid("name must have 1 to 64 characters", requestID)
            }
            gateway.name = text
        }
        if let certificate = spec["ca_certificate"] {
            guard certificate["id"] != nil || certificate["content"] != nil else {
                return invalid("ca_certificate needs an id or a content", requestID)
            }
            gateway.certificate = newCertificate(subject: gateway.certificate?.subject ?? "CN=\(gateway.name)")
        }
        gateway.updatedAt = gateway.style.render(now)
        gateways[id] = gateway
        return single(gateway, status: 200, requestID: requestID)
    }

    func deleteGateway(_ request: APIRequest, requestID: String) -> APIResponse {
        guard let id = request.gatewayID, gateways[id] != nil else { return notFound(request, requestID) }
        gateways[id] = nil
        return APIResponse(status: 204, headers: [("X-Request-Id", requestID)])
    }

    func changeTags(_ request: APIRequest, adding: Bool, requestID: String) -> APIResponse {
        guard let id = request.gatewayID, var gateway = gateways[id] else { return notFound(request, requestID) }
        guard let entries = (try? JSONValue(data: .init(request.body)))?["tags"]?.arrayValue else {
            return invalid("the body must be {\"tags\": [{\"key\": ..., \"value\": ...}]}", requestID)
        }
        let tags = entries.compactMap(Tag.init(json:))
        guard tags.count == entries.count, tags.allSatisfy({ (1...128).contains($0.key.count) }) else {
            return invalid("every tag needs a key of 1 to 128 characters", requestID)
        }
        if adding {
            gateway.tags = SimulatedCloud.merging(gateway.tags, tags)
        } else {
            let keys = Set(tags.map(\.key))
            gateway.tags.removeAll { keys.contains($0.key) }
        }
        gateways[id] = gateway
        return APIResponse(status: 204, headers: [("X-Request-Id", requestID)])
    }

    static func merging(_ existing: [Tag], _ added: [Tag]) -> [Tag] {
        var result = existing
        for tag in added {
            if let index = result.firstIndex(where: { $0.key == tag.key }) {
                result[index] = tag
            } else {
                result.append(tag)
            }
        }
        return result
    }

    func newCertificate(subject: String) -> SimulatedCertificate {
        let expiry = now.adding(seconds: 365 * 86_400)
        return SimulatedCertificate(
            id: idGenerator.uuid(), serialNumber: idGenerator.hex(16).uppercased(), subject: subject,
            expireTime: TimestampStyle(fractionDigits: 0, designator: "Z").render(expiry))
    }

    private func single(_ gateway: SimulatedGateway, status: Int, requestID: String) -> APIResponse {
        .json(
            status, .object(["customer_gateway": gateway.json, "request_id": .string(requestID)]), requestID: requestID)
    }

    private func invalid(_ message: String, _ requestID: String) -> APIResponse {
        .error(400, code: "VPN.0001", message: "invalid request: \(message)", requestID: requestID)
    }

    private func notFound(_ request: APIRequest, _ requestID: String) -> APIResponse {
        .error(
            404, code: "VPN.0004",
            message: "customer gateway \(request.gatewayID?.rawValue ?? "") not found", requestID: requestID)
    }
}
