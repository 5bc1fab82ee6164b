// What the start-up line prints: the address the server really listens on, and a URL one can click
// on this machine (a wildcard address such as 0.0.0.0 is no place a browser can go).
import type { AddressInfo } from 'node:net';

// Where a wildcard listener is reached from this machine.
const LOOPBACK: Record<string, string> = { '0.0.0.0': '127.0.0.1', '::': '::1' };

const hostPort = (host: string, port: number) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/** `listening` as bound (`0.0.0.0:3000`, `[::]:3000`) and the local `url` to open (`http://127.0.0.1:3000`). */
export function listenAddress(address: AddressInfo): { listening: string; url: string } {
  const host = LOOPBACK[address.address] ?? address.address;
  return { listening: hostPort(address.address, address.port), url: `http://${hostPort(host, address.port)}` };
}
