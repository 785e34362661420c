import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// An HTTPS front for the simulator: terminates TLS with a given certificate on 127.0.0.1 (port 0)
/// and relays the plain bytes to the simulator's port, so the client sees a real TLS server.
struct TLSProxy: Sendable {
    let port: Int
    private let channel: any Channel

    static func start(certificatePath: String, keyPath: String, targetPort: Int) async throws -> TLSProxy {
        let certificates = try NIOSSLCertificate.fromPEMFile(certificatePath)
        let key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: certificates.map { .certificate($0) }, privateKey: .privateKey(key))
        let context = try NIOSSLContext(configuration: configuration)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    try child.pipeline.syncOperations.addHandler(RelayHandler(targetPort: targetPort))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return TLSProxy(port: channel.localAddress?.port ?? 0, channel: channel)
    }

    func stop() async {
        try? await channel.close()
    }
}

/// Relays one accepted (decrypted) connection to the target port and back.
private final class RelayHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let targetPort: Int
    private var target: (any Channel)?
    private var pending: [ByteBuffer] = []

    init(targetPort: Int) {
        self.targetPort = targetPort
    }

    func channelActive(context: ChannelHandlerContext) {
        let inbound = context.channel
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        ClientBootstrap(group: context.eventLoop)
            .channelInitializer { outbound in
                outbound.eventLoop.makeCompletedFuture {
                    try outbound.pipeline.syncOperations.addHandler(BackHandler(inbound: inbound))
                }
            }
            .connect(host: "127.0.0.1", port: targetPort)
            .whenComplete { result in
                switch result {
                case .success(let outbound):
                    let handler = bound.value
                    handler.target = outbound
                    for buffer in handler.pending { outbound.write(buffer, promise: nil) }
                    handler.pending.removeAll()
                    outbound.flush()
                case .failure:
                    inbound.close(promise: nil)
                }
            }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        if let target {
            target.writeAndFlush(buffer, promise: nil)
        } else {
            pending.append(buffer)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        target?.close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A client that refuses the certificate ends the handshake: close quietly.
        context.close(promise: nil)
    }
}

/// Sends what the target answers back to the client connection.
private final class BackHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let inbound: any Channel

    init(inbound: any Channel) {
        self.inbound = inbound
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        inbound.writeAndFlush(unwrapInboundIn(data), promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        inbound.close(promise: nil)
        context.fireChannelInactive()
    }
}
