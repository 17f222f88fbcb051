import { captureOutput } from './exec.js';
import { say } from './log.js';

export type Tool = 'java' | 'python3' | 'pip' | 'mvn' | 'tar';

const INSTALL_HINTS: Record<Tool, string> = {
  java: 'a Java 17 JDK/JRE on PATH (Debian/Ubuntu: apt-get install openjdk-17-jre-headless; macOS: brew install openjdk@17)',
  python3: 'Python 3 on PATH as python3 (Debian/Ubuntu: apt-get install python3; macOS: brew install python)',
  pip: 'pip for python3 (Debian/Ubuntu: apt-get install python3-pip; or: python3 -m ensurepip --user)',
  mvn: 'Apache Maven on PATH as mvn (Debian/Ubuntu: apt-get install maven; macOS: brew install maven)',
  tar: 'tar on PATH (Debian/Ubuntu: apt-get install tar)',
};

const PROBES: Record<Tool, [string, string[]]> = {
  java: ['java', ['-version']],
  python3: ['python3', ['--version']],
  pip: ['python3', ['-m', 'pip', '--version']],
  mvn: ['mvn', ['-B', '-v']],
  tar: ['tar', ['--version']],
};

class MissingToolsError extends Error {}

/** Checks every tool first so the user learns about all missing ones at once. */
export async function requireTools(tools: Tool[]): Promise<void> {
  const outputs = await Promise.all(tools.map((tool) => captureOutput(...PROBES[tool])));
  const missing = tools.filter((_, i) => outputs[i] === undefined);
  if (missing.length > 0) {
    const lines = missing.map((tool) => `  - ${tool}: install ${INSTALL_HINTS[tool]}`);
    throw new MissingToolsError(`missing prerequisites:\n${lines.join('\n')}`);
  }
  const javaOutput = outputs[tools.indexOf('java')];
  if (javaOutput !== undefined) checkJavaVersion(javaOutput);
}

// Spark 3.5 runs on Java 8/11/17; the launcher flags we pass assume 11+.
function checkJavaVersion(versionOutput: string): void {
  const match = /version "(?:1\.)?(\d+)/.exec(versionOutput);
  const major = match?.[1] === undefined ? undefined : Number(match[1]);
  if (major === undefined) return;
  if (major < 11) throw new MissingToolsError(`java ${major} is too old: install ${INSTALL_HINTS.java}`);
  if (major > 17) say(`warning: Spark 3.5 is tested on Java 17; java ${major} may fail`);
}
