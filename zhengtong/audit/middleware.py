"""The request being served, for audit records raised where no request is at hand.

Events from signals (Wagtail's page log, group and permission changes) carry no request;
without this they would be recorded without the actor's address. GB/T 22239-2019 安全审计
asks for "from where" on every record.
"""

from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

_current: ContextVar[HttpRequest | None] = ContextVar("zt_audit_request", default=None)


def current_request() -> HttpRequest | None:
    """The request this thread (or task) is serving, if any."""
    return _current.get()


class CurrentRequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current.set(request)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
