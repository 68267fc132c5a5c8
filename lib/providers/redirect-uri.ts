import { env } from "@/lib/env";

/** The exact redirect URI to register at the provider for this slug. */
export function redirectUriFor(slug: string): string {
  return `${env().APP_URL}/api/links/${encodeURIComponent(slug)}/callback`;
}
