// The self-contained browser build (dist/ensemble.browser.js) for a `<script type="module">` with no
// bundler: the SDK with its own socket.io-client and Yjs. Use this `Y` for the page's documents, so
// the page and the SDK share one copy of Yjs.
export * from './index.ts';
export { defineAvatars } from './avatars.ts';
export * as Y from 'yjs';
export { Awareness } from 'y-protocols/awareness';
