// A client of either protocol era behind one shape (test-only), so one test can walk every feature
// for each pairing: the handshake era is SDK v1 (`@modelcontextprotocol/sdk`), 2026-07-28 is SDK v2
// (`@modelcontextprotocol/client`, pinned). Both answer elicitation (as a person, "Ada") and sampling
// (as a model, "short <prompt>") and note what they were asked.
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ToolListChangedNotificationSchema,
  type CallToolResult,
  type CompleteRequest,
} from "@modelcontextprotocol/sdk/types.js";

export type ClientEra = "2025-11-25" | "2026-07-28";

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface EraClient {
  era: ClientEra;
  /** What the backend asked this client mid-call: `elicit:<message>` or `sample`. */
  asked: string[];
  callTool(
    name: string,
    args: Record<string, unknown>,
    opts?: { onprogress?: (p: { progress: number }) => void; signal?: AbortSignal },
  ): Promise<CallToolResult>;
  listTools(cursor?: string): Promise<Page<{ name: string }>>;
  listResources(cursor?: string): Promise<Page<{ uri: string }>>;
  listResourceTemplates(cursor?: string): Promise<Page<{ uriTemplate: string }>>;
  readResource(uri: string): Promise<{ contents: { uri: string; text?: unknown }[] }>;
  listPrompts(cursor?: string): Promise<Page<{ name: string }>>;
  getPrompt(name: string, args: Record<string, string>): Promise<{ messages: { content: unknown }[] }>;
  complete(params: CompleteRequest["params"]): Promise<{ completion: { values: string[] } }>;
  /** Starts listening for tool list changes (handshake: the GET stream; 2026: subscriptions/listen). */
  listenForToolChanges(): Promise<{ heard: Promise<void>; stop(): Promise<void> }>;
  close(): Promise<void>;
}

const answerElicit = (asked: string[], message: string) => {
  asked.push(`elicit:${message}`);
  return { action: "accept" as const, content: { name: "Ada" } };
};
const answerSample = (asked: string[], messages: { content: unknown }[]) => {
  asked.push("sample");
  const first = messages[0]!.content as { text?: string };
  return { role: "assistant" as const, model: "test-model", content: { type: "text" as const, text: `short ${first.text}` } };
};

/** A connected client of `era` at `url` (the gateway's /api/mcp), sending `token` as its bearer. */
export async function connectEraClient(era: ClientEra, url: string, token: string): Promise<EraClient> {
  const requestInit = { headers: { authorization: `Bearer ${token}` } };
  return era === "2025-11-25" ? handshakeClient(url, requestInit) : modernClient(url, requestInit);
}

async function handshakeClient(url: string, requestInit: RequestInit): Promise<EraClient> {
  const asked: string[] = [];
  const client = new Client({ name: "pairing-v1", version: "1.0.0" }, { capabilities: { elicitation: {}, sampling: {} } });
  client.setRequestHandler(ElicitRequestSchema, (r) => answerElicit(asked, r.params.message));
  client.setRequestHandler(CreateMessageRequestSchema, (r) => answerSample(asked, r.params.messages));
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit }));
  return {
    era: "2025-11-25",
    asked,
    callTool: async (name, args, opts = {}) =>
      (await client.callTool({ name, arguments: args }, undefined, {
        onprogress: opts.onprogress,
        signal: opts.signal,
        timeout: 60_000,
      })) as CallToolResult,
    listTools: async (cursor) => client.listTools({ cursor }).then((r) => ({ items: r.tools, nextCursor: r.nextCursor })),
    listResources: async (cursor) => client.listResources({ cursor }).then((r) => ({ items: r.resources, nextCursor: r.nextCursor })),
    listResourceTemplates: async (cursor) =>
      client.listResourceTemplates({ cursor }).then((r) => ({ items: r.resourceTemplates, nextCursor: r.nextCursor })),
    readResource: (uri) => client.readResource({ uri }),
    listPrompts: async (cursor) => client.listPrompts({ cursor }).then((r) => ({ items: r.prompts, nextCursor: r.nextCursor })),
    getPrompt: (name, args) => client.getPrompt({ name, arguments: args }),
    complete: (params) => client.complete(params),
    listenForToolChanges: async () => {
      const heard = new Promise<void>((resolve) => client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve()));
      return { heard, stop: async () => client.removeNotificationHandler("notifications/tools/list_changed") };
    },
    close: () => client.close(),
  };
}

async function modernClient(url: string, requestInit: RequestInit): Promise<EraClient> {
  const asked: string[] = [];
  const client = new ModernClient(
    { name: "pairing-v2", version: "2.0.0" },
    { capabilities: { elicitation: {}, sampling: {} }, versionNegotiation: { mode: { pin: "2026-07-28" } } },
  );
  client.setRequestHandler("elicitation/create", (r) => answerElicit(asked, (r.params as { message: string }).message));
  client.setRequestHandler("sampling/createMessage", (r) => answerSample(asked, r.params.messages));
  await client.connect(new ModernTransport(new URL(url), { requestInit }));
  // One page per call, as the handshake client lists (the SDK's own list methods walk every page).
  const onePage = <M extends "tools/list" | "resources/list" | "resources/templates/list" | "prompts/list">(method: M, cursor?: string) =>
    client.request({ method, params: cursor === undefined ? {} : { cursor } });
  return {
    era: "2026-07-28",
    asked,
    callTool: async (name, args, opts = {}) =>
      (await client.callTool(
        { name, arguments: args },
        { onprogress: opts.onprogress, signal: opts.signal, timeout: 60_000 },
      )) as CallToolResult,
    listTools: async (cursor) => onePage("tools/list", cursor).then((r) => ({ items: r.tools, nextCursor: r.nextCursor })),
    listResources: async (cursor) => onePage("resources/list", cursor).then((r) => ({ items: r.resources, nextCursor: r.nextCursor })),
    listResourceTemplates: async (cursor) =>
      onePage("resources/templates/list", cursor).then((r) => ({ items: r.resourceTemplates, nextCursor: r.nextCursor })),
    readResource: (uri) => client.readResource({ uri }),
    listPrompts: async (cursor) => onePage("prompts/list", cursor).then((r) => ({ items: r.prompts, nextCursor: r.nextCursor })),
    getPrompt: (name, args) => client.getPrompt({ name, arguments: args }),
    complete: (params) => client.complete(params as never),
    listenForToolChanges: async () => {
      const heard = new Promise<void>((resolve) => client.setNotificationHandler("notifications/tools/list_changed", () => resolve()));
      const subscription = await client.listen({ toolsListChanged: true });
      return { heard, stop: () => subscription.close() };
    },
    close: () => client.close(),
  };
}

/** Every item of a paged list, and how many pages it took. */
export async function everyPage<T>(list: (cursor?: string) => Promise<Page<T>>): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await list(cursor);
    items.push(...page.items);
    cursor = page.nextCursor;
    pages++;
  } while (cursor);
  return { items, pages };
}
