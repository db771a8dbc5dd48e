/** Says once which database the suite runs on. */
export default function setup() {
  const url = process.env.TEST_DATABASE_URL;
  console.log(
    url
      ? `[jiuzhu] tests on PostgreSQL (${url.replace(/\/\/[^@]*@/, '//***@')}), one fresh database per test file`
      : '[jiuzhu] tests on embedded PGlite (in memory); set TEST_DATABASE_URL to run them on PostgreSQL',
  );
}
