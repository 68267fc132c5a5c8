// Reading a backend's response body on the per-call path: whole (a JSON answer of known length), or
// the start of an error page for the message; never a credential back to the client.
import type { IncomingMessage } from "node:http";
import type { Credential } from "@/gateway/credentials/credentials";

const MAX_ERROR_BODY = 2_000;

/** A backend may echo what it received: no credential goes back to the client. */
export function scrub(text: string, credential: Credential): string {
  const secrets = Object.values(credential.headers).flatMap((v) => [v, v.replace(/^Bearer\s+/i, "")]).filter((s) => s.length >= 4);
  return secrets.reduce((t, s) => t.split(s).join("[redacted]"), text);
}

export function readAll(res: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on("data", (c: Buffer) => chunks.push(c));
    res.on("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    res.on("close", () => {
      if (!res.complete) reject(new Error("the backend closed the connection"));
    });
  });
}

export async function readSome(res: IncomingMessage): Promise<string> {
  let text = "";
  for await (const chunk of res) {
    if (text.length < MAX_ERROR_BODY) text += (chunk as Buffer).toString("utf8");
  }
  return text.slice(0, 300).replace(/\s+/g, " ").trim();
}
