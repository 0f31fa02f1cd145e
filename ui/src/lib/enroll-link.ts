// What a coordinator hands a colleague to link a device to the school server: the server's
// address and a one-time code (60 letters and digits, base32, in groups of five), typed over, or
// both at once as a link `meldcode://koppelen?server=<url-encoded>&code=<code>` pasted or scanned
// from the QR code. The core normalises and checks the code; here a pasted link is only split
// into its two fields.

/** A code's length without its separators (crates/sync/src/enroll.rs). */
export const CODE_CHARS = 60;

const LINK = /meldcode:\/\/koppelen\/?\?(\S*)/i;

/** The server and the code in a link, or null when `text` holds no such link (or one without
 * both). Text around the link (as pasted from a message) is left out. */
export function parseEnrollLink(text: string): { server: string; code: string } | null {
  const found = LINK.exec(text);
  if (!found) return null;
  let query: URLSearchParams;
  try {
    query = new URLSearchParams(found[1]);
  } catch {
    return null;
  }
  const server = query.get('server')?.trim();
  const code = query.get('code')?.trim();
  return server && code ? { server, code } : null;
}

/** What the code field holds: a pasted link gives the server too; anything else is the code
 * itself, trimmed (spaces, dashes and case are for the core to normalise). */
export function readEnrollInput(text: string): { server: string | null; code: string } {
  const link = parseEnrollLink(text);
  return link ?? { server: null, code: text.trim() };
}

/** The code's letters and digits only, in capitals: what the core reads from it. */
export function codeChars(code: string): string {
  return code.replace(/[^0-9a-z]/gi, '').toUpperCase();
}

/** Whether the code has the shape of one (60 base32 characters, separators aside); only to say
 * so early, the core decides. */
export function looksLikeCode(code: string): boolean {
  const chars = codeChars(code);
  return chars.length === CODE_CHARS && /^[A-Z2-7]+$/.test(chars);
}

/** The code in groups of five, to read out and type over: "ABCDE FGHIJ …". */
export function groupCode(code: string): string[] {
  return codeChars(code).match(/.{1,5}/g) ?? [];
}
