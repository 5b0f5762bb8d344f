"""The vendor's PyPI client `retailcrm` (pinned in requirements.txt) meeting a 429 that a
Twin fault rule injects, unchanged: only its base URL and API key point it here.

    TWIN_BASE=http://127.0.0.1:8080 RCRM_KEY=demo-retailcrm-key python python-faults.py

Before the run, the key's account gets a rule answering its next `GET /api/v5/customers`
once with the dialect's 429 (crates/server/tests/it/faults/clients.rs). Through the
client's own methods: customers list -> the vendor's 429 in the vendor's shape -> the
same call again passes. Exits 1 with a message naming the failed step on the first
mismatch.
"""

import os
import sys

import retailcrm

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from steps import check, equal, required, run, step  # noqa: E402
from answers import ok  # noqa: E402


def main():
    client = retailcrm.v5(required("TWIN_BASE"), required("RCRM_KEY"))

    step("customers list refused by the rule")
    refused = client.customers()
    equal(refused.get_status_code(), 429, "status")
    check(not refused.is_successful(), "a 429 is not successful")
    equal(refused.get_response(), {"success": False, "errorMsg": "Rate limit exceeded"}, "body")
    equal(refused.get_error_msg(), "Rate limit exceeded", "error message")

    step("customers list again")
    equal(ok(client.customers())["customers"], [], "customers")

    step("done")


if __name__ == "__main__":
    run(main)
