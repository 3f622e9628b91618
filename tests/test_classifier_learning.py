"""The classifier learns from the company: a classification corrected in Slack is stored as a
labelled example, `voc classifier train` fits a model on the corpus plus the corrections, and
the next similar message is classified the company's way (signed HTTP, emulator, PostgreSQL)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlmodel import select

from bot import action_ids as ids
from models import ClassifierExample, ClassifierModel

SALES, FLOOR = "U0SALESEMMA", "C0SALESFLOOR"
VOC = str(Path(sys.executable).parent / "voc")
ROOT = Path(__file__).resolve().parent.parent
FIRST = "Great Wall: the harness tape colour differs from the golden sample, please check why"
SIMILAR = "GWM: the tape colour on the harness differs from the golden sample"


def eph(h, needle, count=1):
    return h.ws.wait_for(lambda: len(found := [e for e in h.ws.ephemerals_for(SALES) if needle in json.dumps(e.blocks or []) + e.text])
                         >= count and found)[-1]


def train(db_url: str) -> subprocess.CompletedProcess:
    return subprocess.run([VOC, "classifier", "train"], capture_output=True, text=True, cwd=ROOT, timeout=300,
                          env={**os.environ, "DATABASE_URL": db_url, "SLACK_BOT_TOKEN": "xoxb-test"})


def test_a_correction_in_slack_changes_the_next_similar_classification_after_training(harness, db_url):
    h = harness
    h.slack.command(SALES, FLOOR, FIRST)
    proposal = eph(h, ids.EDIT_DRAFT)
    [draft] = h.items()
    assert draft.category == "quality"  # what the shipped model thinks
    h.slack.click(SALES, proposal, ids.EDIT_DRAFT)
    view = h.ws.wait_for(lambda: [v for v in h.ws.views.values() if v.user == SALES and v.open])[-1]
    h.slack.submit_view(SALES, view.id, {"category": "technical"})  # this company: a sample mismatch is engineering's
    h.ws.wait_for(lambda: h.items()[0].status == "received")
    with h.rt.db.session() as s:
        [example] = s.exec(select(ClassifierExample)).all()
    assert (example.text, example.category, example.source, example.actor) == (FIRST.split(": ", 1)[1], "technical", "correction", SALES)

    h.slack.command(SALES, FLOOR, SIMILAR)
    h.ws.wait_for(lambda: len(h.items()) == 2)
    assert h.items()[1].category == "quality"  # nothing learned before training

    done = train(db_url)
    assert done.returncode == 0, done.stderr
    assert "1 from the company's corrections" in done.stdout and "is now in use" in done.stdout
    with h.rt.db.session() as s:
        [model] = s.exec(select(ClassifierModel)).all()
    assert model.active and model.company_examples == 1 and model.scores["held_back"] >= 300

    h.slack.command(SALES, FLOOR, SIMILAR.replace("GWM", "BYD"))
    h.ws.wait_for(lambda: len(h.items()) == 3)
    assert h.items()[2].category == "technical"


def test_training_that_does_worse_keeps_the_model_in_use(harness, db_url):
    """Corrections that contradict the guide make a worse model: it is stored, not used."""
    h = harness
    from datetime import timedelta

    from domain.classifier.corpus import shipped

    now = h.clock.now()
    with h.rt.db.session() as s:
        for n, e in enumerate(shipped("test")[:60]):  # the held-back messages, labelled wrongly on purpose
            s.add(ClassifierExample(text=e.text, kind="praise", category="other", severity="B", source="correction",
                                    created_at=now + timedelta(seconds=n), updated_at=now + timedelta(seconds=n)))
    done = train(db_url)
    assert done.returncode == 0, done.stderr
    assert "kept model baseline in use" in done.stdout
    with h.rt.db.session() as s:
        [model] = s.exec(select(ClassifierModel)).all()
    assert not model.active and model.scores["new"]["all"] < model.scores["old"]["all"]
