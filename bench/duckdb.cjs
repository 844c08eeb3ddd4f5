// The bench task in DuckDB (npm @duckdb/node-api), as a user would write it:
// weighted count of the 15+ active (TACT 11, 12) by DEPT and SEXE.
// Usage: node duckdb.cjs FILE   (NODE_PATH: the folder holding node_modules)
// Prints DEPT;SEXE;records;weight lines.
const { DuckDBInstance } = require('@duckdb/node-api');

async function main() {
	const file = process.argv[2].replace(/'/g, "''");
	const db = await DuckDBInstance.create(':memory:');
	const con = await db.connect();
	const r = await con.runAndReadAll(
		`SELECT DEPT, SEXE, count(*) AS n, sum(CAST(IPONDI AS DOUBLE)) AS w
		 FROM read_csv('${file}', delim = ';', header = true, all_varchar = true)
		 WHERE CAST(AGEREV AS INTEGER) >= 15 AND TACT IN ('11', '12')
		 GROUP BY DEPT, SEXE ORDER BY DEPT, SEXE`);
	const out = r.getRows().map((row) => `${row[0]};${row[1]};${row[2]};${Number(row[3]).toFixed(6)}`);
	process.stdout.write(out.join('\n') + '\n');
}

main().catch((e) => {
	process.stderr.write(`duckdb: ${e.message}\n`);
	process.exit(1);
});
