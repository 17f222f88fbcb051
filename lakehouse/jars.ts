import fs from 'node:fs';
import path from 'node:path';
import { runTool } from './exec.js';
import { linkOrCopy, listJars, readJson, removeAll, sha256File, totalSize, writeJson } from './fsutil.js';
import { megabytes, say, seconds, timed } from './log.js';
import { requireTools, type Tool } from './prereqs.js';
import { PYSPARK_VERSION, THRIFTSERVER_JAR, type LakehousePaths } from './settings.js';

// Each marker is written only after its step finished and was checked, so an
// interrupted download or extraction is simply redone on the next start.
const MARKER = '.complete.json';

interface JarsMarker {
  pyspark: string;
  pomSha256: string;
  jars: string[];
}

interface MavenMarker {
  pomSha256: string;
  jars: string[];
}

interface TarballMarker {
  version: string;
  bytes: number;
}

class CorruptTarballError extends Error {}

const EXPECTED_MAVEN_JARS = ['iceberg-spark-runtime-3.5_2.12-', 'hadoop-aws-', 'aws-java-sdk-bundle-'];

/** The tools the next ensureJars needs, so that start can report every missing one at once. */
export function toolsForJars(paths: LakehousePaths): Tool[] {
  const pomSha256 = sha256File(paths.pom);
  if (cachedClasspath(paths.jars, pomSha256)) return [];
  const tools: Tool[] = ['tar'];
  if (!cachedMavenJars(paths.cache, pomSha256)) tools.push('mvn');
  if (!cachedTarball(paths.cache)) tools.push('python3', 'pip');
  return tools;
}

/** Makes sure `paths.jars` holds the complete classpath, downloading only what the cache lacks. */
export async function ensureJars(paths: LakehousePaths): Promise<void> {
  const pomSha256 = sha256File(paths.pom);
  const cached = cachedClasspath(paths.jars, pomSha256);
  if (cached) {
    say(`jars: cached (${cached.length} jars, ${megabytes(totalSize(paths.jars, cached))})`);
    return;
  }
  fs.mkdirSync(paths.cache, { recursive: true });
  const started = Date.now();
  const mavenJars = await ensureMavenJars(paths, pomSha256);
  try {
    await assembleClasspath(paths, await ensurePysparkTarball(paths.cache), mavenJars, pomSha256);
  } catch (error) {
    if (!(error instanceof CorruptTarballError)) throw error;
    // A cached tarball can rot (disk trouble, a copy cut short); one fresh download settles it.
    say(`${error.message}; downloading it again`);
    await requireTools(['python3', 'pip']);
    await assembleClasspath(paths, await ensurePysparkTarball(paths.cache), mavenJars, pomSha256);
  }
  say(`jars: fetch and assembly took ${seconds(Date.now() - started)} in total`);
}

function cachedClasspath(dir: string, pomSha256: string): string[] | undefined {
  const marker = readJson<JarsMarker>(path.join(dir, MARKER));
  if (!marker || marker.pyspark !== PYSPARK_VERSION || marker.pomSha256 !== pomSha256) return undefined;
  return marker.jars.every((jar) => fs.existsSync(path.join(dir, jar))) ? marker.jars : undefined;
}

function cachedMavenJars(cacheDir: string, pomSha256: string): string[] | undefined {
  const dir = path.join(cacheDir, 'maven');
  const marker = readJson<MavenMarker>(path.join(dir, MARKER));
  if (marker?.pomSha256 !== pomSha256 || !marker.jars.every((jar) => fs.existsSync(path.join(dir, jar)))) return undefined;
  return marker.jars.map((jar) => path.join(dir, jar));
}

async function ensureMavenJars(paths: LakehousePaths, pomSha256: string): Promise<string[]> {
  const cached = cachedMavenJars(paths.cache, pomSha256);
  if (cached) {
    say(`maven jars: cached (${cached.length} jars)`);
    return cached;
  }
  const dir = path.join(paths.cache, 'maven');
  const partial = `${dir}.partial`;
  removeAll(partial);
  removeAll(dir);
  say('maven jars: resolving lakehouse/pom.xml (Iceberg runtime, hadoop-aws); reuses ~/.m2, quiet, can take minutes on an empty ~/.m2');
  // Even quiet, Maven 3.8 prints stray ANSI resets, so its output is shown only when it fails.
  const { ms } = await timed(() => runTool('mvn', mavenArgs(paths.pom, partial), { outputOnFailure: true }));
  const jars = checkMavenJars(partial);
  writeJson(path.join(partial, MARKER), { pomSha256, jars } satisfies MavenMarker);
  fs.renameSync(partial, dir);
  say(`maven jars: ${jars.length} jars, ${megabytes(totalSize(dir, jars))} in ${seconds(ms)}`);
  return jars.map((jar) => path.join(dir, jar));
}

