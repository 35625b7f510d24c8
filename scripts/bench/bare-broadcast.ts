/**
 * The baseline of the meeting benchmark, run as its own process: a bare
 * Socket.IO server that, when its trigger socket asks, broadcasts one payload
 * of the given size to every connected socket. No database, no presenting:
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
  socket.on('broadcast', (request: { size: number; sentAt: number }, ack: () => void) => {
    const payload = { sentAt: request.sentAt, padding: 'x'.repeat(request.size) };
    io.emit('payload', payload);
    ack();
  });
});
httpServer.listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));
