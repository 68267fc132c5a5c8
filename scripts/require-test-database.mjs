// `npm run test:pg` must run on PostgreSQL, never fall back to the embedded database silently.
if (!process.env.TEST_DATABASE_URL) {
  console.error(
    "test:pg needs TEST_DATABASE_URL (e.g. postgresql://gatehouse:gatehouse@127.0.0.1:5432/gatehouse_test); start one with scripts/start-test-postgres.sh",
  );
  process.exit(1);
}
