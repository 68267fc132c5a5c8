import { AppError } from "@/lib/errors";

const PLACEHOLDER_ORIGIN = "http://gatehouse.invalid";

/**
 * Where to send the user after linking: a path on this site only. Absolute URLs, scheme-relative
 * `//host`, backslashes (browsers read `/\host` as `//host`) and control characters are refused.
 * Returns null for "no preference".
 */
export function parseReturnTo(value: string | null | undefined): string | null {
  if (value == null || value === "") return null;
  const bad = () => new AppError("validation", "returnTo must be a path on this site, such as /links.", { returnTo: ["must be a same-origin path"] });
  if (value.length > 1000 || !value.startsWith("/") || value.startsWith("//") || /[\\\x00-\x1f\x7f]/.test(value)) throw bad();
  const url = new URL(value, PLACEHOLDER_ORIGIN);
  if (url.origin !== PLACEHOLDER_ORIGIN) throw bad();
  return url.pathname + url.search + url.hash;
}
