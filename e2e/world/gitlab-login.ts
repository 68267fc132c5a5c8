// The browser side of GitLab's authorization: a sign-in page and an "Authorize <app>" page.
// They drive oidc-provider's interactions; Playwright and authorizeAs use the same forms.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { GitLabApplication, GitLabUser } from "./gitlab-types.js";
import { escapeHtml, readFormBody, sendHtml } from "./http.js";
import type Provider from "oidc-provider";

const SCOPE_DESCRIPTIONS: Record<string, string> = {
  api: "Grants complete read/write access to the API, including all groups and projects.",
  read_user: "Grants read-only access to your profile through the /user API endpoint.",
  mcp: "Grants access to GitLab MCP server.",
};

export interface InteractionContext {
  provider: Provider;
  users: GitLabUser[];
  applications: GitLabApplication[];
}

/** Handles /oauth/interaction/<uid>[/login|/confirm]; answers false when the path is not one of them. */
export async function handleInteraction(
  ctx: InteractionContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<boolean> {
  const match = /^\/oauth\/interaction\/([\w-]+)(\/login|\/confirm)?$/.exec(path);
  if (!match) return false;
  const [, uid = "", action] = match;
  try {
    if (req.method === "GET" && !action) await showPrompt(ctx, req, res, uid);
    else if (req.method === "POST" && action === "/login") await submitLogin(ctx, req, res, uid);
    else if (req.method === "POST" && action === "/confirm") await submitConsent(ctx, req, res);
    else sendHtml(res, 405, page("Method not allowed", "<p>Method not allowed.</p>"));
  } catch (err) {
    // Typically an expired or foreign interaction (its cookie is missing): start over.
    sendHtml(res, 400, page("Error", `<p>${escapeHtml(String((err as Error).message))}</p>`));
  }
  return true;
}

async function showPrompt(ctx: InteractionContext, req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> {
  const details = await ctx.provider.interactionDetails(req, res);
  if (details.prompt.name === "login") {
    sendHtml(res, 200, loginPage(uid));
    return;
  }
  const clientId = String(details.params.client_id);
  const appName = ctx.applications.find((a) => a.clientId === clientId)?.name ?? clientId;
  const scopes = String(details.params.scope ?? "")
    .split(" ")
    .filter(Boolean);
  const user = ctx.users.find((u) => String(u.id) === details.session?.accountId);
  sendHtml(res, 200, consentPage(uid, appName, scopes, user));
}

async function submitLogin(ctx: InteractionContext, req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> {
  const form = await readFormBody(req);
  const details = await ctx.provider.interactionDetails(req, res);
  if (details.prompt.name !== "login") throw new Error("this authorization does not expect a sign-in");
  const user = ctx.users.find((u) => u.username === form.get("username") && u.password === form.get("password"));
  if (!user) {
    sendHtml(res, 200, loginPage(uid, "Invalid login or password."));
    return;
  }
  await ctx.provider.interactionFinished(req, res, { login: { accountId: String(user.id) } }, { mergeWithLastSubmission: false });
}

async function submitConsent(ctx: InteractionContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const form = await readFormBody(req);
  const details = await ctx.provider.interactionDetails(req, res);
  if (details.prompt.name !== "consent") throw new Error("this authorization does not expect a decision");
  if (form.get("decision") !== "authorize") {
    const error = { error: "access_denied", error_description: "The resource owner or authorization server denied the request." };
    await ctx.provider.interactionFinished(req, res, error, { mergeWithLastSubmission: false });
    return;
  }
  const grant = new ctx.provider.Grant({ accountId: details.session?.accountId, clientId: String(details.params.client_id) });
  const missing = details.prompt.details.missingOIDCScope;
  if (Array.isArray(missing)) grant.addOIDCScope(missing.join(" "));
  const grantId = await grant.save();
  await ctx.provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

function loginPage(uid: string, error?: string): string {
  const alert = error ? `<p class="alert" role="alert">${escapeHtml(error)}</p>` : "";
  return page(
    "Sign in",
    `<h1>Sign in to GitLab</h1>${alert}
<form method="post" action="/oauth/interaction/${escapeHtml(uid)}/login">
  <label for="user_login">Username or primary email</label>
  <input id="user_login" name="username" autocomplete="username" autofocus required>
  <label for="user_password">Password</label>
  <input id="user_password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">Sign in</button>
</form>`,
  );
}

function consentPage(uid: string, appName: string, scopes: string[], user: GitLabUser | undefined): string {
  const items = scopes.map((s) => `<li><strong>${escapeHtml(s)}</strong> ${escapeHtml(SCOPE_DESCRIPTIONS[s] ?? "")}</li>`).join("");
  const who = user ? `<p>You are signed in as ${escapeHtml(user.name)} (@${escapeHtml(user.username)}).</p>` : "";
  return page(
    `Authorize ${appName}`,
    `<h1>Authorize ${escapeHtml(appName)} to use your account?</h1>${who}
<p>This application will be able to:</p><ul>${items}</ul>
<form method="post" action="/oauth/interaction/${escapeHtml(uid)}/confirm">
  <button type="submit" name="decision" value="authorize">Authorize</button>
  <button type="submit" name="decision" value="deny">Deny</button>
</form>`,
  );
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · GitLab</title>
<style>body{font-family:sans-serif;max-width:28rem;margin:4rem auto}label,input,button{display:block;margin:.4rem 0}
.alert{color:#a00}</style></head><body>${body}</body></html>`;
}
