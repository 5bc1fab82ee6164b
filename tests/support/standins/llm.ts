// A local HTTP server speaking the streaming wire formats of OpenAI-compatible chat completions and
// Anthropic's Messages API, answering with a scripted text in chunks.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LlmStandIn {
  url: string;
  /** What the next request answers: text (streamed in `chunks` pieces `delayMs` apart), an error, or silence. */
  script(next: { text?: string; chunks?: number; delayMs?: number; status?: number; hang?: boolean }): void;
  requests: { path: string; headers: Record<string, string | string[] | undefined>; body: any }[];
  close(): Promise<void>;
}

/** Starts the stand-in on 127.0.0.1. */
export async function startLlmStandIn(): Promise<LlmStandIn> {
  let next: { text?: string; chunks?: number; delayMs?: number; status?: number; hang?: boolean } = { text: '' };
  const requests: LlmStandIn['requests'] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', async () => {
      const body = raw ? JSON.parse(raw) : null;
      requests.push({ path: req.url ?? '', headers: req.headers, body });
      const plan = next;
      if (plan.hang) return; // never answers
      if (plan.status && plan.status >= 400) {
        res.writeHead(plan.status, { 'Content-Type': 'application/json' });
        return res.end(JSON.stringify({ error: { type: 'server_error', message: 'The model is overloaded' } }));
      }
      const text = plan.text ?? '';
      const n = Math.max(1, plan.chunks ?? 8);
      const size = Math.ceil(text.length / n);
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      const anthropic = req.url === '/v1/messages';
      if (anthropic)
        res.write(
          `event: message_start\ndata: ${JSON.stringify({ type: 'message_start', message: { id: 'msg_1', role: 'assistant' } })}\n\n`,
        );
      for (let i = 0; i < text.length; i += size) {
        const piece = text.slice(i, i + size);
        if (anthropic)
          res.write(
            `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: piece } })}\n\n`,
          );
        else
          res.write(
            `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })}\n\n`,
          );
        if (plan.delayMs) await new Promise((r) => setTimeout(r, plan.delayMs));
      }
      if (anthropic) res.end(`event: message_stop\ndata: {"type":"message_stop"}\n\n`);
      else res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    script: (plan) => {
      next = plan;
    },
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
