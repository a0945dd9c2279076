"""Fixtures for the package suite: the .deb, and a fresh minimal Debian 12 root to install it into.

Environment (set by scripts/test.sh):
  RNMU_DEB                  the package scripts/package.sh built
  SYNAPSE_SQLITE_FIXTURE    homeserver.db made by Synapse 1.163.2
  SYNAPSE_PG_FIXTURE_DB     PostgreSQL template database made by it
  TEST_PG_URL, TEST_PG_SYNAPSE_USER, TEST_PG_SYNAPSE_PASSWORD   the throwaway PostgreSQL server, on the loopback
  DEBIAN_MIRROR             where debootstrap and apt fetch from (default http://deb.debian.org/debian)

The root is `debootstrap --variant=minbase bookworm`, the base Synapse's container image is built on too: no
Swift, no compiler, no -dev package. Making one takes a few minutes, so scripts/debian-root.sh keeps the pristine
root as a tarball under .build/deb and every session unpacks a new copy of it; without the tarball it is made
first. Runs as root (chroot, mount).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Tests/e2e"))

from harness import PG  # noqa: E402

CACHE = ROOT / ".build/deb"
PRISTINE = CACHE / "bookworm-minbase.tar"
MIRROR = os.environ.get("DEBIAN_MIRROR", "http://deb.debian.org/debian")
PACKAGE = "register-new-matrix-user"

# The environment of every command inside the root: nothing of the host's, so nothing from the build
# (PATH to a toolchain, library paths) can make the package look complete when it is not.
ROOT_ENV = {
    "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "HOME": "/root",
    "LANG": "C.UTF-8",
    "TERM": "tmux-256color",
    "DEBIAN_FRONTEND": "noninteractive",
}


def env_required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: run the suite through scripts/test.sh", pytrace=False)
    return value


class DebianRoot:
    """A Debian 12 root with /proc and /dev mounted, the host's network (so PostgreSQL on 127.0.0.1 and the
    Debian mirror are reachable) and nothing else of the host."""

    def __init__(self, path: Path):
        self.path = path
        self.mounts: list[Path] = []

    def mount(self) -> None:
        shutil.copyfile("/etc/resolv.conf", self.path / "etc/resolv.conf")
        (self.path / "etc/apt/sources.list").write_text(f"deb {MIRROR} bookworm main\n")
        subprocess.run(["mount", "-t", "proc", "proc", str(self.path / "proc")], check=True)
        self.mounts.append(self.path / "proc")
        # The host's /dev with its pts: tmux's terminal must exist inside the root as well.
        subprocess.run(["mount", "--rbind", "/dev", str(self.path / "dev")], check=True)
        subprocess.run(["mount", "--make-rslave", str(self.path / "dev")], check=True)
        self.mounts.append(self.path / "dev")

    def unmount(self) -> None:
        for point in reversed(self.mounts):
            subprocess.run(["umount", "-R", "-l", str(point)], check=False)
        self.mounts.clear()

    def chroot_argv(self, *argv: str) -> list[str]:
        return ["chroot", str(self.path), "/usr/bin/env", "-i", *(f"{k}={v}" for k, v in ROOT_ENV.items()), *argv]

    def sh(self, script: str, check: bool = True, timeout: float = 600):
        """Runs a shell script inside the root, stdin closed; returns the CompletedProcess (text)."""
        p = subprocess.run(self.chroot_argv("/bin/sh", "-c", script), stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, timeout=timeout)
        if check and p.returncode != 0:
            raise AssertionError(f"in the root: {script}\nexit {p.returncode}\nstdout:\n{p.stdout}\n"
                                 f"stderr:\n{p.stderr}")
        return p

    def file(self, inside: str) -> Path:
        """The host's path of a path inside the root."""
        return self.path / inside.lstrip("/")

    def installed(self, package: str) -> bool:
        p = self.sh(f"dpkg-query -W -f='${{Status}}' {package} 2>/dev/null", check=False)
        return p.stdout.strip() == "install ok installed"


@pytest.fixture(scope="session")
def deb() -> Path:
    path = Path(env_required("RNMU_DEB"))
    if not path.is_file():
        pytest.fail(f"{path} does not exist: run scripts/package.sh first", pytrace=False)
    return path


@pytest.fixture(scope="session")
def debian_root() -> DebianRoot:
    if os.geteuid() != 0:
        pytest.fail("the package suite runs as root (debootstrap, chroot, mount)", pytrace=False)
    CACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run(["bash", str(ROOT / "scripts/debian-root.sh"), str(PRISTINE)], check=True)
    runs = CACHE / "roots"
    runs.mkdir(exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix="bookworm.", dir=runs))
    subprocess.run(["tar", "-C", str(path), "--numeric-owner", "-xf", str(PRISTINE)], check=True)
    path.chmod(0o755)  # the root's /: mkdtemp made it 0700, and Synapse's user must reach its files
    root = DebianRoot(path)
    root.mount()
    try:
        root.sh("apt-get update -qq")
        yield root
    finally:
        root.unmount()
        # Only once nothing is mounted inside it any more, or rm would reach into the host's /dev.
        if not any(m.is_mount() for m in (path / "proc", path / "dev")):
            shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def pg() -> PG:
    env_required("TEST_PG_URL")
    return PG.from_env()
