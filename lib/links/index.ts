// Linked accounts: the link flow, the token vault and broker, and unlink.
export { startLink, LINK_STATE_TTL_MS } from "./start-link";
export { completeLink, type CompleteLinkResult } from "./complete-link";
export { getAccessToken, type AccessToken } from "./get-access-token";
export { unlinkAccount } from "./unlink-account";
export { findLinksForUser } from "./find-links-for-user";
export { parseReturnTo } from "./return-to";
export { linkFailureMessage, isLinkFailureReason, safeOAuthErrorCode, type LinkFailureReason } from "./link-failure";
export type { PublicLink, LinkStatus } from "./public-link";
