// A stable colour per user, the same for their avatar, cursor and editor caret.
/** `hsl()` colours for a user id: the solid one and a light one for selections. */
export function userColor(id: string): { color: string; light: string } {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) % 360;
  return { color: `hsl(${h} 60% 42%)`, light: `hsl(${h} 80% 85% / 0.6)` };
}

/** Up to two initials of a name. */
export function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase() ?? '')
    .join('');
}
