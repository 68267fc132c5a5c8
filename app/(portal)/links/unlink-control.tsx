"use client";

// Unlink in two steps (ask, then do), and afterwards what the provider said about the revocation.
// Rendered for every provider, linked or not, so the outcome stays on screen once the row is gone.
import { useActionState, useState } from "react";
import { dangerButton, secondaryButton } from "@/app/(portal)/links/link-styles";
import { unlinkAction, type UnlinkState } from "@/app/(portal)/links/unlink-action";

export function UnlinkControl({ providerId, providerName, linked }: { providerId: string; providerName: string; linked: boolean }) {
  const [state, action, pending] = useActionState<UnlinkState, FormData>(unlinkAction, null);
  const [asking, setAsking] = useState(false);
  return (
    <div className="flex flex-col gap-2">
      {linked && !asking && (
        <button type="button" className={secondaryButton} onClick={() => setAsking(true)}>
          Unlink
        </button>
      )}
      {linked && asking && (
        <form
          action={action}
          onSubmit={() => setAsking(false)}
          className="flex flex-wrap items-center gap-2 text-sm"
          role="group"
          aria-label={`Unlink ${providerName}`}
        >
          <input type="hidden" name="providerId" value={providerId} />
          <span className="text-slate-700">
            Unlink {providerName}? Gatehouse revokes its access at {providerName} and deletes the tokens.
          </span>
          <button type="submit" className={dangerButton} disabled={pending}>
            Yes, unlink
          </button>
          <button type="button" className={secondaryButton} onClick={() => setAsking(false)}>
            Cancel
          </button>
        </form>
      )}
      {state && <Outcome state={state} providerName={providerName} />}
    </div>
  );
}

function Outcome({ state, providerName }: { state: NonNullable<UnlinkState>; providerName: string }) {
  if (!state.ok) {
    return (
      <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
        {state.message}
      </p>
    );
  }
  if (state.revoked) {
    return (
      <p role="status" data-testid="unlink-outcome" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
        Unlinked. {providerName} confirmed that Gatehouse&apos;s access was revoked.
      </p>
    );
  }
  return (
    <p role="status" data-testid="unlink-outcome" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
      Unlinked here, and the tokens are deleted, but {providerName} did not confirm the revocation: {state.revokeError}
    </p>
  );
}
