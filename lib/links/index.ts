// Linked accounts: the link flow, the token vault and broker, and unlink.
export { startLink, LINK_STATE_TTL_MS } from "@/lib/links/start-link";
export { completeLink, type CompleteLinkResult } from "@/lib/links/complete-link";
export { getAccessToken, type AccessToken } from "@/lib/links/get-access-token";
export { unlinkAccount } from "@/lib/links/unlink-account";
export { findLinksForUser } from "@/lib/links/find-links-for-user";
export { parseReturnTo } from "@/lib/links/return-to";
export { linkFailureMessage, isLinkFailureReason, safeOAuthErrorCode, type LinkFailureReason } from "@/lib/links/link-failure";
export type { PublicLink, LinkStatus } from "@/lib/links/public-link";
