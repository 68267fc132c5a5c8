// Every command and configuration file the "Connect a client" page shows, generated from the user's
// endpoint in one place, so the page and the tests that run these snippets for real use the same text.
// Clients that implement MCP authorization get the URL and nothing else: they discover Gatehouse's
// authorization server, register, and send the person to sign in and approve. Scripts send a token.

export interface ConnectEndpoint {
  /** `${APP_URL}/api/mcp`, or `${APP_URL}/api/mcp/<slug>` for one backend. */
  url: string;
  /** The name the client shows for this server. */
  serverName: string;
}

export interface Snippet {
  language: "shell" | "json";
  /** Where the text goes, when it is a file. */
  file?: string;
  code: string;
}

export interface SetupStep {
  /** Plain text; `backticks` mark code. */
  text: string;
  snippet?: Snippet;
}

export interface ClientSetup {
  id: "claude-code" | "vscode" | "cursor" | "chatgpt" | "mcp-remote" | "inspector" | "scripts";
  title: string;
  steps: SetupStep[];
}

/** The MCP Inspector (UI and CLI) refuses older Node versions. */
export const INSPECTOR_MIN_NODE = "22.19";
/** The shell variable the token-based snippets read, so a token never sits in a command line. */
export const TOKEN_VARIABLE = "GATEHOUSE_TOKEN";
export const AUTHORIZATION_HEADER = "Authorization: Bearer <token>";
export const CLAUDE_DESKTOP_CONFIG_FILES = {
  macOS: "~/Library/Application Support/Claude/claude_desktop_config.json",
  Windows: "%APPDATA%\\Claude\\claude_desktop_config.json",
};

export function gatewayEndpoint(appUrl: string, backendSlug?: string): ConnectEndpoint {
  const base = `${appUrl.replace(/\/$/, "")}/api/mcp`;
  return backendSlug
    ? { url: `${base}/${encodeURIComponent(backendSlug)}`, serverName: `gatehouse-${backendSlug}` }
    : { url: base, serverName: "gatehouse" };
}

/** A word for a POSIX shell: as is when it is plainly safe, else single-quoted. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

export function claudeCodeCommand(e: ConnectEndpoint): string {
  // Claude Code wants every option before the server's name.
  return `claude mcp add --transport http ${shellWord(e.serverName)} ${shellWord(e.url)}`;
}

export function vscodeConfig(e: ConnectEndpoint): string {
  return json({ servers: { [e.serverName]: { type: "http", url: e.url } } });
}

export function cursorConfig(e: ConnectEndpoint): string {
  return json({ mcpServers: { [e.serverName]: { url: e.url } } });
}

export function claudeDesktopConfig(e: ConnectEndpoint): string {
  return json({ mcpServers: { [e.serverName]: { command: "npx", args: ["mcp-remote", e.url] } } });
}

export const INSPECTOR_UI_COMMAND = "npx @modelcontextprotocol/inspector";

export function inspectorCliCommand(e: ConnectEndpoint): string {
  return [
    `npx @modelcontextprotocol/inspector --cli ${shellWord(e.url)} --transport http`,
    `--header "Authorization: Bearer $${TOKEN_VARIABLE}" --method tools/list`,
  ].join(" \\\n  ");
}

/** One MCP request with a token: the tools the token's user may call. */
export function curlCommand(e: ConnectEndpoint): string {
  return [
    `curl -sS ${shellWord(e.url)}`,
    `-H "Authorization: Bearer $${TOKEN_VARIABLE}"`,
    `-H 'Content-Type: application/json'`,
    `-H 'Accept: application/json, text/event-stream'`,
    `-d '{"jsonrpc":"2.0","id":1,"method":"tools/list"}'`,
  ].join(" \\\n  ");
}

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === "localhost" || host === "[::1]" || host.startsWith("127.");
}

/** The steps for each client, in the order the page shows them. */
export function clientSetups(e: ConnectEndpoint, opts: { tokensPath: string }): ClientSetup[] {
  const signIn = "The first time, your browser opens at Gatehouse: sign in with your company account and approve the client.";
  return [
    {
      id: "claude-code",
      title: "Claude Code",
      steps: [
        { text: "In a terminal:", snippet: { language: "shell", code: claudeCodeCommand(e) } },
        { text: `In Claude Code, type \`/mcp\`, choose \`${e.serverName}\` and Authenticate. ${signIn}` },
      ],
    },
    {
      id: "vscode",
      title: "VS Code",
      steps: [
        {
          text: "Put this in your workspace's `.vscode/mcp.json` (or run MCP: Open User Configuration to have it everywhere):",
          snippet: { language: "json", file: ".vscode/mcp.json", code: vscodeConfig(e) },
        },
        { text: `Click Start above the server in the file, and allow VS Code to authenticate. ${signIn}` },
      ],
    },
    {
      id: "cursor",
      title: "Cursor",
      steps: [
        {
          text: "Put this in `~/.cursor/mcp.json` (or `.cursor/mcp.json` in a project):",
          snippet: { language: "json", file: "~/.cursor/mcp.json", code: cursorConfig(e) },
        },
        { text: `In Cursor Settings → MCP, click Connect (or Needs login) next to \`${e.serverName}\`. ${signIn}` },
      ],
    },
    {
      id: "chatgpt",
      title: "ChatGPT and other remote connectors",
      steps: [
        {
          text: "Add a custom connector with this URL and OAuth as its authentication. Nothing else: leave client ID and secret empty, the connector registers itself.",
          snippet: { language: "shell", code: e.url },
        },
        {
          text: isLoopback(e.url)
            ? "These connectors call from their provider's servers, so they need Gatehouse at a public https address; this one is on your own machine."
            : signIn,
        },
      ],
    },
    {
      id: "mcp-remote",
      title: "Claude Desktop and other desktop clients (mcp-remote)",
      steps: [
        {
          text: `For clients that start local servers only. Needs Node.js. Add this to \`claude_desktop_config.json\` (macOS: \`${CLAUDE_DESKTOP_CONFIG_FILES.macOS}\`, Windows: \`${CLAUDE_DESKTOP_CONFIG_FILES.Windows}\`) and restart the client:`,
          snippet: { language: "json", file: "claude_desktop_config.json", code: claudeDesktopConfig(e) },
        },
        { text: `mcp-remote bridges the client to Gatehouse. ${signIn}` },
      ],
    },
    {
      id: "inspector",
      title: "MCP Inspector",
      steps: [
        {
          text: `Needs Node.js ${INSPECTOR_MIN_NODE} or later. Start the UI, choose Transport Type Streamable HTTP, paste the URL and Connect; sign in and approve as above.`,
          snippet: { language: "shell", code: INSPECTOR_UI_COMMAND },
        },
        {
          text: `Or list the tools from the command line with a personal access token in \`${TOKEN_VARIABLE}\`:`,
          snippet: { language: "shell", code: inspectorCliCommand(e) },
        },
      ],
    },
    {
      id: "scripts",
      title: "Scripts and agents",
      steps: [
        {
          text: `Create a personal access token on Tokens (\`${opts.tokensPath}\`); it is shown once. Send it with every request as \`${AUTHORIZATION_HEADER}\`. Keep it in a variable rather than in the command:`,
          snippet: { language: "shell", code: `export ${TOKEN_VARIABLE}='<your token>'` },
        },
        { text: "Then call Gatehouse, for example to list your tools:", snippet: { language: "shell", code: curlCommand(e) } },
      ],
    },
  ];
}
