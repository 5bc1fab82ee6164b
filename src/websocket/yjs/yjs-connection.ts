// What the y-websocket rooms keep per connection and per document, and what they are built with.
import type { WebSocket } from 'ws';
import type { Actor } from '../../services/actor.ts';
import type { ConnectionSession } from '../../services/auth/authenticate.ts';
import type { DocumentName } from '../../services/documents/document-names.ts';
import type { Inflight } from '../inflight.ts';
import type { RefusalTally } from '../refusal-tally.ts';
import type { DocAwareness } from '../doc-awareness.ts';
import type { YjsBudget, YjsLimits } from './yjs-budget.ts';

export interface YConnection {
  id: string;
  ws: WebSocket;
  name: string;
  actor: Actor;
  session: ConnectionSession;
  principal: string;
  readOnly: boolean;
  alive: boolean;
  refusals: RefusalTally;
  budget: YjsBudget;
  /** Its sync step 1: the server's state vector when last answered, and a request waiting behind the one being answered. */
  sync: { answered: Uint8Array | null; busy: boolean; next: Uint8Array | null };
  /** Asks it for what the server lacks once an update of it was dropped over budget. */
  resync: NodeJS.Timeout | null;
  /** Closes the connection when its access token runs out (y-websocket cannot renew one in band). */
  expiry: NodeJS.Timeout | null;
  /** More than the buffer cap waits to be sent: updates and awareness are held back until it has read it. */
  behind: boolean;
  /** Bytes relayed since its buffer was last looked at (looked at every 1/16 of the cap). */
  unchecked: number;
}

export interface YRoom {
  name: string;
  parsed: DocumentName;
  conns: Map<string, YConnection>;
}

/** What a new connection brings. */
export interface YjsPeer {
  /** Connection id, already counted against the principal's connection cap. */
  id: string;
  actor: Actor;
  session: ConnectionSession;
  principal: string;
  readOnly: boolean;
  /** What it may send (from the configuration; per peer, so that it could depend on who connects). */
  limits: YjsLimits;
}

export interface YjsRoomsOptions {
  pingIntervalMs: number;
  /** Several nodes share the documents (catch up from the log when a connection opens). */
  clustered: boolean;
  /** Refused updates within 10 s before a connection is closed (4429). */
  refusalLimit: number;
  /** Updates being stored, awaited on shutdown. */
  inflight: Inflight;
  /** Bytes that may wait to be sent to one connection before it is held back (SOCKET_MAX_BUFFERED_BYTES). */
  maxBufferedBytes: number;
  /** Told each time a connection falls behind. */
  onSlowReader?: () => void;
  /** The documents' awareness, shared with Socket.IO subscribers. */
  awareness: DocAwareness;
  /** Told when a connection opens and closes, to count it in its design system's presence. */
  presence?: { open(conn: YConnection): void; close(conn: YConnection): void };
  /** Told each time a message is dropped: `malformed`, `rate_limited`, `too_large`, or the code of what failed. */
  onDropped?: (reason: string) => void;
}
