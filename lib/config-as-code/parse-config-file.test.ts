import { describe, expect, it } from "vitest";
import { ConfigFileError, parseConfigFile } from "@/lib/config-as-code/parse-config-file";

const base = `version: 1
backends:
  - slug: search
    displayName: Search
    url: https://search.example.com/mcp
    auth:
      mode: static_header
      headerName: X-Api-Key
      value:
        env: SEARCH_API_KEY
`;

function issuesOf(text: string) {
  try {
    parseConfigFile(text, "gatehouse.yaml");
  } catch (e) {
    if (e instanceof ConfigFileError) return e;
    throw e;
  }
  throw new Error("the file was accepted");
}

describe("reading a configuration file", () => {
  it("an admin's file with secret references is accepted with the REST API's defaults", () => {
    const file = parseConfigFile(base);
    expect(file.backends[0]).toMatchObject({ slug: "search", transport: "streamable_http", timeoutMs: 30000, enabled: true });
    expect(file.backends[0]!.auth).toEqual({ mode: "static_header", headerName: "X-Api-Key", value: { env: "SEARCH_API_KEY" } });
  });

  it("an admin who pastes a secret inline is refused with the line and field named", () => {
    const e = issuesOf(base.replace("value:\n        env: SEARCH_API_KEY", "value: sk-live-123456"));
    expect(e.issues).toEqual([expect.objectContaining({ line: 9, field: "backends[0].auth.value" })]);
    expect(e.message).toContain(
      "gatehouse.yaml:9: backends[0].auth.value is an inline secret: write { env: NAME } or { file: /path/to/file } instead",
    );
    expect(e.message).not.toContain("sk-live-123456");
  });

  it("an inline provider client secret is refused too", () => {
    const e = issuesOf(`version: 1
providers:
  - slug: gitlab
    kind: gitlab
    displayName: GitLab
    baseUrl: https://gitlab.example.com
    clientId: abc
    clientSecret: s3cr3t
`);
    expect(e.issues).toEqual([expect.objectContaining({ line: 8, field: "providers[0].clientSecret" })]);
  });

  it("a misspelt field is refused with its line, not silently ignored", () => {
    const e = issuesOf(base.replace("    url: https", "    timeout: 5000\n    url: https"));
    expect(e.issues).toEqual([{ line: 5, field: "backends[0].timeout", message: "is not a known field" }]);
    const nested = issuesOf(base.replace("      headerName: X-Api-Key", "      headerName: X-Api-Key\n      headerValue: x"));
    expect(nested.issues).toEqual([{ line: 9, field: "backends[0].auth.headerValue", message: "is not a known field" }]);
  });

  it("a bad URL is refused with the line and field named", () => {
    const e = issuesOf(base.replace("https://search.example.com/mcp", "ftp://search.example.com"));
    expect(e.issues).toEqual([expect.objectContaining({ line: 5, field: "backends[0].url" })]);
  });

  it("a secret file reference must be an absolute path, and a secret reference cannot carry extra keys", () => {
    expect(issuesOf(base.replace("env: SEARCH_API_KEY", "file: secrets/key")).issues[0]).toMatchObject({
      line: 10,
      field: expect.stringMatching(/^backends\[0\]\.auth\.value/),
    });
    expect(issuesOf(base.replace("env: SEARCH_API_KEY", "env: SEARCH_API_KEY\n        value: inline")).issues[0]).toMatchObject({
      field: expect.stringMatching(/^backends\[0\]\.auth\.value/),
    });
  });

  it("broken YAML and a missing version are refused with their lines", () => {
    expect(issuesOf("version: 1\nbackends: [\n").issues[0]!.line).toBeGreaterThanOrEqual(2);
    expect(issuesOf(base.replace("version: 1\n", "")).issues[0]).toMatchObject({ field: "version" });
  });
});
