import type { z } from "zod";
import { AppError, fieldErrors } from "@/lib/errors";
import { outboundFieldIssues } from "@/lib/net/outbound-policy";

/** Parses with the shared schema; a failure is a 422 naming each bad field. */
export function validateInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new AppError("validation", "Some fields are not valid.", fieldErrors(result.error.issues));
  return result.data;
}

/** Prisma's unique-constraint violation (a concurrent create won the race for a slug). */
export function isUniqueViolation(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { code?: unknown }).code === "P2002";
}

export const slugTaken = (slug: string) =>
  new AppError("conflict", `A backend with the slug "${slug}" already exists.`, { slug: [`"${slug}" is already used by another backend`] });

/** The backend's URLs that Gatehouse will call must pass the outbound policy: a 422 naming each field otherwise. */
export function checkBackendUrls(b: { url?: string; inboundIssuer?: string | null; auth?: { tokenEndpoint?: string } | object }): void {
  const tokenEndpoint = b.auth && "tokenEndpoint" in b.auth ? b.auth.tokenEndpoint : undefined;
  const refused = outboundFieldIssues({ url: b.url, inboundIssuer: b.inboundIssuer, "auth.tokenEndpoint": tokenEndpoint });
  if (refused) throw new AppError("validation", "Gatehouse will not call some of these URLs.", refused);
}
