// The `figma` section of a generation's prompt: the node's structured context as JSON, so HTTP
// providers read the same facts the offline template builds from.
import type { FigmaSpec, MappedStyles } from './token-mapping.ts';

const styles = (s: MappedStyles) =>
  Object.fromEntries(
    Object.entries(s).map(([role, v]) => [role, v?.variable ? `var(${v.variable})` : { figma: v?.figma, token: null }]),
  );

/** The prompt section: what the node looks like, and which CSS variable each value is. */
export function figmaPromptSection(spec: FigmaSpec): string {
  const section = {
    source: { url: spec.url, fileKey: spec.fileKey, nodeId: spec.nodeId, version: spec.version },
    node: { name: spec.name, type: spec.type, layout: spec.direction, label: spec.label },
    styles: styles(spec.styles),
    variants: spec.variants && {
      property: spec.variants.property,
      options: spec.variants.options,
      default: spec.variants.default,
      styles: Object.fromEntries(Object.entries(spec.variants.styles).map(([o, s]) => [o, styles(s)])),
    },
    properties: spec.properties.map((p) => ({ name: p.name, type: p.type, default: p.default, options: p.options })),
    unmapped: spec.unmapped,
  };
  return [
    '=== figma',
    'The Figma node to build, as JSON. Use each style exactly as given (its var(...)); values with',
    '"token": null have no design-system token: use the closest listed variable, never the raw value.',
    'Give the component one prop per variant property (its options as a union type) and per other property.',
    JSON.stringify(section, null, 2),
  ].join('\n');
}
