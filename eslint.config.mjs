import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      "lib/db/generated/**",
      "data/**",
      "bench/results/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // Only lib/env.ts reads the environment.
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration through env() from lib/env.ts." },
      ],
    },
  },
  {
    files: [
      "lib/env.ts",
      "instrumentation.ts",
      "lib/auth/options.ts",
      "e2e/**",
      "testkit/**",
      "scripts/**",
      "bin/**",
      "bench/**",
      "**/*.test.ts",
      "playwright.config.ts",
    ],
    rules: { "no-restricted-properties": "off" },
  },
  // Test scaffolding is not product code: only tests (and e2e/) use testkit/ and the test world.
  // Imports flow app → gateway → lib: lib imports neither.
  {
    files: ["lib/**/*.ts", "gateway/**/*.ts", "app/**/*.ts", "app/**/*.tsx", "server.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@/testkit/*", "@/e2e/*"], message: "Product code must not import test scaffolding (testkit/, e2e/)." }] },
      ],
    },
  },
  {
    files: ["lib/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@/testkit/*", "@/e2e/*"], message: "Product code must not import test scaffolding (testkit/, e2e/)." },
            { group: ["@/gateway/*", "@/app/*"], message: "lib/ is imported by the gateway and the app, never the other way round." },
          ],
        },
      ],
    },
  },
];

export default config;
