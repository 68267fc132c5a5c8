import { isAppError } from "@/lib/errors";
import { getAccessToken } from "@/lib/links";

/** The admin's own token for a provider, through the token broker; undefined when there is no usable link. */
export async function adminLinkedToken(userId: string, providerId: string): Promise<string | undefined> {
  try {
    return (await getAccessToken({ userId, providerId })).accessToken;
  } catch (e) {
    if (isAppError(e) && e.code === "link_required") return undefined;
    throw e;
  }
}
