// Where a browser may be sent after sign-in: this server's own origin or one of the configured app
// origins, decided on the parsed URL (never on the string, which `/.//evil.example`,
// `/\evil.example` or `//evil.example` would fool), and always redirected to as an absolute URL.

/** The URL to redirect to, or null when `target` is not on an allowed origin. */
export function allowedRedirect(target: string, publicUrl: string, appOrigins: readonly string[]): URL | null {
  // Backslashes and control characters are read as slashes (or dropped) by browsers: never needed.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  if (/[\\\u0000-\u001f\u007f]/.test(target)) return null;
  let url: URL;
  try {
    url = new URL(target, publicUrl);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password) return null;
  // A path that normalises to `//host…` is one relative redirect away from another site.
  if (url.pathname.startsWith('//')) return null;
  const allowed = new Set([new URL(publicUrl).origin]);
  for (const origin of appOrigins) {
    try {
      allowed.add(new URL(origin).origin);
    } catch {
      // not an origin (e.g. `*`): allows nothing
    }
  }
  return allowed.has(url.origin) ? url : null;
}
