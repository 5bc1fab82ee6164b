// Anthropic's Messages API, streamed.
import { AppError } from '../../../utils/errors.ts';
import { providerError, readSse, type AiProvider } from './provider.ts';

/** Streams `POST {baseUrl}/v1/messages`. */
export function anthropicProvider(baseUrl: string, apiKey: string | undefined, model: string): AiProvider {
  return {
    name: 'anthropic',
    model,
    async generate(request, onText, signal) {
      const res = await fetch(`${baseUrl.replace(/\/$/, '')}/v1/messages`, {
        method: 'POST',
        signal,
        headers: {
          'Content-Type': 'application/json',
          'anthropic-version': '2023-06-01',
          ...(apiKey ? { 'x-api-key': apiKey } : {}),
        },
        body: JSON.stringify({
          model,
          max_tokens: 4096,
          stream: true,
          system: request.system,
          messages: [{ role: 'user', content: request.prompt }],
        }),
      });
      if (!res.ok || !res.body) throw await providerError(res);
      let text = '';
      // Stopping early (a cancel, a bad chunk) must release the connection.
      const body = res.body;
      try {
        for await (const { event, data } of readSse(body)) {
          if (event === 'error')
            throw new AppError(
              'unprocessable',
              `The AI provider failed: ${(JSON.parse(data) as { error?: { message?: string } }).error?.message ?? 'unknown error'}`,
            );
          if (event === 'message_stop') break;
          if (event !== 'content_block_delta') continue;
          const delta = (JSON.parse(data) as { delta?: { type?: string; text?: string } }).delta;
          if (delta?.type === 'text_delta' && delta.text) {
            text += delta.text;
            await onText(delta.text);
          }
        }
      } finally {
        await body.cancel().catch(() => undefined);
      }
      return text;
    },
  };
}
