import { AppError, fieldErrors } from "@/lib/errors";
import { providerInputSchema, type ParsedProviderInput } from "@/lib/providers/provider-input-schema";

/** The input, validated; a 422 naming each bad field otherwise. */
export function parseProviderInput(input: unknown): ParsedProviderInput {
  const result = providerInputSchema.safeParse(input);
  if (!result.success) throw new AppError("validation", "Some provider fields are not valid.", fieldErrors(result.error.issues));
  return result.data;
}

/** A unique constraint failed (Prisma P2002): for the provider table, the slug. */
export function slugTaken(e: unknown, slug: string): AppError | undefined {
  if ((e as { code?: unknown } | null)?.code !== "P2002") return undefined;
  return new AppError("conflict", `A provider with the slug "${slug}" already exists.`, { slug: ["is already used by another provider"] });
}
