import { Pool } from 'pg';

// pool-config: no connectionTimeoutMillis (requests wait forever for a free connection),
// no statement_timeout, default pool size.
export const reportingPool = new Pool({
  connectionString: process.env.REPORTING_DATABASE_URL,
});
