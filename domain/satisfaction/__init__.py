"""Customer satisfaction (seed 000, docs/satisfaction.md): score A from the yearly survey, score B
from the policy's deduction-and-bonus table over the customer's year, their weighted composite, and
the improvement action when an item or the composite falls below the threshold.

survey.py records and rates the survey (at the policy's moments), performance.py finds B's events
(one line per event), score.py puts the figures together, improvement.py queues the QM's DM and
opens the task, tasks.py tracks the improvement action, entries.py records manual events (confirmed
by the QM), reminders.py reminds sales of the survey moments, work.py is the desk's capability."""
from domain.satisfaction.entries import add_entry  # noqa: F401
from domain.satisfaction.errors import MayNotRecord, SatisfactionRefused, UnknownCustomer  # noqa: F401
from domain.satisfaction.improvement import enqueue_improvement  # noqa: F401
from domain.satisfaction.score import Score, improvement_due, score  # noqa: F401
from domain.satisfaction.survey import LEVELS, record_survey  # noqa: F401
