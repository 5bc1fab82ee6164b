// Preloaded into every server child (`--expose-gc --import gc-hook.ts`): lets the harness ask
// for a full GC over the IPC channel before it samples idle memory, so every server's idle RSS
// is read in the same state. Answers 'gc-done' when finished.
const collect = (globalThis as { gc?: () => void }).gc;

process.on('message', (message: unknown) => {
  if (message !== 'gc') return;
  collect?.();
  process.send?.('gc-done');
});

// The IPC channel must not keep a server alive on its own, nor stop it from exiting.
process.channel?.unref();
