// Test output is pasted into issues and CI logs: never let a credential reach it. Whatever a library
// prints (a provider logging its URL, a failure message quoting a request), JWTs, refresh tokens and
// API keys are replaced by their kind before the console writes them.
const SECRETS: [RegExp, string][] = [
  [/eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}/g, '[jwt]'],
  [/\bens_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}/g, '[api-key]'],
];

const redact = (value: unknown): unknown =>
  typeof value === 'string' ? SECRETS.reduce((text, [pattern, kind]) => text.replace(pattern, kind), value) : value;

for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
  const write = console[method].bind(console);
  console[method] = (...args: unknown[]) => write(...args.map(redact));
}
