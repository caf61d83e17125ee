import NIOCore
import NIOSSL

/// Serves HTTPS and plain HTTP on one port: a connection whose first byte is 0x16 (a TLS handshake record) gets a TLS
/// server handler in front of the HTTP pipeline; any other is plain HTTP. kubectl uses HTTPS (the kubeconfig says
/// `https://`), because that is the only way it sends the token; tools that speak plain HTTP on the loopback (the
/// tests' raw clients, a fuzzer) still must send `Authorization: Bearer TOKEN`, so both ways are held to the token.
final class TLSSniffer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let tls: NIOSSLContext

    init(_ tls: NIOSSLContext) { self.tls = tls }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        if bytes.getInteger(at: bytes.readerIndex, as: UInt8.self) == 0x16 {
            do {
                try context.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls), position: .after(self))
            } catch {
                context.close(promise: nil)
                return
            }
        }
        context.fireChannelRead(data)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}
