"""Classifier: kind, category, severity and department of a message (docs/classifier.md).

- `rules`: the policy's vocabulary, with negation, near misses and stated facts; says why.
- `model`: linear models over character n-grams and the rules' hits, with calibrated confidence.
- `classify`: the two together, the guide's absolute rules last.
- `corpus`, `training`, `store`, `evaluation`: the labelled data, fitting, the company's models
  and examples in the database, and the numbers `voc classifier eval` prints.
"""
from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

from domain.classifier.rules import Reason, Result, Rules
from domain.policy import Policy

if TYPE_CHECKING:
    from domain.classifier.classify import Classifier

# scikit-learn (and scipy under it) is imported when a model is first needed, not when this package
# is: most processes never classify (voc web, the scheduler, voc tick, exports), and the import
# costs about a second of every start-up (docs/benchmarks.md).
__all__ = ["Classifier", "Reason", "Result", "Rules", "classifier_for"]


def __getattr__(name: str):
    if name == "Classifier":
        from domain.classifier.classify import Classifier
        return Classifier
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

log = logging.getLogger("voc.classifier")

_KEEP = 8
_cache: OrderedDict[tuple[int, int | None], Classifier] = OrderedDict()
_lock = threading.Lock()


def classifier_for(policy: Policy, db=None) -> Classifier:
    """The classifier for this policy with the company's active model (from `db`), or the
    baseline fit on the shipped corpus. One query per call tells whether a newer model is active."""
    model_id = None
    if db is not None:
        from domain.classifier.store import active_model_id
        with db.session() as s:
            model_id = active_model_id(s)
    key = (id(policy), model_id)
    with _lock:
        found = _cache.get(key)
        if found is not None and found.policy is policy:
            _cache.move_to_end(key)
            return found
    from domain.classifier.classify import Classifier
    from domain.classifier.training import baseline

    model = None
    if model_id is not None:
        model = _stored(db, model_id, policy)
        if model is None:
            model_id = None
    found = Classifier(policy, model or baseline(policy), model_id)
    with _lock:
        _cache[key] = found
        while len(_cache) > _KEEP:
            _cache.popitem(last=False)
    return found


def _stored(db, model_id: int, policy: Policy):
    """The company's model, when it can be used here: fit by the same model code and libraries on
    this policy's vocabulary. Otherwise None (the baseline classifies), never an error for intake."""
    import numpy as np
    import sklearn

    from domain.classifier.model import MODEL_CODE
    from domain.classifier.store import load_model
    from domain.classifier.training import policy_key

    try:
        with db.session() as s:
            model = load_model(s, model_id)
    except Exception as exc:
        log.warning("classifier model %s cannot be loaded (%s): using the baseline", model_id, exc)
        return None
    info = model.info
    expected = {"policy": policy_key(policy), "code": MODEL_CODE, "sklearn": sklearn.__version__, "numpy": np.__version__}
    stale = {k: (info.get(k), v) for k, v in expected.items() if info.get(k) != v}
    if stale:  # another vocabulary's rule features, or other code: retrain with `voc classifier train`
        log.warning("classifier model %s was fit elsewhere (%s): using the baseline", model_id, stale)
        return None
    return model
