// Row → API JSON for design tokens: seed 001's columns plus the DTCG view of the token.
import type { DesignToken } from '../db.ts';

/** The public view of a token row. */
export function presentToken(t: DesignToken) {
  const path = t.category ? `${t.category}.${t.name}` : t.name;
  return {
    id: t.id,
    designSystemId: t.designSystemId,
    path,
    category: t.category,
    name: t.name,
    $value: t.value,
    $type: t.type,
    $description: t.description,
    $extensions: t.extensions,
    /** The token's value in each mode where it differs from `$value`. */
    modes: t.modes ?? {},
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}
