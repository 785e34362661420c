import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// The production transport: AsyncHTTPClient with connection pooling, certificate verification on,
/// and optionally an extra trusted CA bundle for private clouds.
public final class AsyncHTTPClientTransport: Transport {
    private let client: HTTPClient
    /// Largest response body accepted (a v5 list page of 200 gateways is far below).
    private let maximumBodyBytes = 32 << 20

    /// Creates a transport; `caFile` adds a PEM bundle to the trusted roots.
    /// - Throws: ``ClientError/invalidConfiguration(_:)`` when the CA file cannot be read.
    public init(caFile: String? = nil) throws(ClientError) {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .fullVerification
        if let caFile {
            do {
                let certificates = try NIOSSLCertificate.fromPEMFile(caFile)
                if certificates.isEmpty { throw ClientError.invalidConfiguration("--ca-file \(caFile) holds no PEM certificate") }
                tls.additionalTrustRoots = [.certificates(certificates)]
            } catch let error as ClientError {
                throw error
            } catch {
                throw .invalidConfiguration("cannot read --ca-file \(caFile): \(error)")
            }
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls, redirectConfiguration: .disallow)
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(60))
        configuration.httpVersion = .http1Only
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Closes pooled connections; call once when done.
    public func shutdown() async {
        try? await client.shutdown()
    }

    public func send(_ request: HTTPRequest, timeout: Double) async throws(TransportError) -> HTTPResponse {
        var outgoing = HTTPClientRequest(url: request.url.absoluteString)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        if !request.body.isEmpty { outgoing.body = .bytes(ByteBuffer(bytes: request.body)) }
        do {
            let response = try await client.execute(outgoing, timeout: .milliseconds(Int64(timeout * 1000)))
            let body = try await response.body.collect(upTo: maximumBodyBytes)
            var headers: [String: String] = [:]
            for header in response.headers where headers[header.name.lowercased()] == nil {
                headers[header.name.lowercased()] = header.value
            }
            return HTTPResponse(status: Int(response.status.code), headers: headers, body: Data(body.readableBytesView))
        } catch {
            throw AsyncHTTPClientTransport.classify(error)
        }
    }

    static func classify(_ error: any Error) -> TransportError {
        if error is CancellationError { return .cancelled }
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout: return .timeout
            case .cancelled: return .cancelled
            default: return .connection("\(error)")
            }
        }
        if error is NIOSSLError || String(describing: type(of: error)).contains("SSL") {
            return .tls(String(describing: error))
        }
        return .connection(String(describing: error))
    }
}
