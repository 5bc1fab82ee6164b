// The bell: unread count and the inbox (useNotifications: REST, then live `notification` events).
import type { Notification } from '@ensemble/client';
import { useNotifications } from '@ensemble/client/react';
import { useState } from 'react';

function text(n: Notification): string {
  const author = (n.payload['author'] as { name?: string } | null)?.name ?? 'Someone';
  const excerpt = String(n.payload['excerpt'] ?? '');
  return n.type === 'mention'
    ? `${author} mentioned you: “${excerpt}”`
    : n.type === 'reply'
      ? `${author} replied: “${excerpt}”`
      : n.type;
}

export function Bell() {
  const { notifications, unreadCount, markRead, markAllRead } = useNotifications();
  const [open, setOpen] = useState(false);
  return (
    <div className="bell-wrap">
      <button
        data-testid="bell"
        type="button"
        className="icon-button"
        aria-label={`Notifications, ${unreadCount} unread`}
        onClick={() => setOpen((o) => !o)}
      >
        <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true">
          <path
            d="M12 3a6 6 0 0 0-6 6v3.5L4 16h16l-2-3.5V9a6 6 0 0 0-6-6zm-2 15a2 2 0 0 0 4 0"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.8"
          />
        </svg>
        <span data-testid="bell-count" className={`count ${unreadCount ? '' : 'zero'}`}>
          {unreadCount}
        </span>
      </button>
      {open && (
        <div className="dropdown" role="menu">
          <div className="dropdown-head">
            <strong>Notifications</strong>
            <button type="button" className="link" onClick={() => void markAllRead()}>
              Mark all read
            </button>
          </div>
          {notifications.length === 0 && <p className="muted">Nothing yet.</p>}
          {notifications.map((n) => (
            <button
              key={n.id}
              type="button"
              data-testid="notification"
              className={`notification ${n.read ? '' : 'unread'}`}
              onClick={() => void markRead(n.id)}
            >
              <span>{text(n)}</span>
              <time className="muted">{new Date(n.createdAt).toLocaleTimeString()}</time>
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
