// Hocuspocus scaled out the way its docs describe: @hocuspocus/server 4.x with
// @hocuspocus/extension-redis (updates and awareness between instances over Redis pub/sub),
// otherwise its defaults. One process per node; every node of a run shares BENCH_HOCUSPOCUS_PREFIX.
import { Redis } from '@hocuspocus/extension-redis';
import { Server } from '@hocuspocus/server';

const redis = new URL(process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379');
const server = new Server({
  port: 0,
  address: '127.0.0.1',
  quiet: true,
  extensions: [
    new Redis({
      host: redis.hostname,
      port: Number(redis.port || 6379),
      prefix: process.env.BENCH_HOCUSPOCUS_PREFIX ?? 'hocuspocus-bench',
    }),
  ],
});
await server.listen();
process.stdout.write(`LISTENING ${server.address.port}\n`);
