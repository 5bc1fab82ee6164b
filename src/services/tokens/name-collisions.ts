// Two token paths that one platform names alike (`size.small-1` and `size.small.1` are both
// `--size-small-1`) would be declared twice: a duplicate in CSS, a syntax error in JS and Swift.
// Found at import (for every platform, so a file that cannot be exported everywhere is refused up
// front) and at export (for the platform asked for, with its prefix).
import { camelName, kebabName, snakeName, swiftName, tsName, words } from './export/names.ts';
import type { ExportFormat, TokenProblem } from './token.types.ts';

export type NamingPlatform = 'css' | 'javascript' | 'typescript' | 'swift' | 'android';

/** How each platform names a token path. */
export const NAMERS: Record<NamingPlatform, (path: string, prefix?: string) => string> = {
  css: kebabName,
  javascript: camelName,
  typescript: tsName,
  swift: swiftName,
  android: snakeName,
};

/** The naming platform of an export format (`dtcg` keeps paths, so it has none). */
export const FORMAT_PLATFORM: Record<Exclude<ExportFormat, 'dtcg'>, NamingPlatform> = {
  css: 'css',
  scss: 'css',
  less: 'css',
  json: 'css',
  js: 'javascript',
  ts: 'typescript',
  'ios-swift': 'swift',
  'android-xml': 'android',
};

/** A problem of this kind names both paths, the generated name and the platform. */
export interface NameProblem extends TokenProblem {
  code: 'name_collision' | 'illegal_name';
  paths: string[];
  name: string;
  platform: NamingPlatform;
}

/**
 * Every collision (and path that yields no name at all) among `paths` on `platform`. With
 * `concerned`, only problems involving one of those paths are reported.
 */
export function nameProblems(
  paths: Iterable<string>,
  platform: NamingPlatform,
  options: { prefix?: string; concerned?: Set<string> } = {},
): NameProblem[] {
  const namer = NAMERS[platform];
  const byName = new Map<string, string>();
  const problems: NameProblem[] = [];
  const concerns = (...ps: string[]) => !options.concerned || ps.some((p) => options.concerned!.has(p));
  for (const path of paths) {
    const name = namer(path, options.prefix);
    // A segment without letters or digits would vanish from the name (`icons.🎨` → `icons`).
    if (path.split('.').some((segment) => words(segment).length === 0)) {
      if (concerns(path)) {
        problems.push({
          path,
          code: 'illegal_name',
          paths: [path],
          name,
          platform,
          message: `"${path}" has a name segment without letters or digits, which ${platform} names cannot keep`,
        });
      }
      continue;
    }
    const first = byName.get(name);
    if (first === undefined) byName.set(name, path);
    else if (concerns(first, path)) {
      problems.push({
        path,
        code: 'name_collision',
        paths: [first, path],
        name,
        platform,
        message: `"${first}" and "${path}" are both named "${name}" on ${platform}`,
      });
    }
  }
  return problems;
}
