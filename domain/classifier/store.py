"""The company's labelled examples and its trained models, in the database."""
from __future__ import annotations

import pickle
from datetime import datetime

from typing import TYPE_CHECKING

from sqlmodel import Session, select

from models import ClassifierExample, ClassifierModel, FeedbackItem

if TYPE_CHECKING:  # the model module imports scikit-learn: only where examples are read or models kept
    from domain.classifier.model import Example, Model

# A correction someone made in Slack weighs as much as this many corpus examples: the company's
# own usage is what the model must learn, and it is scarce.
CORRECTION_WEIGHT = 5.0


def record_example(s: Session, item: FeedbackItem, actor: str, source: str, now: datetime, *,
                   category: str | None = None) -> None:
    """The item's labels as a person left them (one row per item, its latest labels); `category`
    when the person's change implies one the item does not carry (a reassignment)."""
    # The classifier learns the problem's severity, never the level an urgency lifted (LABELING.md).
    labels = {"kind": item.kind, "category": category or item.category, "severity": item.problem_severity or item.severity}
    row = s.exec(select(ClassifierExample).where(ClassifierExample.item_id == item.id)).first()
    if row is None:
        row = ClassifierExample(item_id=item.id, text=item.text, source=source, actor=actor, created_at=now, updated_at=now,
                                **labels)
    else:
        row.source, row.actor, row.updated_at = source, actor, now
        for name, value in labels.items():
            setattr(row, name, value)
    s.add(row)


def company_examples(s: Session) -> list[tuple[int, Example]]:
    """Every labelled example except those of items withdrawn since (an undone report teaches nothing)."""
    from domain.classifier.model import Example

    withdrawn = select(FeedbackItem.id).where(FeedbackItem.status == "withdrawn")
    rows = s.exec(select(ClassifierExample).where(ClassifierExample.item_id.is_(None) | ClassifierExample.item_id.not_in(withdrawn))
                  .order_by(ClassifierExample.id)).all()
    return [(r.id, Example(r.text, r.kind, r.category, r.severity, weight=CORRECTION_WEIGHT)) for r in rows]


def active_model_id(s: Session) -> int | None:
    return s.exec(select(ClassifierModel.id).where(ClassifierModel.active).order_by(ClassifierModel.id.desc())).first()


def load_model(s: Session, model_id: int) -> Model:
    row = s.get(ClassifierModel, model_id)
    return pickle.loads(row.blob)  # written by save_model below, never from outside


def save_model(s: Session, model: Model, *, scores: dict, active: bool, company: int, now: datetime) -> ClassifierModel:
    if active:
        for old in s.exec(select(ClassifierModel).where(ClassifierModel.active)).all():
            old.active = False  # kept: an older model can be made active again
            s.add(old)
    row = ClassifierModel(created_at=now, active=active, examples=model.info["examples"], company_examples=company,
                          scores=scores, fingerprint=f'{model.info["policy"]}-{model.info["fingerprint"]}',
                          blob=pickle.dumps(model))
    s.add(row)
    s.flush()
    return row
