// What an uploaded asset really is, judged by its first bytes rather than the name the client sent.

export interface FileType {
  contentType: string;
  kind: 'image' | 'font' | 'icon';
}

const starts = (buf: Buffer, bytes: number[], offset = 0) => bytes.every((b, i) => buf[offset + i] === b);
const ascii = (buf: Buffer, text: string, offset = 0) =>
  buf.subarray(offset, offset + text.length).toString('latin1') === text;

/** The detected type of an asset, or null when it is not an image, icon or font we accept. */
export function sniffFileType(buf: Buffer): FileType | null {
  if (starts(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { contentType: 'image/png', kind: 'image' };
  if (starts(buf, [0xff, 0xd8, 0xff])) return { contentType: 'image/jpeg', kind: 'image' };
  if (ascii(buf, 'GIF87a') || ascii(buf, 'GIF89a')) return { contentType: 'image/gif', kind: 'image' };
  if (ascii(buf, 'RIFF') && ascii(buf, 'WEBP', 8)) return { contentType: 'image/webp', kind: 'image' };
  if (ascii(buf, 'wOFF')) return { contentType: 'font/woff', kind: 'font' };
  if (ascii(buf, 'wOF2')) return { contentType: 'font/woff2', kind: 'font' };
  if (starts(buf, [0x00, 0x01, 0x00, 0x00])) return { contentType: 'font/ttf', kind: 'font' };
  if (ascii(buf, 'OTTO')) return { contentType: 'font/otf', kind: 'font' };
  const head = buf
    .subarray(0, 1024)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(head))
    return { contentType: 'image/svg+xml', kind: 'icon' };
  return null;
}

/** A filename safe to use in a storage key and a Content-Disposition header. */
export function safeFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? 'file';
  const cleaned = base
    .normalize('NFKC')
    .replace(/[^\w.\- ]+/g, '_')
    .replace(/^\.+/, '')
    .trim()
    .slice(0, 120);
  return cleaned || 'file';
}
