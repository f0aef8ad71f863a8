// Console code pages the ssh transport meets on Windows (docs/lab.md "Code pages"): schtasks writes
// its output in the console's code page (OEM 437 on en-US, 850 on most Western European servers)
// unless it is 65001 (UTF-8). The upper halves of 437 and 850 are Unicode's MICSFT/PC mapping
// tables (CP437.TXT, CP850.TXT), as Python's cp437/cp850 codecs carry them.

const UPPER: Record<number, string> = {
  437: 'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»\u2591\u2592\u2593\u2502\u2524\u2561\u2562\u2556\u2555\u2563\u2551\u2557\u255d\u255c\u255b\u2510\u2514\u2534\u252c\u251c\u2500\u253c\u255e\u255f\u255a\u2554\u2569\u2566\u2560\u2550\u256c\u2567\u2568\u2564\u2565\u2559\u2558\u2552\u2553\u256b\u256a\u2518\u250c\u2588\u2584\u258c\u2590\u2580αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤\u2320\u2321÷≈°∙·√ⁿ²\u25a0\u00a0',
  850: 'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜø£Ø×ƒáíóúñÑªº¿®¬½¼¡«»\u2591\u2592\u2593\u2502\u2524ÁÂÀ©\u2563\u2551\u2557\u255d¢¥\u2510\u2514\u2534\u252c\u251c\u2500\u253cãÃ\u255a\u2554\u2569\u2566\u2560\u2550\u256c¤ðÐÊËÈıÍÎÏ\u2518\u250c\u2588\u2584¦Ì\u2580ÓßÔÒõÕµþÞÚÛÙýÝ¯´\u00ad±\u2017¾¶§÷¸°¨·¹³²\u25a0\u00a0',
};

export const SUPPORTED_CODE_PAGES = [437, 850, 1252, 65001] as const;
export type CodePage = (typeof SUPPORTED_CODE_PAGES)[number];

/** Why: a code page number the adapters and the lab can both encode and decode. */
export function isSupportedCodePage(n: number): n is CodePage {
  return (SUPPORTED_CODE_PAGES as readonly number[]).includes(n);
}

/** Why: bytes a Windows console program wrote, read back as text. */
export function decodeCodePage(bytes: Buffer, codePage: number): string {
  if (codePage === 65001) return bytes.toString('utf8');
  if (codePage === 1252) return new TextDecoder('windows-1252').decode(bytes);
  const upper = UPPER[codePage];
  if (!upper)
    throw new Error(`code page ${codePage} is not supported (supported: ${SUPPORTED_CODE_PAGES.join(', ')})`);
  let out = '';
  for (const b of bytes) out += b < 0x80 ? String.fromCharCode(b) : (upper[b - 0x80] as string);
  return out;
}

/** Why: the lab writes what a console program in that code page would; unmappable characters become "?". */
export function encodeCodePage(text: string, codePage: number): Buffer {
  if (codePage === 65001) return Buffer.from(text, 'utf8');
  const upper = codePage === 1252 ? windows1252Upper() : UPPER[codePage];
  if (!upper) throw new Error(`code page ${codePage} is not supported`);
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0x3f;
    if (c < 0x80) out.push(c);
    else {
      const i = upper.indexOf(ch);
      out.push(i >= 0 ? 0x80 + i : 0x3f);
    }
  }
  return Buffer.from(out);
}

let cp1252: string | null = null;
function windows1252Upper(): string {
  cp1252 ??= new TextDecoder('windows-1252').decode(
    Buffer.from(Array.from({ length: 128 }, (_, i) => 0x80 + i)),
  );
  return cp1252;
}
