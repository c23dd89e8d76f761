import type { NextFunction, Request, Response } from 'express';

const WINDOW_MS = 60_000;
const MAX_REQUESTS = 100;

interface Window {
  count: number;
  resetAt: number;
}

// unbounded-collection: one entry per client IP, forever. The `delete` below only runs when the
// same IP comes back after its window expired, so addresses seen once are never removed.
const windows = new Map<string, Window>();

export function rateLimit(req: Request, res: Response, next: NextFunction): void {
  const key = req.ip ?? 'unknown';
  const now = Date.now();
  const current = windows.get(key);
  if (current && current.resetAt <= now) windows.delete(key);
  const window = windows.get(key) ?? { count: 0, resetAt: now + WINDOW_MS };
  window.count++;
  windows.set(key, window);
  if (window.count > MAX_REQUESTS) {
    res.status(429).json({ error: 'too many requests' });
    return;
  }
  next();
}
