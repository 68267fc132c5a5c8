// The MCP gateway, free of Next.js: server.ts mounts createNodeHandler(), app/api/mcp mounts
// handleWebRequest(); both reach the same gateway instance.
export { closeGateway, createGateway, getGateway, type Gateway, type GatewayOptions } from "@/gateway/gateway";
export { createNodeHandler, type NodeHandler } from "@/gateway/http/node-handler";
export { handleWebRequest } from "@/gateway/http/web-handler";
export { protectedResourceMetadata, resourceMetadataUrl, resourceUrl } from "@/gateway/inbound/protected-resource";
