import type { ProviderInput } from "@/lib/providers";

/** The provider form's fields as the REST input (the schema turns "" into "absent" and splits scopes). */
export function providerInputFromForm(form: FormData): ProviderInput {
  const entries = [...form.entries()].filter(([k, v]) => typeof v === "string" && !k.startsWith("$ACTION"));
  return Object.fromEntries(entries) as unknown as ProviderInput;
}
