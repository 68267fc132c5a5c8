// gatehouse — configuration as code.
//   gatehouse apply -f gatehouse.yaml [--dry-run]   apply a file in one transaction (a diff with --dry-run)
//   gatehouse export [-o gatehouse.yaml]             write the stored providers and backends as a file
//   gatehouse import toolhive vmcp.yaml [more.yaml …] [-o gatehouse.yaml]
//                                                    turn ToolHive vMCP resources into a Gatehouse file
// apply and export use the app's configuration (DATABASE_URL, GATEHOUSE_KEYS, KEYCLOAK_*), like db:migrate.
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";

const USAGE = `usage:
  gatehouse apply -f <file> [--dry-run]
  gatehouse export [-o <file>]
  gatehouse import toolhive <file> [<file> …] [-o <file>]`;

async function withDatabase<T>(run: () => Promise<T>): Promise<T> {
  const { closeDb, getDatabase, migrate } = await import("@/lib/db");
  await migrate(getDatabase());
  try {
    return await run();
  } finally {
    const { flushAudit } = await import("@/lib/audit/record-audit");
    await flushAudit();
    await closeDb();
  }
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      file: { type: "string", short: "f" },
      output: { type: "string", short: "o" },
      "dry-run": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) return (console.log(USAGE), command ? 0 : 2);
  const write = (text: string) => (values.output ? writeFileSync(values.output, text) : process.stdout.write(text));

  if (command === "apply") {
    if (!values.file) throw new Error("apply needs -f <file>");
    const text = readFileSync(values.file, "utf8");
    const { applyConfig } = await import("@/lib/config-as-code/apply-config");
    const { formatPlan } = await import("@/lib/config-as-code/format-plan");
    const plan = await withDatabase(() =>
      applyConfig(text, { file: values.file, dryRun: values["dry-run"], sources: { environment: process.env } }),
    );
    console.log(formatPlan(plan));
    const count = plan.providers.length + plan.backends.length + plan.settings.length;
    console.log(values["dry-run"] ? `dry run: ${count} change(s) not applied` : `applied ${count} change(s)`);
    return 0;
  }
  if (command === "export") {
    const { exportConfig } = await import("@/lib/config-as-code/export-config");
    const { yaml, notes } = await withDatabase(() => exportConfig());
    write(yaml);
    for (const note of notes) console.error(`note: ${note}`);
    return 0;
  }
  if (command === "import" && rest[0] === "toolhive") {
    const files = rest.slice(1);
    if (!files.length) throw new Error("import toolhive needs at least one file");
    const { importToolhive } = await import("@/lib/toolhive-import/import-toolhive");
    const { yaml, notes, unmapped } = importToolhive(files.map((f) => ({ name: f, text: readFileSync(f, "utf8") })));
    write(yaml);
    for (const line of notes) console.error(`note: ${line}`);
    for (const line of unmapped) console.error(`not mapped: ${line}`);
    return 0;
  }
  console.error(USAGE);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`gatehouse: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
