"""Schemathesis hooks for doraflow: sign webhook bodies the way GitHub and PagerDuty do.

The fuzzer cannot know an HMAC of a body it has not generated yet, so the run passes
a placeholder (`-H "X-Hub-Signature-256: sign-me"` ...). Right before a request leaves,
this requests-auth hook replaces exactly that placeholder with the real signature of
the bytes being sent. Any other value (schemathesis's own "invalid auth" probes, or no
header at all) is left alone, so the server must refuse it: ignored_auth stays meaningful.
"""
import hashlib
import hmac
import os

import requests
import schemathesis

PLACEHOLDER = "sign-me"
GITHUB_SECRET = os.environ.get("DORAFLOW_FUZZ_GITHUB_SECRET", "")
PAGERDUTY_SECRET = os.environ.get("DORAFLOW_FUZZ_PAGERDUTY_SECRET", "")


def _digest(secret: str, body) -> str:
    if body is None:
        body = b""
    if isinstance(body, str):
        body = body.encode("utf-8")
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


class Signer(requests.auth.AuthBase):
    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        if r.headers.get("X-Hub-Signature-256") == PLACEHOLDER and GITHUB_SECRET:
            r.headers["X-Hub-Signature-256"] = "sha256=" + _digest(GITHUB_SECRET, r.body)
        if r.headers.get("X-PagerDuty-Signature") == PLACEHOLDER and PAGERDUTY_SECRET:
            r.headers["X-PagerDuty-Signature"] = "v1=" + _digest(PAGERDUTY_SECRET, r.body)
        return r


@schemathesis.hook
def before_call(context, case, kwargs):
    kwargs.setdefault("auth", Signer())
