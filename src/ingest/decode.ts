// Bytes -> text. Arabic archives come in UTF-8 (with or without BOM), UTF-16 with a BOM, and
// Windows-1256. Order: BOM, then a declared charset (HTML meta / XML declaration), then strict
// UTF-8, and Windows-1256 when the bytes are not valid UTF-8.

import iconv from 'iconv-lite';

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1256' | string;

const ALIASES: Record<string, string> = {
  'cp1256': 'windows-1256',
  'windows1256': 'windows-1256',
  'x-cp1256': 'windows-1256',
  'utf8': 'utf-8',
};

/** A charset named in the first bytes of an HTML/XML document, if any. */
export function declaredCharset(head: Buffer): string | null {
  const ascii = head.subarray(0, 4096).toString('latin1');
  const m =
    /<meta[^>]+charset\s*=\s*["']?\s*([\w:-]+)/i.exec(ascii) ??
    /<\?xml[^>]+encoding\s*=\s*["']([\w:-]+)["']/i.exec(ascii);
  if (!m) return null;
  const name = m[1].toLowerCase();
  return ALIASES[name] ?? name;
}

function isValidUtf8(buf: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf);
    return true;
  } catch {
    return false;
  }
}

/**
 * Which encoding a file's bytes are in. `head` may be only the start of a file (streams): a multibyte
 * sequence cut at the end of the sample is not held against UTF-8.
 */
export function detectEncoding(head: Buffer, partial = false): { encoding: Encoding; bom: number } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bom: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bom: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bom: 2 };
  const declared = declaredCharset(head);
  if (declared && declared !== 'utf-8' && iconv.encodingExists(declared)) return { encoding: declared, bom: 0 };
  let sample = head;
  if (partial) {
    // Drop a trailing incomplete UTF-8 sequence (at most 3 bytes).
    let cut = sample.length;
    for (let i = sample.length - 1; i >= Math.max(0, sample.length - 3); i--) {
      const b = sample[i];
      if ((b & 0xc0) === 0x80) continue;
      if (b >= 0xc0) cut = i;
      break;
    }
    sample = sample.subarray(0, cut);
  }
  return { encoding: isValidUtf8(sample) ? 'utf-8' : 'windows-1256', bom: 0 };
}

/** Decode a whole file. */
export function decodeBuffer(buf: Buffer): { text: string; encoding: Encoding } {
  const { encoding, bom } = detectEncoding(buf);
  const body = buf.subarray(bom);
  const text = encoding === 'utf-8' ? body.toString('utf8') : iconv.decode(body, encoding, { stripBOM: true });
  return { text, encoding };
}
