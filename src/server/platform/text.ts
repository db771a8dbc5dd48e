import iconv from 'iconv-lite';

/**
 * Decodes a text file the way Chinese offices produce them: UTF-8 (with or without BOM), or GBK/GB18030
 * (what Excel saves as "CSV" on a Chinese Windows). UTF-8 is tried strictly first; anything that is not valid
 * UTF-8 is read as GB18030 (a superset of GBK).
 */
export function decodeText(buf: Buffer): { text: string; encoding: 'utf-8' | 'gb18030' } {
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    return { text: buf.subarray(3).toString('utf8'), encoding: 'utf-8' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(buf, 'gb18030'), encoding: 'gb18030' };
  }
}

/** Detects the encoding from the first bytes of a stream (up to a complete UTF-8 boundary). */
export function detectEncoding(head: Buffer): 'utf-8' | 'utf-8-bom' | 'gb18030' {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8-bom';
  // Trim a possibly cut multi-byte sequence at the end before the strict check.
  let end = head.length;
  for (let i = Math.max(0, head.length - 4); i < head.length; i++) {
    const b = head[i]!;
    if ((b & 0xc0) === 0xc0) end = i; // a lead byte near the end: cut before it
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, end));
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}
