"use client";

// A write-only secret: once stored, the console shows only when it was set, and a Replace button
// that reveals an empty input. Nothing of the stored value ever reaches the browser.
import { useState } from "react";
import { Field, secondaryButton, TextInput } from "@/app/admin/_components/fields";
import { when } from "@/app/admin/_components/when";

export function SecretInput({
  name,
  label,
  setAt,
  hint,
  errors,
}: {
  name: string;
  label: string;
  setAt: string | null;
  hint?: string;
  errors?: string[];
}) {
  const [replacing, setReplacing] = useState(false);
  if (setAt && !replacing) {
    return (
      <Field label={label} name={name} errors={errors}>
        <div className="flex items-center gap-3 text-sm text-slate-600">
          <span data-testid={`${name}-set`}>Set on {when(setAt)}</span>
          <button type="button" className={secondaryButton} onClick={() => setReplacing(true)}>
            Replace
          </button>
        </div>
      </Field>
    );
  }
  return (
    <Field label={label} name={name} errors={errors} hint={setAt ? "Leave empty to keep the stored value." : hint}>
      <TextInput name={name} type="password" autoComplete="new-password" spellCheck={false} errors={errors} />
    </Field>
  );
}
