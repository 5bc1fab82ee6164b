// The component's comment thread (useComments): reactions, and @mentions of teammates by handle
// (the server resolves `@handle` to team members and notifies them).
import type { Comment } from '@ensemble/client';
import { useClient, useComments, useRoom } from '@ensemble/client/react';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { initials, userColor } from './colors.ts';
import { describe } from './session.ts';

const EMOJI = ['👍', '🎉', '❤️'];

interface Member {
  userId: string;
  user: { name: string; handle: string | null };
}

function Reactions({ comment, onReact }: { comment: Comment; onReact: (emoji: string) => void }) {
  const counts = new Map(comment.reactions.map((r) => [r.emoji, r.count]));
  return (
    <div className="reactions">
      {EMOJI.map((emoji) => (
        <button
          key={emoji}
          data-testid="reaction"
          data-emoji={emoji}
          type="button"
          className={`reaction ${counts.get(emoji) ? 'on' : ''}`}
          onClick={() => onReact(emoji)}
        >
          {emoji} {counts.get(emoji) ?? ''}
        </button>
      ))}
    </div>
  );
}

function Entry({ comment, onReact }: { comment: Comment; onReact: (id: string, emoji: string) => void }) {
  const author = comment.author;
  return (
    <article data-testid="comment" className="comment">
      <span className="avatar small" style={{ background: userColor(author?.id ?? 'x').color }}>
        {initials(author?.name ?? '?')}
      </span>
      <div className="comment-body">
        <div className="comment-meta">
          <strong>{author?.name ?? 'Deleted user'}</strong>
          <time className="muted">{new Date(comment.createdAt).toLocaleTimeString()}</time>
        </div>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: the server's Markdown rendering, sanitised by it */}
        <div className="comment-text" dangerouslySetInnerHTML={{ __html: comment.html }} />
        <Reactions comment={comment} onReact={(emoji) => onReact(comment.id, emoji)} />
        {comment.replies?.map((reply) => (
          <Entry key={reply.id} comment={reply} onReact={onReact} />
        ))}
      </div>
    </article>
  );
}

/**
 * The thread. useComments refetches on the room's comment events, but not on `reaction-added` /
 * `reaction-removed` (the SDK does not route them): the parent remounts this with a new key then.
 */
function Thread(props: {
  componentId: string;
  userId: string;
  cache: Comment[];
  onLoaded: (c: Comment[]) => void;
  onChanged: () => void;
  draft: Draft;
}) {
  const { componentId, userId, cache, onLoaded, onChanged, draft } = props;
  const { comments, loading, error, add, react } = useComments('component', componentId);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    if (!loading) onLoaded(comments);
  }, [comments, loading, onLoaded]);
  const shown = loading ? cache : comments;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!draft.text.trim()) return;
    try {
      await add(draft.text);
      draft.set('');
      setFailure(null);
    } catch (err) {
      setFailure(describe(err));
    }
  };
  const client = useClient();
  const unreact = (id: string, emoji: string) =>
    client.api(`/api/comments/${id}/reactions/${encodeURIComponent(emoji)}`, { method: 'DELETE' });
  // A second click on one's own reaction takes it back.
  const onReact = (id: string, emoji: string) => {
    const all = [...shown, ...shown.flatMap((c) => c.replies ?? [])];
    const mine = all.find((c) => c.id === id)?.reactions.some((r) => r.emoji === emoji && r.userIds.includes(userId));
    void (mine ? unreact(id, emoji) : react(id, emoji)).then(onChanged, (err: unknown) => setFailure(describe(err)));
  };

  return (
    <>
      <div className="card-head">
        <h2>Comments</h2>
        <span className="muted small-text">{shown.length}</span>
      </div>
      <div className="thread">
        {loading && shown.length === 0 && <p className="muted">Loading…</p>}
        {!loading && shown.length === 0 && <p className="muted">No comments on this component yet.</p>}
        {shown.map((c) => (
          <Entry key={c.id} comment={c} onReact={onReact} />
        ))}
      </div>
      <form onSubmit={(e) => void submit(e)}>
        <textarea
          data-testid="comment-input"
          rows={2}
          placeholder="Write a comment; @handle mentions a teammate"
          value={draft.text}
          onChange={(e) => draft.set(e.target.value)}
        />
        {draft.handles.length > 0 && (
          <div className="mentions">
            {draft.handles.map((handle) => (
              <button
                key={handle}
                type="button"
                className="chip"
                data-testid="mention"
                onClick={() =>
                  draft.set(`${draft.text}${draft.text && !draft.text.endsWith(' ') ? ' ' : ''}@${handle} `)
                }
              >
                @{handle}
              </button>
            ))}
          </div>
        )}
        <div className="row end">
          <button data-testid="comment-submit" className="primary small" type="submit">
            Comment
          </button>
        </div>
      </form>
      {(failure || error) && <p className="error">{failure ?? describe(error)}</p>}
    </>
  );
}

interface Draft {
  text: string;
  set: (text: string) => void;
  handles: string[];
}

export function Comments({ componentId, teamId, userId }: { componentId: string; teamId: string; userId: string }) {
  const client = useClient();
  const room = useRoom();
  const [text, setText] = useState('');
  const [members, setMembers] = useState<Member[]>([]);
  const [cache, setCache] = useState<Comment[]>([]);
  const [rev, setRev] = useState(0);
  const changed = useCallback(() => setRev((n) => n + 1), []);
  useEffect(() => {
    client.api<{ items: Member[] }>(`/api/teams/${teamId}/members`).then(
      ({ items }) => setMembers(items),
      () => setMembers([]),
    );
  }, [client, teamId]);
  useEffect(() => {
    if (!room) return;
    client.socket.on('reaction-added', changed);
    client.socket.on('reaction-removed', changed);
    return () => {
      client.socket.off('reaction-added', changed);
      client.socket.off('reaction-removed', changed);
    };
  }, [client, room, changed]);
  const handles = members.flatMap((m) => (m.user.handle && m.userId !== userId ? [m.user.handle] : []));
  return (
    <section className="card comments">
      <Thread
        key={rev}
        componentId={componentId}
        userId={userId}
        cache={cache}
        onLoaded={setCache}
        onChanged={changed}
        draft={{ text, set: setText, handles }}
      />
    </section>
  );
}
