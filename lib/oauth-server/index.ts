// Gatehouse as the OAuth authorization server of its MCP endpoints (oidc-provider, federated to
// Keycloak through the portal's sign-in). See README "Connecting MCP clients".
export { isOAuthPath } from "@/lib/oauth-server/paths";
export { getOAuthProvider, handleOAuthRequest } from "@/lib/oauth-server/provider";
export { findConnectedClients, revokeConnectedClient, type ConnectedClient } from "@/lib/oauth-server/connected-clients";
