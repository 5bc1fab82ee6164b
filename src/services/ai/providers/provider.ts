// One interface for every model provider: stream text for a system + user prompt.
import { AppError } from '../../../utils/errors.ts';
import type { FigmaSpec } from '../../figma/token-mapping.ts';

export interface GenerationRequest {
  system: string;
  prompt: string;
  /** Facts the offline template provider builds from (the HTTP providers read the prompt). */
  spec: ComponentSpec;
}

export interface ComponentSpec {
  name: string;
  description: string;
  /** CSS variable names of the design system, e.g. `--color-brand-primary`. */
  variables: { name: string; type: string | null }[];
  /** The Figma node the component is built from, its values mapped to those variables. */
  figma?: FigmaSpec | undefined;
}

export interface AiProvider {
  readonly name: string;
  readonly model: string;
  /** Streams the answer through `onText` and resolves with all of it. */
  generate(
    request: GenerationRequest,
    onText: (chunk: string) => void | Promise<void>,
    signal: AbortSignal,
  ): Promise<string>;
}

/** The error for a provider's non-2xx answer, with its own message when it sent one. */
export async function providerError(res: Response): Promise<AppError> {
  const detail = await res.text().catch(() => '');
  let message = detail.slice(0, 300);
  try {
    message = (JSON.parse(detail) as { error?: { message?: string } }).error?.message ?? message;
  } catch {
    // Not JSON: keep the text.
  }
  return new AppError('unprocessable', `The AI provider answered ${res.status}: ${message}`);
}

/** Reads a `text/event-stream` body as (event, data) pairs. */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<{ event: string; data: string }> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length) yield { event, data: data.join('\n') };
    }
  }
}
