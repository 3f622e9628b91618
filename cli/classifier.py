"""`voc classifier train|eval`: retrain on the company's corrections, measure on labelled messages."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from domain.policy import Policy


def classifier_in_use(policy: Policy):
    """The company's active model when this machine has the bot's database, else the baseline.
    The default SQLite file is only read when it exists (reading must not create it)."""
    from domain.classifier import classifier_for
    from models.db import DEFAULT_DATABASE_URL, Database

    if os.environ.get("DATABASE_URL") or Path(DEFAULT_DATABASE_URL.removeprefix("sqlite:///")).exists():
        try:
            db = Database()
            try:
                return classifier_for(policy, db)
            finally:
                db.dispose()
        except Exception:  # no database, not migrated yet: the shipped baseline still classifies
            pass
    return classifier_for(policy)


def cmd_eval(args, policy: Policy) -> int:
    from domain.classifier import classifier_for
    from domain.classifier.corpus import BadExample, read, shipped
    from domain.classifier.evaluation import evaluate, render

    try:
        examples = read(Path(args.file)) if args.file else shipped("test")
    except (OSError, BadExample) as exc:
        print(f"cannot read the examples: {exc}", file=sys.stderr)
        return 2
    if not examples:
        print("no examples in the file", file=sys.stderr)
        return 2
    classifier = classifier_for(policy) if args.baseline else classifier_in_use(policy)
    report = evaluate(classifier, examples)
    print(json.dumps(report, ensure_ascii=False) if args.json else render(report))
    return 0


def cmd_train(args, policy: Policy, rt) -> int:
    from domain.classifier.evaluation import score
    from domain.classifier.learning import retrain

    done = retrain(rt.db, policy, rt.clock.now())
    old, new = score(done.old), score(done.new)
    print(f"trained model {done.model_id} on {done.examples} examples ({done.company} from the company's corrections)")
    print(f"held back ({done.new['n']} messages): all three right {new[0]:.1%} (in use: {old[0]:.1%}); "
          f"mean of the fields {new[1]:.1%} (in use: {old[1]:.1%})")
    print(f"model {done.model_id} is now in use" if done.active else
          f"kept model {done.previous_id or 'baseline'} in use: the new one did worse on the held-back messages")
    return 0


def add_parsers(sub, policy_or_exit, runtime_or_exit) -> None:
    p = sub.add_parser("classifier", help="train on the company's corrections; evaluate on labelled messages")
    csub = p.add_subparsers(dest="classifier_command", required=True)
    ev = csub.add_parser("eval", help="accuracy per field and language, confusion matrices, auto-file rate")
    ev.add_argument("file", nargs="?", default=None,
                    help='JSON lines {"text", "kind", "category", "severity", "lang"?}; default: the shipped test split')
    ev.add_argument("--json", action="store_true", help="the numbers as one JSON object")
    ev.add_argument("--baseline", action="store_true", help="the shipped baseline, not the company's model in use")
    ev.add_argument("--policy", default=None)
    ev.set_defaults(func=lambda a: cmd_eval(a, policy_or_exit(a.policy)))
    tr = csub.add_parser("train", help="retrain on the shipped corpus plus corrections; use it only if no worse on held-back corrections "
                          "and at most 1 %% worse on the test split")
    tr.set_defaults(func=lambda a: cmd_train(a, (rt := runtime_or_exit()).policy, rt))
