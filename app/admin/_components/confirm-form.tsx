"use client";

// A destructive action that may be refused (a provider still in use) or report something (a
// revocation that failed at the provider): two-step confirm, then the answer next to the button.
import { useActionState } from "react";
import { ConfirmButton } from "@/app/admin/_components/confirm-button";
import { FormMessage } from "@/app/admin/_components/fields";
import type { FormState } from "@/app/admin/_components/form-state";

export function ConfirmForm(props: {
  action: (prev: FormState) => Promise<FormState>;
  label: string;
  confirmLabel: string;
  question: string;
}) {
  const [state, formAction] = useActionState(props.action, {});
  return (
    <form action={formAction} className="space-y-2">
      <ConfirmButton label={props.label} confirmLabel={props.confirmLabel} question={props.question} />
      <FormMessage message={state.message} tone={state.tone ?? "error"} />
    </form>
  );
}
