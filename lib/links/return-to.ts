import { AppError } from "@/lib/errors";
import { safeReturnPath } from "@/lib/http/return-path";

/**
 * Where to send the user after linking: a path on this site only (lib/http/return-path.ts). A bad
 * value is refused rather than replaced, so the page that built the link learns of its mistake.
 * Returns null for "no preference".
 */
export function parseReturnTo(value: string | null | undefined): string | null {
  if (value == null || value === "") return null;
  const path = safeReturnPath(value);
  if (path === null) {
    throw new AppError("validation", "returnTo must be a path on this site, such as /links.", { returnTo: ["must be a same-origin path"] });
  }
  return path;
}
