// Where a user may be sent back to after sign-in, sign-out or linking: a path on this site, never
// anywhere else. Browsers are lenient in ways that turn innocent-looking strings into other hosts
// (`//evil`, `/\evil`, `\t//evil`, `/%5Cevil` once decoded), so the check is strict and is made on
// the decoded value too.
const MAX_LENGTH = 2000;
const DECODE_ROUNDS = 3;

/** A same-origin path (with query and fragment), or null when `value` could lead anywhere else. */
export function safeReturnPath(value: string | null | undefined): string | null {
  if (value == null || value === "" || value.length > MAX_LENGTH) return null;
  if (!isPlainPath(value)) return null;
  // Check what the browser (or a server that decodes again) may see after decoding, too.
  let decoded = value;
  for (let i = 0; i < DECODE_ROUNDS; i++) {
    let next: string;
    try {
      next = decodeURIComponent(decoded);
    } catch {
      return null; // broken percent-encoding: no honest link has it
    }
    if (next === decoded) break;
    if (!isPlainPath(next)) return null;
    decoded = next;
  }
  // Resolved against a stand-in origin, the path must stay on it; dot segments are normalized away.
  const url = new URL(value, PLACEHOLDER_ORIGIN);
  if (url.origin !== PLACEHOLDER_ORIGIN) return null;
  return url.pathname + url.search + url.hash;
}

const PLACEHOLDER_ORIGIN = "http://gatehouse.invalid";

/** One leading slash, not two; no backslash anywhere, no control or whitespace character, no scheme. */
function isPlainPath(value: string): boolean {
  if (!value.startsWith("/") || value.startsWith("//")) return false;
  if (/[\\\x00-\x20\x7f]/.test(value)) return false;
  // A scheme cannot follow a leading slash, but a colon before the first slash-separated segment could
  // mean one after a lenient parser drops the slash.
  if (/^\/[a-z][a-z0-9+.-]*:/i.test(value)) return false;
  return true;
}
