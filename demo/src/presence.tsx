// Who is here: the connection status, the avatar stack (useOthers + useSelf) and the others'
// live cursors over the page (room.moveCursor, useOthersCursors).
import { useMyPresence, useOthers, useOthersCursors, useRoom, useStatus } from '@ensemble/client/react';
import type { PresenceEntry } from '@ensemble/client';
import { useCallback, useEffect, useRef, type PointerEvent, type ReactNode } from 'react';
import { initials, userColor } from './colors.ts';

const LABEL = {
  connecting: 'Connecting…',
  connected: 'Live',
  reconnecting: 'Reconnecting…',
  disconnected: 'Offline',
} as const;

export function Status() {
  const status = useStatus();
  return (
    <span data-testid="status" data-status={status} className={`pill status-${status}`}>
      <span className="dot" aria-hidden="true" />
      {LABEL[status]}
    </span>
  );
}

function Avatar({ entry, me }: { entry: PresenceEntry; me?: boolean }) {
  return (
    <span
      data-testid="avatar"
      data-user-id={entry.user.id}
      className={`avatar ${entry.status}`}
      style={{ background: userColor(entry.user.id).color }}
      title={`${entry.user.name}${me ? ' (you)' : ''} · ${entry.status}`}
    >
      {initials(entry.user.name)}
    </span>
  );
}

/** My avatar and the others'; my status follows the tab (away while hidden, active again on return). */
export function Avatars() {
  const [self, updatePresence] = useMyPresence();
  const others = useOthers();
  useEffect(() => {
    const changed = () => void updatePresence({ status: document.hidden ? 'away' : 'active' }).catch(() => undefined);
    document.addEventListener('visibilitychange', changed);
    return () => document.removeEventListener('visibilitychange', changed);
  }, [updatePresence]);
  return (
    <div data-testid="avatars" className="avatars" data-count={others.length + (self ? 1 : 0)}>
      {self && <Avatar entry={self} me />}
      {others.map((e) => (
        <Avatar key={e.user.id} entry={e} />
      ))}
    </div>
  );
}

/** Sends this user's pointer over `children` and draws the others' cursors there. */
export function LiveCursors({ children }: { children: ReactNode }) {
  const room = useRoom();
  const cursors = useOthersCursors();
  const others = useOthers();
  const box = useRef<HTMLDivElement>(null);
  const move = useCallback(
    (e: PointerEvent) => {
      const rect = box.current?.getBoundingClientRect();
      if (room && rect) room.moveCursor({ x: Math.round(e.clientX - rect.left), y: Math.round(e.clientY - rect.top) });
    },
    [room],
  );
  // Off the page: a position nobody draws.
  const away = useCallback(() => room?.moveCursor({ x: -1, y: -1 }), [room]);
  return (
    <div ref={box} className="cursors-host" onPointerMove={move} onPointerLeave={away}>
      {children}
      {[...cursors].map(([userId, c]) => {
        if (c.x < 0 || c.y < 0) return null;
        const name = others.find((o) => o.user.id === userId)?.user.name ?? 'Someone';
        const { color } = userColor(userId);
        return (
          <div
            key={userId}
            data-testid="remote-cursor"
            data-user-id={userId}
            className="remote-cursor"
            style={{ transform: `translate(${c.x}px, ${c.y}px)` }}
          >
            <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">
              <path d="M1 1l5.5 13 2-5.5L14 6.5z" fill={color} stroke="white" strokeWidth="1" />
            </svg>
            <span style={{ background: color }}>{name}</span>
          </div>
        );
      })}
    </div>
  );
}
