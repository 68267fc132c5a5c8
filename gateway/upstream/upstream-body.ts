// Reading a backend's response body on the per-call path: whole (a JSON answer of known length), or
// the start of an error page for the message. The caller scrubs secrets from the latter before it
// cuts it (lib/scrub-secrets.ts): this reads more than is shown, so a secret at the cut is whole here.
import type { IncomingMessage } from "node:http";

const MAX_ERROR_BODY = 2_000;

/** The whole body; past `max` bytes (when given) the response is cut off and the promise rejects. */
export function readAll(res: IncomingMessage, max = Infinity): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on("data", (c: Buffer) => {
      size += c.length;
      if (size > max) {
        reject(new Error(`the backend's answer is larger than ${max} bytes`));
        return void res.destroy();
      }
      chunks.push(c);
    });
    res.on("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    res.on("close", () => {
      if (!res.complete) reject(new Error("the backend closed the connection"));
    });
  });
}

/** Up to MAX_ERROR_BODY characters (whole chunks), uncut and unscrubbed; the rest is drained. */
export async function readSome(res: IncomingMessage): Promise<string> {
  let text = "";
  for await (const chunk of res) {
    if (text.length < MAX_ERROR_BODY) text += (chunk as Buffer).toString("utf8");
  }
  return text;
}
