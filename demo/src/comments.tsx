// The component's comment thread (useComments): reactions, and @mentions of teammates by handle
// (the server resolves `@handle` to team members and notifies them).
import type { Comment } from '@ensemble/client';
import { useClient, useComments } from '@ensemble/client/react';
import { useEffect, useState, type FormEvent } from 'react';
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
        <button key={emoji} data-testid="reaction" data-emoji={emoji} type="button" className={`reaction ${counts.get(emoji) ? 'on' : ''}`} onClick={() => onReact(emoji)}>
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

export function Comments({ componentId, teamId }: { componentId: string; teamId: string }) {
  const client = useClient();
  const { comments, loading, error, add, react } = useComments('component', componentId);
  const [text, setText] = useState('');
  const [members, setMembers] = useState<Member[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    client.api<{ items: Member[] }>(`/api/teams/${teamId}/members`).then(({ items }) => setMembers(items), () => setMembers([]));
  }, [client, teamId]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    try {
      await add(text);
      setText('');
      setFailure(null);
    } catch (err) {
      setFailure(describe(err));
    }
  };
  const onReact = (id: string, emoji: string) => void react(id, emoji).catch((err: unknown) => setFailure(describe(err)));
  const handles = members.filter((m) => m.user.handle);

  return (
    <section className="card comments">
      <div className="card-head">
        <h2>Comments</h2>
        <span className="muted small-text">{comments.length}</span>
      </div>
      <div className="thread">
        {loading && <p className="muted">Loading…</p>}
        {!loading && comments.length === 0 && <p className="muted">No comments on this component yet.</p>}
        {comments.map((c) => (
          <Entry key={c.id} comment={c} onReact={onReact} />
        ))}
      </div>
      <form onSubmit={(e) => void submit(e)}>
        <textarea data-testid="comment-input" rows={2} placeholder="Write a comment; @handle mentions a teammate" value={text} onChange={(e) => setText(e.target.value)} />
        {handles.length > 0 && (
          <div className="mentions">
            {handles.map((m) => (
              <button key={m.userId} type="button" className="chip" data-testid="mention" onClick={() => setText((t) => `${t}${t && !t.endsWith(' ') ? ' ' : ''}@${m.user.handle} `)}>
                @{m.user.handle}
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
    </section>
  );
}
