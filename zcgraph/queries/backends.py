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

    def places(self, applications: list[str], meetings: list[str], units: list[str] = (),
               persons: list[str] = ()) -> dict[str, dict[str, dict[str, Any]]]: ...


def _place_rows(apps: list[dict[str, Any]], meetings: list[dict[str, Any]], units: list[dict[str, Any]] = (),
                persons: list[dict[str, Any]] = ()) -> dict[str, dict[str, dict[str, Any]]]:
    """Where and when applications and meetings sit: {"applications": {id: {committee_id, year, meetings}},
    "meetings": {id: {committee_id, year, held_on}}} with plain values (dates as ISO text), alike on both backends."""
    def plain(v: Any) -> Any:
        if v is None or (not isinstance(v, (list, tuple)) and pd.isna(v)):  # None, NaN, NaT and pd.NA alike
            return None
        if hasattr(v, "isoformat"):
            return v.isoformat()[:10]
        if hasattr(v, "item"):
            return v.item()
        return v
    out: dict[str, dict[str, dict[str, Any]]] = {"applications": {}, "meetings": {}, "units": {}, "persons": {}}
    for r in apps:
        a = out["applications"].setdefault(str(r["application_id"]), {"committee_id": plain(r.get("committee_id")),
                                                                        "year": plain(r.get("year")), "meetings": []})
        a["meetings"] = sorted({*a["meetings"], *(str(m) for m in r.get("meetings") or [] if plain(m) is not None)})
    for r in meetings:
        out["meetings"][str(r["meeting_id"])] = {k: plain(r.get(k)) for k in ("committee_id", "year", "held_on")}
    for r in units:
        out["units"][str(r["unit_key"])] = {"name": plain(r.get("name"))}
    for r in persons:
        out["persons"][str(r["person_key"])] = {"name": plain(r.get("name")), "id_number": plain(r.get("id_number"))}
    return out


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

    def places(self, applications: list[str], meetings: list[str], units: list[str] = (),
               persons: list[str] = ()) -> dict[str, dict[str, dict[str, Any]]]:
        a = self.store.nodes["Application"]
        a = a[a["application_id"].isin(set(applications))]
        dec = self.store.rels["DECIDED_IN"]
        met = dec[dec["src"].isin(set(a["application_key"]))].groupby("src")["dst"].apply(list)
        apps = [{"application_id": r.application_id, "committee_id": r.committee_id, "year": r.year,
                 "meetings": met.get(r.application_key, [])} for r in a.itertuples()]
        m = self.store.nodes["Meeting"]
        m = m[m["meeting_id"].isin(set(meetings))]
        u = self.store.nodes["Unit"]
        u = u[u["unit_key"].isin(set(units))]
        p = self.store.nodes["Person"]
        p = p[p["person_key"].isin(set(persons))]
        return _place_rows(apps, m[["meeting_id", "committee_id", "year", "held_on"]].to_dict("records"),
                           u[["unit_key", "name"]].to_dict("records"),
                           p.reindex(columns=["person_key", "name", "id_number"]).to_dict("records"))


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

    PLACES = ("UNWIND $applications AS aid MATCH (a:Application {application_id: aid}) "
              "OPTIONAL MATCH (a)-[:DECIDED_IN]->(m:Meeting) "
              "RETURN a.application_id AS application_id, a.committee_id AS committee_id, a.year AS year, "
              "collect(m.meeting_id) AS meetings",
              "UNWIND $meetings AS mid MATCH (m:Meeting {meeting_id: mid}) "
              "RETURN m.meeting_id AS meeting_id, m.committee_id AS committee_id, m.year AS year, m.held_on AS held_on",
              "UNWIND $units AS uk MATCH (u:Unit {unit_key: uk}) RETURN u.unit_key AS unit_key, u.name AS name",
              "UNWIND $persons AS pk MATCH (p:Person {person_key: pk}) "
              "RETURN p.person_key AS person_key, p.name AS name, p.id_number AS id_number")

    def places(self, applications: list[str], meetings: list[str], units: list[str] = (),
               persons: list[str] = ()) -> dict[str, dict[str, dict[str, Any]]]:
        from neo4j import RoutingControl

        out = []
        for q in self.PLACES:
            records, _, _ = self.driver.execute_query(q, parameters_={"applications": applications, "meetings": meetings,
                                                                     "units": list(units), "persons": list(persons)},
                                                      database_=self.database, routing_=RoutingControl.READ)
            out.append([{k: (v.to_native() if hasattr(v, "to_native") else v) for k, v in r.data().items()}
                        for r in records])
        return _place_rows(*out)
