// Pages of a merged list. The gateway holds every backend's whole list (catalog.ts follows each
// backend's own cursors), so a client's page is a slice of the merged list, and the cursor says where
// the next one starts. The cursor is opaque and sealed (AES-GCM under the keyring): bound to the user,
// the endpoint and the method, valid for CURSOR_TTL_MS; a forged, altered, expired or another
// user's cursor is refused with invalid params.
import { z } from "zod";
import type { RequestContext } from "@/gateway/context";
import { resourceUrl } from "@/gateway/inbound/protected-resource";
import { decrypt, encrypt } from "@/lib/crypto/keyring";
import { env } from "@/lib/env";

const CURSOR_TTL_MS = 10 * 60_000;
const MAX_CURSOR_LENGTH = 1024;
const cursorSchema = z.object({ o: z.number().int().min(0), m: z.string(), x: z.number().int() });

function aadOf(ctx: RequestContext) {
  return { table: "mcp-list-cursor", id: `${ctx.caller.issuer} ${ctx.caller.sub}`, field: resourceUrl(ctx.slug) };
}

/** Where the page starts, or the problem with the cursor. */
export function pageStart(ctx: RequestContext, method: string, cursor: unknown): number | { problem: string } {
  if (cursor === undefined) return 0;
  if (typeof cursor !== "string" || cursor.length > MAX_CURSOR_LENGTH) return { problem: "Invalid cursor." };
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(decrypt(cursor, aadOf(ctx))));
    if (!parsed.success || parsed.data.m !== method) return { problem: "Invalid cursor." };
    if (parsed.data.x < Date.now()) return { problem: "The cursor expired: list again from the start." };
    return parsed.data.o;
  } catch {
    return { problem: "Invalid cursor." };
  }
}

/** One page of `items` from `start`, and where the next page starts when there is one. */
export function page<T>(method: string, items: T[], start: number): { items: T[]; nextStart?: number } {
  const size = env().MCP_LIST_PAGE_SIZE;
  const slice = items.slice(start, start + size);
  if (start + size >= items.length) return { items: slice };
  return { items: slice, nextStart: start + size };
}

/** The sealed cursor of the page starting at `offset`, for this caller and endpoint. */
export function cursorAt(ctx: RequestContext, method: string, offset: number): string {
  return encrypt(JSON.stringify({ o: offset, m: method, x: Date.now() + CURSOR_TTL_MS }), aadOf(ctx));
}
