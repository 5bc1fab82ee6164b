// The design system's tokens, live from the `tokens:<designSystemId>` document (Y.Map path →
// Y.Map { $value, $type, … }). A value is written when the field is left or Enter is pressed, so
// half-typed values are not sent (the server checks each `$value` against its `$type`).
import { useDoc } from '@ensemble/client/react';
import { useEffect, useState } from 'react';
import type * as Y from 'yjs';
import { expose } from './debug.ts';
import { describe } from './session.ts';

interface Row {
  path: string;
  type: string;
  value: unknown;
  description: string;
}

const show = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
const parse = (text: string, before: unknown): unknown => {
  if (typeof before === 'string') return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

function rowsOf(tokens: Y.Map<Y.Map<unknown>>): Row[] {
  return [...tokens.entries()]
    .map(([path, entry]) => ({
      path,
      type: String(entry.get('$type') ?? ''),
      value: entry.get('$value'),
      description: String(entry.get('$description') ?? ''),
    }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

function ValueInput({ row, onCommit }: { row: Row; onCommit: (text: string) => void }) {
  const [draft, setDraft] = useState<string | null>(null);
  const commit = () => {
    if (draft !== null && draft !== show(row.value)) onCommit(draft);
    setDraft(null);
  };
  return (
    <input
      data-testid="token-value"
      aria-label={`${row.path} value`}
      value={draft ?? show(row.value)}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
        if (e.key === 'Escape') setDraft(null);
      }}
    />
  );
}

export function Tokens({ designSystemId }: { designSystemId: string }) {
  const live = useDoc(`tokens:${designSystemId}`);
  const doc = live?.doc;
  const [rows, setRows] = useState<Row[]>([]);
  // Kept here: useDoc's `error` is cleared by the `saved` that follows a refusal at once.
  const [refusal, setRefusal] = useState<string | null>(null);
  const liveDoc = live?.live;
  useEffect(() => liveDoc?.on('refused', (err) => setRefusal(describe(err))), [liveDoc]);
  useEffect(() => {
    if (!doc) return;
    const tokens = doc.getMap<Y.Map<unknown>>('tokens');
    const changed = () => setRows(rowsOf(tokens));
    changed();
    tokens.observeDeep(changed);
    expose({ tokens: doc });
    return () => tokens.unobserveDeep(changed);
  }, [doc]);

  const write = (row: Row, text: string) => {
    const entry = doc?.getMap<Y.Map<unknown>>('tokens').get(row.path);
    setRefusal(null);
    if (entry) doc?.transact(() => entry.set('$value', parse(text, row.value)));
  };

  return (
    <section className="card">
      <div className="card-head">
        <h2>Tokens</h2>
        <span className="muted small-text">{rows.length} tokens · edits reach everyone at once</span>
      </div>
      {refusal && (
        <p data-testid="token-error" className="error" role="alert">
          That value was refused and rolled back: {refusal}
        </p>
      )}
      <table data-testid="token-table" className="tokens">
        <thead>
          <tr>
            <th>Token</th>
            <th>Type</th>
            <th>Value</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.path} data-testid="token-row" data-path={row.path}>
              <td>
                <code>{row.path}</code>
                {row.description && <div className="muted small-text">{row.description}</div>}
              </td>
              <td>
                <span className="type">{row.type || '—'}</span>
              </td>
              <td>
                <div className="value-cell">
                  {row.type === 'color' && typeof row.value === 'string' && (
                    <span className="swatch" style={{ background: row.value }} />
                  )}
                  <ValueInput row={row} onCommit={(text) => write(row, text)} />
                </div>
              </td>
            </tr>
          ))}
          {live && rows.length === 0 && (
            <tr>
              <td colSpan={3} className="muted">
                No tokens yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
