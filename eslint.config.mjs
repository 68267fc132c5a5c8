import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  { ignores: [".next/**", "node_modules/**", "lib/db/generated/**", "data/**", "bench/results/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // Only lib/env.ts reads the environment.
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration through env() from lib/env.ts." }],
    },
  },
  {
    files: ["lib/env.ts", "instrumentation.ts", "lib/auth/options.ts", "e2e/**", "scripts/**", "bench/**", "**/*.test.ts", "playwright.config.ts"],
    rules: { "no-restricted-properties": "off" },
  },
];

export default config;
