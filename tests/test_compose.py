"""docker-compose.yml: the official image at the launcher's Neo4j version, and no default password."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _compose() -> list[str]:
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    if os.environ.get("ZCGRAPH_REQUIRE_COMPOSE") == "1":
        pytest.fail("docker compose is required here (ZCGRAPH_REQUIRE_COMPOSE=1) but is not installed")
    pytest.skip("no docker compose client to check the file with")


def _config(env_auth: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "NEO4J_AUTH"}
    if env_auth is not None:
        env["NEO4J_AUTH"] = env_auth
    return subprocess.run([*_compose(), "-f", str(ROOT / "docker-compose.yml"), "config"], capture_output=True,
                          text=True, env=env, cwd=ROOT)


def test_compose_image_matches_the_test_server_version():
    pom = (ROOT / "tools" / "neo4j-launcher" / "pom.xml").read_text(encoding="utf-8")
    version = re.search(r"<neo4j.version>([^<]+)</neo4j.version>", pom).group(1)
    compose = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert f"image: neo4j:{version}-community" in compose
    assert version.startswith("5.26.")


def test_compose_config_accepts_the_file_with_a_password():
    r = _config("neo4j/a-Strong-pass-123")
    assert r.returncode == 0, r.stderr
    assert "neo4j:5.26" in r.stdout and "7687" in r.stdout and "healthcheck" in r.stdout


def test_compose_refuses_to_run_without_a_password():
    r = _config(None)
    assert r.returncode != 0
    assert "NEO4J_AUTH" in (r.stderr + r.stdout)
