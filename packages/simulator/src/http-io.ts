import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorBody, type ApiErrorReply } from './api-error.js';

export function sendJson(res: ServerResponse, status: number, body: string, requestId: string, extra?: Readonly<Record<string, string>>): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'request-id': requestId,
    ...extra,
  });
  res.end(body);
}

export function sendError(res: ServerResponse, error: ApiErrorReply, requestId: string): void {
  sendJson(res, error.status, errorBody(error.type, error.message, requestId), requestId, error.headers);
}

export type BodyResult = { ok: true; text: string } | { ok: false; tooLarge: true };

/** Reads the whole body; past `limit` bytes it keeps draining (so the client can read our 413) but stores nothing. */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    let size = 0;
    let over = declared > limit;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      if (!over) chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? { ok: false, tooLarge: true } : { ok: true, text: Buffer.concat(chunks).toString('utf8') }));
    req.on('error', reject);
  });
}
