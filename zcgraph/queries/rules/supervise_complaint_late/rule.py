"""SUPERVISE-COMPLAINT-LATE: no response by the as-of date although the deadline passed, or a response after it
(complaint_days from accepted_on, else received_on; extension_days more when extended)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from zcgraph.queries.complaints import complaints
from zcgraph.queries.leads import step


def facts(ctx, params):
    c = complaints(ctx, params)
    c = c[c["overdue"]]
    start = pd.to_datetime(c["accepted_on"]).where(c["accepted_on"].notna(), pd.to_datetime(c["received_on"]))
    return pd.DataFrame({"complaint_id": c["complaint_id"], "start": start, "deadline": c["deadline"],
                         "responded_on": c["responded_on"], "extended": c["extended"], "as_of": params["as_of"],
                         "committee_id": c["committee_id"], "complaint_file": c["_file"], "complaint_row": c["_row"]})


def strength(rows):
    r = rows[0]
    end = dt.date.fromisoformat(r["responded_on"] or r["as_of"])
    return (end - dt.date.fromisoformat(r["deadline"])).days / 60


def text_fields(rows):
    r = rows[0]
    state = f"实际于{r['responded_on']}才反馈" if r["responded_on"] else f"截至{r['as_of']}仍未反馈"
    return {"state": state, "extended_text": "(已延期)" if r["extended"] else ""}


def path(rows, reveal):
    r = rows[0]
    return [step("Complaint", r["complaint_id"], None, source_file=r["complaint_file"], source_row=r["complaint_row"])]
