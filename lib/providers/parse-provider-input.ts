import { AppError, fieldErrors } from "@/lib/errors";
import { outboundFieldIssues } from "@/lib/net/outbound-policy";
import { providerInputSchema, type ParsedProviderInput } from "@/lib/providers/provider-input-schema";

/** The input, validated; a 422 naming each bad field otherwise. */
export function parseProviderInput(input: unknown): ParsedProviderInput {
  const result = providerInputSchema.safeParse(input);
  if (!result.success) throw new AppError("validation", "Some provider fields are not valid.", fieldErrors(result.error.issues));
  // The URLs Gatehouse itself will call must pass the outbound policy (the browser opens the authorization endpoint).
  const p = result.data;
  const refused = outboundFieldIssues({
    baseUrl: p.baseUrl,
    ...(p.kind === "oauth2"
      ? { tokenEndpoint: p.tokenEndpoint, revocationEndpoint: p.revocationEndpoint, userinfoEndpoint: p.userinfoEndpoint }
      : {}),
  });
  if (refused) throw new AppError("validation", "Gatehouse will not call some of these URLs.", refused);
  return p;
}

/** A unique constraint failed (Prisma P2002): for the provider table, the slug. */
export function slugTaken(e: unknown, slug: string): AppError | undefined {
  if ((e as { code?: unknown } | null)?.code !== "P2002") return undefined;
  return new AppError("conflict", `A provider with the slug "${slug}" already exists.`, { slug: ["is already used by another provider"] });
}
