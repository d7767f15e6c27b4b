from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from zhengtong.core.health import health


@never_cache
def healthz(request):
    """JSON state of database, cache and worker; 503 when any is down."""
    state = health()
    return JsonResponse(state, status=200 if state["ok"] else 503, json_dumps_params={"ensure_ascii": False})
