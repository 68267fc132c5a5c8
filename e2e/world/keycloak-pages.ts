// The realm's HTML pages. Element ids and labels follow Keycloak's own login theme (#kc-form-login,
// #username, #password, #kc-login, #input-error), so browser tests read the same as against Keycloak.

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function layout(realm: string, title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; background: #f0f0f0; margin: 0; }
  header { background: #393f44; color: #fff; padding: 1rem 2rem; font-size: 1.1rem; letter-spacing: .05em; }
  main { max-width: 26rem; margin: 3rem auto; background: #fff; padding: 2rem; border-top: 4px solid #0066cc; }
  h1 { font-size: 1.4rem; margin-top: 0; }
  label { display: block; margin: 1rem 0 .3rem; }
  input[type=text], input[type=password] { width: 100%; box-sizing: border-box; padding: .5rem; }
  button { margin-top: 1.5rem; width: 100%; padding: .6rem; background: #0066cc; color: #fff; border: 0; font-size: 1rem; }
  .error { background: #fdecea; border-left: 3px solid #c9190b; padding: .6rem; margin-bottom: 1rem; }
</style>
</head>
<body>
<header>${escapeHtml(realm.toUpperCase())}</header>
<main>
${body}
</main>
</body>
</html>`;
}

export function loginPage(opts: { realm: string; action: string; username?: string; error?: string; clientId?: string }): string {
  const error = opts.error
    ? `<div class="error"><span id="input-error" class="kc-feedback-text" aria-live="polite">${escapeHtml(opts.error)}</span></div>`
    : "";
  const client = opts.clientId ? `<p id="kc-client">Signing in to <strong>${escapeHtml(opts.clientId)}</strong></p>` : "";
  return layout(
    opts.realm,
    `Sign in to ${opts.realm}`,
    `<h1 id="kc-page-title">Sign in to your account</h1>
${client}${error}
<form id="kc-form-login" method="post" action="${escapeHtml(opts.action)}">
  <label for="username">Username or email</label>
  <input id="username" name="username" type="text" autocomplete="username" autofocus value="${escapeHtml(opts.username ?? "")}">
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password">
  <button id="kc-login" name="login" type="submit">Sign In</button>
</form>`,
  );
}

/** Logout without an id_token_hint asks first, as Keycloak does (an unsolicited logout is a nuisance). */
export function logoutConfirmPage(opts: { realm: string; action: string; fields: Record<string, string | undefined> }): string {
  const hidden = Object.entries(opts.fields)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join("\n  ");
  return layout(
    opts.realm,
    "Logging out",
    `<h1 id="kc-page-title">Logging out</h1>
<p>Do you want to log out?</p>
<form id="kc-logout-form" method="post" action="${escapeHtml(opts.action)}">
  ${hidden}
  <input type="hidden" name="confirm" value="yes">
  <button id="kc-logout" type="submit">Logout</button>
</form>`,
  );
}

export function infoPage(realm: string, title: string, message: string): string {
  return layout(realm, title, `<h1 id="kc-page-title">${escapeHtml(title)}</h1>\n<p id="kc-info-message">${escapeHtml(message)}</p>`);
}

export function errorPage(realm: string, message: string): string {
  return layout(
    realm,
    "We are sorry...",
    `<h1 id="kc-page-title">We are sorry...</h1>\n<p id="kc-error-message" class="instruction">${escapeHtml(message)}</p>`,
  );
}
