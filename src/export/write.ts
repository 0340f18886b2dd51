// Writing to a stream with back-pressure: wait for 'drain' when the stream's buffer is full,
// so a slow reader (an HTTP client, a pipe) throttles the export instead of filling memory.

import type { Writable } from 'node:stream';

export class StreamClosedError extends Error {}

export function write(out: Writable, chunk: string): Promise<void> | void {
  if (out.destroyed) throw new StreamClosedError('output closed');
  if (out.write(chunk)) return;
  return new Promise<void>((resolve, reject) => {
    const done = (err?: Error) => {
      out.off('drain', onDrain);
      out.off('close', onClose);
      out.off('error', done);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => done();
    const onClose = () => done(new StreamClosedError('output closed'));
    out.on('drain', onDrain);
    out.on('close', onClose);
    out.on('error', done);
  });
}
