// The console's backend form → the REST API's input shape, so both are checked by the same schema.
// Field names are the schema's paths ("auth.headerName"), so field errors land next to their input.
// An empty secret input means "keep the stored one" (it is omitted).
import { AUTH_MODES, type AuthMode, type BackendInput, type BackendPatch } from "@/lib/backends/backend-schema";

/** Inputs whose values must never travel back to the browser. */
export const SECRET_INPUTS = ["auth.value", "auth.clientSecret"] as const;

const MODE_FIELDS: Record<AuthMode, string[]> = {
  none: [],
  static_header: ["headerName", "value"],
  token_exchange: ["tokenEndpoint", "clientId", "clientSecret", "audience", "scope"],
  linked_account: ["providerId"],
  client_credentials: ["tokenEndpoint", "clientId", "clientSecret", "scope", "audience"],
};

const text = (form: FormData, name: string): string | undefined => {
  const v = form.get(name);
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
};
const list = (form: FormData, name: string): string[] =>
  (text(form, name) ?? "")
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);

function authFromForm(form: FormData): Record<string, unknown> {
  const mode = text(form, "auth.mode");
  const auth: Record<string, unknown> = { mode };
  if (!AUTH_MODES.includes(mode as AuthMode)) return auth;
  for (const field of MODE_FIELDS[mode as AuthMode]) {
    // A secret is taken as typed (spaces may be part of it); other fields are trimmed.
    const raw = form.get(`auth.${field}`);
    const value =
      field === "value" || field === "clientSecret"
        ? typeof raw === "string" && raw !== ""
          ? raw
          : undefined
        : text(form, `auth.${field}`);
    if (value !== undefined) auth[field] = value;
  }
  return auth;
}

/** The whole form as a create input (or, with every field present, a patch). */
export function backendInputFromForm(form: FormData): BackendInput & BackendPatch {
  const timeout = text(form, "timeoutMs");
  return {
    slug: text(form, "slug") ?? "",
    displayName: text(form, "displayName") ?? "",
    url: text(form, "url") ?? "",
    transport: (text(form, "transport") ?? "streamable_http") as BackendInput["transport"],
    ...(timeout !== undefined ? { timeoutMs: Number(timeout) } : {}),
    toolPrefix: text(form, "toolPrefix") ?? null,
    toolAllow: list(form, "toolAllow"),
    toolDeny: list(form, "toolDeny"),
    visibleToRoles: list(form, "visibleToRoles"),
    visibleToGroups: list(form, "visibleToGroups"),
    inboundIssuer: text(form, "inboundIssuer") ?? null,
    inboundAudience: text(form, "inboundAudience") ?? null,
    auditArguments: form.get("auditArguments") === "on",
    auth: authFromForm(form) as BackendInput["auth"],
  };
}

/** What the form sent, minus secrets, to refill it after a validation error. */
export function formValues(form: FormData, secretNames: readonly string[] = SECRET_INPUTS): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === "string" && !secretNames.includes(key) && !key.startsWith("$ACTION")) out[key] = value;
  }
  return out;
}
