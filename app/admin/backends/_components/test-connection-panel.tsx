"use client";

import { useActionState } from "react";
import { secondaryButton } from "@/app/admin/_components/fields";
import type { TestState } from "@/app/admin/backends/_actions/test-backend-action";

export function TestConnectionPanel({ action }: { action: () => Promise<TestState> }) {
  const [state, formAction, pending] = useActionState(action, null);
  const r = state?.result;
  const tone = !r
    ? "border-red-200 bg-red-50 text-red-800"
    : r.ok
      ? "border-emerald-200 bg-emerald-50 text-emerald-900"
      : r.ok === null
        ? "border-amber-200 bg-amber-50 text-amber-900"
        : "border-red-200 bg-red-50 text-red-800";
  return (
    <form action={formAction} className="space-y-3">
      <button type="submit" className={secondaryButton} disabled={pending}>
        {pending ? "Testing…" : "Test connection"}
      </button>
      {state && (
        <div role="status" data-testid="test-result" className={`rounded-md border px-4 py-3 text-sm ${tone}`}>
          <p className="whitespace-pre-wrap break-words">{r ? r.message : state.message}</p>
          {r && r.tools.length > 0 && (
            <ul className="mt-2 list-disc pl-5">
              {r.tools.map((t) => (
                <li key={t.name}>
                  <code>{t.name}</code>
                  {t.description ? ` — ${t.description}` : ""}
                </li>
              ))}
            </ul>
          )}
          {r && <p className="mt-2 text-xs opacity-75">{r.latencyMs} ms</p>}
        </div>
      )}
    </form>
  );
}
