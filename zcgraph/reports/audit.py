"""Where zcgraph keeps its installation files (the lead-id secret, the audit log), and the audit log itself.

Every ``find-conflicts`` and ``report`` run appends one JSON line: time, user, command, data fingerprint,
parameters, whether ``--reveal`` was used, and the lead count. ``ZCGRAPH_HOME`` moves the folder (default
``~/.zcgraph``); ``ZCGRAPH_AUDIT_LOG`` moves just the log.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any

__all__ = ["home_dir", "audit_path", "log_run"]


def home_dir() -> Path:
    return Path(os.environ.get("ZCGRAPH_HOME", Path.home() / ".zcgraph"))


def audit_path() -> Path:
    return Path(os.environ.get("ZCGRAPH_AUDIT_LOG", home_dir() / "audit.log"))


def log_run(command: str, result: dict[str, Any], out_file: Path | None = None) -> Path:
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        user = str(os.getuid())
    entry = {"time": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "user": user,
             "command": command, "argv": sys.argv[1:], "data_fingerprint": result.get("data_fingerprint"),
             "parameters": result.get("parameters"), "revealed": bool(result.get("revealed")),
             "leads": len(result.get("leads", [])), "out": str(out_file) if out_file else None}
    path = audit_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")
    return path
