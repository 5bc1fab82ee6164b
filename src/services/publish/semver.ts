// The little semver a publish needs: parse, compare, bump.

export type Bump = 'major' | 'minor' | 'patch';

const PATTERN = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$/;

/** Whether a string is a plain semantic version. */
export const isSemver = (v: string): boolean => PATTERN.test(v);

/** The next version after `base`. A prerelease base bumps to its release first, as npm does. */
export function bump(base: string, kind: Bump): string {
  const m = PATTERN.exec(base);
  if (!m) throw new Error(`not a version: ${base}`);
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (m[4])
    return kind === 'major' && (minor || patch)
      ? `${major + 1}.0.0`
      : kind === 'minor' && patch
        ? `${major}.${minor + 1}.0`
        : `${major}.${minor}.${patch}`;
  if (kind === 'major') return `${major + 1}.0.0`;
  if (kind === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

/** Orders two versions (prereleases before their release). */
export function compare(a: string, b: string): number {
  const pa = PATTERN.exec(a);
  const pb = PATTERN.exec(b);
  if (!pa || !pb) return a.localeCompare(b);
  for (let i = 1; i <= 3; i++) if (Number(pa[i]) !== Number(pb[i])) return Number(pa[i]) - Number(pb[i]);
  if (pa[4] === pb[4]) return 0;
  if (!pa[4]) return 1;
  if (!pb[4]) return -1;
  return pa[4].localeCompare(pb[4]);
}
