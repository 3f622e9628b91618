"""Processes the Slack requests the web process stored (the inbox), and the periodic sweep."""
from __future__ import annotations

from datetime import timedelta

import dramatiq

from workers.broker import broker  # noqa: F401
from workers.runtime import current_service


@dramatiq.actor(queue_name="requests", max_retries=0)
def process_request(row_id: int) -> None:
    # Retries are the inbox's (durable, with back-off), not dramatiq's, so a retry survives Redis.
    current_service().run_request(row_id)


def enqueue_request(row_id: int, delay_seconds: float = 0) -> None:
    process_request.send_with_options(args=(row_id,), delay=int(delay_seconds * 1000) or None)


@dramatiq.actor(queue_name="requests", max_retries=0)
def sweep() -> None:
    """Once a minute: requests and messages left pending (Redis restarted, a worker died, Slack was
    down), proposals nobody confirmed (a reminder; an AA complaint is filed, marked unconfirmed), and
    the SLA tick: deadlines whose reminder or escalation is due; and the reports due (weekly digest,
    monthly report, annual analysis)."""
    from domain import inbox
    from domain.classifier.learning import claim_night, nightly_key
    from domain.health import SWEEP, beat

    service = current_service()
    now = service.rt.clock.now()
    with service.rt.db.session() as s:
        due = inbox.due_ids(s, now, service.rt.settings.claim_lease)
    for row_id in due:
        service.run_request(row_id)
    with service.rt.db.session() as s:  # the raw requests processed longer ago than the policy keeps them
        inbox.purge_processed(s, now, timedelta(days=service.rt.policy.retention.inbound_days))
    if service.rt.settings.on_teams:  # the files Teams messages linked, once their links expired
        from bot.teams.files import purge_expired
        purge_expired(service.rt, now)
    service.rt.desk.sweep_drafts(now)
    service.rt.desk.tick(now)  # reminders and escalations due by now (domain/sla/tick.py)
    service.rt.desk.queue_reports(now)  # digests and reports due by now, once each (domain/reports/schedule.py)
    service.rt.desk.check_all(now)  # once a day: satisfaction under the threshold reaches the QM
    service.flush(None)
    with service.rt.db.session() as s:  # the scheduler's sign of life (GET /healthz): this sweep finished
        beat(s, SWEEP, now)
    night = nightly_key(service.rt.db, service.rt.policy, now)
    if night is not None and claim_night(service.rt.db, night, now):  # retrain on the day's corrections
        from workers.classifier import train_classifier
        train_classifier.send()
