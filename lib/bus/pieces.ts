// NOTIFY payloads are limited to 8000 bytes: a message that does not fit travels as base64 pieces.
export type Envelope =
  | { c: string; m: string } // channel, the whole message as JSON text
  | { c: string; id: string; n: number; t: number; p: string }; // piece n of t, base64

const NOTIFY_LIMIT = 7_800;
const PIECE_CHARS = 7_000;
const PIECES_TTL_MS = 30_000;

export function splitIntoPieces(channel: string, text: string, id: string): string[] {
  const whole = JSON.stringify({ c: channel, m: text } satisfies Envelope);
  if (Buffer.byteLength(whole) <= NOTIFY_LIMIT) return [whole];
  const base64 = Buffer.from(text).toString("base64");
  const t = Math.ceil(base64.length / PIECE_CHARS);
  return Array.from({ length: t }, (_, n) =>
    JSON.stringify({ c: channel, id, n, t, p: base64.slice(n * PIECE_CHARS, (n + 1) * PIECE_CHARS) } satisfies Envelope),
  );
}

/** Collects pieces until a message is whole; incomplete ones are dropped after a while. */
export class Pieces {
  private readonly partial = new Map<string, { parts: string[]; got: number; at: number }>();

  accept(envelope: Envelope): { channel: string; message: unknown } | undefined {
    if ("m" in envelope) return parse(envelope.c, envelope.m);
    const now = Date.now();
    for (const [id, entry] of this.partial) if (now - entry.at > PIECES_TTL_MS) this.partial.delete(id);
    let entry = this.partial.get(envelope.id);
    if (!entry) this.partial.set(envelope.id, (entry = { parts: new Array<string>(envelope.t), got: 0, at: now }));
    if (entry.parts[envelope.n] === undefined) entry.got++;
    entry.parts[envelope.n] = envelope.p;
    if (entry.got < envelope.t) return undefined;
    this.partial.delete(envelope.id);
    return parse(envelope.c, Buffer.from(entry.parts.join(""), "base64").toString());
  }
}

function parse(channel: string, text: string): { channel: string; message: unknown } | undefined {
  try {
    return { channel, message: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}
