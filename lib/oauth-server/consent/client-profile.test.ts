// What the consent page says about a client, from metadata the client wrote itself (so: hostile).
import { describe, expect, it } from "vitest";
import { describeClient, describeRedirect, initialsOf } from "@/lib/oauth-server/consent/client-profile";

describe("[consent] client profile", () => {
  it("shows a registered client's name, home page host and initials", () => {
    const p = describeClient({
      clientId: "b2a1",
      metadata: { client_name: "Acme Agent", client_uri: "https://acme.example/agent" },
      redirectUri: "https://acme.example/cb",
    });
    expect(p).toMatchObject({
      name: "Acme Agent",
      initials: "AA",
      homePage: { host: "acme.example" },
      redirect: { host: "acme.example", kind: "web" },
    });
    expect(p.publishedBy).toBeUndefined();
  });

  it("names the host that publishes a metadata document client", () => {
    const p = describeClient({
      clientId: "https://claude.ai/oauth/mcp-oauth-client-metadata",
      metadata: { client_name: "Claude" },
      redirectUri: "https://claude.ai/api/mcp/auth_callback",
    });
    expect(p.publishedBy).toBe("claude.ai");
    expect(p.initials).toBe("CL");
  });

  it("falls back to the client id for a missing or blank name", () => {
    expect(describeClient({ clientId: "xyz-123", metadata: { client_name: "   " }, redirectUri: "" }).name).toBe("xyz-123");
    expect(describeClient({ clientId: "xyz-123", metadata: undefined, redirectUri: "" }).initials).toBe("X1");
  });

  it("never offers a javascript: or data: home page", () => {
    for (const client_uri of ["javascript:alert(1)", "data:text/html,<script>1</script>", "not a url"]) {
      expect(describeClient({ clientId: "c", metadata: { client_uri }, redirectUri: "" }).homePage).toBeUndefined();
    }
  });

  it("tells loopback and native-app redirects apart from web ones", () => {
    expect(describeRedirect("http://127.0.0.1:33418/callback")).toMatchObject({ host: "127.0.0.1:33418", kind: "loopback" });
    expect(describeRedirect("http://localhost:6274/oauth/callback")).toMatchObject({ kind: "loopback" });
    expect(describeRedirect("http://[::1]:9/cb")).toMatchObject({ host: "[::1]:9", kind: "loopback" });
    expect(describeRedirect("cursor://anysphere.cursor-retrieval/oauth/callback")).toMatchObject({
      host: "cursor://anysphere.cursor-retrieval",
      kind: "native",
    });
    expect(describeRedirect("com.example.app:/cb")).toMatchObject({ host: "com.example.app:", kind: "native" });
    // A look-alike is shown as the host it really is.
    expect(describeRedirect("https://claude.ai.evil.example/cb")).toMatchObject({ host: "claude.ai.evil.example", kind: "web" });
    expect(describeRedirect("https://user@evil.example/cb").host).toBe("evil.example");
  });

  it("makes initials from letters and digits only", () => {
    expect(initialsOf("<script>")).toBe("SC");
    expect(initialsOf("visual studio code")).toBe("VS");
    expect(initialsOf("Alice's Agent")).toBe("AA");
    expect(initialsOf("Bob’s Agent")).toBe("BA");
    expect(initialsOf("!!!")).toBe("?");
  });
});
