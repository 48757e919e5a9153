"""The in-process Neo4j 5.26 for tests and benchmarks (``tools/neo4j-launcher``: Maven Central artifacts run
with ``java -cp``, Bolt on 127.0.0.1, auth off, a throw-away store). Not for real data: use docker-compose.yml.

``ZCGRAPH_NEO4J_URI`` (with ``ZCGRAPH_NEO4J_USER``/``ZCGRAPH_NEO4J_PASSWORD``) points at a running server instead.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

__all__ = ["LAUNCHER", "LocalNeo4j", "Neo4jUnavailable", "admin_import", "clean_stale_stores"]

LAUNCHER = Path(__file__).resolve().parents[2] / "tools" / "neo4j-launcher"
ADD_OPENS = [f"--add-opens=java.base/{p}=ALL-UNNAMED" for p in (
    "java.lang", "java.lang.invoke", "java.lang.reflect", "java.io", "java.nio", "java.util",
    "java.util.concurrent", "java.util.concurrent.atomic", "java.net", "sun.nio.ch", "sun.nio.fs", "jdk.internal.misc",
    "jdk.internal.ref", "jdk.internal.util")] + ["--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
                                                 "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"]


class Neo4jUnavailable(RuntimeError):
    """No server could be started; the message says why."""


def _classpath() -> str:
    lib = LAUNCHER / "target" / "lib"
    classes = LAUNCHER / "target" / "classes"
    if not shutil.which("java"):
        raise Neo4jUnavailable("java is not on PATH")
    if not lib.is_dir() or not classes.is_dir():
        raise Neo4jUnavailable(f"the launcher is not built (run: mvn -q -f {LAUNCHER / 'pom.xml'} package)")
    return f"{classes}{os.pathsep}{lib}/*"


def admin_import(home: str | Path, csv_dir: str | Path, args: list[str], heap: str = "2g") -> str:
    """``neo4j-admin database import full`` (the ``AdminTool`` of the same 5.26 artifacts) into the store under
    ``home``, which :class:`LocalNeo4j` can then serve (``LocalNeo4j(home=...)``). ``args`` start after
    ``neo4j-admin``; file names are relative to ``csv_dir``. Returns the tool's output; raises on failure."""
    Path(home, "conf").mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(Path(home, "conf"))}
    cmd = [shutil.which("java") or "java", f"-Xmx{heap}", *ADD_OPENS, "-cp", _classpath(), "org.neo4j.cli.AdminTool",
           *args]
    done = subprocess.run(cmd, cwd=csv_dir, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"neo4j-admin import failed ({done.returncode}):\n{(done.stdout + done.stderr)[-3000:]}")
    return done.stdout


PREFIX = "zcgraph-neo4j-"
PIDFILE = "zcgraph-launcher.pid"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale_stores(tmp: str | Path | None = None) -> list[Path]:
    """Remove the throw-away stores of test servers that were killed (kill -9 leaves them, and a long day of them
    fills the disk): a ``zcgraph-neo4j-*`` folder whose launcher is no longer running. A folder without its pid
    file yet is a server still starting, and is left. Returns what was removed."""
    removed = []
    for d in Path(tmp or tempfile.gettempdir()).glob(PREFIX + "*"):
        pidfile = d / PIDFILE
        try:
            pid = int(pidfile.read_text().strip())
        except (OSError, ValueError):
            continue
        if not _alive(pid):
            shutil.rmtree(d, ignore_errors=True)
            removed.append(d)
    return removed


class LocalNeo4j:
    def __init__(self, heap: str = "1g", home: str | Path | None = None) -> None:
        """``home``: serve that store (e.g. after :func:`admin_import`) and keep it; by default a throw-away one."""
        self.heap = heap
        self.proc: subprocess.Popen[str] | None = None
        self.keep = home is not None
        self.home: str | None = str(home) if home is not None else None
        self.uri = ""
        self.auth: tuple[str, str] | None = None

    def start(self) -> "LocalNeo4j":
        uri = os.environ.get("ZCGRAPH_NEO4J_URI")
        if uri and not self.keep:
            self.uri = uri
            self.auth = (os.environ.get("ZCGRAPH_NEO4J_USER", "neo4j"), os.environ.get("ZCGRAPH_NEO4J_PASSWORD", ""))
            return self
        cp = _classpath()
        if self.home is None:
            clean_stale_stores()
            self.home = tempfile.mkdtemp(prefix=PREFIX)
        cmd = [shutil.which("java") or "java", f"-Xmx{self.heap}", *ADD_OPENS, "-cp", cp, "zcgraph.Launcher", self.home, "0"]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, bufsize=1)
        deadline = time.monotonic() + 180
        seen: list[str] = []
        assert self.proc.stdout is not None
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.proc.stdout], [], [], 1.0)
            if ready:
                line = self.proc.stdout.readline()
                if not line:
                    break
                seen.append(line.rstrip())
                if line.startswith("BOLT "):
                    self.uri = line.split()[1]
                    Path(self.home, PIDFILE).write_text(str(self.proc.pid))  # whose store this is, for the cleanup
                    return self
            elif self.proc.poll() is not None:
                break
        self.stop()
        raise Neo4jUnavailable("the in-process Neo4j did not start:\n" + "\n".join(seen[-20:]))

    def stop(self) -> None:
        if self.proc is not None:
            try:
                if self.proc.stdin:
                    self.proc.stdin.close()  # the launcher exits cleanly when stdin closes
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
            self.proc = None
        if self.home and not self.keep:
            shutil.rmtree(self.home, ignore_errors=True)
            self.home = None
