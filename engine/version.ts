/** The PerfLint version reported by the CLI, JSON and SARIF (kept equal to package.json by a test). */
export const PERFLINT_VERSION = '0.1.0';
