// DuckDB peer for bench/inventory-diff/run.sh: node duckdb.mjs REGISTER SCANS OUTDIR
// Loads both CSV files once (2 threads) and writes the missing, surplus and
// moved tags, one per line, to OUTDIR/{missing,surplus,moved}.
import { DuckDBInstance } from '@duckdb/node-api';

const [reg, scans, out] = process.argv.slice(2);
const q = (s) => s.replace(/'/g, "''");
const db = await DuckDBInstance.create(':memory:', { threads: '2' });
const con = await db.connect();
await con.run(`CREATE TABLE reg AS SELECT "资产编号" AS tag, "存放地点" AS location
               FROM read_csv('${q(reg)}', header = true, all_varchar = true)`);
await con.run(`CREATE TABLE scan AS SELECT tag, location
               FROM read_csv('${q(scans)}', header = true, all_varchar = true)`);
await con.run(`COPY (SELECT r.tag FROM reg r ANTI JOIN scan s ON s.tag = r.tag)
               TO '${q(out)}/missing' (HEADER false)`);
await con.run(`COPY (SELECT s.tag FROM scan s ANTI JOIN reg r ON s.tag = r.tag)
               TO '${q(out)}/surplus' (HEADER false)`);
await con.run(`COPY (SELECT s.tag FROM scan s JOIN reg r ON s.tag = r.tag
                     WHERE s.location <> r.location)
               TO '${q(out)}/moved' (HEADER false)`);
