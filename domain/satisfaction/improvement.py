"""The improvement action (seed 000: any item or the composite below the threshold): a DM to each
quality manager, queued in the outbox in the transaction that recorded the survey, and a tracked
task for sales (domain/satisfaction/tasks.py) when none is open for the customer's period."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlmodel import Session

from domain import outbox
from domain.policy import Policy
from domain.satisfaction.score import Score, improvement_due
from domain.satisfaction.tasks import open_task
from domain.unit_of_work import claim_key

INTENT = "improvement_action"


def improvement_data(score: Score, policy: Policy) -> dict:
    """Everything the DM says, so the message is drawn from the row alone (labels in both languages)."""
    return {"customer_id": score.customer_id, "customer": score.customer, "customer_names": score.customer_names,
            "year": score.year, "moment": score.moment, "a": score.a, "b": score.b, "composite": score.composite,
            "threshold": policy.satisfaction.threshold, "below": improvement_due(score, policy),
            "items": {r.item: {"label": policy.satisfaction.items[r.item].model_dump(), "rate": r.rate,
                               "answers": r.answers} for r in score.items}}


def figures_digest(data: dict) -> str:
    """A short fingerprint of the figures: the same survey recorded again gives the same one (the QM
    is told once), a changed one another (told again)."""
    figures = {k: data[k] for k in ("a", "b", "composite", "below")}
    figures["rates"] = {item: v["rate"] for item, v in data["items"].items()}
    return hashlib.sha1(json.dumps(figures, sort_keys=True).encode()).hexdigest()[:12]


def enqueue_improvement(session: Session, policy: Policy, score: Score, now: datetime,
                        quality_managers: list[str]) -> list[int]:
    """Queue one DM per quality manager when something is below the threshold, and open the task
    for sales when these figures are new and no task is open; the ids of the DM rows queued now
    (none when nothing is below, or these figures were already sent)."""
    data = improvement_data(score, policy)
    if not data["below"]:
        return []
    digest = figures_digest(data)
    period = str(score.year) if score.moment == "year_end" else f"{score.year}-{score.moment}"  # year-end keys as before
    queued = []
    for qm in dict.fromkeys(quality_managers):
        row = outbox.enqueue(session, key=f"satisfaction-improvement:{score.customer_id}:{period}:{digest}:{qm}",
                             intent=INTENT, channel=qm, user=qm, now=now, locale=policy.company.language, data=data)
        if row is not None:
            queued.append(row)
    # new figures (once per set, like the DM; a key of its own so a policy without a QM still opens it)
    if claim_key(session, f"satisfaction-improvement:{score.customer_id}:{period}:{digest}:task", now):
        open_task(session, policy, data, score.moment, now)
    return queued
