import type { z } from "zod";
import { AppError, fieldErrors } from "@/lib/errors";

/** A query string checked against a schema: 400 naming each bad parameter. */
export function parseQuery<S extends z.ZodType>(req: Request, schema: S): z.output<S> {
  const params = Object.fromEntries(new URL(req.url).searchParams);
  const result = schema.safeParse(params);
  if (!result.success) throw new AppError("bad_request", "Some query parameters are not valid.", fieldErrors(result.error.issues));
  return result.data;
}
