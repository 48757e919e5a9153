"""One backend protocol, two implementations (after splink's DatabaseAPI).

A backend supplies only "the facts of this rule under these parameters"; the
runner owns validation, skipping, lead building and ordering. A gap raises an
error that names the backend and the rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

import pandas as pd

from ..graph.store import Store
from .catalog import Rule
from .context import EmbeddedContext

if TYPE_CHECKING:
    from neo4j import Driver

__all__ = ["Backend", "EmbeddedBackend", "Neo4jBackend", "BackendError"]


class BackendError(Exception):
    def __init__(self, backend: str, rule: str, cause: BaseException) -> None:
        super().__init__(f"{backend} 后端运行规则 {rule} 失败: {type(cause).__name__}: {cause}")
        self.backend = backend
        self.rule = rule


class Backend(Protocol):
    name: str

    def has(self, need: str) -> bool: ...

    def facts(self, rule: Rule, params: dict[str, Any]) -> pd.DataFrame | list[dict[str, Any]]: ...


class _PresenceMixin:
    present: dict[str, list[str]]
    latest_date: str | None = None
    applications: int | None = None

    def has(self, need: str) -> bool:
        table, _, column = need.partition(".")
        return table in self.present and (not column or column in self.present[table])


class EmbeddedBackend(_PresenceMixin):
    """NetworkX + pandas over a :class:`Store` (no server)."""

    name = "networkx"

    def __init__(self, store: Store) -> None:
        self.store = store
        self.ctx = EmbeddedContext(store)
        self.present = store.meta.get("present", {})
        self.latest_date = store.meta.get("latest_date")
        self.applications = len(store.nodes["Application"])  # the run summary's yardstick

    def facts(self, rule: Rule, params: dict[str, Any]) -> pd.DataFrame:
        try:
            return rule.facts(self.ctx, params)
        except Exception as e:  # noqa: BLE001 - wrapped with the backend and rule named
            raise BackendError(self.name, rule.id, e) from e


class Neo4jBackend(_PresenceMixin):
    """The rule's Cypher over Bolt; values only as parameters; reads routed to readers."""

    name = "neo4j"

    def __init__(self, driver: "Driver", present: dict[str, list[str]], database: str | None = None,
                 latest_date: str | None = None, timeout: float | None = None,
                 applications: int | None = None) -> None:
        self.applications = applications  # the run summary's yardstick (from the store written)
        self.timeout = timeout  # seconds per rule query (the server ends the transaction); None: no limit
        self.driver = driver
        self.database = database
        self.present = present
        self.latest_date = latest_date

    def facts(self, rule: Rule, params: dict[str, Any]) -> list[dict[str, Any]]:
        from neo4j import Query, RoutingControl

        import datetime as dt

        params = {k: (dt.date.fromisoformat(v) if k == "as_of" and isinstance(v, str) else v) for k, v in params.items()}
        try:
            records, _, _ = self.driver.execute_query(Query(rule.cypher, timeout=self.timeout), parameters_=params,
                                                      database_=self.database, routing_=RoutingControl.READ)
        except Exception as e:  # noqa: BLE001
            raise BackendError(self.name, rule.id, e) from e
        return [r.data() for r in records]
