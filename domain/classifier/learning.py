"""Learning from the company: retrain on the shipped corpus plus the corrections people made in
Slack, and put the new model to work only if it does at least as well on the company's held-back
corrections as the one in use, and at most `GUIDE_NOISE` (1 %) worse on the shipped test split. Every model is kept (`classifier_models`)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import func
from sqlmodel import select

from domain.classifier import classifier_for
from domain.classifier.classify import Classifier
from domain.classifier.corpus import shipped
from domain.classifier.evaluation import evaluate, score
from domain.classifier.store import active_model_id, company_examples, save_model
from domain.classifier.training import fit
from domain.lifecycle.view import as_utc
from domain.policy import Policy
from domain.unit_of_work import claim_key
from models import ClassifierExample, ClassifierModel, ProcessedRequest

# With this many corrections or more, every fifth is held back to judge the new model on the
# company's own messages too; fewer are all learned from (each one counts).
HOLD_BACK_FROM = 20
# How far below the model in use a new one may fall on the guide's test split (a share of its
# messages, at least one) and still count as "as good": one correction weighing five examples moves
# a message or two either way; careless corrections cost tens (tests/test_classifier_learning.py).
GUIDE_NOISE = 0.01


@dataclass(frozen=True)
class Training:
    model_id: int
    active: bool
    previous_id: int | None  # the model in use before (None: the shipped baseline)
    new: dict  # held-back report of the new model
    old: dict  # ... and of the one in use
    examples: int
    company: int


def at_least_as_good(new_guide: dict, old_guide: dict, new_own: dict | None, old_own: dict | None) -> bool:
    """On the company's own held-back corrections, at least as many all right; on the guide's test
    split, no fewer beyond `GUIDE_NOISE` of its messages. A correction that teaches the company's
    convention moves a message or two of the guide's split either way; a wrong or careless one costs
    many more and is refused."""
    if new_own is not None and score(new_own) < score(old_own):
        return False
    n = new_guide["n"]
    allowance = max(1, round(n * GUIDE_NOISE)) / n
    return new_guide["accuracy"]["all"] >= old_guide["accuracy"]["all"] - allowance - 1e-9


def retrain(db, policy: Policy, now: datetime) -> Training:
    with db.session() as s:
        company = company_examples(s)
        previous_id = active_model_id(s)
    held = [e for n, (_, e) in enumerate(company) if len(company) >= HOLD_BACK_FROM and n % 5 == 4]
    learn = [e for n, (_, e) in enumerate(company) if not (len(company) >= HOLD_BACK_FROM and n % 5 == 4)]
    examples = shipped("train") + learn
    model = fit(policy, examples)
    # The shipped test split judges, it never trains; the held-back corrections judge with it.
    held_back = shipped("test") + held
    new, old = Classifier(policy, model), classifier_for(policy, db)
    new_report, old_report = evaluate(new, held_back), evaluate(old, held_back)
    active = at_least_as_good(evaluate(new, shipped("test")), evaluate(old, shipped("test")),
                              evaluate(new, held) if held else None, evaluate(old, held) if held else None)
    with db.session() as s:
        row = save_model(s, model, scores={"new": new_report["accuracy"], "old": old_report["accuracy"],
                                           "held_back": len(held_back)},
                         active=active, company=len(learn), now=now)
        model_id = row.id
    return Training(model_id, active, previous_id, new_report, old_report, len(examples), len(learn))


# The nightly run: between these hours (company time), once per night, and only when someone
# corrected a classification since the newest model.
NIGHTLY_FROM, NIGHTLY_UNTIL = time(2, 0), time(5, 0)


def nightly_key(db, policy: Policy, now: datetime) -> str | None:
    """Tonight's key when tonight's training is due, else None."""
    local = now.astimezone(policy.tz)
    if not NIGHTLY_FROM <= local.time() < NIGHTLY_UNTIL:
        return None
    key = f"classifier-train:{local.date().isoformat()}"
    with db.session() as s:
        if s.get(ProcessedRequest, key) is not None:
            return None
        newest_example = s.exec(select(func.max(ClassifierExample.updated_at))).one()
        newest_model = s.exec(select(func.max(ClassifierModel.created_at))).one()
    if newest_example is None or (newest_model is not None and as_utc(newest_model) >= as_utc(newest_example)):
        return None
    return key


def claim_night(db, key: str, now: datetime) -> bool:
    """The night is claimed before the work is queued: two schedulers queue one training. Were the
    queue down at that moment, that night is skipped; the next one trains on everything."""
    with db.session() as s:
        return claim_key(s, key, now)
