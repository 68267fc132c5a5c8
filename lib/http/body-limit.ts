// The one home of request body limits. Every request body is counted while it streams in and cut at
// its route family's limit, before any handler could buffer it: a declared Content-Length over the
// limit is answered 413 without reading a byte, a chunked body is stopped at the byte that crosses
// it. Used in front of every handler (lib/http/app-server.ts) and by the gateway's body reader.
import type { IncomingMessage, ServerResponse } from "node:http";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { readStreamWithin } from "@/lib/http/read-stream-within";

export interface BodyLimit {
  bytes: number;
  /** The setting that raises it, named in every refusal. */
  envVar: "BODY_LIMIT_BYTES" | "MCP_BODY_LIMIT_BYTES";
}

/** MCP traffic carries tool arguments and gets the larger limit; everything else (Next) the default. */
export function bodyLimitFor(path: string): BodyLimit {
  const e = env();
  return isMcpPath(path)
    ? { bytes: e.MCP_BODY_LIMIT_BYTES, envVar: "MCP_BODY_LIMIT_BYTES" }
    : { bytes: e.BODY_LIMIT_BYTES, envVar: "BODY_LIMIT_BYTES" };
}

export function isMcpPath(path: string): boolean {
  return path === "/api/mcp" || path.startsWith("/api/mcp/") || path.startsWith("/api/mcp?");
}

export function bodyTooLarge(limit: BodyLimit): AppError {
  return new AppError(
    "payload_too_large",
    `The request body is larger than this endpoint's limit of ${limit.bytes} bytes (${limit.envVar}); send a smaller body, or raise ${limit.envVar}.`,
  );
}

/** The Content-Length the client declared is already over the limit. */
export function declaredTooLarge(req: IncomingMessage, limit: BodyLimit): boolean {
  const declared = Number(req.headers["content-length"]);
  return Number.isFinite(declared) && declared > limit.bytes;
}

/**
 * Counts `req`'s body as Node's HTTP parser hands it over and stops taking it at the limit: the
 * chunk that crosses it is dropped and the socket is no longer read, so nothing past the limit is
 * ever buffered. `onExceeded` then answers. Works under any handler that reads `req`, Next's too.
 */
export function countBody(req: IncomingMessage, limit: BodyLimit, onExceeded: () => void): void {
  let seen = 0;
  let exceeded = false;
  const push = req.push.bind(req);
  req.push = (chunk: unknown, encoding?: BufferEncoding) => {
    if (exceeded) return false;
    if (chunk !== null && chunk !== undefined) {
      seen += typeof chunk === "string" ? Buffer.byteLength(chunk, encoding) : (chunk as Uint8Array).byteLength;
      if (seen > limit.bytes) {
        exceeded = true;
        onExceeded();
        return false; // the parser stops reading the socket
      }
    }
    return push(chunk, encoding);
  };
}

/**
 * Answers 413 with the JSON error (when the response has not begun) and closes the connection once
 * the answer is out: the rest of the body is never read, so the connection cannot carry another request.
 */
export function refuseBody(req: IncomingMessage, res: ServerResponse, limit: BodyLimit): void {
  // A handler that was reading the body sees it end badly and may try to answer: it must not crash.
  res.on("error", () => undefined);
  const close = () => void req.socket.destroy();
  if (res.headersSent) return close();
  const { message } = bodyTooLarge(limit);
  const body = JSON.stringify({ error: { code: "payload_too_large", message, limitBytes: limit.bytes, setting: limit.envVar } });
  res.writeHead(413, { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), connection: "close" });
  res.end(body, close);
}

/** Puts `req` under its limit; false when it was refused at once (the answer is already on its way). */
export function enforceBodyLimit(req: IncomingMessage, res: ServerResponse, limit: BodyLimit = bodyLimitFor(req.url ?? "/")): boolean {
  if (declaredTooLarge(req, limit)) {
    refuseBody(req, res, limit);
    return false;
  }
  countBody(req, limit, () => refuseBody(req, res, limit));
  return true;
}

/** Reads a whole body that may be at most `limit` long; rejects with a 413 AppError the moment it is over. */
export function readBodyWithin(req: IncomingMessage, limit: BodyLimit): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (declaredTooLarge(req, limit)) return reject(bodyTooLarge(limit));
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > limit.bytes) {
        req.off("data", onData);
        req.pause();
        chunks.length = 0;
        return reject(bodyTooLarge(limit));
      }
      chunks.push(c);
    };
    req.on("data", onData);
    req.on("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** The same for a Web Request (the Next route files under `next dev`): stops reading at the limit. */
export async function readWebBodyWithin(request: Request, limit: BodyLimit): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit.bytes) throw bodyTooLarge(limit);
  return readStreamWithin(request.body, limit.bytes, () => bodyTooLarge(limit));
}
