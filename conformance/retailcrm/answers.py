"""What the `retailcrm` client scripts share: reading a successful answer."""

from steps import check


def ok(response, status=200):
    """The body of a successful answer of `status`; the step fails otherwise."""
    body = response.get_response()
    check(response.get_status_code() == status, f"status {response.get_status_code()}: {body}")
    check(response.is_successful() and body.get("success") is True, f"not successful: {body}")
    return body
