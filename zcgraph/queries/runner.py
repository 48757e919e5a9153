"""Run rules on a backend and assemble the lead list (``leads.md``'s JSON form)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .backends import Backend, BackendError
from .cases import build_cases
from .catalog import Rule, load_catalog, select
from .leads import Lead, build_leads, canonical_facts, place_leads

__all__ = ["run_rules", "resolve_params", "rule_leads", "rule_failure", "ParamError", "DependencyError"]


class ParamError(ValueError):
    pass


class DependencyError(RuntimeError):
    """A rule that builds on another rule's facts (``uses``) when that rule failed."""


def resolve_params(rule: Rule, overrides: dict[str, Any], as_of: str | None = None) -> dict[str, Any]:
    """The rule's defaults, overridden by ``overrides[rule_id]`` or a bare ``overrides[name]``; plus the common
    parameters the rule's Cypher uses (the working-day calendar, the as-of date)."""
    params = dict(rule.spec.parameters)
    for name, value in {**{k: v for k, v in overrides.items() if not isinstance(v, dict)},
                        **overrides.get(rule.id, {})}.items():
        if name in params:
            default = params[name]
            if isinstance(default, bool) and not isinstance(value, bool):
                raise ParamError(f"{rule.id}: 参数 {name} 应为 true/false")
            if isinstance(default, (int, float)) and not isinstance(default, bool) and not isinstance(value, (int, float)):
                raise ParamError(f"{rule.id}: 参数 {name} 应为数值")
            params[name] = value
    if "$holidays" in rule.cypher or "$makeup_workdays" in rule.cypher:
        from .workdays import calendar_params  # the working-day calendar, for Cypher that counts working days

        params.update(calendar_params())
    if "$as_of" in rule.cypher:
        if not as_of:
            raise ParamError(f"{rule.id}: 需要核查基准日(--as-of),数据中也没有可用的日期")
        params["as_of"] = as_of
    return params


def rule_leads(backend: Backend, rule: Rule, params: dict[str, Any], reveal: bool = False, year: int | None = None,
               catalog: list[Rule] | None = None, cache: dict[str, Any] | None = None,
               overrides: dict[str, Any] | None = None, as_of: str | None = None,
               summary: dict[str, Any] | None = None) -> list[Lead]:
    """One rule's leads on one backend. A rule that ``uses`` others gets their facts (same backend, cached): first
    as parameters of its own query where it asks for them (``from_uses``: SCORE-TIED-OUTLIER looks only at the
    tied acts), then to ``combine`` with its facts."""
    deps: dict[str, Any] = {}
    if rule.spec.uses:
        for dep in select(catalog or load_catalog(), ",".join(rule.spec.uses)):
            if dep.id != rule.id and all(backend.has(n) for n in dep.spec.needs):
                try:
                    deps[dep.id] = canonical_facts(_facts(backend, dep, resolve_params(dep, overrides or {}, as_of),
                                                          cache))
                except Exception as e:  # noqa: BLE001 - named: this rule cannot be whole without that one's facts
                    raise DependencyError(f"依赖的规则 {dep.id} 运行失败({rule_failure(dep.id, e)['error']})") from e
    query_params = {**params, **rule.module.from_uses(deps)} if hasattr(rule.module, "from_uses") else params
    facts = _facts(backend, rule, query_params, cache)
    if rule.spec.uses:
        facts = rule.module.combine(canonical_facts(facts), deps, params)
    return build_leads(rule, facts, reveal=reveal, year=year, params=params, summary=summary)


def _summary_row(row: dict[str, Any], leads: int, applications: int | None) -> dict[str, Any]:
    """One rule's line of the run summary (rules.md, Grain and volume): facts examined, pairs tested (statistical
    rules), leads raised, and whether it raised more than one lead per hundred applications."""
    row["leads"] = leads
    row["miscalibrated"] = bool(applications) and 100 * leads > applications  # type: ignore[operator]
    return row


def rule_failure(rule_id: str, error: BaseException) -> dict[str, str]:
    """What the run records of a rule that raised: its id, the error's type and a one-line message (the
    backend's wrapper is unwrapped so the type names the real cause)."""
    cause = error.__cause__ if isinstance(error, BackendError) and error.__cause__ is not None else error
    message = " ".join(str(cause).split()) or type(cause).__name__
    return {"rule_id": rule_id, "error": type(cause).__name__, "message": message[:300]}


def _facts(backend: Backend, rule: Rule, params: dict[str, Any], cache: dict[str, Any] | None) -> Any:
    if cache is None:
        return backend.facts(rule, params)
    if rule.id not in cache:
        cache[rule.id] = backend.facts(rule, params)
    return cache[rule.id]


def run_rules(backend: Backend, rules: list[Rule], overrides: dict[str, Any] | None = None, year: int | None = None,
              reveal: bool = False, data_fingerprint: str = "", as_of: str | None = None,
              cache: dict[str, Any] | None = None) -> dict[str, Any]:
    """Every rule's leads, ranked. Facts are computed once per rule and shared with the rules that use them
    (``cache``: pass one dict to share them across several calls, as ``zcgraph bench`` does per family)."""
    overrides = overrides or {}
    as_of = as_of or overrides.get("as_of") or getattr(backend, "latest_date", None)
    leads: list[Lead] = []
    run, skipped, failed, used = [], [], [], {}
    summary: list[dict[str, Any]] = []
    applications = getattr(backend, "applications", None)
    cache = {} if cache is None else cache
    for rule in rules:
        missing = [n for n in rule.spec.needs if not backend.has(n)]
        if missing:
            skipped.append({"rule_id": rule.id, "reason": "缺少数据: " + "、".join(missing)})
            continue
        params = resolve_params(rule, overrides, as_of)
        row: dict[str, Any] = {"rule_id": rule.id}
        try:
            found = rule_leads(backend, rule, params, reveal=reveal, year=year, cache=cache, overrides=overrides,
                               as_of=as_of, summary=row)
        except Exception as e:  # noqa: BLE001 - one rule's defect is named and contained; the others still run
            failed.append(rule_failure(rule.id, e))
            continue
        leads += found
        summary.append(_summary_row(row, len(found), applications))
        run.append(rule.id)
        used[rule.id] = {k: v for k, v in params.items() if k not in ("holidays", "makeup_workdays")}
    places = getattr(backend, "places", None)
    if places is not None:
        place_leads(leads, places, reveal)
        if year is not None:  # a lead placed in another year by its meeting or applications is not this year's
            leads = [lead for lead in leads if lead.year in (None, year)]
    leads.sort(key=lambda lead: (-lead.score, lead.lead_id))
    dumped = [lead.model_dump() for lead in leads]
    cases = build_cases(dumped, {lead.lead_id: lead.parties for lead in leads})
    return {"generated_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "data_fingerprint": data_fingerprint, "backend": backend.name, "parameters": used,
            "rules_run": run, "rules_skipped": skipped, "rules_failed": failed, "applications": applications,
            "rule_summary": summary, "revealed": reveal, "as_of": as_of,
            "cases": cases, "leads": dumped}
