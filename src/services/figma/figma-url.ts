// Figma links → file key and node id. Figma writes node ids as `12:34` in its API and `12-34` in
// links (older links have `12%3A34`); a branch link's own key is the file to read.
import { AppError } from '../../utils/errors.ts';

export interface FigmaLink {
  fileKey: string;
  nodeId: string;
}

const FILE_KEY = /^[A-Za-z0-9]{10,64}$/;
/** Two numbers of at most 20 digits each: Figma's ids are far shorter, and the cache stores 128 characters. */
const NODE_ID = /^(\d{1,20})[-:](\d{1,20})$/;

const invalid = (field: string, message: string) =>
  new AppError('validation_failed', message, [{ path: field, code: 'invalid_figma_url', message }]);

/** Whether a string is shaped like a Figma file key. */
export const isFileKey = (key: string) => FILE_KEY.test(key);

/**
 * Parses `https://www.figma.com/file|design/<key>/<name>?node-id=12-34` (and `/branch/<key>` links);
 * throws `validation_failed` on `field`, saying what is missing.
 */
export function parseFigmaUrl(raw: string, field = 'figmaUrl'): FigmaLink {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid(field, 'Not a valid URL');
  }
  if (url.protocol !== 'https:' || !/^(www\.)?figma\.com$/.test(url.hostname))
    throw invalid(field, 'Give a https://www.figma.com/design/… or /file/… link');
  const parts = url.pathname.split('/').filter(Boolean);
  if (!['file', 'design'].includes(parts[0] ?? ''))
    throw invalid(field, 'Give a figma.com/design/<file key>/… or figma.com/file/<file key>/… link');
  const branch = parts[2] === 'branch' ? parts[3] : undefined;
  const fileKey = branch ?? parts[1] ?? '';
  if (!isFileKey(fileKey)) throw invalid(field, 'The link has no Figma file key after /design/ or /file/');
  const node = url.searchParams.get('node-id');
  if (!node) throw invalid(field, 'The link names no node: copy the link of a frame or component (it has ?node-id=)');
  const match = NODE_ID.exec(node);
  if (!match) throw invalid(field, `"${node}" is not a Figma node id (expected like 12-34)`);
  return { fileKey, nodeId: `${match[1]}:${match[2]}` };
}
