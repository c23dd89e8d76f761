import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Folders made by `makeTempDir`, removed when the test process exits. */
const made: string[] = [];

/**
 * A fresh folder under the system's temporary folder (`perflint-<prefix>-XXXXXX`, symlinks resolved:
 * macOS's /tmp is one), removed with everything in it when the test process exits, passing or
 * failing: a test run leaves nothing behind.
 */
export function makeTempDir(prefix: string): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `perflint-${prefix}-`)));
  if (made.length === 0) process.on('exit', removeTempDirs);
  made.push(dir);
  return dir;
}

function removeTempDirs(): void {
  for (const dir of made.splice(0)) {
    try {
      // Tests make folders unreadable on purpose; give them back their permissions first.
      restorePermissions(dir);
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // Best effort: a folder the OS will not let go of stays behind.
    }
  }
}

function restorePermissions(dir: string): void {
  let entries: fs.Dirent[];
  try {
    fs.chmodSync(dir, 0o755);
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) if (entry.isDirectory()) restorePermissions(path.join(dir, entry.name));
}
