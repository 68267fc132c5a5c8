// The tools the conformance suite's scenarios call, each answering as its scenario says. Test-only.
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import {
  CreateMessageResultSchema,
  ElicitResultSchema,
  type CallToolResult,
  type ServerNotification,
  type ServerRequest,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";
import { PNG } from "@/testkit/conformance/everything-content";

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** A tiny WAV (44-byte header, two silent samples). */
const WAV = "UklGRiwAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQQAAAAAAAAA";
const none = { type: "object" as const, properties: {} };

export const TOOLS: Tool[] = [
  { name: "test_simple_text", description: "Returns simple text", inputSchema: none },
  { name: "test_image_content", description: "Returns an image", inputSchema: none },
  { name: "test_audio_content", description: "Returns audio", inputSchema: none },
  { name: "test_embedded_resource", description: "Returns an embedded resource", inputSchema: none },
  { name: "test_multiple_content_types", description: "Returns text, image and resource", inputSchema: none },
  { name: "test_tool_with_logging", description: "Logs while it runs", inputSchema: none },
  { name: "test_error_handling", description: "Always fails", inputSchema: none },
  { name: "test_tool_with_progress", description: "Reports progress", inputSchema: none },
  { name: "test_reconnection", description: "Closes its stream mid-call, then answers", inputSchema: none },
  { name: "test_list_changed", description: "Says its tool list changed", inputSchema: none },
  {
    name: "test_sampling",
    description: "Asks the client's LLM",
    inputSchema: { type: "object", properties: { prompt: { type: "string" } }, required: ["prompt"] },
  },
  {
    name: "test_elicitation",
    description: "Asks the user",
    inputSchema: { type: "object", properties: { message: { type: "string" } }, required: ["message"] },
  },
  { name: "test_elicitation_sep1034_defaults", description: "Asks with defaults", inputSchema: none },
  { name: "test_elicitation_sep1330_enums", description: "Asks with enums", inputSchema: none },
  {
    name: "json_schema_2020_12_tool",
    description: "Tool with JSON Schema 2020-12 features",
    inputSchema: {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      $defs: { address: { type: "object", properties: { street: { type: "string" }, city: { type: "string" } } } },
      properties: { name: { type: "string" }, address: { $ref: "#/$defs/address" } },
      additionalProperties: false,
    },
  },
];

const text = (t: string): CallToolResult => ({ content: [{ type: "text", text: t }] });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function callTool(
  server: Server,
  params: { name: string; arguments?: Record<string, unknown> },
  extra: Extra,
): Promise<CallToolResult> {
  const args = params.arguments ?? {};
  switch (params.name) {
    case "test_simple_text":
      return text("This is a simple text response for testing.");
    case "test_image_content":
      return { content: [{ type: "image", data: PNG, mimeType: "image/png" }] };
    case "test_audio_content":
      return { content: [{ type: "audio", data: WAV, mimeType: "audio/wav" }] };
    case "test_embedded_resource":
      return {
        content: [
          {
            type: "resource",
            resource: { uri: "test://embedded-resource", mimeType: "text/plain", text: "This is an embedded resource content." },
          },
        ],
      };
    case "test_multiple_content_types":
      return {
        content: [
          { type: "text", text: "Multiple content types test:" },
          { type: "image", data: PNG, mimeType: "image/png" },
          {
            type: "resource",
            resource: { uri: "test://mixed-content-resource", mimeType: "application/json", text: '{"test":"data","value":123}' },
          },
        ],
      };
    case "test_tool_with_logging":
      for (const [i, data] of ["Tool execution started", "Tool processing data", "Tool execution completed"].entries()) {
        if (i > 0) await sleep(50);
        await extra.sendNotification({ method: "notifications/message", params: { level: "info", data } });
      }
      return text("Logging tool completed");
    case "test_error_handling":
      return { isError: true, content: [{ type: "text", text: "This tool intentionally returns an error for testing" }] };
    case "test_tool_with_progress": {
      const token = extra._meta?.progressToken;
      for (const progress of [0, 50, 100]) {
        if (progress > 0) await sleep(50);
        if (token !== undefined)
          await extra.sendNotification({ method: "notifications/progress", params: { progressToken: token, progress, total: 100 } });
      }
      return text("Progress tool completed");
    }
    case "test_list_changed":
      await extra.sendNotification({ method: "notifications/tools/list_changed" });
      return text("Announced a list change");
    case "test_reconnection":
      await sleep(50);
      extra.closeSSEStream?.();
      await sleep(200);
      return text("Reconnection test completed");
    case "test_sampling": {
      const result = await extra.sendRequest(
        {
          method: "sampling/createMessage",
          params: { messages: [{ role: "user", content: { type: "text", text: String(args.prompt ?? "") } }], maxTokens: 100 },
        },
        CreateMessageResultSchema,
      );
      const content = result.content as { type: string; text?: string };
      return text(`LLM response: ${content.type === "text" ? content.text : JSON.stringify(content)}`);
    }
    case "test_elicitation": {
      const result = await extra.sendRequest(
        {
          method: "elicitation/create",
          params: {
            message: String(args.message ?? ""),
            requestedSchema: {
              type: "object",
              properties: {
                username: { type: "string", description: "User's response" },
                email: { type: "string", description: "User's email address" },
              },
              required: ["username", "email"],
            },
          },
        },
        ElicitResultSchema,
      );
      return text(`User response: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`);
    }
    case "test_elicitation_sep1034_defaults": {
      const result = await extra.sendRequest(
        {
          method: "elicitation/create",
          params: {
            message: "Please review your information",
            requestedSchema: {
              type: "object",
              properties: {
                name: { type: "string", default: "John Doe" },
                age: { type: "integer", default: 30 },
                score: { type: "number", default: 95.5 },
                status: { type: "string", enum: ["active", "inactive", "pending"], default: "active" },
                verified: { type: "boolean", default: true },
              },
            },
          },
        },
        ElicitResultSchema,
      );
      return text(`Elicitation completed: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`);
    }
    case "test_elicitation_sep1330_enums": {
      const result = await extra.sendRequest(
        {
          method: "elicitation/create",
          params: {
            message: "Please choose",
            requestedSchema: {
              type: "object",
              properties: {
                untitledSingle: { type: "string", enum: ["option1", "option2", "option3"] },
                titledSingle: {
                  type: "string",
                  oneOf: [
                    { const: "value1", title: "First Option" },
                    { const: "value2", title: "Second Option" },
                    { const: "value3", title: "Third Option" },
                  ],
                },
                legacyEnum: { type: "string", enum: ["opt1", "opt2", "opt3"], enumNames: ["Option One", "Option Two", "Option Three"] },
                untitledMulti: { type: "array", items: { type: "string", enum: ["option1", "option2", "option3"] } },
                titledMulti: {
                  type: "array",
                  items: {
                    anyOf: [
                      { const: "value1", title: "First Choice" },
                      { const: "value2", title: "Second Choice" },
                      { const: "value3", title: "Third Choice" },
                    ],
                  },
                },
              },
            },
          },
        },
        ElicitResultSchema,
      );
      return text(`Elicitation completed: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`);
    }
    default:
      return { isError: true, content: [{ type: "text", text: `Unknown tool: ${params.name}` }] };
  }
}
