import type { z } from "zod";
import { AppError, fieldErrors } from "@/lib/errors";

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
