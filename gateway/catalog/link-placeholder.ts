// What a linked-account backend lists for a user who has not linked it, when no list of its tools
// can be had yet (GitLab's MCP endpoint lists nothing without a token): one tool that says what
// linking unlocks. Calling it goes down the normal call path, which answers with the link request
// (URL elicitation or a tool error naming the link page), so a client can discover and start linking.
import type { Catalog } from "@/gateway/catalog/catalog";
import type { RuntimeBackend } from "@/lib/backends/runtime";

export const LINK_TOOL = "link_account";

export function linkPlaceholderCatalog(backend: RuntimeBackend): Catalog {
  const provider = backend.auth?.mode === "linked_account" ? backend.auth.providerName : backend.displayName;
  return {
    tools: [
      {
        name: LINK_TOOL,
        title: `Link your ${provider} account`,
        description: `${backend.displayName} acts as your own ${provider} account, which is not linked to Gatehouse yet. Call this tool to get the link to open; after linking, ${backend.displayName}'s tools appear here.`,
        inputSchema: { type: "object", properties: {} },
      },
    ],
    prompts: [],
    resources: [],
    resourceTemplates: [],
  };
}
