"""``zcgraph neo4j serve``: a user's Neo4j with Browser on any machine, no Docker.

The same Neo4j Community 5.26 the tests use (``tools/neo4j-launcher``, Maven Central artifacts run with ``java
-cp``), started as a real server (``org.neo4j.server.CommunityEntryPoint``): a persistent store under a home
folder, Bolt and HTTP on 127.0.0.1, authentication on, and Neo4j Browser (``org.neo4j.client:neo4j-browser``
5.24.0, the newest Browser on Maven Central, which the 5.26 server serves at ``/browser/`` from its jar). zcgraph's
Browser style and guide go into a small jar beside it, so the server serves them at ``/browser/zcgraph/`` and
Browser applies them on connecting (``browser.post_connect_cmd``): an investigator types nothing before the
first picture.

The server runs in its own session (it survives the terminal closing) until ``zcgraph neo4j stop``; its pid and
ports are in ``HOME/run/zcgraph-serve.json``. The password is ``NEO4J_PASSWORD`` when given, else generated once
and kept in ``HOME/password`` (owner-only), shown once.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

from .local_neo4j import ADD_OPENS, LAUNCHER, Neo4jUnavailable, _alive, _classpath

__all__ = ["ServeError", "Served", "serve", "stop", "status", "RUNFILE"]

RUNFILE = Path("run") / "zcgraph-serve.json"
USER = "neo4j"


class ServeError(RuntimeError):
    """The server cannot be started (port in use, already running, no Java…) or stopped; the message says why."""


@dataclass
class Served:
    pid: int
    bolt: str
    http: str
    home: str
    started: float
    password_file: str | None = None

    @property
    def browser(self) -> str:
        return self.http + "/browser/"


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def status(home: Path) -> Served | None:
    """The server this home runs, if it is running (a run file of a killed server is removed)."""
    run = home / RUNFILE
    if not run.exists():
        return None
    info = Served(**json.loads(run.read_text(encoding="utf-8")))
    if _alive(info.pid):
        return info
    run.unlink(missing_ok=True)  # killed: nothing of it is left to claim the home
    return None


def _classpath_built() -> str:
    try:
        return _classpath()
    except Neo4jUnavailable:
        if not shutil.which("mvn"):
            raise
        done = subprocess.run(["mvn", "-q", "-B", "-f", str(LAUNCHER / "pom.xml"), "package", "-DskipTests"],
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise ServeError("构建 Neo4j 服务器失败(mvn package):\n" + (done.stdout + done.stderr)[-2000:])
        return _classpath()


def _browser_classpath(home: Path, cp: str, examples: dict | None = None) -> str:
    """The classpath with Neo4j Browser's jar replaced by a copy that also holds zcgraph's style, guide and
    queries under ``browser/zcgraph/``: the server serves ``/browser/`` from the one jar that has ``browser/``, so
    the files must be in it to be served (at ``/browser/zcgraph/``, same origin as Browser)."""
    from .browser import write_assets

    classes, lib = cp.split(os.pathsep)
    lib_dir = Path(lib.rstrip("*"))
    original = next(iter(sorted(lib_dir.glob("neo4j-browser-*.jar"))), None)
    if original is None:
        raise ServeError(f"{lib_dir} 中没有 Neo4j Browser(org.neo4j.client:neo4j-browser);请重新构建:"
                         f"mvn -q -f {LAUNCHER / 'pom.xml'} package")
    jar = home / "lib" / ("zcgraph-" + original.name)
    jar.parent.mkdir(parents=True, exist_ok=True)
    classpath = os.pathsep.join([classes, str(jar), *[str(j) for j in sorted(lib_dir.glob("*.jar")) if j != original]])
    if examples is None and jar.exists():  # restarted without data: the guide keeps the served data's examples
        return classpath
    with tempfile.TemporaryDirectory(prefix="zcgraph-assets-") as tmp:
        files = write_assets(Path(tmp), examples)
        with zipfile.ZipFile(original) as src, zipfile.ZipFile(jar, "w", zipfile.ZIP_DEFLATED) as z:
            for item in src.infolist():
                z.writestr(item, src.read(item))
            for f in files:
                z.write(f, "browser/zcgraph/" + f.relative_to(tmp).as_posix())
    return classpath


def _conf(home: Path, host: str, bolt_port: int, http_port: int, pagecache: str) -> None:
    http = f"http://{host}:{http_port}/browser/zcgraph"
    (home / "conf").mkdir(parents=True, exist_ok=True)
    (home / "conf" / "neo4j.conf").write_text("\n".join([
        "# written by zcgraph neo4j serve: loopback only, authentication on",
        f"server.default_listen_address={host}",
        f"server.bolt.listen_address={host}:{bolt_port}",
        f"server.http.listen_address={host}:{http_port}",
        "server.http.enabled=true",
        "server.https.enabled=false",
        "dbms.security.auth_enabled=true",
        f"server.memory.pagecache.size={pagecache}",
        f"browser.remote_content_hostname_whitelist={host},localhost",  # the 5.26 name of the allow-list
        f"browser.post_connect_cmd=style {http}/zcgraph.grass; play {http}/guide.html",
        "",
    ]), encoding="utf-8")


def generate_password(length: int = 20) -> str:
    """Letters and digits only: a generated password that began with '-' (token_urlsafe gives one in 64) was
    read by neo4j-admin as an option, and the first start failed."""
    import string

    return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(length))


def _password(home: Path, first: bool) -> tuple[str | None, bool]:
    """(the password, whether it was generated now). NEO4J_PASSWORD wins; a generated one is kept owner-only."""
    given = os.environ.get("NEO4J_PASSWORD")
    if given:
        return given, False
    kept = home / "password"
    if kept.exists():
        return kept.read_text(encoding="utf-8").strip(), False
    if not first:
        return None, False  # a store whose password zcgraph never held: the user knows it
    pw = generate_password()
    kept.touch(mode=0o600)
    kept.chmod(0o600)
    kept.write_text(pw, encoding="utf-8")
    return pw, True


def serve(home: Path, host: str = "127.0.0.1", bolt_port: int = 7687, http_port: int = 7474, heap: str = "1g",
          pagecache: str = "512m", timeout: float = 240, examples: dict | None = None
          ) -> tuple[Served, str | None, bool]:
    """Start the server for ``home`` in the background; returns (its details, the password, generated now?).
    ``examples``: the guide's example values from the data to be served (``browser.examples_from``)."""
    home = home.resolve()
    running = status(home)
    if running is not None:
        raise ServeError(f"{home} 的 Neo4j 已在运行(进程 {running.pid},{running.browser});"
                         "先 zcgraph neo4j stop 再启动")
    for name, port in (("Bolt", bolt_port), ("HTTP", http_port)):
        if not _port_free(host, port):
            raise ServeError(f"{host}:{port} 已被占用,无法在此端口提供 {name};"
                             f"请用 --{name.lower()}-port 换一个端口,或先停止占用它的程序")
    cp = _classpath_built()
    home.mkdir(parents=True, exist_ok=True)
    first = not (home / "data" / "dbms").exists()
    _conf(home, host, bolt_port, http_port, pagecache)
    password, generated = _password(home, first)
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    java = shutil.which("java") or "java"
    if first and password:
        done = subprocess.run([java, "-Xmx256m", *ADD_OPENS, "-cp", cp, "org.neo4j.cli.AdminTool", "dbms",
                               "set-initial-password", "--", password], env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise ServeError("设置初始密码失败:" + (done.stdout + done.stderr)[-800:])
    classpath = _browser_classpath(home, cp, examples)
    (home / "logs").mkdir(exist_ok=True)
    log = (home / "logs" / "zcgraph-serve.log").open("w", encoding="utf-8")
    proc = subprocess.Popen([java, f"-Xmx{heap}", *ADD_OPENS, "-cp", classpath,
                             "org.neo4j.server.CommunityEntryPoint", f"--home-dir={home}",
                             f"--config-dir={home / 'conf'}"],
                            env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)  # its own session: closing the terminal does not stop it
    log.close()
    info = Served(proc.pid, f"bolt://{host}:{bolt_port}", f"http://{host}:{http_port}", str(home), time.time(),
                  str(home / "password") if (home / "password").exists() else None)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = (home / "logs" / "zcgraph-serve.log").read_text(encoding="utf-8", errors="replace")[-2000:]
            raise ServeError(f"Neo4j 未能启动(退出码 {proc.returncode}):\n{tail}")
        try:
            with urllib.request.urlopen(info.browser, timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        os.killpg(proc.pid, signal.SIGKILL)
        raise ServeError(f"Neo4j 在 {timeout:.0f} 秒内没有就绪,已停止;日志:{home / 'logs'}")
    (home / RUNFILE).parent.mkdir(parents=True, exist_ok=True)
    (home / RUNFILE).write_text(json.dumps(asdict(info)), encoding="utf-8")
    return info, password, generated


def stop(home: Path, timeout: float = 90) -> Served | None:
    """Stop the server of ``home`` (SIGTERM: Neo4j shuts down cleanly; SIGKILL after ``timeout``), and remove
    its run file; None when none was running."""
    home = home.resolve()
    info = status(home)
    if info is None:
        return None
    try:
        os.killpg(info.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    deadline = time.monotonic() + timeout
    while _alive(info.pid) and time.monotonic() < deadline:
        try:  # reap it if it is our own child (a test): a zombie would look alive
            os.waitpid(info.pid, os.WNOHANG)
        except ChildProcessError:
            pass
        time.sleep(0.3)
    if _alive(info.pid):
        os.killpg(info.pid, signal.SIGKILL)
    (home / RUNFILE).unlink(missing_ok=True)
    return info
