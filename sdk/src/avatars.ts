/// <reference lib="dom" />
// <ensemble-avatars room="<designSystemId>">: an avatar stack of who is in a design system, for any
// page, without React. `defineAvatars(client)` registers the element with the client it uses.
//   import { EnsembleClient } from '@ensemble/client';
//   import { defineAvatars } from '@ensemble/client/avatars';
//   defineAvatars(new EnsembleClient({ url, token }));
//   <ensemble-avatars room="…" max="5" include-self></ensemble-avatars>
import type { EnsembleClient } from './client.ts';
import type { DesignSystemRoom } from './room.ts';
import type { PresenceEntry } from './types.ts';

const STYLE = `
:host { display: inline-flex; align-items: center; font: 600 12px/1 system-ui, sans-serif; }
.a { position: relative; width: 28px; height: 28px; margin-left: -6px; border-radius: 50%; border: 2px solid #fff;
  display: inline-flex; align-items: center; justify-content: center; color: #fff; overflow: visible; background-size: cover; }
.a:first-child { margin-left: 0; }
.a::after { content: ''; position: absolute; right: -1px; bottom: -1px; width: 8px; height: 8px; border-radius: 50%; border: 2px solid #fff; }
.active::after { background: #1f883d; } .idle::after { background: #bf8700; } .away::after { background: #8c959f; }
.more { background: #57606a; }`;

/** A stable colour per user. */
function colour(id: string): string {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) % 360;
  return `hsl(${h} 55% 42%)`;
}

const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase() ?? '')
    .join('');

/** Registers `<ensemble-avatars>` (once per page) using `client`. */
export function defineAvatars(client: EnsembleClient, tagName = 'ensemble-avatars'): void {
  if (customElements.get(tagName)) return;
  customElements.define(
    tagName,
    class EnsembleAvatars extends HTMLElement {
      static observedAttributes = ['room', 'max', 'include-self'];
      private room: DesignSystemRoom | null = null;
      private off: (() => void) | null = null;
      private readonly root = this.attachShadow({ mode: 'open' });

      connectedCallback(): void {
        void this.join();
      }

      disconnectedCallback(): void {
        this.leave();
      }

      attributeChangedCallback(name: string, before: string | null, after: string | null): void {
        if (name === 'room' && before !== after && this.isConnected) void this.join();
        else this.render();
      }

      private async join(): Promise<void> {
        this.leave();
        const id = this.getAttribute('room');
        if (!id) return this.render();
        try {
          const room = await client.joinDesignSystem(id);
          if (this.getAttribute('room') !== id || !this.isConnected) return;
          this.room = room;
          this.off = room.on('presence', () => this.render());
          this.render();
        } catch (err) {
          this.dispatchEvent(new CustomEvent('error', { detail: err }));
        }
      }

      private leave(): void {
        this.off?.();
        this.off = null;
        this.room = null;
      }

      private render(): void {
        const room = this.room;
        const entries: PresenceEntry[] = !room
          ? []
          : this.hasAttribute('include-self')
            ? [...room.presence.values()]
            : room.others;
        const max = Number(this.getAttribute('max') ?? 5) || 5;
        const style = document.createElement('style');
        style.textContent = STYLE;
        const nodes: Node[] = [style];
        for (const e of entries.slice(0, max)) {
          const a = document.createElement('span');
          a.className = `a ${e.status}`;
          a.title = `${e.user.name} (${e.status})`;
          a.dataset['userId'] = e.user.id;
          a.setAttribute('part', 'avatar');
          if (e.user.avatarUrl) a.style.backgroundImage = `url("${encodeURI(e.user.avatarUrl)}")`;
          else {
            a.style.background = colour(e.user.id);
            a.textContent = initials(e.user.name);
          }
          nodes.push(a);
        }
        if (entries.length > max) {
          const more = document.createElement('span');
          more.className = 'a more';
          more.textContent = `+${entries.length - max}`;
          nodes.push(more);
        }
        this.root.replaceChildren(...nodes);
        this.dispatchEvent(new CustomEvent('change', { detail: { count: entries.length } }));
      }
    },
  );
}
