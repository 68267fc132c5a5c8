// The page oidc-provider shows when it cannot send the browser back to the client (unknown client,
// unregistered redirect URI, expired session): the error code and what to do, nothing else.
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderErrorPage(error: string, description?: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Gatehouse: sign-in error</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem">
<h1>Your AI client's sign-in request was refused</h1>
<p><code>${escape(error)}</code>${description ? `: ${escape(description)}` : ""}</p>
<p>Nothing was shared with the client. Start the connection again from the client; if this keeps happening, tell your Gatehouse administrator what it says above.</p>
</body></html>`;
}
