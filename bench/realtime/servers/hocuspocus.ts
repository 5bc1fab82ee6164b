// Server 3: @hocuspocus/server 4.x with no extensions and its default configuration
// (debounce 2000 ms, flushDelay 0 = broadcasts coalesced per event-loop turn). Anyone may connect
// (no onAuthenticate hook); the client still sends the Auth frame the protocol expects.
import { Server } from '@hocuspocus/server';

const server = new Server({ port: 0, address: '127.0.0.1', quiet: true });
await server.listen();
process.stdout.write(`LISTENING ${server.address.port}\n`);
