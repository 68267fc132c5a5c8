// What a console server action answers when it does not redirect: a message, field errors keyed by
// the schema's paths, and the submitted values (never secrets) to refill the form.
import { randomUUID } from "node:crypto";
import { isAppError } from "@/lib/errors";
import { log } from "@/lib/log";

export interface FormState {
  message?: string;
  /** How to show `message`; errors unless said otherwise. */
  tone?: "error" | "success";
  fields?: Record<string, string[]>;
  values?: Record<string, string>;
  /** Bumped on each answer so the form remounts with `values` as its defaults. */
  version?: number;
}

export function formFailure(e: unknown, values?: Record<string, string>): FormState {
  if (isAppError(e) && e.status < 500) return { message: e.message, fields: e.fields, values, version: Date.now() };
  const requestId = randomUUID();
  log.error({ requestId, err: e instanceof Error ? e.message : String(e) }, "console action failed");
  return { message: `Something went wrong on our side (reference ${requestId}).`, values, version: Date.now() };
}
