// The one secret scrubber: a backend or token endpoint may echo what it received, so every text that
// came from upstream is scrubbed of the credentials in play before it is cut, logged, audited or
// shown. Scrubbing comes first: a secret cut in half at the limit would no longer match, and its
// first part would leak.
const REDACTED = "[redacted]";
/** Shorter values (an empty header, "on") are not secrets worth a search. */
const MIN_SECRET_LENGTH = 4;

/** Every occurrence of each secret (and of a bearer token without its scheme) replaced. */
export function scrubSecrets(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  for (const secret of expand(secrets)) out = out.split(secret).join(REDACTED);
  return out;
}

/** Scrubbed, then whitespace collapsed, then cut to `max` characters: the order matters. */
export function secretFreeExcerpt(text: string, secrets: Iterable<string | undefined>, max: number): string {
  return scrubSecrets(text, secrets).replace(/\s+/g, " ").trim().slice(0, max);
}

/** The values of outgoing headers: what a backend could echo back. */
export function headerSecrets(headers: Record<string, string>): string[] {
  return Object.values(headers);
}

function expand(secrets: Iterable<string | undefined>): string[] {
  const all = new Set<string>();
  for (const s of secrets) {
    if (!s) continue;
    all.add(s);
    all.add(s.replace(/^Bearer\s+/i, ""));
  }
  // Longest first, so a secret that contains another is replaced whole.
  return [...all].filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}
