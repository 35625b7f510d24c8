/**
 * Socket.IO on the HTTP server: the typed contract from `shared/events.ts`,
 * authentication in the handshake (the session cookie or `auth.token`, the same
 * rules as REST), and each user's personal room. Visitors may connect too, to
 * watch public discussions live.
 */
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../shared/events.js';
import { presentedToken, viewerFromToken } from '../auth/authenticate.js';
import { socketViewer, type Viewer } from '../auth/viewer.js';
import { BinaryFramesAdapter } from './binary-frames.js';
import { userRoom } from './rooms.js';
import type { SocketTimeline } from './timeline-gate.js';

export interface SocketData {
  /** Ids and rights only (`socketViewer`): a socket never holds its person's document. */
  viewer: Viewer;
  /** Per watched discussion, what of its timeline this socket has (see timeline-gate.ts). */
  timelines?: Map<string, SocketTimeline>;
}

export type QuorumServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;
export type QuorumSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

/**
 * The largest message a client may send (bytes; Socket.IO's own default is
 * 1 MB). Client events are small JSON requests well under 1 KB, but one
 * update of a collaborative document (a paste) may reach
 * COLLAB_MAX_UPDATE_BYTES (at most 60,000); anything bigger closes the
 * connection before it is parsed or buffered. Polling clients learn it in the
 * handshake and split their batches to fit.
 */
export const MAX_CLIENT_MESSAGE_BYTES = 64 * 1024;

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

export function createSocketServer(
  httpServer: HttpServer,
  options: {
    jwtSecret: string;
    publicUrl: string;
    /** False once the process is stopping: new connections are refused, so clients wait for the next server. */
    accepting?: () => boolean;
  },
): QuorumServer {
  const accepting = options.accepting ?? (() => true);
  const ownOrigin = new URL(options.publicUrl).origin;
  const io: QuorumServer = new Server(httpServer, {
    path: '/socket.io',
    serveClient: false,
    maxHttpBufferSize: MAX_CLIENT_MESSAGE_BYTES,
    // Broadcasts of binary data (collaborative documents) are framed once, not once per socket.
    adapter: BinaryFramesAdapter,
    // Same origin only: a page on another site must not ride on a user's cookie (cross-site WebSocket hijacking).
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      callback(
        null,
        accepting() &&
          (origin === undefined || origin === ownOrigin || hostOf(origin) === req.headers.host),
      );
    },
  });
  const jwtSecret = options.jwtSecret;
  io.use((socket, next) => {
    const auth = socket.handshake.auth as { token?: unknown } | undefined;
    const token =
      typeof auth?.token === 'string'
        ? auth.token
        : (presentedToken(socket.request)?.token ?? null);
    viewerFromToken(token, jwtSecret, { hold: false }).then(
      (viewer) => {
        socket.data.viewer = socketViewer(viewer);
        next();
      },
      (error: unknown) => next(error instanceof Error ? error : new Error('authentication failed')),
    );
  });
  io.on('connection', (socket) => {
    const user = socket.data.viewer.user;
    if (user) void socket.join(userRoom(String(user._id)));
  });
  return io;
}
