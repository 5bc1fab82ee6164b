// Live rules of component documents: meta holds a valid name (unique in the design system),
// category and status; props hold plain JSON; code and docs stay within their length; nothing else
// is stored. Text edits that cannot reach the length cap are not tried at all (the common case).
import * as Y from 'yjs';
import { z } from 'zod';
import { AppError } from '../../../utils/errors.ts';
import { zodDetails } from '../../../utils/error-mapper.ts';
import { MAX_PAYLOAD_DEPTH, measurePayload } from '../../../utils/payload-shape.ts';
import { componentFields, MAX_COMPONENT_TEXT } from '../../components/component-fields.ts';
import type { SharedType } from '../trial.ts';
import { foreignRoots, type LiveRules } from './live-rules.ts';

const LAYOUT = new Set(['meta', 'code', 'docs', 'props']);
const TEXTS = new Set(['code', 'docs']);
const meta = z
  .object({ name: componentFields.name, category: componentFields.category, status: componentFields.status.optional() })
  .strict();

/** Whether another component of the design system already has this name. */
export type NameTaken = (designSystemId: string, componentId: string, name: string) => Promise<boolean>;

const invalid = (path: string, message: string) =>
  new AppError('validation_failed', message, [{ path, code: 'live_rule', message }]);

/** The live rules of `component:<id>` documents. */
export function componentRules(nameTaken: NameTaken): LiveRules {
  return {
    layout(doc) {
      doc.getMap('meta');
      doc.getText('code');
      doc.getText('docs');
      doc.getMap('props');
    },
    watch(doc, facts) {
      // The common case, typing in code or docs: nothing to try unless the text could outgrow its cap.
      if (facts.touched && [...facts.touched.roots].every((root) => TEXTS.has(root))) {
        const near = [...TEXTS].some((name) => doc.getText(name).length + facts.inserted > MAX_COMPONENT_TEXT);
        if (!near) return [];
      }
      const watched: SharedType[] = [doc.getMap('meta'), doc.getMap('props'), ...foreignRoots(doc, LAYOUT)];
      for (const name of ['code', 'docs']) {
        const text = doc.getText(name);
        if (text.length + facts.inserted > MAX_COMPONENT_TEXT) watched.push(text);
      }
      return watched;
    },
    async check(doc, changes, { parsed, designSystemId }) {
      for (const type of foreignRoots(doc, LAYOUT)) {
        if (changes.touched(type)) throw invalid('', 'A component document holds meta, code, docs and props only');
      }
      for (const name of ['code', 'docs']) {
        if (doc.getText(name).length > MAX_COMPONENT_TEXT)
          throw invalid(name, `${name} is limited to ${MAX_COMPONENT_TEXT} characters`);
      }
      const props = doc.getMap('props');
      if (changes.touched(props)) {
        for (const [key, value] of props) {
          if (value instanceof Y.AbstractType) throw invalid(`props.${key}`, 'Props hold plain JSON values');
        }
        const json = props.toJSON();
        if (measurePayload(json, { maxDepth: MAX_PAYLOAD_DEPTH }).exceeded)
          throw invalid('props', `Props may nest at most ${MAX_PAYLOAD_DEPTH} levels`);
        const result = componentFields.props.safeParse(json);
        if (!result.success)
          throw new AppError('validation_failed', 'The props are invalid', zodDetails(result.error, 'props'));
      }
      const fields = doc.getMap('meta');
      if (!changes.touched(fields)) return;
      const result = meta.safeParse(fields.toJSON());
      if (!result.success)
        throw new AppError('validation_failed', 'The component fields are invalid', zodDetails(result.error, 'meta'));
      const name = fields.get('name');
      if (
        changes.keys(fields).has('name') &&
        typeof name === 'string' &&
        (await nameTaken(designSystemId, parsed.id, name))
      ) {
        throw new AppError('conflict', 'A component with this name already exists in the design system');
      }
    },
  };
}
