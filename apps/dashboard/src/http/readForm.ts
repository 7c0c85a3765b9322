import type { IncomingMessage } from 'node:http';
import { invalidArgument } from '@splice/core';

/** Form posts of the dashboard are small; anything bigger is refused rather than buffered. */
const MAX_FORM_BYTES = 64 * 1024;

/**
 * Reads an `application/x-www-form-urlencoded` request body, at most 64 KiB.
 *
 * @example
 * ```ts
 * const form = await readForm(req);
 * form.get('name');
 * ```
 */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded')) {
    throw invalidArgument(
      `The request body must be a form (application/x-www-form-urlencoded), got "${type}".`,
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES)
      throw invalidArgument(`The form is larger than ${MAX_FORM_BYTES} bytes.`);
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
