"use client";

// Create (from a preset) or edit a provider. The redirect URI to register at the provider follows
// the slug as it is typed.
import { useActionState, useState } from "react";
import { CopyButton } from "@/app/admin/_components/copy-button";
import { Field, FormMessage, primaryButton, Section, TextInput } from "@/app/admin/_components/fields";
import type { FormState } from "@/app/admin/_components/form-state";
import { SecretInput } from "@/app/admin/_components/secret-input";
import { PRESETS } from "@/app/admin/providers/_components/presets";
import type { ProviderKind, PublicProvider } from "@/lib/providers";
import { defaultScopes } from "@/lib/providers/provider-input-schema";

type Action = (prev: FormState, form: FormData) => Promise<FormState>;

export function ProviderForm(props: { action: Action; kind: ProviderKind; provider?: PublicProvider; redirectUriTemplate: string }) {
  const [state, formAction, pending] = useActionState(props.action, {});
  return <ProviderFields key={state.version ?? 0} {...props} state={state} formAction={formAction} pending={pending} />;
}

function ProviderFields({
  kind,
  provider: p,
  redirectUriTemplate,
  state,
  formAction,
  pending,
}: Parameters<typeof ProviderForm>[0] & { state: FormState; formAction: (f: FormData) => void; pending: boolean }) {
  const v = state.values;
  const errors = state.fields ?? {};
  const [slug, setSlug] = useState(v?.slug ?? p?.slug ?? kind);
  const val = (name: string, stored?: string | null) => v?.[name] ?? stored ?? "";
  const text = (
    name: string,
    label: string,
    stored?: string | null,
    hint?: string,
    extra: Omit<React.InputHTMLAttributes<HTMLInputElement>, "defaultValue"> = {},
  ) => (
    <Field label={label} name={name} errors={errors[name]} hint={hint}>
      <TextInput name={name} defaultValue={val(name, stored)} errors={errors[name]} {...extra} />
    </Field>
  );
  const redirectUri = redirectUriTemplate.replace("SLUG", encodeURIComponent(slug || "<slug>"));
  const preset = PRESETS[kind];
  return (
    <form action={formAction} className="space-y-6" noValidate>
      <FormMessage message={state.message} />
      <input type="hidden" name="kind" value={kind} />
      {p && <input type="hidden" name="enabled" value={String(p.enabled)} />}
      <Section title={preset.label}>
        <div className="grid gap-4 sm:grid-cols-2">
          {text("displayName", "Display name", p?.displayName ?? (kind === "gitlab" ? "GitLab" : kind === "github" ? "GitHub" : ""))}
          <Field label="Slug" name="slug" errors={errors.slug} hint="Part of the redirect URI; lower-case letters, digits and -.">
            <TextInput name="slug" value={slug} onChange={(e) => setSlug(e.target.value)} errors={errors.slug} />
          </Field>
        </div>
        {preset.baseUrl && text("baseUrl", preset.baseUrl.label, p?.baseUrl, preset.baseUrl.hint)}
        {kind === "oauth2" && (
          <div className="grid gap-4 sm:grid-cols-2">
            {text("authorizationEndpoint", "Authorization endpoint", p?.authorizationEndpoint)}
            {text("tokenEndpoint", "Token endpoint", p?.tokenEndpoint)}
            {text("revocationEndpoint", "Revocation endpoint (optional)", p?.revocationEndpoint)}
            {text("userinfoEndpoint", "User endpoint", p?.userinfoEndpoint, "Answers the account as JSON (id or sub, and a name).")}
          </div>
        )}
      </Section>
      <Section
        title="OAuth app"
        description="Register an OAuth application at the provider with this redirect URI, then enter its client id and secret."
      >
        <div className="flex flex-wrap items-center gap-3 rounded-md bg-slate-50 px-3 py-2 text-sm">
          <span className="text-slate-600">Redirect URI</span>
          <code data-testid="redirect-uri" className="break-all">
            {redirectUri}
          </code>
          <CopyButton value={redirectUri} />
        </div>
        <div className="grid gap-4 sm:grid-cols-2">
          {text("clientId", "Client id", p?.clientId)}
          <SecretInput
            name="clientSecret"
            label="Client secret"
            setAt={p?.clientSecretSetAt ? new Date(p.clientSecretSetAt).toISOString() : null}
            errors={errors.clientSecret}
          />
        </div>
        {text("scopes", "Scopes", p?.scopes.join(" "), `Space-separated; empty: ${defaultScopes[kind].join(" ") || "none"}.`, {
          placeholder: defaultScopes[kind].join(" "),
        })}
        {!p && (
          <label className="flex items-center gap-2 text-sm text-slate-700">
            {/* An unchecked box sends nothing; the hidden "false" before it says so. */}
            <input type="hidden" name="enabled" value="false" />
            <input type="checkbox" name="enabled" value="true" defaultChecked={v ? v.enabled === "true" : true} />
            Users may link it right away
          </label>
        )}
      </Section>
      <button type="submit" className={primaryButton} disabled={pending}>
        {p ? "Save changes" : "Create provider"}
      </button>
    </form>
  );
}
