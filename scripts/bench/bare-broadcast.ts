/**
 * The baseline of the meeting benchmark, run as its own process: a bare
 * Socket.IO server that, when its trigger socket asks, broadcasts the payload
 * it was given (a real meeting state, so clients decode the same structure)
 * to every connected socket. No database, no presenting:
 * what a broadcast costs by itself on this machine.
 *
 *   node --import tsx scripts/bench/bare-broadcast.ts <port>
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.argv[2] ?? 0);
const httpServer = createServer();
const io = new Server(httpServer, { serveClient: false, maxHttpBufferSize: 1e6 });
io.on('connection', (socket) => {
  socket.on('broadcast', (request: { payload: unknown; sentAt: number }, ack: () => void) => {
    io.emit('payload', { sentAt: request.sentAt, payload: request.payload });
    ack();
  });
});
httpServer.listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));
