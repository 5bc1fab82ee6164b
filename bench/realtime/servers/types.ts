// What the harness knows about a running server, whatever it is.

/** How clients talk to a server (see clients/connect.ts). */
export type Protocol = 'ws-relay' | 'y-websocket' | 'hocuspocus' | 'sio-relay' | 'ensemble-sio' | 'ensemble-sio-binary';

export const SERVER_IDS = [
  'ws',
  'yws',
  'hocuspocus',
  'sio',
  'ensemble-yws',
  'ensemble-sio',
  'ensemble-sio-bin',
] as const;
export type ServerId = (typeof SERVER_IDS)[number];

/** One process of a server that runs as several (scale-out: nodes sharing Redis and a database). */
export interface ServerNode {
  pid: number;
  baseUrl: string;
  wsUrl(docName: string): string;
}

export interface ServerHandle {
  id: ServerId;
  /** Process whose CPU and memory are measured. */
  pid: number;
  protocol: Protocol;
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  /** One name per benchmark document. */
  docNames: string[];
  /** Connection URL of one document for the WebSocket protocols. */
  wsUrl(docName: string): string;
  /** Bearer token, for servers that authenticate. */
  token?: string;
  /** True when the server keeps document state a fresh client can read back. */
  stateful: boolean;
  /** Full GC in the server process (through the preloaded gc-hook). */
  gc(): Promise<void>;
  stop(): Promise<void>;
  /** CPU spent on the server's behalf in other processes (e.g. PostgreSQL backends), µs. */
  helperCpuMicros?(): number;
  /** Every process when the server runs as several nodes (clients are spread over them); else absent. */
  nodes?: ServerNode[];
  /** The server's database, for benchmarks that compare against a bare query (Ensemble). */
  databaseUrl?: string;
}

export interface ServerDefinition {
  id: ServerId;
  label: string;
  /** Package and version string shown in the report. */
  version: string;
  start(docCount: number): Promise<ServerHandle>;
}
