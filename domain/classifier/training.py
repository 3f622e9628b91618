"""Fitting models: the baseline from the shipped corpus (cached on disk, so each process pays for
it once per corpus and policy), and the company's own from the corpus plus its corrections."""
from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import tempfile
import threading
from pathlib import Path
from typing import Sequence

import numpy as np
import sklearn

from domain.classifier.corpus import shipped
from domain.classifier.model import MODEL_CODE, Example, Model, fingerprint, train
from domain.classifier.rules import Rules
from domain.policy import Policy

log = logging.getLogger("voc.classifier")
_lock = threading.Lock()
_baselines: dict[str, Model] = {}


def fit(policy: Policy, examples: Sequence[Example], *, calibrate: bool = True) -> Model:
    """The rules of this policy read every example (their hits are features), then the model is fit."""
    rules = Rules(policy)
    analyses = [rules.analyse(e.text) for e in examples]
    hard = {r.id: r.severity for r in policy.classification.severity_rules if r.hard}
    model = train(examples, [a.norm for a in analyses], [a.hits for a in analyses], hard, calibrate=calibrate,
                  costs=policy.classification.severity_costs.model_dump(),
                  aa_rules=frozenset(r.id for r in policy.classification.severity_rules if r.severity == "AA"),
                  aa_model_probability=policy.classification.aa_model_probability)
    model.info["policy"] = policy_key(policy)
    return model


def policy_key(policy: Policy) -> str:
    """What of the policy a model depends on: its classification vocabulary (not when to ask about
    AA, which is decided on the model's output: moving it does not refit)."""
    text = json.dumps(policy.classification.model_dump(mode="json", exclude={"aa_question_probability"}),
                      sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def cache_dir() -> Path:
    return Path(os.environ.get("VOC_MODEL_CACHE") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "voc-desk")


def baseline(policy: Policy) -> Model:
    """The model of the shipped training corpus under this policy: from memory, from the disk
    cache, or fit now (a few seconds, once per machine)."""
    examples = shipped("train")
    key = f"{MODEL_CODE}-{sklearn.__version__}-{np.__version__}-{policy_key(policy)}-{fingerprint(examples)}"
    with _lock:
        if key in _baselines:
            return _baselines[key]
        path = cache_dir() / f"baseline-{key}.pkl"
        model = None
        try:
            model = pickle.loads(path.read_bytes())  # our own cache file, written below (a private directory)
        except FileNotFoundError:
            model = None
        except Exception as exc:  # a damaged or foreign file: fit again rather than fail every intake
            log.warning("ignoring the cached model %s: %s", path, exc)
            model = None
        if model is None:
            model = fit(policy, examples)
            try:
                path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
                with os.fdopen(fd, "wb") as f:
                    f.write(pickle.dumps(model))
                os.replace(tmp, path)  # atomic: a parallel process reads the old file or the new one
            except OSError:
                pass  # a read-only home: fit again next time
        _baselines[key] = model
        return model
