import Redis from 'ioredis';

// Not flagged by client-per-request: created lazily once and kept in module state.
let client: Redis | undefined;

export function redis(): Redis {
  if (!client) client = new Redis(process.env.REDIS_URL ?? 'redis://localhost:6379');
  return client;
}
