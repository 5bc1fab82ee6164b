// Any OpenAI-compatible chat-completions endpoint (OpenAI, Ollama, vLLM), streamed.
import { providerError, readSse, type AiProvider } from './provider.ts';

/** Streams `POST {baseUrl}/chat/completions`. */
export function openAiProvider(baseUrl: string, apiKey: string | undefined, model: string): AiProvider {
  return {
    name: 'openai',
    model,
    async generate(request, onText, signal) {
      const res = await fetch(`${baseUrl.replace(/\/$/, '')}/chat/completions`, {
        method: 'POST',
        signal,
        headers: { 'Content-Type': 'application/json', ...(apiKey ? { Authorization: `Bearer ${apiKey}` } : {}) },
        body: JSON.stringify({
          model,
          stream: true,
          temperature: 0.2,
          messages: [
            { role: 'system', content: request.system },
            { role: 'user', content: request.prompt },
          ],
        }),
      });
      if (!res.ok || !res.body) throw await providerError(res);
      let text = '';
      // Stopping early (a cancel, a bad chunk) must release the connection.
      const body = res.body;
      try {
        for await (const { data } of readSse(body)) {
          if (data === '[DONE]') break;
          const delta = (JSON.parse(data) as { choices?: { delta?: { content?: string } }[] }).choices?.[0]?.delta
            ?.content;
          if (delta) {
            text += delta;
            await onText(delta);
          }
        }
      } finally {
        await body.cancel().catch(() => undefined);
      }
      return text;
    },
  };
}
