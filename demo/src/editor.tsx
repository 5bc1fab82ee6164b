// The component's code, live: CodeMirror 6 bound to the document's `code` Y.Text with
// y-codemirror.next, carets and selections over the SDK's Awareness, and the component lock —
// read-only while someone else holds it (an edit forced through anyway is refused by the server
// and rolled back by the SDK; the refusal is shown).
import { javascript } from '@codemirror/lang-javascript';
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { useDoc, useLock } from '@ensemble/client/react';
import { basicSetup } from 'codemirror';
import { useEffect, useMemo, useRef, useState } from 'react';
import { yCollab } from 'y-codemirror.next';
import { userColor } from './colors.ts';
import { expose } from './debug.ts';
import { describe, type User } from './session.ts';

const editable = (on: boolean) => [EditorView.editable.of(on), EditorState.readOnly.of(!on)];

export function Editor({ componentId, user }: { componentId: string; user: User }) {
  const live = useDoc(`component:${componentId}`);
  const { lock, mine, lockedByOther, acquire, release } = useLock(componentId);
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const access = useMemo(() => new Compartment(), []);
  const [lockError, setLockError] = useState<string | null>(null);
  // useDoc's `error` is cleared by the `saved` that follows a refusal at once: keep the refusal here.
  const [refusal, setRefusal] = useState<string | null>(null);
  const liveDoc = live?.live;
  useEffect(() => {
    if (!liveDoc) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = liveDoc.on('refused', (err) => {
      setRefusal(describe(err));
      clearTimeout(timer);
      timer = setTimeout(() => setRefusal(null), 10_000);
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [liveDoc]);
  const readOnly = lockedByOther || Boolean(live?.live.readOnly);
  const readOnlyNow = useRef(readOnly);
  readOnlyNow.current = readOnly;

  const doc = live?.doc;
  const awareness = live?.awareness;
  useEffect(() => {
    if (!doc || !awareness || !host.current) return;
    const { color, light } = userColor(user.id);
    awareness.setLocalStateField('user', { name: user.name, color, colorLight: light });
    const ytext = doc.getText('code');
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: ytext.toString(),
        extensions: [
          basicSetup,
          javascript({ jsx: true, typescript: true }),
          yCollab(ytext, awareness),
          access.of(editable(!readOnlyNow.current)),
          EditorView.lineWrapping,
        ],
      }),
    });
    view.current = editor;
    expose({ editor, doc });
    return () => {
      view.current = null;
      editor.destroy();
    };
  }, [doc, awareness, access, user.id, user.name]);

  useEffect(() => {
    view.current?.dispatch({ effects: access.reconfigure(editable(!readOnly)) });
  }, [readOnly, access]);

  const toggle = async () => {
    setLockError(null);
    try {
      await (mine ? release() : acquire());
    } catch (err) {
      setLockError(describe(err));
    }
  };

  return (
    <section className="card editor-card">
      <div className="card-head">
        <h2>Code</h2>
        <span
          data-testid="lock-badge"
          data-locked-by={lock?.userId ?? ''}
          className={`badge ${lock ? (mine ? 'badge-mine' : 'badge-locked') : 'badge-free'}`}
        >
          {lock
            ? mine
              ? 'You are editing · locked for others'
              : `Locked by ${lock.userName}`
            : 'Unlocked · anyone may edit'}
        </span>
        <span className="spacer" />
        <span className="muted small-text">
          {!live ? 'Opening…' : live.unsyncedChanges > 0 ? 'Saving…' : live.synced ? 'Saved' : 'Syncing…'}
        </span>
        <button
          data-testid="lock-button"
          type="button"
          className="small"
          disabled={!live || lockedByOther}
          onClick={() => void toggle()}
        >
          {mine ? 'Release lock' : 'Lock for editing'}
        </button>
      </div>
      {readOnly && (
        <p className="notice">
          {lockedByOther
            ? `${lock?.userName} is editing this component: the editor is read-only until they release the lock.`
            : 'You may only read this component.'}
        </p>
      )}
      {refusal && (
        <p data-testid="editor-error" className="error" role="alert">
          Your last change was not taken and was rolled back: {refusal}
        </p>
      )}
      {lockError && <p className="error">{lockError}</p>}
      <div
        data-testid="editor"
        data-readonly={String(readOnly)}
        className={`editor ${readOnly ? 'readonly' : ''}`}
        ref={host}
      />
    </section>
  );
}
