"use client";

// Revoke in two steps (ask, then do), like Unlink on Linked accounts: for a connected client or a
// personal access token. The server action gets the id in a hidden field and scopes it to the user.
import { useActionState, useState } from "react";
import { dangerButton, secondaryButton } from "@/app/(portal)/links/link-styles";

export type RevokeState = { ok: true } | { ok: false; message: string } | null;

export function RevokeControl(props: {
  action: (prev: RevokeState, form: FormData) => Promise<RevokeState>;
  id: string;
  /** What is revoked, for the accessible name: "Claude Code", "token ci-deploy". */
  what: string;
  question: string;
}) {
  const [state, action, pending] = useActionState<RevokeState, FormData>(props.action, null);
  const [asking, setAsking] = useState(false);
  return (
    <div className="flex flex-col gap-2">
      {!asking ? (
        <button
          type="button"
          className={`${secondaryButton} justify-center`}
          onClick={() => setAsking(true)}
          aria-label={`Revoke ${props.what}`}
        >
          Revoke
        </button>
      ) : (
        <form action={action} className="flex flex-wrap items-center gap-2 text-sm" role="group" aria-label={`Revoke ${props.what}`}>
          <input type="hidden" name="id" value={props.id} />
          <span className="text-slate-700">{props.question}</span>
          <button type="submit" className={dangerButton} disabled={pending}>
            Yes, revoke
          </button>
          <button type="button" className={secondaryButton} onClick={() => setAsking(false)}>
            Cancel
          </button>
        </form>
      )}
      {state && !state.ok && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {state.message}
        </p>
      )}
    </div>
  );
}
