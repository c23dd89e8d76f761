/** Entry point of dist/cli.js. */
import { runCli } from './main';

const code = runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTty: process.stdout.isTTY,
});
process.exitCode = code;
