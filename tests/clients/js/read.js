// Load every table of a data package with the JavaScript `datapackage` library (types cast from the
// Table Schemas) and print {table: {fields: [...], rows: [[cell as text, ...], ...]}} as JSON.
// Usage: node read.js path/to/datapackage.json
const { Package } = require('datapackage');

const pad = (n, w) => String(n).padStart(w, '0');

function text(value) {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    // tableschema casts a date to local midnight: read it back with the local calendar
    return `${pad(value.getFullYear(), 4)}-${pad(value.getMonth() + 1, 2)}-${pad(value.getDate(), 2)}`;
  }
  return String(value);
}

async function main() {
  const pkg = await Package.load(process.argv[2]);
  if (!pkg.valid) throw new Error(`descriptor invalid: ${pkg.errors.map(String).join('; ')}`);
  const out = {};
  for (const resource of pkg.resources) {
    if (!resource.tabular) continue;
    const fields = resource.descriptor.schema.fields.map((f) => f.name);
    const headers = (await resource.read({ limit: 0, cast: false }), resource.headers);
    const rows = await resource.read({ cast: true });
    out[resource.name] = { fields: headers, rows: rows.map((r) => r.map(text)), schema_fields: fields };
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((err) => {
  const detail = err.errors ? err.errors.map(String).join('; ') : '';
  process.stderr.write(`${err.stack || err} ${detail}\n`);
  process.exit(1);
});
