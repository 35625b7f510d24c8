/**
 * Socket.IO's room adapter, with binary broadcasts framed once.
 *
 * A broadcast is encoded once by Socket.IO's adapter, but only a packet that
 * encodes to one string also gets its WebSocket frame built once; a packet
 * carrying binary data (a collaborative document's update or caret) encodes
 * to a text part and a binary part, which engine.io and `ws` frame anew for
 * every socket, and write in two turns. With a few hundred sockets in a
 * document that was most of the server's work per keystroke.
 *
 * Here such a packet's frames are built once per broadcast, as one buffer
 * holding the text frame and the binary frames after it: every WebSocket
 * socket gets that buffer in one write, and its client reads the very frames
 * engine.io would have sent. A socket that could not take prebuilt frames
 * (long-polling, base64 only, compression) gets the packet the usual way.
 */
import { Adapter, type BroadcastOptions } from 'socket.io-adapter';

/** The members of Socket.IO's adapter and sockets this relies on (the adapter uses the same ones). */
interface Internals {
  nsp: { name: string };
  encoder: { encode(packet: unknown): Array<string | Uint8Array> };
  apply(opts: BroadcastOptions, callback: (socket: InternalSocket) => void): void;
}
interface InternalSocket {
  notifyOutgoingListeners?: (packet: unknown) => void;
  client: { writeToEngine(packets: unknown, opts: object): void };
  conn: { transport: InternalTransport };
}
interface InternalTransport {
  name: string;
  supportsBinary?: boolean;
  opts?: { perMessageDeflate?: unknown };
  socket?: { _sender?: { sendFrame?: unknown } };
}

/** WebSocket opcodes (RFC 6455, 5.2). */
const TEXT = 0x1;
const BINARY = 0x2;
/** engine.io's "message" packet type, which prefixes a text message. */
const MESSAGE = '4';

/** One unmasked, final WebSocket frame (a server's frames are never masked). */
function frame(opcode: number, payload: Uint8Array): Buffer {
  const length = payload.length;
  const extra = length < 126 ? 0 : length < 65536 ? 2 : 8;
  const out = Buffer.allocUnsafe(2 + extra + length);
  out[0] = 0x80 | opcode;
  if (extra === 0) out[1] = length;
  else if (extra === 2) {
    out[1] = 126;
    out.writeUInt16BE(length, 2);
  } else {
    out[1] = 127;
    out.writeBigUInt64BE(BigInt(length), 2);
  }
  out.set(payload, 2 + extra);
  return out;
}

/** The bytes of a binary attachment, as engine.io would send them. */
function bytesOf(part: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (part instanceof ArrayBuffer) return new Uint8Array(part);
  return new Uint8Array(part.buffer, part.byteOffset, part.byteLength);
}

/** Whether engine.io would send a prebuilt frame on this transport as it is (its own test, plus binary). */
function takesFrames(transport: InternalTransport): boolean {
  return (
    transport.name === 'websocket' &&
    transport.supportsBinary !== false &&
    !transport.opts?.perMessageDeflate &&
    typeof transport.socket?._sender?.sendFrame === 'function'
  );
}

export class BinaryFramesAdapter extends Adapter {
  /** As Socket.IO's own (flags, exceptions, outgoing listeners), with every packet's frames built once. */
  override broadcast(packet: Record<string, unknown>, opts: BroadcastOptions): void {
    const flags = opts.flags ?? {};
    const internals = this as unknown as Internals;
    packet.nsp = internals.nsp.name;
    const encoded = internals.encoder.encode(packet);
    const [text, ...attachments] = encoded as [string, ...Array<ArrayBuffer | ArrayBufferView>];
    const frames = Buffer.concat([
      frame(TEXT, Buffer.from(MESSAGE + text)),
      ...attachments.map((part) => frame(BINARY, bytesOf(part))),
    ]);
    const base = { preEncoded: true, volatile: flags.volatile, compress: flags.compress };
    const framed = { ...base, wsPreEncodedFrame: [frames] };
    const single = attachments.length === 0;
    internals.apply(opts, (socket) => {
      socket.notifyOutgoingListeners?.(packet);
      // A text-only packet is the same whether a transport uses its frame or not. Binary
      // frames travel as one packet whose own data is only the text part: a transport that
      // ignored them would send that alone, so only the transports that use them get them.
      if (single) socket.client.writeToEngine(encoded, framed);
      else if (takesFrames(socket.conn.transport)) socket.client.writeToEngine(text, framed);
      else socket.client.writeToEngine(encoded, base);
    });
  }
}
