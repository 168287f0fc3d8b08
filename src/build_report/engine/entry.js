// The parts of DuckDB-WASM's ES module API the Query page uses, published on window as one classic script.
import { AsyncDuckDB, VoidLogger } from "@duckdb/duckdb-wasm";
window.duckdbQuery = { AsyncDuckDB, VoidLogger };
