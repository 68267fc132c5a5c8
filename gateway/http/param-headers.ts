// A 2026-07-28 tools/call's Mcp-Param-{Name} headers: a tool's inputSchema may mark a primitive
// argument (reached through `properties` only) with `x-mcp-header: <Name>`, and the client mirrors that
// argument's value into the header (as is, or `=?base64?…?=`) so a proxy can route on it. Each one the
// tool declares must agree with the body, or the call is refused before anything is forwarded: a
// proxy in front may have routed on the header, the backend will act on the body.
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import type { Catalog } from "@/gateway/catalog/catalog";
import { routeName } from "@/gateway/catalog/naming";
import type { RequestContext } from "@/gateway/context";
import { loadCatalogs } from "@/gateway/methods/lists";

const BASE64 = /^=\?base64\?((?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?)\?=$/;

interface Declaration {
  path: string[];
  header: string;
}

/** The x-mcp-header declarations of a tool's inputSchema. */
export function declaredParamHeaders(schema: unknown, path: string[] = []): Declaration[] {
  if (typeof schema !== "object" || schema === null) return [];
  const node = schema as Record<string, unknown>;
  const found: Declaration[] = [];
  const header = node["x-mcp-header"];
  if (path.length > 0 && typeof header === "string" && header.length > 0) found.push({ path, header });
  const properties = node.properties;
  if (typeof properties === "object" && properties !== null)
    for (const [key, child] of Object.entries(properties)) found.push(...declaredParamHeaders(child, [...path, key]));
  return found;
}

/** What disagrees between the declared headers and the arguments; undefined when all agree. */
export function paramHeaderProblem(
  header: (name: string) => string | undefined,
  declarations: readonly Declaration[],
  args: unknown,
): string | undefined {
  for (const { path, header: name } of declarations) {
    const value = path.reduce<unknown>(
      (node, key) => (typeof node === "object" && node !== null ? (node as Record<string, unknown>)[key] : undefined),
      args,
    );
    const sent = header(`mcp-param-${name.toLowerCase()}`);
    if (value === undefined || value === null) continue; // nothing to mirror: a header sent anyway is ignored
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") continue;
    if (sent === undefined) return `The Mcp-Param-${name} header is missing: the body carries ${path.join(".")}=${JSON.stringify(value)}.`;
    const decoded = decode(sent);
    if (decoded === undefined) return `The Mcp-Param-${name} header is not valid base64 (=?base64?…?=).`;
    const agrees = typeof value === "number" ? Number(decoded) === value && decoded.trim() !== "" : decoded === String(value);
    if (!agrees)
      return `The Mcp-Param-${name} header (${JSON.stringify(decoded)}) disagrees with the body (${path.join(".")}=${JSON.stringify(value)}).`;
  }
  return undefined;
}

/**
 * For a 2026 tools/call: the tool's declared Mcp-Param-* headers checked against its arguments.
 * Synchronous when this replica knows the tool's backend's list (the usual case: no await per call).
 */
export function toolParamHeaderProblem(
  ctx: RequestContext,
  header: (name: string) => string | undefined,
  params: Record<string, unknown> | undefined,
): string | undefined | Promise<string | undefined> {
  const name = params?.name;
  if (typeof name !== "string") return undefined;
  const routed = ctx.slug
    ? ctx.backends[0] && { backend: ctx.backends[0], name }
    : routeName(name, ctx.backends, "tools", ctx.parts.catalogs.knownNames.bind(ctx.parts.catalogs));
  if (!routed) return undefined; // an unknown tool is refused by the call itself
  const check = (catalog: Catalog | undefined) => {
    const tool = catalog?.tools.find((t) => t.name === routed.name);
    return tool ? paramHeaderProblem(header, declarationsOf(tool), params?.arguments) : undefined;
  };
  const known = ctx.parts.catalogs.lastKnownOf(routed.backend);
  if (known) return check(known);
  return loadCatalogs({ ...ctx, backends: [routed.backend] }).then((all) => check(all.catalogs[0]?.catalog));
}

const declared = new WeakMap<object, Declaration[]>();

function declarationsOf(tool: Tool): Declaration[] {
  let found = declared.get(tool);
  if (!found) declared.set(tool, (found = declaredParamHeaders(tool.inputSchema)));
  return found;
}

function decode(value: string): string | undefined {
  if (!value.startsWith("=?base64?")) return value;
  const b64 = BASE64.exec(value)?.[1];
  if (b64 === undefined) return undefined;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(b64, "base64"));
  } catch {
    return undefined;
  }
}
