"""dramatiq actors. `dramatiq workers` runs them; the broker comes from workers.broker."""
from workers.broker import broker  # noqa: F401  (must be set before any actor is declared)
from workers.outbox import deliver_outbox  # noqa: F401
from workers.requests import process_request, sweep  # noqa: F401
from workers.classifier import train_classifier  # noqa: F401
from workers.heartbeat import Heartbeat

broker.add_middleware(Heartbeat())