function mavenArgs(pom: string, outputDir: string): string[] {
  return ['-B', '-q', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${outputDir}`, '-DincludeScope=runtime'];
}

function checkMavenJars(dir: string): string[] {
  const jars = fs.existsSync(dir) ? listJars(dir) : [];
  const absent = EXPECTED_MAVEN_JARS.filter((prefix) => !jars.some((jar) => jar.startsWith(prefix)));
  if (absent.length > 0) throw new Error(`maven did not copy ${absent.map((p) => `${p}*.jar`).join(', ')} into ${dir}`);
  return jars;
}

function tarballPath(cacheDir: string): string {
  return path.join(cacheDir, `pyspark-${PYSPARK_VERSION}.tar.gz`);
}

function cachedTarball(cacheDir: string): string | undefined {
  const file = tarballPath(cacheDir);
  const marker = readJson<TarballMarker>(`${file}${MARKER}`);
  const complete = marker?.version === PYSPARK_VERSION && fs.existsSync(file) && fs.statSync(file).size === marker.bytes;
  return complete ? file : undefined;
}

async function ensurePysparkTarball(cacheDir: string): Promise<string> {
  const cached = cachedTarball(cacheDir);
  if (cached) {
    say(`pyspark: cached ${path.basename(cached)} (${megabytes(fs.statSync(cached).size)})`);
    return cached;
  }
  const file = tarballPath(cacheDir);
  const markerFile = `${file}${MARKER}`;
  removeAll(markerFile);
  const partial = path.join(cacheDir, 'pip.partial');
  removeAll(partial);
  say(`pyspark: downloading the pyspark==${PYSPARK_VERSION} source tarball from PyPI (~317 MB; only its bundled Spark jars are used)`);
  const { ms } = await timed(() => runTool('python3', pipDownloadArgs(partial), { env: pipEnv() }));
  const downloaded = path.join(partial, path.basename(file));
  if (!fs.existsSync(downloaded)) throw new Error(`pip finished but ${downloaded} is missing`);
  fs.renameSync(downloaded, file);
  removeAll(partial);
  const bytes = fs.statSync(file).size;
  writeJson(markerFile, { version: PYSPARK_VERSION, bytes } satisfies TarballMarker);
  say(`pyspark: downloaded ${megabytes(bytes)} in ${seconds(ms)} (${megabytes((bytes / ms) * 1000)}/s)`);
  return file;
}

// `pip download` only fetches (and builds metadata in a throw-away isolated
// environment); nothing is installed into the Python that runs it. The tarball
// is cached by us, so pip's own cache would only hold a second 317 MB copy.
function pipDownloadArgs(targetDir: string): string[] {
  return [
    '-m', 'pip', 'download',
    '--no-deps', '--no-binary', 'pyspark', '--no-cache-dir',
    '--disable-pip-version-check', '--no-input',
    '-d', targetDir,
    `pyspark==${PYSPARK_VERSION}`,
  ];
}

// A user-wide PIP_REQUIRE_VIRTUALENV would make pip refuse even to download.
function pipEnv(): NodeJS.ProcessEnv {
  return { ...process.env, PIP_REQUIRE_VIRTUALENV: 'false' };
}

async function assembleClasspath(paths: LakehousePaths, tarball: string, mavenJars: string[], pomSha256: string): Promise<void> {
  const partial = `${paths.jars}.partial`;
  removeAll(partial);
  const { ms } = await timed(() => extractSparkJars(tarball, paths.cache, partial));
  for (const jar of mavenJars) {
    const target = path.join(partial, path.basename(jar));
    if (!fs.existsSync(target)) linkOrCopy(jar, target);
  }
  const jars = listJars(partial);
  writeJson(path.join(partial, MARKER), { pyspark: PYSPARK_VERSION, pomSha256, jars } satisfies JarsMarker);
  removeAll(paths.jars);
  fs.renameSync(partial, paths.jars);
  say(`jars: ${jars.length} jars (${megabytes(totalSize(paths.jars, jars))}) ready in ${paths.jars}, extracted in ${seconds(ms)}`);
}

/** A tarball that fails here is deleted with its marker, so that it is downloaded again. */
async function extractSparkJars(tarball: string, cacheDir: string, targetDir: string): Promise<void> {
  const scratch = path.join(cacheDir, 'extract.partial');
  removeAll(scratch);
  fs.mkdirSync(scratch, { recursive: true });
  // Naming the directory member (rather than a glob) works with GNU and BSD tar alike.
  const member = `pyspark-${PYSPARK_VERSION}/deps/jars`;
  try {
    // --no-same-owner: as root, tar would otherwise keep the uid of whoever built the tarball.
    await runTool('tar', ['-xzf', tarball, '--no-same-owner', '-C', scratch, member]);
    if (!fs.existsSync(path.join(scratch, member, THRIFTSERVER_JAR))) throw new Error(`${THRIFTSERVER_JAR} is not in ${tarball}`);
  } catch (error) {
    removeAll(scratch);
    removeAll(tarball);
    removeAll(`${tarball}${MARKER}`);
    throw new CorruptTarballError(`unpacking ${tarball} failed (${(error as Error).message}), so it was deleted`);
  }
  fs.renameSync(path.join(scratch, member), targetDir);
  removeAll(scratch);
}

/**
 * A second lakehouse on the same machine (the fault tests' own instance) uses the complete
 * classpath of a first one as hard links instead of a second 665 MB copy. Does nothing when
 * `target` already holds that classpath; throws when `source` has none yet.
 */
export function linkJarsFrom(source: LakehousePaths, target: LakehousePaths): void {
  const pomSha256 = sha256File(source.pom);
  const jars = cachedClasspath(source.jars, pomSha256);
  if (!jars) throw new Error(`${source.jars} holds no complete classpath: start that lakehouse first`);
  if (cachedClasspath(target.jars, pomSha256)) return;
  const partial = `${target.jars}.partial`;
  removeAll(partial);
  fs.mkdirSync(partial, { recursive: true });
  for (const jar of [...jars, MARKER]) linkOrCopy(path.join(source.jars, jar), path.join(partial, jar));
  removeAll(target.jars);
  fs.renameSync(partial, target.jars);
  say(`jars: linked ${jars.length} jars from ${source.jars}`);
}
