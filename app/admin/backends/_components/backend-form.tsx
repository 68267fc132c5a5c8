"use client";

// Create and edit a backend. The outgoing auth mode selector shows that mode's fields only; the
// server checks the submission with the same schema as the REST API and answers field errors.
import { useActionState, useState } from "react";
import { Field, FieldErrors, FormMessage, inputClass, primaryButton, Section, TextInput } from "@/app/admin/_components/fields";
import type { FormState } from "@/app/admin/_components/form-state";
import { SecretInput } from "@/app/admin/_components/secret-input";
import type { PublicBackend } from "@/lib/backends/backend-public";
import { AUTH_MODES, type AuthMode } from "@/lib/backends/backend-schema";

export const MODE_LABELS: Record<AuthMode, string> = {
  none: "None — no credential",
  static_header: "Static header — a service key in a header",
  token_exchange: "Token exchange — the caller's Keycloak token, exchanged for this backend's audience",
  linked_account: "Linked account — the caller's own token at a provider (GitLab, GitHub, …)",
  client_credentials: "Client credentials — a service token from an OAuth token endpoint",
};

type Action = (prev: FormState, form: FormData) => Promise<FormState>;
type ProviderOption = { id: string; displayName: string; slug: string };

export function BackendForm(props: { action: Action; backend?: PublicBackend; providers: ProviderOption[]; defaultTokenEndpoint: string }) {
  const [state, formAction, pending] = useActionState(props.action, {});
  return <BackendFields key={state.version ?? 0} {...props} state={state} formAction={formAction} pending={pending} />;
}

