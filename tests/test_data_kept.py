"""What the bot keeps of what Slack sends it: no credentials, no reply from a thread that is no
complaint's, and no raw request longer than the policy says (docs/architecture.md, "Data kept")."""
from __future__ import annotations

import json
import stat
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.spool import Spool
from models import DiscussionMessage, FeedbackItem, InboundRequest
from tests.test_flows import FLOOR, QUALITY, SALES, eph
from workers.requests import sweep

QE = "U0QZHOU"


def _rows(h) -> dict[str, InboundRequest]:
    with h.rt.db.session() as s:
        return {r.key: r for r in s.exec(select(InboundRequest))}


def _file(h):
    h.slack.command(SALES, FLOOR, "Geely: connectors cracked at incoming, 40 pcs")
    eph(h, SALES, "VOC-1")
    [parent] = h.ws.wait_for(lambda: h.ws.channel_messages(QUALITY))
    return parent


@pytest.mark.parametrize("db_url", ["postgresql", "sqlite"], indirect=True)
def test_a_reply_in_a_thread_that_is_no_items_is_stored_without_its_text_and_no_payload_keeps_the_token(harness):
    h = harness
    parent = _file(h)
    h.slack.reply(QE, QUALITY, parent.ts, "Sorting started, 3 of 40 bad")
    other, _ = h.slack.reply(SALES, FLOOR, "1.0", "my salary is 12000 a month", files=["payslip.pdf"])
    h.join()
    rows = _rows(h)
    unrelated = rows[f"reply:{FLOOR}:{other.ts}"]
    stored = json.dumps(unrelated.payload)
    assert "salary" not in stored and "payslip" not in stored and unrelated.status == "done"
    assert unrelated.payload["event"]["ts"] == other.ts  # which message it was stays accounted for
    assert all("legacy-verification-token" not in json.dumps(r.payload) for r in rows.values())
    kept = [r for r in rows.values() if r.key.startswith(f"reply:{QUALITY}:")]
    assert len(kept) == 1 and "3 of 40 bad" in json.dumps(kept[0].payload)  # a complaint's discussion keeps its text
    with h.rt.db.session() as s:
        assert [d.text for d in s.exec(select(DiscussionMessage))] == ["Sorting started, 3 of 40 bad"]


def test_a_reply_stored_text_free_whose_thread_became_an_items_is_fetched_from_slack(harness):
    """The reply came while the item's thread parent was posted but its ts not yet recorded."""
    h = harness
    parent = _file(h)
    with h.rt.db.session() as s:
        s.get(FeedbackItem, h.items()[0].id).thread_ts = None  # the worker has not recorded it yet
    h.service.enqueue = lambda row_id, delay: None  # the worker takes it a moment later (the sweep)
    msg, _ = h.slack.reply(QE, QUALITY, parent.ts, "Customer called back, line runs again")
    [row] = h.ws.wait_for(lambda: [r for k, r in _rows(h).items() if k.startswith("reply:")])
    assert "line runs again" not in json.dumps(row.payload)
    with h.rt.db.session() as s:
        s.get(FeedbackItem, h.items()[0].id).thread_ts = parent.ts  # ... and now it has
    sweep.send()
    h.join()
    with h.rt.db.session() as s:
        assert [(d.ts, d.text) for d in s.exec(select(DiscussionMessage))] == [(msg.ts, "Customer called back, line runs again")]


def _swept_to_its_end(h) -> None:
    """A sweep, waited for until its heartbeat (the last thing it writes; the database holds no earlier
    one): h.join() alone can return between the request the sweep ran and the purge after it, as it
    did once on a loaded machine."""
    from domain.health import SWEEP
    from models import Heartbeat

    sweep.send()

    def finished() -> bool:
        with h.rt.db.session() as s:
            return s.get(Heartbeat, SWEEP) is not None

    h.ws.wait_for(finished)
    h.join()


def test_processed_requests_are_deleted_after_the_policys_retention_and_others_stay(harness):
    h = harness
    _file(h)
    h.join()
    filed = set(_rows(h))
    h.clock.advance(timedelta(days=h.rt.policy.retention.inbound_days) - timedelta(hours=1))
    h.slack.command(SALES, FLOOR, "BYD: labels missing on 2 boxes")
    h.join()
    h.service.enqueue = lambda row_id, delay: None
    h.slack.command(SALES, FLOOR, "Geely: a third one, waiting for a worker")
    h.ws.wait_for(lambda: [r for r in _rows(h).values() if r.status == "pending"])
    h.clock.advance(timedelta(hours=2))
    _swept_to_its_end(h)
    left = _rows(h)
    assert filed and not filed & set(left)  # older than the retention: gone
    assert len(left) == 2 and {r.status for r in left.values()} == {"done"}  # younger (and the one just done) stay
    assert len(h.items()) == 3  # the items they became are kept


def test_the_spool_directory_and_files_are_the_bot_users_alone(tmp_path):
    loose = tmp_path / "spool"
    loose.mkdir(mode=0o755)
    loose.chmod(0o755)
    fresh = tmp_path / "new" / "spool"
    for directory in (loose, fresh):
        spool = Spool(directory)
        spool.append([("slash:T:1", "slash.feedback", {"text": "Geely: cracked"})])
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700
        assert stat.S_IMODE(spool.path.stat().st_mode) == 0o600
        spool.close()
