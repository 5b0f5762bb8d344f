"""What the vendor-client scripts (`conformance/<vendor>/python-client.py`) share: the
step under way, and ending the run with exit code 1 and a message naming that step on the
first mismatch, so a failed test says where the client and Twin parted ways.

The scripts import it by path (`sys.path`), so each still runs as
`python python-client.py` from its own directory, with nothing to install.
"""

import os
import sys
import traceback

_step = "start"


def step(name):
    """Names the step under way, for progress and for a failure's message."""
    global _step
    _step = name
    print(f"python-client: {name}", flush=True)


def done():
    """Reports the step under way as passed."""
    print(f"ok  {_step}", flush=True)


def fail(message):
    where = f' at "{_step}"' if _step else ""
    print(f"python-client: FAILED{where}: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def required(name):
    """An environment variable the run needs: failing when it is unset or empty."""
    value = os.environ.get(name)
    if not value:
        fail(f"environment variable {name} is not set")
    return value


def check(condition, message):
    if not condition:
        fail(message)


def equal(actual, expected, what):
    check(actual == expected, f"{what}: expected {expected!r}, got {actual!r}")


def since_all(fetch):
    """Every record a history poller sees: `fetch(since_id)` returns one page (a list of
    records with ids), asked again after its last id until a page comes back empty. The
    step fails unless the ids grow, each record seen once."""
    records = []
    since = 0
    while True:
        page = fetch(since)
        if not page:
            ids = [r["id"] for r in records]
            check(ids == sorted(set(ids)), f"ids not increasing once each: {ids}")
            return records
        records.extend(page)
        since = page[-1]["id"]


def run(main, explain=lambda error: None):
    """Runs `main`; any exception the client raises is a failed step, described by
    `explain` when it knows the kind (a vendor SDK's API error), else by its traceback."""
    try:
        main()
    except SystemExit:
        raise
    except Exception as error:  # noqa: BLE001 - any failure of the client is a failed step
        fail(explain(error) or traceback.format_exc())