function BackendFields({
  backend: b,
  providers,
  defaultTokenEndpoint,
  state,
  formAction,
  pending,
}: Parameters<typeof BackendForm>[0] & { state: FormState; formAction: (f: FormData) => void; pending: boolean }) {
  const v = state.values;
  const errors = state.fields ?? {};
  const [mode, setMode] = useState<AuthMode>((v?.["auth.mode"] as AuthMode) ?? b?.auth.mode ?? "none");
  // The stored secret belongs to the stored mode; after a switch, a new one is needed.
  const setAt = b && b.auth.mode === mode ? b.auth.secretSetAt : null;
  const val = (name: string, stored?: string | number | null) =>
    v?.[name] ?? (stored === null || stored === undefined ? "" : String(stored));
  const auth = (b?.auth ?? {}) as Record<string, string | undefined>;
  const text = (
    name: string,
    label: string,
    stored?: string | number | null,
    extra: Omit<React.InputHTMLAttributes<HTMLInputElement>, "defaultValue"> = {},
    hint?: string,
  ) => (
    <Field label={label} name={name} errors={errors[name]} hint={hint}>
      <TextInput name={name} defaultValue={val(name, stored)} errors={errors[name]} {...extra} />
    </Field>
  );
  const area = (name: string, label: string, stored: string[] | undefined, hint: string) => (
    <Field label={label} name={name} errors={errors[name]} hint={hint}>
      <textarea id={name} name={name} rows={2} defaultValue={val(name, stored?.join("\n"))} className={inputClass} />
    </Field>
  );

  return (
    <form action={formAction} className="space-y-6" noValidate>
      <FormMessage message={state.message} />
      <Section title="Backend">
        <div className="grid gap-4 sm:grid-cols-2">
          {text("displayName", "Display name", b?.displayName, { required: true })}
          {text(
            "slug",
            "Slug",
            b?.slug,
            { required: true, pattern: "[a-z][a-z0-9-]{1,39}" },
            "Lower-case letters, digits and -; used in tool names and /api/mcp/<slug>.",
          )}
        </div>
        {text("url", "MCP endpoint URL", b?.url, { type: "url", required: true, placeholder: "https://mcp.example.com/mcp" })}
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Transport" name="transport" errors={errors.transport}>
            <select
              id="transport"
              name="transport"
              defaultValue={val("transport", b?.transport ?? "streamable_http")}
              className={inputClass}
            >
              <option value="streamable_http">Streamable HTTP</option>
              <option value="sse">SSE (legacy)</option>
            </select>
          </Field>
          {text("timeoutMs", "Timeout (ms)", b?.timeoutMs ?? 30000, { type: "number", min: 1000, max: 300000 })}
        </div>
      </Section>

      <Section
        title="Outgoing auth"
        description="How Gatehouse authenticates to this backend. The caller's own token is never passed through."
      >
        <Field label="Mode" name="auth.mode" errors={errors["auth.mode"]}>
          <select id="auth.mode" name="auth.mode" value={mode} onChange={(e) => setMode(e.target.value as AuthMode)} className={inputClass}>
            {AUTH_MODES.map((m) => (
              <option key={m} value={m}>
                {MODE_LABELS[m]}
              </option>
            ))}
          </select>
        </Field>
        {mode === "static_header" && (
          <div className="grid gap-4 sm:grid-cols-2">
            {text("auth.headerName", "Header name", auth.headerName, { placeholder: "X-Api-Key" })}
            <SecretInput name="auth.value" label="Header value" setAt={setAt} errors={errors["auth.value"]} />
          </div>
        )}
        {(mode === "token_exchange" || mode === "client_credentials") && (
          <>
            {text(
              "auth.tokenEndpoint",
              "Token endpoint",
              auth.tokenEndpoint,
              mode === "token_exchange" ? { placeholder: defaultTokenEndpoint } : {},
              mode === "token_exchange" ? "Empty: the sign-in issuer's token endpoint." : undefined,
            )}
            <div className="grid gap-4 sm:grid-cols-2">
              {text("auth.clientId", "Client id", auth.clientId)}
              <SecretInput name="auth.clientSecret" label="Client secret" setAt={setAt} errors={errors["auth.clientSecret"]} />
              {text(
                "auth.audience",
                mode === "token_exchange" ? "Audience" : "Audience (optional)",
                auth.audience,
                {},
                mode === "token_exchange" ? "The backend's client id at Keycloak." : undefined,
              )}
              {text("auth.scope", "Scope (optional)", auth.scope)}
            </div>
          </>
        )}
        {mode === "linked_account" && (
          <Field
            label="Provider"
            name="auth.providerId"
            errors={errors["auth.providerId"]}
            hint={
              providers.length ? "Each user's own token for this provider is sent as Bearer." : "Create a provider first (Providers page)."
            }
          >
            <select
              id="auth.providerId"
              name="auth.providerId"
              defaultValue={val("auth.providerId", auth.providerId)}
              className={inputClass}
            >
              <option value="">Choose a provider…</option>
              {providers.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.displayName} ({p.slug})
                </option>
              ))}
            </select>
          </Field>
        )}
      </Section>

      <Section title="Tools">
        {text("toolPrefix", "Tool prefix", b?.toolPrefix, { placeholder: `${val("slug", b?.slug) || "<slug>"}_` }, "Empty: <slug>_.")}
        <div className="grid gap-4 sm:grid-cols-2">
          {area("toolAllow", "Only these tools", b?.toolAllow, "One per line or comma-separated; empty: all tools.")}
          {area("toolDeny", "Never these tools", b?.toolDeny, "One per line or comma-separated.")}
        </div>
      </Section>

      <Section title="Who may use it" description="Any of these roles or groups; both empty: every signed-in user.">
        <div className="grid gap-4 sm:grid-cols-2">
          {area("visibleToRoles", "Roles", b?.visibleToRoles, "Keycloak realm or client roles.")}
          {area("visibleToGroups", "Groups", b?.visibleToGroups, "e.g. /engineering")}
        </div>
      </Section>

      <Section title="Advanced">
        <div className="grid gap-4 sm:grid-cols-2">
          {text("inboundIssuer", "Extra trusted issuer (optional)", b?.inboundIssuer, {}, "Accepted only at /api/mcp/<slug>.")}
          {text("inboundAudience", "Its audience", b?.inboundAudience)}
        </div>
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" name="auditArguments" defaultChecked={v ? v.auditArguments === "on" : b?.auditArguments} />
          Record tool arguments in the audit log
        </label>
        <FieldErrors name="auditArguments" errors={errors.auditArguments} />
      </Section>

      <button type="submit" className={primaryButton} disabled={pending}>
        {b ? "Save changes" : "Create backend"}
      </button>
    </form>
  );
}
