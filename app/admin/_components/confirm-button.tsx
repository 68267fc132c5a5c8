"use client";

// A destructive action in two steps: the first click asks, the second submits the form.
import { useState } from "react";
import { useFormStatus } from "react-dom";
import { dangerButton, secondaryButton } from "@/app/admin/_components/fields";

export function ConfirmButton({ label, confirmLabel, question }: { label: string; confirmLabel: string; question: string }) {
  const [asking, setAsking] = useState(false);
  const { pending } = useFormStatus();
  if (!asking) {
    return (
      <button type="button" className={dangerButton} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span className="inline-flex items-center gap-2 text-sm">
      <span className="text-slate-700">{question}</span>
      <button type="submit" className={dangerButton} disabled={pending}>
        {confirmLabel}
      </button>
      <button type="button" className={secondaryButton} onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
