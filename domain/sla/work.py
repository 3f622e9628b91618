"""The desk's SLA capability: the tick for a moment, and a snooze from a reminder's button."""
from __future__ import annotations

from datetime import datetime

from domain.errors import ItemNotFound
from domain.lifecycle.apply import ActionRefused, load_view
from domain.lifecycle.permissions import check
from domain.lifecycle.view import as_utc
from domain.roles import roles_of
from domain.sla import clocks
from domain.sla.tick import TickReport, tick
from domain.unit_of_work import ItemWork, Outcome, once_per_request
from models import Deadline, Event


class ClockWork(ItemWork):
    def tick(self, now: datetime, limit: int = 1000) -> TickReport:
        """Act on every clock due at `now` (the scheduler calls this once a minute; `voc tick --at`
        and the shell's /clock call it for the moment they name)."""
        with self.db.session() as s:
            return tick(s, self.policy, now, self.group_members, self.calendar, limit)

    @once_per_request
    def snooze(self, deadline_id: int, actor: str, request_key: str, choice: str) -> Outcome:
        """Put off a deadline's next reminder or escalation: 1 h, 4 h, or to the next working day.
        Who may is the lifecycle table's call (`snooze`: the item's department or a manager); what
        depends on the deadline is checked here: it must be running, and an AA deadline is never
        snoozed past its due moment, nor at all once it is overdue. The outcome carries the moment
        the next reminder or escalation will come (`next_action_at`, as the tick will act on it)."""
        now = self.clock.now()
        with self.db.session() as s:
            d = s.get(Deadline, deadline_id)
            if d is None:
                raise ItemNotFound(deadline=deadline_id)
            if self._seen(s, request_key, d.item_id, now):
                return Outcome("duplicate", d.item_id)
            item = self._item(s, d.item_id)
            decision = check(load_view(s, item.id), roles_of(self.policy, actor, self.group_members), self.policy,
                             "snooze", {"choice": choice})
            if not decision.allowed:
                raise ActionRefused(decision.refusal.code, **decision.refusal.params)
            if d.state != clocks.OPEN:
                raise ActionRefused("refusal.deadline_not_running", milestone=d.milestone)
            until = clocks.snooze_until(choice, self.calendar, now)
            due = as_utc(d.due_at)
            if item.severity == "AA":
                if now >= due:
                    raise ActionRefused("refusal.aa_overdue_no_snooze", milestone=d.milestone)
                until = min(until, due)
            d.snoozed_until = until
            clocks.schedule(d, item.severity, self.policy, self.calendar, now)
            s.add(d)
            s.add(Event(item_id=item.id, actor=actor, action="sla.snoozed", origin=request_key, at=now,
                        detail={"milestone": d.milestone, "choice": choice, "until": until.isoformat()}))
            # What to tell the person is what the tick will do: the moment the ladder looks again (a
            # later stage may be due after `until`: nothing comes before it), None if nothing is left.
            return Outcome("updated", item.id, {"snoozed_until": (None, until), "next_action_at": (None, as_utc(d.next_action_at))})
