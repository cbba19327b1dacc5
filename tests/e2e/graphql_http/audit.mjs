import { auditServer } from 'graphql-http';
const url = process.argv[2];
const results = await auditServer({ url });
let bad = 0;
for (const r of results) {
  if (r.status !== 'ok') { bad++; console.log(r.status.toUpperCase(), r.id, r.name, '-', (r.reason || '').slice(0, 200)); }
}
console.log(`audit: ${results.length} checks, ${bad} not ok`);
process.exit(bad ? 1 : 0);
