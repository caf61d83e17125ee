import Core
import Foundation
import NIOCore
import NIOWebSocket

/// The exec session after the 101: binary frames whose first byte is the channel (0 stdin, 1 stdout, 2 stderr,
/// 3 status, 4 resize, 255 close-stream). Ends with `[3]`+Status, a close frame (1000), then closes the TCP connection.
///
/// A simulated dump's output is streamed in `chunkSize` frames made only when the connection can take them: while
/// the channel is writable, at most `chunksPerTurn` at a time (then the event loop reads and serves its other
/// connections), and again at `channelWritabilityChanged` once kubectl has read enough — so a 1 GiB dump never sits
/// in memory.
final class ExecHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let request: ExecRequest
    private var outcome = ExecOutcome()
    private var finished = false
    /// The dump being streamed, once started.
    private var dump: DumpStream?
    private var pumpScheduled = false
    /// In `pump`: a flush inside it can make the channel unwritable and writable again at once, and the
    /// `channelWritabilityChanged` that comes with it must not start another pump inside this one.
    private var pumping = false

    static let chunkSize = 64 << 10
    static let chunksPerTurn = 16
    /// The pause before the next turn. Not `execute`: an event loop runs the tasks its tasks add before it reads the
    /// sockets again, so a dump that kubectl reads as fast as it is made would never let the loop read kubectl's pings,
    /// and client-go gives up after 61 s without a pong ("next reader: … i/o timeout": a 1 GiB dump did, when each
    /// flush's writability change also started the next chunk from inside the last).
    static let turnPause = TimeAmount.milliseconds(1)

    init(_ request: ExecRequest) { self.request = request }

    /// How long the "process" takes to start. kubectl (client-go's remotecommand/websocket.go) starts reading frames
    /// before it has registered its streams, so output sent right behind the 101 can be dropped ("Unknown stream id 1,
    /// discarding message", then "error: closed all streams"): seen once in 814 execs of the soak with 20 clients on
    /// a loaded machine, and again once in 967 with a 25 ms delay at a load average of 20 on 2 cores. A real
    /// kubelet's process (through the container runtime) takes about this long to start and print.
    static let startDelay = TimeAmount.milliseconds(100)

    func handlerAdded(context: ChannelHandlerContext) {
        outcome = ExecCommands.run(request.command, in: request.context)
        guard !outcome.readsStdin || !request.stdin else { return }
        let loop = context.eventLoop.assumeIsolated()
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        loop.scheduleTask(in: Self.startDelay) { [self] in
            if let job = outcome.dump {
                dump = job.start()
                pump(context: bound.value)
            } else {
                finish(context: bound.value)
            }
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable && !pumping { pump(context: context) }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        // kubectl went away: stop generating.
        finished = true
        dump = nil
        context.fireChannelInactive()
    }

    /// Sends the dump's next chunks while the channel takes them, then yields; ends the exec after the last one.
    private func pump(context: ChannelHandlerContext) {
        pumpScheduled = false
        guard let dump, !finished, !pumping else { return }
        pumping = true
        defer { pumping = false }
        for _ in 0..<Self.chunksPerTurn {
            guard context.channel.isWritable else { return }   // channelWritabilityChanged resumes
            sendStderr(context, dump.takeStderr())
            guard let chunk = dump.nextStdout(max: Self.chunkSize) else {
                end(context: context, stdout: "", stderr: dump.takeStderr(), exitCode: dump.exitCode)
                return
            }
            if request.stdout { send(context, 1, chunk) }
        }
        guard !pumpScheduled else { return }
        pumpScheduled = true
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.eventLoop.assumeIsolated().scheduleTask(in: Self.turnPause) { [self] in pump(context: bound.value) }
    }

    private func sendStderr(_ context: ChannelHandlerContext, _ text: String) {
        guard !text.isEmpty else { return }
        if request.tty {
            if request.stdout { send(context, 1, ByteBuffer(string: text)) }
        } else if request.stderr {
            send(context, 2, ByteBuffer(string: text))
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .binary, .text:
            var bytes = frame.unmaskedData
            guard !finished, let channel = bytes.readInteger(as: UInt8.self) else { return }
            switch channel {
            case 0: // stdin: `cat` echoes it
                if outcome.readsStdin, bytes.readableBytes > 0 { send(context, 1, bytes) }
            case 255: // close-stream; `[255, 0]` is stdin's EOF, which ends `cat` (a dump reads no stdin and goes on)
                if bytes.readInteger(as: UInt8.self) == 0, outcome.dump == nil { finish(context: context) }
            default: break // 4: resize, nothing to do
            }
        case .ping:
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)), promise: nil)
        case .connectionClose:
            finished = true
            context.close(promise: nil)
        default: break
        }
    }

    private func send(_ context: ChannelHandlerContext, _ stream: UInt8, _ payload: ByteBuffer) {
        var buffer = context.channel.allocator.buffer(capacity: payload.readableBytes + 1)
        buffer.writeInteger(stream)
        buffer.writeImmutableBuffer(payload)
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .binary, data: buffer)), promise: nil)
    }

    /// A chunk of generated bytes, copied once into the frame.
    private func send(_ context: ChannelHandlerContext, _ stream: UInt8, _ payload: [UInt8]) {
        var buffer = context.channel.allocator.buffer(capacity: payload.count + 1)
        buffer.writeInteger(stream)
        buffer.writeBytes(payload)
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .binary, data: buffer)), promise: nil)
    }

    private func finish(context: ChannelHandlerContext) {
        end(context: context, stdout: outcome.stdout, stderr: outcome.stderr, exitCode: outcome.exitCode)
    }

    /// The last output, the status frame, the close frame, then the TCP close.
    private func end(context: ChannelHandlerContext, stdout: String, stderr: String, exitCode: Int) {
        guard !finished else { return }
        finished = true
        dump = nil
        let out = stdout + (request.tty ? stderr : "")
        if request.stdout, !out.isEmpty { send(context, 1, ByteBuffer(string: out)) }
        if request.stderr, !request.tty, !stderr.isEmpty { send(context, 2, ByteBuffer(string: stderr)) }
        let status = (try? JSONWriter.encode(Self.status(exitCode: exitCode, command: request.command))) ?? "{}"
        send(context, 3, ByteBuffer(string: status))
        var code = context.channel.allocator.buffer(capacity: 2)
        code.writeInteger(UInt16(1000))
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: code))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }

    /// The v5 status message: Success, or Failure/NonZeroExitCode with the code in `details.causes`.
    static func status(exitCode: Int, command: [String]) -> Value {
        if exitCode == 0 { return ["metadata": [:], "status": "Success"] }
        return ["metadata": [:], "status": "Failure",
                "message": .string("command terminated with non-zero exit code: error executing command [\(command.joined(separator: " "))], exit code \(exitCode)"),
                "reason": "NonZeroExitCode",
                "details": ["causes": [["reason": "ExitCode", "message": .string(String(exitCode))]]]]
    }
}

