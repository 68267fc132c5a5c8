"use client";

// The form that creates a personal access token, and the one time the token is shown: with a copy
// button and the header to send. Nothing keeps it: a reload shows the list only.
import { useActionState, useState } from "react";
import { primaryButton, secondaryButton } from "@/app/(portal)/links/link-styles";
import { createTokenAction, type CreateTokenState } from "@/app/(portal)/tokens/create-token-action";

const input = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-brand-600 focus:outline-none";

export function CreateTokenForm(props: {
  endpoints: { value: string; label: string }[];
  expiryChoices: number[];
  maxDays: number;
  appUrl: string;
}) {
  const [state, action, pending] = useActionState<CreateTokenState, FormData>(createTokenAction, null);
  const [expiry, setExpiry] = useState(String(props.expiryChoices.includes(30) ? 30 : props.expiryChoices[0]));
  const fields = state && !state.ok ? state.fields : undefined;
  return (
    <div className="flex flex-col gap-4">
      {state?.ok && <NewToken state={state} appUrl={props.appUrl} />}
      <form
        action={action}
        className="grid gap-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-2 sm:p-5"
        aria-label="New token"
      >
        <label className="text-sm font-medium text-slate-800 sm:col-span-2">
          Name
          <input name="name" required maxLength={100} placeholder="e.g. nightly-ci" className={input} aria-invalid={!!fields?.name} />
          <FieldError errors={fields?.name} />
        </label>
        <label className="text-sm font-medium text-slate-800">
          Endpoint
          <select name="backend" className={input} defaultValue="">
            {props.endpoints.map((e) => (
              <option key={e.value} value={e.value}>
                {e.label}
              </option>
            ))}
          </select>
          <FieldError errors={fields?.backend} />
        </label>
        <label className="text-sm font-medium text-slate-800">
          Expires
          <select name="expiry" className={input} value={expiry} onChange={(e) => setExpiry(e.target.value)}>
            {props.expiryChoices.map((d) => (
              <option key={d} value={String(d)}>
                in {d} days
              </option>
            ))}
            <option value="custom">on a date…</option>
          </select>
          <FieldError errors={fields?.expiry} />
        </label>
        {expiry === "custom" && (
          <label className="text-sm font-medium text-slate-800 sm:col-start-2">
            Expiry date (at most {props.maxDays} days from today)
            <input type="date" name="expiresOn" required className={input} />
            <FieldError errors={fields?.expiresOn} />
          </label>
        )}
        <div className="flex flex-wrap items-center gap-3 sm:col-span-2">
          <button type="submit" className={primaryButton} disabled={pending}>
            Create token
          </button>
          {state && !state.ok && (
            <p role="alert" className="text-sm text-red-700">
              {state.message}
            </p>
          )}
        </div>
      </form>
    </div>
  );
}

function NewToken({ state, appUrl }: { state: Extract<CreateTokenState, { ok: true }>; appUrl: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <section
      role="status"
      className="rounded-lg border border-emerald-300 bg-emerald-50 p-4 text-sm text-emerald-950"
      aria-label="New token"
    >
      <p className="font-semibold">Token “{state.name}” created. Copy it now: Gatehouse will not show it again.</p>
      <div className="mt-2 flex flex-col gap-2 sm:flex-row sm:items-center">
        <code
          data-testid="new-token"
          className="block min-w-0 flex-1 break-all rounded bg-white px-2 py-1.5 font-mono text-xs ring-1 ring-emerald-200"
        >
          {state.token}
        </code>
        <button
          type="button"
          className={`${secondaryButton} justify-center`}
          onClick={() => void navigator.clipboard.writeText(state.token).then(() => setCopied(true))}
        >
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
      <p className="mt-2 break-all text-xs">
        Send it as <code>Authorization: Bearer {"<token>"}</code> to <code>{appUrl + state.resource}</code>.
      </p>
    </section>
  );
}

function FieldError({ errors }: { errors?: string[] }) {
  if (!errors?.length) return null;
  return <span className="mt-1 block text-xs font-normal text-red-700">{errors.join(" ")}</span>;
}
